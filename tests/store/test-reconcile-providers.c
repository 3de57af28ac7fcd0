/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reconciliation per provider on a real database: a day with WeChat Pay and Alipay
 * payments and refunds (and cash), each provider's bill reconciled with that provider's
 * payments alone — WeChat Pay's bill as the provider gives its rows, Alipay's 业务明细
 * through the real Alipay parser — every kind of difference with Alipay's bill, both
 * results stored apart and found by (day, provider). */
#define G_LOG_DOMAIN "test-reconcile-providers"

#include "config.h"

#include <string.h>

#include "report-dataset.h"
#include "till-alipay-bill.h"
#include "till-store-refunds.h"
#include "till-store-reports.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY  "2026-11-21"

#define WECHAT_METHODS (TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_CODE) \
                        | TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_NATIVE))
#define ALIPAY_METHODS (TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_ALIPAY_CODE) \
                        | TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_ALIPAY_QR))

typedef struct
{
  gint64  sale_id;
  gint64  payment_id;
  char   *out_trade_no;
} Paid;

static void
paid_free (Paid *p)
{
  g_free (p->out_trade_no);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Paid, paid_free)

/* A one-line sale of amount_fen paid by `method`, at the dataset clock. */
static Paid *
sell (TillStore         *store,
      TillPaymentMethod  method,
      gint64             amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, dataset_clock.now, &error);
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "散装糖果", "件", amount_fen,
                                                     1000, FALSE);
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(GPtrArray) payments = NULL;
  Paid *p = g_new0 (Paid, 1);
  TillPaymentRecord *record;

  till_sale_set_opened_at (sale, dataset_clock.now);
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  g_assert_true (till_store_save_sale (store, sale, "小王", "till-1", &error));
  g_assert_no_error (error);
  dataset_pay_electronic (store, sale, method, amount_fen, FALSE);
  payments = till_store_list_sale_payments (store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  record = g_ptr_array_index (payments, payments->len - 1);
  p->sale_id = till_sale_get_id (sale);
  p->payment_id = record->id;
  p->out_trade_no = g_strdup (record->out_trade_no);
  return p;
}

/* A refund of a paid sale, done at the till; its out_refund_no. */
static char *
refund (TillStore *store,
        Paid      *p,
        gint64     amount_fen)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = till_store_refund_begin (store, p->sale_id, amount_fen, "test",
                                                       "manager", TRUE, dataset_clock.now,
                                                       dataset_clock.now + HOUR, &error);
  g_autoptr(TillRefundRecord) after = NULL;
  TillRefundRecord *r;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = g_ptr_array_index (rows, 0);
  after = till_store_refund_update (store, r->id, TILL_REFUND_STATE_SUCCESS, "R-AT-PROVIDER",
                                    NULL, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (r->out_refund_no);
}

static void
exec (TillStore  *store,
      const char *sql)
{
  till_store_lock (store);
  g_assert_true (till_store_exec_literal (till_store_get_db (store), sql, NULL));
  till_store_unlock (store);
}

/* WeChat Pay's bill as its provider gives the rows. */
static void
wechat_row (TillBill   *bill,
            gboolean    is_refund,
            const char *out_trade_no,
            const char *out_refund_no,
            gint64      fen)
{
  TillBillRow *row = till_bill_row_new (is_refund ? TILL_BILL_ROW_REFUND : TILL_BILL_ROW_PAYMENT);

  row->state = TILL_BILL_ROW_DONE;
  row->trade_time = g_strdup (DAY " 10:00:00");
  row->out_trade_no = g_strdup (out_trade_no);
  row->trade_state = g_strdup (is_refund ? "REFUND" : "SUCCESS");
  if (is_refund)
    {
      row->out_refund_no = g_strdup (out_refund_no);
      row->refund_fen = row->refund_request_fen = fen;
      row->refund_state = g_strdup ("SUCCESS");
    }
  else
    row->order_fen = row->settlement_fen = fen;
  g_ptr_array_add (bill->rows, row);
}

/* One 业务明细 line: a 交易 (refund_no NULL) or a 退款 of `yuan`. */
static void
alipay_line (GString    *csv,
             const char *out_trade_no,
             const char *refund_no,
             const char *yuan)
{
  g_string_append_printf (csv,
                          "2026112122001400%04u\t,%s\t,%s\t,糖果," DAY " 10:00:00," DAY " %s,"
                          "S01\t,S01\t,\t,\t,*三(z***@example.com)\t,%s%s,%s%s,0.00,0.00,0.00,"
                          "0.00,0.00,,0.00\t,0.00,%s\t,0.00,0.00,糖果\n",
                          (guint) csv->len % 10000, out_trade_no,
                          refund_no != NULL ? "退款" : "交易",
                          refund_no != NULL ? "11:00:00" : "10:00:05",
                          refund_no != NULL ? "-" : "", yuan, refund_no != NULL ? "-" : "",
                          yuan, refund_no != NULL ? refund_no : "");
}

static const TillReconcileDiff *
find_diff (const TillReconciliation *r,
           const char               *key)
{
  for (guint i = 0; i < r->differences->len; i++)
    {
      const TillReconcileDiff *d = g_ptr_array_index (r->differences, i);

      if (g_strcmp0 (d->key, key) == 0)
        return d;
    }
  return NULL;
}

static void
test_each_provider_its_own_bill (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) wechat = till_bill_new ();
  g_autoptr(TillBill) alipay = NULL;
  g_autoptr(TillReconciliation) wr = NULL;
  g_autoptr(TillReconciliation) ar = NULL;
  g_autoptr(Paid) w1 = NULL, w2 = NULL, a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL, a5 = NULL;
  g_autofree char *rw1 = NULL, *ra1 = NULL, *ra2 = NULL;
  g_autofree char *wjson = NULL, *ajson = NULL, *wstatus = NULL, *astatus = NULL;
  g_autofree char *sql = NULL;
  GString *csv;
  const TillReconcileDiff *d;

  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  dataset_at (dataset_day_start (1) + 9 * HOUR);
  w1 = sell (store, TILL_PAYMENT_METHOD_WECHAT_CODE, 1250);
  w2 = sell (store, TILL_PAYMENT_METHOD_WECHAT_NATIVE, 800);
  a1 = sell (store, TILL_PAYMENT_METHOD_ALIPAY_CODE, 2000);     /* matched, refunds */
  a2 = sell (store, TILL_PAYMENT_METHOD_ALIPAY_QR, 1500);       /* matched (QR) */
  a3 = sell (store, TILL_PAYMENT_METHOD_ALIPAY_CODE, 990);      /* amount differs */
  a4 = sell (store, TILL_PAYMENT_METHOD_ALIPAY_CODE, 500);      /* missing at Alipay */
  a5 = sell (store, TILL_PAYMENT_METHOD_ALIPAY_CODE, 700);      /* state differs */
  dataset_at (dataset_day_start (1) + 11 * HOUR);
  rw1 = refund (store, w1, 300);
  ra1 = refund (store, a1, 600);                                /* in both */
  ra2 = refund (store, a2, 200);                                /* missing at Alipay */
  /* the till closed A5 where Alipay shows it paid */
  sql = g_strdup_printf ("UPDATE payment SET state = 'closed' WHERE id = %" G_GINT64_FORMAT,
                         a5->payment_id);
  exec (store, sql);

  /* WeChat Pay's bill: W1, W2, W1's refund — and a number the till gave to an Alipay
   * payment, which is not WeChat Pay's to match */
  wechat_row (wechat, FALSE, w1->out_trade_no, NULL, 1250);
  wechat_row (wechat, FALSE, w2->out_trade_no, NULL, 800);
  wechat_row (wechat, TRUE, w1->out_trade_no, rw1, 300);

  wr = till_store_reconcile_day (store, DAY, "wechat", WECHAT_METHODS, wechat,
                                 dataset_clock.now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr->n_till_items, ==, 3);
  g_assert_cmpuint (wr->n_matched, ==, 3);
  g_assert_true (till_reconciliation_is_balanced (wr));
  g_assert_cmpint (wr->till_paid_fen, ==, 1250 + 800);
  g_assert_cmpint (wr->till_refunded_fen, ==, 300);

  /* Alipay's bill: A1, A2, A3 (9.00), A5, A1's refund, and an order and a refund the till
   * never made */
  csv = g_string_new ("\xEF\xBB\xBF#支付宝业务明细查询\n#账号：[20881000000000010156]\n"
                      "#-----------------------------------------业务明细列表-------------\n"
                      "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,"
                      "门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,"
                      "支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,"
                      "券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
                      "退款批次号/请求号,服务费（元）,分润（元）,备注\n");
  alipay_line (csv, a1->out_trade_no, NULL, "20.00");
  alipay_line (csv, a2->out_trade_no, NULL, "15.00");
  alipay_line (csv, a3->out_trade_no, NULL, "9.00");
  alipay_line (csv, a5->out_trade_no, NULL, "7.00");
  alipay_line (csv, "XALIONLY0001", NULL, "3.30");
  alipay_line (csv, a1->out_trade_no, ra1, "6.00");
  alipay_line (csv, a1->out_trade_no, "XREFUNDONLY01", "1.00");
  g_string_append (csv, "#-----------------------------------------业务明细列表结束----------\n");
  alipay = till_alipay_bill_parse_csv (csv->str, csv->len, &error);
  g_string_free (csv, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (alipay->rows->len, ==, 7);

  ar = till_store_reconcile_day (store, DAY, "alipay", ALIPAY_METHODS, alipay,
                                 dataset_clock.now, &error);
  g_assert_no_error (error);
  /* till: A1..A5, A1's and A2's refunds; never W1, W2 nor W1's refund */
  g_assert_cmpuint (ar->n_till_items, ==, 7);
  g_assert_cmpuint (ar->n_bill_rows, ==, 7);
  g_assert_cmpuint (ar->n_matched, ==, 3);              /* A1, A2, A1's refund */
  g_assert_cmpuint (ar->n_amount, ==, 1);               /* A3 */
  g_assert_cmpuint (ar->n_state, ==, 1);                /* A5 */
  g_assert_cmpuint (ar->n_missing_at_till, ==, 2);      /* the order, the refund */
  g_assert_cmpuint (ar->n_missing_at_provider, ==, 2);  /* A4, A2's refund */
  g_assert_cmpuint (ar->differences->len, ==, 6);
  d = find_diff (ar, a3->out_trade_no);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_AMOUNT);
  g_assert_cmpint (d->bill_amount_fen, ==, 900);
  g_assert_cmpint (d->till_amount_fen, ==, 990);
  d = find_diff (ar, a5->out_trade_no);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_STATE);
  g_assert_cmpstr (d->till_state, ==, "closed");
  d = find_diff (ar, a4->out_trade_no);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_false (d->is_refund);
  d = find_diff (ar, ra2);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_PROVIDER);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->till_amount_fen, ==, 200);
  d = find_diff (ar, "XALIONLY0001");
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_cmpint (d->bill_amount_fen, ==, 330);
  d = find_diff (ar, "XREFUNDONLY01");
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_assert_true (d->is_refund);
  g_assert_cmpint (d->bill_amount_fen, ==, 100);
  g_assert_null (find_diff (ar, w1->out_trade_no));

  /* stored apart, found by (day, provider) */
  wjson = till_store_reconcile_load (store, DAY, "wechat", &wstatus, &error);
  g_assert_no_error (error);
  ajson = till_store_reconcile_load (store, DAY, "alipay", &astatus, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wstatus, ==, "balanced");
  g_assert_cmpstr (astatus, ==, "differences");
  g_assert_nonnull (strstr (ajson, a4->out_trade_no));
  g_assert_null (strstr (wjson, a4->out_trade_no));
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM reconciliation"), ==, 2);

  /* An Alipay number in WeChat Pay's bill is not matched to the Alipay payment. */
  wechat_row (wechat, FALSE, a1->out_trade_no, NULL, 2000);
  g_clear_pointer (&wr, till_reconciliation_free);
  wr = till_store_reconcile_day (store, DAY, "wechat", WECHAT_METHODS, wechat,
                                 dataset_clock.now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wr->n_till_items, ==, 3);
  d = find_diff (wr, a1->out_trade_no);
  g_assert_nonnull (d);
  g_assert_cmpint (d->kind, ==, TILL_RECONCILE_MISSING_AT_TILL);
  g_free (wjson);
  g_free (wstatus);
  wjson = till_store_reconcile_load (store, DAY, "wechat", &wstatus, &error);
  g_assert_cmpstr (wstatus, ==, "differences");   /* the newest */
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
test_bad_methods (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) bill = till_bill_new ();

  g_assert_null (till_store_reconcile_day (store, DAY, "wechat", 0, bill, 1, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (till_store_reconcile_items (store, DAY,
                                             TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_CASH),
                                             bill, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM reconciliation"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reconcile/providers/each-its-own-bill", test_each_provider_its_own_bill);
  g_test_add_func ("/reconcile/providers/bad-methods", test_bad_methods);
  return g_test_run ();
}
