/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trade-bill parser on fixture files (27 and 20 columns, BOM + CRLF) and on damaged
 * bills: every refusal names the line. */
#define G_LOG_DOMAIN "test-bill"

#include "config.h"

#include <string.h>
#include "till-core.h"
#include "till-bill.h"

static char *
fixture (const char *name,
         gsize      *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("TILL_TEST_SRCDIR"), "tests", "fixtures",
                                            name, NULL);
  char *data = NULL;

  g_file_get_contents (path, &data, length, &error);
  g_assert_no_error (error);
  return data;
}

static TillBill *
parse_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *data = fixture (name, &length);
  TillBill *bill = till_bill_parse (data, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bill);
  return bill;
}

static void
assert_27col (TillBill *bill)
{
  TillBillRow *row;

  g_assert_cmpuint (bill->n_columns, ==, 27);
  g_assert_cmpuint (bill->rows->len, ==, 5);
  g_assert_cmpuint (bill->total_count, ==, 5);
  g_assert_cmpint (bill->settlement_total_fen, ==, 21150);
  g_assert_cmpint (bill->refund_total_fen, ==, 2250);
  g_assert_cmpint (bill->fee_total_millifen, ==, 113000);
  g_assert_cmpint (bill->order_total_fen, ==, 22030);
  g_assert_cmpint (bill->refund_request_total_fen, ==, 2250);

  row = g_ptr_array_index (bill->rows, 0);
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpstr (row->trade_time, ==, "2026-11-21 09:15:02");
  g_assert_cmpstr (row->transaction_id, ==, "4200000925202611210000000001");
  g_assert_cmpstr (row->out_trade_no, ==, "T0101261121091500000001");
  g_assert_cmpstr (row->trade_type, ==, "MICROPAY");
  g_assert_cmpstr (row->trade_state, ==, "SUCCESS");
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
  g_assert_cmpint (row->settlement_fen, ==, 1250);
  g_assert_cmpint (row->order_fen, ==, 1250);
  g_assert_cmpint (row->fee_millifen, ==, 8000);
  g_assert_cmpstr (row->product, ==, "便利店商品");
  g_assert_null (row->out_refund_no);
  g_assert_null (row->refund_state);

  row = g_ptr_array_index (bill->rows, 2);
  g_assert_cmpstr (row->trade_state, ==, "REVOKED");
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_REVERSED);
  g_assert_cmpint (row->settlement_fen, ==, 0);
  g_assert_cmpint (row->order_fen, ==, 880);

  row = g_ptr_array_index (bill->rows, 3);
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_REFUND);
  g_assert_cmpstr (row->out_trade_no, ==, "T0101261121100240000002");
  g_assert_cmpstr (row->out_refund_no, ==, "R0101261121140000000001");
  g_assert_cmpstr (row->refund_id, ==, "50300000000000000000000001");
  g_assert_cmpstr (row->refund_state, ==, "SUCCESS");
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_DONE);
  g_assert_cmpint (row->refund_fen, ==, 2000);
  g_assert_cmpint (row->refund_request_fen, ==, 2000);
  g_assert_cmpint (row->fee_millifen, ==, -12000);

  row = g_ptr_array_index (bill->rows, 4);
  g_assert_cmpstr (row->refund_state, ==, "PROCESSING");
  g_assert_cmpint (row->state, ==, TILL_BILL_ROW_PROCESSING);
  g_assert_cmpint (row->refund_fen, ==, 250);
}

static void
test_27_columns (void)
{
  g_autoptr(TillBill) bill = parse_fixture ("bill-27col.csv");

  assert_27col (bill);
}

static void
test_bom_crlf (void)
{
  gsize length;
  g_autofree char *data = fixture ("bill-bom-crlf.csv", &length);
  g_autoptr(TillBill) bill = parse_fixture ("bill-bom-crlf.csv");

  /* the fixture really has both */
  g_assert_true (memcmp (data, "\xEF\xBB\xBF", 3) == 0);
  g_assert_nonnull (strstr (data, "\r\n"));
  assert_27col (bill);
  /* no CR left in any field */
  for (guint i = 0; i < bill->rows->len; i++)
    g_assert_null (strchr (((TillBillRow *) g_ptr_array_index (bill->rows, i))->trade_time,
                           '\r'));
}

static void
test_20_columns (void)
{
  g_autoptr(TillBill) bill = parse_fixture ("bill-20col.csv");
  TillBillRow *row;

  g_assert_cmpuint (bill->n_columns, ==, 20);
  g_assert_cmpuint (bill->rows->len, ==, 2);
  row = g_ptr_array_index (bill->rows, 1);
  g_assert_cmpint (row->kind, ==, TILL_BILL_ROW_PAYMENT);
  g_assert_cmpstr (row->out_trade_no, ==, "S201906011230590002");
  g_assert_cmpint (row->settlement_fen, ==, 10530);
  g_assert_cmpint (row->coupon_fen, ==, 500);
  g_assert_cmpint (row->order_fen, ==, 11030);
  g_assert_cmpint (row->fee_millifen, ==, 66000);
  g_assert_cmpstr (row->product, ==, "面包 牛奶");
  g_assert_cmpint (bill->settlement_total_fen, ==, 11130);
  g_assert_cmpint (bill->fee_total_millifen, ==, 70000);
  /* absent from this summary: taken from the rows */
  g_assert_cmpint (bill->order_total_fen, ==, 11630);
}

static void
test_columns_by_name (void)
{
  /* the same bill with its columns in another order reads the same */
  const char *bill_text =
    "商户订单号,应结订单金额,交易状态,微信订单号,交易时间,订单金额\n"
    "`T1,`3.00,`SUCCESS,`42001,`2026-11-21 08:00:00,`3.00\n"
    "总交易单数,应结订单总金额\n"
    "`1,`3.00\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) bill = till_bill_parse (bill_text, strlen (bill_text), &error);
  TillBillRow *row;

  g_assert_no_error (error);
  row = g_ptr_array_index (bill->rows, 0);
  g_assert_cmpstr (row->out_trade_no, ==, "T1");
  g_assert_cmpstr (row->transaction_id, ==, "42001");
  g_assert_cmpint (row->order_fen, ==, 300);
  g_assert_cmpstr (row->trade_type, ==, "");
}

static void
test_empty_day (void)
{
  const char *text =
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
    "费率备注\n"
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n"
    "`0,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) bill = till_bill_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (bill->rows->len, ==, 0);
}

/* Replaces the first `from` in the fixture by `to` and expects a refusal naming `line`. */
static void
assert_refused (const char *from,
                const char *to,
                const char *message_glob)
{
  gsize length;
  g_autofree char *data = fixture ("bill-27col.csv", &length);
  g_autoptr(GString) text = g_string_new_len (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) bill = NULL;

  g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  if (g_test_verbose ())
    g_printerr ("case %s -> %s\n", from, to);
  bill = till_bill_parse (text->str, text->len, &error);
  g_assert_null (bill);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL);
  if (!g_pattern_match_simple (message_glob, error->message))
    g_error ("message “%s” does not match “%s”", error->message, message_glob);
}

static void
test_refusals (void)
{
  /* amounts: more decimals than allowed, a float notation, garbage */
  assert_refused ("`12.50,`0.00,`0,", "`12.505,`0.00,`0,", "*line 2*12.505*");
  assert_refused ("`199.00,`0.00,`0,", "`1.99e2,`0.00,`0,", "*line 3*1.99e2*");
  assert_refused ("`0.08000", "`0.080001", "*line 2*0.080001*");
  /* a missing column */
  assert_refused ("商户订单号,", "商户单号,", "*line 1*商户订单号*");
  /* a field too many */
  assert_refused ("`OTHERS,", "`OTHERS,`x,", "*line 2*28 fields*27*");
  /* a refund row without its refund number */
  assert_refused ("`R0101261121140000000001", "`0", "*line 5*refund number*");
}

static void
test_summary_checked (void)
{
  /* every printed total is compared with the rows */
  const char *cases[][2] = {
    { "`5,`211.50", "`6,`211.50" },
    { "`5,`211.50", "`5,`211.51" },
    { "`22.50,`0.00,`1.13000", "`22.40,`0.00,`1.13000" },
    { "`1.13000", "`1.13001" },
    { "`220.30", "`220.31" },
    { "`220.30,`22.50", "`220.30,`22.51" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length;
      g_autofree char *data = fixture ("bill-27col.csv", &length);
      g_autoptr(GString) text = g_string_new_len (data, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(TillBill) bill = NULL;

      g_assert_cmpuint (g_string_replace (text, cases[i][0], cases[i][1], 1), ==, 1);
      g_test_expect_message ("till-bill", G_LOG_LEVEL_WARNING, "*summary*");
      bill = till_bill_parse (text->str, text->len, &error);
      g_test_assert_expected_messages ();
      g_assert_null (bill);
      g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL);
      g_assert_nonnull (strstr (error->message, "line 8"));
    }
}

static void
test_truncated (void)
{
  gsize length;
  g_autofree char *data = fixture ("bill-27col.csv", &length);
  const char *summary = strstr (data, "总交易单数");
  g_autoptr(GError) error = NULL;
  g_autoptr(TillBill) bill = NULL;

  g_assert_nonnull (summary);
  bill = till_bill_parse (data, summary - data, &error);
  g_assert_null (bill);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL);
  g_assert_nonnull (strstr (error->message, "incomplete"));
  g_clear_error (&error);

  bill = till_bill_parse ("", 0, &error);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL);
  g_clear_error (&error);
  bill = till_bill_parse ("\xff\xfe\x00", 3, &error);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL);
}

static void
test_decimal (void)
{
  gint64 v = 0;

  g_assert_true (till_bill_parse_decimal ("12.5", 2, &v));
  g_assert_cmpint (v, ==, 1250);
  g_assert_true (till_bill_parse_decimal ("-0.12000", 5, &v));
  g_assert_cmpint (v, ==, -12000);
  g_assert_true (till_bill_parse_decimal ("7", 2, &v));
  g_assert_cmpint (v, ==, 700);
  g_assert_true (till_bill_parse_decimal ("92233720368547758.07", 2, &v));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_false (till_bill_parse_decimal ("92233720368547758.08", 2, &v));
  g_assert_false (till_bill_parse_decimal ("0.123", 2, &v));
  g_assert_false (till_bill_parse_decimal ("1.", 2, &v));
  g_assert_false (till_bill_parse_decimal (".5", 2, &v));
  g_assert_false (till_bill_parse_decimal ("", 2, &v));
  g_assert_false (till_bill_parse_decimal ("+1", 2, &v));
  g_assert_false (till_bill_parse_decimal ("1,000", 2, &v));
  g_assert_false (till_bill_parse_decimal ("0.60%", 2, &v));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bill/27-columns", test_27_columns);
  g_test_add_func ("/bill/bom-crlf", test_bom_crlf);
  g_test_add_func ("/bill/20-columns", test_20_columns);
  g_test_add_func ("/bill/columns-by-name", test_columns_by_name);
  g_test_add_func ("/bill/empty-day", test_empty_day);
  g_test_add_func ("/bill/refusals", test_refusals);
  g_test_add_func ("/bill/summary-checked", test_summary_checked);
  g_test_add_func ("/bill/truncated", test_truncated);
  g_test_add_func ("/bill/decimal", test_decimal);
  return g_test_run ();
}
