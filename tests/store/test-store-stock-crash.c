/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Receivings and stocktakes under SIGKILL: a child process (this binary, run with
 * --crash-child) records receivings (3 lines) and stocktakes (3 products counted) one
 * after the other and tells us on a pipe after each commit. We kill it mid-stream, many
 * times, and check the reopened file: integrity; every receiving with all its lines and
 * moves, every stocktake with all its lines, a move per variance and its approval in the
 * audit log, and no move without its document (all of it or none); every level equal to
 * the ledger's sum and to the documents' own sum (received + variances); and the number of
 * documents the acknowledged ones or one more (the one in flight). */
#define G_LOG_DOMAIN "test-store-stock-crash"

#include "config.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

#include "store-test-util.h"
#include "till-store-stock.h"

#define ROUNDS     40
#define N_PRODUCTS 3

static char *self_exe;

/* ---------------------------------------------------------------- the child */

static int
child_main (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);

  if (store == NULL)
    g_error ("child: %s", error->message);
  for (guint i = 0;; i++)
    {
      g_autofree char *text = NULL;
      ssize_t length;
      gint64 id;

      if (i % 2 == 0)
        {
          TillReceivingLine lines[N_PRODUCTS];

          for (guint p = 0; p < N_PRODUCTS; p++)
            lines[p] = (TillReceivingLine) { p + 1, (p + 1) * 1000 + (i % 5) * 1000, 100 + p };
          id = till_store_receive (store, "Crash Supplier", "crash", lines, N_PRODUCTS, &error);
          text = g_strdup_printf ("R%" G_GINT64_FORMAT "\n", id);
        }
      else
        {
          TillCountLine lines[N_PRODUCTS];

          for (guint p = 0; p < N_PRODUCTS; p++)
            lines[p] = (TillCountLine) { p + 1, (i % 7) * 1000 + p * 500 };
          id = till_store_stocktake (store, "crash", "manager", lines, N_PRODUCTS, &error);
          text = g_strdup_printf ("S%" G_GINT64_FORMAT "\n", id);
        }
      if (id <= 0)
        g_error ("child: %s", error->message);
      length = (ssize_t) strlen (text);
      if (write (STDOUT_FILENO, text, (size_t) length) != length)
        _exit (3);
    }
  return 0;
}

/* ---------------------------------------------------------------- the parent */

static void
setup (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);

  g_assert_no_error (error);
  for (guint p = 0; p < N_PRODUCTS; p++)
    {
      g_autofree char *name = g_strdup_printf ("商品 %u", p + 1);
      g_autofree char *plu = g_strdup_printf ("%u", p + 1);
      TillProduct product = { 0, NULL, plu, name, 500, (char *) "件", FALSE, TRUE, FALSE };

      g_assert_cmpint (till_store_upsert_product (store, &product, &error), ==, p + 1);
      g_assert_no_error (error);
    }
}

/* Runs a child until it acknowledged `n_acks` documents, kills it. */
static void
run_and_kill (const char *path,
              guint       n_acks)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  const char *argv[] = { self_exe, "--crash-child", path, NULL };
  GPid pid = 0;
  int out_fd = -1, status = 0;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  raw = g_unix_input_stream_new (out_fd, TRUE);
  in = g_data_input_stream_new (raw);
  for (guint acks = 0; acks < n_acks; acks++)
    {
      g_autofree char *text = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      if (text == NULL)
        g_error ("the child ended before %u acknowledgements", n_acks);
    }
  /* mid-stream: the child is writing the next document right now */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (pid);
}

/* Returns the number of documents (receivings + stocktakes) in the file. */
static gint64
check_after_crash (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autofree char *integrity = NULL;

  g_assert_no_error (error);
  integrity = store_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  /* Every receiving whole: its 3 lines and 3 moves. */
  g_assert_cmpint (store_int (store,
    "SELECT count (*) FROM receiving r"
    " WHERE (SELECT count (*) FROM receiving_line WHERE receiving_id = r.id) <> 3"
    "    OR (SELECT count (*) FROM stock_move WHERE kind = 'receiving'"
    "          AND reference = 'R' || r.id) <> 3"), ==, 0);
  /* Every stocktake whole: its 3 lines, a move per variance, its approval. */
  g_assert_cmpint (store_int (store,
    "SELECT count (*) FROM stocktake s"
    " WHERE (SELECT count (*) FROM stocktake_line WHERE stocktake_id = s.id) <> 3"
    "    OR (SELECT count (*) FROM stock_move WHERE kind = 'stocktake'"
    "          AND reference = 'S' || s.id)"
    "       <> (SELECT count (*) FROM stocktake_line WHERE stocktake_id = s.id"
    "             AND variance_milli <> 0)"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit"
                                     " WHERE action = 'approve:stocktake'"), ==,
                   store_int (store, "SELECT count (*) FROM stocktake"));
  /* No move without its document, no line without its head. */
  g_assert_cmpint (store_int (store,
    "SELECT count (*) FROM stock_move m"
    " WHERE NOT EXISTS (SELECT 1 FROM receiving r WHERE m.reference = 'R' || r.id)"
    "   AND NOT EXISTS (SELECT 1 FROM stocktake s WHERE m.reference = 'S' || s.id)"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM receiving_line WHERE receiving_id"
                                     " NOT IN (SELECT id FROM receiving)"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM stocktake_line WHERE stocktake_id"
                                     " NOT IN (SELECT id FROM stocktake)"), ==, 0);

  /* Levels: the store's, the ledger's sum, and the documents' own sum agree. */
  for (gint64 p = 1; p <= N_PRODUCTS; p++)
    {
      g_autofree char *ledger_sql = g_strdup_printf (
        "SELECT COALESCE (SUM (qty_milli), 0) FROM stock_move WHERE product_id = %"
        G_GINT64_FORMAT, p);
      g_autofree char *docs_sql = g_strdup_printf (
        "SELECT (SELECT COALESCE (SUM (qty_milli), 0) FROM receiving_line"
        "         WHERE product_id = %" G_GINT64_FORMAT ")"
        "     + (SELECT COALESCE (SUM (variance_milli), 0) FROM stocktake_line"
        "         WHERE product_id = %" G_GINT64_FORMAT ")", p, p);
      gint64 level = G_MININT64;

      g_assert_true (till_store_stock_level (store, p, &level, &error));
      g_assert_no_error (error);
      g_assert_cmpint (level, ==, store_int (store, ledger_sql));
      g_assert_cmpint (level, ==, store_int (store, docs_sql));
    }
  return store_int (store, "SELECT (SELECT count (*) FROM receiving)"
                           " + (SELECT count (*) FROM stocktake)");
}

static void
test_under_kill (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  gint64 documents = 0;
  guint in_flight_committed = 0;

  setup (dir->path);
  for (guint round = 0; round < ROUNDS; round++)
    {
      guint n_acks = 1 + g_test_rand_int_range (0, 30);
      gint64 now;

      run_and_kill (dir->path, n_acks);
      now = check_after_crash (dir->path);
      /* Every acknowledged document survived. The child does not wait for the parent
       * after an acknowledgement, so under load it may have committed a few more before
       * the kill landed (seen on a loaded CI run: 171 for 165 acknowledged). */
      g_assert_cmpint (now, >=, documents + n_acks);
      if (now > documents + n_acks)
        in_flight_committed++;
      documents = now;
    }
  g_test_message ("%u rounds, %" G_GINT64_FORMAT " documents; %u times more than the acknowledged"
                  " had committed before the kill", ROUNDS, documents, in_flight_committed);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_strcmp0 (argv[1], "--crash-child") == 0)
    return child_main (argv[2]);

  self_exe = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/stock/receive-and-count-under-sigkill", test_under_kill);
  return g_test_run ();
}
