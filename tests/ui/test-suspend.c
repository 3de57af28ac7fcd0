/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GUI test of 挂单 / 取单 on Xvfb with real keys: Ctrl+H suspends the sale (the customer
 * display goes back to its welcome page, the status bar says "1 suspended"), another sale
 * is sold and paid in cash, the till restarts on the same data directory, Ctrl+Shift+H
 * lists the suspended sale, Enter resumes it with its number and lines; Delete voids one
 * after a confirmation; the day close lists them and refuses to close. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "till-cash-window.h"
#include "till-confirm-window.h"
#include "till-day-close-window.h"
#include "till-suspended-window.h"
#include "till-ui-test.h"

#define COLA_EAN  "6954767002057"   /* 可口可乐 500ml, ¥3.50 */
#define CHIPS_EAN "6924678006079"   /* 乐事薯片原味 70g, ¥7.50 */
#define EGG_PLU   "8001"            /* 茶叶蛋, ¥2.00 */
#define WAIT_MS   5000

/* The visible page of the customer display's stack that has a "welcome" page. */
static const char *
display_page (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "welcome") != NULL)
    return gtk_stack_get_visible_child_name (GTK_STACK (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *page = display_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
pay_cash (TillUiFixture *f,
          const char    *tendered)
{
  TillCashWindow *cash;

  till_ui_key ("F8", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CASH_WINDOW) != NULL, WAIT_MS);
  cash = TILL_CASH_WINDOW (till_ui_find_window (TILL_TYPE_CASH_WINDOW));
  till_ui_focus_window (GTK_WINDOW (cash));
  gtk_editable_set_text (till_cash_window_get_entry (cash), "");
  till_ui_type (tendered, 40, TRUE);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (f->cashier));
}

static TillSuspendedWindow *
open_list (TillUiFixture *f)
{
  TillSuspendedWindow *list;

  till_ui_key_control_shift ("h");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SUSPENDED_WINDOW) != NULL, WAIT_MS);
  list = TILL_SUSPENDED_WINDOW (till_ui_find_window (TILL_TYPE_SUSPENDED_WINDOW));
  TILL_UI_WAIT_FOR (till_suspended_window_is_loaded (list), WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (list));
  till_ui_pump (100);
  return list;
}

static void
test_suspend_pay_restart_resume (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillSuspendedWindow *list;
  g_autofree char *number = NULL;
  g_autofree char *state = NULL;
  g_autofree char *second = NULL;
  g_autofree char *png = NULL;

  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  number = g_strdup (till_sale_get_number (till_ui_sale (f)));
  g_assert_cmpstr (display_page (GTK_WIDGET (f->display)), ==, "lines");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->suspended_label)));

  /* Ctrl+H: suspended; a new, empty sale; the display welcomes the next customer. */
  till_ui_key ("h", TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), number) != 0
                    && till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_OPEN, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->suspended_label)), WAIT_MS);
  g_assert_cmpstr (gtk_label_get_text (f->cashier->suspended_label), ==, "1 suspended");
  g_assert_true (till_ui_message_contains (f, "suspended"));
  g_assert_cmpstr (display_page (GTK_WIDGET (f->display)), ==, "welcome");
  till_store_flush (f->store);
  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1", number);
  g_assert_cmpstr (state, ==, "suspended");
  png = till_ui_screenshot (GTK_WIDGET (f->cashier), "suspend-cashier-after-suspend");
  g_clear_pointer (&png, g_free);
  png = till_ui_screenshot (GTK_WIDGET (f->display), "suspend-customer-display-welcome");
  g_clear_pointer (&png, g_free);

  /* An empty cart: Ctrl+H says there is nothing to suspend. */
  till_ui_key ("h", TRUE);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "nothing to suspend"), WAIT_MS);

  /* The next customer: an egg, typed, paid in cash (once the code entry has the focus
   * back: under load a first digit could reach the window before it). */
  TILL_UI_WAIT_FOR (gtk_window_get_focus (GTK_WINDOW (f->cashier)) != NULL
                        && gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->cashier)),
                                                   GTK_WIDGET (f->cashier->code_entry)),
                    WAIT_MS);
  till_ui_pump (100);
  till_ui_type (EGG_PLU, 30, TRUE);
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  second = g_strdup (till_sale_get_number (till_ui_sale (f)));
  pay_cash (f, "2");
  till_store_flush (f->store);
  g_clear_pointer (&state, g_free);
  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1", second);
  g_assert_cmpstr (state, ==, "paid");

  /* The till restarts: the suspended sale is still there. */
  till_ui_fixture_restart (f);
  TILL_UI_WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (f->cashier->suspended_label)), WAIT_MS);

  /* Ctrl+Shift+H, Enter: the first sale is back with its number and lines. */
  list = open_list (f);
  g_assert_cmpuint (till_suspended_window_get_n_rows (list), ==, 1);
  png = till_ui_screenshot (GTK_WIDGET (list), "suspend-list");
  g_clear_pointer (&png, g_free);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), number) == 0, WAIT_MS);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SUSPENDED_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 2);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (till_ui_sale (f), 0)), ==,
                   2000);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 1450);
  TILL_UI_WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->cashier->suspended_label)), WAIT_MS);
  TILL_UI_WAIT_FOR (g_strcmp0 (display_page (GTK_WIDGET (f->display)), "lines") == 0, WAIT_MS);
  png = till_ui_screenshot (GTK_WIDGET (f->cashier), "suspend-cashier-resumed");
  g_clear_pointer (&png, g_free);
  png = till_ui_screenshot (GTK_WIDGET (f->display), "suspend-customer-display-resumed");

  /* And paid: with its own number. */
  pay_cash (f, "20");
  till_store_flush (f->store);
  g_clear_pointer (&state, g_free);
  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1", number);
  g_assert_cmpstr (state, ==, "paid");
  till_ui_fixture_free (f);
}

/* Two suspended sales: Down chooses the older, Delete and Enter void it (audited); the
 * day close lists the other and cannot close the day. */
static void
test_void_from_list_and_day_close (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  TillSuspendedWindow *list;
  TillConfirmWindow *confirm;
  TillDayCloseWindow *day;
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;
  g_autofree char *state = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *png = NULL;

  till_ui_add_and_wait (f, CHIPS_EAN, WAIT_MS);
  older = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_key ("h", TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), older) != 0, WAIT_MS);
  till_ui_add_and_wait (f, COLA_EAN, WAIT_MS);
  newer = g_strdup (till_sale_get_number (till_ui_sale (f)));
  till_ui_key ("h", TRUE);
  TILL_UI_WAIT_FOR (g_strcmp0 (till_sale_get_number (till_ui_sale (f)), newer) != 0, WAIT_MS);
  TILL_UI_WAIT_FOR (g_strcmp0 (gtk_label_get_text (f->cashier->suspended_label), "2 suspended")
                    == 0, WAIT_MS);

  list = open_list (f);
  g_assert_cmpuint (till_suspended_window_get_n_rows (list), ==, 2);
  till_ui_key ("Down", FALSE);
  till_ui_key ("Delete", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW) != NULL, WAIT_MS);
  confirm = TILL_CONFIRM_WINDOW (till_ui_find_window (TILL_TYPE_CONFIRM_WINDOW));
  g_assert_nonnull (strstr (till_confirm_window_get_body (confirm), older));
  till_ui_focus_window (GTK_WINDOW (confirm));
  png = till_ui_screenshot (GTK_WIDGET (confirm), "suspend-void-confirm");
  g_clear_pointer (&png, g_free);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_suspended_window_get_n_rows (list) == 1, WAIT_MS);
  till_store_flush (f->store);
  state = till_ui_query_text (f, "SELECT state FROM sale WHERE number = ?1", older);
  g_assert_cmpstr (state, ==, "voided");
  audit = till_ui_query_text (f, "SELECT count(*) FROM audit WHERE action = 'void_sale'"
                                 " AND detail_json LIKE '%' || ?1 || '%'", older);
  g_assert_cmpstr (audit, ==, "1");
  TILL_UI_WAIT_FOR (g_strcmp0 (gtk_label_get_text (f->cashier->suspended_label), "1 suspended")
                    == 0, WAIT_MS);

  /* Escape closes the list; nothing else changed. */
  till_ui_focus_window (GTK_WINDOW (list));
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_SUSPENDED_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  /* The day close names the suspended sale with its total and will not close the day. */
  day = till_day_close_window_new (GTK_WINDOW (f->cashier), f->context, NULL);
  gtk_window_present (GTK_WINDOW (day));
  TILL_UI_WAIT_FOR (!till_day_close_window_get_loading (day), WAIT_MS);
  g_assert_cmpuint (till_day_close_window_get_n_suspended (day), ==, 1);
  /* Its "Close day" button is off: nothing could be paid or voided on a closed day. */
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (day),
                                                             "dayclose.close-day")));
  till_ui_pump (100);
  png = till_ui_screenshot (GTK_WIDGET (day), "suspend-day-close");
  gtk_window_destroy (GTK_WINDOW (day));
  till_ui_fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/suspend/suspend-pay-restart-resume", test_suspend_pay_restart_resume);
  g_test_add_func ("/ui/suspend/void-from-list-and-day-close", test_void_from_list_and_day_close);
  return g_test_run ();
}
