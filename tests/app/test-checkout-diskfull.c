/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A full disk during a sale (issue 17), by SQLite's own I/O: a VFS of this test wraps the
 * default one and, on demand, fails every write once a byte budget is spent (SQLITE_FULL,
 * as a full disk does), whatever file it is (the database, its WAL). The checkout keeps
 * the sale on screen and says "The disk is full"; no sale, line or payment is half
 * written; nothing the cashier was told is paid is lost; selling resumes when space is
 * back. */
#define G_LOG_DOMAIN "test-checkout-diskfull"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "till-test-app.h"

#define COLA    "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS   "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define EGG_PLU "8001"            /* 茶叶蛋, ¥2.00 */

/* ---------------------------------------------------------------- the full disk */

/* Bytes that may still be written; < 0: no limit. */
static gint64 write_budget = -1;
static guint  n_refused;
static sqlite3_vfs *real_vfs;

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;  /* follows this struct in the same allocation */
} FullFile;

#define REAL(f) (((FullFile *) (f))->real)

static int
full_write (sqlite3_file *file,
            const void   *data,
            int           amount,
            sqlite3_int64 offset)
{
  gint64 budget = __atomic_load_n (&write_budget, __ATOMIC_SEQ_CST);

  if (budget >= 0)
    {
      if (budget < amount)
        {
          __atomic_store_n (&write_budget, 0, __ATOMIC_SEQ_CST);
          __atomic_add_fetch (&n_refused, 1, __ATOMIC_SEQ_CST);
          return SQLITE_FULL;
        }
      __atomic_store_n (&write_budget, budget - amount, __ATOMIC_SEQ_CST);
    }
  return REAL (file)->pMethods->xWrite (REAL (file), data, amount, offset);
}

static int
full_close (sqlite3_file *file)
{
  return REAL (file)->pMethods != NULL ? REAL (file)->pMethods->xClose (REAL (file))
                                       : SQLITE_OK;
}

static int
full_read (sqlite3_file *f, void *data, int amount, sqlite3_int64 offset)
{
  return REAL (f)->pMethods->xRead (REAL (f), data, amount, offset);
}

static int
full_truncate (sqlite3_file *f, sqlite3_int64 size)
{
  return REAL (f)->pMethods->xTruncate (REAL (f), size);
}

static int
full_sync (sqlite3_file *f, int flags)
{
  return REAL (f)->pMethods->xSync (REAL (f), flags);
}

static int
full_file_size (sqlite3_file *f, sqlite3_int64 *size)
{
  return REAL (f)->pMethods->xFileSize (REAL (f), size);
}

static int
full_lock (sqlite3_file *f, int lock)
{
  return REAL (f)->pMethods->xLock (REAL (f), lock);
}

static int
full_unlock (sqlite3_file *f, int lock)
{
  return REAL (f)->pMethods->xUnlock (REAL (f), lock);
}

static int
full_check_reserved_lock (sqlite3_file *f, int *out)
{
  return REAL (f)->pMethods->xCheckReservedLock (REAL (f), out);
}

static int
full_file_control (sqlite3_file *f, int op, void *arg)
{
  return REAL (f)->pMethods->xFileControl (REAL (f), op, arg);
}

static int
full_sector_size (sqlite3_file *f)
{
  return REAL (f)->pMethods->xSectorSize (REAL (f));
}

static int
full_device_characteristics (sqlite3_file *f)
{
  return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f));
}

static int
full_shm_map (sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
  return REAL (f)->pMethods->xShmMap (REAL (f), page, size, extend, out);
}

static int
full_shm_lock (sqlite3_file *f, int offset, int n, int flags)
{
  return REAL (f)->pMethods->xShmLock (REAL (f), offset, n, flags);
}

static void
full_shm_barrier (sqlite3_file *f)
{
  REAL (f)->pMethods->xShmBarrier (REAL (f));
}

static int
full_shm_unmap (sqlite3_file *f, int delete_flag)
{
  return REAL (f)->pMethods->xShmUnmap (REAL (f), delete_flag);
}

static int
full_fetch (sqlite3_file *f, sqlite3_int64 offset, int amount, void **out)
{
  return REAL (f)->pMethods->xFetch (REAL (f), offset, amount, out);
}

static int
full_unfetch (sqlite3_file *f, sqlite3_int64 offset, void *p)
{
  return REAL (f)->pMethods->xUnfetch (REAL (f), offset, p);
}

static const sqlite3_io_methods full_methods = {
  3,
  full_close, full_read, full_write, full_truncate, full_sync, full_file_size, full_lock,
  full_unlock, full_check_reserved_lock, full_file_control, full_sector_size,
  full_device_characteristics, full_shm_map, full_shm_lock, full_shm_barrier,
  full_shm_unmap, full_fetch, full_unfetch,
};

static int
full_open (sqlite3_vfs  *vfs,
           const char   *name,
           sqlite3_file *file,
           int           flags,
           int          *out_flags)
{
  FullFile *full = (FullFile *) file;
  int rc;

  full->real = (sqlite3_file *) (full + 1);
  memset (full->real, 0, real_vfs->szOsFile);
  rc = real_vfs->xOpen (real_vfs, name, full->real, flags, out_flags);
  /* SQLite calls xClose only when pMethods is set. */
  file->pMethods = full->real->pMethods != NULL ? &full_methods : NULL;
  return rc;
}

static sqlite3_vfs full_vfs;

static void
install_full_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  full_vfs = *real_vfs;
  full_vfs.zName = "till-test-full";
  full_vfs.szOsFile = sizeof (FullFile) + real_vfs->szOsFile;
  full_vfs.xOpen = full_open;
  full_vfs.pNext = NULL;
  /* The default: the store opens its database through it. */
  g_assert_cmpint (sqlite3_vfs_register (&full_vfs, 1), ==, SQLITE_OK);
}

static void
disk_full (gint64 budget)
{
  __atomic_store_n (&write_budget, budget, __ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------------- the books */

static gint64
db_int (TillTestApp *app,
        const char  *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Every paid sale whole: its lines sum to its total, one cash payment of it; no payment
 * without its sale paid; and the file itself whole. */
static void
assert_books_whole (TillTestApp *app)
{
  g_assert_cmpint (db_int (app, "SELECT count(*) FROM sale s WHERE state = 'paid' AND "
                                "total_fen <> (SELECT coalesce(sum(final_fen), 0) FROM "
                                "sale_line WHERE sale_id = s.id)"), ==, 0);
  g_assert_cmpint (db_int (app, "SELECT count(*) FROM sale s WHERE state = 'paid' AND "
                                "(SELECT count(*) FROM payment WHERE sale_id = s.id "
                                "AND state = 'paid') <> 1"), ==, 0);
  g_assert_cmpint (db_int (app, "SELECT count(*) FROM payment p JOIN sale s ON s.id = "
                                "p.sale_id WHERE s.state <> 'paid'"), ==, 0);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
paid_cb (TillCheckout *checkout,
         TillSale     *sale,
         GPtrArray    *acknowledged)
{
  g_ptr_array_add (acknowledged, g_strdup (till_sale_get_number (sale)));
}

static gboolean
sale_is_paid_in_db (TillTestApp *app,
                    const char  *number)
{
  g_autofree char *sql = NULL;

  /* The number is the till's own ("20261203-0001"): digits and a dash only. */
  g_assert_true (strspn (number, "0123456789-") == strlen (number));
  sql = g_strdup_printf ("SELECT count(*) FROM sale WHERE number = '%s' AND state = 'paid'",
                         number);
  return db_int (app, sql) == 1;
}

/* ---------------------------------------------------------------- the tests */

static void
test_full_during_sale (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *number = NULL;
  guint since;

  g_signal_connect (app->checkout, "sale-paid", G_CALLBACK (paid_cb), acknowledged);
  till_test_app_scan (app, COLA);
  till_test_app_scan (app, CHIPS);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  number = g_strdup (till_sale_get_number (sale));

  /* The disk fills up. */
  disk_full (0);
  since = app->messages->len;
  till_test_app_scan (app, EGG_PLU);
  g_assert_true (till_test_app_said_since (app, since, "The disk is full"));
  /* The sale stays on screen, with what was scanned. */
  g_assert_true (till_checkout_get_sale (app->checkout) == sale);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 3);

  since = app->messages->len;
  g_assert_true (till_checkout_pay_cash (app->checkout, 1300, 2000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_test_message ("said: %s", till_test_app_last_message (app));
  g_assert_true (till_test_app_said_since (app, since, "The disk is full"));
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  g_assert_true (till_checkout_get_sale (app->checkout) == sale);
  g_assert_cmpuint (acknowledged->len, ==, 0);
  g_assert_cmpuint (__atomic_load_n (&n_refused, __ATOMIC_SEQ_CST), >, 0);

  /* Nothing of it half written. */
  disk_full (-1);
  g_assert_cmpint (db_int (app, "SELECT count(*) FROM payment"), ==, 0);
  g_assert_cmpint (db_int (app, "SELECT count(*) FROM sale WHERE state = 'paid'"), ==, 0);
  assert_books_whole (app);

  /* Space is back: the same sale is paid, whole. */
  g_assert_true (till_checkout_pay_cash (app->checkout, 1300, 2000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
  g_assert_cmpuint (acknowledged->len, ==, 1);
  g_assert_true (sale_is_paid_in_db (app, number));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sale_line l JOIN sale s ON "
                                            "s.id = l.sale_id WHERE s.number = '%s'", number);

    g_assert_cmpint (db_int (app, sql), ==, 3);
  }
  assert_books_whole (app);

  /* And the next sale goes on. */
  till_test_app_scan (app, COLA);
  g_assert_true (till_checkout_pay_cash (app->checkout, 350, 500, &error));
  till_test_app_settle (app);
  g_assert_cmpuint (acknowledged->len, ==, 2);
  assert_books_whole (app);
}

/* The disk fills at every point of a sale's payment in turn (after 0, 4, 8, … 160 KiB
 * of it): each attempt is paid whole or not at all, and each sale the cashier was told is
 * paid is in the database, paid, after a restart. */
static void
test_full_at_every_point (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  guint n_failed = 0, n_paid_first = 0;

  g_signal_connect (app->checkout, "sale-paid", G_CALLBACK (paid_cb), acknowledged);
  for (gint64 budget = 0; budget <= 160 * 1024; budget += 4 * 1024)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TillSale) sale = NULL;
      gint64 due;

      till_test_app_scan (app, COLA);
      till_test_app_scan (app, EGG_PLU);
      sale = g_object_ref (till_checkout_get_sale (app->checkout));
      due = till_checkout_get_due_fen (app->checkout);

      disk_full (budget);
      g_assert_true (till_checkout_pay_cash (app->checkout, due, due, &error));
      g_assert_no_error (error);
      till_test_app_settle (app);
      disk_full (-1);
      assert_books_whole (app);

      if (till_sale_get_state (sale) == TILL_SALE_STATE_PAID)
        {
          n_paid_first++;
          continue;
        }
      n_failed++;
      g_assert_true (till_checkout_get_sale (app->checkout) == sale);
      g_assert_true (till_checkout_pay_cash (app->checkout, due, due, &error));
      g_assert_no_error (error);
      till_test_app_settle (app);
      g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_PAID);
      assert_books_whole (app);
    }
  g_test_message ("%u payments refused by the full disk, %u paid within the budget",
                  n_failed, n_paid_first);
  g_assert_cmpuint (n_failed, >, 0);
  g_assert_cmpuint (n_paid_first, >, 0);

  till_test_app_restart (app);
  for (guint i = 0; i < acknowledged->len; i++)
    g_assert_true (sale_is_paid_in_db (app, g_ptr_array_index (acknowledged, i)));
  g_assert_cmpint (db_int (app, "SELECT count(*) FROM sale WHERE state = 'paid'"), ==,
                   acknowledged->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The full disk is warned about at every refused write: logged, not fatal here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  install_full_vfs ();

  g_test_add_func ("/app/disk-full/during-sale", test_full_during_sale);
  g_test_add_func ("/app/disk-full/every-point", test_full_at_every_point);
  return g_test_run ();
}
