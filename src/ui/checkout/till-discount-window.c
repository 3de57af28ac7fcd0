/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDiscountWindow: a discount (percent or amount) or a price, typed and confirmed with
 * Enter; the checkout decides whether a manager must approve it. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "till-discount-window.h"
#include "till-ui-util.h"

struct _TillDiscountWindow
{
  GtkWindow              parent_instance;

  TillDiscountWindowMode mode;
  TillSaleLine          *line;
  gint64                 base_fen;

  GtkLabel              *heading_label;
  GtkLabel              *name_label;
  GtkBox                *kind_box;
  GtkToggleButton       *percent_button;
  GtkToggleButton       *amount_button;
  GtkEntry              *value_entry;
  GtkLabel              *hint_label;
  GtkLabel              *error_label;
};

G_DEFINE_FINAL_TYPE (TillDiscountWindow, till_discount_window, GTK_TYPE_WINDOW)

enum
{
  DISCOUNT_CHOSEN,
  PRICE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_price_mode (TillDiscountWindow *self)
{
  return self->mode == TILL_DISCOUNT_WINDOW_PRICE || self->mode == TILL_DISCOUNT_WINDOW_OPEN_PRICE;
}

gboolean
till_discount_parse (const char       *text,
                     TillDiscountKind  bare_kind,
                     TillDiscountKind *out_kind,
                     gint64           *out_value,
                     GError          **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  TillDiscountKind kind = bare_kind;
  gsize len = strlen (copy);
  gint64 value = 0;

  if (len > 0 && copy[len - 1] == '%')
    {
      copy[len - 1] = '\0';
      g_strchomp (copy);
      kind = TILL_DISCOUNT_PERCENT;
    }
  else if (g_str_has_prefix (copy, "¥") || g_str_has_prefix (copy, "￥"))
    kind = TILL_DISCOUNT_AMOUNT;

  /* A percent with up to two decimals reads as "fen": 12.5 is 1250 basis points. */
  if (*copy == '\0' || !till_money_parse (copy, &value, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Type a percent (10 or 10%) or an amount (¥5)"));
      return FALSE;
    }
  if (!till_discount_check (kind, value, error))
    return FALSE;
  *out_kind = kind;
  *out_value = value;
  return TRUE;
}

static void
show_error (TillDiscountWindow *self,
            const char         *text)
{
  gtk_label_set_text (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->value_entry), "error");
  gtk_widget_error_bell (GTK_WIDGET (self));
}

gboolean
till_discount_window_confirm (TillDiscountWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text;

  g_return_val_if_fail (TILL_IS_DISCOUNT_WINDOW (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->value_entry));
  if (is_price_mode (self))
    {
      gint64 price = 0;

      if (!till_money_parse (text, &price, &error))
        {
          show_error (self, error->message);
          return FALSE;
        }
      if (price < 0 || (price == 0 && self->mode == TILL_DISCOUNT_WINDOW_OPEN_PRICE))
        {
          show_error (self, _("Enter a price above zero"));
          return FALSE;
        }
      g_signal_emit (self, signals[PRICE_CHOSEN], 0, price);
    }
  else
    {
      TillDiscountKind kind = TILL_DISCOUNT_NONE;
      TillDiscountKind bare = gtk_toggle_button_get_active (self->amount_button)
                                ? TILL_DISCOUNT_AMOUNT : TILL_DISCOUNT_PERCENT;
      gint64 value = 0;

      if (!till_discount_parse (text, bare, &kind, &value, &error))
        {
          show_error (self, error->message);
          return FALSE;
        }
      if (kind == TILL_DISCOUNT_AMOUNT && value > self->base_fen)
        {
          show_error (self, _("The discount is more than the amount"));
          return FALSE;
        }
      /* 0 takes the discount off */
      g_signal_emit (self, signals[DISCOUNT_CHOSEN], 0, value == 0 ? TILL_DISCOUNT_NONE : kind,
                     value);
    }
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
value_entry_activate_cb (GtkEntry           *entry,
                         TillDiscountWindow *self)
{
  till_discount_window_confirm (self);
}

static void
value_entry_changed_cb (GtkEditable        *editable,
                        TillDiscountWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->value_entry), "error");
}

static void
confirm_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  till_discount_window_confirm (TILL_DISCOUNT_WINDOW (widget));
}

static void
kind_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TillDiscountWindow *self = TILL_DISCOUNT_WINDOW (widget);
  gboolean amount = g_str_equal (action_name, "discount.amount");

  gtk_toggle_button_set_active (amount ? self->amount_button : self->percent_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
}

static void
till_discount_window_dispose (GObject *object)
{
  TillDiscountWindow *self = TILL_DISCOUNT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_DISCOUNT_WINDOW);
  g_clear_object (&self->line);

  G_OBJECT_CLASS (till_discount_window_parent_class)->dispose (object);
}

static void
till_discount_window_class_init (TillDiscountWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_discount_window_dispose;

  signals[DISCOUNT_CHOSEN] =
    g_signal_new ("discount-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT64);
  signals[PRICE_CHOSEN] =
    g_signal_new ("price-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-discount-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, kind_box);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, percent_button);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, amount_button);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, TillDiscountWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, value_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, value_entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "discount.confirm", NULL, confirm_action_cb);
  gtk_widget_class_install_action (widget_class, "discount.percent", NULL, kind_action_cb);
  gtk_widget_class_install_action (widget_class, "discount.amount", NULL, kind_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_ALT_MASK, "discount.percent",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_ALT_MASK, "discount.amount",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_discount_window_init (TillDiscountWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillDiscountWindow *
till_discount_window_new (GtkWindow             *parent,
                          TillDiscountWindowMode mode,
                          TillSaleLine          *line,
                          gint64                 base_fen,
                          gint64                 limit_bp)
{
  TillDiscountWindow *self;
  g_autofree char *base = till_money_format (base_fen);
  g_autofree char *limit = till_discount_format (TILL_DISCOUNT_PERCENT, limit_bp);
  g_autofree char *name = NULL;
  g_autofree char *hint = NULL;
  const char *title;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (line == NULL || TILL_IS_SALE_LINE (line), NULL);

  self = g_object_new (TILL_TYPE_DISCOUNT_WINDOW, "transient-for", parent, "modal", TRUE,
                       "destroy-with-parent", TRUE, NULL);
  self->mode = mode;
  self->line = line != NULL ? g_object_ref (line) : NULL;
  self->base_fen = base_fen;

  switch (mode)
    {
    case TILL_DISCOUNT_WINDOW_LINE:
      title = _("Line discount");
      name = g_strdup_printf ("%s · %s", till_sale_line_get_name (line), base);
      hint = g_strdup_printf (_("10 or 10%% for a percent, ¥5 for an amount, 0 for none. Up to "
                                "%s without a manager."), limit);
      break;
    case TILL_DISCOUNT_WINDOW_SALE:
      title = _("Sale discount");
      name = g_strdup_printf (_("The whole sale · %s"), base);
      hint = g_strdup_printf (_("10 or 10%% for a percent, ¥5 for an amount, 0 for none. Up to "
                                "%s without a manager."), limit);
      break;
    case TILL_DISCOUNT_WINDOW_PRICE:
      title = _("Price override");
      name = g_strdup_printf ("%s · %s", till_sale_line_get_name (line), base);
      hint = g_strdup (_("The new unit price. A manager approves every price override."));
      break;
    case TILL_DISCOUNT_WINDOW_OPEN_PRICE:
    default:
      title = _("Price at the till");
      name = g_strdup (till_sale_line_get_name (line));
      hint = g_strdup (till_sale_line_get_weighed (line)
                         ? _("The price per kg of these goods")
                         : _("The price of these goods"));
      break;
    }
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->heading_label, title);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->hint_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->kind_box), !is_price_mode (self));
  if (mode == TILL_DISCOUNT_WINDOW_PRICE)
    {
      g_autofree char *price = till_money_format_plain (till_sale_line_get_unit_price_fen (line));

      gtk_editable_set_text (GTK_EDITABLE (self->value_entry), price);
      gtk_editable_select_region (GTK_EDITABLE (self->value_entry), 0, -1);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->value_entry));
  return self;
}

TillDiscountWindowMode
till_discount_window_get_mode (TillDiscountWindow *self)
{
  g_return_val_if_fail (TILL_IS_DISCOUNT_WINDOW (self), TILL_DISCOUNT_WINDOW_LINE);
  return self->mode;
}

TillSaleLine *
till_discount_window_get_line (TillDiscountWindow *self)
{
  g_return_val_if_fail (TILL_IS_DISCOUNT_WINDOW (self), NULL);
  return self->line;
}

GtkEditable *
till_discount_window_get_entry (TillDiscountWindow *self)
{
  g_return_val_if_fail (TILL_IS_DISCOUNT_WINDOW (self), NULL);
  return GTK_EDITABLE (self->value_entry);
}
