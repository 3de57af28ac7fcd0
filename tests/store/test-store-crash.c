/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety: a child process (this binary, run with --crash-child) builds a cart and
 * saves after every change, telling us on a pipe after each committed save; we SIGKILL it
 * mid-stream and check that the reopened database has every acknowledged line, intact,
 * with consistent totals, and passes PRAGMA integrity_check. */
#define G_LOG_DOMAIN "test-store-crash"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

#include "store-test-util.h"

#define TILL_ID "crash-till"
#define MAX_LINES 100000

static char *self_exe;

/* ---------------------------------------------------------------- the lines */

/* Line i is fully determined by i, so the parent can check every field. */
static TillSaleLine *
expected_line (guint i)
{
  g_autofree char *name = g_strdup_printf ("商品 %u", i);
  g_autofree char *barcode = g_strdup_printf ("69%011u", i);

  switch (i % 3)
    {
    case 0:
      return till_sale_line_new (0, barcode, name, "瓶", 100 + i, 1000 * (1 + i % 4),
                                 FALSE);
    case 1:
      return till_sale_line_new (0, NULL, name, "kg", 698, 123 + i, TRUE);
    default:
      return till_sale_line_new_fixed_total (0, barcode, name, "kg", 3380, 500 + i);
    }
}

static void
assert_line_intact (TillSaleLine *line,
                    guint         i)
{
  g_autoptr(TillSaleLine) expected = expected_line (i);

  g_assert_cmpint (till_sale_line_get_product_id (line), ==,
                   till_sale_line_get_product_id (expected));
  g_assert_cmpstr (till_sale_line_get_barcode (line), ==, till_sale_line_get_barcode (expected));
  g_assert_cmpstr (till_sale_line_get_name (line), ==, till_sale_line_get_name (expected));
  g_assert_cmpstr (till_sale_line_get_unit (line), ==, till_sale_line_get_unit (expected));
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, till_sale_line_get_qty_milli (expected));
  g_assert_cmpint (till_sale_line_get_unit_price_fen (line), ==,
                   till_sale_line_get_unit_price_fen (expected));
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==,
                   till_sale_line_get_line_total_fen (expected));
  g_assert_cmpint (till_sale_line_get_weighed (line), ==, till_sale_line_get_weighed (expected));
  g_assert_cmpint (till_sale_line_get_fixed_total (line), ==,
                   till_sale_line_get_fixed_total (expected));
}

/* ---------------------------------------------------------------- the child */

static void
ack (guint n_lines)
{
  char buffer[32];
  int length = g_snprintf (buffer, sizeof buffer, "%u\n", n_lines);

  if (write (STDOUT_FILENO, buffer, (size_t) length) != length)
    _exit (3);
}

static guint child_outstanding;

static void
child_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  guint n_lines = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;

  if (!till_store_save_sale_finish (TILL_STORE (source), result, &error))
    g_error ("child: save failed: %s", error->message);
  child_outstanding--;
  ack (n_lines);
}

static int
child_main (const char *path,
            const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autoptr(TillSale) sale = NULL;
  gboolean async = g_strcmp0 (mode, "async") == 0;

  if (store == NULL)
    g_error ("child: %s", error->message);
  sale = till_store_load_open_sale (store, TILL_ID, &error);
  if (error != NULL)
    g_error ("child: %s", error->message);
  if (sale == NULL)
    {
      g_autofree char *number = till_store_next_sale_number (store, till_store_now_us (), &error);
      if (number == NULL)
        g_error ("child: %s", error->message);
      sale = till_sale_new (number);
    }

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (sale)); i < MAX_LINES; i++)
    {
      g_autoptr(TillSaleLine) line = expected_line (i);

      if (till_sale_add_line (sale, line, &error) != i)
        g_error ("child: line %u: %s", i, error ? error->message : "merged");
      if (async)
        {
          till_store_save_sale_async (store, sale, "crash", TILL_ID, NULL, child_saved_cb,
                                      GUINT_TO_POINTER (i + 1));
          child_outstanding++;
          /* a cashier is not faster than the disk for long: keep a few saves queued */
          while (child_outstanding > 3)
            g_main_context_iteration (NULL, TRUE);
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
      else
        {
          if (!till_store_save_sale (store, sale, "crash", TILL_ID, &error))
            g_error ("child: save failed: %s", error->message);
          ack (i + 1);
        }
    }
  return 0;
}

/* ---------------------------------------------------------------- the parent */

/* Runs a child until it has acknowledged `n_acks` saves, kills it; returns the number of
 * lines the last acknowledged save held. */
static guint
run_and_kill (const char *path,
              const char *mode,
              guint       n_acks)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  const char *argv[] = { self_exe, "--crash-child", path, mode, NULL };
  GPid pid = 0;
  int out_fd = -1, status = 0;
  guint acked_lines = 0;

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
      acked_lines = (guint) g_ascii_strtoull (text, NULL, 10);
    }

  /* mid-stream: the child is saving the next change right now */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_spawn_close_pid (pid);
  return acked_lines;
}

static guint
check_after_crash (const char *path,
                   guint       at_least)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *sql = NULL;
  gint64 sum = 0;
  guint n;

  g_assert_no_error (error);
  integrity = store_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  sale = till_store_load_open_sale (store, TILL_ID, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sale);
  n = g_list_model_get_n_items (G_LIST_MODEL (sale));
  g_test_message ("acknowledged %u lines, found %u", at_least, n);
  g_assert_cmpuint (n, >=, at_least);

  for (guint i = 0; i < n; i++)
    {
      TillSaleLine *line = till_sale_get_line (sale, i);

      assert_line_intact (line, i);
      sum += till_sale_line_get_line_total_fen (line);
    }
  /* the stored total is the one of the stored lines: one transaction per save */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, sum);
  sql = g_strdup_printf ("SELECT (SELECT total_fen FROM sale WHERE id = %" G_GINT64_FORMAT ")"
                         " = (SELECT coalesce (sum (line_total_fen), 0) FROM sale_line"
                         "    WHERE sale_id = %" G_GINT64_FORMAT ")",
                         till_sale_get_id (sale), till_sale_get_id (sale));
  g_assert_cmpint (store_int (store, sql), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 1);
  return n;
}

static void
run_crash_series (const char *mode)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  const guint series[] = { 1, 2, 7, 25, 60, 3, 120 };
  guint have = 0;

  for (guint k = 0; k < G_N_ELEMENTS (series); k++)
    {
      guint acked = run_and_kill (dir->path, mode, series[k]);

      /* each child goes on from the lines it found */
      g_assert_cmpuint (acked, ==, have + series[k]);
      have = check_after_crash (dir->path, acked);
    }
}

static void
test_crash_sync_saves (void)
{
  run_crash_series ("sync");
}

static void
test_crash_async_saves (void)
{
  run_crash_series ("async");
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_strcmp0 (argv[1], "--crash-child") == 0)
    return child_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_exe);

  g_test_add_func ("/store/crash/sync-saves", test_crash_sync_saves);
  g_test_add_func ("/store/crash/async-saves", test_crash_async_saves);

  return g_test_run ();
}
