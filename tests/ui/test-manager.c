/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI tests of the managers' windows on Xvfb with a real store in a temp dir: sign-in and
 * the PIN lock, manager approvals (audit rows), the reports window against the store's own
 * report, CSV export, the day close, a partial cash refund through TillRefundService, the
 * reconciliation tab, receipt printing to a file, and the preferences behind a manager's PIN
 * (Ctrl+comma in the cashier's window). Screenshots go to meson-logs. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include "till-alipay-bill.h"
#include "till-cash-movement-window.h"
#include "till-day-close-window.h"
#include "till-hour-chart.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-system-printer.h"
#include "till-refund-window.h"
#include "till-report-window.h"
#include "till-shift.h"
#include "till-signin-window.h"
#include "till-store-cash.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-store-reports.h"
#include "till-store-sales-list.h"
#include "till-text-row.h"
#include "till-ui-test.h"

#define COLA_EAN  "6954767002057"
#define CHIPS_EAN "6924678006079"
#define WAIT_MS   10000

#define MANAGER_PIN "8642"
#define CASHIER_PIN "1357"

typedef struct
{
  TillUiFixture *f;
  TillPeople    *people;
  gint64         manager_id;
  gint64         cashier_id;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->f = till_ui_fixture_new ();
  fx->people = g_object_ref (till_shift_get_people (till_context_get_shift (fx->f->context)));
  fx->manager_id = till_people_add (fx->people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN,
                                    "test", &error);
  g_assert_no_error (error);
  fx->cashier_id = till_people_add (fx->people, "小张", TILL_ROLE_CASHIER, CASHIER_PIN, "test",
                                    &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->people);
  till_ui_fixture_free (fx->f);
}

/* A cash sale of `n_cola` colas and `n_chips` chips, paid with `tendered` (0 = exact). */
static char *
make_cash_sale (Fixture *fx,
                guint    n_cola,
                guint    n_chips,
                gint64   tendered)
{
  TillStore *store = fx->f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) cola = till_store_lookup_barcode (store, COLA_EAN, &error);
  g_autoptr(TillProduct) chips = till_store_lookup_barcode (store, CHIPS_EAN, &error);
  g_autofree char *number = till_store_next_sale_number_for_till (store, till_context_get_till_id (fx->f->context),
                                                                  g_get_real_time (), &error);
  g_autoptr(TillSale) sale = till_sale_new (number);

  g_assert_no_error (error);
  if (n_cola > 0)
    {
      g_autoptr(TillSaleLine) line = till_sale_line_new (cola->id, cola->barcode, cola->name,
                                                         cola->unit, cola->price_fen,
                                                         n_cola * 1000, FALSE);
      till_sale_add_line (sale, line, &error);
      g_assert_no_error (error);
    }
  if (n_chips > 0)
    {
      g_autoptr(TillSaleLine) line = till_sale_line_new (chips->id, chips->barcode, chips->name,
                                                         chips->unit, chips->price_fen,
                                                         n_chips * 1000, FALSE);
      till_sale_add_line (sale, line, &error);
      g_assert_no_error (error);
    }
  g_assert_true (till_store_save_sale (store, sale, "小张", till_context_get_till_id (fx->f->context), &error));
  g_assert_no_error (error);
  g_assert_true (till_store_complete_cash_sale (store, sale,
                                                tendered > 0 ? tendered
                                                             : till_sale_get_total_fen (sale),
                                                &error));
  g_assert_no_error (error);
  return g_steal_pointer (&number);
}

/* A sale of `n_cola` colas paid by `method` (an electronic one) as the payment service
 * stores it; returns the sale's id. */
static gint64
make_epay_sale (Fixture           *fx,
                guint              n_cola,
                TillPaymentMethod  method)
{
  TillStore *store = fx->f->store;
  const char *till_id = till_context_get_till_id (fx->f->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillProduct) cola = till_store_lookup_barcode (store, COLA_EAN, &error);
  g_autofree char *number = till_store_next_sale_number_for_till (store, till_id,
                                                                  g_get_real_time (), &error);
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (cola->id, cola->barcode, cola->name,
                                                     cola->unit, cola->price_fen,
                                                     n_cola * 1000, FALSE);
  g_autofree char *trade_no = NULL;
  g_autofree char *transaction_id = NULL;
  gint64 id;

  till_sale_add_line (sale, line, &error);
  g_assert_no_error (error);
  g_assert_true (till_store_save_sale (store, sale, "小张", till_id, &error));
  id = till_store_payment_begin (store, till_sale_get_id (sale), method,
                                 till_sale_get_total_fen (sale), "S01", "D01", "1234",
                                 g_get_real_time (), 0, &trade_no, &error);
  g_assert_no_error (error);
  transaction_id = g_strdup_printf ("2026%s", trade_no);
  g_assert_true (till_store_payment_mark_paid (store, id, transaction_id, NULL, &error));
  g_assert_no_error (error);
  return till_sale_get_id (sale);
}

static char *
today (void)
{
  return till_report_local_date (g_get_real_time ());
}

static gint64
count_audit (Fixture    *fx,
             const char *action)
{
  g_autofree char *n = till_ui_query_text (fx->f, "SELECT count(*) FROM audit WHERE action = ?1",
                                           action);

  return g_ascii_strtoll (n, NULL, 10);
}

/* ---- sign-in ---- */

static void
test_signin (Fixture       *fx,
             gconstpointer  data)
{
  TillSigninWindow *w;
  TillShift *shift = till_context_get_shift (fx->f->context);
  g_autofree char *shot = NULL;

  till_people_set_lockout (fx->people, 5, 600);
  w = till_signin_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, TRUE);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (w), "signin") == 0, WAIT_MS);
  g_assert_true (till_signin_window_select_person (w, "小张"));

  /* A required sign-in cannot be closed away. */
  gtk_window_close (GTK_WINDOW (w));
  till_ui_pump (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (w)));

  till_signin_window_set_pin (w, "0000");
  till_signin_window_submit (w);
  TILL_UI_WAIT_FOR (!till_signin_window_get_busy (w), WAIT_MS);
  g_assert_nonnull (strstr (till_signin_window_get_message (w), "Wrong PIN"));
  g_assert_null (till_shift_get_cashier (shift));
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-signin");

  till_signin_window_set_pin (w, CASHIER_PIN);
  till_signin_window_submit (w);
  TILL_UI_WAIT_FOR (till_shift_get_cashier (shift) != NULL, WAIT_MS);
  g_assert_cmpstr (till_shift_get_cashier (shift), ==, "小张");
  g_assert_cmpint (till_shift_get_person_id (shift), ==, fx->cashier_id);
  g_assert_cmpint (count_audit (fx, "sign_in"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);

  /* Five wrong PINs lock the PIN, and then even the right one is refused. */
  till_shift_set_person (shift, NULL);
  w = till_signin_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, FALSE);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (w), "signin") == 0, WAIT_MS);
  g_assert_true (till_signin_window_select_person (w, "小张"));
  for (guint i = 0; i < 5; i++)
    {
      till_signin_window_set_pin (w, "9999");
      till_signin_window_submit (w);
      TILL_UI_WAIT_FOR (!till_signin_window_get_busy (w), WAIT_MS);
      if (i < 4)
        g_assert_nonnull (strstr (till_signin_window_get_message (w), "Wrong PIN"));
    }
  till_signin_window_set_pin (w, CASHIER_PIN);
  till_signin_window_submit (w);
  TILL_UI_WAIT_FOR (!till_signin_window_get_busy (w), WAIT_MS);
  g_assert_nonnull (strstr (till_signin_window_get_message (w), "PIN locked"));
  g_assert_nonnull (strstr (till_signin_window_get_message (w), "10 minutes"));
  g_assert_null (till_shift_get_cashier (shift));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

static void
test_first_manager (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillShift *shift = till_context_get_shift (f->context);
  TillSigninWindow *w = till_signin_window_new (GTK_WINDOW (f->cashier), f->context, TRUE);
  g_autoptr(GError) error = NULL;

  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (w), "setup") == 0, WAIT_MS);
  till_signin_window_set_setup (w, "老板", "24680", "24681");
  till_signin_window_submit (w);
  g_assert_nonnull (strstr (till_signin_window_get_message (w), "differ"));
  till_signin_window_set_setup (w, "老板", "24680", "24680");
  till_signin_window_submit (w);
  TILL_UI_WAIT_FOR (till_shift_get_cashier (shift) != NULL, WAIT_MS);
  g_assert_cmpstr (till_shift_get_cashier (shift), ==, "老板");
  g_assert_cmpint (till_store_people_count_managers (f->store, &error), ==, 1);
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
  till_ui_fixture_free (f);
}

/* ---- approvals ---- */

typedef struct
{
  TillPinWindow *pin;
  TillPerson    *approved;
} PinRun;

static void
approved_cb (TillPinWindow *pin,
             TillPerson    *manager,
             PinRun        *run)
{
  run->approved = till_person_copy (manager);
}

static void
pin_try (TillPinWindow *pin,
         const char    *value)
{
  till_pin_window_set_pin (pin, value);
  till_pin_window_submit (pin);
  TILL_UI_WAIT_FOR (!till_pin_window_get_busy (pin), WAIT_MS);
}

static void
test_approval (Fixture       *fx,
               gconstpointer  data)
{
  PinRun run = { 0 };
  TillPinWindow *pin;

  till_people_set_lockout (fx->people, 5, 300);
  pin = till_pin_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, TILL_APPROVAL_REPORTS,
                             NULL, "reports");
  g_object_ref_sink (pin);
  g_signal_connect (pin, "approved", G_CALLBACK (approved_cb), &run);
  gtk_window_present (GTK_WINDOW (pin));

  /* The cashier's PIN is not a manager's. */
  pin_try (pin, CASHIER_PIN);
  g_assert_null (run.approved);
  g_assert_nonnull (strstr (till_pin_window_get_message (pin), "Wrong manager PIN"));
  g_assert_cmpint (count_audit (fx, "approve:reports"), ==, 0);

  pin_try (pin, MANAGER_PIN);
  TILL_UI_WAIT_FOR (run.approved != NULL, WAIT_MS);
  g_assert_cmpstr (run.approved->name, ==, "王店长");
  g_assert_cmpint (count_audit (fx, "approve:reports"), ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pin)));
  g_clear_pointer (&run.approved, till_person_free);
  g_object_unref (pin);

  /* Five wrong approval PINs lock the managers: the sixth try, right or not, says so. */
  pin = till_pin_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, TILL_APPROVAL_REFUND,
                             "{\"sale\":\"x\"}", NULL);
  g_object_ref_sink (pin);
  g_signal_connect (pin, "approved", G_CALLBACK (approved_cb), &run);
  gtk_window_present (GTK_WINDOW (pin));
  for (guint i = 0; i < 5; i++)
    pin_try (pin, "0000");
  pin_try (pin, MANAGER_PIN);
  g_assert_null (run.approved);
  g_assert_nonnull (strstr (till_pin_window_get_message (pin), "PIN locked"));
  g_assert_nonnull (strstr (till_pin_window_get_message (pin), "5 minutes"));
  g_assert_cmpint (count_audit (fx, "approve:refund"), ==, 0);
  gtk_window_destroy (GTK_WINDOW (pin));
  g_object_unref (pin);
}

static void
test_no_manager_offers_setup (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPinWindow *pin = till_pin_window_new (GTK_WINDOW (f->cashier), f->context,
                                            TILL_APPROVAL_DAY_CLOSE, NULL, NULL);

  g_object_ref_sink (pin);
  gtk_window_present (GTK_WINDOW (pin));
  TILL_UI_WAIT_FOR (strstr (till_pin_window_get_message (pin), "no manager") != NULL, WAIT_MS);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (pin)) && FALSE);
  gtk_window_destroy (GTK_WINDOW (pin));
  g_object_unref (pin);
  till_ui_fixture_free (f);
}

/* ---- reports ---- */

static TillReportWindow *
open_report (Fixture    *fx,
             const char *date)
{
  TillReportWindow *w = till_report_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context);

  g_object_ref_sink (w);
  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 760);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  if (date != NULL)
    {
      till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, date);
      TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
    }
  return w;
}

static void
assert_money_label (const char *shown,
                    gint64      fen)
{
  g_autofree char *expected = till_money_format (fen);

  g_assert_cmpstr (shown, ==, expected);
}

typedef struct
{
  gboolean done;
  gboolean ok;
} Done;

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Done *d = user_data;
  g_autoptr(GError) error = NULL;

  d->ok = till_report_window_export_csv_finish (TILL_REPORT_WINDOW (object), result, &error);
  g_assert_no_error (error);
  d->done = TRUE;
}

static void
test_reports (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *date = today ();
  g_autoptr(TillReport) expected = NULL;
  g_autoptr(GError) error = NULL;
  TillReportWindow *w;
  g_autofree char *count = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *gross_plain = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *shot = NULL;
  gsize csv_len = 0;
  Done d = { 0 };
  GtkWidget *chart;

  /* A generated day: 12 cash sales of different sizes, Alipay's code and QR, and a refund
   * of the QR sale to Alipay. */
  for (guint i = 0; i < 12; i++)
    g_free (make_cash_sale (fx, 1 + i % 4, i % 3, 0));
  make_epay_sale (fx, 2, TILL_PAYMENT_METHOD_ALIPAY_CODE);
  {
    gint64 qr_sale = make_epay_sale (fx, 3, TILL_PAYMENT_METHOD_ALIPAY_QR);
    g_autoptr(GPtrArray) rows = till_store_refund_begin (fx->f->store, qr_sale, 120, "少找零",
                                                         "王店长", TRUE, g_get_real_time (), 0,
                                                         &error);
    const TillRefundRecord *rf;

    g_assert_no_error (error);
    rf = g_ptr_array_index (rows, 0);
    till_refund_record_free (till_store_refund_update (fx->f->store, rf->id,
                                                       TILL_REFUND_STATE_SUCCESS, "R-ALI-1",
                                                       NULL, 0, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  till_store_flush (fx->f->store);
  expected = till_store_report_day (fx->f->store, date, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->n_sales, ==, 14);
  g_assert_cmpuint (expected->method_count[TILL_REPORT_ALIPAY_CODE], ==, 1);
  g_assert_cmpuint (expected->method_count[TILL_REPORT_ALIPAY_QR], ==, 1);
  g_assert_cmpint (expected->method_refund_fen[TILL_REPORT_ALIPAY_QR], ==, 120);

  w = open_report (fx, NULL);
  g_assert_cmpstr (till_report_window_get_status (w), ==, "");
  g_assert_false (till_report_window_get_empty (w));
  assert_money_label (till_report_window_get_figure (w, "gross"), expected->gross_fen);
  assert_money_label (till_report_window_get_figure (w, "refunds"), expected->refunds_fen);
  assert_money_label (till_report_window_get_figure (w, "net"), expected->net_fen);
  assert_money_label (till_report_window_get_figure (w, "average"), expected->average_fen);
  count = g_strdup_printf ("%u", expected->n_sales);
  g_assert_cmpstr (till_report_window_get_figure (w, "count"), ==, count);
  {
    GListModel *methods = till_report_window_get_rows (w, "methods");
    g_autoptr(TillTextRow) cash = g_list_model_get_item (methods, TILL_REPORT_CASH);

    assert_money_label (till_text_row_get_cell (cash, 2), expected->method_fen[TILL_REPORT_CASH]);
    /* one row per method, in order, then the rounding when there is any */
    g_assert_cmpuint (g_list_model_get_n_items (methods), ==, TILL_REPORT_N_METHODS);
    for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
      {
        g_autoptr(TillTextRow) row = g_list_model_get_item (methods, m);
        g_autofree char *n = g_strdup_printf ("%u", expected->method_count[m]);

        g_assert_cmpstr (till_text_row_get_cell (row, 0), ==, till_report_method_label (m));
        g_assert_cmpstr (till_text_row_get_cell (row, 1), ==, n);
        assert_money_label (till_text_row_get_cell (row, 2), expected->method_fen[m]);
        assert_money_label (till_text_row_get_cell (row, 3), expected->method_refund_fen[m]);
        assert_money_label (till_text_row_get_cell (row, 4),
                            expected->method_fen[m] - expected->method_refund_fen[m]);
      }
    {
      g_autoptr(TillTextRow) qr = g_list_model_get_item (methods, TILL_REPORT_ALIPAY_QR);
      GListModel *events = till_report_window_get_rows (w, "events");
      g_autoptr(TillTextRow) refund = g_list_model_get_item (events, 0);

      g_assert_cmpstr (till_text_row_get_cell (qr, 0), ==, "Alipay QR");
      assert_money_label (till_text_row_get_cell (qr, 3), 120);
      /* the refund names the method it went back to */
      g_assert_cmpstr (till_text_row_get_cell (refund, 0), ==, "Refund");
      g_assert_cmpstr (till_text_row_get_cell (refund, 4), ==, "Alipay QR");
    }
    g_assert_cmpuint (g_list_model_get_n_items (till_report_window_get_rows (w, "products")), ==,
                      expected->products->len);
  }
  chart = gtk_widget_get_first_child (GTK_WIDGET (w));
  (void) chart;
  {
    /* The chart holds the store's hours. */
    GtkWidget *found = NULL;
    GtkWidget *stack[64];
    int top = 0;

    stack[top++] = GTK_WIDGET (w);
    while (top > 0 && found == NULL)
      {
        GtkWidget *widget = stack[--top];

        if (TILL_IS_HOUR_CHART (widget))
          found = widget;
        for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL && top < 64;
             c = gtk_widget_get_next_sibling (c))
          stack[top++] = c;
      }
    g_assert_nonnull (found);
    for (guint h = 0; h < 24; h++)
      g_assert_cmpint (till_hour_chart_get_value (TILL_HOUR_CHART (found), h), ==,
                       expected->hour_fen[h]);
  }
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-reports");

  /* CSV: UTF-8 BOM first, the gross total inside. */
  csv_path = g_build_filename (fx->f->dir, "report.csv", NULL);
  file = g_file_new_for_path (csv_path);
  till_report_window_export_csv_async (w, file, export_cb, &d);
  TILL_UI_WAIT_FOR (d.done, WAIT_MS);
  g_assert_true (d.ok);
  g_assert_true (g_file_get_contents (csv_path, &csv, &csv_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (csv_len, >, 3);
  g_assert_cmpmem (csv, 3, "\xEF\xBB\xBF", 3);
  g_assert_nonnull (strstr (csv, "\r\n"));
  gross_plain = till_money_format_plain (expected->gross_fen);
  g_assert_nonnull (strstr (csv, gross_plain));
  {
    g_autofree char *direct = till_report_to_csv (expected, NULL);

    g_assert_cmpstr (csv, ==, direct);
  }

  /* A week that holds today shows the same sales. */
  till_report_window_show_period (w, TILL_REPORT_PERIOD_WEEK, date);
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_cmpstr (till_report_window_get_figure (w, "count"), ==, count);
  g_assert_nonnull (strstr (till_report_window_get_reconcile_job (w, NULL), "per day"));

  /* A day without a sale, refund or void: the summary is a status page saying so. */
  till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, "2001-01-01");
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_true (till_report_window_get_empty (w));
  g_free (till_ui_screenshot (GTK_WIDGET (w), "manager-reports-empty"));
  till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, date);
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_false (till_report_window_get_empty (w));

  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

/* ---- reconciliation ---- */

/* The stack under `root` that has a page named `name` (depth first). */
static GtkStack *
find_stack_with (GtkWidget  *root,
                 const char *name)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_child_by_name (GTK_STACK (root), name) != NULL)
    return GTK_STACK (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkStack *found = find_stack_with (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A day's Alipay 业务明细 (UTF-8 with a BOM, as the parser also takes it): a trade and a
 * refund of it the till never saw. */
static TillBill *
alipay_bill (void)
{
  g_autoptr(GError) error = NULL;
  const char *csv =
    "\xEF\xBB\xBF#支付宝业务明细查询\n"
    "#账号：[20881000000000010156]\n"
    "#-----------------------------------------业务明细列表----------------------------------------\n"
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,"
    "对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,"
    "商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
    "退款批次号/请求号,服务费（元）,分润（元）,备注\n"
    "2026112122001400001\t,ALIONLY0001\t,交易\t,水,2026-11-21 10:00:00,2026-11-21 10:00:05,"
    "S01\t,S01\t,\t,\t,*三(z***@example.com)\t,30.00,30.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,"
    "0.00,\t,0.00,0.00,水\n"
    "2026112122001400001\t,ALIONLY0001\t,退款\t,水,2026-11-21 10:00:00,2026-11-21 11:00:00,"
    "S01\t,S01\t,\t,\t,*三(z***@example.com)\t,-5.00,-5.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,"
    "0.00,ALIREFUND0001\t,0.00,0.00,水\n"
    "#-----------------------------------------业务明细列表结束------------------------------------\n";
  TillBill *bill = till_alipay_bill_parse_csv (csv, strlen (csv), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (bill->rows->len, ==, 2);
  return bill;
}

static void
test_reconciliation (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "bill-27col.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReconciliation) result = NULL;
  g_autoptr(TillReconciliation) alipay = NULL;
  g_autoptr(TillBill) ali_bill = alipay_bill ();
  TillReportWindow *w;
  GtkStack *stack;
  gsize len = 0;
  TillBill *bill;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  bill = till_bill_parse (contents, len, &error);
  g_assert_no_error (error);

  /* No provider set up and nothing stored: the tab says so, no provider is shown. */
  w = open_report (fx, "2026-11-21");
  g_assert_null (till_payment_runtime_get_bill_service (till_ui_runtime (fx->f)));
  g_assert_false (till_report_window_get_reconcile_shown (w, "wechat"));
  g_assert_false (till_report_window_get_reconcile_shown (w, "alipay"));
  g_assert_nonnull (strstr (till_report_window_get_reconcile_job (w, NULL), "not configured"));

  /* The till sold nothing electronic that day: every bill row is missing at the till. */
  result = till_store_reconcile_day (fx->f->store, "2026-11-21", "wechat",
                                     TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_CODE)
                                     | TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_WECHAT_NATIVE),
                                     bill, g_get_real_time (), &error);
  g_assert_no_error (error);
  till_bill_free (bill);
  g_assert_cmpuint (result->differences->len, >, 0);
  alipay = till_store_reconcile_day (fx->f->store, "2026-11-21", "alipay",
                                     TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_ALIPAY_CODE)
                                     | TILL_PAYMENT_METHOD_BIT (TILL_PAYMENT_METHOD_ALIPAY_QR),
                                     ali_bill, g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alipay->differences->len, ==, 2);

  /* Results stored (while a provider was set up) are shown, each in its own part. */
  till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, "2026-11-21");
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_true (till_report_window_get_reconcile_shown (w, "wechat"));
  g_assert_true (till_report_window_get_reconcile_shown (w, "alipay"));
  g_assert_cmpstr (till_report_window_get_reconcile_job (w, NULL), ==, "");
  {
    g_autofree char *n = g_strdup_printf ("%u differences", result->differences->len);
    GListModel *rows = till_report_window_get_reconcile_rows (w, "wechat");
    const TillReconcileDiff *first = g_ptr_array_index (result->differences, 0);
    g_autoptr(TillTextRow) row = NULL;

    g_assert_nonnull (strstr (till_report_window_get_reconcile_status (w, "wechat"), n));
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, result->differences->len);
    row = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (till_text_row_get_cell (row, 1), ==, first->key);
    if (first->kind == TILL_RECONCILE_MISSING_AT_TILL)
      g_assert_nonnull (strstr (till_text_row_get_cell (row, 0), "Missing at the till"));
  }
  {
    GListModel *rows = till_report_window_get_reconcile_rows (w, "alipay");
    g_autoptr(TillTextRow) trade = NULL;
    g_autoptr(TillTextRow) refund = NULL;

    g_assert_nonnull (strstr (till_report_window_get_reconcile_status (w, "alipay"),
                              "2 differences"));
    g_assert_nonnull (strstr (till_report_window_get_reconcile_counts (w, "alipay"),
                              "Missing at the till 2 "));
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
    trade = g_list_model_get_item (rows, 0);
    refund = g_list_model_get_item (rows, 1);
    g_assert_cmpstr (till_text_row_get_cell (trade, 1), ==, "ALIONLY0001");
    g_assert_nonnull (strstr (till_text_row_get_cell (trade, 0), "Missing at the till"));
    g_assert_nonnull (strstr (till_text_row_get_cell (trade, 2), "30.00"));
    g_assert_cmpstr (till_text_row_get_cell (trade, 3), ==, "—");
    g_assert_nonnull (strstr (till_text_row_get_cell (trade, 6), "Payment"));
    g_assert_cmpstr (till_text_row_get_cell (refund, 1), ==, "ALIREFUND0001");
    g_assert_nonnull (strstr (till_text_row_get_cell (refund, 2), "5.00"));
    g_assert_nonnull (strstr (till_text_row_get_cell (refund, 6), "Refund"));
  }
  /* Neither provider is set up: no "Fetch now", and asking says so. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (w), "report.fetch-bill", "s", "alipay")
                  && till_report_window_get_fetching (w));
  g_assert_false (till_report_window_get_fetching (w));

  stack = find_stack_with (GTK_WIDGET (w), "reconcile");
  g_assert_nonnull (stack);
  gtk_stack_set_visible_child_name (stack, "reconcile");
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-reconciliation");

  /* Another day has nothing stored: nothing shown again. */
  till_report_window_show_period (w, TILL_REPORT_PERIOD_DAY, "2026-11-22");
  TILL_UI_WAIT_FOR (!till_report_window_get_loading (w), WAIT_MS);
  g_assert_false (till_report_window_get_reconcile_shown (w, "alipay"));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

/* ---- day close ---- */

static void
test_day_close (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *date = today ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TillDayClose) stored = NULL;
  g_autofree char *shot = NULL;
  TillDayCloseWindow *w;
  TillCashSummary cash;
  g_autoptr(GtkWindow) pin = NULL;
  gint64 counted;

  g_assert_true (till_store_cash_record (fx->f->store, TILL_CASH_FLOAT, 20000, NULL, "test", &error));
  g_assert_no_error (error);
  g_free (make_cash_sale (fx, 3, 1, 10000));
  g_free (make_cash_sale (fx, 1, 2, 0));
  g_assert_true (till_store_cash_summary (fx->f->store, date, &cash, &error));
  g_assert_no_error (error);

  w = till_day_close_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, NULL);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (w), WAIT_MS);
  g_assert_cmpint (till_day_close_window_get_expected_fen (w), ==, cash.expected_fen);
  g_assert_false (till_day_close_window_get_closed (w));

  /* Count ¥5 less than expected (at most one ¥0.1 coin away from an exact count). */
  counted = cash.expected_fen - 500;
  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    {
      till_day_close_window_set_count (w, i, counted / till_denominations_fen[i]);
      counted %= till_denominations_fen[i];
    }
  g_assert_cmpint (counted, ==, 0);
  g_assert_cmpint (till_day_close_window_get_counted_fen (w), ==, cash.expected_fen - 500);
  g_assert_cmpstr (till_day_close_window_get_difference_state (w), ==, "short");
  g_assert_nonnull (strstr (till_day_close_window_get_difference_text (w), "-¥5.00"));
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-day-close");

  /* Denied without a manager's PIN. */
  pin = g_object_ref (till_day_close_window_close_day (w));
  g_assert_nonnull (pin);
  pin_try (TILL_PIN_WINDOW (pin), CASHIER_PIN);
  g_assert_false (till_day_close_window_get_closed (w));
  g_assert_cmpint (count_audit (fx, "approve:day_close"), ==, 0);
  pin_try (TILL_PIN_WINDOW (pin), MANAGER_PIN);
  TILL_UI_WAIT_FOR (till_day_close_window_get_closed (w), WAIT_MS);
  g_assert_cmpint (count_audit (fx, "approve:day_close"), ==, 1);
  g_assert_nonnull (till_day_close_window_get_z_text (w));
  g_clear_object (&pin);

  stored = till_store_day_close_load (fx->f->store, date, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->difference_fen, ==, -500);
  g_assert_cmpint (stored->counted_fen, ==, cash.expected_fen - 500);
  g_assert_cmpstr (stored->closed_by, ==, "王店长");
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-day-closed");
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);

  /* The closed day refuses a sale. */
  {
    g_autoptr(TillSale) sale = till_sale_new ("CLOSED-DAY-1");
    g_autoptr(TillProduct) cola = till_store_lookup_barcode (fx->f->store, COLA_EAN, &error);
    g_autoptr(TillSaleLine) line = till_sale_line_new (cola->id, cola->barcode, cola->name,
                                                       cola->unit, cola->price_fen, 1000, FALSE);

    till_sale_add_line (sale, line, &error);
    g_assert_no_error (error);
    till_store_save_sale (fx->f->store, sale, "小张", "09", &error);
    g_assert_no_error (error);
    g_assert_false (till_store_complete_cash_sale (fx->f->store, sale, 10000, &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED);
  }

  /* Opening it again shows the stored close. */
  w = till_day_close_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, date);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (w), WAIT_MS);
  g_assert_true (till_day_close_window_get_closed (w));
  g_assert_nonnull (strstr (till_day_close_window_get_message (w), "closed"));
  g_assert_null (till_day_close_window_close_day (w));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

/* Cash to the jiao: the window shows the day's rounding on its own row, and a count of the
 * coins the till handed out balances. */
static void
test_day_close_rounding (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *number = till_store_next_sale_number (fx->f->store, g_get_real_time (), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = till_sale_new (number);
  g_autoptr(TillSaleLine) line = till_sale_line_new (0, NULL, "礼盒", "件", 3001, 1000, FALSE);
  g_autofree char *shot = NULL;
  TillDayCloseWindow *w;

  g_assert_true (till_store_cash_record_rounded (fx->f->store, TILL_CASH_FLOAT, 20000, NULL,
                                                 "test", TILL_CASH_ROUNDING_JIAO, &error));
  till_sale_add_line (sale, line, &error);
  g_assert_true (till_store_save_sale (fx->f->store, sale, "小张", "01", &error));
  g_assert_true (till_store_complete_cash_sale_rounded (fx->f->store, sale, 5000,
                                                        TILL_CASH_ROUNDING_JIAO, &error));
  g_assert_no_error (error);

  w = till_day_close_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context, NULL);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (w), WAIT_MS);
  g_assert_cmpint (till_day_close_window_get_expected_fen (w), ==, 23000);
  g_assert_cmpint (till_day_close_window_get_rounding_fen (w), ==, -1);
  /* 2 × ¥100, 3 × ¥10 */
  till_day_close_window_set_count (w, 0, 2);
  till_day_close_window_set_count (w, 3, 3);
  g_assert_cmpstr (till_day_close_window_get_difference_state (w), ==, "even");
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-day-close-rounding");
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

/* ---- cash in/out ---- */

static void
test_cash_movement (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *date = today ();
  g_autoptr(GError) error = NULL;
  TillCashMovementWindow *w;
  TillCashSummary cash;
  g_autoptr(GtkWindow) pin = NULL;

  w = till_cash_movement_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context);
  g_object_ref_sink (w);
  gtk_window_present (GTK_WINDOW (w));
  till_cash_movement_window_set_entry (w, TILL_CASH_OUT, "12.30", "");
  g_assert_null (till_cash_movement_window_record (w));
  g_assert_nonnull (strstr (till_cash_movement_window_get_message (w), "reason"));
  /* Not in the till's cash unit (the jiao): refused before any PIN. */
  till_cash_movement_window_set_entry (w, TILL_CASH_OUT, "12.35", "买零钱袋");
  g_assert_null (till_cash_movement_window_record (w));
  g_assert_nonnull (strstr (till_cash_movement_window_get_message (w), "¥0.10"));
  till_cash_movement_window_set_entry (w, TILL_CASH_OUT, "12.30", "买零钱袋");
  pin = till_cash_movement_window_record (w);
  g_assert_nonnull (pin);
  g_object_ref (pin);
  pin_try (TILL_PIN_WINDOW (pin), MANAGER_PIN);
  TILL_UI_WAIT_FOR (strstr (till_cash_movement_window_get_message (w), "Recorded") != NULL, WAIT_MS);
  /* Done: a toast, the entries empty for the next one. */
  g_free (till_ui_screenshot (GTK_WIDGET (w), "manager-cash-movement-toast"));
  /* Logged as what it is, not as a day close. */
  g_assert_cmpint (count_audit (fx, "approve:cash_movement"), ==, 1);
  g_assert_cmpint (count_audit (fx, "approve:day_close"), ==, 0);
  g_assert_true (till_store_cash_summary (fx->f->store, date, &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_out_fen, ==, 1230);
  g_clear_object (&pin);
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

/* ---- refunds ---- */

/* No sale yet, then a number that is no sale: a status page says so where the sale would
 * be, and nothing can be refunded. */
static void
test_refund_no_sale (Fixture       *fx,
                     gconstpointer  data)
{
  TillRefundWindow *w = till_refund_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context);

  g_object_ref_sink (w);
  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  till_ui_pump (100);
  g_assert_null (till_refund_window_get_sale_number (w));
  g_free (till_ui_screenshot (GTK_WIDGET (w), "manager-refunds-empty"));

  till_refund_window_open_sale (w, "20010101-9999");
  TILL_UI_WAIT_FOR (strstr (till_refund_window_get_message (w), "No such sale") != NULL, WAIT_MS);
  g_assert_null (till_refund_window_get_sale_number (w));
  g_assert_null (till_refund_window_refund (w));
  g_free (till_ui_screenshot (GTK_WIDGET (w), "manager-refunds-no-sale"));
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

static void
test_refund_partial_cash (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *number = make_cash_sale (fx, 2, 1, 0);
  g_autofree char *code = till_barcode_receipt_code (number);
  g_autofree char *shot = NULL;
  const TillRefundable *r;
  TillRefundWindow *w;
  g_autoptr(GtkWindow) pin = NULL;
  gint64 paid;

  w = till_refund_window_new (GTK_WINDOW (fx->f->cashier), fx->f->context);
  g_object_ref_sink (w);
  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  TILL_UI_WAIT_FOR (g_list_model_get_n_items (till_refund_window_get_today (w)) == 1, WAIT_MS);

  /* A scanned receipt code opens the sale. */
  till_scanner_hub_feed (till_context_get_scanner_hub (fx->f->context), code,
                         TILL_SCAN_SOURCE_WEDGE);
  TILL_UI_WAIT_FOR (till_refund_window_get_refundable (w) != NULL, WAIT_MS);
  g_assert_cmpstr (till_refund_window_get_sale_number (w), ==, number);
  r = till_refund_window_get_refundable (w);
  g_assert_cmpstr (r->refund_state, ==, "none");
  paid = r->paid_fen;
  g_assert_cmpint (r->refundable_fen, ==, paid);

  /* More than refundable is refused before any PIN. */
  {
    g_autofree char *too_much = till_money_format_plain (paid + 1);

    till_refund_window_set_request (w, too_much, "顾客退货");
    g_assert_null (till_refund_window_refund (w));
    g_assert_nonnull (strstr (till_refund_window_get_message (w), "More than"));
  }

  till_refund_window_set_request (w, "1.50", "顾客退货 returned one");
  pin = till_refund_window_refund (w);
  g_assert_nonnull (pin);
  g_object_ref (pin);
  pin_try (TILL_PIN_WINDOW (pin), "0000");
  g_assert_cmpint (count_audit (fx, "approve:refund"), ==, 0);
  pin_try (TILL_PIN_WINDOW (pin), MANAGER_PIN);
  TILL_UI_WAIT_FOR (till_refund_window_get_refundable (w) != NULL
                    && till_refund_window_get_refundable (w)->refunded_fen == 150
                    && !till_refund_window_get_busy (w), WAIT_MS);
  r = till_refund_window_get_refundable (w);
  g_assert_cmpstr (r->refund_state, ==, "partial");
  g_assert_cmpint (r->refundable_fen, ==, paid - 150);
  g_assert_cmpint (count_audit (fx, "approve:refund"), ==, 1);
  g_assert_nonnull (strstr (till_refund_window_get_state_text (w), "Partly refunded"));
  {
    g_autofree char *n = till_ui_query_text (fx->f,
                                             "SELECT sum(amount_fen) FROM refund WHERE state = 'success'",
                                             NULL);

    g_assert_cmpstr (n, ==, "150");
  }
  g_clear_object (&pin);
  shot = till_ui_screenshot (GTK_WIDGET (w), "manager-refunds");
  gtk_window_destroy (GTK_WINDOW (w));
  g_object_unref (w);
}

/* ---- receipts ---- */

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  char **number = user_data;
  g_autoptr(GError) error = NULL;

  *number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object), result, &error);
  g_assert_no_error (error);
}

static void
test_receipt_file (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *number = make_cash_sale (fx, 2, 1, 5000);
  g_autofree char *path = g_build_filename (fx->f->dir, "receipt.bin", NULL);
  g_autofree char *target = g_strconcat ("file:", path, NULL);
  g_autoptr(TillReceiptPrinter) printer = till_ui_receipt_printer_new (fx->f->context);
  g_autoptr(TillSaleSummary) summary = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (TillReceiptLine));
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *printed = NULL;
  TillReceipt receipt = { 0 };
  gsize len = 0;

  g_settings_set_string (fx->f->settings, "receipt-printer", target);
  g_settings_set_string (fx->f->settings, "store-name", "便利店 Corner Shop");
  g_settings_set_uint (fx->f->settings, "receipt-width", 58);

  till_receipt_printer_print_sale_async (printer, number, FALSE, NULL, NULL, printed_cb, &printed);
  TILL_UI_WAIT_FOR (printed != NULL, WAIT_MS);
  g_assert_cmpstr (printed, ==, number);

  /* The same receipt through the builder. */
  summary = till_store_get_sale_summary (fx->f->store, number, &error);
  g_assert_no_error (error);
  sale = till_store_load_sale (fx->f->store, summary->id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (sale)); i++)
    {
      TillSaleLine *l = till_sale_get_line (sale, i);
      TillReceiptLine rl = { till_sale_line_get_name (l), till_sale_line_get_qty_milli (l),
                             till_sale_line_get_unit_price_fen (l),
                             till_sale_line_get_line_total_fen (l), till_sale_line_get_weighed (l) };

      g_array_append_val (lines, rl);
    }
  receipt.store_name = "便利店 Corner Shop";
  receipt.sale_number = number;
  receipt.at_us = summary->closed_at;
  receipt.cashier = "小张";
  receipt.lines = (const TillReceiptLine *) (void *) lines->data;
  receipt.n_lines = lines->len;
  receipt.total_fen = summary->total_fen;
  receipt.method = "cash";
  receipt.tendered_fen = 5000;
  expected = till_escpos_receipt (&receipt, TILL_ESCPOS_COLUMNS_58MM, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  /* A cash sale's receipt ends with the drawer kick. */
  g_assert_cmpmem (contents + len - 5, 5, "\x1B\x70\x00\x19\xFA", 5);

  /* A reprint of the last receipt is the same paper without opening the drawer. */
  g_clear_pointer (&printed, g_free);
  g_clear_pointer (&contents, g_free);
  till_receipt_printer_print_sale_async (printer, NULL, TRUE, NULL, NULL, printed_cb, &printed);
  TILL_UI_WAIT_FOR (printed != NULL, WAIT_MS);
  g_assert_cmpstr (printed, ==, number);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected) - 5);
}

static void
print_fail_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **out = user_data;
  g_autofree char *number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object),
                                                                    result, out);

  g_assert_null (number);
}

static void
test_receipt_printer_failure (Fixture       *fx,
                              gconstpointer  data)
{
  g_autofree char *number = make_cash_sale (fx, 1, 0, 0);
  g_autoptr(TillReceiptPrinter) printer = till_ui_receipt_printer_new (fx->f->context);
  g_autofree char *target = g_build_filename (fx->f->dir, "no-such-dir", "lp0", NULL);
  GError *error = NULL;

  g_settings_set_string (fx->f->settings, "receipt-printer", target);
  till_receipt_printer_print_sale_async (printer, number, FALSE, NULL, NULL, print_fail_cb, &error);
  TILL_UI_WAIT_FOR (error != NULL, WAIT_MS);
  g_assert_nonnull (strstr (error->message, "not printed"));
  g_clear_error (&error);

  g_settings_set_string (fx->f->settings, "receipt-printer", "");
  till_receipt_printer_print_sale_async (printer, number, FALSE, NULL, NULL, print_fail_cb, &error);
  TILL_UI_WAIT_FOR (error != NULL, WAIT_MS);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
}

/* ---- preferences behind a manager's PIN ---- */

static guint
n_visible (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        n++;
    }
  return n;
}

/* Ctrl+comma in the cashier's window, as a person presses it; returns the PIN prompt. */
static GtkWindow *
ask_preferences (TillUiFixture *f)
{
  GtkWindow *pin = NULL;

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("comma", TRUE);
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL
                    || till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW) != NULL, WAIT_MS);
  /* Not the settings themselves: a manager approves first. */
  g_assert_null (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (pin);
  return pin;
}

/* Types `value` and Enter into the PIN prompt, with real keys, and waits for the answer
 * (an approved prompt closes). */
static void
type_pin (GtkWindow  *pin,
          const char *value)
{
  g_autoptr(GtkWindow) keep = g_object_ref (pin);

  till_ui_focus_window (pin);
  till_ui_type (value, 20, TRUE);
  TILL_UI_WAIT_FOR (!till_pin_window_get_busy (TILL_PIN_WINDOW (pin)), WAIT_MS);
}

static void
test_preferences_pin (Fixture       *fx,
                      gconstpointer  data)
{
  TillUiFixture *f = fx->f;
  GtkWindow *pin = ask_preferences (f);
  GtkWindow *prefs = NULL;
  GtkWidget *mchid;
  g_autofree char *actor = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *value = NULL;

  /* Asking again, by key or by the menu, does not stack a second prompt. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key ("comma", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.preferences",
                                             NULL));
  till_ui_pump (200);
  g_assert_cmpuint (n_visible (TILL_TYPE_PIN_WINDOW), ==, 1);
  g_assert_true (till_ui_find_window (TILL_TYPE_PIN_WINDOW) == pin);

  /* A cashier's PIN opens nothing. */
  type_pin (pin, CASHIER_PIN);
  g_assert_nonnull (strstr (till_pin_window_get_message (TILL_PIN_WINDOW (pin)),
                            "Wrong manager PIN"));
  till_ui_pump (100);
  g_assert_null (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW));
  g_assert_cmpint (count_audit (fx, "approve:settings"), ==, 0);

  /* The manager's PIN opens them, and the approval is in the audit log. */
  type_pin (pin, MANAGER_PIN);
  TILL_UI_WAIT_FOR ((prefs = till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW)) != NULL,
                    WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  g_assert_cmpint (count_audit (fx, "approve:settings"), ==, 1);
  actor = till_ui_query_text (f, "SELECT actor FROM audit WHERE action = ?1", "approve:settings");
  g_assert_cmpstr (actor, ==, "王店长");

  /* While they are open, asking again raises them: no prompt, no second window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.preferences",
                                             NULL));
  till_ui_pump (200);
  g_assert_cmpuint (n_visible (TILL_TYPE_PIN_WINDOW), ==, 0);
  g_assert_cmpuint (n_visible (TILL_TYPE_PREFERENCES_WINDOW), ==, 1);

  /* A change typed there is audited once, by key, under the approving manager. */
  till_ui_focus_window (prefs);
  mchid = till_preferences_window_get_key_widget (TILL_PREFERENCES_WINDOW (prefs), "mchid");
  g_assert_true (ADW_IS_ENTRY_ROW (mchid));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "payment");
  till_ui_pump (50);
  g_assert_true (gtk_widget_grab_focus (mchid));
  till_ui_type ("1900000109", 10, FALSE);
  value = g_settings_get_string (f->settings, "mchid");
  g_assert_cmpstr (value, ==, "1900000109");
  /* A second later the change is audited, and a toast says it is saved. */
  TILL_UI_WAIT_FOR (strstr (till_preferences_window_get_last_toast (
                              TILL_PREFERENCES_WINDOW (prefs)), "Settings saved") != NULL,
                    WAIT_MS);
  g_free (till_ui_screenshot (GTK_WIDGET (prefs), "preferences-saved-toast"));
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW) == NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (count_audit (fx, "settings_change") == 1, WAIT_MS);
  g_free (actor);
  actor = till_ui_query_text (f, "SELECT actor FROM audit WHERE action = ?1", "settings_change");
  g_assert_cmpstr (actor, ==, "王店长");
  detail = till_ui_query_text (f, "SELECT detail_json FROM audit WHERE action = ?1",
                               "settings_change");
  g_test_message ("audit: %s", detail);
  g_assert_nonnull (strstr (detail, "\"key\":\"mchid\""));
  g_assert_nonnull (strstr (detail, "\"to\":\"1900000109\""));

  /* While another manager approval is asked (here a day close), no second prompt. */
  pin = GTK_WINDOW (till_pin_window_new (GTK_WINDOW (f->cashier), f->context,
                                         TILL_APPROVAL_DAY_CLOSE, NULL, NULL));
  gtk_window_present (pin);
  till_ui_pump (100);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->cashier), "cashier.preferences",
                                             NULL));
  till_ui_pump (200);
  g_assert_cmpuint (n_visible (TILL_TYPE_PIN_WINDOW), ==, 1);
  g_assert_null (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW));
  g_assert_true (till_ui_message_contains (f, "manager approval that is open"));
  gtk_window_destroy (pin);
}

/* A new till: the prompt offers to create the first manager, who then opens them. */
static void
test_preferences_first_manager (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillShift *shift = till_context_get_shift (f->context);
  GtkWindow *pin = ask_preferences (f);
  TillSigninWindow *signin = NULL;

  TILL_UI_WAIT_FOR (strstr (till_pin_window_get_message (TILL_PIN_WINDOW (pin)), "no manager")
                    != NULL, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pin), "pin.setup", NULL));
  TILL_UI_WAIT_FOR ((signin = TILL_SIGNIN_WINDOW (till_ui_find_window (TILL_TYPE_SIGNIN_WINDOW)))
                    != NULL, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW));
  TILL_UI_WAIT_FOR (g_strcmp0 (till_signin_window_get_page (signin), "setup") == 0, WAIT_MS);
  till_signin_window_set_setup (signin, "老板", "24680", "24680");
  till_signin_window_submit (signin);
  TILL_UI_WAIT_FOR (till_shift_get_cashier (shift) != NULL, WAIT_MS);
  if (till_ui_find_window (TILL_TYPE_SIGNIN_WINDOW) != NULL)
    gtk_window_destroy (GTK_WINDOW (signin));
  till_ui_pump (50);

  pin = ask_preferences (f);
  type_pin (pin, "24680");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW) != NULL, WAIT_MS);
  till_ui_fixture_free (f);
}

/* Training mode: the prompt shows the demo manager's PIN, and 8888 opens them. */
static void
test_preferences_demo (void)
{
  TillUiFixture *f = till_ui_fixture_new_demo ();
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  GtkWindow *pin;

  g_assert_true (till_people_seed_demo (till_shift_get_people (till_context_get_shift (f->context)),
                                        &error));
  g_assert_no_error (error);
  pin = ask_preferences (f);
  till_ui_focus_window (pin);
  shot = till_ui_screenshot_screen ("manager-preferences-pin");
  type_pin (pin, "8888");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PREFERENCES_WINDOW) != NULL, WAIT_MS);
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/manager/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("signin/right-wrong-lockout", test_signin);
  g_test_add_func ("/manager/signin/first-manager", test_first_manager);
  ADD ("approval/gating-and-audit", test_approval);
  g_test_add_func ("/manager/approval/no-manager", test_no_manager_offers_setup);
  ADD ("reports/figures-chart-csv", test_reports);
  ADD ("reports/reconciliation", test_reconciliation);
  ADD ("cash/day-close", test_day_close);
  ADD ("cash/day-close-rounding", test_day_close_rounding);
  ADD ("cash/movement", test_cash_movement);
  ADD ("refunds/partial-cash", test_refund_partial_cash);
  ADD ("refunds/no-sale", test_refund_no_sale);
  ADD ("receipts/file", test_receipt_file);
  ADD ("receipts/failure", test_receipt_printer_failure);
  ADD ("preferences/pin-and-audit", test_preferences_pin);
  g_test_add_func ("/manager/preferences/first-manager", test_preferences_first_manager);
  g_test_add_func ("/manager/preferences/demo", test_preferences_demo);
#undef ADD
  return g_test_run ();
}
