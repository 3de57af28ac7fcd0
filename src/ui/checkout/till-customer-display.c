/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCustomerDisplay: the second window facing the customer. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "till-customer-display.h"
#include "till-frame-trace.h"
#include "till-i18n.h"
#include "till-pay-error.h"
#include "till-store-payments.h"
#include "till-ui-util.h"

struct _TillCustomerDisplay
{
  GtkWindow     parent_instance;

  TillContext  *context;
  TillSale     *sale;
  gint64        change_fen;

  GtkLabel     *store_label;
  GtkLabel     *greeting_label;
  GtkStack     *stack;
  GtkListView  *lines_view;
  GtkNoSelection *lines_model;
  GtkScrolledWindow *lines_scroller;
  GtkLabel     *total_label;
  GtkLabel     *count_label;
  GtkLabel     *saved_label;   /* "已优惠 ¥x · You saved ¥x" */
  GtkLabel     *member_label;  /* "会员 Member 张伟 · 138****1234": the phone masked */
  GtkLabel     *weight_label;  /* "重量 Weight 0.532 kg": the counter scale, when set up */
  GtkBox       *change_box;
  GtkLabel     *change_label;
  GtkLabel     *thanks_label;
  GtkLabel     *total_caption_label;
  GtkLabel     *status_label;
  GtkLabel     *pay_title_label;
  GtkLabel     *pay_detail_label;
  GtkPicture   *qr_picture;
  GtkBox       *pay_box;

  /* the payment, from the cashier window */
  char         *pay_state;
  char         *pay_error;     /* why the payment failed: the provider's code */
  char         *code_url;
  int           pay_method;    /* TillPaymentMethod of the payment on show */
  gint64        due_fen;
  gint64        paid_fen;
  gboolean      epay_ready;
  GdkTexture   *qr_texture;
  char         *qr_text;
};

G_DEFINE_FINAL_TYPE (TillCustomerDisplay, till_customer_display, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SALE,
  PROP_CHANGE_FEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- line rows ---- */

static void
line_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *qty = gtk_label_new (NULL);
  GtkWidget *amount = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_xalign (GTK_LABEL (qty), 1);
  gtk_widget_set_size_request (qty, 180, -1);
  gtk_label_set_xalign (GTK_LABEL (amount), 1);
  gtk_widget_set_size_request (amount, 220, -1);
  gtk_widget_add_css_class (qty, "numeric");
  gtk_widget_add_css_class (amount, "numeric");
  gtk_widget_add_css_class (box, "display-line");

  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), qty);
  gtk_box_append (GTK_BOX (box), amount);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
}

static void
line_update (GtkListItem *item)
{
  TillSaleLine *line = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name, *qty, *amount;
  g_autofree char *qty_text = NULL;
  g_autofree char *amount_text = NULL;

  if (line == NULL || box == NULL)
    return;

  name = gtk_widget_get_first_child (box);
  qty = gtk_widget_get_next_sibling (name);
  amount = gtk_widget_get_next_sibling (qty);

  qty_text = till_sale_line_format_qty (line);
  amount_text = till_money_format (till_sale_line_get_final_fen (line));
  gtk_label_set_text (GTK_LABEL (qty), qty_text);
  if (till_sale_line_get_saved_fen (line) > 0)
    {
      /* the original price struck through, and the discount (the display's own words) */
      g_autofree char *was = till_money_format (till_sale_line_get_original_total_fen (line));
      g_autofree char *off = till_money_format (till_sale_line_get_saved_fen (line));
      g_autofree char *name_markup =
        g_markup_printf_escaped ("%s  <span size=\"small\">优惠 Discount −%s</span>",
                                 till_sale_line_get_name (line), off);
      g_autofree char *amount_markup = g_markup_printf_escaped ("<s>%s</s> %s", was, amount_text);

      gtk_label_set_markup (GTK_LABEL (name), name_markup);
      gtk_label_set_markup (GTK_LABEL (amount), amount_markup);
    }
  else
    {
      gtk_label_set_use_markup (GTK_LABEL (name), FALSE);
      gtk_label_set_use_markup (GTK_LABEL (amount), FALSE);
      gtk_label_set_text (GTK_LABEL (name), till_sale_line_get_name (line));
      gtk_label_set_text (GTK_LABEL (amount), amount_text);
    }
}

static void
line_notify_cb (TillSaleLine *line,
                GParamSpec   *pspec,
                GtkListItem  *item)
{
  line_update (item);
}

static void
line_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  TillSaleLine *line = gtk_list_item_get_item (item);

  line_update (item);
  if (line != NULL)
    g_signal_connect_object (line, "notify", G_CALLBACK (line_notify_cb), item, 0);
}

static void
line_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  TillSaleLine *line = gtk_list_item_get_item (item);

  if (line != NULL)
    g_signal_handlers_disconnect_by_func (line, line_notify_cb, item);
}

/* ---- state ---- */

static void
scroll_to_end (TillCustomerDisplay *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->lines_scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj)
                                   - gtk_adjustment_get_page_size (adj));
}

/* The lines' height changed (a line added, the window resized): laid out anew, so the
 * newest line, the last, is brought into view in the frame that first shows it. An idle
 * before this could run ahead of the layout under load. */
static void
lines_adjustment_changed_cb (GtkAdjustment       *adj,
                             TillCustomerDisplay *self)
{
  scroll_to_end (self);
}

/* What the customer reads about the payment, always in Chinese and English. */
static void
payment_words (TillCustomerDisplay *self,
               const char         **title,
               char               **detail,
               const char         **klass)
{
  TillPaymentState state;

  *title = NULL;
  *detail = NULL;
  *klass = "pay-live";
  if (self->pay_state == NULL || !till_payment_state_from_string (self->pay_state, &state))
    return;

  switch (state)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      *title = "正在付款… · Paying…";
      break;
    case TILL_PAYMENT_STATE_USER_PAYING:
      if (self->code_url != NULL && self->pay_method == TILL_PAYMENT_METHOD_ALIPAY_QR)
        *title = "请用支付宝扫码 · Scan with Alipay to pay";
      else if (self->code_url != NULL)
        *title = "请用微信扫码支付 · Scan with WeChat to pay";
      else
        *title = "请在手机上确认付款 · Please confirm the payment on your phone";
      break;
    case TILL_PAYMENT_STATE_IN_DOUBT:
    case TILL_PAYMENT_STATE_REVERSING:
      *title = "正在确认… · Checking…";
      *detail = g_strdup ("请稍候，不要重复付款 · Please wait, do not pay again");
      break;
    case TILL_PAYMENT_STATE_PAID:
      *title = "支付成功 · Paid";
      *klass = "pay-paid";
      break;
    case TILL_PAYMENT_STATE_FAILED:
      {
        /* The reason in both languages (the cashier's window has it in the till's). */
        const char *msgid = till_pay_error_code_msgid (self->pay_error);

        *title = "支付失败 · Payment failed";
        *detail = msgid != NULL ? till_i18n_dup_customer_words (msgid)
                                : g_strdup ("请换一种方式付款 · Please pay another way");
      }
      *klass = "pay-failed";
      break;
    case TILL_PAYMENT_STATE_REVERSED:
    case TILL_PAYMENT_STATE_CLOSED:
    default:
      *title = "未扣款 · Not charged";
      *detail = g_strdup ("请换一种方式付款 · Please pay another way");
      *klass = "pay-not-charged";
      break;
    }
}

static void
update_qr (TillCustomerDisplay *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (self->qr_text, self->code_url) == 0)
    return;
  g_clear_object (&self->qr_texture);
  g_free (self->qr_text);
  self->qr_text = g_strdup (self->code_url);
  if (self->code_url != NULL)
    {
      self->qr_texture = till_ui_qr_texture (self->code_url, 10, &error);
      if (self->qr_texture == NULL)
        g_warning ("customer display QR: %s", error->message);
    }
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (self->qr_texture));
}

static void
till_customer_display_update (TillCustomerDisplay *self)
{
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  g_autofree char *detail = NULL;
  guint n_lines = 0;
  TillSaleState state = TILL_SALE_STATE_OPEN;
  const char *pay_title = NULL;
  const char *klass = NULL;
  const char *classes[] = { "pay-live", "pay-paid", "pay-failed", "pay-not-charged",
                            "qr-wechat", "qr-alipay" };
  gint64 amount = 0;
  gboolean partial;

  if (self->sale != NULL)
    {
      n_lines = g_list_model_get_n_items (G_LIST_MODEL (self->sale));
      state = till_sale_get_state (self->sale);
    }
  /* A voided sale leaves nothing for the customer to pay; once part is paid, the amount
   * due is what counts. */
  partial = state == TILL_SALE_STATE_OPEN && self->paid_fen > 0;
  if (self->sale != NULL && state == TILL_SALE_STATE_PAID)
    amount = till_sale_get_total_fen (self->sale);
  else if (self->sale != NULL && state == TILL_SALE_STATE_OPEN)
    amount = partial ? self->due_fen : till_sale_get_total_fen (self->sale);
  total = till_money_format (amount);

  gtk_label_set_text (self->total_label, total);
  if (partial)
    {
      g_autofree char *paid = till_money_format (self->paid_fen);

      gtk_label_set_text (self->total_caption_label, "待付 Due");
      count = g_strdup_printf ("已付 Paid %s", paid);
    }
  else
    {
      gtk_label_set_text (self->total_caption_label, "合计 Total");
      /* The same words as the cashier's window (the display is bilingual, untranslated). */
      gint64 items = self->sale != NULL ? till_sale_count_items (self->sale) : 0;

      count = g_strdup_printf ("%u 行 %s · %" PRId64 " 件 %s", n_lines,
                               n_lines == 1 ? "line" : "lines", items,
                               items == 1 ? "item" : "items");
    }
  gtk_label_set_text (self->count_label, count);
  if (self->sale != NULL && state != TILL_SALE_STATE_VOIDED && till_sale_get_saved_fen (self->sale) > 0)
    {
      g_autofree char *saved = till_money_format (till_sale_get_saved_fen (self->sale));
      g_autofree char *saved_text = g_strdup_printf ("已优惠 %s · You saved %s", saved, saved);

      gtk_label_set_text (self->saved_label, saved_text);
      gtk_widget_set_visible (GTK_WIDGET (self->saved_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->saved_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->saved_label), FALSE);
    }

  {
    const TillSaleMember *member = self->sale != NULL ? till_sale_get_member (self->sale) : NULL;
    g_autofree char *label = member != NULL ? till_sale_member_dup_label (member) : NULL;
    g_autofree char *member_text = label != NULL ? g_strdup_printf ("会员 Member %s", label)
                                                 : NULL;

    gtk_label_set_text (self->member_label, member_text != NULL ? member_text : "");
    gtk_widget_set_visible (GTK_WIDGET (self->member_label), member_text != NULL);
  }

  update_qr (self);
  payment_words (self, &pay_title, &detail, &klass);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->pay_box), classes[i]);
  if (pay_title != NULL)
    {
      gtk_label_set_text (self->pay_title_label, pay_title);
      gtk_label_set_text (self->pay_detail_label, detail != NULL ? detail : "");
      gtk_widget_set_visible (GTK_WIDGET (self->pay_detail_label), detail != NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->qr_picture), self->qr_texture != NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->pay_box), klass);
      /* The QR in the colours of the app that scans it. */
      if (self->qr_texture != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->pay_box),
                                  self->pay_method == TILL_PAYMENT_METHOD_ALIPAY_QR
                                    ? "qr-alipay" : "qr-wechat");
    }

  /* The line under the total: what the customer should do now. */
  if (state == TILL_SALE_STATE_PAID && pay_title == NULL)
    gtk_label_set_text (self->status_label, "支付成功 · Paid");
  else if (state == TILL_SALE_STATE_OPEN && amount > 0 && pay_title == NULL && self->epay_ready)
    gtk_label_set_text (self->status_label, "请出示付款码 · Please show your payment code");
  else
    gtk_label_set_text (self->status_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          gtk_label_get_text (self->status_label)[0] != '\0');

  if (state == TILL_SALE_STATE_PAID)
    {
      g_autofree char *change = till_money_format (MAX (self->change_fen, 0));

      gtk_label_set_text (self->change_label, change);
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), self->change_fen >= 0);
      gtk_label_set_text (self->greeting_label, "谢谢惠顾 · Thank you");
      gtk_stack_set_visible_child_name (self->stack, pay_title != NULL ? "payment" : "lines");
    }
  else if (pay_title != NULL && state == TILL_SALE_STATE_OPEN)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), FALSE);
      gtk_label_set_text (self->greeting_label, "欢迎光临 · Welcome");
      gtk_stack_set_visible_child_name (self->stack, "payment");
    }
  else if (n_lines == 0 || state != TILL_SALE_STATE_OPEN)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), FALSE);
      gtk_label_set_text (self->greeting_label, "欢迎光临 · Welcome");
      gtk_stack_set_visible_child_name (self->stack, "welcome");
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->change_box), FALSE);
      gtk_label_set_text (self->greeting_label, "欢迎光临 · Welcome");
      gtk_stack_set_visible_child_name (self->stack, "lines");
      scroll_to_end (self);
    }
}

static void
sale_changed_cb (TillSale            *sale,
                 TillCustomerDisplay *self)
{
  till_customer_display_update (self);
}

static void
sale_notify_cb (TillSale            *sale,
                GParamSpec          *pspec,
                TillCustomerDisplay *self)
{
  till_customer_display_update (self);
}

void
till_customer_display_set_sale (TillCustomerDisplay *self,
                                TillSale            *sale)
{
  g_return_if_fail (TILL_IS_CUSTOMER_DISPLAY (self));
  g_return_if_fail (sale == NULL || TILL_IS_SALE (sale));

  if (self->sale == sale)
    return;

  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);
  g_set_object (&self->sale, sale);
  if (sale != NULL)
    {
      g_signal_connect (sale, "changed", G_CALLBACK (sale_changed_cb), self);
      g_signal_connect (sale, "notify::total-fen", G_CALLBACK (sale_notify_cb), self);
      g_signal_connect (sale, "notify::state", G_CALLBACK (sale_notify_cb), self);
    }
  gtk_no_selection_set_model (self->lines_model, G_LIST_MODEL (sale));

  till_customer_display_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SALE]);
}

TillSale *
till_customer_display_get_sale (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return self->sale;
}

void
till_customer_display_set_change_fen (TillCustomerDisplay *self,
                                      gint64               change_fen)
{
  g_return_if_fail (TILL_IS_CUSTOMER_DISPLAY (self));

  if (self->change_fen == change_fen)
    return;
  self->change_fen = change_fen;
  till_customer_display_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
}

/* ---- monitor placement ---- */

int
till_customer_display_get_monitor_index (TillCustomerDisplay *self)
{
  GListModel *monitors;
  guint n;
  int wanted;

  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), -1);

  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  n = g_list_model_get_n_items (monitors);
  if (n == 0)
    return -1;

  wanted = g_settings_get_int (till_context_get_settings (self->context),
                               "customer-display-monitor");
  if (wanted < 0 || (guint) wanted >= n)
    return (int) n - 1;
  return wanted;
}

static void
till_customer_display_place (TillCustomerDisplay *self)
{
  GSettings *settings = till_context_get_settings (self->context);
  GListModel *monitors;
  int index;

  if (!g_settings_get_boolean (settings, "customer-display-fullscreen"))
    {
      gtk_window_unfullscreen (GTK_WINDOW (self));
      return;
    }

  index = till_customer_display_get_monitor_index (self);
  if (index < 0)
    {
      gtk_window_fullscreen (GTK_WINDOW (self));
      return;
    }

  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  {
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, index);

    g_debug ("customer display: full screen on monitor %d (%s)", index,
             gdk_monitor_get_connector (monitor));
    gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
  }
}

static void
settings_display_changed_cb (GSettings           *settings,
                             const char          *key,
                             TillCustomerDisplay *self)
{
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    till_customer_display_place (self);
}

static void
monitors_changed_cb (GListModel          *monitors,
                     guint                position,
                     guint                removed,
                     guint                added,
                     TillCustomerDisplay *self)
{
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    till_customer_display_place (self);
}

static void
till_customer_display_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (till_customer_display_parent_class)->realize (widget);
  till_customer_display_place (TILL_CUSTOMER_DISPLAY (widget));
}

/* ---- following the cashier window ---- */

static void
source_sale_notify_cb (GObject             *source,
                       GParamSpec          *pspec,
                       TillCustomerDisplay *self)
{
  g_autoptr(TillSale) sale = NULL;
  gint64 change_fen = -1;

  g_object_get (source, "sale", &sale, "change-fen", &change_fen, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (source), "payment-state") != NULL)
    {
      g_clear_pointer (&self->pay_state, g_free);
      g_clear_pointer (&self->pay_error, g_free);
      g_clear_pointer (&self->code_url, g_free);
      g_object_get (source,
                    "payment-state", &self->pay_state,
                    "payment-error", &self->pay_error,
                    "code-url", &self->code_url,
                    "due-fen", &self->due_fen,
                    "paid-fen", &self->paid_fen,
                    "epay-ready", &self->epay_ready,
                    "payment-method", &self->pay_method,
                    NULL);
    }
  /* set_sale/set_change_fen update only on a change: update once more for the rest. */
  till_customer_display_set_sale (self, sale);
  till_customer_display_set_change_fen (self, change_fen);
  till_customer_display_update (self);
}

const char *
till_customer_display_get_qr_brand (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);

  if (gtk_widget_has_css_class (GTK_WIDGET (self->pay_box), "qr-alipay"))
    return "alipay";
  if (gtk_widget_has_css_class (GTK_WIDGET (self->pay_box), "qr-wechat"))
    return "wechat";
  return NULL;
}

void
till_customer_display_follow (TillCustomerDisplay *self,
                              GObject             *source)
{
  g_return_if_fail (TILL_IS_CUSTOMER_DISPLAY (self));
  g_return_if_fail (G_IS_OBJECT (source));

  g_signal_connect_object (source, "notify::sale", G_CALLBACK (source_sale_notify_cb), self, 0);
  g_signal_connect_object (source, "notify::change-fen", G_CALLBACK (source_sale_notify_cb),
                           self, 0);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (source), "payment-state") != NULL)
    {
      const char *props[] = { "payment-state", "payment-error", "code-url", "due-fen",
                              "paid-fen", "epay-ready", "payment-method" };

      for (guint i = 0; i < G_N_ELEMENTS (props); i++)
        {
          g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);

          g_signal_connect_object (source, signal, G_CALLBACK (source_sale_notify_cb), self, 0);
        }
    }
  source_sale_notify_cb (source, NULL, self);
}

/* ---- accessors ---- */

const char *
till_customer_display_get_total_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return gtk_label_get_text (self->total_label);
}

/* "会员 Member 张伟 · 138****1234", or "" without a member. */
const char *
till_customer_display_get_member_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return gtk_label_get_text (self->member_label);
}

/* "已优惠 ¥x · You saved ¥x", or "" without a saving. */
const char *
till_customer_display_get_saved_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return gtk_label_get_text (self->saved_label);
}

const char *
till_customer_display_get_change_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->change_box)))
    return "";
  return gtk_label_get_text (self->change_label);
}

const char *
till_customer_display_get_count_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return gtk_label_get_text (self->count_label);
}

const char *
till_customer_display_get_status_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return gtk_label_get_text (self->status_label);
}

char *
till_customer_display_dup_payment_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "payment") != 0)
    return g_strdup ("");
  return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->pay_title_label),
                          gtk_widget_get_visible (GTK_WIDGET (self->pay_detail_label))
                            ? gtk_label_get_text (self->pay_detail_label) : "");
}

const char *
till_customer_display_get_code_url (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return self->qr_texture != NULL ? self->qr_text : NULL;
}

GdkTexture *
till_customer_display_get_qr_texture (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return self->qr_texture;
}

const char *
till_customer_display_get_greeting (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  return gtk_label_get_text (self->greeting_label);
}

/* ---- the counter scale ---- */

/* The scale's net weight for the customer, in both languages (literal, as everything on
 * this window); hidden without a scale. */
static void
update_weight (TillCustomerDisplay *self)
{
  TillScale *scale = till_context_get_scale (self->context);
  gint64 w = till_scale_get_weight_milli (scale);
  gint64 tare = till_scale_get_tare_milli (scale);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->weight_label), till_scale_get_configured (scale));
  switch (till_scale_get_state (scale))
    {
    case TILL_SCALE_STATE_OK:
      text = g_strdup_printf ("重量 Weight %" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " kg%s",
                              w / 1000, w % 1000,
                              till_scale_get_stable (scale) ? "" : " · 称重中 Settling…");
      break;
    case TILL_SCALE_STATE_OVERLOAD:
      text = g_strdup ("重量 Weight · 超载 Overload");
      break;
    case TILL_SCALE_STATE_NEGATIVE:
      text = g_strdup ("重量 Weight · 低于零 Below zero");
      break;
    case TILL_SCALE_STATE_DISCONNECTED:
    case TILL_SCALE_STATE_ERROR:
    default:
      text = g_strdup ("重量 Weight —");
      break;
    }
  if (tare != 0 && till_scale_get_state (scale) == TILL_SCALE_STATE_OK)
    {
      g_autofree char *with = g_strdup_printf ("%s · 皮重 Tare %" G_GINT64_FORMAT ".%03"
                                               G_GINT64_FORMAT " kg", text, tare / 1000,
                                               tare % 1000);

      g_free (text);
      text = g_steal_pointer (&with);
    }
  gtk_label_set_text (self->weight_label, text);
}

/* "重量 Weight 0.532 kg", or "" without a scale. */
const char *
till_customer_display_get_weight_text (TillCustomerDisplay *self)
{
  g_return_val_if_fail (TILL_IS_CUSTOMER_DISPLAY (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->weight_label)))
    return "";
  return gtk_label_get_text (self->weight_label);
}

static void
watch_scale (TillCustomerDisplay *self)
{
  TillScale *scale = till_context_get_scale (self->context);
  const char *signals[] = { "notify::state", "notify::weight-milli", "notify::stable",
                            "notify::tare-milli", "notify::port", "notify::protocol" };

  self->weight_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->weight_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->weight_label), "display-count");
  gtk_widget_add_css_class (GTK_WIDGET (self->weight_label), "numeric");
  gtk_widget_insert_after (GTK_WIDGET (self->weight_label),
                           gtk_widget_get_parent (GTK_WIDGET (self->count_label)),
                           GTK_WIDGET (self->count_label));
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_object (scale, signals[i], G_CALLBACK (update_weight), self,
                             G_CONNECT_SWAPPED);
  update_weight (self);
}

/* ---- GObject ---- */

static void
till_customer_display_constructed (GObject *object)
{
  TillCustomerDisplay *self = TILL_CUSTOMER_DISPLAY (object);
  GSettings *settings;
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (till_customer_display_parent_class)->constructed (object);

  g_assert (TILL_IS_CONTEXT (self->context));
  settings = till_context_get_settings (self->context);

  g_settings_bind (settings, "store-name", self->store_label, "label", G_SETTINGS_BIND_GET);
  g_signal_connect_object (settings, "changed::customer-display-monitor",
                           G_CALLBACK (settings_display_changed_cb), self, 0);
  g_signal_connect_object (settings, "changed::customer-display-fullscreen",
                           G_CALLBACK (settings_display_changed_cb), self, 0);
  g_signal_connect_object (gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self))),
                           "items-changed", G_CALLBACK (monitors_changed_cb), self, 0);

  /* Bilingual by design, like everything on this window: not translated. */
  if (till_context_get_demo (self->context))
    title = g_strdup ("训练模式 DEMO — 顾客显示 Customer display");
  else
    title = g_strdup ("顾客显示 Customer display");
  gtk_window_set_title (GTK_WINDOW (self), title);

  watch_scale (self);
  till_customer_display_update (self);
}

static void
till_customer_display_dispose (GObject *object)
{
  TillCustomerDisplay *self = TILL_CUSTOMER_DISPLAY (object);

  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_CUSTOMER_DISPLAY);

  g_clear_object (&self->sale);
  g_clear_object (&self->context);
  g_clear_object (&self->qr_texture);
  g_clear_pointer (&self->qr_text, g_free);
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_error, g_free);
  g_clear_pointer (&self->code_url, g_free);

  G_OBJECT_CLASS (till_customer_display_parent_class)->dispose (object);
}

static void
till_customer_display_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TillCustomerDisplay *self = TILL_CUSTOMER_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SALE:
      g_value_set_object (value, self->sale);
      break;
    case PROP_CHANGE_FEN:
      g_value_set_int64 (value, self->change_fen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_customer_display_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TillCustomerDisplay *self = TILL_CUSTOMER_DISPLAY (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_SALE:
      till_customer_display_set_sale (self, g_value_get_object (value));
      break;
    case PROP_CHANGE_FEN:
      till_customer_display_set_change_fen (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_customer_display_class_init (TillCustomerDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = till_customer_display_constructed;
  object_class->dispose = till_customer_display_dispose;
  object_class->get_property = till_customer_display_get_property;
  object_class->set_property = till_customer_display_set_property;

  widget_class->realize = till_customer_display_realize;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TILL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SALE] =
    g_param_spec_object ("sale", NULL, NULL, TILL_TYPE_SALE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGE_FEN] =
    g_param_spec_int64 ("change-fen", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-customer-display.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, store_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, greeting_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, stack);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, lines_view);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, lines_model);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, lines_scroller);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, total_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, count_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, saved_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, member_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, change_box);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, change_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, thanks_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, total_caption_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, status_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, pay_title_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, pay_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, TillCustomerDisplay, pay_box);
}

/* The benchmarks' frame trace (till-frame-trace.h): the sale on show, the lines' scroll. */
static char *
frame_trace_describe (GtkWindow *window)
{
  TillCustomerDisplay *self = TILL_CUSTOMER_DISPLAY (window);
  g_autofree char *sale = till_frame_trace_describe_sale (self->sale);

  return g_strdup_printf ("%s bottom=%s", sale, till_frame_trace_at_bottom (self->lines_scroller));
}

static void
till_customer_display_init (TillCustomerDisplay *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->change_fen = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->lines_scroller), "changed",
                           G_CALLBACK (lines_adjustment_changed_cb), self, 0);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (line_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (line_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (line_unbind_cb), NULL);
  gtk_list_view_set_factory (self->lines_view, factory);

  till_ui_load_style ();
  till_frame_trace_watch (GTK_WINDOW (self), "display", frame_trace_describe);
}

TillCustomerDisplay *
till_customer_display_new (TillContext *context)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  return g_object_new (TILL_TYPE_CUSTOMER_DISPLAY, "context", context, NULL);
}
