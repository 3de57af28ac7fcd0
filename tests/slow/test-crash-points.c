/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash points (till-crash.h), each several ways: the real till process (till-pay-driver)
 * sells or refunds against the real simulator with TILLPOINT_CRASH_AT set, dies by SIGKILL
 * at that point, is started again on the same database in "resume" mode, and then the
 * till is reconciled with GET /_sim/ledger: nothing lost, nobody charged twice, no charge
 * without a paid sale, and the books equal. Also the case: the till killed while a
 * customer types the password (or walks away), restarted, and the payment ends paid and
 * attached, or reversed, with no action by anyone. */
#define G_LOG_DOMAIN "test-crash-points"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "till-slow-common.h"
#include "till-store-payments.h"

static TillTestPaysim *shared_sim;
static guint           case_seq;
static gint64          total_us;
static guint           total_kills;

typedef struct
{
  const char *point;
  const char *command;        /* "sell" or "sell-refund" */
  const char *ending;         /* auth code's last four digits */
  guint       items;
  gint64      refund_fen;     /* sell-refund: 0 = all */
  guint       hit;            /* crash at the n-th pass (0 = first) */
  const char *fault;          /* JSON for POST /_sim/faults with "{P}" for this till's
                                 order-number prefix, or NULL */
  gboolean    on_wire;        /* the request must have reached the simulator */
  gboolean    alipay;         /* an Alipay payment code (else WeChat Pay's) */
  gint64      member_fen;     /* "topup": the amount put on the card; "sell-sv": the part
                                 paid from the card (the rest by the code); "sell-points":
                                 the points redeemed */
} Case;

#define Q_FAULT(st, n) "{\"path_prefix\":\"/v3/pay/transactions/out-trade-no/{P}\"," \
                       "\"kind\":\"status\",\"status\":" #st ",\"count\":" #n "}"
#define R_FAULT(kind_and_more) "{\"path_prefix\":\"/v3/refund/domestic/refunds\"," kind_and_more "}"

/* Alipay's gateway: one path, the faults filtered by the request's method (alipay.md §11). */
#define A_FAULT(method, kind_and_more) "{\"path_prefix\":\"/gateway.do\",\"method\":\"" \
                                       method "\"," kind_and_more "}"
#define AQ_FAULT(st, n) A_FAULT ("alipay.trade.query", "\"kind\":\"status\",\"status\":" #st \
                                 ",\"count\":" #n)
#define AR_FAULT(kind_and_more) A_FAULT ("alipay.trade.refund", kind_and_more)
#define AC_FAULT(kind_and_more) A_FAULT ("alipay.trade.cancel", kind_and_more)

static const Case cases[] = {
  /* The row is committed, nothing sent. */
  { "pay.after_commit_before_send", "sell", "0000", 2, 0, 0, NULL, FALSE },
  { "pay.after_commit_before_send", "sell", "1111", 3, 0, 0, NULL, FALSE },
  { "pay.after_commit_before_send", "sell", "4444", 1, 0, 0, NULL, FALSE },
  { "pay.after_commit_before_send", "sell", "5555", 4, 0, 0, NULL, FALSE },
  { "pay.after_commit_before_send", "sell", "6666", 2, 0, 0, NULL, FALSE },
  { "pay.after_commit_before_send", "sell", "9999", 5, 0, 0, NULL, FALSE },
  /* The request is on the wire; its answer is never acted on. */
  { "pay.after_send_before_answer", "sell", "0000", 2, 0, 0, NULL, TRUE },
  { "pay.after_send_before_answer", "sell", "1111", 1, 0, 0, NULL, TRUE },
  { "pay.after_send_before_answer", "sell", "4444", 3, 0, 0, NULL, TRUE },
  { "pay.after_send_before_answer", "sell", "5555", 2, 0, 0, NULL, TRUE },
  { "pay.after_send_before_answer", "sell", "6666", 4, 0, 0, NULL, TRUE },
  { "pay.after_send_before_answer", "sell", "9999", 1, 0, 0, NULL, TRUE },
  /* The answer is in, its state not stored. */
  { "pay.after_answer_before_commit", "sell", "0000", 3, 0, 0, NULL, TRUE },
  { "pay.after_answer_before_commit", "sell", "1111", 2, 0, 0, NULL, TRUE },
  { "pay.after_answer_before_commit", "sell", "2222", 1, 0, 0, NULL, TRUE },
  { "pay.after_answer_before_commit", "sell", "4444", 4, 0, 0, NULL, TRUE },
  { "pay.after_answer_before_commit", "sell", "5555", 1, 0, 0, NULL, TRUE },
  { "pay.after_answer_before_commit", "sell", "6666", 2, 0, 0, NULL, TRUE },
  { "pay.after_answer_before_commit", "sell", "9999", 3, 0, 0, NULL, TRUE },
  /* Between polls of an unsettled payment. */
  { "pay.while_polling", "sell", "1111", 2, 0, 0, NULL, TRUE },
  { "pay.while_polling", "sell", "1111", 3, 0, 3, NULL, TRUE },
  { "pay.while_polling", "sell", "4444", 1, 0, 0, NULL, TRUE },
  { "pay.while_polling", "sell", "5555", 2, 0, 0, NULL, TRUE },
  { "pay.while_polling", "sell", "6666", 3, 0, 2, NULL, TRUE },
  { "pay.while_polling", "sell", "7777", 1, 0, 0, NULL, TRUE },
  { "pay.while_polling", "sell", "9999", 4, 0, 0, NULL, TRUE },
  /* The reverse is on the wire. */
  { "pay.while_reversing", "sell", "6666", 2, 0, 0, NULL, TRUE },
  { "pay.while_reversing", "sell", "7777", 1, 0, 0, NULL, TRUE },
  { "pay.while_reversing", "sell", "4444", 3, 0, 0, Q_FAULT (500, 40), TRUE },
  { "pay.while_reversing", "sell", "9999", 2, 0, 0, Q_FAULT (503, 40), TRUE },
  { "pay.while_reversing", "sell", "1111", 1, 0, 0, Q_FAULT (500, 40), TRUE },
  { "pay.while_reversing", "sell", "6666", 4, 0, 0, Q_FAULT (500, 3), TRUE },
  /* Refunds: committed, not sent. */
  { "refund.after_commit_before_send", "sell-refund", "0000", 2, 0, 0, NULL, FALSE },
  { "refund.after_commit_before_send", "sell-refund", "4444", 3, 150, 0, NULL, FALSE },
  { "refund.after_commit_before_send", "sell-refund", "5555", 1, 0, 0, NULL, FALSE },
  { "refund.after_commit_before_send", "sell-refund", "9999", 4, 99, 0, NULL, FALSE },
  { "refund.after_commit_before_send", "sell-refund", "1111", 2, 0, 0, NULL, FALSE },
  /* Refunds on the wire. */
  { "refund.after_send_before_answer", "sell-refund", "0000", 2, 0, 0, NULL, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "4444", 3, 120, 0, NULL, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "1111", 1, 0, 0, NULL, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "0000", 2, 0, 0,
    R_FAULT ("\"kind\":\"delay\",\"ms\":3000,\"count\":1"), TRUE },
  { "refund.after_send_before_answer", "sell-refund", "9999", 3, 77, 0,
    R_FAULT ("\"kind\":\"drop\",\"apply\":true,\"count\":1"), TRUE },
  /* Refund answered, not stored. */
  { "refund.after_answer_before_commit", "sell-refund", "0000", 1, 0, 0, NULL, TRUE },
  { "refund.after_answer_before_commit", "sell-refund", "4444", 2, 101, 0, NULL, TRUE },
  { "refund.after_answer_before_commit", "sell-refund", "0000", 3, 0, 0,
    R_FAULT ("\"kind\":\"status\",\"status\":500,\"count\":1"), FALSE },
  { "refund.after_answer_before_commit", "sell-refund", "0000", 2, 0, 0,
    R_FAULT ("\"kind\":\"status\",\"status\":403,\"count\":1"), FALSE },
  { "refund.after_answer_before_commit", "sell-refund", "5555", 4, 55, 0,
    R_FAULT ("\"kind\":\"drop\",\"apply\":true,\"count\":1"), TRUE },

  /* ---- Alipay (alipay.trade.pay, .query, .cancel, .refund, .fastpay.refund.query);
   * endings as alipay.md §11: 1111 the password, 2222 no balance, 4444 20000 but paid,
   * 5555 no answer, 6666 never confirmed, 7777 declined after 6 s, 8888 a wrong sign,
   * 9999 dropped after paying. */
  { "pay.after_commit_before_send", "sell", "0000", 2, 0, 0, NULL, FALSE, TRUE },
  { "pay.after_commit_before_send", "sell", "1111", 3, 0, 0, NULL, FALSE, TRUE },
  { "pay.after_commit_before_send", "sell", "6666", 1, 0, 0, NULL, FALSE, TRUE },
  { "pay.after_send_before_answer", "sell", "0000", 2, 0, 0, NULL, TRUE, TRUE },
  { "pay.after_send_before_answer", "sell", "1111", 1, 0, 0, NULL, TRUE, TRUE },
  { "pay.after_send_before_answer", "sell", "5555", 3, 0, 0, NULL, TRUE, TRUE },
  { "pay.after_send_before_answer", "sell", "9999", 2, 0, 0, NULL, TRUE, TRUE },
  { "pay.after_answer_before_commit", "sell", "0000", 3, 0, 0, NULL, TRUE, TRUE },
  { "pay.after_answer_before_commit", "sell", "2222", 1, 0, 0, NULL, FALSE, TRUE },
  { "pay.after_answer_before_commit", "sell", "4444", 2, 0, 0, NULL, TRUE, TRUE },
  { "pay.after_answer_before_commit", "sell", "8888", 4, 0, 0, NULL, TRUE, TRUE },
  { "pay.while_polling", "sell", "1111", 2, 0, 0, NULL, TRUE, TRUE },
  { "pay.while_polling", "sell", "1111", 3, 0, 3, NULL, TRUE, TRUE },
  { "pay.while_polling", "sell", "4444", 1, 0, 0, NULL, TRUE, TRUE },
  { "pay.while_polling", "sell", "6666", 3, 0, 2, NULL, TRUE, TRUE },
  { "pay.while_polling", "sell", "7777", 1, 0, 0, NULL, TRUE, TRUE },
  { "pay.while_reversing", "sell", "6666", 2, 0, 0, NULL, TRUE, TRUE },
  { "pay.while_reversing", "sell", "7777", 1, 0, 0, NULL, TRUE, TRUE },
  { "pay.while_reversing", "sell", "4444", 3, 0, 0, AQ_FAULT (500, 40), TRUE, TRUE },
  { "pay.while_reversing", "sell", "1111", 1, 0, 0, AQ_FAULT (502, 40), TRUE, TRUE },
  { "pay.while_reversing", "sell", "6666", 4, 0, 2,
    AC_FAULT ("\"kind\":\"retry_flag\",\"count\":1"), TRUE, TRUE },
  { "refund.after_commit_before_send", "sell-refund", "0000", 2, 0, 0, NULL, FALSE, TRUE },
  { "refund.after_commit_before_send", "sell-refund", "4444", 3, 150, 0, NULL, FALSE, TRUE },
  { "refund.after_commit_before_send", "sell-refund", "1111", 1, 0, 0, NULL, FALSE, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "0000", 2, 0, 0, NULL, TRUE, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "4444", 3, 120, 0, NULL, TRUE, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "0000", 2, 0, 0,
    AR_FAULT ("\"kind\":\"delay\",\"ms\":3000,\"count\":1"), TRUE, TRUE },
  { "refund.after_send_before_answer", "sell-refund", "9999", 3, 77, 0,
    AR_FAULT ("\"kind\":\"drop\",\"apply\":true,\"count\":1"), TRUE, TRUE },
  { "refund.after_answer_before_commit", "sell-refund", "0000", 1, 0, 0, NULL, TRUE, TRUE },
  { "refund.after_answer_before_commit", "sell-refund", "4444", 2, 101, 0, NULL, TRUE, TRUE },
  { "refund.after_answer_before_commit", "sell-refund", "0000", 3, 0, 0,
    AR_FAULT ("\"kind\":\"status\",\"status\":502,\"count\":1"), FALSE, TRUE },
  { "refund.after_answer_before_commit", "sell-refund", "5555", 4, 55, 0,
    AR_FAULT ("\"kind\":\"unknown\",\"count\":1"), TRUE, TRUE },

  /* ---- members (issue 16): a top-up of ¥200 (+ ¥20 bonus) paid by a code is credited
   * iff its payment is paid; a sale paid partly from the card keeps its spend iff the
   * payment row is there, whatever the code part does. */
  { "pay.after_commit_before_send", "topup", "0000", 0, 0, 0, NULL, FALSE, FALSE, 20000 },
  { "pay.after_send_before_answer", "topup", "0000", 0, 0, 0, NULL, TRUE, FALSE, 20000 },
  { "pay.after_answer_before_commit", "topup", "0000", 0, 0, 0, NULL, TRUE, FALSE, 20000 },
  { "pay.after_answer_before_commit", "topup", "1111", 0, 0, 0, NULL, TRUE, FALSE, 15000 },
  { "pay.while_polling", "topup", "1111", 0, 0, 0, NULL, TRUE, FALSE, 20000 },
  { "pay.while_reversing", "topup", "6666", 0, 0, 0, NULL, TRUE, FALSE, 20000 },
  { "pay.after_answer_before_commit", "topup", "0000", 0, 0, 0, NULL, TRUE, TRUE, 20000 },
  { "pay.after_commit_before_send", "sell-sv", "0000", 3, 0, 0, NULL, FALSE, FALSE, 500 },
  { "pay.after_send_before_answer", "sell-sv", "0000", 2, 0, 0, NULL, TRUE, FALSE, 300 },
  { "pay.after_answer_before_commit", "sell-sv", "0000", 4, 0, 0, NULL, TRUE, FALSE, 1000 },
  { "pay.while_polling", "sell-sv", "1111", 2, 0, 0, NULL, TRUE, FALSE, 250 },
  { "pay.while_reversing", "sell-sv", "6666", 3, 0, 0, NULL, TRUE, FALSE, 400 },
  { "pay.after_answer_before_commit", "sell-sv", "1111", 2, 0, 0, NULL, TRUE, TRUE, 100 },
  /* A member's sale with points redeemed off it, the rest by a code: the points leave the
   * card with the sale's save, stay while it is open, go back if it is voided. */
  { "pay.after_commit_before_send", "sell-points", "0000", 3, 0, 0, NULL, FALSE, FALSE, 300 },
  { "pay.after_answer_before_commit", "sell-points", "0000", 4, 0, 0, NULL, TRUE, FALSE, 500 },
  { "pay.while_reversing", "sell-points", "6666", 2, 0, 0, NULL, TRUE, FALSE, 200 },
};

typedef struct
{
  char *dir;
  char *db;
  char *log;
  char  device[8];
  char *prefix;
} Till;

static void
till_init (Till *t)
{
  g_autoptr(GError) error = NULL;

  t->dir = g_dir_make_tmp ("till-crash-XXXXXX", &error);
  g_assert_no_error (error);
  t->db = g_build_filename (t->dir, "tillpoint.db", NULL);
  t->log = g_build_filename (t->dir, "driver.log", NULL);
  g_snprintf (t->device, sizeof t->device, "C%03u", ++case_seq % 1000);
  t->prefix = g_strconcat ("TS09", t->device, NULL);
}

static void
till_clear (Till *t,
            gboolean keep)
{
  if (!keep)
    {
      const char *names[] = { "tillpoint.db", "tillpoint.db-wal", "tillpoint.db-shm", "driver.log" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *p = g_build_filename (t->dir, names[i], NULL);
          g_remove (p);
        }
      g_rmdir (t->dir);
    }
  g_free (t->dir);
  g_free (t->db);
  g_free (t->log);
  g_free (t->prefix);
}

/* The driver's common arguments, then the command's. */
static GPtrArray *
driver_args (TillTestPaysim *sim,
             Till           *t)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup ("--sim-url"));
  g_ptr_array_add (args, g_strdup (till_test_paysim_get_base_url (sim)));
  g_ptr_array_add (args, g_strdup ("--sim-dir"));
  g_ptr_array_add (args, g_strdup (till_test_paysim_get_state_dir (sim)));
  g_ptr_array_add (args, g_strdup ("--db"));
  g_ptr_array_add (args, g_strdup (t->db));
  g_ptr_array_add (args, g_strdup ("--device"));
  g_ptr_array_add (args, g_strdup (t->device));
  g_ptr_array_add (args, g_strdup ("--limit-s"));
  g_ptr_array_add (args, g_strdup ("60"));
  return args;
}

static void
print_lines (char **lines)
{
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_test_message ("  | %s", lines[i]);
}

/* Restart in resume mode: must finish everything by itself. */
static void
resume_and_reconcile (TillTestPaysim *sim,
                      Till           *t,
                      TillSlowBooks  *books)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = driver_args (sim, t);
  g_auto(GStrv) lines = NULL;
  int status;

  /* Faults armed for the first run are not the restart's business. */
  g_assert_true (till_test_paysim_clear_faults (sim, &error));
  g_assert_no_error (error);
  g_ptr_array_add (args, g_strdup ("resume"));
  g_ptr_array_add (args, NULL);
  status = till_slow_run_driver ((const char *const *) args->pdata, NULL, t->log, 90, NULL, NULL,
                                 &lines);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree char *tail = till_slow_tail (t->log, 40);
      print_lines (lines);
      g_error ("the resumed till did not finish (status %d):\n%s", status, tail);
    }
  till_slow_reconcile (sim, t->db, t->prefix, books);
}

static gboolean
ledger_has_order (TillTestPaysim *sim,
                  const char     *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ledger = till_test_paysim_get_ledger (sim, &error);
  JsonArray *list;

  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *no = json_object_get_string_member (json_array_get_object_element (list, i),
                                                      "out_trade_no");
      if (no != NULL && g_str_has_prefix (no, prefix))
        return TRUE;
    }
  return FALSE;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *crash_at = NULL;
  g_autofree char *code = c->alipay ? till_test_paysim_alipay_auth_code (c->ending)
                                    : till_test_paysim_auth_code (c->ending);
  g_autofree char *items = g_strdup_printf ("%u", c->items);
  g_autofree char *refund = g_strdup_printf ("%" G_GINT64_FORMAT, c->refund_fen);
  gint64 start = g_get_monotonic_time ();
  TillSlowBooks books;
  Till t = { 0 };
  int status;

  till_init (&t);
  g_assert_true (till_test_paysim_clear_faults (shared_sim, &error));
  g_assert_no_error (error);
  if (c->fault != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (c->fault, "{P}", -1);
      g_autofree char *json = g_strjoinv (t.prefix, parts);
      g_assert_cmpuint (till_test_paysim_control (shared_sim, "POST", "/_sim/faults", json, NULL,
                                                  &error), ==, 200);
      g_assert_no_error (error);
    }
  crash_at = c->hit > 0 ? g_strdup_printf ("%s:%u", c->point, c->hit) : g_strdup (c->point);

  args = driver_args (shared_sim, &t);
  g_ptr_array_add (args, g_strdup (c->command));
  if (!g_str_equal (c->command, "topup"))
    g_ptr_array_add (args, g_strdup (items));
  g_ptr_array_add (args, g_strdup (code));
  if (g_str_equal (c->command, "sell-refund"))
    g_ptr_array_add (args, g_strdup (refund));
  if (c->member_fen > 0)
    g_ptr_array_add (args, g_strdup_printf ("%" G_GINT64_FORMAT, c->member_fen));
  g_ptr_array_add (args, NULL);
  status = till_slow_run_driver ((const char *const *) args->pdata, crash_at, t.log, 90, NULL,
                                 NULL, &lines);
  if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
    {
      g_autofree char *tail = till_slow_tail (t.log, 30);
      print_lines (lines);
      g_error ("the till did not die by SIGKILL at %s (status %d):\n%s", crash_at, status, tail);
    }
  total_kills++;
  if (c->on_wire)
    g_assert_true (ledger_has_order (shared_sim, t.prefix));

  resume_and_reconcile (shared_sim, &t, &books);
  g_test_message ("%s%s ending %s%s: %u payment(s) (%u paid, %u failed, %u reversed), "
                  "%u refund(s) (%u success), ledger %u order(s) (%u charged, %u returned), "
                  "net %" G_GINT64_FORMAT " fen, %.1f s", c->alipay ? "alipay " : "", crash_at,
                  c->ending,
                  c->fault != NULL ? " + fault" : "", books.payments, books.paid, books.failed,
                  books.reversed, books.refunds, books.refunds_success, books.orders,
                  books.orders_charged, books.orders_returned, books.ledger_net_fen,
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (books.payments, >=, 1);
  /* Every payment and order is of the provider the code belongs to. */
  g_assert_cmpuint (books.by[c->alipay ? TILL_SLOW_ALIPAY : TILL_SLOW_WECHAT].payments, ==,
                    books.payments - books.stored_value_payments);
  if (g_str_equal (c->command, "sell-sv"))
    g_assert_cmpuint (books.stored_value_payments, ==, 1);
  if (g_str_equal (c->command, "topup"))
    g_test_message ("top-up %s", books.topups_credited == 1 ? "credited" : "not credited");
  if (g_str_equal (c->command, "sell-points"))
    g_test_message ("%" G_GINT64_FORMAT " points held by the sale", books.points_held);
  g_assert_cmpuint (books.by[c->alipay ? TILL_SLOW_WECHAT : TILL_SLOW_ALIPAY].orders, ==, 0);
  g_assert_cmpuint (books.orders_open, ==, 0);
  if (g_str_equal (c->command, "sell-refund"))
    {
      g_assert_cmpuint (books.paid, ==, 1);
      g_assert_cmpuint (books.refunds, >=, 1);
    }
  total_us += g_get_monotonic_time () - start;
  till_clear (&t, FALSE);
}

/* ---- the "Done when": SIGKILL while the customer is asked for the password */

static gboolean
kill_at_user_paying (const char *line,
                     gpointer    data)
{
  return g_str_has_suffix (line, " user_paying");
}

static void
run_killed_while_waiting (TillTestPaysim *sim,
                          gboolean        alipay,
                          const char     *ending,
                          guint           restart_after_ms,
                          const char     *expect_state)
{
  g_autoptr(GPtrArray) args = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *code = alipay ? till_test_paysim_alipay_auth_code (ending)
                                 : till_test_paysim_auth_code (ending);
  gint64 start = g_get_monotonic_time ();
  TillSlowBooks books;
  Till t = { 0 };
  int status;

  till_init (&t);
  args = driver_args (sim, &t);
  g_ptr_array_add (args, g_strdup ("sell"));
  g_ptr_array_add (args, g_strdup ("2"));
  g_ptr_array_add (args, g_strdup (code));
  g_ptr_array_add (args, NULL);
  status = till_slow_run_driver ((const char *const *) args->pdata, NULL, t.log, 60,
                                 kill_at_user_paying, NULL, &lines);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  total_kills++;
  g_assert_true (ledger_has_order (sim, t.prefix));
  if (restart_after_ms > 0)
    g_usleep ((gulong) restart_after_ms * 1000);

  resume_and_reconcile (sim, &t, &books);
  g_assert_cmpuint (books.payments, ==, 1);
  if (g_str_equal (expect_state, "paid"))
    {
      g_assert_cmpuint (books.paid, ==, 1);
      g_assert_cmpuint (books.sales_paid, ==, 1);
      g_assert_cmpuint (books.orders_charged, ==, 1);
    }
  else if (g_str_equal (expect_state, "reversed"))
    {
      g_assert_cmpuint (books.reversed, ==, 1);
      g_assert_cmpuint (books.orders_charged, ==, 0);
    }
  else if (g_str_equal (expect_state, "not-charged"))
    {
      /* Alipay: a trade cancelled unpaid is closed; the till may have it reversed, or
       * failed when it finds it closed after the restart. */
      g_assert_cmpuint (books.reversed + books.failed + books.closed, ==, 1);
      g_assert_cmpuint (books.orders_charged, ==, 0);
    }
  else
    /* Either is right; the books decide. */
    g_assert_cmpuint (books.paid + books.reversed, ==, 1);
  g_assert_cmpuint (books.orders_open, ==, 0);
  g_assert_cmpuint (books.by[alipay ? TILL_SLOW_ALIPAY : TILL_SLOW_WECHAT].orders, ==, 1);
  g_test_message ("killed while waiting (%s%s): %s, %.1f s", alipay ? "Alipay " : "", ending,
                  books.paid ? "paid and attached" : "not charged",
                  (g_get_monotonic_time () - start) / 1e6);
  till_clear (&t, FALSE);
}

static void
test_killed_password (void)
{
  /* The customer types the password 1.5 s after the scan; the till is back before. */
  run_killed_while_waiting (shared_sim, FALSE, "1111", 0, "paid");
}

static void
test_killed_walk_away (void)
{
  run_killed_while_waiting (shared_sim, FALSE, "6666", 0, "reversed");
}

static void
test_alipay_killed_password (void)
{
  run_killed_while_waiting (shared_sim, TRUE, "1111", 0, "paid");
}

static void
test_alipay_killed_walk_away (void)
{
  run_killed_while_waiting (shared_sim, TRUE, "6666", 0, "not-charged");
}

static void
test_killed_long_password (void)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--password-delay-ms", "6000", NULL };
  g_autoptr(TillTestPaysim) sim = till_test_paysim_start (args, &error);

  g_assert_no_error (error);
  /* The till stays down past the payment's deadline (4 s) while the customer is still
   * typing: on restart it is queried, then paid or reversed — never both, never lost. */
  run_killed_while_waiting (sim, FALSE, "1111", 4500, "either");
}

/* ---- Native pay (issue 10 item 11): the QR code on the customer display */

typedef enum
{
  CUSTOMER_NEVER,        /* walks away */
  CUSTOMER_AT_QR,        /* pays as soon as the QR code is shown (before the kill) */
  CUSTOMER_AT_CLOSE,     /* pays between the till's last query and its close */
  CUSTOMER_AFTER_KILL,   /* pays while the till is down */
} CustomerPays;

typedef enum
{
  SALE_WAITS,            /* the sale waits for its payment */
  SALE_VOIDED,           /* meanwhile voided ... */
  SALE_CASH,             /* ... or paid in cash: it can no longer take the payment */
} SaleMeanwhile;

typedef struct
{
  const char    *point;  /* NULL: no kill, the till runs to the end */
  guint          hit;    /* 0 = first */
  CustomerPays   pays;
  SaleMeanwhile  sale;
  gboolean       alipay; /* an Alipay precreate QR (else WeChat Pay's Native) */
} NativeCase;

static const NativeCase native_cases[] = {
  /* The row is committed, nothing sent: there is nothing the customer could pay. */
  { "native.after_commit_before_send", 0, CUSTOMER_NEVER, SALE_WAITS },
  { "native.after_commit_before_send", 0, CUSTOMER_AFTER_KILL, SALE_CASH },
  /* The order is created on the wire; its code_url never stored. */
  { "native.after_send_before_answer", 0, CUSTOMER_NEVER, SALE_WAITS },
  { "native.after_send_before_answer", 0, CUSTOMER_AFTER_KILL, SALE_WAITS },
  { "native.after_send_before_answer", 0, CUSTOMER_AFTER_KILL, SALE_VOIDED },
  /* The code_url is in, not stored yet. */
  { "native.after_answer_before_commit", 0, CUSTOMER_NEVER, SALE_WAITS },
  { "native.after_answer_before_commit", 0, CUSTOMER_AFTER_KILL, SALE_WAITS },
  /* The QR code is on the display, between polls. */
  { "native.while_polling", 0, CUSTOMER_AT_QR, SALE_WAITS },
  { "native.while_polling", 0, CUSTOMER_AFTER_KILL, SALE_WAITS },
  { "native.while_polling", 0, CUSTOMER_NEVER, SALE_WAITS },
  { "native.while_polling", 3, CUSTOMER_NEVER, SALE_VOIDED },
  { "native.while_polling", 2, CUSTOMER_AFTER_KILL, SALE_VOIDED },
  { "native.while_polling", 0, CUSTOMER_AT_QR, SALE_CASH },
  /* The close is on the wire. */
  { "native.while_closing", 0, CUSTOMER_NEVER, SALE_WAITS },
  { "native.while_closing", 0, CUSTOMER_AFTER_KILL, SALE_WAITS },
  { "native.while_closing", 2, CUSTOMER_AT_CLOSE, SALE_WAITS },
  { "native.while_closing", 2, CUSTOMER_AT_CLOSE, SALE_VOIDED },
  { "native.while_closing", 2, CUSTOMER_AT_CLOSE, SALE_CASH },
  /* No kill: paid between the last query and the close. */
  { NULL, 0, CUSTOMER_AT_CLOSE, SALE_WAITS },

  /* ---- Alipay's precreate: the customer scans with POST /_sim/alipay/scan. Before the
   * scan there is no trade: the till's close is a cancel that closes the number for good. */
  { "native.after_commit_before_send", 0, CUSTOMER_NEVER, SALE_WAITS, TRUE },
  { "native.after_commit_before_send", 0, CUSTOMER_AFTER_KILL, SALE_CASH, TRUE },
  { "native.after_send_before_answer", 0, CUSTOMER_NEVER, SALE_WAITS, TRUE },
  { "native.after_send_before_answer", 0, CUSTOMER_AFTER_KILL, SALE_WAITS, TRUE },
  { "native.after_send_before_answer", 0, CUSTOMER_AFTER_KILL, SALE_VOIDED, TRUE },
  { "native.after_answer_before_commit", 0, CUSTOMER_NEVER, SALE_WAITS, TRUE },
  { "native.after_answer_before_commit", 0, CUSTOMER_AFTER_KILL, SALE_WAITS, TRUE },
  { "native.while_polling", 0, CUSTOMER_AT_QR, SALE_WAITS, TRUE },
  { "native.while_polling", 0, CUSTOMER_AFTER_KILL, SALE_WAITS, TRUE },
  { "native.while_polling", 3, CUSTOMER_NEVER, SALE_VOIDED, TRUE },
  { "native.while_polling", 0, CUSTOMER_AT_QR, SALE_CASH, TRUE },
  { "native.while_closing", 0, CUSTOMER_NEVER, SALE_WAITS, TRUE },
  { "native.while_closing", 0, CUSTOMER_AFTER_KILL, SALE_WAITS, TRUE },
  { "native.while_closing", 2, CUSTOMER_AT_CLOSE, SALE_WAITS, TRUE },
  { "native.while_closing", 2, CUSTOMER_AT_CLOSE, SALE_VOIDED, TRUE },
  { NULL, 0, CUSTOMER_AT_CLOSE, SALE_WAITS, TRUE },
};

typedef struct
{
  TillTestPaysim   *sim;
  const NativeCase *c;
  gint64            sale_id;
  gint64            payment_id;
  char             *out_trade_no;
  gboolean          customer_tried;
  gboolean          customer_paid;
} NativeRun;

static void
customer_pays (NativeRun *run)
{
  g_autoptr(GError) error = NULL;

  run->customer_tried = TRUE;
  if (run->out_trade_no == NULL)
    {
      g_test_message ("the customer has no order to pay");
      return;
    }
  run->customer_paid = run->c->alipay
                       ? till_test_paysim_alipay_scan (run->sim, run->out_trade_no, "pay",
                                                       &error)
                       : till_test_paysim_native_pay (run->sim, run->out_trade_no, &error);
  g_test_message ("the customer pays %s: %s", run->out_trade_no,
                  run->customer_paid ? "paid" : error->message);
}

static gboolean
native_line (const char *line,
             gpointer    data)
{
  NativeRun *run = data;
  gint64 id = 0;

  if (sscanf (line, "sale %" G_GINT64_FORMAT, &id) == 1)
    run->sale_id = id;
  else if (g_str_has_prefix (line, "native "))
    {
      g_auto(GStrv) parts = g_strsplit (line, " ", 3);

      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      run->payment_id = g_ascii_strtoll (parts[1], NULL, 10);
      g_free (run->out_trade_no);
      run->out_trade_no = g_strdup (parts[2]);
      if (run->c->pays == CUSTOMER_AT_QR)
        customer_pays (run);
      else if (run->c->pays == CUSTOMER_AT_CLOSE)
        {
          /* The till's first close fails (not processed): the customer pays before the
           * till tries again. */
          g_autoptr(GError) error = NULL;
          g_autofree char *path = g_strconcat ("/v3/pay/transactions/out-trade-no/",
                                               run->out_trade_no, "/close", NULL);

          if (run->c->alipay)
            g_assert_true (till_test_paysim_arm_alipay_fault (run->sim, "alipay.trade.close",
                                                              "status", 0, 502, 1, &error));
          else
            g_assert_true (till_test_paysim_arm_fault (run->sim, path, "status", 0, 500, 1,
                                                       &error));
          g_assert_no_error (error);
        }
    }
  else if (run->c->pays == CUSTOMER_AT_CLOSE && !run->customer_tried && run->payment_id > 0)
    {
      g_autofree char *closing = g_strdup_printf ("payment %" G_GINT64_FORMAT " reversing",
                                                  run->payment_id);
      if (g_str_equal (line, closing))
        customer_pays (run);
    }
  return FALSE;
}

/* The out_trade_no of this till's one order at the provider, or NULL. */
static char *
ledger_order_no (TillTestPaysim *sim,
                 const char     *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ledger = till_test_paysim_get_ledger (sim, &error);
  JsonArray *list;

  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *no = json_object_get_string_member (json_array_get_object_element (list, i),
                                                      "out_trade_no");
      if (no != NULL && g_str_has_prefix (no, prefix))
        return g_strdup (no);
    }
  return NULL;
}

static char *
sale_state_of (const char *db_path,
               gint64      sale_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (db_path, &error);
  TillSaleState state = TILL_SALE_STATE_OPEN;

  g_assert_no_error (error);
  g_assert_true (till_store_sale_get_state (store, sale_id, &state, &error));
  g_assert_no_error (error);
  return g_strdup (till_sale_state_to_string (state));
}

static const char *const customer_names[] = { "never", "at-qr", "at-close", "after-kill" };
static const char *const sale_names[] = { "waits", "voided", "cash" };

static void
test_native_case (gconstpointer data)
{
  const NativeCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *crash_at = NULL;
  g_autofree char *sale_state = NULL;
  gint64 start = g_get_monotonic_time ();
  NativeRun run = { .sim = shared_sim, .c = c };
  TillSlowBooks books;
  Till t = { 0 };
  int status;

  till_init (&t);
  g_assert_true (till_test_paysim_clear_faults (shared_sim, &error));
  g_assert_no_error (error);
  if (c->point != NULL)
    crash_at = c->hit > 0 ? g_strdup_printf ("%s:%u", c->point, c->hit) : g_strdup (c->point);

  args = driver_args (shared_sim, &t);
  g_ptr_array_add (args, g_strdup ("--interval-ms"));
  g_ptr_array_add (args, g_strdup ("500"));
  g_ptr_array_add (args, g_strdup ("--native-deadline-ms"));
  g_ptr_array_add (args, g_strdup ("2500"));
  g_ptr_array_add (args, g_strdup ("--qr-provider"));
  g_ptr_array_add (args, g_strdup (c->alipay ? "alipay" : "wechat"));
  g_ptr_array_add (args, g_strdup ("sell-native"));
  g_ptr_array_add (args, g_strdup ("2"));
  g_ptr_array_add (args, NULL);
  status = till_slow_run_driver ((const char *const *) args->pdata, crash_at, t.log, 60,
                                 native_line, &run, &lines);
  g_assert_cmpint (run.sale_id, >, 0);
  if (c->point != NULL)
    {
      if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
        {
          g_autofree char *tail = till_slow_tail (t.log, 30);
          print_lines (lines);
          g_error ("the till did not die by SIGKILL at %s (status %d):\n%s", crash_at, status,
                   tail);
        }
      total_kills++;

      if (run.out_trade_no == NULL)
        run.out_trade_no = ledger_order_no (shared_sim, t.prefix);
      if (c->pays == CUSTOMER_AFTER_KILL)
        customer_pays (&run);
      if (c->sale != SALE_WAITS)
        till_slow_sale_moved_on (t.db, run.sale_id, c->sale == SALE_CASH);
      resume_and_reconcile (shared_sim, &t, &books);
    }
  else
    {
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          g_autofree char *tail = till_slow_tail (t.log, 30);
          print_lines (lines);
          g_error ("the till did not finish (status %d):\n%s", status, tail);
        }
      g_assert_true (till_test_paysim_clear_faults (shared_sim, &error));
      till_slow_reconcile (shared_sim, t.db, t.prefix, &books);
    }
  if (c->pays != CUSTOMER_NEVER)
    g_assert_true (run.customer_tried);
  sale_state = sale_state_of (t.db, run.sale_id);

  g_test_message ("%s%s customer %s, sale %s: customer %s; %u payment(s) (%u paid, %u closed, "
                  "%u failed, %u unattached), %u refund(s), ledger %u order(s) (%u charged, "
                  "%u open), sale %s, %.1f s", c->alipay ? "alipay " : "",
                  crash_at ? crash_at : "no kill",
                  customer_names[c->pays], sale_names[c->sale],
                  run.customer_paid ? "charged" : "not charged", books.payments, books.paid,
                  books.closed, books.failed, books.unattached, books.refunds_success,
                  books.orders, books.orders_charged, books.orders_open, sale_state,
                  (g_get_monotonic_time () - start) / 1e6);

  /* Nobody can pay this order any more; it is the QR's provider's. */
  g_assert_cmpuint (books.orders_open, ==, 0);
  g_assert_cmpuint (books.by[c->alipay ? TILL_SLOW_WECHAT : TILL_SLOW_ALIPAY].orders, ==, 0);
  g_assert_cmpuint (books.payments, ==, c->sale == SALE_CASH ? 2 : 1);
  if (run.customer_paid)
    {
      g_assert_cmpuint (books.orders_charged, ==, 1);
      if (c->sale == SALE_WAITS)
        {
          /* Attached: the sale is paid by it. */
          g_assert_cmpstr (sale_state, ==, "paid");
          g_assert_cmpuint (books.paid, ==, 1);
          g_assert_cmpuint (books.unattached, ==, 0);
          g_assert_cmpuint (books.refunds, ==, 0);
        }
      else
        {
          /* Too late for its sale: refunded in full, by itself. */
          g_assert_cmpstr (sale_state, ==, c->sale == SALE_CASH ? "paid" : "voided");
          g_assert_cmpuint (books.unattached, ==, 1);
          g_assert_cmpuint (books.refunds_success, ==, 1);
          g_assert_cmpint (books.ledger_net_fen, ==, 0);
        }
    }
  else
    {
      g_assert_cmpuint (books.orders_charged, ==, 0);
      g_assert_cmpuint (books.closed + books.failed, ==, 1);
      g_assert_cmpuint (books.unattached, ==, 0);
      g_assert_cmpstr (sale_state, ==, c->sale == SALE_CASH ? "paid"
                                       : c->sale == SALE_VOIDED ? "voided" : "open");
    }
  /* The cases mean what they say. */
  if (c->pays == CUSTOMER_AT_QR || c->pays == CUSTOMER_AT_CLOSE)
    g_assert_true (run.customer_paid);
  if (c->pays == CUSTOMER_NEVER)
    g_assert_false (run.customer_paid);

  total_us += g_get_monotonic_time () - start;
  g_free (run.out_trade_no);
  till_clear (&t, FALSE);
}

static void
test_crash_points_known (void)
{
  /* Every named point has cases for both providers: at least five for WeChat Pay, three
   * for Alipay. */
  const char *points[] = {
    "pay.after_commit_before_send", "pay.after_send_before_answer",
    "pay.after_answer_before_commit", "pay.while_polling", "pay.while_reversing",
    "refund.after_commit_before_send", "refund.after_send_before_answer",
    "refund.after_answer_before_commit",
  };

  const char *native_points[] = {
    "native.after_commit_before_send", "native.after_send_before_answer",
    "native.after_answer_before_commit", "native.while_polling", "native.while_closing",
  };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      guint n[2] = { 0, 0 };
      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        if (g_str_equal (cases[j].point, points[i]))
          n[cases[j].alipay]++;
      g_assert_cmpuint (n[FALSE], >=, 5);
      g_assert_cmpuint (n[TRUE], >=, 3);
    }
  /* Members: every payment point under a top-up and under a sale partly paid from the
   * card. */
  for (guint i = 0; i < 5; i++)
    {
      guint topup = 0, sv = 0;
      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        if (g_str_equal (cases[j].point, points[i]))
          {
            topup += g_str_equal (cases[j].command, "topup");
            sv += g_str_equal (cases[j].command, "sell-sv");
          }
      g_assert_cmpuint (topup, >=, 1);
      g_assert_cmpuint (sv, >=, 1);
    }
  /* Native: every point, with a customer who never pays and one who pays after the kill. */
  for (guint i = 0; i < G_N_ELEMENTS (native_points); i++)
    for (guint alipay = 0; alipay < 2; alipay++)
      {
        guint never = 0, after = 0;
        for (guint j = 0; j < G_N_ELEMENTS (native_cases); j++)
          if (g_strcmp0 (native_cases[j].point, native_points[i]) == 0
              && (guint) native_cases[j].alipay == alipay)
            {
              never += native_cases[j].pays == CUSTOMER_NEVER;
              after += native_cases[j].pays == CUSTOMER_AFTER_KILL;
            }
        g_assert_cmpuint (never, >=, 1);
        g_assert_cmpuint (after, >=, 1);
      }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *sim_args[] = { "--password-delay-ms", "1500", NULL };
  GHashTable *per_point;
  int rc;

  g_test_init (&argc, &argv, NULL);
  shared_sim = till_test_paysim_start (sim_args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/crash/cases-cover-every-point", test_crash_points_known);
  per_point = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      gboolean member = c->member_fen > 0;
      char *key = g_strconcat (c->alipay ? "alipay/" : "", member ? c->command : "",
                               member ? "/" : "", c->point, NULL);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_point, key)) + 1;
      g_autofree char *path = NULL;

      path = g_strdup_printf ("/crash/%s/%u-%s%s%s", key, n, c->ending,
                              c->hit > 0 ? "-later-hit" : "", c->fault != NULL ? "-fault" : "");
      g_hash_table_replace (per_point, key, GUINT_TO_POINTER (n));
      g_test_add_data_func (path, c, test_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (native_cases); i++)
    {
      const NativeCase *c = &native_cases[i];
      g_autofree char *path = g_strdup_printf ("/crash/%snative/%02u-%s%s%s-customer-%s-sale-%s",
                                               c->alipay ? "alipay/" : "", i,
                                               c->point ? c->point + strlen ("native.") : "no-kill",
                                               c->hit > 0 ? "-hit" : "",
                                               c->hit > 0 ? (c->hit == 2 ? "2" : "3") : "",
                                               customer_names[c->pays], sale_names[c->sale]);
      g_test_add_data_func (path, c, test_native_case);
    }
  g_test_add_func ("/crash/done-when/killed-while-typing-password", test_killed_password);
  g_test_add_func ("/crash/done-when/killed-while-customer-walks-away", test_killed_walk_away);
  g_test_add_func ("/crash/done-when/killed-past-the-deadline", test_killed_long_password);
  g_test_add_func ("/crash/done-when/alipay-killed-while-typing-password",
                   test_alipay_killed_password);
  g_test_add_func ("/crash/done-when/alipay-killed-while-customer-walks-away",
                   test_alipay_killed_walk_away);
  rc = g_test_run ();
  g_test_message ("%u kills, crash cases took %.1f s", total_kills, total_us / 1e6);
  printf ("# %u processes killed by SIGKILL; crash cases took %.1f s in all\n", total_kills,
          total_us / 1e6);
  g_hash_table_unref (per_point);
  till_test_paysim_free (shared_sim);
  return rc;
}
