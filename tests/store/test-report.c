/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports on a generated dataset (2,001 sales over 3 days, fixed seed, made through the
 * store's APIs), every figure checked against independent queries written here, over
 * the raw tables through a connection of the test's own; and the text/CSV renderings. */
#define G_LOG_DOMAIN "test-report"

#include "config.h"

#include "report-dataset.h"
#include "till-store-cash.h"
#include "till-store-members.h"
#include "till-store-reports.h"

#define N_DAYS  3
#define PER_DAY 667

static TestDir   *dataset_dir;
static TillStore *dataset_store;
static guint      dataset_refunds;

static const char *const days[N_DAYS + 1] = { "2026-11-20", "2026-11-21", "2026-11-22",
                                              "2026-11-23" };

/* ---------------------------------------------------------------- independent SQL */

static sqlite3_stmt *
q (sqlite3    *db,
   const char *sql,
   const char *date)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  return stmt;
}

static gint64
q_int (sqlite3    *db,
       const char *sql,
       const char *date)
{
  sqlite3_stmt *stmt = q (db, sql, date);
  gint64 v;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

/* The day of a µs time in this test's own words: "the calendar date, here". */
#define LOCAL_DAY(col) "date (" col " / 1000000, 'unixepoch', 'localtime')"

/* Goods methods + top-up methods = every paid payment of the period's paid sales (the
 * ones a sale took: a payment refunded by itself as unattached is in neither). */
static void
check_all_payments (sqlite3          *db,
                    const char       *date,
                    const TillReport *r)
{
  gint64 all = q_int (db, "SELECT total (p.amount_fen) FROM payment p JOIN sale s"
                          " ON s.id = p.sale_id WHERE p.state = 'paid' AND p.unattached = 0"
                          " AND s.state IN ('paid', 'refunded') AND "
                          LOCAL_DAY ("s.closed_at") " = ?1", date);
  gint64 sum = 0;

  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    sum += r->method_fen[m] + r->topup_method_fen[m];
  g_assert_cmpint (sum, ==, all);
}

static void
check_day (sqlite3          *db,
           const char       *date,
           const TillReport *r)
{
  g_autoptr(GHashTable) products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) cashiers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 hours_fen[24] = { 0 };
  guint hours_n[24] = { 0 };
  gint64 gross, n, refunds, methods_total = 0;
  sqlite3_stmt *stmt;

  /* sales: every sale that was paid (some refunded afterwards) and closed that day */
  n = q_int (db, "SELECT count(*) FROM sale WHERE state NOT IN ('open', 'suspended', 'voided')"
                 " AND kind <> 'topup' AND " LOCAL_DAY ("closed_at") " = ?1", date);
  gross = q_int (db, "SELECT total (total_fen) FROM sale WHERE state NOT IN"
                     " ('open', 'suspended', 'voided') AND kind <> 'topup' AND "
                     LOCAL_DAY ("closed_at") " = ?1", date);
  g_assert_cmpint (n, >, 500);
  g_assert_cmpuint (r->n_sales, ==, n);
  g_assert_cmpint (r->gross_fen, ==, gross);

  refunds = q_int (db, "SELECT total (amount_fen) FROM refund WHERE state = 'success'"
                       " AND " LOCAL_DAY ("created_at") " = ?1", date);
  g_assert_cmpint (r->refunds_fen, ==, refunds);
  g_assert_cmpuint (r->n_refunds, ==, q_int (db, "SELECT count(*) FROM refund WHERE state ="
                                                 " 'success' AND " LOCAL_DAY ("created_at")
                                                 " = ?1", date));
  g_assert_cmpint (r->net_fen, ==, gross - refunds);
  /* half up, written another way: floor ((2g + n) / 2n) */
  g_assert_cmpint (r->average_fen, ==, (2 * gross + n) / (2 * n));

  /* methods: paid payments of those sales; the methods add up to the sales */
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      const char *method = till_report_method_id ((TillReportMethod) m);
      g_autofree char *sql = g_strdup_printf (
        "SELECT total (amount_fen) FROM payment WHERE state = 'paid' AND method = '%s'"
        " AND sale_id IN (SELECT id FROM sale WHERE state IN ('paid', 'refunded')"
        " AND kind <> 'topup' AND " LOCAL_DAY ("closed_at") " = ?1)", method);
      g_autofree char *count_sql = g_strdup_printf (
        "SELECT count(*) FROM payment WHERE state = 'paid' AND method = '%s'"
        " AND sale_id IN (SELECT id FROM sale WHERE state IN ('paid', 'refunded')"
        " AND kind <> 'topup' AND " LOCAL_DAY ("closed_at") " = ?1)", method);
      g_autofree char *refund_sql = g_strdup_printf (
        "SELECT total (r.amount_fen) FROM refund r, payment p WHERE r.payment_id = p.id"
        " AND p.method = '%s' AND r.state = 'success' AND " LOCAL_DAY ("r.created_at")
        " = ?1", method);

      g_assert_cmpint (r->method_fen[m], ==, q_int (db, sql, date));
      g_assert_cmpint (r->method_count[m], ==, q_int (db, count_sql, date));
      g_assert_cmpint (r->method_refund_fen[m], ==, q_int (db, refund_sql, date));
      /* every method but stored value (the dataset has no members: test-store-member-sales
       * checks that line) */
      if (m != TILL_REPORT_STORED_VALUE)
        g_assert_cmpint (r->method_fen[m], >, 0);
      methods_total += r->method_fen[m];
    }
  g_assert_cmpint (methods_total, ==, gross);
  check_all_payments (db, date, r);

  /* hours, products and cashiers: aggregated here in C from the raw rows */
  stmt = q (db, "SELECT s.id, s.closed_at, s.total_fen, coalesce (s.cashier, '') FROM sale s"
                " WHERE s.state IN ('paid', 'refunded') AND " LOCAL_DAY ("s.closed_at") " = ?1",
            date);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 1)
                                                                 / G_USEC_PER_SEC);
      int h = g_date_time_get_hour (dt);
      const char *cashier = (const char *) sqlite3_column_text (stmt, 3);
      gint64 *acc = g_hash_table_lookup (cashiers, cashier);

      hours_fen[h] += sqlite3_column_int64 (stmt, 2);
      hours_n[h]++;
      if (acc == NULL)
        {
          acc = g_new0 (gint64, 2);
          g_hash_table_insert (cashiers, g_strdup (cashier), acc);
        }
      acc[0]++;
      acc[1] += sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);
  for (int h = 0; h < 24; h++)
    {
      g_assert_cmpint (r->hour_fen[h], ==, hours_fen[h]);
      g_assert_cmpuint (r->hour_count[h], ==, hours_n[h]);
    }
  g_assert_cmpuint (hours_n[3], ==, 0);
  g_assert_cmpuint (hours_n[12], >, 0);

  g_assert_cmpuint (r->cashiers->len, ==, g_hash_table_size (cashiers));
  for (guint i = 0; i < r->cashiers->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->cashiers, i);
      gint64 *acc = g_hash_table_lookup (cashiers, c->cashier);

      g_assert_nonnull (acc);
      g_assert_cmpint (c->n_sales, ==, acc[0]);
      g_assert_cmpint (c->amount_fen, ==, acc[1]);
      if (i > 0)
        g_assert_cmpint (c->amount_fen, <=,
                         ((TillReportCashier *) g_ptr_array_index (r->cashiers, i - 1))->amount_fen);
    }

  stmt = q (db, "SELECT l.product_id, l.name, l.qty_milli, l.line_total_fen"
                " FROM sale_line l, sale s WHERE l.sale_id = s.id AND s.state IN"
                " ('paid', 'refunded') AND " LOCAL_DAY ("s.closed_at") " = ?1", date);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "|%s",
                                              (gint64) sqlite3_column_int64 (stmt, 0),
                                              sqlite3_column_text (stmt, 1));
      gint64 *acc = g_hash_table_lookup (products, key);

      if (acc == NULL)
        {
          acc = g_new0 (gint64, 2);
          g_hash_table_insert (products, g_strdup (key), acc);
        }
      acc[0] += sqlite3_column_int64 (stmt, 2);
      acc[1] += sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_finalize (stmt);
  /* every product sold that day is in the top 20 here (11 products) */
  g_assert_cmpuint (r->products->len, ==, g_hash_table_size (products));
  for (guint i = 0; i < r->products->len; i++)
    {
      TillReportProduct *p = g_ptr_array_index (r->products, i);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "|%s", p->product_id, p->name);
      gint64 *acc = g_hash_table_lookup (products, key);

      g_assert_nonnull (acc);
      g_assert_cmpint (p->qty_milli, ==, acc[0]);
      g_assert_cmpint (p->amount_fen, ==, acc[1]);
      if (i > 0)
        g_assert_cmpint (p->amount_fen, <=,
                         ((TillReportProduct *) g_ptr_array_index (r->products, i - 1))->amount_fen);
    }

  /* voids */
  g_assert_cmpuint (r->n_voids, ==, q_int (db, "SELECT count(*) FROM sale WHERE state ="
                                               " 'voided' AND " LOCAL_DAY ("closed_at")
                                               " = ?1", date));
  g_assert_cmpint (r->voids_fen, ==, q_int (db, "SELECT total (total_fen) FROM sale WHERE"
                                                " state = 'voided' AND " LOCAL_DAY ("closed_at")
                                                " = ?1", date));
  g_assert_cmpuint (r->voids->len, ==, r->n_voids);
  g_assert_cmpuint (r->refunds->len, ==, r->n_refunds);
  g_assert_cmpuint (r->n_voids, >, 20);
}

static void
test_days (void)
{
  sqlite3 *db = raw_open (dataset_dir->path);

  for (int d = 0; d < N_DAYS; d++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TillReport) r = till_store_report_day (dataset_store, days[d], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (r->title_period, ==, days[d]);
      check_day (db, days[d], r);
    }
  sqlite3_close (db);
}

static void
test_dataset_shape (void)
{
  sqlite3 *db = raw_open (dataset_dir->path);

  /* the generator made what the figures rely on */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale WHERE state <> 'open'"), ==,
                   N_DAYS * PER_DAY);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM (SELECT sale_id FROM payment WHERE"
                                " state = 'paid' GROUP BY sale_id HAVING count(DISTINCT method) > 1)"),
                   >, 50);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM payment WHERE state = 'failed'"), >, 10);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale_line WHERE weighed = 1"), >, 500);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM refund WHERE state = 'success'"), >, 30);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM refund WHERE state <> 'success'"), >, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM refund"), ==, dataset_refunds);
  /* every paid sale is covered exactly by its paid payments */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sale s WHERE s.state = 'paid' AND"
                                " s.total_fen <> (SELECT sum (amount_fen) FROM payment p"
                                " WHERE p.sale_id = s.id AND p.state = 'paid')"), ==, 0);
  sqlite3_close (db);
}

static void
test_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReport) all = till_store_report_range (dataset_store, days[0], days[N_DAYS],
                                                       &error);
  gint64 gross = 0, refunds = 0;
  guint n = 0;
  sqlite3 *db = raw_open (dataset_dir->path);

  g_assert_no_error (error);
  for (int d = 0; d < N_DAYS; d++)
    {
      g_autoptr(TillReport) r = till_store_report_day (dataset_store, days[d], &error);

      gross += r->gross_fen;
      refunds += r->refunds_fen;
      n += r->n_sales;
    }
  g_assert_cmpint (all->gross_fen, ==, gross);
  g_assert_cmpint (all->refunds_fen, ==, refunds);
  g_assert_cmpuint (all->n_sales, ==, n);
  g_assert_cmpint (all->gross_fen, ==, raw_int (db, "SELECT total (total_fen) FROM sale"
                                                    " WHERE state IN ('paid', 'refunded')"));
  g_assert_cmpstr (all->title_period, ==, "2026-11-20 – 2026-11-23");
  sqlite3_close (db);

  /* an empty day and a malformed one */
  {
    g_autoptr(TillReport) empty = till_store_report_day (dataset_store, "2026-12-25", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (empty->n_sales, ==, 0);
    g_assert_cmpint (empty->average_fen, ==, 0);
    g_assert_cmpuint (empty->products->len, ==, 0);
  }
  for (guint i = 0; i < 5; i++)
    {
      const char *bad[] = { "2026-02-30", "2026/11/21", "21-11-2026", "2026-11-2", "" };

      g_assert_null (till_store_report_day (dataset_store, bad[i], &error));
      g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_null (till_store_report_range (dataset_store, days[2], days[0], &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
}

static void
test_query_plans (void)
{
  /* the period's sales are found by index, never by scanning the sale table */
  g_autofree char *plan = store_rows (dataset_store,
    "EXPLAIN QUERY PLAN SELECT count(*), sum (s.total_fen) FROM sale s"
    " WHERE s.state IN ('paid', 'refunded') AND s.closed_at >= 1 AND s.closed_at < 2");
  g_autofree char *refund_plan = store_rows (dataset_store,
    "EXPLAIN QUERY PLAN SELECT s.number FROM refund f JOIN payment p ON p.id = f.payment_id"
    " JOIN sale s ON s.id = p.sale_id WHERE f.state = 'success' AND f.created_at >= 1"
    " AND f.created_at < 2");

  g_assert_nonnull (strstr (plan, "sale_state_closed_at"));
  g_assert_null (strstr (plan, "SCAN s"));
  g_assert_nonnull (strstr (refund_plan, "refund_state_created_at"));
}

/* ---------------------------------------------------------------- top-ups */

static void
topup_pay_electronic (TillStore        *store,
                      TillSale         *sale,
                      TillPaymentMethod method)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trade_no = NULL;
  g_autofree char *transaction_id = NULL;
  gboolean sale_paid = FALSE;
  gint64 id;

  if (till_sale_get_id (sale) == 0)
    g_assert_true (till_store_save_sale (store, sale, "小李", "till-1", &error));
  g_assert_no_error (error);
  id = till_store_payment_begin (store, till_sale_get_id (sale), method,
                                 till_sale_get_total_fen (sale), "S01", "D01", "1234",
                                 till_clock_now_us (), 0, &trade_no, &error);
  g_assert_no_error (error);
  transaction_id = g_strdup_printf ("42000%s", trade_no + 1);
  g_assert_true (till_store_payment_mark_paid (store, id, transaction_id, &sale_paid, &error));
  g_assert_no_error (error);
  g_assert_true (sale_paid);
}

static TillSale *
topup_sale (TillStore  *store,
            TillMember *m,
            const char *name,
            gint64      amount_fen,
            gboolean    topup)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = till_store_next_sale_number (store, till_clock_now_us (), &error);
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, name, NULL, amount_fen, 1000,
                                                     FALSE);
  g_autoptr(TillSaleMember) sm = NULL;
  TillSale *sale;

  g_assert_no_error (error);
  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, till_clock_now_us ());
  g_assert_cmpuint (till_sale_add_line (sale, line, &error), !=, G_MAXUINT);
  if (m != NULL)
    {
      sm = till_sale_member_new (m->id, m->code, m->name, "138****8000", m->level_id,
                                 m->level_name);
      till_sale_set_member (sale, sm);
    }
  if (topup)
    till_sale_set_kind (sale, TILL_SALE_KIND_TOPUP);
  return sale;
}

/* Top-ups are not sales of goods: three top-ups (cash, WeChat Pay code, Alipay QR) and two
 * sales (one half from the card, half in cash; one by WeChat Pay) in one day. The sales
 * figures are the goods; the top-ups have lines of their own; goods methods + top-up
 * methods = every paid payment; the cash summary and the reconciliation keep the top-ups'
 * money. */
static void
test_topups (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillMember) m = NULL;
  g_autoptr(TillSale) cash_topup = NULL;
  g_autoptr(TillSale) wechat_topup = NULL;
  g_autoptr(TillSale) alipay_topup = NULL;
  g_autoptr(TillSale) card_sale = NULL;
  g_autoptr(TillSale) wechat_sale = NULL;
  g_autoptr(TillReport) r = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *date = till_report_local_date (till_clock_now_us ());
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  TillMemberFields f = { "张伟", "13800138000", NULL, 0, NULL, TRUE };
  TillCashSummary cash;
  gint64 member_id, paid_part = 0, bonus_part = 0, methods_total = 0, hours_total = 0;
  gint64 cashiers_total = 0;
  guint wechat_topup_items = 0;
  sqlite3 *db;

  member_id = till_store_add_member (store, &f, NULL, "Li", &error);
  g_assert_no_error (error);
  m = till_store_get_member (store, member_id, &error);
  g_assert_no_error (error);

  cash_topup = topup_sale (store, m, "Stored value top-up", 20000, TRUE);
  till_sale_set_topup_bonus_fen (cash_topup, 2000);
  g_assert_true (till_store_add_cash_payment (store, cash_topup, 20000, 20000, &error));
  g_assert_no_error (error);
  wechat_topup = topup_sale (store, m, "Stored value top-up", 10000, TRUE);
  topup_pay_electronic (store, wechat_topup, TILL_PAYMENT_METHOD_WECHAT_CODE);
  alipay_topup = topup_sale (store, m, "Stored value top-up", 5000, TRUE);
  topup_pay_electronic (store, alipay_topup, TILL_PAYMENT_METHOD_ALIPAY_QR);

  card_sale = topup_sale (store, m, "生日蛋糕", 5000, FALSE);
  g_assert_cmpint (till_store_add_stored_value_payment (store, card_sale, 2500, "Li", &paid_part,
                                                        &bonus_part, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (till_store_add_cash_payment (store, card_sale, 2500, 3000, &error));
  g_assert_no_error (error);
  wechat_sale = topup_sale (store, NULL, "可乐", 3000, FALSE);
  topup_pay_electronic (store, wechat_sale, TILL_PAYMENT_METHOD_WECHAT_CODE);

  r = till_store_report_day (store, date, &error);
  g_assert_no_error (error);

  /* the sales: goods only */
  g_assert_cmpuint (r->n_sales, ==, 2);
  g_assert_cmpint (r->gross_fen, ==, 8000);
  g_assert_cmpint (r->average_fen, ==, 4000);
  g_assert_cmpint (r->method_fen[TILL_REPORT_STORED_VALUE], ==, 2500);
  g_assert_cmpint (r->method_fen[TILL_REPORT_CASH], ==, 2500);
  g_assert_cmpint (r->method_fen[TILL_REPORT_WECHAT_CODE], ==, 3000);
  g_assert_cmpint (r->method_fen[TILL_REPORT_ALIPAY_QR], ==, 0);
  for (int m_ = 0; m_ < TILL_REPORT_N_METHODS; m_++)
    methods_total += r->method_fen[m_];
  g_assert_cmpint (methods_total, ==, r->gross_fen);
  for (int h = 0; h < 24; h++)
    hours_total += r->hour_fen[h];
  g_assert_cmpint (hours_total, ==, r->gross_fen);
  for (guint i = 0; i < r->cashiers->len; i++)
    cashiers_total += ((TillReportCashier *) g_ptr_array_index (r->cashiers, i))->amount_fen;
  g_assert_cmpint (cashiers_total, ==, r->gross_fen);
  for (guint i = 0; i < r->products->len; i++)
    g_assert_cmpstr (((TillReportProduct *) g_ptr_array_index (r->products, i))->name, !=,
                     "Stored value top-up");
  g_assert_cmpuint (r->products->len, ==, 2);

  /* the top-ups: apart, by method */
  g_assert_cmpuint (r->n_topups, ==, 3);
  g_assert_cmpint (r->topups_fen, ==, 35000);
  g_assert_cmpint (r->topup_method_fen[TILL_REPORT_CASH], ==, 20000);
  g_assert_cmpuint (r->topup_method_count[TILL_REPORT_CASH], ==, 1);
  g_assert_cmpint (r->topup_method_fen[TILL_REPORT_WECHAT_CODE], ==, 10000);
  g_assert_cmpint (r->topup_method_fen[TILL_REPORT_ALIPAY_QR], ==, 5000);
  g_assert_cmpint (r->topup_method_fen[TILL_REPORT_STORED_VALUE], ==, 0);

  /* goods methods + top-up methods = all paid payments, by SQL of a second connection */
  db = raw_open (dir->path);
  check_all_payments (db, date, r);
  g_assert_cmpint (raw_int (db, "SELECT total (amount_fen) FROM payment WHERE state = 'paid'"),
                   ==, 8000 + 35000);
  sqlite3_close (db);

  /* the renderings */
  text = till_report_to_text (r);
  csv = till_report_to_csv (r, NULL);
  json = till_report_to_json (r);
  g_assert_nonnull (strstr (text, "Stored value top-ups (not sales)"));
  g_assert_nonnull (strstr (text, "  Top-ups                          3        350.00\n"));
  g_assert_nonnull (strstr (text, "  Top-up · Cash                    1        200.00\n"));
  g_assert_nonnull (strstr (text, "  Gross sales                      2         80.00\n"));
  g_assert_nonnull (strstr (csv, "\"Top-ups\",\"Top-ups\",\"3\",\"350.00\",\"topups\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Top-ups\",\"Alipay QR\",\"1\",\"50.00\",\"alipay_qr\"\r\n"));
  g_assert_nonnull (strstr (json, "\"topups\":{\"count\":3,\"amount_fen\":35000,\"methods\":"
                                  "{\"cash\":{\"count\":1,\"amount_fen\":20000}"));
  g_assert_nonnull (strstr (json, "\"gross_fen\":8000,"));

  /* the drawer holds the top-up's cash: the cash summary counts it */
  g_assert_true (till_store_cash_summary (store, date, &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_sales_fen, ==, 20000 + 2500);
  g_assert_cmpint (cash.cash_sales_fen, ==, r->method_fen[TILL_REPORT_CASH]
                                              + r->topup_method_fen[TILL_REPORT_CASH]);

  /* WeChat Pay's bill has the top-up: the reconciliation keeps it */
  items = till_store_reconcile_items (store, date,
                                      TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_CODE)
                                      | TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_NATIVE),
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < items->len; i++)
    {
      TillReconcileItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->sale_number, till_sale_get_number (wechat_topup)) == 0)
        {
          g_assert_cmpint (item->amount_fen, ==, 10000);
          wechat_topup_items++;
        }
    }
  g_assert_cmpuint (wechat_topup_items, ==, 1);
}

/* ---------------------------------------------------------------- renderings */

static TillReport *
small_report (void)
{
  TillReport *r = till_report_new ();
  gint64 from, to;

  g_assert_true (till_report_parse_day ("2026-11-21", &from, &to, NULL));
  r->title_period = g_strdup ("2026-11-21");
  r->from_us = from;
  r->to_us = to;
  r->gross_fen = 12345;
  r->n_sales = 4;
  r->refunds_fen = 250;
  r->n_refunds = 1;
  r->net_fen = 12095;
  r->average_fen = till_report_average (12345, 4);
  r->method_fen[TILL_REPORT_CASH] = 2345;
  r->method_count[TILL_REPORT_CASH] = 2;
  r->method_fen[TILL_REPORT_WECHAT_CODE] = 10000;
  r->method_count[TILL_REPORT_WECHAT_CODE] = 2;
  r->method_refund_fen[TILL_REPORT_WECHAT_CODE] = 250;
  r->hour_fen[9] = 12345;
  r->hour_count[9] = 4;
  till_report_add_product (r, 1, "康师傅红烧牛肉面", 3000, 1350);
  till_report_add_product (r, 2, "Cola, \"zero\"", 1250, 375);
  till_report_add_cashier (r, "小王", 4, 12345);
  till_report_add_event (r->refunds, "20261121-0002", from + G_GINT64_CONSTANT (10) * 3600 * G_USEC_PER_SEC, 250,
                         "wechat_code", "R1", "顾客退货");
  return r;
}

static void
test_text (void)
{
  g_autoptr(TillReport) r = small_report ();
  g_autofree char *text = till_report_to_text (r);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint width = 0;

  g_assert_true (g_str_has_prefix (text, "Sales report  2026-11-21\n"));
  /* figures are right-aligned in the same column whatever the width of the label */
  for (guint i = 0; lines[i]; i++)
    {
      if (strstr (lines[i], "123.45") || strstr (lines[i], "13.50")
          || strstr (lines[i], "3.75"))
        {
          guint w = till_text_width (lines[i]);

          if (width == 0)
            width = w;
          g_assert_cmpuint (w, ==, width);
        }
    }
  g_assert_cmpuint (width, ==, 2 + 26 + 8 + 14);
  g_assert_nonnull (strstr (text, "  Gross sales                      4        123.45\n"));
  g_assert_nonnull (strstr (text, "  Average ticket                             30.86\n"));
  g_assert_nonnull (strstr (text, "  康师傅红烧牛肉面                 3         13.50\n"));
  g_assert_nonnull (strstr (text, "  Cola, \"zero\"                  1.25          3.75\n"));
  g_assert_nonnull (strstr (text, "  09:00–09:59                      4        123.45\n"));
  g_assert_nonnull (strstr (text, "  10:00 20261121-0002       wechat_code          2.50\n"));
}

static void
test_csv (void)
{
  g_autoptr(TillReport) r = small_report ();
  gsize length = 0;
  g_autofree char *csv = till_report_to_csv (r, &length);

  g_assert_cmpuint (length, ==, strlen (csv));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF\"Section\",\"Entry\","
                                        "\"Quantity\",\"Amount (yuan)\",\"Detail\"\r\n"));
  g_assert_true (g_utf8_validate (csv, -1, NULL));
  g_assert_nonnull (strstr (csv, "\r\n\"Totals\",\"Gross sales\",\"4\",\"123.45\",\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Product\",\"Cola, \"\"zero\"\"\",\"1.25\",\"3.75\",\"\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Method\",\"WeChat code\",\"2\",\"100.00\","
                                 "\"wechat_code\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Refund\",\"20261121-0002\",\"1\",\"2.50\","
                                 "\"2026-11-21 10:00:00 wechat_code R1 顾客退货\"\r\n"));
  /* CRLF only: no bare LF */
  for (gsize i = 0; i < length; i++)
    if (csv[i] == '\n')
      g_assert_cmpint (csv[i - 1], ==, '\r');
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
}

/* The cash rounding is a line of its own: in the report when there is any, always in the
 * CSV, the JSON and the Z report's drawer; the Z difference compares in the cash unit. */
static void
test_cash_rounding_lines (void)
{
  g_autoptr(TillReport) r = small_report ();
  g_autofree char *plain = till_report_to_text (r);
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *z = NULL;
  const guint counts[TILL_N_DENOMINATIONS] = { 0, 0, 0, 3, 0, 0, 0, 0 };
  TillCashSummary cash = {
    .float_fen = 0, .cash_sales_fen = 3001, .cash_rounding_fen = -1, .expected_fen = 3000,
    .expected_count_fen = 3000,
  };

  g_assert_null (strstr (plain, "Cash rounding"));
  r->cash_rounding_fen = -3;
  text = till_report_to_text (r);
  csv = till_report_to_csv (r, NULL);
  json = till_report_to_json (r);
  g_assert_nonnull (strstr (text, "  Cash rounding                              -0.03\n"));
  g_assert_nonnull (strstr (csv, "\"Method\",\"Cash rounding\",\"\",\"-0.03\","
                                 "\"cash_rounding\"\r\n"));
  g_assert_nonnull (strstr (json, "\"cash_rounding_fen\":-3"));

  z = till_report_z_text (r, &cash, counts, 3000, "店长");
  g_assert_nonnull (strstr (z, "  Cash sales                                 30.01\n"));
  g_assert_nonnull (strstr (z, "  Cash rounding                              -0.01\n"));
  g_assert_nonnull (strstr (z, "  Expected                                   30.00\n"));
  g_assert_nonnull (strstr (z, "  Difference                                  0.00\n"));
  g_assert_null (strstr (z, "Expected in cash unit"));
  g_clear_pointer (&z, g_free);

  /* taken to the fen: expected ¥30.01, a count of ¥30.00 matches it in the jiao */
  cash.cash_rounding_fen = 0;
  cash.expected_fen = 3001;
  till_cash_summary_set_rounding (&cash, TILL_CASH_ROUNDING_JIAO);
  g_assert_cmpint (cash.expected_count_fen, ==, 3000);
  z = till_report_z_text (r, &cash, counts, 3000, "店长");
  g_assert_nonnull (strstr (z, "  Expected in cash unit                      30.00\n"));
  g_assert_nonnull (strstr (z, "  Difference                                  0.00\n"));
  g_clear_pointer (&z, g_free);
  till_cash_summary_set_rounding (&cash, TILL_CASH_ROUNDING_NONE);
  z = till_report_z_text (r, &cash, counts, 3000, "店长");
  g_assert_nonnull (strstr (z, "  Difference                                 -0.01\n"));
}

/* Every method a payment can record has its line, by its own id, in the same order; the
 * Alipay ones under their own names in the text, the CSV and the JSON, their refunds too. */
static void
test_methods (void)
{
  g_autoptr(TillReport) r = small_report ();
  g_autofree char *text = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;

  for (int m = 0; m < TILL_PAYMENT_METHOD_COUNT; m++)
    {
      const char *id = till_payment_method_to_string ((TillPaymentMethod) m);

      g_assert_cmpint (till_report_method_from_id (id), ==, m);
      g_assert_cmpstr (till_report_method_id ((TillReportMethod) m), ==, id);
      g_assert_nonnull (till_report_method_label ((TillReportMethod) m));
    }
  g_assert_cmpint (till_report_method_from_id ("unionpay"), ==, -1);
  g_assert_cmpstr (till_report_method_label (TILL_REPORT_ALIPAY_CODE), ==,
                   "Alipay code");
  g_assert_cmpstr (till_report_method_label (TILL_REPORT_ALIPAY_QR), ==, "Alipay QR");

  r->method_fen[TILL_REPORT_WECHAT_NATIVE] = 800;
  r->method_count[TILL_REPORT_WECHAT_NATIVE] = 1;
  r->method_fen[TILL_REPORT_ALIPAY_CODE] = 3300;
  r->method_count[TILL_REPORT_ALIPAY_CODE] = 2;
  r->method_fen[TILL_REPORT_ALIPAY_QR] = 1999;
  r->method_count[TILL_REPORT_ALIPAY_QR] = 1;
  r->method_refund_fen[TILL_REPORT_ALIPAY_QR] = 500;
  till_report_add_event (r->refunds, "20261121-0004",
                         r->from_us + G_GINT64_CONSTANT (11) * 3600 * G_USEC_PER_SEC, 500,
                         "alipay_qr", "R2", "少找");
  text = till_report_to_text (r);
  csv = till_report_to_csv (r, NULL);
  json = till_report_to_json (r);

  g_assert_nonnull (strstr (text, "  Cash                             2         23.45\n"
                                  "  WeChat code                      2        100.00\n"
                                  "  WeChat QR                        1          8.00\n"
                                  "  Alipay code                      2         33.00\n"
                                  "  Alipay QR                        1         19.99\n"));
  g_assert_nonnull (strstr (text, "  Refund · Alipay QR                         -5.00\n"));
  g_assert_nonnull (strstr (text, "  11:00 20261121-0004       alipay_qr          5.00\n"));

  g_assert_nonnull (strstr (csv, "\"Method\",\"Alipay code\",\"2\",\"33.00\","
                                 "\"alipay_code\"\r\n"
                                 "\"Method\",\"Alipay QR\",\"1\",\"19.99\","
                                 "\"alipay_qr\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Refunds by method\",\"Alipay code\",\"\","
                                 "\"0.00\",\"alipay_code\"\r\n"
                                 "\"Refunds by method\",\"Alipay QR\",\"\","
                                 "\"5.00\",\"alipay_qr\"\r\n"));
  g_assert_nonnull (strstr (csv, "\"Refund\",\"20261121-0004\",\"1\",\"5.00\","
                                 "\"2026-11-21 11:00:00 alipay_qr R2 少找\"\r\n"));

  g_assert_nonnull (strstr (json, "\"alipay_code\":{\"count\":2,\"amount_fen\":3300,"
                                  "\"refund_fen\":0},\"alipay_qr\":{\"count\":1,"
                                  "\"amount_fen\":1999,\"refund_fen\":500},"
                                  "\"stored_value\":{\"count\":0,\"amount_fen\":0,"
                                  "\"refund_fen\":0}}"));
}

static void
test_helpers (void)
{
  g_autofree char *a = till_report_format_qty (3000);
  g_autofree char *b = till_report_format_qty (455);
  g_autofree char *c = till_report_format_qty (1250);

  g_assert_cmpstr (a, ==, "3");
  g_assert_cmpstr (b, ==, "0.455");
  g_assert_cmpstr (c, ==, "1.25");
  g_assert_cmpint (till_report_average (10, 4), ==, 3);   /* 2.5 -> 3 */
  g_assert_cmpint (till_report_average (9, 4), ==, 2);    /* 2.25 -> 2 */
  g_assert_cmpint (till_report_average (11, 4), ==, 3);   /* 2.75 -> 3 */
  g_assert_cmpint (till_report_average (5, 0), ==, 0);
  g_assert_cmpuint (till_text_width ("ab中文"), ==, 6);
  g_assert_cmpuint (till_text_width ("￥"), ==, 2);
}

/* Thousands of sales: keep their informational messages out of the test log. */
static GLogWriterOutput
quiet_writer_cb (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  dataset_dir = test_dir_new ();
  dataset_store = till_store_open (dataset_dir->path, &error);
  g_assert_no_error (error);
  g_log_set_writer_func (quiet_writer_cb, NULL, NULL);
  dataset_refunds = dataset_generate (dataset_store, 20261121, N_DAYS, PER_DAY);

  g_test_add_func ("/report/dataset-shape", test_dataset_shape);
  g_test_add_func ("/report/days", test_days);
  g_test_add_func ("/report/range-empty-malformed", test_range);
  g_test_add_func ("/report/query-plans", test_query_plans);
  g_test_add_func ("/report/text", test_text);
  g_test_add_func ("/report/csv", test_csv);
  g_test_add_func ("/report/cash-rounding", test_cash_rounding_lines);
  g_test_add_func ("/report/methods", test_methods);
  g_test_add_func ("/report/topups", test_topups);
  g_test_add_func ("/report/helpers", test_helpers);
  rc = g_test_run ();

  g_clear_object (&dataset_store);
  test_dir_free (dataset_dir);
  return rc;
}
