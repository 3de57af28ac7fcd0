/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's trade bill (alipay.md §5.7) without a network: the 业务明细 file in GBK with
 * CRLF, TAB-guarded cells, quoted cells, comments and totals, made provider-neutral rows
 * (payments, refunds, a cancel that refunded: reversed); refusals that name the line; and
 * the ZIP around it (GBK names without the UTF-8 flag, stored or deflated, CRC-32 checked),
 * built here by a writer of the test's own. */
#define G_LOG_DOMAIN "test-alipay-bill"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <zlib.h>

#include "till-alipay-bill.h"
#include "till-core-error.h"
#include "till-pay-error.h"

#define HEAD                                                                                  \
  "#支付宝业务明细查询\n"                                                                      \
  "#账号：[20880211096256330156]\n"                                                            \
  "#起始日期：[2019年09月16日 00:00:00]   终止日期：[2019年09月17日 00:00:00]\n"              \
  "#-----------------------------------------业务明细列表----------------------------------------\n" \
  "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,"   \
  "对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,"        \
  "商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"              \
  "退款批次号/请求号,服务费（元）,分润（元）,备注\n"

#define END "#---------------------------------业务明细列表结束----------------------------\n"

/* §5.7's sample rows, with a second sale (a quoted name with a comma) and a cancel */
static const char sample[] =
  HEAD
  "2019091622001458860515315453\t,service_1568601259302\t,交易\t,下单测试,2019-09-16 10:55:16,"
  "2019-09-16 10:55:23,alipay_store\t,alipay_store\t,alipay\t,\t,*津水(602***@qq.com)\t,0.01,0.01,"
  "0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,下单测试\n"
  "2019091622001458860515315453\t,service_1568601259302\t,退款\t,下单测试,2019-09-16 10:55:16,"
  "2019-09-16 10:56:48,alipay_store\t,alipay_store\t,alipay\t,\t,*津水(602***@qq.com)\t,-0.01,-0.01,"
  "0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,re_test_1568602607356\t,0.00,0.00,下单测试\n"
  "2019091622001458860515315454\t,T0002\t,交易\t,\"可乐, 500ml\",2019-09-16 11:00:00,"
  "2019-09-16 11:00:02,S01\t,店\t,\t,POS01\t,159******20\t,12.50,12.50,"
  "0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,-0.08,0.00,\n"
  "2019091622001458860515315455\t,T0003\t,交易\t,面包,2019-09-16 12:00:00,"
  "2019-09-16 12:00:02,S01\t,店\t,\t,POS01\t,159******20\t,8.00,8.00,"
  "0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,\n"
  "2019091622001458860515315455\t,T0003\t,退款\t,面包,2019-09-16 12:00:00,"
  "2019-09-16 12:00:30,S01\t,店\t,\t,POS01\t,159******20\t,-8.00,-8.00,"
  "0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,\n"
  END
  "#交易合计：3笔，商家实收共20.51元，商家优惠共0.00元\n"
  "#退款合计：2笔，商家实收退款共-8.01元，商家优惠退款共0.00元\n"
  "#导出时间：[2019年09月17日 05:46:49]\n";

/* The file as Alipay serves it: GBK, CRLF. */
static char *
as_alipay (const char *utf8,
           gsize      *out_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) crlf = g_string_new (NULL);
  char *gbk;

  for (const char *p = utf8; *p; p++)
    {
      if (*p == '\n')
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, *p);
    }
  gbk = g_convert (crlf->str, crlf->len, "GBK", "UTF-8", NULL, out_len, &error);
  g_assert_no_error (error);
  return gbk;
}

static TillBill *
parse_ok (const char *utf8)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *gbk = as_alipay (utf8, &len);
  TillBill *bill = till_alipay_bill_parse_csv (gbk, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bill);
  return bill;
}

static void
parse_fails (const char *utf8,
             const char *reason)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *gbk = as_alipay (utf8, &len);

  g_assert_null (till_alipay_bill_parse_csv (gbk, len, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, reason));
}

static void
test_sample (void)
{
  g_autoptr(TillBill) bill = parse_ok (sample);
  TillBillRow *row;

  /* five lines: the cancel of T0003 folds into its sale */
  g_assert_cmpuint (bill->n_columns, ==, 25);
  g_assert_cmpuint (bill->total_count, ==, 5);
  g_assert_cmpuint (bill->rows->len, ==, 4);

  row = g_ptr_array_index (bill->rows, 0);
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
  g_assert_cmpstr (row->transaction_id, ==, "2019091622001458860515315453");
  g_assert_cmpstr (row->out_trade_no, ==, "service_1568601259302");
  g_assert_cmpstr (row->trade_time, ==, "2019-09-16 10:55:23");
  g_assert_cmpstr (row->trade_state, ==, "TRADE_SUCCESS");
  g_assert_cmpstr (row->product, ==, "下单测试");
  g_assert_cmpint (row->order_fen, ==, 1);
  g_assert_cmpint (row->settlement_fen, ==, 1);
  g_assert_cmpuint (row->line, ==, 6);

  row = g_ptr_array_index (bill->rows, 1);
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_REFUND);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
  g_assert_cmpstr (row->out_refund_no, ==, "re_test_1568602607356");
  g_assert_cmpstr (row->out_trade_no, ==, "service_1568601259302");
  g_assert_cmpstr (row->refund_state, ==, "REFUND_SUCCESS");
  g_assert_cmpstr (row->trade_time, ==, "2019-09-16 10:56:48");
  g_assert_cmpint (row->refund_fen, ==, 1);

  row = g_ptr_array_index (bill->rows, 2);
  g_assert_cmpstr (row->product, ==, "可乐, 500ml");
  g_assert_cmpint (row->order_fen, ==, 1250);
  g_assert_cmpint (row->fee_millifen, ==, -8000);

  /* T0003 sold, then cancelled with its money given back: reversed */
  row = g_ptr_array_index (bill->rows, 3);
  g_assert_cmpstr (row->out_trade_no, ==, "T0003");
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_REVERSED);
  g_assert_cmpstr (row->trade_state, ==, "TRADE_CLOSED");
  g_assert_cmpint (row->order_fen, ==, 800);

  g_assert_cmpint (bill->settlement_total_fen, ==, 2051);
  g_assert_cmpint (bill->refund_total_fen, ==, 801);
}

/* A cancel on another day than its sale: the trade, reversed. */
static void
test_cancel_alone (void)
{
  g_autoptr(TillBill) bill = parse_ok (
    HEAD
    "2019091622001458860515315455\t,T0003\t,退款\t,面包,2019-09-15 23:59:00,"
    "2019-09-16 00:00:30,S01\t,店\t,\t,POS01\t,159******20\t,-8.00,-8.00,"
    "0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,\n"
    END);
  TillBillRow *row = g_ptr_array_index (bill->rows, 0);

  g_assert_cmpuint (bill->rows->len, ==, 1);
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_REVERSED);
  g_assert_cmpint (row->order_fen, ==, 800);
  g_assert_null (row->out_refund_no);
}

/* UTF-8 with a BOM, or without one, LF lines: read as well; an empty day has no rows. */
static void
test_encodings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", sample, NULL);
  g_autoptr(TillBill) a = till_alipay_bill_parse_csv (bom, strlen (bom), &error);
  g_autoptr(TillBill) b = NULL;
  g_autoptr(TillBill) empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (a->rows->len, ==, 4);
  b = till_alipay_bill_parse_csv (sample, strlen (sample), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->rows->len, ==, 4);
  empty = parse_ok (HEAD END "#交易合计：0笔，商家实收共0.00元，商家优惠共0.00元\n");
  g_assert_cmpuint (empty->rows->len, ==, 0);
}

static void
test_refusals (void)
{
  /* no list, a list that does not end, a missing column, a bad amount, a short row, totals
   * that disagree with the rows */
  parse_fails ("#支付宝业务明细查询\n", "业务明细列表");
  parse_fails (HEAD, "does not end");
  parse_fails ("#---业务明细列表---\n支付宝交易号,业务类型,完成时间,订单金额（元）\n" END,
               "商户订单号");
  parse_fails (HEAD "1\t,T1\t,交易\t,x,2019-09-16 10:55:16,2019-09-16 10:55:23,,,,,,1.5x,1.5,"
               "0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,0.00,0.00,\n" END,
               "“1.5x” is not an amount in column 订单金额");
  /* the column is named by what it is, not by where it stands (the fee is the 23rd cell
   * of 11 known columns: found by fuzz-alipay-bill, an out-of-bounds read) */
  parse_fails (HEAD "1\t,T1\t,交易\t,x,2019-09-16 10:55:16,2019-09-16 10:55:23,,,,,,1.50,1.50,"
               "0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,0.0.1,0.00,\n" END,
               "“0.0.1” is not an amount in column 服务费");
  parse_fails (HEAD "1\t,T1\t,交易\t,x\n" END, "4 fields");
  g_test_expect_message ("till-alipay", G_LOG_LEVEL_WARNING, "*交易合计 says 2*");
  parse_fails (HEAD "1\t,T1\t,交易\t,x,2019-09-16 10:55:16,2019-09-16 10:55:23,,,,,,1.50,1.50,"
               "0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,0.00,0.00,\n" END
               "#交易合计：2笔，商家实收共1.50元，商家优惠共0.00元\n", "交易合计");
  g_test_assert_expected_messages ();
  parse_fails (HEAD "1\t,\t,交易\t,x,2019-09-16 10:55:16,2019-09-16 10:55:23,,,,,,1.50,1.50,"
               "0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,0.00,0.00,\n" END, "merchant order number");
}

/* ---------------------------------------------------------------- the ZIP */

static void
put16 (GByteArray *a, guint v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (a, b, 2);
}

static void
put32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (a, b, 4);
}

typedef struct
{
  const char *name;       /* bytes as written */
  const char *data;
  gsize       len;
  gboolean    deflate;
  gboolean    utf8_flag;
  gboolean    bad_crc;
} Entry;

static GBytes *
zip_of (const Entry *entries,
        guint        n)
{
  g_autoptr(GByteArray) zip = g_byte_array_new ();
  g_autoptr(GByteArray) dir = g_byte_array_new ();
  guint32 dir_offset;

  for (guint i = 0; i < n; i++)
    {
      const Entry *e = &entries[i];
      guint32 crc = crc32 (crc32 (0, Z_NULL, 0), (const Bytef *) e->data, e->len);
      guint8 *packed = g_malloc (e->len + 1024);
      gsize packed_len = e->len;
      guint32 offset = zip->len;

      if (e->deflate)
        {
          z_stream zs = { 0 };

          g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                           ==, Z_OK);
          zs.next_in = (Bytef *) e->data;
          zs.avail_in = e->len;
          zs.next_out = packed;
          zs.avail_out = e->len + 1024;
          g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
          packed_len = zs.total_out;
          deflateEnd (&zs);
        }
      else
        memcpy (packed, e->data, e->len);
      if (e->bad_crc)
        crc ^= 1;
      for (int pass = 0; pass < 2; pass++)
        {
          GByteArray *a = pass == 0 ? zip : dir;

          put32 (a, pass == 0 ? 0x04034b50 : 0x02014b50);
          if (pass == 1)
            put16 (a, 20);
          put16 (a, 20);
          put16 (a, e->utf8_flag ? 0x0800 : 0);
          put16 (a, e->deflate ? 8 : 0);
          put16 (a, 0);
          put16 (a, 0x4f30);
          put32 (a, crc);
          put32 (a, packed_len);
          put32 (a, e->len);
          put16 (a, strlen (e->name));
          put16 (a, 0);
          if (pass == 1)
            {
              put16 (a, 0);
              put16 (a, 0);
              put16 (a, 0);
              put32 (a, 0);
              put32 (a, offset);
            }
          g_byte_array_append (a, (const guint8 *) e->name, strlen (e->name));
          if (pass == 0)
            g_byte_array_append (a, packed, packed_len);
        }
      g_free (packed);
    }
  dir_offset = zip->len;
  g_byte_array_append (zip, dir->data, dir->len);
  put32 (zip, 0x06054b50);
  put16 (zip, 0);
  put16 (zip, 0);
  put16 (zip, n);
  put16 (zip, n);
  put32 (zip, dir->len);
  put32 (zip, dir_offset);
  put16 (zip, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&zip));
}

static void
test_zip (void)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *csv = as_alipay (sample, &len);
  g_autofree char *detail_gbk = g_convert ("20880211096256330156_20190916_业务明细.csv", -1, "GBK",
                                           "UTF-8", NULL, NULL, NULL);
  g_autofree char *summary_gbk = g_convert ("20880211096256330156_20190916_业务明细(汇总).csv", -1,
                                            "GBK", "UTF-8", NULL, NULL, NULL);
  const char summary[] = "#支付宝业务汇总查询\r\n";

  /* as Alipay: GBK names, the summary first, deflated */
  {
    Entry e[] = {
      { summary_gbk, summary, strlen (summary), TRUE },
      { detail_gbk, csv, len, TRUE },
    };
    g_autoptr(GBytes) zip = zip_of (e, 2);
    g_autoptr(TillBill) bill = till_alipay_bill_parse_zip (zip, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bill->rows->len, ==, 4);
  }
  /* stored, with a UTF-8 flagged name */
  {
    Entry e[] = { { "x_业务明细.csv", csv, len, FALSE, TRUE } };
    g_autoptr(GBytes) zip = zip_of (e, 1);
    g_autoptr(TillBill) bill = till_alipay_bill_parse_zip (zip, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bill->rows->len, ==, 4);
  }
  /* damaged: a CRC mismatch, the end cut off, no detail file, not a ZIP */
  {
    Entry e[] = { { detail_gbk, csv, len, TRUE, FALSE, TRUE } };
    g_autoptr(GBytes) zip = zip_of (e, 1);

    g_assert_null (till_alipay_bill_parse_zip (zip, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
    g_clear_error (&error);
  }
  {
    Entry e[] = { { detail_gbk, csv, len, TRUE } };
    g_autoptr(GBytes) zip = zip_of (e, 1);
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (zip, 0, g_bytes_get_size (zip) - 10);

    g_assert_null (till_alipay_bill_parse_zip (cut, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
    g_clear_error (&error);
  }
  {
    Entry e[] = { { summary_gbk, summary, strlen (summary), TRUE } };
    g_autoptr(GBytes) zip = zip_of (e, 1);

    g_assert_null (till_alipay_bill_parse_zip (zip, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("<html>404</html>", 16);

    g_assert_null (till_alipay_bill_parse_zip (junk, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alipay-bill/sample", test_sample);
  g_test_add_func ("/alipay-bill/cancel-alone", test_cancel_alone);
  g_test_add_func ("/alipay-bill/encodings", test_encodings);
  g_test_add_func ("/alipay-bill/refusals", test_refusals);
  g_test_add_func ("/alipay-bill/zip", test_zip);
  return g_test_run ();
}
