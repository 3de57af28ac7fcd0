/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-member-pin.h"
#include "till-member-window.h"
#include "till-money.h"
#include "till-ui-util.h"

struct _TillMemberWindow
{
  GtkWindow     parent_instance;

  TillCheckout *checkout;
  gboolean      waiting;        /* a command was given: its answer closes or says why not */
  gboolean      by_pin;         /* the member confirms with their PIN ("member-confirm") */

  GtkEntry     *query_entry;
  GtkLabel     *member_label;
  GtkLabel     *balance_label;
  GtkEntry     *amount_entry;
  GtkLabel     *digits_label;
  GtkEntry     *digits_entry;
  GtkEntry     *points_entry;
  GtkLabel     *hint_label;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (TillMemberWindow, till_member_window, GTK_TYPE_WINDOW)

static void
show_error (TillMemberWindow *self,
            const char       *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL && *text != '\0');
}

/* The member on the sale, their card, and what the amount would do. */
static void
update (TillMemberWindow *self)
{
  TillSale *sale = till_checkout_get_sale (self->checkout);
  const TillSaleMember *member = sale != NULL ? till_sale_get_member (sale) : NULL;
  gint64 stored = till_checkout_get_member_stored_value_fen (self->checkout);
  gint64 points = till_checkout_get_member_points (self->checkout);

  if (member == NULL)
    {
      gtk_label_set_text (self->member_label, _("No member on this sale"));
      gtk_label_set_text (self->balance_label, "");
      gtk_label_set_text (self->hint_label,
                          _("Scan the member code, or type the mobile number, then Enter"));
    }
  else
    {
      g_autofree char *label = till_sale_member_dup_label (member);
      g_autofree char *money = till_money_format (MAX (stored, 0));
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (points, 0));
      g_autofree char *balance = g_strdup_printf (_("Stored value %s · %s points"), money,
                                                  count);
      gint64 held = till_sale_get_points_redeemed (sale);

      if (held > 0)
        {
          g_autofree char *off = till_money_format (till_sale_get_points_fen (sale));
          g_autofree char *on_sale = g_strdup_printf ("%" G_GINT64_FORMAT, held);
          g_autofree char *with_held =
            g_strdup_printf (_("%s (%s more on this sale: %s off)"), balance, on_sale, off);

          g_free (balance);
          balance = g_steal_pointer (&with_held);
        }

      if (member->level_name != NULL)
        {
          g_autofree char *with_level = g_strdup_printf ("%s (%s)", label, member->level_name);
          gtk_label_set_text (self->member_label, with_level);
        }
      else
        gtk_label_set_text (self->member_label, label);
      gtk_label_set_text (self->balance_label, stored >= 0 ? balance : "");
      gtk_label_set_text (self->hint_label,
                          self->by_pin
                              ? _("Top up: the amount, Alt+T. Pay from the card: the amount and "
                                  "the member’s PIN, Alt+S. Points off the sale: the points and "
                                  "the PIN, Alt+E")
                              : _("Top up: the amount, Alt+T. Pay from the card: the amount and "
                                  "the phone’s last 4 digits, Alt+S. Points off the sale: the "
                                  "points and the digits, Alt+E"));
    }
}

static void
checkout_notify_cb (TillCheckout     *checkout,
                    GParamSpec       *pspec,
                    TillMemberWindow *self)
{
  update (self);
}

/* The checkout's answer to the command given here. */
static void
message_cb (TillCheckout     *checkout,
            int               kind,
            const char       *text,
            TillMemberWindow *self)
{
  if (!self->waiting)
    {
      update (self);
      return;
    }
  self->waiting = FALSE;
  if (kind == TILL_MESSAGE_ERROR)
    show_error (self, text);
  else if (kind == TILL_MESSAGE_SUCCESS || kind == TILL_MESSAGE_INFO)
    {
      /* A member found: stay for a top-up or a payment; a top-up rung up or money taken:
       * back to the counter. */
      show_error (self, NULL);
      update (self);
      if (gtk_widget_get_visible (GTK_WIDGET (self)) && self->query_entry != NULL
          && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->query_entry)), "") == 0)
        gtk_window_close (GTK_WINDOW (self));
      else
        {
          gtk_editable_set_text (GTK_EDITABLE (self->query_entry), "");
          gtk_widget_grab_focus (GTK_WIDGET (self->amount_entry));
        }
    }
}

static void
give (TillMemberWindow *self,
      gboolean          ok,
      GError           *error)
{
  if (ok)
    {
      show_error (self, NULL);
      self->waiting = TRUE;
    }
  else
    show_error (self, error != NULL ? error->message : NULL);
}

static void
query_activate_cb (GtkEntry         *entry,
                   TillMemberWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  gboolean ok = till_checkout_find_member (self->checkout, text, &error);

  give (self, ok, error);
}

static gboolean
read_amount (TillMemberWindow *self,
             gint64           *out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->amount_entry))));

  if (*text == '\0' || !till_money_parse (text, out, NULL) || *out <= 0)
    {
      show_error (self, _("Type an amount, e.g. 200 or 12.50"));
      gtk_widget_grab_focus (GTK_WIDGET (self->amount_entry));
      return FALSE;
    }
  return TRUE;
}

static void
topup_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TillMemberWindow *self = TILL_MEMBER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;

  if (read_amount (self, &amount))
    give (self, till_checkout_begin_topup (self->checkout, amount, &error), error);
}

static gboolean
read_confirmation (TillMemberWindow *self,
                   const char       *digits)
{
  if (self->by_pin && !till_member_pin_check_format (digits, NULL))
    {
      show_error (self, _("Ask the member to type their PIN"));
      gtk_widget_grab_focus (GTK_WIDGET (self->digits_entry));
      return FALSE;
    }
  if (!self->by_pin && g_utf8_strlen (digits, -1) != 4)
    {
      show_error (self, _("Ask the member for the last four digits of their phone"));
      gtk_widget_grab_focus (GTK_WIDGET (self->digits_entry));
      return FALSE;
    }
  return TRUE;
}

static void
pay_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TillMemberWindow *self = TILL_MEMBER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;
  const char *digits = gtk_editable_get_text (GTK_EDITABLE (self->digits_entry));

  if (!read_amount (self, &amount) || !read_confirmation (self, digits))
    return;
  give (self, till_checkout_pay_stored_value (self->checkout,
                                              till_checkout_get_due_fen (self->checkout),
                                              amount, digits, &error),
        error);
  gtk_editable_set_text (GTK_EDITABLE (self->digits_entry), "");
}

static void
digits_activate_cb (GtkEntry         *entry,
                    TillMemberWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "member.pay", NULL);
}

/* Points off the sale: more than it holds need the member's confirmation, fewer (0: none)
 * go back to the member at once. */
static void
redeem_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillMemberWindow *self = TILL_MEMBER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->points_entry))));
  TillSale *sale = till_checkout_get_sale (self->checkout);
  const char *digits = gtk_editable_get_text (GTK_EDITABLE (self->digits_entry));
  guint64 points = 0;

  if (*text == '\0' || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 2, &points, NULL))
    {
      show_error (self, _("Type the number of points, e.g. 500 (0 gives them back)"));
      gtk_widget_grab_focus (GTK_WIDGET (self->points_entry));
      return;
    }
  if (sale != NULL && (gint64) points > till_sale_get_points_redeemed (sale)
      && !read_confirmation (self, digits))
    return;
  give (self, till_checkout_redeem_points (self->checkout, (gint64) points, digits, &error),
        error);
  gtk_editable_set_text (GTK_EDITABLE (self->digits_entry), "");
}

static void
points_activate_cb (GtkEntry         *entry,
                    TillMemberWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "member.redeem", NULL);
}

static void
remove_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillMemberWindow *self = TILL_MEMBER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  give (self, till_checkout_detach_member (self->checkout, &error), error);
}

static void
till_member_window_dispose (GObject *object)
{
  TillMemberWindow *self = TILL_MEMBER_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_MEMBER_WINDOW);
  g_clear_object (&self->checkout);

  G_OBJECT_CLASS (till_member_window_parent_class)->dispose (object);
}

static void
till_member_window_class_init (TillMemberWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_member_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-member-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, query_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, member_label);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, balance_label);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, digits_label);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, digits_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, points_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, hint_label);
  gtk_widget_class_bind_template_child (widget_class, TillMemberWindow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, query_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, digits_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, points_activate_cb);

  gtk_widget_class_install_action (widget_class, "member.topup", NULL, topup_action_cb);
  gtk_widget_class_install_action (widget_class, "member.pay", NULL, pay_action_cb);
  gtk_widget_class_install_action (widget_class, "member.remove", NULL, remove_action_cb);
  gtk_widget_class_install_action (widget_class, "member.redeem", NULL, redeem_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_ALT_MASK, "member.redeem",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_ALT_MASK, "member.topup",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_ALT_MASK, "member.pay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_ALT_MASK, "member.remove",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_member_window_init (TillMemberWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillMemberWindow *
till_member_window_new (TillCheckout *checkout)
{
  TillMemberWindow *self;
  TillSale *sale;
  gint64 stored, due;
  g_autofree char *confirm = NULL;

  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (TILL_TYPE_MEMBER_WINDOW, NULL);
  self->checkout = g_object_ref (checkout);
  /* The confirmation the setting asks for: the phone's last four digits or a PIN. */
  confirm = g_settings_get_string (till_context_get_settings (till_checkout_get_context (checkout)),
                                   "member-confirm");
  self->by_pin = till_member_confirm_from_string (confirm) == TILL_MEMBER_CONFIRM_PIN;
  if (self->by_pin)
    {
      gtk_label_set_text_with_mnemonic (self->digits_label, _("Member _PIN"));
      gtk_entry_set_max_length (self->digits_entry, TILL_MEMBER_PIN_MAX_DIGITS);
      gtk_entry_set_input_purpose (self->digits_entry, GTK_INPUT_PURPOSE_PIN);
    }
  g_signal_connect_object (checkout, "notify::member-stored-value-fen",
                           G_CALLBACK (checkout_notify_cb), self, 0);
  g_signal_connect_object (checkout, "notify::member-points", G_CALLBACK (checkout_notify_cb),
                           self, 0);
  g_signal_connect_object (checkout, "notify::sale", G_CALLBACK (checkout_notify_cb), self, 0);
  g_signal_connect_object (checkout, "message", G_CALLBACK (message_cb), self, 0);
  update (self);

  /* With a member and goods: what the card can pay of what is due, the points the sale
   * holds or else the most it could take. */
  sale = till_checkout_get_sale (checkout);
  if (sale != NULL && till_sale_get_member (sale) != NULL)
    {
      gint64 points = till_sale_get_points_redeemed (sale);
      g_autofree char *text = NULL;

      if (points == 0)
        points = till_checkout_get_points_redeemable (checkout, NULL);
      text = g_strdup_printf ("%" G_GINT64_FORMAT, points);
      gtk_editable_set_text (GTK_EDITABLE (self->points_entry), text);
    }
  stored = till_checkout_get_member_stored_value_fen (checkout);
  due = till_checkout_get_due_fen (checkout);
  if (sale != NULL && till_sale_get_member (sale) != NULL && stored > 0 && due > 0)
    {
      g_autofree char *amount = till_money_format_plain (MIN (stored, due));
      gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), amount);
      gtk_widget_grab_focus (GTK_WIDGET (self->digits_entry));
    }
  else if (sale != NULL && till_sale_get_member (sale) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->amount_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->query_entry));
  return self;
}
