/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The managers' application actions: sign-in, reports, refunds, day close, cash in/out,
 * reprint; the signed-in cashier on the cashier's window. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-cash-movement-window.h"
#include "till-cashier-window.h"
#include "till-day-close-window.h"
#include "till-manager-actions.h"
#include "till-pin-window.h"
#include "till-system-printer.h"
#include "till-refund-window.h"
#include "till-report-window.h"
#include "till-shift.h"
#include "till-signin-window.h"

typedef struct
{
  GtkApplication     *app;        /* weak: the application owns this */
  TillContext        *context;
  TillReceiptPrinter *printer;
  GtkWindow          *reports;    /* weak pointers to the open windows */
  GtkWindow          *refunds;
  GtkWindow          *day_close;
  GtkWindow          *cash;
  GtkWindow          *signin;
  char               *base_title;
} Manager;

#define MANAGER_KEY "till-manager"

static void
manager_free (gpointer data)
{
  Manager *m = data;

  g_signal_handlers_disconnect_by_data (till_context_get_shift (m->context), m);
  g_clear_weak_pointer (&m->reports);
  g_clear_weak_pointer (&m->refunds);
  g_clear_weak_pointer (&m->day_close);
  g_clear_weak_pointer (&m->cash);
  g_clear_weak_pointer (&m->signin);
  g_clear_object (&m->printer);
  g_clear_object (&m->context);
  g_free (m->base_title);
  g_free (m);
}

static TillCashierWindow *
cashier_window (Manager *m)
{
  for (GList *l = gtk_application_get_windows (m->app); l != NULL; l = l->next)
    if (TILL_IS_CASHIER_WINDOW (l->data))
      return l->data;
  return NULL;
}

static GtkWindow *
parent_window (Manager *m)
{
  TillCashierWindow *cashier = cashier_window (m);

  return cashier != NULL ? GTK_WINDOW (cashier) : gtk_application_get_active_window (m->app);
}

static void
present_tracked (Manager    *m,
                 GtkWindow **slot,
                 GtkWindow  *window)
{
  g_set_weak_pointer (slot, window);
  gtk_application_add_window (m->app, window);
  gtk_window_present (window);
}

/* ---- the signed-in cashier on the cashier's window ---- */

static void
shift_cashier_cb (TillShift  *shift,
                  GParamSpec *pspec,
                  Manager    *m)
{
  TillCashierWindow *cashier = cashier_window (m);
  const char *name = till_shift_get_cashier (shift);
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;

  if (cashier == NULL)
    return;
  if (m->base_title == NULL)
    m->base_title = g_strdup (gtk_window_get_title (GTK_WINDOW (cashier)));
  if (name != NULL)
    {
      title = g_strdup_printf (_("%s · 收银员 Cashier: %s"), m->base_title, name);
      message = g_strdup_printf (_("%s 已签到 signed in"), name);
    }
  else
    {
      title = g_strdup (m->base_title);
      message = g_strdup (_("已签退 Signed out"));
    }
  gtk_window_set_title (GTK_WINDOW (cashier), title);
  till_cashier_window_show_message (cashier, TILL_MESSAGE_INFO, message);
}

/* ---- sign-in ---- */

static void
open_signin (Manager  *m,
             gboolean  required)
{
  TillSigninWindow *window;

  if (m->signin != NULL)
    {
      gtk_window_present (m->signin);
      return;
    }
  window = till_signin_window_new (parent_window (m), m->context, required);
  present_tracked (m, &m->signin, GTK_WINDOW (window));
}

static void
sign_in_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Manager *m = user_data;

  open_signin (m, g_settings_get_boolean (till_context_get_settings (m->context),
                                          "require-sign-in"));
}

/* ---- windows behind a PIN ---- */

static void
reports_approved_cb (TillPinWindow *pin,
                     TillPerson    *manager,
                     Manager       *m)
{
  TillReportWindow *window = till_report_window_new (parent_window (m), m->context);

  present_tracked (m, &m->reports, GTK_WINDOW (window));
}

static void
reports_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Manager *m = user_data;
  TillPinWindow *pin;

  if (m->reports != NULL)
    {
      gtk_window_present (m->reports);
      return;
    }
  pin = till_pin_window_new (parent_window (m), m->context, TILL_APPROVAL_REPORTS, NULL,
                             _("查看销售报表 See the sales reports"));
  g_signal_connect (pin, "approved", G_CALLBACK (reports_approved_cb), m);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
refunds_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Manager *m = user_data;

  if (m->refunds == NULL)
    present_tracked (m, &m->refunds,
                     GTK_WINDOW (till_refund_window_new (parent_window (m), m->context)));
  else
    gtk_window_present (m->refunds);
}

gboolean
till_manager_actions_get_installed (GtkApplication *app)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (app), FALSE);
  return g_object_get_data (G_OBJECT (app), MANAGER_KEY) != NULL;
}

void
till_manager_actions_open_refund (GtkApplication *app,
                                  const char     *sale_number)
{
  Manager *m;

  g_return_if_fail (GTK_IS_APPLICATION (app));

  m = g_object_get_data (G_OBJECT (app), MANAGER_KEY);
  g_return_if_fail (m != NULL);
  refunds_action_cb (NULL, NULL, m);
  if (sale_number != NULL)
    till_refund_window_open_sale (TILL_REFUND_WINDOW (m->refunds), sale_number);
}

static void
day_close_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  Manager *m = user_data;

  if (m->day_close == NULL)
    present_tracked (m, &m->day_close,
                     GTK_WINDOW (till_day_close_window_new (parent_window (m), m->context, NULL)));
  else
    gtk_window_present (m->day_close);
}

static void
cash_movement_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  Manager *m = user_data;

  if (m->cash == NULL)
    present_tracked (m, &m->cash,
                     GTK_WINDOW (till_cash_movement_window_new (parent_window (m), m->context)));
  else
    gtk_window_present (m->cash);
}

/* ---- receipts ---- */

static void
reprinted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Manager *m = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  TillCashierWindow *cashier;

  number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object), result, &error);
  cashier = cashier_window (m);
  if (cashier == NULL)
    return;
  if (number == NULL)
    {
      /* The sale is done; only the paper is missing. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        till_cashier_window_show_message (cashier, TILL_MESSAGE_ERROR, error->message);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("已补打小票 Receipt %s reprinted"), number);

      till_cashier_window_show_message (cashier, TILL_MESSAGE_SUCCESS, text);
    }
}

static void
reprint_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Manager *m = user_data;
  g_autofree char *target = till_receipt_printer_get_target (m->printer);

  if (target == NULL)
    {
      TillCashierWindow *cashier = cashier_window (m);

      if (cashier != NULL)
        till_cashier_window_show_message (cashier, TILL_MESSAGE_ERROR,
                                          _("没有设置小票打印机 No receipt printer is set up (Preferences)"));
      return;
    }
  till_receipt_printer_print_sale_async (m->printer, NULL, TRUE, parent_window (m), NULL,
                                         reprinted_cb, m);
}

/* ---- start ---- */

static gpointer
seed_demo_job (TillStore *store,
               gpointer   data,
               GError   **error)
{
  return till_people_seed_demo (TILL_PEOPLE (data), error) ? GINT_TO_POINTER (1) : NULL;
}

static void
seed_demo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    g_warning ("Cannot add the demo people: %s", error->message);
}

static gboolean
start_signin_cb (gpointer user_data)
{
  Manager *m = user_data;

  open_signin (m, TRUE);
  return G_SOURCE_REMOVE;
}

static const GActionEntry manager_actions[] = {
  { "sign-in", sign_in_action_cb },
  { "reports", reports_action_cb },
  { "refunds", refunds_action_cb },
  { "day-close", day_close_action_cb },
  { "cash-movement", cash_movement_action_cb },
  { "reprint-receipt", reprint_action_cb },
};

void
till_manager_actions_install (GtkApplication *app,
                              TillContext    *context)
{
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.sign-in", { "<Control>l", NULL } },
    { "app.reports", { "<Control>r", NULL } },
    { "app.refunds", { "<Control><Shift>r", NULL } },
    { "app.day-close", { "<Control><Shift>d", NULL } },
    { "app.cash-movement", { "<Control><Shift>m", NULL } },
    { "app.reprint-receipt", { "<Control>p", NULL } },
  };
  TillShift *shift;
  Manager *m;

  g_return_if_fail (GTK_IS_APPLICATION (app));
  g_return_if_fail (TILL_IS_CONTEXT (context));
  g_return_if_fail (g_object_get_data (G_OBJECT (app), MANAGER_KEY) == NULL);

  m = g_new0 (Manager, 1);
  m->app = app;
  m->context = g_object_ref (context);
  m->printer = till_ui_receipt_printer_new (context);
  g_object_set_data_full (G_OBJECT (app), MANAGER_KEY, m, manager_free);

  g_action_map_add_action_entries (G_ACTION_MAP (app), manager_actions,
                                   G_N_ELEMENTS (manager_actions), m);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);

  shift = till_context_get_shift (context);
  g_signal_connect (shift, "notify::cashier", G_CALLBACK (shift_cashier_cb), m);

  if (till_context_get_demo (context))
    till_store_run_async (till_context_get_store (context), seed_demo_job,
                          g_object_ref (till_shift_get_people (shift)), g_object_unref, NULL,
                          NULL, seed_demo_cb, NULL);

  if (g_settings_get_boolean (till_context_get_settings (context), "require-sign-in"))
    g_idle_add_full (G_PRIORITY_LOW, start_signin_cb, m, NULL);
}
