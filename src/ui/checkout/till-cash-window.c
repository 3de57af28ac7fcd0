/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCashWindow: the cash tender modal with live change. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-core.h"
#include "till-cash-window.h"

struct _TillCashWindow
{
  GtkWindow  parent_instance;

  gint64           due_fen;       /* what is due, to the fen */
  TillCashRounding rounding;
  gint64           cash_due_fen;  /* what is due in cash: due_fen rounded by the rule */
  char            *change_text;

  GtkLabel  *due_label;
  GtkLabel  *rounding_label;
  GtkEntry  *tendered_entry;
  GtkBox    *quick_box;
  GtkLabel  *change_label;
  GtkLabel  *error_label;
};

G_DEFINE_FINAL_TYPE (TillCashWindow, till_cash_window, GTK_TYPE_WINDOW)

enum {
  TENDERED,
  PART_CASH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const gint64 notes_fen[] = { 1000, 2000, 5000, 10000 };

GArray *
till_cash_window_quick_amounts (gint64 due_fen)
{
  GArray *amounts = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (amounts, due_fen);
  for (guint i = 0; i < G_N_ELEMENTS (notes_fen); i++)
    {
      gint64 note = notes_fen[i];
      gint64 amount;
      gboolean seen = FALSE;

      if (due_fen > G_MAXINT64 - note)
        break;
      amount = (due_fen / note + 1) * note;
      for (guint j = 0; j < amounts->len; j++)
        seen |= g_array_index (amounts, gint64, j) == amount;
      if (!seen)
        g_array_append_val (amounts, amount);
    }
  return amounts;
}

static void
till_cash_window_show_error (TillCashWindow *self,
                             const char     *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->tendered_entry), "error");
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
tendered_changed_cb (GtkEditable    *editable,
                     TillCashWindow *self)
{
  const char *text = gtk_editable_get_text (editable);
  gint64 tendered = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->tendered_entry), "error");

  g_clear_pointer (&self->change_text, g_free);
  if (text[0] != '\0' && till_money_parse (text, &tendered, NULL)
      && tendered >= self->cash_due_fen && till_money_check_cash (tendered, self->rounding, NULL))
    self->change_text = till_money_format (tendered - self->cash_due_fen);
  else
    self->change_text = g_strdup ("");

  gtk_label_set_text (self->change_label, self->change_text[0] != '\0' ? self->change_text : "—");
}

gboolean
till_cash_window_confirm (TillCashWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gint64 tendered = 0;

  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->tendered_entry));
  if (text[0] == '\0')
    {
      /* Enter on an empty entry: the customer paid the exact amount. */
      tendered = self->cash_due_fen;
    }
  else if (!till_money_parse (text, &tendered, &error)
           || !till_money_check_cash (tendered, self->rounding, &error))
    {
      till_cash_window_show_error (self, error->message);
      return FALSE;
    }

  if (tendered < self->cash_due_fen)
    {
      g_autofree char *due = till_money_format (self->cash_due_fen);
      g_autofree char *msg = g_strdup_printf (_("Not enough: at least %s — Ctrl+Enter "
                                                "takes it as part cash"), due);

      till_cash_window_show_error (self, msg);
      return FALSE;
    }

  g_signal_emit (self, signals[TENDERED], 0, tendered);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

gboolean
till_cash_window_confirm_part (TillCashWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gint64 amount = 0;

  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->tendered_entry));
  if (text[0] == '\0')
    {
      till_cash_window_show_error (self, _("Type the cash amount first"));
      return FALSE;
    }
  if (!till_money_parse (text, &amount, &error)
      || !till_money_check_cash (amount, self->rounding, &error))
    {
      till_cash_window_show_error (self, error->message);
      return FALSE;
    }
  if (amount <= 0 || amount >= self->cash_due_fen)
    {
      g_autofree char *due = till_money_format (self->cash_due_fen);
      g_autofree char *msg = g_strdup_printf (_("%.0sPart cash must be less than the amount due; "
                                                "Enter takes the whole amount"),
                                              due);

      till_cash_window_show_error (self, msg);
      return FALSE;
    }

  g_signal_emit (self, signals[PART_CASH], 0, amount);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
part_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  till_cash_window_confirm_part (TILL_CASH_WINDOW (widget));
}

static void
tendered_activate_cb (GtkEntry       *entry,
                      TillCashWindow *self)
{
  till_cash_window_confirm (self);
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  till_cash_window_confirm (TILL_CASH_WINDOW (widget));
}

static void
quick_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TillCashWindow *self = TILL_CASH_WINDOW (widget);
  g_autofree char *text = till_money_format_plain (g_variant_get_int64 (parameter));

  gtk_editable_set_text (GTK_EDITABLE (self->tendered_entry), text);
  till_cash_window_confirm (self);
}

static void
till_cash_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TILL_TYPE_CASH_WINDOW);

  G_OBJECT_CLASS (till_cash_window_parent_class)->dispose (object);
}

static void
till_cash_window_finalize (GObject *object)
{
  TillCashWindow *self = TILL_CASH_WINDOW (object);

  g_clear_pointer (&self->change_text, g_free);

  G_OBJECT_CLASS (till_cash_window_parent_class)->finalize (object);
}

static void
till_cash_window_class_init (TillCashWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_cash_window_dispose;
  object_class->finalize = till_cash_window_finalize;

  signals[TENDERED] =
    g_signal_new ("tendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[PART_CASH] =
    g_signal_new ("part-cash", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-cash-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCashWindow, due_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashWindow, rounding_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashWindow, tendered_entry);
  gtk_widget_class_bind_template_child (widget_class, TillCashWindow, quick_box);
  gtk_widget_class_bind_template_child (widget_class, TillCashWindow, change_label);
  gtk_widget_class_bind_template_child (widget_class, TillCashWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, tendered_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tendered_activate_cb);

  gtk_widget_class_install_action (widget_class, "cash.confirm", NULL, confirm_action_cb);
  gtk_widget_class_install_action (widget_class, "cash.quick", "x", quick_action_cb);
  gtk_widget_class_install_action (widget_class, "cash.part", NULL, part_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "cash.part", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "cash.part", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_cash_window_init (TillCashWindow *self)
{
  self->change_text = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillCashWindow *
till_cash_window_new (GtkWindow        *parent,
                      gint64            due_fen,
                      TillCashRounding  rounding)
{
  TillCashWindow *self;
  g_autofree char *cash_due = NULL;
  g_autoptr(GArray) amounts = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (due_fen >= 0, NULL);

  self = g_object_new (TILL_TYPE_CASH_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->due_fen = due_fen;
  self->rounding = rounding;
  self->cash_due_fen = till_money_round_cash (due_fen, rounding);

  /* The cash the customer hands over is the rounded amount; say so when it differs. */
  cash_due = till_money_format (self->cash_due_fen);
  gtk_label_set_text (self->due_label, cash_due);
  if (self->cash_due_fen != due_fen)
    {
      g_autofree char *due = till_money_format (due_fen);
      g_autofree char *note = g_strdup_printf (_("Cash due %s (rounded from %s)"), cash_due,
                                               due);

      gtk_label_set_text (self->rounding_label, note);
      gtk_widget_set_visible (GTK_WIDGET (self->rounding_label), TRUE);
    }

  amounts = till_cash_window_quick_amounts (self->cash_due_fen);
  for (guint i = 0; i < amounts->len; i++)
    {
      gint64 amount = g_array_index (amounts, gint64, i);
      g_autofree char *money = till_money_format (amount);
      g_autofree char *label = i == 0 ? g_strdup_printf (_("Exact %s"), money)
                                      : g_strdup (money);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "cash.quick");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_int64 (amount));
      gtk_widget_set_focus_on_click (button, FALSE);
      gtk_widget_set_hexpand (button, TRUE);
      gtk_widget_add_css_class (button, "till-button");
      gtk_widget_add_css_class (button, "quick-amount");
      gtk_box_append (self->quick_box, button);
    }

  tendered_changed_cb (GTK_EDITABLE (self->tendered_entry), self);
  gtk_widget_grab_focus (GTK_WIDGET (self->tendered_entry));

  return self;
}

gint64
till_cash_window_get_due_fen (TillCashWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), 0);
  return self->due_fen;
}

gint64
till_cash_window_get_cash_due_fen (TillCashWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), 0);
  return self->cash_due_fen;
}

const char *
till_cash_window_get_rounding_text (TillCashWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->rounding_label)))
    return "";
  return gtk_label_get_text (self->rounding_label);
}

const char *
till_cash_window_get_due_text (TillCashWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), NULL);
  return gtk_label_get_text (self->due_label);
}

GtkEditable *
till_cash_window_get_entry (TillCashWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), NULL);
  return GTK_EDITABLE (self->tendered_entry);
}

const char *
till_cash_window_get_change_text (TillCashWindow *self)
{
  g_return_val_if_fail (TILL_IS_CASH_WINDOW (self), NULL);
  return self->change_text;
}
