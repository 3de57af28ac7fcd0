/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 挂单 / 取单 under SIGKILL: a child process (this binary, run with --crash-child) swaps two
 * sales of one till again and again — resuming the suspended one suspends the open one in
 * the same transaction — and tells us on a pipe after each committed swap which sale is
 * open. We kill it mid-stream, many times, and check the reopened file: integrity, exactly
 * one open and one suspended sale, each with all its lines and its total, the open one the
 * last acknowledged or the one the swap in flight made open (never both open, never both
 * suspended, never a line lost). */
#define G_LOG_DOMAIN "test-store-suspend-crash"

#include "config.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gunixinputstream.h>

#include "store-test-util.h"
#include "till-store-suspend.h"

#define TILL_ID "crash-till"
#define ROUNDS  50

static char *self_exe;

static void
add_line (TillSale   *sale,
          const char *name,
          gint64      price,
          gint64      qty_milli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, name, "件", price, qty_milli, FALSE);

  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
}

/* ---------------------------------------------------------------- the child */

static void
ack (const char *number)
{
  g_autofree char *text = g_strdup_printf ("%s\n", number);
  ssize_t length = (ssize_t) strlen (text);

  if (write (STDOUT_FILENO, text, (size_t) length) != length)
    _exit (3);
}

static int
child_main (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);

  if (store == NULL)
    g_error ("child: %s", error->message);
  for (;;)
    {
      g_autoptr(TillSale) current = till_store_load_open_sale (store, TILL_ID, &error);
      g_autoptr(GPtrArray) suspended = NULL;
      g_autoptr(TillSale) resumed = NULL;

      if (current == NULL)
        g_error ("child: no open sale: %s", error ? error->message : "none");
      suspended = till_store_list_suspended (store, TILL_ID, &error);
      if (suspended == NULL || suspended->len != 1)
        g_error ("child: not one suspended sale");
      resumed = till_store_resume_sale (store,
                                        ((TillSuspendedSale *) g_ptr_array_index (suspended, 0))->id,
                                        current, "crash", TILL_ID, NULL, &error);
      if (resumed == NULL)
        g_error ("child: resume failed: %s", error->message);
      ack (till_sale_get_number (resumed));
    }
  return 0;
}

/* ---------------------------------------------------------------- the parent */

typedef struct
{
  char *a;   /* 3 lines, ¥19.00 */
  char *b;   /* 2 lines, ¥6.00 */
} Sales;

static void
setup (const char *path,
       Sales      *sales)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autofree char *na = NULL;
  g_autofree char *nb = NULL;
  g_autoptr(TillSale) a = NULL;
  g_autoptr(TillSale) b = NULL;

  g_assert_no_error (error);
  na = till_store_next_sale_number_for_till (store, TILL_ID, till_store_now_us (), &error);
  a = till_sale_new (na);
  add_line (a, "可口可乐 500ml", 350, 2000);
  add_line (a, "面包", 1000, 1000);
  add_line (a, "矿泉水", 200, 1000);
  g_assert_true (till_store_save_sale (store, a, "crash", TILL_ID, &error));
  g_assert_true (till_store_suspend_sale (store, a, "crash", TILL_ID, &error));
  nb = till_store_next_sale_number_for_till (store, TILL_ID, till_store_now_us (), &error);
  b = till_sale_new (nb);
  add_line (b, "牛奶", 300, 2000);
  add_line (b, "茶叶蛋", 0, 1000);
  g_assert_true (till_store_save_sale (store, b, "crash", TILL_ID, &error));
  g_assert_no_error (error);
  sales->a = g_steal_pointer (&na);
  sales->b = g_steal_pointer (&nb);
}

/* Runs a child until it acknowledged `n_acks` swaps, kills it; returns the open sale's
 * number it acknowledged last (NULL: none). */
static char *
run_and_kill (const char *path,
              guint       n_acks)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  const char *argv[] = { self_exe, "--crash-child", path, NULL };
  char *last = NULL;
  GPid pid = 0;
  int out_fd = -1, status = 0;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  raw = g_unix_input_stream_new (out_fd, TRUE);
  in = g_data_input_stream_new (raw);
  for (guint acks = 0; acks < n_acks; acks++)
    {
      char *text = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      if (text == NULL)
        g_error ("the child ended before %u acknowledgements", n_acks);
      g_free (last);
      last = text;
    }
  /* mid-stream: the child is swapping again right now */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (pid);
  return last;
}

/* Returns the number of the open sale. */
static char *
check_after_crash (const char  *path,
                   const Sales *sales,
                   const char  *acked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autoptr(TillSale) open = NULL;
  g_autoptr(GPtrArray) suspended = NULL;
  g_autoptr(TillSale) other = NULL;
  g_autofree char *integrity = NULL;
  TillSale *a, *b;

  g_assert_no_error (error);
  integrity = store_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE state = 'open'"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE state = 'suspended'"), ==,
                   1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale"), ==, 2);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE state = 'suspended'"
                                     " AND suspended_at IS NULL"), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM sale WHERE state = 'open'"
                                     " AND suspended_at IS NOT NULL"), ==, 0);

  open = till_store_load_open_sale (store, TILL_ID, &error);
  g_assert_no_error (error);
  suspended = till_store_list_suspended (store, TILL_ID, &error);
  g_assert_no_error (error);
  other = till_store_load_sale (store, ((TillSuspendedSale *) g_ptr_array_index (suspended, 0))->id,
                                &error);
  g_assert_no_error (error);
  /* Whichever is open, each has all its lines and its total. */
  a = g_strcmp0 (till_sale_get_number (open), sales->a) == 0 ? open : other;
  b = a == open ? other : open;
  g_assert_cmpstr (till_sale_get_number (a), ==, sales->a);
  g_assert_cmpstr (till_sale_get_number (b), ==, sales->b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (a)), ==, 3);
  g_assert_cmpint (till_sale_get_total_fen (a), ==, 1900);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (b), ==, 600);
  g_assert_cmpint (store_int (store, "SELECT sum (total_fen) FROM sale"), ==, 2500);

  /* The audit log has one resume per committed swap and the setup's one suspend beside a
   * suspend per resume. */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'suspend_sale'"),
                   ==, store_int (store, "SELECT count(*) FROM audit WHERE action ="
                                         " 'resume_sale'") + 1);
  if (acked != NULL)
    {
      /* The last acknowledged swap, or the one in flight when the child died. */
      g_assert_true (g_strcmp0 (till_sale_get_number (open), acked) == 0
                     || g_strcmp0 (till_sale_get_number (other), acked) == 0);
    }
  return g_strdup (till_sale_get_number (open));
}

static void
test_swap_under_kill (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  Sales sales = { 0 };
  guint committed_changes = 0;

  setup (dir->path, &sales);
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *acked = run_and_kill (dir->path, 1 + g_test_rand_int_range (0, 40));
      g_autofree char *open = check_after_crash (dir->path, &sales, acked);

      if (g_strcmp0 (open, acked) != 0)
        committed_changes++;   /* the swap in flight had committed */
    }
  g_test_message ("%u rounds; %u times the swap in flight had committed before the kill",
                  ROUNDS, committed_changes);
  g_free (sales.a);
  g_free (sales.b);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_strcmp0 (argv[1], "--crash-child") == 0)
    return child_main (argv[2]);

  self_exe = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/suspend/swap-under-sigkill", test_swap_under_kill);
  return g_test_run ();
}
