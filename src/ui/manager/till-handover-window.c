/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillHandoverWindow: the shift handover (交班). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-handover-window.h"
#include "till-shift.h"
#include "till-system-printer.h"
#include "till-ui-util.h"

struct _TillHandoverWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  GCancellable *cancellable;
  TillShiftReport *report; /* the shift shown: open, then as handed over */
  const char *state;
  char *message;
  char *text; /* the report as it prints */
  gint64 counted_fen;
  gboolean counted_valid;
  gboolean busy;

  GtkLabel *shift_label;
  GtkGrid *figures_grid;
  GtkEntry *counted_entry;
  GtkLabel *difference_label;
  GtkLabel *message_label;
};

G_DEFINE_FINAL_TYPE (TillHandoverWindow, till_handover_window, GTK_TYPE_WINDOW)

enum
{
  HANDED_OVER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (TillHandoverWindow *self, const char *text, gboolean error)
{
  till_ui_show_message (self->message_label, &self->message, text, error);
}

static void
update_actions (TillHandoverWindow *self)
{
  gboolean open = g_strcmp0 (self->state, "open") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.hand-over", open && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "handover.print", self->report != NULL);
  gtk_editable_set_editable (GTK_EDITABLE (self->counted_entry), open && !self->busy);
}

static void
update_text (TillHandoverWindow *self)
{
  g_clear_pointer (&self->text, g_free);
  if (self->report != NULL)
    self->text = till_shift_report_text (self->report->shift, &self->report->summary,
                                         self->counted_valid ? self->counted_fen : 0);
}

static void
update_difference (TillHandoverWindow *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->counted_entry));
  g_autofree char *text = NULL;

  self->counted_valid = FALSE;
  if (self->report != NULL && *typed != '\0' && till_money_parse (typed, &self->counted_fen, NULL)
      && self->counted_fen >= 0)
    self->counted_valid = TRUE;
  if (self->report == NULL || !self->counted_valid)
    gtk_label_set_text (self->difference_label, "");
  else
    {
      gint64 diff = self->counted_fen - self->report->summary.cash.expected_fen;
      g_autofree char *amount = till_money_format (ABS (diff));

      if (diff < 0)
        text = g_strdup_printf (_ ("Short -%s"), amount);
      else if (diff > 0)
        text = g_strdup_printf (_ ("Over +%s"), amount);
      else
        text = g_strdup_printf (_ ("Even %s"), amount);
      gtk_label_set_text (self->difference_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label),
                                   diff < 0 ? "success" : "error");
      if (diff != 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->difference_label),
                                  diff < 0 ? "error" : "success");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->difference_label), "success");
    }
  update_text (self);
}

static void
add_row (TillHandoverWindow *self, int row, const char *label, gint64 fen, gboolean strong)
{
  g_autofree char *amount = till_money_format (fen);
  GtkWidget *name = gtk_label_new (label);
  GtkWidget *value = gtk_label_new (amount);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (value, "numeric");
  if (strong)
    {
      gtk_widget_add_css_class (name, "heading");
      gtk_widget_add_css_class (value, "heading");
    }
  gtk_grid_attach (self->figures_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->figures_grid, value, 1, row, 1, 1);
}

static void
show_report (TillHandoverWindow *self)
{
  const TillShiftSummary *s = &self->report->summary;
  const TillShiftRecord *shift = self->report->shift;
  GtkWidget *child;
  g_autofree char *sales = NULL;
  g_autofree char *since = NULL;
  g_autofree char *heading = NULL;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_grid))) != NULL)
    gtk_grid_remove (self->figures_grid, child);
  {
    g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (shift->opened_at / G_USEC_PER_SEC);
    g_autoptr (GDateTime) local = g_date_time_to_local (utc);

    since = g_date_time_format (local, "%Y-%m-%d %H:%M");
  }
  heading = g_strdup_printf (_ ("Cashier %s, since %s"), shift->cashier, since);
  gtk_label_set_text (self->shift_label, heading);

  sales = g_strdup_printf (_ ("Sales (%u)"), s->n_sales);
  add_row (self, row++, sales, s->gross_fen, TRUE);
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    if (s->method_fen[m] != 0 || m == TILL_REPORT_CASH)
      add_row (self, row++, till_report_method_label (m), s->method_fen[m], FALSE);
  add_row (self, row++, _ ("Refunds"), -s->refunds_fen, FALSE);
  if (s->returns_fen != 0)
    add_row (self, row++, _ ("Returns without receipt"), -s->returns_fen, FALSE);
  add_row (self, row++, _ ("Discounts"), s->discounts_fen, FALSE);
  if (s->topups_fen != 0)
    add_row (self, row++, _ ("Top-ups"), s->topups_fen, FALSE);
  {
    GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

    gtk_widget_set_margin_top (separator, 4);
    gtk_widget_set_margin_bottom (separator, 4);
    gtk_grid_attach (self->figures_grid, separator, 0, row++, 2, 1);
  }
  add_row (self, row++, _ ("Float"), s->cash.float_fen, FALSE);
  add_row (self, row++, _ ("Cash sales"), s->cash.cash_sales_fen, FALSE);
  add_row (self, row++, _ ("Cash refunds"), -s->cash.cash_refunds_fen, FALSE);
  if (s->cash.cash_returns_fen != 0)
    add_row (self, row++, _ ("Returns without receipt"), -s->cash.cash_returns_fen, FALSE);
  if (s->cash.cash_rounding_fen != 0)
    add_row (self, row++, _ ("Cash rounding"), s->cash.cash_rounding_fen, FALSE);
  add_row (self, row++, _ ("Cash in"), s->cash.cash_in_fen, FALSE);
  add_row (self, row++, _ ("Cash out"), -s->cash.cash_out_fen, FALSE);
  add_row (self, row++, _ ("Expected cash"), s->cash.expected_fen, TRUE);
  update_difference (self);
}

/* ---- loading ---- */

static void
report_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillHandoverWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  TillShiftReport *report = till_shift_report_finish (TILL_SHIFT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (report == NULL)
    {
      self->state = "none";
      gtk_label_set_text (self->shift_label, "");
      show_message (self, error->message,
                    !g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND));
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->report, till_shift_report_free);
  self->report = report;
  self->state = "open";
  show_report (self);
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->counted_entry));
}

/* ---- handing over ---- */

static void
handed_over_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillHandoverWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  TillShiftReport *report = till_shift_hand_over_finish (TILL_SHIFT (object), result, &error);
  g_autofree char *text = NULL;
  g_autofree char *amount = NULL;
  gint64 diff;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (report == NULL)
    {
      g_autofree char *why
          = g_strdup_printf (_ ("The shift was not handed over: %s"), error->message);

      show_message (self, why, TRUE);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->report, till_shift_report_free);
  self->report = report;
  self->state = "handed-over";
  self->counted_fen = report->shift->counted_fen;
  self->counted_valid = TRUE;
  update_text (self);
  diff = TILL_SHIFT_OVER_SHORT (report->shift);
  amount = till_money_format (diff);
  text = g_strdup_printf (_ ("Shift of %s handed over (over/short %s). The next cashier signs "
                             "in."),
                          report->shift->cashier, amount);
  show_message (self, text, FALSE);
  update_actions (self);
  g_signal_emit (self, signals[HANDED_OVER], 0, report->shift->counted_fen);
}

void
till_handover_window_hand_over (TillHandoverWindow *self)
{
  g_return_if_fail (TILL_IS_HANDOVER_WINDOW (self));

  if (g_strcmp0 (self->state, "open") != 0 || self->busy)
    return;
  update_difference (self);
  if (!self->counted_valid)
    {
      g_message ("Handover refused: the counted cash is not an amount");
      show_message (self, _ ("Type the cash counted in the drawer, e.g. 512.50"), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->counted_entry));
      return;
    }
  self->busy = TRUE;
  update_actions (self);
  show_message (self, NULL, FALSE);
  till_shift_hand_over_async (till_context_get_shift (self->context), self->report->shift->id,
                              self->counted_fen, self->cancellable, handed_over_cb,
                              g_object_ref (self));
}

/* ---- printing ---- */

static void
printed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillHandoverWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!till_receipt_printer_print_text_finish (TILL_RECEIPT_PRINTER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message, TRUE);
    }
  else
    show_message (self, _ ("Printed"), FALSE);
}

static void
print_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillHandoverWindow *self = TILL_HANDOVER_WINDOW (widget);
  g_autoptr (TillReceiptPrinter) printer = till_ui_receipt_printer_new (self->context);

  update_difference (self);
  if (self->text == NULL)
    return;
  till_receipt_printer_print_text_async (printer, self->text, GTK_WINDOW (self), self->cancellable,
                                         printed_cb, g_object_ref (self));
}

static void
hand_over_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  till_handover_window_hand_over (TILL_HANDOVER_WINDOW (widget));
}

static void
counted_changed_cb (GtkEditable *editable, TillHandoverWindow *self)
{
  update_difference (self);
}

static void
counted_activate_cb (GtkEntry *entry, TillHandoverWindow *self)
{
  till_handover_window_hand_over (self);
}

/* ---- getters ---- */

const char *
till_handover_window_get_state (TillHandoverWindow *self)
{
  g_return_val_if_fail (TILL_IS_HANDOVER_WINDOW (self), NULL);
  return self->state;
}

gint64
till_handover_window_get_expected (TillHandoverWindow *self)
{
  g_return_val_if_fail (TILL_IS_HANDOVER_WINDOW (self), 0);
  return self->report != NULL ? self->report->summary.cash.expected_fen : 0;
}

gint64
till_handover_window_get_over_short (TillHandoverWindow *self)
{
  g_return_val_if_fail (TILL_IS_HANDOVER_WINDOW (self), 0);
  if (self->report == NULL || !self->counted_valid)
    return 0;
  return self->counted_fen - self->report->summary.cash.expected_fen;
}

const char *
till_handover_window_get_text (TillHandoverWindow *self)
{
  g_return_val_if_fail (TILL_IS_HANDOVER_WINDOW (self), NULL);
  return self->text;
}

void
till_handover_window_set_counted (TillHandoverWindow *self, const char *text)
{
  g_return_if_fail (TILL_IS_HANDOVER_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->counted_entry), text != NULL ? text : "");
}

const char *
till_handover_window_get_message (TillHandoverWindow *self)
{
  g_return_val_if_fail (TILL_IS_HANDOVER_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

/* ---- GObject ---- */

static void
till_handover_window_dispose (GObject *object)
{
  TillHandoverWindow *self = TILL_HANDOVER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_HANDOVER_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_handover_window_parent_class)->dispose (object);
}

static void
till_handover_window_finalize (GObject *object)
{
  TillHandoverWindow *self = TILL_HANDOVER_WINDOW (object);

  g_clear_pointer (&self->report, till_shift_report_free);
  g_free (self->message);
  g_free (self->text);

  G_OBJECT_CLASS (till_handover_window_parent_class)->finalize (object);
}

static void
till_handover_window_class_init (TillHandoverWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_handover_window_dispose;
  object_class->finalize = till_handover_window_finalize;

  signals[HANDED_OVER] = g_signal_new ("handed-over", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-handover-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillHandoverWindow, shift_label);
  gtk_widget_class_bind_template_child (widget_class, TillHandoverWindow, figures_grid);
  gtk_widget_class_bind_template_child (widget_class, TillHandoverWindow, counted_entry);
  gtk_widget_class_bind_template_child (widget_class, TillHandoverWindow, difference_label);
  gtk_widget_class_bind_template_child (widget_class, TillHandoverWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, counted_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, counted_activate_cb);

  gtk_widget_class_install_action (widget_class, "handover.hand-over", NULL, hand_over_action_cb);
  gtk_widget_class_install_action (widget_class, "handover.print", NULL, print_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_ALT_MASK, "handover.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_handover_window_init (TillHandoverWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = "loading";
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

TillHandoverWindow *
till_handover_window_new (GtkWindow *parent, TillContext *context)
{
  TillHandoverWindow *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_HANDOVER_WINDOW, "transient-for", parent, "modal", parent != NULL,
                       "destroy-with-parent", TRUE, NULL);
  self->context = g_object_ref (context);
  till_shift_report_async (till_context_get_shift (context), self->cancellable, report_cb,
                           g_object_ref (self));
  return self;
}
