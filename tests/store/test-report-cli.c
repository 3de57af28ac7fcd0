/* SPDX-License-Identifier: GPL-3.0-or-later */
/* till_report_cli_run(): the day's report on stdout for a known day (cash, WeChat Pay's
 * code, Alipay's code and QR, a refund to Alipay, a void), and the exit status 2 for a
 * malformed date or format; a till with members' stored value and points gets their
 * sections after the sales report (a till without, as the known day's, none). */
#define G_LOG_DOMAIN "test-report-cli"

#include "config.h"

#include "report-dataset.h"
#include "till-report-cli.h"
#include "till-store-members.h"
#include "till-store-refunds.h"
#include "till-store-stored-value.h"

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static char *db_path;

static void
make_known_day (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (path, &error);
  g_autoptr(TillSale) a = NULL;
  g_autoptr(TillSale) b = NULL;
  g_autoptr(TillSale) c = NULL;
  g_autoptr(TillSale) d = NULL;
  g_autoptr(TillSale) v = NULL;
  g_autoptr(TillSaleLine) l1 = till_sale_line_new (1, "6921168509256", "农夫山泉 550ml", "瓶",
                                                   200, 3000, FALSE);
  g_autoptr(TillSaleLine) l2 = till_sale_line_new (2, NULL, "香蕉", "kg", 698, 1250, TRUE);
  g_autoptr(TillSaleLine) l3 = till_sale_line_new (1, "6921168509256", "农夫山泉 550ml", "瓶",
                                                   200, 1000, FALSE);
  g_autoptr(TillSaleLine) l4 = till_sale_line_new (2, NULL, "香蕉", "kg", 698, 1250, TRUE);

  g_assert_no_error (error);
  till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
  {
    TillProduct water = { .barcode = "6921168509256", .name = "农夫山泉 550ml",
                          .price_fen = 200, .unit = "瓶", .active = TRUE };
    TillProduct banana = { .plu = "100001", .name = "香蕉", .price_fen = 698, .unit = "kg",
                           .weighed = TRUE, .active = TRUE };

    g_assert_cmpint (till_store_upsert_product (store, &water, &error), ==, 1);
    g_assert_cmpint (till_store_upsert_product (store, &banana, &error), ==, 2);
  }
  dataset_at (dataset_day_start (1) + 9 * HOUR + 5 * 60 * G_USEC_PER_SEC);
  a = till_sale_new ("20261121-0001");
  till_sale_set_opened_at (a, dataset_clock.now);
  till_sale_add_line (a, l1, &error);
  till_sale_add_line (a, l2, &error);                  /* 6.00 + 8.73 = 14.73 */
  g_assert_true (till_store_save_sale (store, a, "小王", "till-1", &error));
  g_assert_true (till_store_complete_cash_sale (store, a, 2000, &error));

  dataset_at (dataset_day_start (1) + 14 * HOUR);
  b = till_sale_new ("20261121-0002");
  till_sale_set_opened_at (b, dataset_clock.now);
  till_sale_add_line (b, l3, &error);
  g_assert_true (till_store_save_sale (store, b, "小李", "till-1", &error));
  dataset_pay_electronic (store, b, TILL_PAYMENT_METHOD_WECHAT_CODE, 200, FALSE);

  /* Alipay: the customer's code (¥2.00), then the till's QR (¥8.73), ¥3.00 of which is
   * refunded to Alipay later that day */
  dataset_at (dataset_day_start (1) + 14 * HOUR + 10 * 60 * G_USEC_PER_SEC);
  c = till_sale_new ("20261121-0004");
  till_sale_set_opened_at (c, dataset_clock.now);
  till_sale_add_line (c, l3, &error);
  g_assert_true (till_store_save_sale (store, c, "小李", "till-1", &error));
  dataset_pay_electronic (store, c, TILL_PAYMENT_METHOD_ALIPAY_CODE, 200, FALSE);

  dataset_at (dataset_day_start (1) + 14 * HOUR + 20 * 60 * G_USEC_PER_SEC);
  d = till_sale_new ("20261121-0005");
  till_sale_set_opened_at (d, dataset_clock.now);
  till_sale_add_line (d, l4, &error);
  g_assert_true (till_store_save_sale (store, d, "小王", "till-1", &error));
  dataset_pay_electronic (store, d, TILL_PAYMENT_METHOD_ALIPAY_QR, 873, FALSE);

  dataset_at (dataset_day_start (1) + 16 * HOUR);
  {
    g_autoptr(GPtrArray) refunds = till_store_refund_begin (store, till_sale_get_id (d), 300,
                                                            "少找零", "王店长", TRUE,
                                                            dataset_clock.now, 0, &error);
    const TillRefundRecord *rf;

    g_assert_no_error (error);
    g_assert_cmpuint (refunds->len, ==, 1);
    rf = g_ptr_array_index (refunds, 0);
    g_assert_cmpint (rf->method, ==, TILL_PAYMENT_METHOD_ALIPAY_QR);
    till_refund_record_free (till_store_refund_update (store, rf->id, TILL_REFUND_STATE_SUCCESS,
                                                       "2026112122001400", NULL, 0, NULL, NULL,
                                                       &error));
    g_assert_no_error (error);
  }

  dataset_at (dataset_day_start (1) + 15 * HOUR);
  v = till_sale_new ("20261121-0003");
  till_sale_set_opened_at (v, dataset_clock.now);
  g_assert_true (till_store_save_sale (store, v, "小李", "till-1", &error));
  g_assert_true (till_store_void_sale (store, v, "小李", &error));
  g_assert_no_error (error);
  till_store_set_clock_for_testing (NULL, NULL);
}

static void
run_child (const char *date,
           const char *format,
           int         expected_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillStore) store = till_store_open (db_path, &error);
  int status;

  g_assert_no_error (error);
  status = till_report_cli_run (store, date, format, &error);
  if (status != 0)
    g_printerr ("error: %s\n", error->message);
  g_assert_cmpint (status, ==, expected_status);
}

static void
status_of_cli (TillStore  *store,
               const char *format)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (till_report_cli_run (store, "2026-11-21", format, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_text (void)
{
  if (g_test_subprocess ())
    {
      run_child ("2026-11-21", NULL, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Sales report  2026-11-21\n*"
                             "  Gross sales                      4         27.46\n"
                             "  Refunds                          1          3.00\n"
                             "  Net                                        24.46\n"
                             "  Average ticket                              6.87\n"
                             "  Voids                            1          0.00\n*"
                             "  Cash                             1         14.73\n"
                             "  WeChat code                      1          2.00\n"
                             "  WeChat QR                        0          0.00\n"
                             "  Alipay code                      1          2.00\n"
                             "  Alipay QR                        1          8.73\n"
                             "  Stored value                     0          0.00\n"
                             "  Refund · Alipay QR                         -3.00\n*"
                             "  09:00–09:59                      1         14.73\n"
                             "  14:00–14:59                      3         12.73\n*"
                             "  香蕉                           2.5         17.46\n"
                             "  农夫山泉 550ml                   5         10.00\n*"
                             "  小王                             2         23.46\n"
                             "  小李                             2          4.00\n*"
                             "  15:00 20261121-0003           小李          0.00\n*"
                             "  16:00 20261121-0005       alipay_qr          3.00\n");
  g_test_trap_assert_stderr ("");
}

static void
test_csv (void)
{
  if (g_test_subprocess ())
    {
      run_child ("2026-11-21", "csv", 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("\xEF\xBB\xBF\"Section\",*\r\n"
                             "\"Totals\",\"Period\",\"\",\"0.00\",\"2026-11-21\"\r\n"
                             "\"Totals\",\"Gross sales\",\"4\",\"27.46\",\"\"\r\n*"
                             "\"Method\",\"Cash\",\"1\",\"14.73\",\"cash\"\r\n"
                             "\"Method\",\"WeChat code\",\"1\",\"2.00\","
                             "\"wechat_code\"\r\n"
                             "\"Method\",\"WeChat QR\",\"0\",\"0.00\","
                             "\"wechat_native\"\r\n"
                             "\"Method\",\"Alipay code\",\"1\",\"2.00\","
                             "\"alipay_code\"\r\n"
                             "\"Method\",\"Alipay QR\",\"1\",\"8.73\","
                             "\"alipay_qr\"\r\n*"
                             "\"Refunds by method\",\"Alipay QR\",\"\",\"3.00\","
                             "\"alipay_qr\"\r\n*"
                             "\"Product\",\"香蕉\",\"2.5\",\"17.46\",\"\"\r\n*"
                             "\"Void\",\"20261121-0003\",\"1\",\"0.00\",*"
                             "\"Refund\",\"20261121-0005\",\"1\",\"3.00\",\"2026-11-21 16:00:00"
                             " alipay_qr TS01D012611211420000004R0001 少找零\"\r\n");
}

static void
test_malformed (void)
{
  const char *dates[] = { "2026-13-01", "yesterday", "2026-11-21x", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *path = g_strdup_printf ("/report-cli/malformed/subprocess/%u", i);

      if (g_test_subprocess ())
        return;
      g_test_trap_subprocess (path, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("");
      g_test_trap_assert_stderr ("error: *YYYY-MM-DD*");
    }
  {
    if (g_test_subprocess ())
      return;
    g_test_trap_subprocess ("/report-cli/malformed/subprocess/format", 0,
                            G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stdout ("");
    g_test_trap_assert_stderr ("error: *pdf*text or csv*");
  }
}

/* A till with two members: a top-up with its bonus the day before, a spend, a manager's
 * adjustment and points on the day; the report of the day ends with the stored-value
 * sections (owed at the day's end: 200.00 − 45.45 + 50.00 paid, 20.00 − 4.55 bonus). */
static void
stored_value_child (const char *format)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(TillStore) store = till_store_open (dir->path, &error);
    TillMemberFields f = { "Zhang", NULL, NULL, 0, NULL, TRUE };
    gint64 zhang, paid = 0, bonus = 0;

    g_assert_no_error (error);
    till_store_set_clock_for_testing (dataset_clock_cb, &dataset_clock);
    g_assert_cmpint (till_store_add_topup_rule (store, 20000, 2000, "Boss", &error), >, 0);
    zhang = till_store_add_member (store, &f, NULL, "Li", &error);
    dataset_at (dataset_day_start (0) + 18 * HOUR);
    g_assert_true (till_store_stored_value_topup (store, zhang, 20000, "20261120-0001", "Li",
                                                  NULL, &error));
    dataset_at (dataset_day_start (1) + 10 * HOUR);
    g_assert_cmpint (till_store_stored_value_spend (store, zhang, 5000, "20261121-0001", "Li",
                                                    &paid, &bonus, &error), >, 0);
    g_assert_cmpint (paid, ==, 4545);   /* 200 : 20 of it, the bonus part rounded half up */
    g_assert_cmpint (bonus, ==, 455);
    g_assert_cmpint (till_store_stored_value_adjust (store, zhang, 5000, 0, "card of the old till",
                                                     "Li", "Boss", &error), >, 0);
    g_assert_cmpint (till_store_points_earn (store, zhang, 50, "20261121-0001", "Li", &error), >,
                     0);
    till_store_set_clock_for_testing (NULL, NULL);
    g_assert_no_error (error);
    status_of_cli (store, format);
  }
}

static void
test_stored_value (void)
{
  if (g_test_subprocess ())
    {
      stored_value_child (NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("Sales report  2026-11-21\n*"
                             "\nStored value by day\n*"
                             "  Date                    Top-ups      Spent   Refunded   Adjusted"
                             "       Owed\n"
                             "  2026-11-21  paid           0.00      45.45       0.00      50.00"
                             "     204.55\n"
                             "              bonus          0.00       4.55       0.00       0.00"
                             "      15.45\n"
                             "  Total       paid           0.00      45.45       0.00      50.00"
                             "     204.55\n*"
                             "\nStored value owed to members\n*"
                             "  Paid money (a debt to members)                            204.55\n"
                             "  Bonus money (given, not paid)                              15.45\n"
                             "  Total owed at the end of the period                       220.00\n"
                             "  Stored value spent is not new money: it was taken in when the"
                             " member topped up.\n*"
                             "\nPoints\n*"
                             "  2026-11-21          50         0         0         0        50\n*"
                             "  Topped up: 0   Spent stored value: 1\n");
  g_test_trap_assert_stderr_unmatched ("*WARNING*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");
}

static void
test_stored_value_csv (void)
{
  if (g_test_subprocess ())
    {
      stored_value_child ("csv");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("\xEF\xBB\xBF\"Section\",*"
                             "\r\n\r\n\"Section\",\"Date\",\"Top-up paid (yuan)\",*"
                             "\"Stored value by day\",\"2026-11-21\",\"0.00\",\"0.00\",\"45.45\","
                             "\"4.55\",\"0.00\",\"0.00\",\"50.00\",\"0.00\",\"204.55\",\"15.45\","
                             "\"50\",\"0\",\"0\",\"0\",\"50\",\"0\",\"1\"\r\n"
                             "\"Stored value total\",\"2026-11-21\",*"
                             "\"Stored value at the start\",\"2026-11-21\",\"0.00\",*"
                             "\"200.00\",\"20.00\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"\r\n");
  g_test_trap_assert_stdout_unmatched ("?*\xEF\xBB\xBF*");
}

static void
malformed_child (gconstpointer data)
{
  run_child (data, NULL, 2);
}

static void
malformed_format_child (void)
{
  run_child ("2026-11-21", "pdf", 2);
}

int
main (int argc, char **argv)
{
  g_autoptr(TestDir) dir = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  /* the parent makes the database once; subprocesses get its path from the environment */
  if (g_getenv ("TEST_REPORT_CLI_DB") == NULL)
    {
      dir = test_dir_new ();
      make_known_day (dir->path);
      g_setenv ("TEST_REPORT_CLI_DB", dir->path, TRUE);
    }
  db_path = g_strdup (g_getenv ("TEST_REPORT_CLI_DB"));

  g_test_add_func ("/report-cli/text", test_text);
  g_test_add_func ("/report-cli/csv", test_csv);
  g_test_add_func ("/report-cli/malformed", test_malformed);
  g_test_add_func ("/report-cli/stored-value", test_stored_value);
  g_test_add_func ("/report-cli/stored-value-csv", test_stored_value_csv);
  g_test_add_data_func ("/report-cli/malformed/subprocess/0", "2026-13-01", malformed_child);
  g_test_add_data_func ("/report-cli/malformed/subprocess/1", "yesterday", malformed_child);
  g_test_add_data_func ("/report-cli/malformed/subprocess/2", "2026-11-21x", malformed_child);
  g_test_add_data_func ("/report-cli/malformed/subprocess/3", NULL, malformed_child);
  g_test_add_func ("/report-cli/malformed/subprocess/format", malformed_format_child);
  rc = g_test_run ();
  g_free (db_path);
  return rc;
}
