/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReturnWindow: goods brought back without a receipt, paid back in cash. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-cashier-window.h"
#include "till-report.h"
#include "till-return-slip.h"
#include "till-return-window.h"
#include "till-system-printer.h"
#include "till-ui-util.h"

struct _TillReturnWindow
{
  GtkWindow      parent_instance;

  TillCheckout  *checkout;
  char          *manager;
  TillReturn    *draft;
  GCancellable  *cancellable;
  char          *message;
  guint          lookups;      /* lookups in flight */
  gboolean       recording;
  gboolean       recorded;

  GtkLabel      *approved_label;
  GtkEntry      *code_entry;
  GtkListBox    *lines_list;
  GtkEntry      *qty_entry;
  GtkEntry      *price_entry;
  GtkDropDown   *reason_dropdown;
  GtkEntry      *reason_entry;
  GtkLabel      *total_label;
  GtkLabel      *detail_label;
  GtkLabel      *message_label;
  GtkButton     *confirm_button;
};

G_DEFINE_FINAL_TYPE (TillReturnWindow, till_return_window, GTK_TYPE_WINDOW)

enum
{
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (TillReturnWindow *self,
              const char       *text)
{
  till_ui_show_message (self->message_label, &self->message, text, TRUE);
  if (text != NULL && *text != '\0')
    {
      g_message ("Return window: %s", text);
      gtk_widget_error_bell (GTK_WIDGET (self));
    }
}

static int
selected_index (TillReturnWindow *self)
{
  GtkListBoxRow *row = self->lines_list != NULL ? gtk_list_box_get_selected_row (self->lines_list)
                                                : NULL;

  return row != NULL ? gtk_list_box_row_get_index (row) : -1;
}

static TillReturnLine *
selected_line (TillReturnWindow *self)
{
  int i = selected_index (self);

  return i >= 0 && (guint) i < self->draft->lines->len ? g_ptr_array_index (self->draft->lines, i)
                                                       : NULL;
}

/* The reason chosen and its words: NULL when it is not complete. */
static char *
dup_reason (TillReturnWindow *self)
{
  const char *const *reasons = till_return_reasons ();
  guint chosen = gtk_drop_down_get_selected (self->reason_dropdown);
  g_autofree char *words = NULL;
  guint n = g_strv_length ((char **) reasons);

  words = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  /* Item 0 is "Choose a reason". */
  if (chosen == 0 || chosen == GTK_INVALID_LIST_POSITION || chosen > n)
    return NULL;
  if (chosen == n)   /* "Other": its words are the reason */
    return *words != '\0' ? g_strdup_printf ("%s: %s", _(reasons[n - 1]), words) : NULL;
  return *words != '\0' ? g_strdup_printf ("%s: %s", _(reasons[chosen - 1]), words)
                        : g_strdup (_(reasons[chosen - 1]));
}

static void
update_total (TillReturnWindow *self)
{
  gint64 amount = self->draft->amount_fen;
  gint64 cash;
  g_autofree char *cash_text = NULL;
  g_autofree char *total = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *reason = NULL;

  /* The template's widgets speak before the window has its checkout. */
  if (self->checkout == NULL)
    return;
  cash = till_return_cash_for (amount, till_context_get_cash_rounding (
                                         till_checkout_get_context (self->checkout)));
  cash_text = till_money_format (cash);
  total = g_strdup_printf (_("Hand back %s"), cash_text);
  amount_text = till_money_format (amount);
  reason = dup_reason (self);
  if (cash != amount)
    {
      g_autofree char *rounding = till_money_format (cash - amount);

      detail = g_strdup_printf (_("Goods %s · cash rounding %s"), amount_text, rounding);
    }
  else
    detail = g_strdup_printf (_("Goods %s"), amount_text);
  gtk_label_set_text (self->total_label, total);
  gtk_label_set_text (self->detail_label, detail);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "return.confirm",
                                 !self->recording && self->lookups == 0
                                 && self->draft->lines->len > 0 && amount > 0
                                 && reason != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "return.remove-line",
                                 !self->recording && selected_line (self) != NULL);
}

static GtkWidget *
line_row (const TillReturnLine *l)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (l->name);
  g_autofree char *qty = till_report_format_qty (l->qty_milli);
  g_autofree char *price = till_money_format (l->unit_price_fen);
  g_autofree char *total = till_money_format (l->line_total_fen);
  g_autofree char *detail = NULL;
  GtkWidget *detail_label;
  GtkWidget *total_label = gtk_label_new (total);

  if (l->unit_price_fen != l->list_price_fen)
    {
      g_autofree char *list = till_money_format (l->list_price_fen);

      /* TRANSLATORS: quantity (kg when weighed) × price given back, then today's price */
      detail = g_strdup_printf (_("%s%s × %s (was %s)"), qty, l->weighed ? " kg" : "", price,
                                list);
    }
  else
    detail = g_strdup_printf ("%s%s × %s", qty, l->weighed ? " kg" : "", price);
  detail_label = gtk_label_new (detail);

  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (detail_label, "dim-label");
  gtk_widget_add_css_class (detail_label, "numeric");
  gtk_widget_add_css_class (total_label, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail_label);
  gtk_box_append (GTK_BOX (box), total_label);
  return box;
}

static void
fill_line_entries (TillReturnWindow *self)
{
  TillReturnLine *l = selected_line (self);
  g_autofree char *qty = NULL;
  g_autofree char *price = NULL;

  if (self->qty_entry == NULL)
    return;

  if (l != NULL)
    {
      qty = till_report_format_qty (l->qty_milli);
      price = till_money_format_plain (l->unit_price_fen);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->qty_entry), qty != NULL ? qty : "");
  gtk_editable_set_text (GTK_EDITABLE (self->price_entry), price != NULL ? price : "");
  /* Editable, not insensitive: an insensitive entry loses the focus without a focus-out. */
  gtk_editable_set_editable (GTK_EDITABLE (self->qty_entry), l != NULL);
  gtk_editable_set_editable (GTK_EDITABLE (self->price_entry), l != NULL);
}

/* Rebuilds the list, selecting line `select` (-1: none). */
static void
refresh_lines (TillReturnWindow *self,
               int               select)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lines_list))) != NULL)
    gtk_list_box_remove (self->lines_list, child);
  for (guint i = 0; i < self->draft->lines->len; i++)
    gtk_list_box_append (self->lines_list, line_row (g_ptr_array_index (self->draft->lines, i)));
  if (select >= 0)
    gtk_list_box_select_row (self->lines_list,
                             gtk_list_box_get_row_at_index (self->lines_list, select));
  fill_line_entries (self);
  update_total (self);
}

static void
row_selected_cb (GtkListBox       *box,
                 GtkListBoxRow    *row,
                 TillReturnWindow *self)
{
  fill_line_entries (self);
  update_total (self);
}

/* A looked-up line: counted goods of the same product and price are merged. */
static void
take_line (TillReturnWindow     *self,
           const TillReturnLine *l)
{
  g_autoptr(GError) error = NULL;
  guint index = 0;

  if (!l->weighed)
    for (guint i = 0; i < self->draft->lines->len; i++)
      {
        TillReturnLine *have = g_ptr_array_index (self->draft->lines, i);

        if (have->product_id == l->product_id && !have->weighed
            && have->list_price_fen == l->list_price_fen)
          {
            if (!till_return_set_qty (self->draft, i, have->qty_milli + l->qty_milli, &error))
              show_message (self, error->message);
            refresh_lines (self, (int) i);
            return;
          }
      }
  if (!till_return_add_line (self->draft, l->product_id, l->barcode, l->name, l->unit,
                             l->weighed, l->qty_milli, l->list_price_fen, &index, &error))
    {
      show_message (self, error->message);
      return;
    }
  refresh_lines (self, (int) index);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TillReturnWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReturn) found = till_checkout_return_lookup_finish (TILL_CHECKOUT (object),
                                                                    result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->lookups--;
  if (found == NULL)
    {
      show_message (self, error->message);
      update_total (self);
      return;
    }
  show_message (self, "");
  take_line (self, g_ptr_array_index (found->lines, 0));
}

static void
code_activate_cb (GtkEntry         *entry,
                  TillReturnWindow *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  if (*code == '\0' || self->recording)
    return;
  self->lookups++;
  update_total (self);
  till_checkout_return_lookup_async (self->checkout, code, self->cancellable, lookup_cb,
                                     g_object_ref (self));
}

static void
qty_activate_cb (GtkEntry         *entry,
                 TillReturnWindow *self)
{
  g_autoptr(GError) error = NULL;
  TillReturnLine *l = selected_line (self);
  int i = selected_index (self);
  gint64 qty = 0;

  if (l == NULL)
    return;
  if (!till_ui_parse_qty (gtk_editable_get_text (GTK_EDITABLE (entry)), l->weighed, &qty, &error)
      || !till_return_set_qty (self->draft, (guint) i, qty, &error))
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, "");
  refresh_lines (self, i);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
price_activate_cb (GtkEntry         *entry,
                   TillReturnWindow *self)
{
  g_autoptr(GError) error = NULL;
  TillReturnLine *l = selected_line (self);
  int i = selected_index (self);
  gint64 price = 0;

  if (l == NULL)
    return;
  if (!till_money_parse (gtk_editable_get_text (GTK_EDITABLE (entry)), &price, &error)
      || !till_return_set_price (self->draft, (guint) i, price, &error))
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, "");
  refresh_lines (self, i);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
reason_changed_cb (GtkDropDown      *dropdown,
                   GParamSpec       *pspec,
                   TillReturnWindow *self)
{
  update_total (self);
}

static void
reason_text_changed_cb (GtkEditable      *editable,
                        TillReturnWindow *self)
{
  update_total (self);
}

static void
remove_line_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TillReturnWindow *self = TILL_RETURN_WINDOW (widget);
  int i = selected_index (self);

  if (i < 0 || (guint) i >= self->draft->lines->len || self->recording)
    return;
  till_return_remove_line (self->draft, (guint) i);
  refresh_lines (self, MIN (i, (int) self->draft->lines->len - 1));
}

static void
slip_printed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_return_slip_print_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The return slip was not printed: %s"),
                                               error->message);

      g_warning ("%s", text);
      if (TILL_IS_CASHIER_WINDOW (parent))
        till_cashier_window_show_message (TILL_CASHIER_WINDOW (parent), TILL_MESSAGE_ERROR,
                                          text);
    }
}

static void
print_slip (TillReturnWindow *self,
            const TillReturn *ret)
{
  TillContext *context = till_checkout_get_context (self->checkout);
  g_autoptr(TillReceiptPrinter) printer = till_ui_receipt_printer_new (context);
  g_autofree char *target = till_receipt_printer_get_target (printer);
  g_autofree char *store_name = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  /* Printing off: nothing to say. */
  if (target == NULL)
    return;
  store_name = g_settings_get_string (till_context_get_settings (context), "store-name");
  till_return_slip_print_async (printer, ret, store_name, parent, NULL, slip_printed_cb,
                                parent != NULL ? g_object_ref (parent) : NULL);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TillReturnWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReturn) ret = till_checkout_record_return_finish (TILL_CHECKOUT (object),
                                                                  result, &error);

  self->recording = FALSE;
  if (self->checkout == NULL)
    return;
  if (ret == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          show_message (self, error->message);
          update_total (self);
        }
      return;
    }
  self->recorded = TRUE;
  print_slip (self, ret);
  g_signal_emit (self, signals[RECORDED], 0, ret->number);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TillReturnWindow *self = TILL_RETURN_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = dup_reason (self);

  if (self->recording || self->recorded || self->lookups > 0)
    return;
  if (!till_return_check (self->draft, &error))
    {
      show_message (self, error->message);
      return;
    }
  if (reason == NULL)
    {
      show_message (self,
                    _("Choose why the goods are returned (for “Other”, say why in words)"));
      return;
    }
  g_free (self->draft->reason);
  self->draft->reason = g_steal_pointer (&reason);
  self->recording = TRUE;
  update_total (self);
  show_message (self, "");
  /* Never cancelled: once asked, the return is written, and its answer (the cash to hand
   * back, the slip) must not be lost; the window stays until it comes. */
  till_checkout_record_return_async (self->checkout, self->draft, self->manager, NULL,
                                     recorded_cb, g_object_ref (self));
}

const TillReturn *
till_return_window_get_draft (TillReturnWindow *self)
{
  g_return_val_if_fail (TILL_IS_RETURN_WINDOW (self), NULL);
  return self->draft;
}

const char *
till_return_window_get_message (TillReturnWindow *self)
{
  g_return_val_if_fail (TILL_IS_RETURN_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

gboolean
till_return_window_get_busy (TillReturnWindow *self)
{
  g_return_val_if_fail (TILL_IS_RETURN_WINDOW (self), FALSE);
  return self->lookups > 0 || self->recording;
}

static gboolean
till_return_window_close_request (GtkWindow *window)
{
  TillReturnWindow *self = TILL_RETURN_WINDOW (window);

  /* The return is being written: the window closes itself when it is. */
  if (self->recording)
    return TRUE;
  return GTK_WINDOW_CLASS (till_return_window_parent_class)->close_request (window);
}

static void
till_return_window_dispose (GObject *object)
{
  TillReturnWindow *self = TILL_RETURN_WINDOW (object);

  /* Lookups in flight are dropped; a return being recorded holds the window (see
   * close_request). */
  g_cancellable_cancel (self->cancellable);
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  /* Without a checkout the widgets going away update nothing (update_total()). */
  g_clear_object (&self->checkout);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_RETURN_WINDOW);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (till_return_window_parent_class)->dispose (object);
}

static void
till_return_window_finalize (GObject *object)
{
  TillReturnWindow *self = TILL_RETURN_WINDOW (object);

  g_clear_pointer (&self->draft, till_return_free);
  g_free (self->manager);
  g_free (self->message);
  G_OBJECT_CLASS (till_return_window_parent_class)->finalize (object);
}

static void
till_return_window_class_init (TillReturnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_return_window_dispose;
  object_class->finalize = till_return_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = till_return_window_close_request;

  signals[RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-return-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, approved_label);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, code_entry);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, lines_list);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, qty_entry);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, price_entry);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillReturnWindow, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, code_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, qty_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, price_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, reason_text_changed_cb);

  gtk_widget_class_install_action (widget_class, "return.confirm", NULL, confirm_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "return.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "return.confirm", NULL);
  gtk_widget_class_install_action (widget_class, "return.remove-line", NULL,
                                   remove_line_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "return.remove-line", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_return_window_init (TillReturnWindow *self)
{
  g_autoptr(GtkStringList) reasons = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();
  self->draft = till_return_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (reasons, _("Choose a reason"));
  for (const char *const *r = till_return_reasons (); *r != NULL; r++)
    gtk_string_list_append (reasons, _(*r));
  gtk_drop_down_set_model (self->reason_dropdown, G_LIST_MODEL (reasons));
  gtk_drop_down_set_selected (self->reason_dropdown, 0);
}

TillReturnWindow *
till_return_window_new (GtkWindow    *parent,
                        TillCheckout *checkout,
                        const char   *manager)
{
  TillReturnWindow *self;
  g_autofree char *approved = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (TILL_TYPE_RETURN_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->checkout = g_object_ref (checkout);
  self->manager = g_strdup (manager != NULL ? manager : "");
  approved = g_strdup_printf (_("Approved by %s. No sale is linked: the goods come back and "
                                "the customer gets cash."), self->manager);
  gtk_label_set_text (self->approved_label, approved);
  refresh_lines (self, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
  return self;
}
