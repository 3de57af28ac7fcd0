/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillQuickKeyPad: the quick keys under the cart (issue 15): page buttons and the visible
 * page's keys, read on the store thread; a key goes to the checkout by product id. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-context.h"
#include "till-quick-key-pad.h"
#include "till-store-quickkeys.h"

/* Keys with a digit: Alt+1 … Alt+9. */
#define N_DIGIT_KEYS 9

struct _TillQuickKeyPad
{
  GtkBox parent_instance;

  TillCheckout *checkout;
  GCancellable *cancellable;
  GPtrArray *keys;         /* of TillQuickKey, every visible key, by page */
  GArray *page_ids;        /* gint64 category ids, in order */
  gint64 page_id;          /* the visible page (0: none) */
  GPtrArray *page_buttons; /* GtkToggleButton, as page_ids */
  GPtrArray *key_buttons;  /* GtkButton of the visible page, in order */
  GtkCssProvider *colours;
  gboolean loading;
  gboolean switching; /* a page button is toggled by the code */

  /* Template widgets */
  GtkBox *page_box;
  GtkFlowBox *key_box;
};

G_DEFINE_FINAL_TYPE (TillQuickKeyPad, till_quick_key_pad, GTK_TYPE_BOX)

static void
show_page (TillQuickKeyPad *self, gint64 page_id);

static TillQuickKey *
key_of_button (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (button), "till-quick-key");
}

static void
key_clicked_cb (GtkButton *button, TillQuickKeyPad *self)
{
  TillQuickKey *key = key_of_button (GTK_WIDGET (button));

  if (key == NULL)
    return;
  /* A refusal (the cart locked) is said on the checkout's "message", the status line. */
  till_checkout_add_product_id (self->checkout, key->product->id, NULL);
}

/* Dark text on a light colour, light text on a dark one. */
static const char *
text_colour (const char *colour)
{
  guint r = 0, g = 0, b = 0;

  if (sscanf (colour, "#%02x%02x%02x", &r, &g, &b) != 3)
    return "#000000";
  return (r * 299 + g * 587 + b * 114) / 1000 > 150 ? "#1e1e1e" : "#ffffff";
}

static GtkWidget *
make_key_button (TillQuickKeyPad *self, TillQuickKey *key, guint index, GString *css)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (till_quick_key_get_label (key));
  g_autofree char *price = till_money_format (key->product->price_fen);
  g_autofree char *price_text = NULL;
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *price_label;

  if (key->product->open_price)
    price_text = g_strdup (_ ("price at the till"));
  else if (key->product->weighed)
    price_text = g_strdup_printf (_ ("%s/kg"), price);
  else
    price_text = g_steal_pointer (&price);
  price_label = gtk_label_new (price_text);

  if (index < N_DIGIT_KEYS)
    {
      g_autofree char *digit = g_strdup_printf ("%u", index + 1);
      GtkWidget *digit_label = gtk_label_new (digit);

      gtk_widget_add_css_class (digit_label, "quick-key-digit");
      gtk_widget_set_valign (digit_label, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), digit_label);
    }
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "quick-key-name");
  gtk_label_set_xalign (GTK_LABEL (price_label), 0);
  gtk_widget_add_css_class (price_label, "quick-key-price");
  gtk_box_append (GTK_BOX (text_box), name);
  gtk_box_append (GTK_BOX (text_box), price_label);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), text_box);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "quick-key");
  gtk_widget_set_size_request (button, 132, 64);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_tooltip_text (button, key->product->name);
  if (index < N_DIGIT_KEYS)
    {
      g_autofree char *tip = g_strdup_printf (_ ("%s (Alt+%u)"), key->product->name, index + 1);

      gtk_widget_set_tooltip_text (button, tip);
    }
  if (key->colour != NULL)
    {
      g_autofree char *cls = g_strdup_printf ("quick-key-%" G_GINT64_FORMAT, key->id);

      /* The colour is "#rrggbb" (checked by the store and the schema): nothing else can
       * reach the style sheet. */
      gtk_widget_add_css_class (button, cls);
      g_string_append_printf (css, "button.%s { background: %s; color: %s; }\n", cls, key->colour,
                              text_colour (key->colour));
    }
  g_object_set_data (G_OBJECT (button), "till-quick-key", key);
  g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
  return button;
}

static void
show_page (TillQuickKeyPad *self, gint64 page_id)
{
  g_autoptr (GString) css = g_string_new (NULL);
  GtkWidget *child;
  guint index = 0;

  self->page_id = page_id;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->key_box))) != NULL)
    gtk_flow_box_remove (self->key_box, child);
  g_ptr_array_set_size (self->key_buttons, 0);
  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (self->keys, i);
      GtkWidget *button;

      if (key->category_id != page_id)
        continue;
      button = make_key_button (self, key, index++, css);
      g_ptr_array_add (self->key_buttons, button);
      gtk_flow_box_append (self->key_box, button);
    }
  gtk_css_provider_load_from_data (self->colours, css->str, (gssize)css->len);

  self->switching = TRUE;
  for (guint i = 0; i < self->page_ids->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->page_buttons, i),
                                  g_array_index (self->page_ids, gint64, i) == page_id);
  self->switching = FALSE;
}

static void
page_toggled_cb (GtkToggleButton *button, TillQuickKeyPad *self)
{
  if (self->switching || !gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < self->page_buttons->len; i++)
    if (g_ptr_array_index (self->page_buttons, i) == button)
      show_page (self, g_array_index (self->page_ids, gint64, i));
}

static void
set_keys (TillQuickKeyPad *self, GPtrArray *keys)
{
  GtkWidget *child;
  GtkToggleButton *group = NULL;
  gint64 keep = self->page_id;
  gboolean kept = FALSE;

  g_clear_pointer (&self->keys, g_ptr_array_unref);
  self->keys = keys;
  g_array_set_size (self->page_ids, 0);
  g_ptr_array_set_size (self->page_buttons, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->page_box))) != NULL)
    gtk_box_remove (self->page_box, child);

  for (guint i = 0; i < keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (keys, i);
      GtkWidget *button;

      if (self->page_ids->len > 0
          && g_array_index (self->page_ids, gint64, self->page_ids->len - 1) == key->category_id)
        continue;
      g_array_append_val (self->page_ids, key->category_id);
      button = gtk_toggle_button_new_with_label (key->page_name);
      gtk_widget_add_css_class (button, "quick-key-page");
      gtk_widget_set_focus_on_click (button, FALSE);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (page_toggled_cb), self);
      g_ptr_array_add (self->page_buttons, button);
      gtk_box_append (self->page_box, button);
      if (key->category_id == keep)
        kept = TRUE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self), keys->len > 0);
  if (keys->len == 0)
    show_page (self, 0);
  else
    show_page (self, kept ? keep : g_array_index (self->page_ids, gint64, 0));
}

static gpointer
list_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_list_quick_keys (store, FALSE, error);
}

static void
listed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillQuickKeyPad) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *keys = till_store_run_finish (TILL_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (keys == NULL)
    {
      /* The counter goes on without them; the next reload tries again. */
      g_warning ("Quick keys not read: %s", error->message);
      return;
    }
  set_keys (self, keys);
}

void
till_quick_key_pad_reload (TillQuickKeyPad *self)
{
  TillContext *context;

  g_return_if_fail (TILL_IS_QUICK_KEY_PAD (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  context = till_checkout_get_context (self->checkout);
  till_store_run_async (till_context_get_store (context), list_job, NULL, NULL,
                        (GDestroyNotify)g_ptr_array_unref, self->cancellable, listed_cb,
                        g_object_ref (self));
}

gboolean
till_quick_key_pad_press (TillQuickKeyPad *self, guint index)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEY_PAD (self), FALSE);

  if (!gtk_widget_get_visible (GTK_WIDGET (self)) || index >= self->key_buttons->len)
    return FALSE;
  key_clicked_cb (g_ptr_array_index (self->key_buttons, index), self);
  return TRUE;
}

gboolean
till_quick_key_pad_switch_page (TillQuickKeyPad *self, int delta)
{
  guint n, at = 0;

  g_return_val_if_fail (TILL_IS_QUICK_KEY_PAD (self), FALSE);

  n = self->page_ids->len;
  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_array_index (self->page_ids, gint64, i) == self->page_id)
      at = i;
  at = (at + n + (delta < 0 ? n - 1 : 1)) % n;
  show_page (self, g_array_index (self->page_ids, gint64, at));
  return TRUE;
}

const char *
till_quick_key_pad_get_page_name (TillQuickKeyPad *self)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEY_PAD (self), NULL);

  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (self->keys, i);

      if (key->category_id == self->page_id)
        return key->page_name;
    }
  return NULL;
}

guint
till_quick_key_pad_get_n_keys (TillQuickKeyPad *self)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEY_PAD (self), 0);

  return self->key_buttons->len;
}

GtkWidget *
till_quick_key_pad_get_button (TillQuickKeyPad *self, guint index)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEY_PAD (self), NULL);

  return index < self->key_buttons->len ? g_ptr_array_index (self->key_buttons, index) : NULL;
}

gboolean
till_quick_key_pad_get_loading (TillQuickKeyPad *self)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEY_PAD (self), FALSE);

  return self->loading;
}

static void
till_quick_key_pad_dispose (GObject *object)
{
  TillQuickKeyPad *self = TILL_QUICK_KEY_PAD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->colours != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->colours));
  g_clear_object (&self->colours);
  g_clear_pointer (&self->key_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->page_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_object (&self->checkout);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_QUICK_KEY_PAD);
  G_OBJECT_CLASS (till_quick_key_pad_parent_class)->dispose (object);
}

static void
till_quick_key_pad_finalize (GObject *object)
{
  TillQuickKeyPad *self = TILL_QUICK_KEY_PAD (object);

  g_clear_pointer (&self->page_ids, g_array_unref);
  G_OBJECT_CLASS (till_quick_key_pad_parent_class)->finalize (object);
}

static void
till_quick_key_pad_class_init (TillQuickKeyPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_quick_key_pad_dispose;
  object_class->finalize = till_quick_key_pad_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-quick-key-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeyPad, page_box);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeyPad, key_box);
}

static void
till_quick_key_pad_init (TillQuickKeyPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->page_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->page_buttons = g_ptr_array_new ();
  self->key_buttons = g_ptr_array_new ();
  self->colours = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (self->colours),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

TillQuickKeyPad *
till_quick_key_pad_new (TillCheckout *checkout)
{
  TillQuickKeyPad *self;

  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (TILL_TYPE_QUICK_KEY_PAD, NULL);
  self->checkout = g_object_ref (checkout);
  return self;
}
