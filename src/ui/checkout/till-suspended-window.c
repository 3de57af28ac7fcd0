/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSuspendedWindow: the Ctrl+Shift+H list of suspended sales; resume, void, close. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-confirm-window.h"
#include "till-suspended-window.h"
#include "till-ui-util.h"

struct _TillSuspendedWindow
{
  GtkWindow     parent_instance;

  TillCheckout *checkout;
  GCancellable *cancellable;
  GPtrArray    *sales;     /* of TillSuspendedSale*, as shown */
  gboolean      loaded;
  gint64        select_id; /* the row to select after a reload, 0: the first */

  GtkStack     *stack;
  GtkListBox   *list_box;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (TillSuspendedWindow, till_suspended_window, GTK_TYPE_WINDOW)

static void reload (TillSuspendedWindow *self);

static void
show_error (TillSuspendedWindow *self,
            const char          *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (text != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

/* "14:05" today, "12-02 18:40" another day. */
static char *
format_time (gint64 at_us)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (at == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (at) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (at) == g_date_time_get_day_of_year (now))
    return g_date_time_format (at, "%H:%M");
  return g_date_time_format (at, "%m-%d %H:%M");
}

static GtkWidget *
cell (const char *text,
      int         width_chars,
      gboolean    expand,
      float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), expand ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (width_chars > 0)
    gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
  gtk_widget_set_hexpand (label, expand);
  return label;
}

static GtkWidget *
make_row (const TillSuspendedSale *sale)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  g_autofree char *time = format_time (sale->suspended_at);
  g_autofree char *lines = NULL;
  g_autofree char *total = till_money_format (sale->total_fen);
  g_autofree char *label = NULL;
  GtkWidget *total_label;

  lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines", sale->n_lines),
                           sale->n_lines);
  gtk_widget_add_css_class (box, "suspended-row");
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_box_append (GTK_BOX (box), cell (time, 11, FALSE, 0));
  gtk_box_append (GTK_BOX (box), cell (sale->number, 14, FALSE, 0));
  gtk_box_append (GTK_BOX (box), cell (sale->cashier != NULL ? sale->cashier : "", 8, FALSE, 0));
  gtk_box_append (GTK_BOX (box), cell (sale->first_item != NULL ? sale->first_item : "", 0, TRUE,
                                       0));
  gtk_box_append (GTK_BOX (box), cell (lines, 8, FALSE, 1));
  total_label = cell (total, 10, FALSE, 1);
  gtk_widget_add_css_class (total_label, "numeric");
  gtk_widget_add_css_class (total_label, "heading");
  gtk_box_append (GTK_BOX (box), total_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  label = g_strdup_printf (_("Sale %s, suspended at %s by %s: %s, %s, total %s"), sale->number,
                           time, sale->cashier != NULL ? sale->cashier : "",
                           sale->first_item != NULL ? sale->first_item : "", lines, total);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return row;
}

static const TillSuspendedSale *
selected_sale (TillSuspendedWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list_box);
  int index;

  if (row == NULL || self->sales == NULL)
    return NULL;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->sales->len)
    return NULL;
  return g_ptr_array_index (self->sales, index);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TillSuspendedWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sales = NULL;
  GtkWidget *child;
  GtkListBoxRow *select = NULL;

  sales = till_checkout_list_suspended_finish (TILL_CHECKOUT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loaded = TRUE;
  if (sales == NULL)
    {
      g_warning ("The suspended sales could not be listed: %s", error->message);
      show_error (self, error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_clear_pointer (&self->sales, g_ptr_array_unref);
  self->sales = g_steal_pointer (&sales);
  for (guint i = 0; i < self->sales->len; i++)
    {
      const TillSuspendedSale *sale = g_ptr_array_index (self->sales, i);
      GtkWidget *row = make_row (sale);

      gtk_list_box_append (self->list_box, row);
      if (select == NULL || sale->id == self->select_id)
        select = GTK_LIST_BOX_ROW (row);
    }
  gtk_stack_set_visible_child_name (self->stack, self->sales->len > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "suspended.resume", self->sales->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "suspended.void", self->sales->len > 0);
  if (select != NULL)
    {
      gtk_list_box_select_row (self->list_box, select);
      gtk_widget_grab_focus (GTK_WIDGET (select));
    }
}

static void
reload (TillSuspendedWindow *self)
{
  const TillSuspendedSale *sale = selected_sale (self);

  self->select_id = sale != NULL ? sale->id : 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  till_checkout_list_suspended_async (self->checkout, self->cancellable, list_cb, self);
}

static void
resume_selected (TillSuspendedWindow *self)
{
  const TillSuspendedSale *sale = selected_sale (self);
  g_autoptr(GError) error = NULL;

  if (sale == NULL)
    {
      show_error (self, _("Select a suspended sale first"));
      return;
    }
  if (!till_checkout_resume_sale (self->checkout, sale->id, &error))
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
row_activated_cb (GtkListBox          *box,
                  GtkListBoxRow       *row,
                  TillSuspendedWindow *self)
{
  gtk_list_box_select_row (box, row);
  resume_selected (self);
}

static void
resume_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  resume_selected (TILL_SUSPENDED_WINDOW (widget));
}

typedef struct
{
  TillSuspendedWindow *self;   /* weak, by the signal's connection */
  gint64               sale_id;
} VoidConfirm;

static void
void_confirmed_cb (TillConfirmWindow *window,
                   TillSuspendedWindow *self)
{
  gint64 sale_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (window), "sale-id"));
  g_autoptr(GError) error = NULL;

  if (!till_checkout_void_suspended (self->checkout, sale_id, &error))
    show_error (self, error->message);
  /* The list follows the count (notify::suspended-count) once the void is written. */
}

static void
void_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TillSuspendedWindow *self = TILL_SUSPENDED_WINDOW (widget);
  const TillSuspendedSale *sale = selected_sale (self);
  TillConfirmWindow *confirm;
  g_autofree char *total = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *body = NULL;

  if (sale == NULL)
    {
      show_error (self, _("Select a suspended sale first"));
      return;
    }
  show_error (self, NULL);
  total = till_money_format (sale->total_fen);
  lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines", sale->n_lines),
                           sale->n_lines);
  body = g_strdup_printf (_("Suspended sale %s: %s, total %s. The void is recorded in the audit "
                            "log."), sale->number, lines, total);
  confirm = till_confirm_window_new (GTK_WINDOW (self), _("Void the suspended sale?"), body,
                                     _("Void (Enter)"));
  g_object_set_data (G_OBJECT (confirm), "sale-id", GSIZE_TO_POINTER ((gsize) sale->id));
  g_signal_connect_object (confirm, "confirmed", G_CALLBACK (void_confirmed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (confirm));
}

static void
count_notify_cb (TillCheckout        *checkout,
                 GParamSpec          *pspec,
                 TillSuspendedWindow *self)
{
  reload (self);
}

static void
till_suspended_window_dispose (GObject *object)
{
  TillSuspendedWindow *self = TILL_SUSPENDED_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->checkout != NULL)
    g_signal_handlers_disconnect_by_data (self->checkout, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_SUSPENDED_WINDOW);
  g_clear_object (&self->checkout);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sales, g_ptr_array_unref);

  G_OBJECT_CLASS (till_suspended_window_parent_class)->dispose (object);
}

static void
till_suspended_window_class_init (TillSuspendedWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  object_class->dispose = till_suspended_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-suspended-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillSuspendedWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TillSuspendedWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, TillSuspendedWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "suspended.resume", NULL, resume_action_cb);
  gtk_widget_class_install_action (widget_class, "suspended.void", NULL, void_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "suspended.void", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "suspended.void",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_suspended_window_init (TillSuspendedWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

TillSuspendedWindow *
till_suspended_window_new (GtkWindow    *parent,
                           TillCheckout *checkout)
{
  TillSuspendedWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (TILL_TYPE_SUSPENDED_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->checkout = g_object_ref (checkout);
  g_signal_connect (checkout, "notify::suspended-count", G_CALLBACK (count_notify_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "suspended.resume", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "suspended.void", FALSE);
  reload (self);
  return self;
}

guint
till_suspended_window_get_n_rows (TillSuspendedWindow *self)
{
  g_return_val_if_fail (TILL_IS_SUSPENDED_WINDOW (self), 0);
  return self->sales != NULL ? self->sales->len : 0;
}

gboolean
till_suspended_window_is_loaded (TillSuspendedWindow *self)
{
  g_return_val_if_fail (TILL_IS_SUSPENDED_WINDOW (self), FALSE);
  return self->loaded;
}
