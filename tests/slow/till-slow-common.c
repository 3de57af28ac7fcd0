/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Slow-test helpers: the driver as a process, and the till-versus-ledger reconciliation. */
#define G_LOG_DOMAIN "test-slow"

#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>

#include "till-slow-common.h"

typedef struct
{
  gint64  id;
  gint64  sale_id;
  char   *method;
  gint64  amount;
  char   *out_trade_no;
  char   *state;
  char   *sale_state;
  gboolean unattached;
  TillSlowProvider provider;
} PayRow;

const char *
till_slow_provider_name (TillSlowProvider provider)
{
  return provider == TILL_SLOW_ALIPAY ? "alipay" : "wechat";
}

static TillSlowProvider
provider_of_method (const char *method)
{
  return g_str_has_prefix (method, "alipay_") ? TILL_SLOW_ALIPAY : TILL_SLOW_WECHAT;
}

/* An order the customer could still pay. */
static gboolean
order_open (JsonObject *o)
{
  const char *state = json_object_get_string_member (o, "state");

  if (g_strcmp0 (state, "NOTPAY") == 0 || g_strcmp0 (state, "USERPAYING") == 0
      || g_strcmp0 (state, "WAIT_BUYER_PAY") == 0)
    return TRUE;
  /* An Alipay QR nobody scanned is no trade; it stays scannable until it is closed. */
  return g_strcmp0 (state, "NOT_SCANNED") == 0
         && json_object_get_int_member_with_default (o, "ended_ms", 0) == 0;
}

static void
pay_row_free (PayRow *r)
{
  g_free (r->method);
  g_free (r->out_trade_no);
  g_free (r->state);
  g_free (r->sale_state);
  g_free (r);
}

static char *
col_dup (sqlite3_stmt *stmt,
         int           i)
{
  const unsigned char *t = sqlite3_column_text (stmt, i);
  return t != NULL ? g_strdup ((const char *) t) : NULL;
}

static gint64
count (sqlite3    *db,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Members' money (schema 18): a top-up is credited iff its sale is paid, once, with its
 * bonus; every stored-value payment has its one spend of the same amount, every
 * successful refund of one its one give-back; no spend or give-back without them; no
 * balance below zero. */
static void
check_members (sqlite3       *db,
               TillSlowBooks *out)
{
  out->topups_credited = (guint) count (db, "SELECT count (*) FROM sale WHERE kind = 'topup'"
                                            " AND state = 'paid'");
  g_assert_cmpint (count (db, "SELECT count (*) FROM sale s WHERE s.kind = 'topup' AND"
                              " (s.state = 'paid') <> EXISTS (SELECT 1 FROM stored_value_move m"
                              "   WHERE m.reference = s.number AND m.kind = 'topup')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM sale s WHERE s.kind = 'topup'"
                              " AND s.state = 'paid' AND ("
                              "  (SELECT sum (paid_fen) FROM stored_value_move m"
                              "    WHERE m.reference = s.number AND m.kind = 'topup')"
                              "   <> s.total_fen"
                              "  OR coalesce ((SELECT sum (bonus_fen) FROM stored_value_move m"
                              "    WHERE m.reference = s.number AND m.kind = 'bonus'), 0)"
                              "   <> s.topup_bonus_fen)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM payment p WHERE p.method = 'stored_value'"
                              " AND (p.state <> 'paid' OR (SELECT count (*) FROM stored_value_move m"
                              "   WHERE m.payment_id = p.id AND m.kind = 'spend'"
                              "     AND -(m.paid_fen + m.bonus_fen) = p.amount_fen) <> 1)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM stored_value_move m WHERE m.kind = 'spend'"
                              " AND m.reference <> 'SETUP' AND NOT EXISTS (SELECT 1 FROM payment p"
                              "   WHERE p.id = m.payment_id AND p.method = 'stored_value')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM refund f JOIN payment p ON p.id = f.payment_id"
                              " WHERE p.method = 'stored_value' AND (f.state <> 'success'"
                              "  OR (SELECT count (*) FROM stored_value_move m WHERE m.refund_id = f.id"
                              "       AND m.paid_fen + m.bonus_fen = f.amount_fen) <> 1)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM stored_value_move m WHERE m.kind = 'refund'"
                              " AND m.refund_id IS NULL"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM (SELECT member_id FROM stored_value_move"
                              " GROUP BY member_id HAVING sum (paid_fen) < 0 OR sum (bonus_fen) < 0)"),
                   ==, 0);
  /* points redeemed (schema 19): what a sale still takes is its redemption moves' sum */
  out->points_held = count (db, "SELECT coalesce (sum (points_redeemed), 0) FROM sale"
                                " WHERE state IN ('open', 'suspended', 'paid')");
  g_assert_cmpint (count (db, "SELECT count (*) FROM sale s WHERE (SELECT coalesce (sum (v.points), 0)"
                              " FROM points_move v WHERE v.sale_id = s.id"
                              "  AND v.kind IN ('redeem', 'release', 'return')) <> CASE"
                              "  WHEN s.state = 'voided' OR s.points_redeemed = 0 THEN 0"
                              "  WHEN s.state IN ('open', 'suspended') OR s.total_fen <= 0"
                              "   THEN -s.points_redeemed"
                              "  ELSE -(s.points_redeemed - s.points_redeemed * (SELECT coalesce"
                              "   (sum (r.amount_fen), 0) FROM refund r JOIN payment q"
                              "   ON q.id = r.payment_id WHERE q.sale_id = s.id AND q.unattached = 0"
                              "   AND r.state = 'success') / s.total_fen) END"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM (SELECT member_id FROM points_move"
                              " GROUP BY member_id HAVING sum (points) < 0)"), ==, 0);
}

void
till_slow_reconcile (TillTestPaysim *sim,
                     const char     *db_path,
                     const char     *prefix,
                     TillSlowBooks  *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ledger = NULL;
  g_autoptr(GHashTable) orders = g_hash_table_new (g_str_hash, g_str_equal);  /* borrowed */
  g_autoptr(GHashTable) by_trade = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) charged_per_sale = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                                  g_free, NULL);
  g_autoptr(GHashTable) till_refunds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) pays = g_ptr_array_new_with_free_func ((GDestroyNotify) pay_row_free);
  JsonArray *list;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gboolean has_unattached;
  const char *attached_sql;
  g_autofree char *sql = NULL;

  memset (out, 0, sizeof *out);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* Payments their sale could no longer take (paid too late) are marked; a database from
   * before that mark has none. */
  has_unattached = count (db, "SELECT count (*) FROM pragma_table_info ('payment')"
                              " WHERE name = 'unattached'") > 0;
  attached_sql = has_unattached ? " AND p.unattached = 0" : "";

  /* Nothing is left to do in the till. */
  g_assert_cmpint (count (db, "SELECT count (*) FROM payment WHERE state IN"
                              " ('submitting', 'user_paying', 'in_doubt', 'reversing')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM refund WHERE state IN"
                              " ('submitting', 'processing', 'in_doubt')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM outbox WHERE state <> 'done'"), ==, 0);
  /* The till's own books: a paid sale's paid payments cover its total exactly. */
  sql = g_strdup_printf ("SELECT count (*) FROM sale s WHERE s.state IN ('paid', 'refunded')"
                         " AND s.total_fen <> (SELECT coalesce (sum (amount_fen), 0)"
                         "   FROM payment p WHERE p.sale_id = s.id AND p.state = 'paid'%s)",
                         attached_sql);
  g_assert_cmpint (count (db, sql), ==, 0);
  g_free (sql);
  /* An unpaid sale holds no paid electronic payment (one paid too late is unattached and
   * refunded). Money taken at the till — cash, a member's card — for part of a sale stays
   * on it at the counter until the rest is paid or the sale is voided (which gives it back). */
  sql = g_strdup_printf ("SELECT count (*) FROM sale s WHERE s.state NOT IN ('paid', 'refunded')"
                         " AND EXISTS (SELECT 1 FROM payment p WHERE p.sale_id = s.id"
                         "   AND p.state = 'paid' AND p.method NOT IN ('cash', 'stored_value')%s)",
                         attached_sql);
  g_assert_cmpint (count (db, sql), ==, 0);
  if (has_unattached)
    {
      /* A payment its sale could not take is paid and refunded in full, with its audit line. */
      out->unattached = (guint) count (db, "SELECT count (*) FROM payment WHERE unattached = 1");
      g_assert_cmpint (count (db, "SELECT count (*) FROM payment p WHERE p.unattached = 1"
                                  " AND (p.state <> 'paid' OR p.amount_fen <>"
                                  "  (SELECT coalesce (sum (f.amount_fen), 0) FROM refund f"
                                  "   WHERE f.payment_id = p.id AND f.state = 'success'))"), ==, 0);
      g_assert_cmpint (count (db, "SELECT count (*) FROM audit WHERE action = 'late_payment_refund'"),
                       ==, out->unattached);
    }
  out->sales = (guint) count (db, "SELECT count (*) FROM sale");
  out->sales_paid = (guint) count (db, "SELECT count (*) FROM sale WHERE state = 'paid'");
  out->sales_refunded = (guint) count (db, "SELECT count (*) FROM sale WHERE state = 'refunded'");

  g_free (sql);
  sql = g_strdup_printf ("SELECT p.id, p.sale_id, p.method, p.amount_fen, p.out_trade_no, p.state,"
                         " s.state, %s FROM payment p JOIN sale s ON s.id = p.sale_id ORDER BY p.id",
                         has_unattached ? "p.unattached" : "0");
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PayRow *r = g_new0 (PayRow, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->sale_id = sqlite3_column_int64 (stmt, 1);
      r->method = col_dup (stmt, 2);
      r->amount = sqlite3_column_int64 (stmt, 3);
      r->out_trade_no = col_dup (stmt, 4);
      r->state = col_dup (stmt, 5);
      r->sale_state = col_dup (stmt, 6);
      r->unattached = sqlite3_column_int (stmt, 7) != 0;
      r->provider = provider_of_method (r->method);
      g_ptr_array_add (pays, r);
      if (r->out_trade_no != NULL)
        g_hash_table_insert (by_trade, r->out_trade_no, r);
      out->payments++;
      if (g_str_equal (r->state, "paid"))
        out->paid++;
      else if (g_str_equal (r->state, "failed"))
        out->failed++;
      else if (g_str_equal (r->state, "reversed"))
        out->reversed++;
      else if (g_str_equal (r->state, "closed"))
        out->closed++;
      if (g_str_equal (r->method, "stored_value"))
        out->stored_value_payments++;
      else if (!g_str_equal (r->method, "cash"))
        {
          out->by[r->provider].payments++;
          if (g_str_equal (r->state, "paid"))
            {
              out->by[r->provider].paid++;
              out->by[r->provider].till_net_fen += r->amount;
              out->till_net_fen += r->amount;
            }
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT f.out_refund_no, f.amount_fen, f.state, p.method FROM refund f"
    " JOIN payment p ON p.id = f.payment_id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *state = (const char *) sqlite3_column_text (stmt, 2);
      const char *method = (const char *) sqlite3_column_text (stmt, 3);
      gboolean cash = g_str_equal (method, "cash") || g_str_equal (method, "stored_value");

      out->refunds++;
      if (g_str_equal (state, "success"))
        {
          out->refunds_success++;
          if (!cash)
            {
              TillSlowProvider p = provider_of_method (method);

              out->by[p].refunds_success++;
              out->by[p].till_net_fen -= sqlite3_column_int64 (stmt, 1);
              out->till_net_fen -= sqlite3_column_int64 (stmt, 1);
              g_hash_table_insert (till_refunds, col_dup (stmt, 0),
                                   GINT_TO_POINTER ((gint) sqlite3_column_int64 (stmt, 1)));
            }
        }
      else
        out->refunds_failed++;
    }
  sqlite3_finalize (stmt);
  if (count (db, "SELECT count (*) FROM pragma_table_info ('sale') WHERE name = 'kind'") > 0)
    check_members (db, out);
  sqlite3_close (db);

  ledger = till_test_paysim_get_ledger (sim, &error);
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);
      const char *no = json_object_get_string_member (o, "out_trade_no");

      if (no != NULL && g_str_has_prefix (no, prefix))
        g_hash_table_insert (orders, (gpointer) no, o);
    }

  /* Every order of this till, from the provider's side. */
  g_hash_table_iter_init (&iter, orders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *o = value;
      PayRow *r = g_hash_table_lookup (by_trade, key);
      gint64 charged = json_object_get_int_member (o, "charged");
      JsonArray *refunds = json_object_get_array_member (o, "refunds");
      const char *provider_name = json_object_get_string_member_with_default (o, "provider",
                                                                              "wechat");
      TillSlowProvider provider = g_str_equal (provider_name, "alipay") ? TILL_SLOW_ALIPAY
                                                                        : TILL_SLOW_WECHAT;
      TillSlowProviderBooks *pb = &out->by[provider];

      out->orders++;
      pb->orders++;
      out->ledger_net_fen += json_object_get_int_member (o, "net");
      pb->ledger_net_fen += json_object_get_int_member (o, "net");
      if (json_object_get_boolean_member (o, "reversed_after_payment"))
        {
          out->orders_returned++;
          pb->orders_returned++;
        }
      if (order_open (o))
        {
          out->orders_open++;
          pb->orders_open++;
        }
      if (r == NULL)
        g_error ("order %s at %s is unknown to the till", (const char *) key, provider_name);
      if (r->provider != provider)
        g_error ("order %s is at %s but its payment %" G_GINT64_FORMAT " is %s",
                 (const char *) key, provider_name, r->id, r->method);
      if (charged > 0)
        {
          gint64 *sale = g_new (gint64, 1);
          guint n;

          out->orders_charged++;
          pb->orders_charged++;
          if (!g_str_equal (r->state, "paid"))
            g_error ("order %s is charged (%s) but its payment %" G_GINT64_FORMAT " is %s",
                     (const char *) key, json_object_get_string_member (o, "state"), r->id, r->state);
          g_assert_cmpint (charged, ==, r->amount);
          if (r->unattached)
            /* Its sale could not take it: refunded in full (checked above, and the
             * ledger's refunds below). */
            g_free (sale);
          else
            {
              if (!g_str_equal (r->sale_state, "paid") && !g_str_equal (r->sale_state, "refunded"))
                g_error ("order %s is charged but sale %" G_GINT64_FORMAT " is %s",
                         (const char *) key, r->sale_id, r->sale_state);
              *sale = r->sale_id;
              n = GPOINTER_TO_UINT (g_hash_table_lookup (charged_per_sale, sale)) + 1;
              if (n > 1)
                g_error ("sale %" G_GINT64_FORMAT " is charged %u times", r->sale_id, n);
              g_hash_table_replace (charged_per_sale, sale, GUINT_TO_POINTER (n));
            }
        }
      else if (g_str_equal (r->state, "paid"))
        g_error ("payment %" G_GINT64_FORMAT " (%s) is paid in the till but not charged (%s)",
                 r->id, (const char *) key, json_object_get_string_member (o, "state"));
      for (guint j = 0; j < json_array_get_length (refunds); j++)
        {
          JsonObject *lr = json_array_get_object_element (refunds, j);
          const char *rno = json_object_get_string_member (lr, "out_refund_no");
          gpointer amount;

          if (!g_hash_table_lookup_extended (till_refunds, rno, NULL, &amount))
            g_error ("refund %s at the provider is not a successful refund in the till", rno);
          g_assert_cmpint (GPOINTER_TO_INT (amount), ==, json_object_get_int_member (lr, "amount"));
          g_assert_cmpstr (json_object_get_string_member (lr, "status"), ==,
                           provider == TILL_SLOW_ALIPAY ? "REFUND_SUCCESS" : "SUCCESS");
          g_hash_table_remove (till_refunds, rno);
        }
    }
  /* Every paid electronic payment is an order charged in full (checked above when found). */
  for (guint i = 0; i < pays->len; i++)
    {
      PayRow *r = g_ptr_array_index (pays, i);

      if (g_str_equal (r->state, "paid") && !g_str_equal (r->method, "cash")
          && !g_str_equal (r->method, "stored_value")
          && g_hash_table_lookup (orders, r->out_trade_no) == NULL)
        g_error ("payment %" G_GINT64_FORMAT " (%s) is paid but unknown to the provider", r->id,
                 r->out_trade_no);
    }
  if (g_hash_table_size (till_refunds) > 0)
    {
      g_hash_table_iter_init (&iter, till_refunds);
      g_hash_table_iter_next (&iter, &key, NULL);
      g_error ("refund %s is successful in the till but unknown to the provider",
               (const char *) key);
    }
  for (guint p = 0; p < TILL_SLOW_N_PROVIDERS; p++)
    if (out->by[p].till_net_fen != out->by[p].ledger_net_fen)
      g_error ("%s: the till's net %" G_GINT64_FORMAT " fen is not the ledger's %"
               G_GINT64_FORMAT " fen", till_slow_provider_name (p), out->by[p].till_net_fen,
               out->by[p].ledger_net_fen);
  g_assert_cmpint (out->till_net_fen, ==, out->ledger_net_fen);
}

void
till_slow_sale_moved_on (const char *db_path,
                         gint64      sale_id,
                         gboolean    cash)
{
  g_autofree char *sql = NULL;
  gint64 now = g_get_real_time ();
  sqlite3 *db = NULL;
  char *err = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (cash)
    sql = g_strdup_printf ("BEGIN;"
                           "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state,"
                           "  created_at, updated_at, detail_json)"
                           " SELECT id, 'cash', total_fen, NULL, 'paid', %" G_GINT64_FORMAT ", %"
                           G_GINT64_FORMAT ", '{\"tendered_fen\":' || total_fen || ',\"change_fen\":0}'"
                           " FROM sale WHERE id = %" G_GINT64_FORMAT " AND state = 'open';"
                           "UPDATE sale SET state = 'paid', closed_at = %" G_GINT64_FORMAT
                           " WHERE id = %" G_GINT64_FORMAT " AND state = 'open';"
                           "COMMIT;", now, now, sale_id, now, sale_id);
  else
    sql = g_strdup_printf ("UPDATE sale SET state = 'voided', closed_at = %" G_GINT64_FORMAT
                           " WHERE id = %" G_GINT64_FORMAT " AND state = 'open'", now, sale_id);
  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("moving sale %" G_GINT64_FORMAT " on: %s", sale_id, err);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* ---------------------------------------------------------------- the driver */

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *lines;
  TillSlowLineFunc  func;
  gpointer          data;
  GPtrArray        *all;
  gboolean          eof;
  gboolean          exited;
  gboolean          timed_out;
} Run;

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, &error);

  if (line == NULL)
    {
      run->eof = TRUE;
      return;
    }
  g_ptr_array_add (run->all, g_strdup (line));
  if (run->func != NULL && run->func (line, run->data))
    g_subprocess_send_signal (run->proc, SIGKILL);
  g_data_input_stream_read_line_async (run->lines, G_PRIORITY_DEFAULT, NULL, line_cb, run);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  run->exited = TRUE;
}

static gboolean
run_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timed_out = TRUE;
  g_subprocess_force_exit (run->proc);
  return G_SOURCE_REMOVE;
}

int
till_slow_run_driver (const char *const *args,
                      const char        *crash_at,
                      const char        *log_path,
                      guint              limit_s,
                      TillSlowLineFunc   line_func,
                      gpointer           line_data,
                      char            ***out_lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *exe = g_getenv ("TILL_PAY_DRIVER");
  Run run = { 0 };
  guint timer;
  int status;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (crash_at != NULL)
    g_subprocess_launcher_setenv (launcher, "TILLPOINT_CRASH_AT", crash_at, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TILLPOINT_CRASH_AT");
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "", TRUE);
  {
    /* Appends: the crashed run and the resumed run share one log. */
    g_autoptr(GFile) file = g_file_new_for_path (log_path);
    g_autoptr(GFileOutputStream) stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
  }
  {
    int fd = open (log_path, O_WRONLY | O_APPEND);
    g_assert_cmpint (fd, >=, 0);
    g_subprocess_launcher_take_stderr_fd (launcher, fd);
  }
  run.proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  run.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.proc));
  run.func = line_func;
  run.data = line_data;
  run.all = g_ptr_array_new_with_free_func (g_free);
  g_data_input_stream_read_line_async (run.lines, G_PRIORITY_DEFAULT, NULL, line_cb, &run);
  g_subprocess_wait_async (run.proc, NULL, wait_cb, &run);
  timer = g_timeout_add_seconds (limit_s, run_timeout_cb, &run);
  while (!run.exited || !run.eof)
    g_main_context_iteration (NULL, TRUE);
  if (!run.timed_out)
    g_source_remove (timer);
  g_assert_false (run.timed_out);
  status = g_subprocess_get_status (run.proc);
  g_ptr_array_add (run.all, NULL);
  if (out_lines != NULL)
    *out_lines = (char **) g_ptr_array_free (g_steal_pointer (&run.all), FALSE);
  else
    g_ptr_array_unref (run.all);
  g_object_unref (run.lines);
  g_object_unref (run.proc);
  return status;
}

char *
till_slow_tail (const char *path,
                guint       n)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint len, from;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  lines = g_strsplit (text, "\n", -1);
  len = g_strv_length (lines);
  from = len > n ? len - n : 0;
  return g_strjoinv ("\n", lines + from);
}
