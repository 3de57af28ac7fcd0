/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout's discounts, price overrides, 抹零 and open-price goods without a display:
 * the discount limit and managers' approvals with real PINs (PBKDF2, the people table),
 * the audit rows, the cart lock, a discounted sale paid by a code at the real simulator
 * (its ledger takes the discounted total) and refunded line by line, and everything read
 * back from the SQLite file by a connection of its own. */
#define _GNU_SOURCE 1   /* memmem */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "till-people.h"
#include "till-receipt-printer.h"
#include "till-refund-service.h"
#include "till-payment-runtime.h"
#include "till-store-payments.h"
#include "till-store-refunds.h"
#include "till-test-app.h"

#define COLA    "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS   "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define MANAGER_PIN "8642"

/* ---- helpers ---- */

/* The first column of the rows of `sql` ("a|b\n" per row), from the file itself. */
static char *
file_rows (TillTestApp *app,
           const char  *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (app->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, c);

          g_string_append_printf (out, "%s%s", c > 0 ? "|" : "", text != NULL ? text : "");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static gint64
file_int (TillTestApp *app,
          const char  *sql)
{
  g_autofree char *rows = file_rows (app, sql);

  return g_ascii_strtoll (rows, NULL, 10);
}

/* The rows of `sql` must contain `needle`. */
static void
assert_file_rows_contain (TillTestApp *app,
                          const char  *sql,
                          const char  *needle)
{
  g_autofree char *rows = file_rows (app, sql);

  g_assert_nonnull (strstr (rows, needle));
}

/* The rows of `sql` must be `expected`. */
static void
assert_file_rows (TillTestApp *app,
                  const char  *sql,
                  const char  *expected)
{
  g_autofree char *rows = file_rows (app, sql);

  g_assert_cmpstr (rows, ==, expected);
}

static gint64
add_manager (TillTestApp *app)
{
  g_autoptr(TillPeople) people = till_people_new (app->store);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  till_people_add (people, "小张", TILL_ROLE_CASHIER, "1357", "test", &error);
  g_assert_no_error (error);
  return id;
}

/* A manager's approval by PIN, as the PIN window asks for it. */
static TillPerson *
approve (TillTestApp       *app,
         const char        *pin,
         TillApprovalAction action,
         GError           **error)
{
  g_autoptr(TillPeople) people = till_people_new (app->store);

  return till_people_approve (people, pin, action, "{\"test\":true}", NULL, error);
}

static gint64
sum_final (TillSale *sale)
{
  gint64 sum = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (sale)); i++)
    sum += till_sale_line_get_final_fen (till_sale_get_line (sale, i));
  return sum;
}

typedef struct
{
  gboolean done;
  char    *message;
  GError  *error;
} RefundWait;

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RefundWait *w = user_data;

  w->message = till_refund_service_refund_finish (TILL_REFUND_SERVICE (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
refund_done_cond (TillTestApp *app,
                  gpointer     data)
{
  return ((RefundWait *) data)->done;
}

static gboolean
refunds_final_cond (TillTestApp *app,
                    gpointer     data)
{
  g_autoptr(GPtrArray) rows = till_store_list_sale_refunds (app->store, GPOINTER_TO_SIZE (data),
                                                            NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (!till_refund_state_is_final (((TillRefundRecord *) g_ptr_array_index (rows, i))->state))
      return FALSE;
  return rows != NULL;
}

/* Refunds `amount` of the sale as the refunds window does, and waits until it is final. */
static void
refund_line (TillTestApp       *app,
             TillRefundService *refunds,
             gint64             sale_id,
             gint64             amount,
             GError           **error)
{
  RefundWait w = { 0 };

  till_refund_service_refund_async (refunds, sale_id, amount, "line returned", "王店长", NULL,
                                    refund_cb, &w);
  till_test_app_wait (app, refund_done_cond, &w, 20000, "the refund to be answered");
  g_free (w.message);
  if (w.error != NULL)
    {
      g_propagate_error (error, w.error);
      return;
    }
  till_test_app_wait (app, refunds_final_cond, GSIZE_TO_POINTER (sale_id), 20000,
                      "the refunds to be final");
}

typedef struct
{
  gboolean done;
  GError  *error;
} PrintWait;

static void
print_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PrintWait *w = user_data;
  g_autofree char *number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (source),
                                                                    result, &w->error);

  w->done = TRUE;
}

static gboolean
print_done_cond (TillTestApp *app,
                 gpointer     data)
{
  return ((PrintWait *) data)->done;
}

/* ---- tests ---- */

static void
test_line_within_limit (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *detail = NULL;
  TillSale *sale;
  TillSaleLine *line;

  till_test_app_scan (app, COLA);
  till_test_app_scan (app, COLA);
  till_test_app_scan (app, CHIPS);
  sale = till_checkout_get_sale (app->checkout);
  line = till_sale_get_line (sale, 0);
  g_assert_cmpint (till_checkout_get_discount_limit (app->checkout), ==, 1000);
  g_assert_true (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_DISCOUNT));
  g_assert_false (till_checkout_discount_needs_approval (app->checkout, line,
                                                         TILL_DISCOUNT_PERCENT, 1000));
  g_assert_true (till_checkout_discount_needs_approval (app->checkout, line,
                                                        TILL_DISCOUNT_PERCENT, 1001));
  /* ¥0.71 of ¥7.00 is more than 10 % */
  g_assert_true (till_checkout_discount_needs_approval (app->checkout, line,
                                                        TILL_DISCOUNT_AMOUNT, 71));

  /* 10 % of ¥7.00, no manager needed */
  g_assert_true (till_checkout_discount_line (app->checkout, line, TILL_DISCOUNT_PERCENT, 1000,
                                              NULL, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_line_get_final_fen (line), ==, 630);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 630 + 750);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 1380);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 70);
  g_assert_nonnull (strstr (till_test_app_last_message (app), "¥6.30"));

  rows = file_rows (app, "SELECT position, unit_price_fen, original_price_fen, discount_kind,"
                         " discount_value, discount_fen, sale_discount_fen, final_fen"
                         " FROM sale_line ORDER BY position");
  g_assert_cmpstr (rows, ==, "0|350|350|percent|1000|70|0|630\n1|750|750|none|0|0|0|750\n");
  g_assert_cmpint (file_int (app, "SELECT total_fen FROM sale"), ==, 1380);
  detail = file_rows (app, "SELECT actor IS NOT NULL, detail_json FROM audit"
                           " WHERE action = 'discount_line'");
  g_assert_nonnull (strstr (detail, "\"kind\":\"percent\",\"value\":1000,\"before_fen\":700,"
                                    "\"after_fen\":630,\"manager_id\":0,\"manager\":null"));

  /* over the limit without a manager: refused, nothing changed */
  g_assert_false (till_checkout_discount_line (app->checkout, till_sale_get_line (sale, 1),
                                               TILL_DISCOUNT_PERCENT, 2000, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1380);

  /* a restart finds the discount in the file */
  till_test_app_restart (app);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1380);
  line = till_sale_get_line (sale, 0);
  g_assert_cmpint (till_sale_line_get_discount_kind (line), ==, TILL_DISCOUNT_PERCENT);
  g_assert_cmpint (till_sale_line_get_final_fen (line), ==, 630);
}

static void
test_sale_discount_needs_manager (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) manager = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *rows = NULL;
  gint64 manager_id = add_manager (app);
  TillSale *sale;

  till_test_app_scan (app, COLA);
  till_test_app_scan (app, CHIPS);
  till_test_app_scan (app, CHIPS);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1850);
  g_assert_true (till_checkout_discount_needs_approval (app->checkout, NULL,
                                                        TILL_DISCOUNT_PERCENT, 1500));
  g_assert_false (till_checkout_discount_sale (app->checkout, TILL_DISCOUNT_PERCENT, 1500, NULL,
                                               &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_nonnull (strstr (till_test_app_last_message (app), "manager"));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1850);

  /* a wrong PIN approves nothing */
  g_assert_null (approve (app, "0000", TILL_APPROVAL_DISCOUNT, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  /* a cashier's PIN neither */
  g_assert_null (approve (app, "1357", TILL_APPROVAL_DISCOUNT, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  manager = approve (app, MANAGER_PIN, TILL_APPROVAL_DISCOUNT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (manager->id, ==, manager_id);
  g_assert_true (till_checkout_discount_sale (app->checkout, TILL_DISCOUNT_PERCENT, 1500,
                                              manager, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  /* 15 % of ¥18.50 = 277.5 fen, half up: ¥2.78; ¥15.72 spread 350:750:750 */
  g_assert_cmpint (till_sale_get_discount_fen (sale), ==, 278);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1572);
  g_assert_cmpint (sum_final (sale), ==, 1572);

  rows = file_rows (app, "SELECT discount_kind, discount_value, discount_fen, total_fen"
                         " FROM sale");
  g_assert_cmpstr (rows, ==, "percent|1500|278|1572\n");
  g_assert_cmpint (file_int (app, "SELECT sum (final_fen) FROM sale_line"), ==, 1572);
  g_assert_cmpint (file_int (app, "SELECT sum (sale_discount_fen) FROM sale_line"), ==, 278);
  g_assert_cmpint (file_int (app, "SELECT count(*) FROM audit WHERE action = 'approve:discount'"),
                   ==, 1);
  audit = file_rows (app, "SELECT detail_json FROM audit WHERE action = 'discount_sale'");
  g_assert_nonnull (strstr (audit, "\"before_fen\":1850,\"after_fen\":1572"));
  g_assert_nonnull (strstr (audit, "\"manager\":\"王店长\""));

  /* paid in cash; the receipt of the stored sale prints the discount and the saving */
  g_assert_true (till_checkout_pay_cash (app->checkout, 1572, 2000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  {
    g_autofree char *path = g_build_filename (app->dir, "receipt.bin", NULL);
    g_autofree char *target = g_strconcat ("file:", path, NULL);
    g_autoptr(TillReceiptPrinter) printer = till_receipt_printer_new (app->store, app->settings);
    g_autofree char *bytes = NULL;
    gsize length = 0;
    PrintWait w = { 0 };

    g_settings_set_string (app->settings, "receipt-printer", target);
    till_receipt_printer_print_sale_async (printer, till_sale_get_number (sale), TRUE, NULL,
                                           NULL, print_cb, &w);
    till_test_app_wait (app, print_done_cond, &w, 10000, "the receipt to be printed");
    g_assert_no_error (w.error);
    g_assert_true (g_file_get_contents (path, &bytes, &length, &error));
    g_assert_no_error (error);
    g_assert_nonnull (memmem (bytes, length, "Sale discount 15%", sizeof "Sale discount 15%" - 1));
    g_assert_nonnull (memmem (bytes, length, "-2.78", sizeof "-2.78" - 1));
    g_assert_nonnull (memmem (bytes, length, "You saved", sizeof "You saved" - 1));
    g_assert_nonnull (memmem (bytes, length, "15.72", sizeof "15.72" - 1));
  }
}

static void
test_price_override (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) manager = NULL;
  g_autofree char *audit = NULL;
  TillSale *sale;
  TillSaleLine *line;

  add_manager (app);
  till_test_app_scan (app, CHIPS);
  sale = till_checkout_get_sale (app->checkout);
  line = till_sale_get_line (sale, 0);
  g_assert_false (till_checkout_override_price (app->checkout, line, 500, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (line), ==, 750);

  manager = approve (app, MANAGER_PIN, TILL_APPROVAL_PRICE_OVERRIDE, &error);
  g_assert_no_error (error);
  g_assert_true (till_checkout_override_price (app->checkout, line, 500, manager, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 500);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 250);
  g_assert_cmpint (file_int (app, "SELECT original_price_fen FROM sale_line"), ==, 750);
  g_assert_cmpint (file_int (app, "SELECT final_fen FROM sale_line"), ==, 500);
  audit = file_rows (app, "SELECT detail_json FROM audit WHERE action = 'price_override'");
  g_assert_nonnull (strstr (audit, "\"before_fen\":750,\"after_fen\":500"));
  g_assert_cmpint (file_int (app, "SELECT count(*) FROM audit"
                                  " WHERE action = 'approve:price_override'"), ==, 1);

  /* a scan of the same goods is a line of its own at the catalog's price */
  till_test_app_scan (app, CHIPS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1250);
}

static void
test_locked_cart_refuses (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  TillSale *sale;

  till_test_app_scan (app, CHIPS);
  till_test_app_scan (app, COLA);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_true (till_checkout_pay_part_cash (app->checkout, 1100, 500, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);

  g_assert_false (till_checkout_can (app->checkout, TILL_CHECKOUT_CMD_DISCOUNT));
  g_assert_false (till_checkout_discount_line (app->checkout, till_sale_get_line (sale, 0),
                                               TILL_DISCOUNT_PERCENT, 500, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (till_checkout_discount_sale (app->checkout, TILL_DISCOUNT_AMOUNT, 10, NULL,
                                               &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1100);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 600);
  g_assert_cmpint (file_int (app, "SELECT count(*) FROM audit WHERE action LIKE 'discount%'"),
                   ==, 0);
}

static void
test_total_rounding (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  TillSale *sale;

  g_settings_set_string (app->settings, "total-rounding", "yuan");
  till_test_app_scan (app, COLA);
  till_test_app_scan (app, CHIPS);
  sale = till_checkout_get_sale (app->checkout);
  /* ¥11.00 stays, ¥14.50 is ¥14.00 */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1100);
  till_test_app_scan (app, COLA);
  g_assert_cmpint (till_sale_get_rounding_fen (sale), ==, 50);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1400);
  g_assert_cmpint (sum_final (sale), ==, 1400);
  g_assert_cmpint (till_checkout_get_due_fen (app->checkout), ==, 1400);
  /* cash for the rounded total, to the fen */
  g_assert_true (till_checkout_pay_cash (app->checkout, 1400, 2000, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_checkout_get_change_fen (app->checkout), ==, 600);
  assert_file_rows (app, "SELECT total_rounding, rounding_fen, total_fen FROM sale"
                         " WHERE state = 'paid'", "yuan|50|1400\n");
  g_assert_cmpint (file_int (app, "SELECT sum (amount_fen) FROM payment"), ==, 1400);

  /* to the jiao */
  g_settings_set_string (app->settings, "total-rounding", "jiao");
  till_test_app_scan (app, COLA);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpint (till_sale_get_total_rounding (sale), ==, TILL_TOTAL_ROUNDING_JIAO);
  g_assert_true (till_checkout_discount_line (app->checkout, till_sale_get_line (sale, 0),
                                              TILL_DISCOUNT_AMOUNT, 3, NULL, &error));
  g_assert_no_error (error);
  /* ¥3.50 − ¥0.03 = ¥3.47 → ¥3.40 */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 340);
  g_assert_cmpint (till_sale_get_rounding_fen (sale), ==, 7);
}

static gboolean
price_needed_cb (TillCheckout *checkout,
                 TillSaleLine *line,
                 TillSaleLine **out)
{
  g_set_object (out, line);
  return FALSE;
}

static void
test_open_price (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) asked = NULL;
  g_autoptr(TillPerson) manager = NULL;
  TillProduct cake = { .barcode = (char *) "2900000000018", .plu = (char *) "9001",
                       .name = (char *) "Birthday cake", .price_fen = 0, .unit = (char *) "pc",
                       .active = TRUE, .open_price = TRUE };
  TillProduct bulk = { .plu = (char *) "9002", .name = (char *) "Loose tea",
                       .price_fen = 12000, .unit = (char *) "kg", .weighed = TRUE,
                       .active = TRUE, .open_price = TRUE };
  TillSale *sale;

  add_manager (app);
  g_assert_cmpint (till_store_upsert_product (app->store, &cake, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_upsert_product (app->store, &bulk, &error), >, 0);
  g_assert_no_error (error);
  g_signal_connect (app->checkout, "price-needed", G_CALLBACK (price_needed_cb), &asked);

  /* priced 0 in the catalog: the cashier prices it, no approval */
  till_test_app_scan (app, "9001");
  g_assert_nonnull (asked);
  sale = till_checkout_get_sale (app->checkout);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_false (till_checkout_price_needs_approval (app->checkout, asked));
  g_assert_false (till_checkout_give_price (app->checkout, asked, 0, NULL, &error));
  g_clear_error (&error);
  g_assert_true (till_checkout_give_price (app->checkout, asked, 8800, NULL, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 8800);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 0);
  assert_file_rows_contain (app, "SELECT detail_json FROM audit WHERE action = 'open_price'",
                            "\"before_fen\":0,\"after_fen\":8800");

  /* priced ¥120/kg: another price needs a manager, then its weight */
  g_clear_object (&asked);
  till_test_app_scan (app, "9002");
  g_assert_nonnull (asked);
  g_assert_true (till_checkout_price_needs_approval (app->checkout, asked));
  g_assert_false (till_checkout_give_price (app->checkout, asked, 10000, NULL, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  manager = approve (app, MANAGER_PIN, TILL_APPROVAL_PRICE_OVERRIDE, &error);
  g_assert_no_error (error);
  g_assert_true (till_checkout_give_price (app->checkout, asked, 10000, manager, &error));
  g_assert_no_error (error);
  /* still waiting for its weight */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
  g_assert_true (till_checkout_give_weight (app->checkout, asked, 250, &error));
  g_assert_no_error (error);
  till_test_app_settle (app);
  g_assert_cmpint (till_sale_line_get_final_fen (till_sale_get_line (sale, 1)), ==, 2500);
  g_assert_cmpint (till_sale_line_get_original_unit_price_fen (till_sale_get_line (sale, 1)), ==,
                   12000);
  g_assert_cmpint (till_sale_get_saved_fen (sale), ==, 500);
  assert_file_rows_contain (app, "SELECT detail_json FROM audit WHERE action = 'price_override'",
                            "\"before_fen\":12000,\"after_fen\":10000");
}

static void
test_discounted_code_payment_and_line_refund (void)
{
  g_autoptr(TillTestApp) app = till_test_app_new (TRUE, NULL);
  g_autofree char *code = till_test_app_wechat_code ("0000");
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) manager = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(JsonObject) order = NULL;
  const TillPaymentRecord *p;
  gint64 first_line, second_line;
  TillRefundService *refunds;

  add_manager (app);
  till_test_app_scan (app, COLA);
  till_test_app_scan (app, CHIPS);
  sale = g_object_ref (till_checkout_get_sale (app->checkout));
  manager = approve (app, MANAGER_PIN, TILL_APPROVAL_DISCOUNT, &error);
  g_assert_no_error (error);
  g_assert_true (till_checkout_discount_sale (app->checkout, TILL_DISCOUNT_PERCENT, 1500, manager,
                                              &error));
  g_assert_no_error (error);
  /* ¥11.00 less 15 % = ¥9.35: 350 → 297.5, 750 → 637.5; the half fen to the first line */
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 935);
  first_line = till_sale_line_get_final_fen (till_sale_get_line (sale, 0));
  second_line = till_sale_line_get_final_fen (till_sale_get_line (sale, 1));
  g_assert_cmpint (first_line, ==, 297);
  g_assert_cmpint (second_line, ==, 638);

  till_checkout_enter_code (app->checkout, code);
  till_test_app_wait (app, till_test_app_sale_paid_cond, NULL, 10000, "the sale to be paid");
  till_test_app_settle (app);
  payments = till_store_list_sale_payments (app->store, till_sale_get_id (sale), &error);
  g_assert_no_error (error);
  p = g_ptr_array_index (payments, 0);
  g_assert_cmpint (p->amount_fen, ==, 935);
  order = till_test_paysim_ledger_order (app->sim, p->out_trade_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (order, "total"), ==, 935);
  g_assert_cmpint (file_int (app, "SELECT sum (final_fen) FROM sale_line"), ==, 935);

  /* one line refunded: exactly its final amount, at the simulator too; then the other;
   * then nothing more */
  refunds = till_payment_runtime_get_refund_service (till_context_get_payment_runtime (app->context));
  g_assert_nonnull (refunds);
  refund_line (app, refunds, till_sale_get_id (sale), second_line, NULL);
  refund_line (app, refunds, till_sale_get_id (sale), first_line, NULL);
  g_assert_cmpint (file_int (app, "SELECT sum (amount_fen) FROM refund WHERE state = 'success'"),
                   ==, 935);
  assert_file_rows (app, "SELECT state FROM sale", "refunded\n");
  {
    g_autoptr(JsonObject) after = till_test_paysim_ledger_order (app->sim, p->out_trade_no,
                                                                 &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "REFUND");
  }
  refund_line (app, refunds, till_sale_get_id (sale), 1, &error);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/checkout-discount/line-within-limit", test_line_within_limit);
  g_test_add_func ("/checkout-discount/sale-needs-manager", test_sale_discount_needs_manager);
  g_test_add_func ("/checkout-discount/price-override", test_price_override);
  g_test_add_func ("/checkout-discount/locked-cart", test_locked_cart_refuses);
  g_test_add_func ("/checkout-discount/total-rounding", test_total_rounding);
  g_test_add_func ("/checkout-discount/open-price", test_open_price);
  g_test_add_func ("/checkout-discount/code-payment-and-line-refund",
                   test_discounted_code_payment_and_line_refund);
  return g_test_run ();
}
