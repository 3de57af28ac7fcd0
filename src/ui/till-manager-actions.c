/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillManagerActions: the managers' application actions (sign-in, reports, refunds, day
 * close, cash in/out, reprint) and the signed-in cashier on the cashier's window. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-cash-movement-window.h"
#include "till-cashier-window.h"
#include "till-day-close-window.h"
#include "till-handover-window.h"
#include "till-manager-actions.h"
#include "till-members-window.h"
#include "till-pin-window.h"
#include "till-products-window.h"
#include "till-receiving-window.h"
#include "till-quick-keys-window.h"
#include "till-refund-window.h"
#include "till-report-window.h"
#include "till-signin-window.h"
#include "till-start-trace.h"
#include "till-stocktake-window.h"
#include "till-system-printer.h"

struct _TillManagerActions
{
  GObject             parent_instance;

  GtkApplication     *app;        /* weak: the application keeps this object */
  TillContext        *context;
  TillReceiptPrinter *printer;    /* for reprints */
  GtkWindow          *reports;    /* weak pointers to the open windows */
  GtkWindow          *refunds;
  GtkWindow          *day_close;
  GtkWindow          *cash;
  GtkWindow          *products;
  GtkWindow          *members;
  GtkWindow          *receiving;
  GtkWindow          *stocktake;
  GtkWindow          *quick_keys;
  GtkWindow          *signin;
  GtkWindow          *handover;
  char               *base_title;
  guint               signin_id;  /* the sign-in window at start */
};

G_DEFINE_FINAL_TYPE (TillManagerActions, till_manager_actions, G_TYPE_OBJECT)

static TillCashierWindow *
cashier_window (TillManagerActions *self)
{
  if (self->app == NULL)
    return NULL;
  for (GList *l = gtk_application_get_windows (self->app); l != NULL; l = l->next)
    if (TILL_IS_CASHIER_WINDOW (l->data))
      return l->data;
  return NULL;
}

static GtkWindow *
parent_window (TillManagerActions *self)
{
  TillCashierWindow *cashier = cashier_window (self);

  if (cashier != NULL)
    return GTK_WINDOW (cashier);
  return self->app != NULL ? gtk_application_get_active_window (self->app) : NULL;
}

static void
present_tracked (TillManagerActions  *self,
                 GtkWindow          **slot,
                 GtkWindow           *window)
{
  g_set_weak_pointer (slot, window);
  if (self->app != NULL)
    gtk_application_add_window (self->app, window);
  gtk_window_present (window);
}

static void
say (TillManagerActions *self,
     TillMessageKind     kind,
     const char         *text)
{
  TillCashierWindow *cashier = cashier_window (self);

  if (cashier != NULL)
    till_cashier_window_show_message (cashier, kind, text);
}

/* ---- the signed-in cashier on the cashier's window ---- */

static void
shift_cashier_cb (TillShift          *shift,
                  GParamSpec         *pspec,
                  TillManagerActions *self)
{
  TillCashierWindow *cashier = cashier_window (self);
  const char *name = till_shift_get_cashier (shift);
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;

  if (cashier == NULL)
    return;
  if (self->base_title == NULL)
    self->base_title = g_strdup (gtk_window_get_title (GTK_WINDOW (cashier)));
  if (name != NULL)
    {
      title = g_strdup_printf (_("%s · Cashier: %s"), self->base_title, name);
      message = g_strdup_printf (_("%s signed in"), name);
    }
  else
    {
      title = g_strdup (self->base_title);
      message = g_strdup (_("Signed out"));
    }
  gtk_window_set_title (GTK_WINDOW (cashier), title);
  till_cashier_window_show_message (cashier, TILL_MESSAGE_INFO, message);
}

/* ---- sign-in and the shift (issue 18) ---- */

static void open_signin (TillManagerActions *self,
                         gboolean            required);

static void
shift_begun_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TillManagerActions) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillShiftRecord) shift = till_shift_begin_finish (TILL_SHIFT (object), result,
                                                              &error);

  if (shift == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No shift was opened: %s"), error->message);

      g_warning ("No shift was opened: %s", error->message);
      say (self, TILL_MESSAGE_ERROR, text);
    }
}

/* Signing in when no shift is open opens one with the float typed. */
static void
signed_in_cb (TillSigninWindow   *window,
              TillPerson         *person,
              TillManagerActions *self)
{
  TillShift *shift = till_context_get_shift (self->context);

  till_start_trace_mark ("signed-in");
  if (till_shift_get_open_shift_id (shift) != 0)
    return;
  till_shift_begin_async (shift, till_context_get_till_id (self->context),
                          till_signin_window_get_float (window), NULL, shift_begun_cb,
                          g_object_ref (self));
}

static void
handed_over_cb (TillHandoverWindow *window,
                gint64              counted_fen,
                TillManagerActions *self)
{
  if (self->signin != NULL)
    gtk_window_destroy (self->signin);
  open_signin (self, TRUE);
  if (self->signin != NULL)
    till_signin_window_set_float (TILL_SIGNIN_WINDOW (self->signin), counted_fen);
}

/* Ctrl+Shift+O: the shift handover. */
static void
hand_over_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TillManagerActions *self = user_data;
  TillHandoverWindow *window;

  if (self->handover != NULL)
    {
      gtk_window_present (self->handover);
      return;
    }
  window = till_handover_window_new (parent_window (self), self->context);
  g_signal_connect_object (window, "handed-over", G_CALLBACK (handed_over_cb), self, 0);
  present_tracked (self, &self->handover, GTK_WINDOW (window));
}

static void
open_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Logged by TillShift; the handover window says it again when opened. */
  till_shift_load_open_finish (TILL_SHIFT (object), result, &error);
}

/* ---- sign-in ---- */

static void
open_signin (TillManagerActions *self,
             gboolean            required)
{
  TillSigninWindow *window;

  if (self->signin != NULL)
    {
      gtk_window_present (self->signin);
      return;
    }
  till_start_trace_mark ("signin-opening");
  window = till_signin_window_new (parent_window (self), self->context, required);
  till_start_trace_mark ("signin-built");
  till_start_trace_first_frame (GTK_WINDOW (window), "signin-first-frame");
  g_signal_connect_object (window, "signed-in", G_CALLBACK (signed_in_cb), self, 0);
  present_tracked (self, &self->signin, GTK_WINDOW (window));
  till_start_trace_mark ("signin-presented");
}

static void
sign_in_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TillManagerActions *self = user_data;

  open_signin (self, g_settings_get_boolean (till_context_get_settings (self->context),
                                             "require-sign-in"));
}

/* ---- windows behind a PIN ---- */

static void
reports_approved_cb (TillPinWindow      *pin,
                     TillPerson         *manager,
                     TillManagerActions *self)
{
  TillReportWindow *window = till_report_window_new (parent_window (self), self->context);

  present_tracked (self, &self->reports, GTK_WINDOW (window));
}

static void
reports_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TillManagerActions *self = user_data;
  TillPinWindow *pin;

  if (self->reports != NULL)
    {
      gtk_window_present (self->reports);
      return;
    }
  pin = till_pin_window_new (parent_window (self), self->context, TILL_APPROVAL_REPORTS, NULL,
                             _("See the sales reports"));
  g_signal_connect_object (pin, "approved", G_CALLBACK (reports_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
refunds_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TillManagerActions *self = user_data;

  if (self->refunds == NULL)
    present_tracked (self, &self->refunds,
                     GTK_WINDOW (till_refund_window_new (parent_window (self), self->context)));
  else
    gtk_window_present (self->refunds);
}

void
till_manager_actions_open_refund (TillManagerActions *self,
                                  const char         *sale_number)
{
  g_return_if_fail (TILL_IS_MANAGER_ACTIONS (self));

  refunds_action_cb (NULL, NULL, self);
  if (sale_number != NULL && self->refunds != NULL)
    till_refund_window_open_sale (TILL_REFUND_WINDOW (self->refunds), sale_number);
}

static void
open_refund_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  till_manager_actions_open_refund (user_data, g_variant_get_string (parameter, NULL));
}

static void
day_close_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TillManagerActions *self = user_data;

  if (self->day_close == NULL)
    present_tracked (self, &self->day_close,
                     GTK_WINDOW (till_day_close_window_new (parent_window (self), self->context,
                                                            NULL)));
  else
    gtk_window_present (self->day_close);
}

static void
cash_movement_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  TillManagerActions *self = user_data;

  if (self->cash == NULL)
    present_tracked (self, &self->cash,
                     GTK_WINDOW (till_cash_movement_window_new (parent_window (self),
                                                                self->context)));
  else
    gtk_window_present (self->cash);
}

/* Ctrl+Shift+P: the products window, after a manager's PIN (audit "approve:products"). */
static void
products_approved_cb (TillPinWindow      *pin,
                      TillPerson         *manager,
                      TillManagerActions *self)
{
  TillProductsWindow *window = till_products_window_new (parent_window (self), self->context,
                                                         manager->name);
  const char *code = g_object_get_data (G_OBJECT (pin), "till-new-barcode");

  /* The quick keys window opened from it takes this manager's approval. */
  g_object_set_data_full (G_OBJECT (window), "till-manager", g_strdup (manager->name), g_free);
  present_tracked (self, &self->products, GTK_WINDOW (window));
  if (code != NULL)
    till_products_window_enter_code (window, code);
}

void
till_manager_actions_open_products (TillManagerActions *self,
                                    const char         *barcode)
{
  TillPinWindow *pin;

  g_return_if_fail (TILL_IS_MANAGER_ACTIONS (self));

  if (self->products != NULL)
    {
      gtk_window_present (self->products);
      if (barcode != NULL && *barcode != '\0')
        till_products_window_enter_code (TILL_PRODUCTS_WINDOW (self->products), barcode);
      return;
    }
  pin = till_pin_window_new (parent_window (self), self->context, TILL_APPROVAL_PRODUCTS, NULL,
                             _("Add and edit products"));
  if (barcode != NULL && *barcode != '\0')
    g_object_set_data_full (G_OBJECT (pin), "till-new-barcode", g_strdup (barcode), g_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (products_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
products_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TillManagerActions *self = user_data;
  TillCashierWindow *cashier = cashier_window (self);
  const char *barcode = NULL;

  /* Right after a barcode no product has was scanned at the counter: "add this product". */
  if (cashier != NULL)
    barcode = till_checkout_get_unknown_barcode (till_cashier_window_get_checkout (cashier));
  till_manager_actions_open_products (self, barcode);
}

/* Ctrl+Shift+B: the members window (issue 16). Any signed-in cashier finds, adds and edits
 * members (sign-up happens at the counter); the window asks a manager's PIN itself for an
 * adjustment, the export and the levels. */
static void
members_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TillManagerActions *self = user_data;

  if (self->members == NULL)
    present_tracked (self, &self->members,
                     GTK_WINDOW (till_members_window_new (parent_window (self), self->context)));
  else
    gtk_window_present (self->members);
}

/* Ctrl+Shift+I: goods received, after a manager's PIN (audit "approve:receiving"): the
 * staff module has no role below manager that may book stock, so a manager receives. */
static void
receiving_approved_cb (TillPinWindow      *pin,
                       TillPerson         *manager,
                       TillManagerActions *self)
{
  present_tracked (self, &self->receiving,
                   GTK_WINDOW (till_receiving_window_new (parent_window (self), self->context,
                                                          manager->name)));
}

static void
receiving_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TillManagerActions *self = user_data;
  TillPinWindow *pin;

  if (self->receiving != NULL)
    {
      gtk_window_present (self->receiving);
      return;
    }
  pin = till_pin_window_new (parent_window (self), self->context, TILL_APPROVAL_RECEIVING, NULL,
                             _("Book goods received from a supplier"));
  g_signal_connect_object (pin, "approved", G_CALLBACK (receiving_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

/* Ctrl+Shift+K: the stocktake; anyone counts, a manager's PIN books the counts. */
static void
stocktake_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TillManagerActions *self = user_data;

  if (self->stocktake == NULL)
    present_tracked (self, &self->stocktake,
                     GTK_WINDOW (till_stocktake_window_new (parent_window (self), self->context)));
  else
    gtk_window_present (self->stocktake);
}

/* Ctrl+Shift+Q: the quick keys window (issue 15), after a manager's PIN (audit
 * "approve:products", as the products window), or at once from an open products window
 * (its manager's approval; the product open there is offered as "Add …"). */
static void
open_quick_keys (TillManagerActions *self,
                 GtkWindow          *parent,
                 const char         *manager,
                 gint64              current_product_id)
{
  present_tracked (self, &self->quick_keys,
                   GTK_WINDOW (till_quick_keys_window_new (parent, self->context, manager,
                                                           current_product_id)));
}

static void
quick_keys_approved_cb (TillPinWindow      *pin,
                        TillPerson         *manager,
                        TillManagerActions *self)
{
  open_quick_keys (self, parent_window (self), manager->name, 0);
}

static void
quick_keys_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  TillManagerActions *self = user_data;
  TillPinWindow *pin;

  if (self->quick_keys != NULL)
    {
      gtk_window_present (self->quick_keys);
      return;
    }
  if (self->products != NULL)
    {
      TillProductEditor *editor = till_products_window_get_editor (TILL_PRODUCTS_WINDOW (
        self->products));

      open_quick_keys (self, self->products,
                       g_object_get_data (G_OBJECT (self->products), "till-manager"),
                       till_product_editor_get_product_id (editor));
      return;
    }
  pin = till_pin_window_new (parent_window (self), self->context, TILL_APPROVAL_PRODUCTS, NULL,
                             _("Arrange the quick keys"));
  g_signal_connect_object (pin, "approved", G_CALLBACK (quick_keys_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

/* ---- reprint ---- */

static void
reprinted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillManagerActions) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object), result, &error);
  if (number == NULL)
    {
      /* The sale is done; only the paper is missing. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, TILL_MESSAGE_ERROR, error->message);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Receipt %s reprinted"), number);

      say (self, TILL_MESSAGE_SUCCESS, text);
    }
}

static void
reprint_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TillManagerActions *self = user_data;
  g_autofree char *target = till_receipt_printer_get_target (self->printer);

  if (target == NULL)
    {
      say (self, TILL_MESSAGE_ERROR,
           _("No receipt printer is set up (Preferences)"));
      return;
    }
  till_receipt_printer_print_sale_async (self->printer, NULL, TRUE, parent_window (self), NULL,
                                         reprinted_cb, g_object_ref (self));
}

/* ---- GObject ---- */

static const GActionEntry manager_actions[] = {
  { "sign-in", sign_in_action_cb },
  { "hand-over", hand_over_action_cb },
  { "reports", reports_action_cb },
  { "refunds", refunds_action_cb },
  { "day-close", day_close_action_cb },
  { "cash-movement", cash_movement_action_cb },
  { "products", products_action_cb },
  { "members", members_action_cb },
  { "receiving", receiving_action_cb },
  { "stocktake", stocktake_action_cb },
  { "quick-keys", quick_keys_action_cb },
  { "reprint-receipt", reprint_action_cb },
  { "open-refund", open_refund_action_cb, "s" },
};

static gboolean
start_signin_cb (gpointer user_data)
{
  TillManagerActions *self = user_data;

  self->signin_id = 0;
  open_signin (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
till_manager_actions_dispose (GObject *object)
{
  TillManagerActions *self = TILL_MANAGER_ACTIONS (object);

  g_clear_handle_id (&self->signin_id, g_source_remove);
  if (self->app != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (manager_actions); i++)
        g_action_map_remove_action (G_ACTION_MAP (self->app), manager_actions[i].name);
    }
  g_clear_weak_pointer (&self->app);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_shift (self->context), self);
  g_clear_weak_pointer (&self->reports);
  g_clear_weak_pointer (&self->refunds);
  g_clear_weak_pointer (&self->day_close);
  g_clear_weak_pointer (&self->cash);
  g_clear_weak_pointer (&self->products);
  g_clear_weak_pointer (&self->members);
  g_clear_weak_pointer (&self->receiving);
  g_clear_weak_pointer (&self->stocktake);
  g_clear_weak_pointer (&self->quick_keys);
  g_clear_weak_pointer (&self->signin);
  g_clear_weak_pointer (&self->handover);
  g_clear_object (&self->printer);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_manager_actions_parent_class)->dispose (object);
}

static void
till_manager_actions_finalize (GObject *object)
{
  TillManagerActions *self = TILL_MANAGER_ACTIONS (object);

  g_free (self->base_title);

  G_OBJECT_CLASS (till_manager_actions_parent_class)->finalize (object);
}

static void
till_manager_actions_class_init (TillManagerActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_manager_actions_dispose;
  object_class->finalize = till_manager_actions_finalize;
}

static void
till_manager_actions_init (TillManagerActions *self)
{
}

TillManagerActions *
till_manager_actions_new (GtkApplication *app,
                          TillContext    *context)
{
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.sign-in", { "<Control>l", NULL } },
    { "app.hand-over", { "<Control><Shift>o", NULL } },
    { "app.reports", { "<Control>r", NULL } },
    { "app.refunds", { "<Control><Shift>r", NULL } },
    { "app.day-close", { "<Control><Shift>d", NULL } },
    { "app.cash-movement", { "<Control><Shift>m", NULL } },
    { "app.products", { "<Control><Shift>p", NULL } },
    { "app.members", { "<Control><Shift>b", NULL } },
    { "app.receiving", { "<Control><Shift>i", NULL } },
    { "app.stocktake", { "<Control><Shift>k", NULL } },
    { "app.quick-keys", { "<Control><Shift>q", NULL } },
    { "app.reprint-receipt", { "<Control>p", NULL } },
  };
  TillManagerActions *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (!till_manager_actions_get_installed (app), NULL);

  self = g_object_new (TILL_TYPE_MANAGER_ACTIONS, NULL);
  g_set_weak_pointer (&self->app, app);
  self->context = g_object_ref (context);
  self->printer = till_ui_receipt_printer_new (context);

  g_action_map_add_action_entries (G_ACTION_MAP (app), manager_actions,
                                   G_N_ELEMENTS (manager_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);

  g_signal_connect (till_context_get_shift (context), "notify::cashier",
                    G_CALLBACK (shift_cashier_cb), self);

  /* A shift left open by a crash or a power cut is still open. */
  till_shift_load_open_async (till_context_get_shift (context), NULL, open_loaded_cb, NULL);

  if (g_settings_get_boolean (till_context_get_settings (context), "require-sign-in"))
    self->signin_id = g_idle_add_full (G_PRIORITY_LOW, start_signin_cb, self, NULL);
  return self;
}

gboolean
till_manager_actions_get_installed (GtkApplication *app)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (app), FALSE);
  return g_action_map_lookup_action (G_ACTION_MAP (app), "open-refund") != NULL;
}
