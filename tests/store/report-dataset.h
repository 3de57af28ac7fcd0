/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a sales dataset made with a fixed seed through the store's own APIs
 * (sales, cash, electronic payments, split tender, voids), on local days starting
 * 2026-11-20, with the store's clock moved to each sale's time. Refunds have no store
 * API yet: they are written as rows, as the refund flow will write them. */
#pragma once

#include "store-test-util.h"
#include "till-store-payments.h"

typedef struct
{
  gint64 now;
} DatasetClock;

static gint64
dataset_clock_cb (gpointer data)
{
  return ((DatasetClock *) data)->now;
}

static DatasetClock dataset_clock;

/* Local midnight of 2026-11-20 + `day` days, in µs. */
static inline gint64
dataset_day_start (int day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 11, 20 + day, 0, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static const struct
{
  const char *barcode;
  const char *name;
  gint64      price;
  gboolean    weighed;
} dataset_products[] = {
  { "6921168509256", "农夫山泉 550ml", 200, FALSE },
  { "6920202888883", "康师傅红烧牛肉面", 450, FALSE },
  { "6901028075831", "中华香烟(软)", 4500, FALSE },
  { "6923450656181", "旺仔牛奶 245ml", 550, FALSE },
  { "6902083886417", "娃哈哈AD钙奶", 250, FALSE },
  { "6954767410388", "可口可乐 330ml", 300, FALSE },
  { "6920459905012", "百岁山 570ml", 300, FALSE },
  { "6903148126622", "奥利奥饼干", 990, FALSE },
  { NULL, "香蕉", 698, TRUE },       /* per kg */
  { NULL, "五花肉", 3380, TRUE },
  { NULL, "苹果 富士", 1298, TRUE },
};

static const char *const dataset_cashiers[] = { "小王", "小李", "老张" };

static void
dataset_at (gint64 now)
{
  dataset_clock.now = now;
}

static TillSale *
dataset_new_sale (TillStore *store,
                  GRand     *rand,
                  gint64    *product_ids,
                  const char *cashier)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, dataset_clock.now, &error);
  TillSale *sale;
  int n_lines = g_rand_int_range (rand, 1, 7);

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, dataset_clock.now - 45 * G_USEC_PER_SEC);
  for (int i = 0; i < n_lines; i++)
    {
      guint p = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (dataset_products));
      g_autoptr(TillSaleLine) line = NULL;

      if (dataset_products[p].weighed)
        line = till_sale_line_new (product_ids[p], NULL, dataset_products[p].name, "kg",
                                   dataset_products[p].price,
                                   g_rand_int_range (rand, 150, 2500), TRUE);
      else
        line = till_sale_line_new (product_ids[p], dataset_products[p].barcode,
                                   dataset_products[p].name, "件", dataset_products[p].price,
                                   g_rand_int_range (rand, 1, 4) * 1000, FALSE);
      g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
    }
  g_assert_true (till_store_save_sale (store, sale, cashier, "till-1", &error));
  g_assert_no_error (error);
  return sale;
}

static void
dataset_pay_electronic (TillStore        *store,
                        TillSale         *sale,
                        TillPaymentMethod method,
                        gint64            amount,
                        gboolean          fail_first)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  g_autofree char *transaction_id = NULL;
  gint64 id;

  if (fail_first)
    {
      g_autofree char *failed_no = NULL;

      id = till_store_payment_begin (store, till_sale_get_id (sale), method, amount, "S01",
                                     "D01", "2222", dataset_clock.now, 0, &failed_no, &error);
      g_assert_no_error (error);
      g_assert_true (till_store_payment_update (store, id, TILL_PAYMENT_STATE_FAILED, NULL,
                                                "NOT_ENOUGH", &error));
      g_assert_no_error (error);
    }
  id = till_store_payment_begin (store, till_sale_get_id (sale), method, amount, "S01", "D01",
                                 "1234", dataset_clock.now, 0, &trade_no, &error);
  g_assert_no_error (error);
  transaction_id = g_strdup_printf ("42000%s", trade_no + 1);
  g_assert_true (till_store_payment_mark_paid (store, id, transaction_id, NULL, &error));
  g_assert_no_error (error);
}

/* Makes `per_day` sales on each of `n_days` days; returns the number of refunds written. */
G_GNUC_UNUSED static guint
dataset_generate (TillStore *store,
                  guint32    seed,
                  int        n_days,
                  int        per_day)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) paid = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 product_ids[G_N_ELEMENTS (dataset_products)];
  guint n_refunds = 0;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (0) + G_GINT64_CONSTANT (6) * 3600 * G_USEC_PER_SEC);
  /* the dataset is thrown away: no fsync per sale */
  till_store_lock (store);
  g_assert_true (till_store_exec_literal (till_store_get_db (store),
                                          "PRAGMA synchronous = OFF", NULL));
  till_store_unlock (store);

  for (guint p = 0; p < G_N_ELEMENTS (dataset_products); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *plu = g_strdup_printf ("%06u", 100001 + p);
      TillProduct product = {
        .barcode = (char *) dataset_products[p].barcode,
        .plu = dataset_products[p].weighed ? plu : NULL,
        .name = (char *) dataset_products[p].name,
        .price_fen = dataset_products[p].price,
        .unit = dataset_products[p].weighed ? "kg" : "件",
        .weighed = dataset_products[p].weighed,
        .active = TRUE,
      };

      product_ids[p] = till_store_upsert_product (store, &product, &error);
      g_assert_no_error (error);
    }

  for (int day = 0; day < n_days; day++)
    {
      gint64 start = dataset_day_start (day) + G_GINT64_CONSTANT (7) * 3600 * G_USEC_PER_SEC;
      gint64 span = G_GINT64_CONSTANT (15) * 3600 * G_USEC_PER_SEC;

      for (int i = 0; i < per_day; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(TillSale) sale = NULL;
          const char *cashier = dataset_cashiers[g_rand_int_range (rand, 0, 3)];
          gint64 total;
          int outcome = g_rand_int_range (rand, 0, 100);

          dataset_at (start + span / per_day * i + g_rand_int_range (rand, 0, 30) * G_USEC_PER_SEC);
          sale = dataset_new_sale (store, rand, product_ids, cashier);
          total = till_sale_get_total_fen (sale);

          if (outcome < 8)
            {
              g_assert_true (till_store_void_sale (store, sale, cashier, &error));
            }
          else if (outcome < 53)
            {
              gint64 tendered = (total + 9999) / 10000 * 10000;

              g_assert_true (till_store_complete_cash_sale (store, sale, tendered, &error));
            }
          else if (outcome < 83)
            dataset_pay_electronic (store, sale, TILL_PAYMENT_METHOD_WECHAT_CODE, total,
                                    outcome % 10 == 0);
          else if (outcome < 90)
            dataset_pay_electronic (store, sale, TILL_PAYMENT_METHOD_WECHAT_NATIVE, total, FALSE);
          else if (outcome < 92)
            dataset_pay_electronic (store, sale, TILL_PAYMENT_METHOD_ALIPAY_CODE, total,
                                    outcome == 91);
          else if (outcome < 95)
            dataset_pay_electronic (store, sale, TILL_PAYMENT_METHOD_ALIPAY_QR, total, FALSE);
          else if (total >= 2)
            {
              /* split tender: part cash, the rest by WeChat */
              gint64 cash = total / 2;

              g_assert_true (till_store_add_cash_payment (store, sale, cash, cash, &error));
              g_assert_no_error (error);
              dataset_pay_electronic (store, sale, TILL_PAYMENT_METHOD_WECHAT_CODE,
                                      total - cash, FALSE);
            }
          else
            g_assert_true (till_store_complete_cash_sale (store, sale, total, &error));
          g_assert_no_error (error);
          if (outcome >= 8)
            g_array_append_val (paid, (gint64) { till_sale_get_id (sale) });

          /* now and then a refund of an earlier sale (successful, or failed) */
          if (paid->len > 10 && g_rand_int_range (rand, 0, 100) < 5)
            {
              gint64 sale_id = g_array_index (paid, gint64,
                                              g_rand_int_range (rand, 0, (int) paid->len));
              g_autofree char *sql = NULL;
              gboolean success = g_rand_int_range (rand, 0, 10) > 0;
              gboolean full = g_rand_boolean (rand);

              sql = g_strdup_printf (
                "INSERT INTO refund (payment_id, out_refund_no, amount_fen, reason, state,"
                "  created_at, updated_at)"
                " SELECT id, 'R%u', CASE WHEN %d THEN amount_fen ELSE max (1, amount_fen / 3) END,"
                "  '顾客退货', '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                " FROM payment WHERE sale_id = %" G_GINT64_FORMAT " AND state = 'paid'"
                " ORDER BY id LIMIT 1",
                n_refunds + 1, full, success ? "success" : "failed", dataset_clock.now + 1,
                dataset_clock.now + 1, sale_id);
              till_store_lock (store);
              g_assert_true (till_store_exec_literal (till_store_get_db (store), sql, NULL));
              till_store_unlock (store);
              n_refunds++;
            }
        }
    }
  /* an open sale and a suspended one are in no figure */
  {
    g_autoptr(TillSale) open_sale = dataset_new_sale (store, rand, product_ids, "小王");
  }
  till_store_set_clock_for_testing (NULL, NULL);
  return n_refunds;
}
