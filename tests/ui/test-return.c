/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A return without a receipt with real keys on Xvfb: Ctrl+Shift+G on the cashier window,
 * a wrong manager PIN refused and audited, the right one, two goods scanned (one twice,
 * one by its scale label), the price of one lowered (and refused above today's price), a
 * reason chosen, Ctrl+Enter; then the database, the report (the store's, its text and the
 * report window) and the day close agree to the fen, and the slip went to the printer.
 * Screenshots of the PIN prompt and the return window, light and dark. */
#define G_LOG_DOMAIN "till-test"
#define _GNU_SOURCE 1
#include "config.h"

#include <string.h>

#include <X11/extensions/XTest.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "till-day-close-window.h"
#include "till-pin-window.h"
#include "till-report-window.h"
#include "till-return-window.h"
#include "till-shift.h"
#include "till-store-cash.h"
#include "till-store-reports.h"
#include "till-store-returns.h"
#include "till-text-row.h"
#include "till-ui-test.h"

#define COLA_EAN     "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define BANANA_LABEL "2100001005009"   /* 香蕉, 500 g at ¥6.98/kg */
#define WAIT_MS      10000
#define MANAGER_PIN  "8642"
#define CASHIER_PIN  "1357"

static gint64
query_int (TillUiFixture *f,
           const char    *sql,
           const char    *param)
{
  g_autofree char *text = till_ui_query_text (f, sql, param);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static void
type_pin (GtkWindow  *pin,
          const char *value)
{
  g_autoptr(GtkWindow) keep = g_object_ref (pin);

  till_ui_focus_window (pin);
  till_ui_type (value, 20, TRUE);
  TILL_UI_WAIT_FOR (!till_pin_window_get_busy (TILL_PIN_WINDOW (pin)), WAIT_MS);
}

static guint
n_lines (TillReturnWindow *w)
{
  return till_return_window_get_draft (w)->lines->len;
}

static const TillReturnLine *
line_at (TillReturnWindow *w,
         guint             i)
{
  return g_ptr_array_index (till_return_window_get_draft (w)->lines, i);
}

/* Scans `code` into the return window (the code entry has the focus) and waits for it. */
static void
scan (TillReturnWindow *w,
      const char       *code)
{
  till_ui_type (code, 5, TRUE);
  TILL_UI_WAIT_FOR (!till_return_window_get_busy (w), WAIT_MS);
}

/* Whether the reason list's popup is on screen. */
static gboolean
dropdown_popup_shown (TillReturnWindow *w)
{
  GtkWidget *dropdown = NULL;

  /* The only GtkDropDown of the window. */
  for (GtkWidget *child = GTK_WIDGET (w); child != NULL;)
    {
      if (GTK_IS_DROP_DOWN (child))
        {
          dropdown = child;
          break;
        }
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child != NULL ? gtk_widget_get_next_sibling (child) : NULL;
        }
    }
  g_assert_nonnull (dropdown);
  for (GtkWidget *c = gtk_widget_get_first_child (dropdown); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER (c) && gtk_widget_get_mapped (c))
      return TRUE;
  return FALSE;
}

static void
shoot (GtkWidget  *widget,
       const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  till_ui_pump (150);
  g_free (till_ui_screenshot (widget, name));
  {
    g_autofree char *dark = g_strconcat (name, "-dark", NULL);

    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
    till_ui_pump (150);
    g_free (till_ui_screenshot (widget, dark));
  }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  till_ui_pump (100);
}

static void
test_return_no_receipt (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  g_autoptr(GError) error = NULL;
  g_autofree char *slip_path = g_build_filename (f->dir, "slip.bin", NULL);
  g_autofree char *target = g_strconcat ("file:", slip_path, NULL);
  g_autofree char *today = till_report_local_date (g_get_real_time ());
  g_autoptr(TillReport) report = NULL;
  g_autoptr(TillReturn) stored = NULL;
  g_autofree char *number = NULL;
  g_autofree char *z_text = NULL;
  GtkWindow *pin = NULL;
  GtkWindow *window = NULL;
  TillReturnWindow *w;
  TillCashSummary cash;
  const char *cashier;
  gint64 expected_cash_out;

  g_assert_cmpint (till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test",
                                    &error), >, 0);
  g_assert_cmpint (till_people_add (people, "小张", TILL_ROLE_CASHIER, CASHIER_PIN, "test",
                                    &error), >, 0);
  g_assert_no_error (error);
  g_settings_set_string (f->settings, "cash-rounding", "jiao");
  g_settings_set_string (f->settings, "receipt-printer", target);
  g_settings_set_string (f->settings, "store-name", "便利店");
  g_assert_true (till_store_cash_record (f->store, TILL_CASH_FLOAT, 20000, NULL, "王店长",
                                         &error));

  /* Ctrl+Shift+G asks a manager first: no return window yet. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("g");
  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_RETURN_WINDOW));
  shoot (GTK_WIDGET (pin), "return-pin");

  /* A cashier's PIN is refused, and the refusal is in the audit log (without the PIN). */
  type_pin (pin, CASHIER_PIN);
  g_assert_nonnull (strstr (till_pin_window_get_message (TILL_PIN_WINDOW (pin)),
                            "Wrong manager PIN"));
  g_assert_null (till_ui_find_window (TILL_TYPE_RETURN_WINDOW));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "refuse:return"),
                   ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:return"),
                   ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE instr (detail_json, ?1) > 0",
                              CASHIER_PIN), ==, 0);

  /* The manager's PIN opens the return window. */
  type_pin (pin, MANAGER_PIN);
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_RETURN_WINDOW)) != NULL, WAIT_MS);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:return"),
                   ==, 1);
  w = TILL_RETURN_WINDOW (window);
  g_object_ref (w);
  till_ui_focus_window (window);

  /* Two colas (scanned twice: one line) and bananas by their scale label. */
  scan (w, COLA_EAN);
  scan (w, COLA_EAN);
  scan (w, BANANA_LABEL);
  g_assert_cmpstr (till_return_window_get_message (w), ==, "");
  g_assert_cmpuint (n_lines (w), ==, 2);
  g_assert_cmpint (line_at (w, 0)->qty_milli, ==, 2000);
  g_assert_cmpint (line_at (w, 0)->line_total_fen, ==, 700);
  g_assert_cmpint (line_at (w, 1)->qty_milli, ==, 500);
  g_assert_cmpint (line_at (w, 1)->line_total_fen, ==, 349);
  /* An unknown code is said, nothing added. */
  scan (w, "6900000000000");
  g_assert_nonnull (strstr (till_return_window_get_message (w), "not in the catalog"));
  g_assert_cmpuint (n_lines (w), ==, 2);

  /* The bananas' price: never above today's, lowered to ¥6.00/kg. */
  till_ui_key_alt ("p");
  till_ui_type ("9.99", 5, TRUE);
  g_assert_nonnull (strstr (till_return_window_get_message (w), "can only be lowered"));
  g_assert_cmpint (line_at (w, 1)->unit_price_fen, ==, 698);
  till_ui_key_alt ("p");
  till_ui_type ("6.00", 5, TRUE);
  g_assert_cmpint (line_at (w, 1)->unit_price_fen, ==, 600);
  g_assert_cmpint (line_at (w, 1)->line_total_fen, ==, 300);
  g_assert_cmpint (till_return_window_get_draft (w)->amount_fen, ==, 1000);

  /* No reason yet: Ctrl+Enter does nothing. */
  till_ui_key ("Return", TRUE);
  till_ui_pump (200);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM goods_return", NULL), ==, 0);

  /* The reason: the list opens with the keyboard; from its first entry ("Choose a
   * reason"), two down is "Wrong item". */
  till_ui_key_alt ("r");
  till_ui_key ("space", FALSE);
  TILL_UI_WAIT_FOR (dropdown_popup_shown (w), WAIT_MS);
  till_ui_pump (200);
  till_ui_key ("Home", FALSE);
  till_ui_key ("Down", FALSE);
  till_ui_key ("Down", FALSE);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (!dropdown_popup_shown (w), WAIT_MS);
  till_ui_pump (100);
  till_ui_focus_window (window);
  shoot (GTK_WIDGET (w), "return-window");

  /* Ctrl+Enter gives the cash back. */
  till_ui_key ("Return", TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_RETURN_WINDOW) == NULL, WAIT_MS);
  g_object_unref (w);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "hand back ¥10.00"), WAIT_MS);

  /* The database: one return, its lines, reason, cashier and manager. */
  number = till_ui_query_text (f, "SELECT number FROM goods_return", NULL);
  g_assert_nonnull (number);
  stored = till_store_return_load (f->store, number, &error);
  g_assert_no_error (error);
  cashier = till_shift_get_cashier_or_default (till_context_get_shift (f->context));
  g_assert_cmpstr (stored->cashier, ==, cashier);
  g_assert_cmpstr (stored->manager, ==, "王店长");
  g_assert_cmpstr (stored->reason, ==, "Wrong item");
  g_assert_cmpint (stored->amount_fen, ==, 1000);
  g_assert_cmpint (stored->rounding_fen, ==, 0);
  g_assert_cmpuint (stored->lines->len, ==, 2);
  g_assert_cmpint (((TillReturnLine *) g_ptr_array_index (stored->lines, 1))->list_price_fen, ==,
                   698);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1",
                              "return_no_receipt"), ==, 1);
  /* The slip went to the printer: it names the return and the cash handed back. */
  TILL_UI_WAIT_FOR (g_file_test (slip_path, G_FILE_TEST_EXISTS), WAIT_MS);
  {
    g_autofree char *bytes = NULL;
    gsize len = 0;

    till_ui_pump (200);
    g_assert_true (g_file_get_contents (slip_path, &bytes, &len, NULL));
    /* ESC/POS holds NUL bytes: search the whole file */
    g_assert_nonnull (memmem (bytes, len, number, strlen (number)));
    g_assert_nonnull (memmem (bytes, len, "Cash handed back", strlen ("Cash handed back")));
  }

  /* The report: the store's figures, its text, and the report window. */
  expected_cash_out = query_int (f, "SELECT sum (amount_fen + rounding_fen) FROM goods_return",
                                 NULL);
  g_assert_cmpint (expected_cash_out, ==, 1000);
  report = till_store_report_day (f->store, today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_returns, ==, 1);
  g_assert_cmpint (report->returns_fen, ==, 1000);
  g_assert_cmpuint (report->returns->len, ==, 1);
  g_assert_cmpint (report->net_fen, ==, report->gross_fen - report->refunds_fen - 1000);
  {
    TillReportWindow *rw = till_report_window_new (GTK_WINDOW (f->cashier), f->context);
    GListModel *events;
    gboolean found = FALSE;

    g_object_ref_sink (rw);
    gtk_window_set_default_size (GTK_WINDOW (rw), 1000, 760);
    gtk_window_present (GTK_WINDOW (rw));
    TILL_UI_WAIT_FOR (!till_report_window_get_loading (rw), WAIT_MS);
    g_assert_false (till_report_window_get_empty (rw));
    g_assert_cmpstr (till_report_window_get_figure (rw, "net"), ==, "-¥10.00");
    events = till_report_window_get_rows (rw, "events");
    for (guint i = 0; i < g_list_model_get_n_items (events); i++)
      {
        g_autoptr(TillTextRow) row = g_list_model_get_item (events, i);

        if (g_strcmp0 (till_text_row_get_cell (row, 0), "Return without receipt") == 0)
          {
            g_assert_cmpstr (till_text_row_get_cell (row, 3), ==, "¥10.00");
            g_assert_cmpstr (till_text_row_get_cell (row, 4), ==,
                             *cashier != '\0' ? cashier : "(not recorded)");
            found = TRUE;
          }
      }
    g_assert_true (found);
    gtk_window_destroy (GTK_WINDOW (rw));
    g_object_unref (rw);
  }

  /* The day close: its own line, and the expected cash = float + cash in − cash out. */
  g_assert_true (till_store_cash_summary (f->store, today, &cash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cash.cash_returns_fen, ==, 1000);
  g_assert_cmpint (cash.expected_fen, ==, 20000 - expected_cash_out);
  {
    TillDayCloseWindow *dw = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context,
                                                        NULL);

    g_object_ref_sink (dw);
    gtk_window_present (GTK_WINDOW (dw));
    TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (dw), WAIT_MS);
    g_assert_cmpint (till_day_close_window_get_expected_fen (dw), ==, 19000);
    g_free (till_ui_screenshot (GTK_WIDGET (dw), "return-day-close"));
    gtk_window_destroy (GTK_WINDOW (dw));
    g_object_unref (dw);
  }
  z_text = till_report_z_text (report, &cash, NULL, 0, NULL);
  g_assert_nonnull (strstr (z_text, "Returns without receipt"));
  g_assert_nonnull (strstr (z_text, "-10.00"));

  till_ui_fixture_free (f);
}

int
main (int argc, char **argv)
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/return/no-receipt", test_return_no_receipt);
  return g_test_run ();
}
