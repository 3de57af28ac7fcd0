/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmarks' shop database: a million products, a year of sales, the shop's people. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include "till-bench-shop.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "till-barcode.h"
#include "till-bench-stats.h"
#include "till-people.h"
#include "till-store-private.h"
#include "till-store.h"

/* Bump when what the generator writes changes: the cache is then made again. */
#define SHOP_VERSION 1

static const char *const brands[] = {
  "康师傅", "统一", "农夫山泉", "可口可乐", "百事", "伊利", "蒙牛", "旺旺", "乐事", "奥利奥",
  "娃哈哈", "雀巢", "海天", "老干妈", "金龙鱼", "三只松鼠", "良品铺子", "青岛", "雪花", "长城",
  "银鹭", "好丽友", "达利园", "洽洽", "白象", "今麦郎", "光明", "维达", "心相印", "清风",
};
static const char *const flavours[] = {
  "", "原味", "香辣", "麻辣", "番茄", "烧烤", "黄瓜", "芝士", "草莓", "柠檬", "海盐", "红烧",
};
static const char *const kinds[] = {
  "牛肉面", "矿泉水", "绿茶", "冰红茶", "纯牛奶", "酸奶", "薯片", "饼干", "瓜子", "酱油",
  "食用油", "啤酒", "干红", "八宝粥", "面包", "巧克力", "纸巾", "洗衣液", "牙膏", "火腿肠",
  "果汁", "汽水", "方便粥", "蛋卷",
};
static const char *const sizes[] = { "ml", "g", "袋装", "L", "kg", "盒装" };
static const char *const units[] = { "件", "瓶", "包", "盒", "袋", "罐" };

void
till_bench_shop_product_code (guint64 i,
                              char    out[14])
{
  int check;

  g_snprintf (out, 14, "69%010" G_GUINT64_FORMAT,
              (i * 7919 + 12345) % G_GUINT64_CONSTANT (10000000000));
  check = till_barcode_gs1_check_digit (out, 12);
  g_assert (check >= 0 && check <= 9);
  out[12] = (char) ('0' + check);
  out[13] = '\0';
}

static void
die_on_error (const char *prog,
              GError     *error,
              const char *what)
{
  if (error != NULL)
    {
      g_printerr ("%s: %s: %s\n", prog, what, error->message);
      exit (1);
    }
}

static void
die_on_sqlite (const char *prog,
               sqlite3    *db,
               int         rc,
               const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr ("%s: %s: %s\n", prog, what, sqlite3_errmsg (db));
      exit (1);
    }
}

static sqlite3_stmt *
prepare (const char *prog,
         sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  die_on_sqlite (prog, db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), sql);
  return stmt;
}

static void
step_reset (const char   *prog,
            sqlite3      *db,
            sqlite3_stmt *stmt,
            const char   *what)
{
  die_on_sqlite (prog, db, sqlite3_step (stmt), what);
  sqlite3_reset (stmt);
}

/* The products, each through the store's own upsert (its search keys too). */
static void
add_products (const char *prog,
              TillStore  *store,
              GRand      *rand,
              gint64     *prices)
{
  g_autoptr(GError) error = NULL;
  gint64 start = till_bench_now_ns ();

  till_store_lock (store);
  till_store_begin (store, &error);
  die_on_error (prog, error, "BEGIN");
  for (guint i = 0; i < TILL_BENCH_SHOP_PRODUCTS; i++)
    {
      char code[14];
      g_autofree char *name = g_strdup_printf (
          "%s%s%s %d%s", brands[g_rand_int_range (rand, 0, G_N_ELEMENTS (brands))],
          flavours[g_rand_int_range (rand, 0, G_N_ELEMENTS (flavours))],
          kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))],
          g_rand_int_range (rand, 1, 100) * 5, sizes[g_rand_int_range (rand, 0, G_N_ELEMENTS (sizes))]);
      TillProduct product = {
        .barcode = code, .name = name, .price_fen = g_rand_int_range (rand, 50, 20000),
        .unit = (char *) units[i % G_N_ELEMENTS (units)], .active = TRUE,
      };

      till_bench_shop_product_code (i, code);
      prices[i] = product.price_fen;
      if (till_store_upsert_product (store, &product, &error) == 0)
        die_on_error (prog, error, "upsert a product");
      if (i % 200000 == 199999)
        g_print ("  %u products (%.0f s)\n", i + 1, (till_bench_now_ns () - start) / 1e9);
    }
  till_store_commit (store, &error);
  die_on_error (prog, error, "COMMIT");
  till_store_unlock (store);
}

/* A year of sales up to yesterday: lines of random products at their price, one payment or
 * a split of cash and a code, 3 % voided, 1 % half refunded. Rows as the till writes them. */
static void
add_sales (const char   *prog,
           TillStore    *store,
           GRand        *rand,
           const gint64 *prices)
{
  static const char *const methods[] = { "cash", "wechat_code", "wechat_native", "alipay_code" };
  static const char *const cashiers[] = { TILL_BENCH_SHOP_CASHIER, "小李", TILL_BENCH_SHOP_MANAGER };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (today),
                                                         g_date_time_get_month (today),
                                                         g_date_time_get_day_of_month (today), 0, 0, 0);
  g_autoptr(GDateTime) first = g_date_time_add_days (midnight, -TILL_BENCH_SHOP_DAYS);
  sqlite3_stmt *sale, *line, *payment, *refund;
  gint64 sale_id = 0, payment_id = 0, n_lines = 0, t0 = till_bench_now_ns ();
  sqlite3 *db;

  till_store_lock (store);
  db = till_store_get_db (store);
  till_store_begin (store, &error);
  die_on_error (prog, error, "BEGIN");
  sale = prepare (prog, db,
                  "INSERT INTO sale (id, number, opened_at, closed_at, state, total_fen, cashier,"
                  " till_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'till-1')");
  line = prepare (prog, db,
                  "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
                  " qty_milli, unit_price_fen, line_total_fen)"
                  " SELECT ?1, ?2, id, barcode, name, unit, ?3, price_fen, ?4 FROM product"
                  " WHERE barcode = ?5");
  payment = prepare (prog, db,
                     "INSERT INTO payment (id, sale_id, method, amount_fen, out_trade_no, state,"
                     " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'paid', ?6, ?6)");
  refund = prepare (prog, db,
                    "INSERT INTO refund (payment_id, out_refund_no, amount_fen, state, created_at,"
                    " updated_at) VALUES (?1, ?2, ?3, 'success', ?4, ?4)");

  for (int day = 0; day < TILL_BENCH_SHOP_DAYS; day++)
    {
      g_autoptr(GDateTime) d = g_date_time_add_days (first, day);
      g_autofree char *ymd = g_date_time_format (d, "%Y%m%d");
      gint64 open_us = (g_date_time_to_unix (d) + 8 * 3600) * G_USEC_PER_SEC;

      for (int i = 0; i < TILL_BENCH_SHOP_SALES_PER_DAY; i++)
        {
          char number[32];
          gint64 at = open_us + (gint64) i * (14 * 3600 / TILL_BENCH_SHOP_SALES_PER_DAY) * G_USEC_PER_SEC;
          int n = g_rand_int_range (rand, 1, 8), outcome = g_rand_int_range (rand, 0, 100);
          guint drawn[8];
          gint64 qty[8], total = 0;

          sale_id++;
          g_snprintf (number, sizeof number, "%s-%04d", ymd, i + 1);
          for (int l = 0; l < n; l++)
            {
              drawn[l] = (guint) g_rand_int_range (rand, 0, TILL_BENCH_SHOP_PRODUCTS);
              qty[l] = g_rand_int_range (rand, 1, 4) * 1000;
              total += prices[drawn[l]] * qty[l] / 1000;
            }
          sqlite3_bind_int64 (sale, 1, sale_id);
          sqlite3_bind_text (sale, 2, number, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (sale, 3, at - 60 * G_USEC_PER_SEC);
          sqlite3_bind_int64 (sale, 4, at);
          sqlite3_bind_text (sale, 5, outcome < 3 ? "voided" : "paid", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (sale, 6, total);
          sqlite3_bind_text (sale, 7, cashiers[i % G_N_ELEMENTS (cashiers)], -1, SQLITE_STATIC);
          step_reset (prog, db, sale, "a sale");
          for (int l = 0; l < n; l++)
            {
              char code[14];

              till_bench_shop_product_code (drawn[l], code);
              sqlite3_bind_int64 (line, 1, sale_id);
              sqlite3_bind_int (line, 2, l);
              sqlite3_bind_int64 (line, 3, qty[l]);
              sqlite3_bind_int64 (line, 4, prices[drawn[l]] * qty[l] / 1000);
              sqlite3_bind_text (line, 5, code, -1, SQLITE_TRANSIENT);
              step_reset (prog, db, line, "a line");
              if (sqlite3_changes (db) != 1)
                {
                  g_printerr ("%s: product %s not found for a line\n", prog, code);
                  exit (1);
                }
            }
          n_lines += n;
          if (outcome < 3)
            continue;
          for (int part = 0; part < (outcome >= 95 ? 2 : 1); part++)
            {
              const char *method = outcome >= 95 ? methods[part] : methods[outcome % 4];
              gint64 amount = outcome >= 95 ? (part == 0 ? total / 2 : total - total / 2) : total;
              char trade_no[40];

              if (amount <= 0)
                continue;
              payment_id++;
              g_snprintf (trade_no, sizeof trade_no, "T%s%07" G_GINT64_FORMAT, ymd, payment_id);
              sqlite3_bind_int64 (payment, 1, payment_id);
              sqlite3_bind_int64 (payment, 2, sale_id);
              sqlite3_bind_text (payment, 3, method, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (payment, 4, amount);
              if (g_str_equal (method, "cash"))
                sqlite3_bind_null (payment, 5);
              else
                sqlite3_bind_text (payment, 5, trade_no, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int64 (payment, 6, at);
              step_reset (prog, db, payment, "a payment");
            }
          if (outcome == 50)
            {
              char refund_no[32];

              g_snprintf (refund_no, sizeof refund_no, "R%" G_GINT64_FORMAT, payment_id);
              sqlite3_bind_int64 (refund, 1, payment_id);
              sqlite3_bind_text (refund, 2, refund_no, -1, SQLITE_TRANSIENT);
              sqlite3_bind_int64 (refund, 3, MAX (1, total / 2));
              sqlite3_bind_int64 (refund, 4, at + 600 * G_USEC_PER_SEC);
              step_reset (prog, db, refund, "a refund");
            }
        }
    }
  sqlite3_finalize (sale);
  sqlite3_finalize (line);
  sqlite3_finalize (payment);
  sqlite3_finalize (refund);
  till_store_commit (store, &error);
  die_on_error (prog, error, "COMMIT");
  till_store_unlock (store);
  g_print ("  %" G_GINT64_FORMAT " sales, %" G_GINT64_FORMAT " lines, %" G_GINT64_FORMAT
           " payments in %.0f s\n", sale_id, n_lines, payment_id, (till_bench_now_ns () - t0) / 1e9);
}

/* The shop's people: a manager and two cashiers with PINs (the PBKDF2 count of a real till). */
static void
add_people (const char *prog,
            TillStore  *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPeople) people = till_people_new (store);

  if (till_people_add (people, TILL_BENCH_SHOP_MANAGER, TILL_ROLE_MANAGER,
                       TILL_BENCH_SHOP_MANAGER_PIN, "setup", &error) == 0
      || till_people_add (people, TILL_BENCH_SHOP_CASHIER, TILL_ROLE_CASHIER,
                          TILL_BENCH_SHOP_CASHIER_PIN, TILL_BENCH_SHOP_MANAGER, &error) == 0
      || till_people_add (people, "小李", TILL_ROLE_CASHIER, "2345", TILL_BENCH_SHOP_MANAGER,
                          &error) == 0)
    die_on_error (prog, error, "add the shop's people");
}

static void
generate (const char *prog,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261203);
  g_autofree gint64 *prices = g_new (gint64, TILL_BENCH_SHOP_PRODUCTS);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  gint64 start = till_bench_now_ns ();

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  store = till_store_open (path, &error);
  die_on_error (prog, error, "cannot create the shop database");
  till_store_lock (store);
  till_store_exec_literal (till_store_get_db (store), "PRAGMA cache_size = -262144", NULL);
  till_store_unlock (store);

  add_products (prog, store, rand, prices);
  add_sales (prog, store, rand, prices);
  add_people (prog, store);
  till_store_lock (store);
  till_store_exec_literal (till_store_get_db (store), "ANALYZE", NULL);
  till_store_unlock (store);
  g_clear_object (&store); /* the last connection: checkpoints and removes the WAL */
  g_print ("made the shop database in %.0f s\n", (till_bench_now_ns () - start) / 1e9);
}

static gboolean
usable (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) cached = till_store_open (path, &error);
  sqlite3_stmt *stmt = NULL;
  gint64 sales = -1;

  if (cached == NULL)
    {
      g_print ("the cached shop %s is not usable (%s)\n", path, error->message);
      return FALSE;
    }
  if (till_store_count_products (cached, NULL) != TILL_BENCH_SHOP_PRODUCTS)
    return FALSE;
  till_store_lock (cached);
  if (sqlite3_prepare_v2 (till_store_get_db (cached), "SELECT count(*) FROM sale", -1, &stmt,
                          NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    sales = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  till_store_unlock (cached);
  return sales == (gint64) TILL_BENCH_SHOP_DAYS * TILL_BENCH_SHOP_SALES_PER_DAY;
}

char *
till_bench_shop_ensure (const char *prog,
                        const char *cache_dir)
{
  g_autofree char *name = g_strdup_printf ("shop-v%d-schema%d.db", SHOP_VERSION,
                                           TILL_STORE_SCHEMA_VERSION);
  g_autofree char *path = g_build_filename (cache_dir, name, NULL);
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);

  g_mkdir_with_parents (cache_dir, 0755);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && usable (path))
    {
      g_print ("using the cached shop database %s\n", path);
      return g_steal_pointer (&path);
    }
  g_print ("making the shop database %s (once: about ten minutes)...\n", path);
  generate (prog, tmp);
  if (g_rename (tmp, path) != 0)
    {
      g_printerr ("%s: cannot rename %s: %s\n", prog, tmp, g_strerror (errno));
      exit (1);
    }
  return g_steal_pointer (&path);
}

char *
till_bench_shop_copy (const char *prog,
                      const char *cached,
                      const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (cached);
  g_autofree char *db = g_build_filename (dir, "tillpoint.db", NULL);
  g_autoptr(GFile) to = g_file_new_for_path (db);
  static const char *const sidecars[] = { "-wal", "-shm", "-journal" };

  g_mkdir_with_parents (dir, 0755);
  g_unlink (db);
  for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++)
    {
      g_autofree char *side = g_strconcat (db, sidecars[i], NULL);

      g_unlink (side);
    }
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    die_on_error (prog, error, "copy the shop database");
  return g_steal_pointer (&db);
}
