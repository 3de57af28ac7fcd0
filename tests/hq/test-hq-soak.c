/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's soak test (issue 19, "Done when"): 20 tills — 20 processes
 * (till-hq-soak-till), each with its own data directory, SQLite file and settings, 5 stores
 * × 4 tills, TILL_HQ_SOAK_PARALLEL (default 5) at once — each make TILL_HQ_SOAK_SALES sales
 * through TillCheckout (cash, WeChat Pay and Alipay payment codes against one shared
 * tillpoint-paysim, splits, voids, full and partial refunds) while their own TillHqSync
 * sends to a private PostgreSQL server. The tills reach it over TCP on 127.0.0.1 through
 * this test's own proxy (a GSocketService forwarding to the server's Unix socket, on a
 * thread of its own), so that the test can cut the network. While they sell, by the
 * tills' progress: the server is killed (SIGKILL to the postmaster and all its processes)
 * and started again 2 s later; the network is cut for 5 s (every connection dropped, new
 * ones accepted and never answered, then closed at the heal); the server is killed and
 * started again once more.
 *
 * At the end every till's outbox holds no head-office job that is not done (none dead);
 * per till, the head office holds exactly the till's closed sales, their lines, payments
 * and refunds (counts and sums: no row twice, none missing); and for every day the tills
 * sold on, per store and in total, every figure of `tillpoint-hq report --format=csv` (the
 * real program) equals the sum of the tills' own `tillpoint --report --format=csv` (the
 * real program, spawned on each data directory): totals, methods, refunds by method,
 * hours, products, cashiers, discounts, and the voids and refunds listed one by one; the
 * stores' lines equal their tills' totals.
 *
 * Runtime, measured on the shared 2-core machine (loaded by other builds): the default, the
 * issue's 20 tills × 1,000 sales (20,000), 380 s (354 s to sell and send, 10 s to check
 * 6,756 figures); 20 × 500, 199 s. TILL_HQ_SOAK_SALES (at least 100) makes a run shorter
 * or longer and keeps the 20 tills and the chaos, e.g.
 *   TILL_HQ_SOAK_SALES=200 meson test -C _build hq-soak -v
 * A failed run keeps the tills' data directories (the test says where). */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "till-pg-server.h"
#include "till-soak-proxy.h"
#include "till-hq.h"
#include "till-money.h"
#include "till-report.h"
#include "till-test-paysim.h"

#define N_STORES 5
#define TILLS_PER_STORE 4
#define N_TILLS (N_STORES * TILLS_PER_STORE)

static TillPgServer *server;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* ---------------------------------------------------------------- the tills */

typedef struct
{
  char *store_id;
  char *till_id;
  char *dir;
  GSubprocess *process;
  guint sold;
  guint paid, voided, refunds; /* as it says when done */
  gboolean done;    /* said "done" */
  gboolean exited;
  int status;
  GString *out;
} Till;

typedef struct
{
  Till tills[N_TILLS];
  guint next;        /* the next till to start */
  guint running;
  guint finished;
  guint parallel;
  guint sales;
  const char *hq_url;
  TillTestPaysim *sim;
  TillSoakProxy *proxy;
  guint phase;       /* the chaos: 0 kill, 1 heal, 2 cut, 3 heal, 4 kill, 5 heal, 6 done */
  guint heal_id;
  gint64 phase_at[6]; /* monotonic µs of each event */
} Soak;

static guint
total_sold (Soak *soak)
{
  guint n = 0;

  for (guint i = 0; i < N_TILLS; i++)
    n += soak->tills[i].sold;
  return n;
}

static void start_next (Soak *soak);
static void chaos_step (Soak *soak);

static void
read_line_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Till *till = data;
  Soak *soak = g_object_get_data (source, "soak");
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                    result, NULL, NULL);

  if (line == NULL)
    {
      g_object_unref (source);
      return;
    }
  g_string_append_printf (till->out, "%s\n", line);
  if (g_str_has_prefix (line, "sold "))
    till->sold = (guint)g_ascii_strtoull (line + 5, NULL, 10);
  else if (g_str_has_prefix (line, "done "))
    {
      till->done = TRUE;
      g_assert_cmpint (sscanf (line, "done %u %u %u %u", &till->sold, &till->paid, &till->voided,
                               &till->refunds),
                       ==, 4);
    }
  chaos_step (soak);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, till);
}

static void
exited_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Soak *soak = data;
  Till *till = g_object_get_data (source, "till");

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  till->exited = TRUE;
  till->status = g_subprocess_get_status (G_SUBPROCESS (source));
  soak->running--;
  soak->finished++;
  if (!g_subprocess_get_if_exited (G_SUBPROCESS (source)) || till->status != 0)
    g_error ("till %s/%s ended with status %d; it said:\n%s", till->store_id, till->till_id,
             till->status, till->out->str);
  start_next (soak);
}

static void
start_next (Soak *soak)
{
  while (soak->running < soak->parallel && soak->next < N_TILLS)
    {
      Till *till = &soak->tills[soak->next];
      g_autoptr (GSubprocessLauncher) launcher
          = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autofree char *sales = g_strdup_printf ("%u", soak->sales);
      g_autofree char *seed = g_strdup_printf ("%u", 1000 + soak->next);
      g_autoptr (GError) error = NULL;
      GDataInputStream *lines;
      const char *argv[] = { g_getenv ("TILL_HQ_SOAK_TILL"), "--data-dir", till->dir,
                             "--store", till->store_id, "--till", till->till_id,
                             "--hq-url", soak->hq_url,
                             "--sim-url", till_test_paysim_get_base_url (soak->sim),
                             "--sim-dir", till_test_paysim_get_state_dir (soak->sim),
                             "--sales", sales, "--seed", seed, "--limit-s", "1500", NULL };

      till->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      g_object_set_data (G_OBJECT (till->process), "till", till);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (till->process));
      g_object_set_data (G_OBJECT (lines), "soak", soak);
      g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_line_cb, till);
      g_subprocess_wait_async (till->process, NULL, exited_cb, soak);
      soak->next++;
      soak->running++;
    }
}

static gboolean
heal_timeout_cb (gpointer data)
{
  Soak *soak = data;
  g_autoptr (GError) error = NULL;

  soak->heal_id = 0;
  if (soak->phase == 1 || soak->phase == 5)
    {
      g_assert_true (till_pg_server_start (server, &error));
      g_assert_no_error (error);
      g_test_message ("the server is started again");
    }
  else
    {
      guint proxied, refused, dropped, held;

      till_soak_proxy_heal (soak->proxy);
      till_soak_proxy_get_counts (soak->proxy, &proxied, &refused, &dropped, &held);
      g_test_message ("the network is back: %u connections were dropped, %u held unanswered",
                      dropped, held);
    }
  soak->phase_at[soak->phase] = g_get_monotonic_time ();
  soak->phase++;
  chaos_step (soak);
  return G_SOURCE_REMOVE;
}

/* The chaos, by the tills' progress: at 10 % of the sales the server is killed (started
 * again 2 s later), at 35 % the network is cut for 5 s, at 60 % the server is killed again
 * (each step after the previous one healed). */
static void
chaos_step (Soak *soak)
{
  static const guint percent[] = { 10, 0, 35, 0, 60, 0 };
  guint planned = soak->sales * N_TILLS;
  g_autoptr (GError) error = NULL;

  if (soak->phase >= 6 || soak->heal_id != 0 || percent[soak->phase] == 0
      || total_sold (soak) * 100 < percent[soak->phase] * planned)
    return;
  soak->phase_at[soak->phase] = g_get_monotonic_time ();
  if (soak->phase == 2)
    {
      guint proxied, refused, dropped, held;

      till_soak_proxy_cut (soak->proxy);
      till_soak_proxy_get_counts (soak->proxy, &proxied, &refused, &dropped, &held);
      g_test_message ("the network is cut after %u sales (%u connections dropped)",
                      total_sold (soak), dropped);
      soak->heal_id = g_timeout_add (5000, heal_timeout_cb, soak);
    }
  else
    {
      g_assert_true (till_pg_server_kill_hard (server, &error));
      g_assert_no_error (error);
      g_test_message ("the server is killed (SIGKILL) after %u sales", total_sold (soak));
      soak->heal_id = g_timeout_add (2000, heal_timeout_cb, soak);
    }
  soak->phase++;
}

/* ---------------------------------------------------------------- the books */

static gint64
pg_int (PGconn *conn, const char *sql)
{
  PGresult *result = PQexec (conn, sql);
  gint64 value;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return value;
}

static gint64
till_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* What the head office holds of a till equals the till's own rows. */
static void
check_rows (PGconn *conn, Till *till, GHashTable *dates)
{
  g_autofree char *path = g_build_filename (till->dir, "tillpoint.db", NULL);
  static const struct
  {
    const char *what;
    const char *till_sql;
    const char *hq_sql; /* %s: store, %s: till */
  } checks[] = {
    { "closed sales", "SELECT count(*) FROM sale WHERE state NOT IN ('open', 'suspended')",
      "SELECT count(*) FROM sale WHERE store_id = '%s' AND till_id = '%s'" },
    { "their totals", "SELECT sum(total_fen) FROM sale WHERE state NOT IN ('open', 'suspended')",
      "SELECT sum(total_fen) FROM sale WHERE store_id = '%s' AND till_id = '%s'" },
    { "paid sales", "SELECT count(*) FROM sale WHERE state = 'paid'",
      "SELECT count(*) FROM sale WHERE store_id = '%s' AND till_id = '%s' AND state = 'paid'" },
    { "their lines",
      "SELECT count(*) FROM sale_line l JOIN sale s ON s.id = l.sale_id"
      " WHERE s.state NOT IN ('open', 'suspended')",
      "SELECT count(*) FROM sale_line WHERE store_id = '%s' AND till_id = '%s'" },
    { "payments", "SELECT count(*) FROM payment",
      "SELECT count(*) FROM payment WHERE store_id = '%s' AND till_id = '%s'" },
    { "payments' amounts", "SELECT sum(amount_fen) FROM payment WHERE state = 'paid'",
      "SELECT sum(amount_fen) FROM payment WHERE store_id = '%s' AND till_id = '%s'"
      " AND state = 'paid'" },
    { "refunds", "SELECT count(*) FROM refund",
      "SELECT count(*) FROM refund WHERE store_id = '%s' AND till_id = '%s'" },
    { "refunds' amounts", "SELECT sum(amount_fen) FROM refund WHERE state = 'success'",
      "SELECT sum(amount_fen) FROM refund WHERE store_id = '%s' AND till_id = '%s'"
      " AND state = 'success'" },
    { "cash movements", "SELECT count(*) FROM cash_movement",
      "SELECT count(*) FROM cash_movement WHERE store_id = '%s' AND till_id = '%s'" },
    { "stock moves", "SELECT count(*) FROM stock_move",
      "SELECT count(*) FROM stock_move WHERE store_id = '%s' AND till_id = '%s'" },
  };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* the outbox: every head-office job done, none dead, none waiting */
  g_assert_cmpint (till_int (db, "SELECT count(*) FROM outbox WHERE kind = 'hq_sync'"
                                 " AND state <> 'done'"),
                   ==, 0);
  g_assert_cmpint (till_int (db, "SELECT count(*) FROM outbox WHERE kind = 'hq_sync'"), >, 0);
  /* the books are final: nothing left in between at the till */
  g_assert_cmpint (till_int (db, "SELECT count(*) FROM refund WHERE state <> 'success'"), ==, 0);
  g_assert_cmpint (till_int (db, "SELECT count(*) FROM payment WHERE state NOT IN"
                                 " ('paid', 'reversed', 'closed', 'failed')"),
                   ==, 0);
  g_assert_cmpint (till_int (db, "SELECT count(*) FROM refund"), >, 0);
  g_assert_cmpint (till_int (db, "SELECT count(*) FROM sale WHERE state = 'voided'"), >, 0);
  for (guint c = 0; c < G_N_ELEMENTS (checks); c++)
    {
      g_autofree char *hq_sql = g_strdup_printf (checks[c].hq_sql, till->store_id, till->till_id);
      gint64 own = till_int (db, checks[c].till_sql), at_hq = pg_int (conn, hq_sql);

      if (own != at_hq)
        g_error ("till %s/%s: %s: %" G_GINT64_FORMAT " at the till, %" G_GINT64_FORMAT
                 " at head office",
                 till->store_id, till->till_id, checks[c].what, own, at_hq);
    }
  /* the local days it sold or refunded on (TZ is the test's) */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT date(closed_at / 1000000, 'unixepoch', 'localtime')"
                                       " FROM sale WHERE closed_at IS NOT NULL"
                                       " UNION SELECT date(created_at / 1000000, 'unixepoch',"
                                       " 'localtime') FROM refund",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (dates, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* ---------------------------------------------------------------- the reports */

/* A report's figures, read from its CSV: the sums by (section, entry, detail) — count or
 * quantity (thousandths) and amount — and the rows listed one by one (the voids and the
 * refunds) as a multiset. */
typedef struct
{
  GHashTable *sums;   /* key → gint64[2] */
  GHashTable *events; /* row → count */
  GHashTable *stores; /* "section|store id" → gint64[2] (the head office's lines) */
  gint64 average;     /* the average ticket as the report says it (not a sum) */
} Figures;

static Figures *
figures_new (void)
{
  Figures *f = g_new0 (Figures, 1);

  f->sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return f;
}

static void
figures_free (Figures *f)
{
  g_hash_table_unref (f->sums);
  g_hash_table_unref (f->events);
  g_hash_table_unref (f->stores);
  g_free (f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Figures, figures_free)

/* "12.50" → 1250 (`scale` 100), "1.250" → 1250 (`scale` 1000), "3" → 300 or 3000. */
static gint64
parse_decimal (const char *text, int scale)
{
  g_autofree char *plain = g_strdelimit (g_strdup (text), ",", ' ');
  g_auto (GStrv) parts = NULL;
  gint64 whole, frac = 0;
  gboolean negative;
  int digits = scale == 100 ? 2 : 3;

  g_strstrip (plain);
  {
    /* thousands separators gone */
    g_auto (GStrv) words = g_strsplit (plain, " ", -1);
    g_free (plain);
    plain = g_strjoinv ("", words);
  }
  if (*plain == '\0')
    return 0;
  negative = plain[0] == '-';
  parts = g_strsplit (negative ? plain + 1 : plain, ".", 2);
  whole = g_ascii_strtoll (parts[0], NULL, 10);
  if (parts[1] != NULL)
    {
      char buf[4] = "000";

      for (int i = 0; i < digits && parts[1][i] != '\0'; i++)
        buf[i] = parts[1][i];
      buf[digits] = '\0';
      frac = g_ascii_strtoll (buf, NULL, 10);
    }
  return (negative ? -1 : 1) * (whole * scale + frac);
}

/* Splits one CSV line of the report (every field quoted, "" inside). */
static GPtrArray *
csv_fields (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  while (*p != '\0')
    {
      GString *field = g_string_new (NULL);

      if (*p == '"')
        {
          p++;
          while (*p != '\0' && !(p[0] == '"' && p[1] != '"'))
            {
              if (p[0] == '"' && p[1] == '"')
                p++;
              g_string_append_c (field, *p++);
            }
          if (*p == '"')
            p++;
        }
      else
        while (*p != '\0' && *p != ',')
          g_string_append_c (field, *p++);
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*p == ',')
        p++;
    }
  return fields;
}

static void
add_sum (GHashTable *table, const char *key, gint64 qty, gint64 amount)
{
  gint64 *values = g_hash_table_lookup (table, key);

  if (values == NULL)
    {
      values = g_new0 (gint64, 2);
      g_hash_table_insert (table, g_strdup (key), values);
    }
  values[0] += qty;
  values[1] += amount;
}

/* Adds a report's CSV (the till's sales part: up to the first empty line, where its stock
 * sections would begin; the head office's store lines apart). */
static void
figures_add_csv (Figures *f, const char *csv)
{
  g_auto (GStrv) lines = NULL;

  if (g_str_has_prefix (csv, "\xEF\xBB\xBF"))
    csv += 3;
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_nonnull (lines[0]);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autoptr (GPtrArray) row = csv_fields (lines[i]);
      const char *section, *entry, *qty, *amount, *detail;
      g_autofree char *key = NULL;

      g_assert_cmpuint (row->len, ==, 5);
      section = row->pdata[0];
      entry = row->pdata[1];
      qty = row->pdata[2];
      amount = row->pdata[3];
      detail = row->pdata[4];
      if (g_str_equal (section, "Void") || g_str_equal (section, "Refund"))
        {
          gpointer n = g_hash_table_lookup (f->events, lines[i]);

          g_hash_table_insert (f->events, g_strdup (lines[i]), GSIZE_TO_POINTER (GPOINTER_TO_SIZE (n) + 1));
          continue;
        }
      if (g_str_has_prefix (section, "By store: "))
        {
          key = g_strdup_printf ("%s|%s", section, detail);
          add_sum (f->stores, key, parse_decimal (qty, 1000), parse_decimal (amount, 100));
          continue;
        }
      if (g_str_equal (section, "Totals") && g_str_equal (entry, "Average ticket"))
        {
          /* not a sum: checked against the summed gross and count */
          f->average = parse_decimal (amount, 100);
          continue;
        }
      key = g_strdup_printf ("%s|%s|%s", section, entry, detail);
      add_sum (f->sums, key, parse_decimal (qty, 1000), parse_decimal (amount, 100));
    }
}

static gint64 *
figure (Figures *f, const char *key)
{
  gint64 *values = g_hash_table_lookup (f->sums, key);

  g_assert_nonnull (values);
  return values;
}

/* Every figure of `hq` equals the sum's; returns how many were compared. */
static guint
assert_figures_equal (Figures *sum, Figures *hq, const char *what)
{
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_assert_cmpuint (g_hash_table_size (hq->sums), ==, g_hash_table_size (sum->sums));
  g_hash_table_iter_init (&iter, sum->sums);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 *own = value, *at_hq = g_hash_table_lookup (hq->sums, key);

      if (at_hq == NULL || at_hq[0] != own[0] || at_hq[1] != own[1])
        g_error ("%s: %s: the tills' sum is %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT
                 " fen, the head office says %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                 what, (const char *)key, own[0], own[1], at_hq ? at_hq[0] : -1,
                 at_hq ? at_hq[1] : -1);
      n++;
    }
  g_assert_cmpuint (g_hash_table_size (hq->events), ==, g_hash_table_size (sum->events));
  g_hash_table_iter_init (&iter, sum->events);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_hash_table_lookup (hq->events, key) != value)
        g_error ("%s: the row %s is %u times in the tills' reports, %u at head office", what,
                 (const char *)key, (guint)GPOINTER_TO_SIZE (value),
                 (guint)GPOINTER_TO_SIZE (g_hash_table_lookup (hq->events, key)));
      n++;
    }
  return n;
}

static char *
run_program (const char *const *argv, const char *hq_url)
{
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "TILLPOINT_HQ_URL", hq_url, TRUE);
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s: status %d: %s", argv[0], argv[1], status, err);
  return out;
}

static Figures *
till_report (Till *till, const char *date)
{
  g_autofree char *dir_arg = g_strdup_printf ("--data-dir=%s", till->dir);
  g_autofree char *date_arg = g_strdup_printf ("--report=%s", date);
  const char *argv[] = { g_getenv ("TILLPOINT"), dir_arg, date_arg, "--format=csv", NULL };
  g_autofree char *out = run_program (argv, "");
  Figures *f = figures_new ();

  figures_add_csv (f, out);
  return f;
}

static Figures *
hq_report (const char *hq_url, const char *date, const char *store_id)
{
  g_autofree char *date_arg = g_strdup_printf ("--date=%s", date);
  g_autofree char *store_arg = store_id ? g_strdup_printf ("--store=%s", store_id) : NULL;
  const char *argv[] = { g_getenv ("TILL_HQ_TOOL"), "report", date_arg, "--format=csv",
                         store_arg, NULL };
  g_autofree char *out = run_program (argv, hq_url);
  Figures *f = figures_new ();

  figures_add_csv (f, out);
  return f;
}

static void
merge (Figures *into, Figures *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from->sums);
  while (g_hash_table_iter_next (&iter, &key, &value))
    add_sum (into->sums, key, ((gint64 *)value)[0], ((gint64 *)value)[1]);
  g_hash_table_iter_init (&iter, from->events);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gpointer n = g_hash_table_lookup (into->events, key);

      g_hash_table_insert (into->events, g_strdup (key),
                           GSIZE_TO_POINTER (GPOINTER_TO_SIZE (n) + GPOINTER_TO_SIZE (value)));
    }
}

/* A store's line at head office equals its tills' totals. */
static void
assert_store_lines (Figures *hq, Figures *sum, const char *store_id)
{
  static const struct
  {
    const char *line;
    const char *total;
  } pairs[] = {
    { "By store: gross sales", "Totals|Gross sales|" },
    { "By store: refunds", "Totals|Refunds|" },
    { "By store: returns without receipt", "Totals|Returns without receipt|" },
    { "By store: net", "Totals|Net|" },
  };

  for (guint p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      g_autofree char *key = g_strdup_printf ("%s|%s", pairs[p].line, store_id);
      gint64 *line = g_hash_table_lookup (hq->stores, key);
      gint64 *total = figure (sum, pairs[p].total);

      g_assert_nonnull (line);
      g_assert_cmpint (line[1], ==, total[1]);
      if (p < 2)
        g_assert_cmpint (line[0], ==, total[0]);
    }
}

/* The head office's average ticket is the average of the tills' summed gross and count. */
static void
assert_average (Figures *hq, Figures *sum)
{
  gint64 *gross = figure (sum, "Totals|Gross sales|");

  g_assert_cmpint (hq->average, ==, till_report_average (gross[1], (guint)(gross[0] / 1000)));
}

/* ---------------------------------------------------------------- the test */

static guint
env_uint (const char *name, guint fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint)g_ascii_strtoull (value, NULL, 10) : fallback;
}

static void
test_soak (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillHq) hq = NULL;
  g_autoptr (TillTestPaysim) sim = NULL;
  g_autoptr (GHashTable) dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (PGconn) conn = NULL;
  g_autofree char *db_uri = NULL, *hq_url = NULL, *root = NULL;
  g_autoptr (GList) date_list = NULL;
  Soak soak = { 0 };
  gint64 started, sold_at;
  guint compared = 0;

  if (server == NULL)
    {
      g_test_skip ("PostgreSQL's server is not installed (Debian: apt-get install postgresql)");
      return;
    }
  soak.sales = MAX (env_uint ("TILL_HQ_SOAK_SALES", 1000), 100);
  soak.parallel = CLAMP (env_uint ("TILL_HQ_SOAK_PARALLEL", 5), 1, N_TILLS);

  db_uri = till_pg_server_new_database (server, "hq_soak", &error);
  g_assert_no_error (error);
  hq = till_hq_connect (db_uri, &error);
  g_assert_no_error (error);
  g_assert_true (till_hq_migrate (hq, TRUE, NULL, NULL, &error));
  for (guint s = 0; s < N_STORES; s++)
    {
      g_autofree char *id = g_strdup_printf ("S%u", s + 1);
      g_autofree char *name = g_strdup_printf ("第%u店", s + 1);

      g_assert_true (till_hq_add_store (hq, id, name, &error));
    }
  g_clear_object (&hq);

  sim = till_test_paysim_start (NULL, &error);
  g_assert_no_error (error);
  soak.sim = sim;
  {
    g_autofree char *socket = g_build_filename (till_pg_server_get_socket_dir (server),
                                                ".s.PGSQL.5432", NULL);

    soak.proxy = till_soak_proxy_new (socket);
  }
  hq_url = g_strdup_printf ("postgresql://till@127.0.0.1:%u/hq_soak", till_soak_proxy_get_port (soak.proxy));
  soak.hq_url = hq_url;
  root = g_dir_make_tmp ("till-hq-soak-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_TILLS; i++)
    {
      Till *till = &soak.tills[i];

      till->store_id = g_strdup_printf ("S%u", i / TILLS_PER_STORE + 1);
      till->till_id = g_strdup_printf ("T%u", i % TILLS_PER_STORE + 1);
      till->dir = g_strdup_printf ("%s/%s-%s", root, till->store_id, till->till_id);
      till->out = g_string_new (NULL);
    }

  /* the tills sell, the chaos happens; all of them done (or the test's timeout) */
  g_test_message ("%u tills x %u sales, %u at once, in %s (kept when the test fails)", N_TILLS,
                  soak.sales, soak.parallel, root);
  started = g_get_monotonic_time ();
  start_next (&soak);
  while (soak.finished < N_TILLS || soak.phase < 6)
    {
      if (soak.finished == N_TILLS && soak.heal_id == 0)
        g_error ("the tills were done before the chaos was (step %u)", soak.phase);
      g_main_context_iteration (NULL, TRUE);
    }
  sold_at = g_get_monotonic_time ();
  g_test_message ("sold and sent in %.1f s; the server killed at %.1f s and %.1f s, the network"
                  " cut at %.1f s",
                  (sold_at - started) / 1e6, (soak.phase_at[0] - started) / 1e6,
                  (soak.phase_at[4] - started) / 1e6, (soak.phase_at[2] - started) / 1e6);
  {
    guint paid = 0, voided = 0, refunds = 0;

    for (guint i = 0; i < N_TILLS; i++)
      {
        g_assert_true (soak.tills[i].done);
        paid += soak.tills[i].paid;
        voided += soak.tills[i].voided;
        refunds += soak.tills[i].refunds;
      }
    g_test_message ("%u sales: %u paid, %u voided; %u refunds", total_sold (&soak), paid, voided,
                    refunds);
  }
  {
    guint proxied, refused, dropped, held;

    /* the chaos reached the tills: connections refused while the server was down, dropped
     * and held by the cut */
    till_soak_proxy_get_counts (soak.proxy, &proxied, &refused, &dropped, &held);
    g_test_message ("connections: %u forwarded, %u refused, %u dropped, %u held", proxied,
                    refused, dropped, held);
    g_assert_cmpuint (dropped, >, 0);
    g_assert_cmpuint (held, >, 0);
    g_assert_cmpuint (refused, >, 0);
  }

  /* every row once at head office */
  conn = PQconnectdb (db_uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (guint i = 0; i < N_TILLS; i++)
    check_rows (conn, &soak.tills[i], dates);
  g_assert_cmpint (pg_int (conn, "SELECT count(*) FROM till"), ==, N_TILLS);
  g_test_message ("at head office: %" G_GINT64_FORMAT " sales, %" G_GINT64_FORMAT " lines, %"
                  G_GINT64_FORMAT " payments, %" G_GINT64_FORMAT " refunds",
                  pg_int (conn, "SELECT count(*) FROM sale"),
                  pg_int (conn, "SELECT count(*) FROM sale_line"),
                  pg_int (conn, "SELECT count(*) FROM payment"),
                  pg_int (conn, "SELECT count(*) FROM refund"));

  /* every figure of each day's report: per store and in total */
  date_list = g_list_sort (g_hash_table_get_keys (dates), (GCompareFunc)strcmp);
  for (GList *d = date_list; d != NULL; d = d->next)
    {
      const char *date = d->data;
      g_autoptr (Figures) all = figures_new ();
      g_autoptr (Figures) hq_all = hq_report (hq_url, date, NULL);

      for (guint s = 0; s < N_STORES; s++)
        {
          g_autofree char *store_id = g_strdup_printf ("S%u", s + 1);
          g_autoptr (Figures) store = figures_new ();
          g_autoptr (Figures) hq_store = hq_report (hq_url, date, store_id);
          g_autofree char *what = g_strdup_printf ("%s, store %s", date, store_id);

          for (guint t = 0; t < TILLS_PER_STORE; t++)
            {
              g_autoptr (Figures) own = till_report (&soak.tills[s * TILLS_PER_STORE + t], date);

              merge (store, own);
              merge (all, own);
            }
          compared += assert_figures_equal (store, hq_store, what);
          assert_store_lines (hq_store, store, store_id);
          assert_store_lines (hq_all, store, store_id);
          assert_average (hq_store, store);
        }
      compared += assert_figures_equal (all, hq_all, date);
      assert_average (hq_all, all);
    }
  g_assert_cmpuint (compared, >, 0);
  g_test_message ("%u figures compared over %u days; checked in %.1f s", compared,
                  g_list_length (date_list), (g_get_monotonic_time () - sold_at) / 1e6);

  till_soak_proxy_free (soak.proxy);
  for (guint i = 0; i < N_TILLS; i++)
    {
      Till *till = &soak.tills[i];
      g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", till->dir);

      g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
      g_clear_object (&till->process);
      g_string_free (till->out, TRUE);
      g_free (till->store_id);
      g_free (till->till_id);
      g_free (till->dir);
    }
  g_rmdir (root);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);

  server = till_pg_server_new_or_skip ();
  g_test_add_func ("/hq/soak/twenty-tills", test_soak);
  status = g_test_run ();
  till_pg_server_free (server);
  return status;
}
