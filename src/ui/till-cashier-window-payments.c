/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cashier window's electronic payments: a scanned payment code charges the amount due
 * at once, the customer-scans (Native) QR, cancel, split tender with cash, the payment
 * panel with its countdown, and the cart lock. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>

#include "till-camera-preview.h"
#include "till-cashier-window-private.h"
#include "till-ui-util.h"

/* ------------------------------------------------------------------------------------ */
/* Reading the payments of the sale on the store thread                                  */

typedef struct
{
  gint64 sale_id;
} RefreshData;

typedef struct
{
  gint64             sale_id;
  TillSaleState      sale_state;
  gint64             paid_fen;
  gint64             due_fen;
  TillPaymentRecord *latest;   /* the newest electronic payment, or NULL */
  gint64             cash_change_fen;
} RefreshResult;

static void
refresh_result_free (gpointer data)
{
  RefreshResult *r = data;

  g_clear_pointer (&r->latest, till_payment_record_free);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RefreshResult, refresh_result_free)

static gpointer
refresh_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  RefreshData *rd = data;
  g_autoptr(RefreshResult) r = g_new0 (RefreshResult, 1);
  g_autoptr(GPtrArray) payments = NULL;

  r->sale_id = rd->sale_id;
  if (!till_store_sale_get_state (store, rd->sale_id, &r->sale_state, error))
    return NULL;
  payments = till_store_list_sale_payments (store, rd->sale_id, error);
  if (payments == NULL)
    return NULL;
  for (guint i = 0; i < payments->len; i++)
    {
      TillPaymentRecord *p = g_ptr_array_index (payments, i);

      if (p->state == TILL_PAYMENT_STATE_PAID)
        r->paid_fen += p->amount_fen;
      if (p->method != TILL_PAYMENT_METHOD_CASH)
        {
          g_clear_pointer (&r->latest, till_payment_record_free);
          r->latest = till_payment_record_copy (p);
        }
    }
  r->due_fen = till_store_sale_amount_due (store, rd->sale_id, error);
  if (r->due_fen < 0)
    return NULL;
  return g_steal_pointer (&r);
}

/* ------------------------------------------------------------------------------------ */
/* The panel                                                                             */

static const char *
state_title (TillPaymentState state)
{
  switch (state)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      return _("正在付款 Sending the payment");
    case TILL_PAYMENT_STATE_USER_PAYING:
      return _("请在手机上确认 Customer confirms on the phone");
    case TILL_PAYMENT_STATE_IN_DOUBT:
      return _("正在确认 Checking — do not charge again");
    case TILL_PAYMENT_STATE_REVERSING:
      return _("正在撤销 Reversing — do not charge again");
    case TILL_PAYMENT_STATE_PAID:
      return _("支付成功 Paid");
    case TILL_PAYMENT_STATE_FAILED:
      return _("支付失败 Payment failed — take another payment");
    case TILL_PAYMENT_STATE_REVERSED:
      return _("未扣款 Reversed — not charged");
    case TILL_PAYMENT_STATE_CLOSED:
    default:
      return _("订单已关闭 Closed — not charged");
    }
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  TillCashierWindow *self = user_data;
  gint64 left_s;
  g_autofree char *text = NULL;

  if (self->pay_deadline_us <= 0 || self->live_payment_id == 0)
    {
      gtk_label_set_text (self->payment_countdown_label, "");
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }
  left_s = MAX (0, (self->pay_deadline_us - g_get_real_time () + 999999) / G_USEC_PER_SEC);
  text = g_strdup_printf (_("剩余 %1$" PRId64 " 秒 · %1$" PRId64 " s left — 取消 Cancel: Esc / F10"),
                          left_s);
  gtk_label_set_text (self->payment_countdown_label, text);
  return G_SOURCE_CONTINUE;
}

static void
update_panel (TillCashierWindow *self)
{
  TillPaymentState state;
  GtkWidget *panel = GTK_WIDGET (self->payment_panel);
  const char *classes[] = { "pay-live", "pay-paid", "pay-failed", "pay-not-charged" };
  const char *klass;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (panel, classes[i]);

  if (self->pay_starting && self->pay_state == NULL)
    {
      gtk_label_set_text (self->payment_title_label, _("正在付款 Sending the payment"));
      gtk_label_set_text (self->payment_message_label, _("正在付款… · Sending the payment…"));
      gtk_label_set_text (self->payment_countdown_label, "");
      gtk_widget_add_css_class (panel, "pay-live");
      gtk_widget_set_visible (GTK_WIDGET (self->payment_cancel_button), FALSE);
      gtk_widget_set_visible (panel, TRUE);
      return;
    }
  if (self->pay_state == NULL || !till_payment_state_from_string (self->pay_state, &state))
    {
      gtk_widget_set_visible (panel, FALSE);
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      return;
    }

  if (state == TILL_PAYMENT_STATE_USER_PAYING
      && self->shown_method == TILL_PAYMENT_METHOD_WECHAT_NATIVE)
    gtk_label_set_text (self->payment_title_label,
                        _("等待顾客扫码 Waiting for the customer to scan the QR"));
  else
    gtk_label_set_text (self->payment_title_label, state_title (state));
  gtk_label_set_text (self->payment_message_label,
                      self->pay_message != NULL ? self->pay_message : "");
  if (!till_payment_state_is_final (state))
    klass = "pay-live";
  else if (state == TILL_PAYMENT_STATE_PAID)
    klass = "pay-paid";
  else if (state == TILL_PAYMENT_STATE_FAILED)
    klass = "pay-failed";
  else
    klass = "pay-not-charged";
  gtk_widget_add_css_class (panel, klass);
  gtk_widget_set_visible (GTK_WIDGET (self->payment_cancel_button),
                          state == TILL_PAYMENT_STATE_USER_PAYING
                          || state == TILL_PAYMENT_STATE_IN_DOUBT);
  gtk_widget_set_visible (panel, TRUE);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (state == TILL_PAYMENT_STATE_USER_PAYING && self->pay_deadline_us > 0)
    {
      countdown_tick_cb (self);
      self->countdown_id = g_timeout_add (500, countdown_tick_cb, self);
    }
  else if (state == TILL_PAYMENT_STATE_IN_DOUBT)
    gtk_label_set_text (self->payment_countdown_label,
                        _("请勿重复收款 Do not charge again — 取消 Cancel: Esc / F10"));
  else if (state == TILL_PAYMENT_STATE_REVERSING)
    gtk_label_set_text (self->payment_countdown_label,
                        _("请勿重复收款 Do not charge again — 撤销后可换一种方式付款 · take another payment once it is reversed"));
  else
    gtk_label_set_text (self->payment_countdown_label, "");
}

static void
update_due (TillCashierWindow *self)
{
  g_autofree char *due = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *paid_text = NULL;
  gboolean open = self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN;

  if (!open || self->paid_fen <= 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->due_box), FALSE);
      return;
    }
  due = till_money_format (self->due_fen);
  paid = till_money_format (self->paid_fen);
  paid_text = g_strdup_printf (_("已付 Paid %s"), paid);
  gtk_label_set_text (self->due_label, due);
  gtk_label_set_text (self->paid_label, paid_text);
  gtk_widget_set_visible (GTK_WIDGET (self->due_box), TRUE);
}

gboolean
_till_cashier_window_cart_locked (TillCashierWindow *self)
{
  return self->pay_starting || self->live_payment_id != 0 || self->paid_fen > 0;
}

static void
set_pay_state (TillCashierWindow *self,
               const char        *state,
               const char        *message)
{
  if (g_strcmp0 (self->pay_state, state) == 0 && g_strcmp0 (self->pay_message, message) == 0)
    return;
  g_free (self->pay_state);
  self->pay_state = g_strdup (state);
  g_free (self->pay_message);
  self->pay_message = g_strdup (message);
  update_panel (self);
  _till_cashier_window_notify_payment (self);
}

static void
set_code_url (TillCashierWindow *self,
              const char        *code_url)
{
  if (g_strcmp0 (self->code_url, code_url) == 0)
    return;
  g_free (self->code_url);
  self->code_url = g_strdup (code_url);
  _till_cashier_window_notify_payment (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillCashierWindow) self = user_data;
  g_autoptr(RefreshResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const TillPaymentRecord *p;

  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (r == NULL)
    {
      if (!g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        g_warning ("payments of the sale: %s", error->message);
      return;
    }
  if (self->sale == NULL || till_sale_get_id (self->sale) != r->sale_id)
    return;

  self->paid_fen = r->paid_fen;
  self->due_fen = r->due_fen;
  p = r->latest;

  if (p != NULL && !till_payment_state_is_final (p->state))
    {
      g_autofree char *message = NULL;

      if (p->method == TILL_PAYMENT_METHOD_WECHAT_NATIVE
          && p->state == TILL_PAYMENT_STATE_USER_PAYING)
        message = g_strdup (_("顾客用微信扫顾客屏上的二维码 · The customer scans the QR code on the customer display"));
      else
        message = till_payment_service_describe (p->state, p->last_error);
      if (g_strcmp0 (self->pay_state, till_payment_state_to_string (p->state)) != 0)
        till_cashier_window_show_message (self, TILL_MESSAGE_INFO, message);
      self->live_payment_id = p->id;
      self->shown_payment_id = p->id;
      self->shown_method = p->method;
      self->pay_deadline_us = p->deadline_at;
      set_pay_state (self, till_payment_state_to_string (p->state), message);
      if (p->method == TILL_PAYMENT_METHOD_WECHAT_NATIVE && self->service != NULL)
        {
          g_autofree char *url = till_payment_service_dup_code_url (self->service, p->id);

          if (url != NULL)
            set_code_url (self, url);
        }
    }
  else
    {
      self->live_payment_id = 0;
      self->pay_deadline_us = 0;
      set_code_url (self, NULL);
      /* A final state stays on screen only for the payment this window saw live. */
      if (p != NULL && p->id == self->shown_payment_id)
        {
          g_autofree char *message = NULL;
          gboolean changed = g_strcmp0 (self->pay_state,
                                        till_payment_state_to_string (p->state)) != 0;

          if (p->state == TILL_PAYMENT_STATE_PAID)
            {
              g_autofree char *amount = till_money_format (p->amount_fen);

              message = g_strdup_printf (_("微信支付 WeChat Pay %s — 交易号 Transaction %s"),
                                         amount, p->transaction_id != NULL
                                                   ? p->transaction_id : "—");
            }
          else
            message = till_payment_service_describe (p->state, p->last_error);
          set_pay_state (self, till_payment_state_to_string (p->state), message);
          if (changed && p->state == TILL_PAYMENT_STATE_PAID)
            till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, message);
          else if (changed)
            till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, message);
        }
      else if (!self->pay_starting)
        set_pay_state (self, NULL, NULL);
    }

  /* The payment that covered the rest completed the sale in the same transaction. */
  if (r->sale_state == TILL_SALE_STATE_PAID
      && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN)
    {
      g_autofree char *text = NULL;

      _till_cashier_window_paid (self, -1, -1);
      text = g_strdup_printf (_("支付成功 Paid — 单号 Sale %s. 扫下一件或按 F12 开始下一单 · Scan or F12 for the next sale"),
                              till_sale_get_number (self->sale));
      till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, text);
    }

  update_due (self);
  _till_cashier_window_update_actions (self);
  _till_cashier_window_notify_payment (self);
}

void
_till_cashier_window_payments_refresh (TillCashierWindow *self)
{
  RefreshData *rd;

  if (self->sale == NULL || till_sale_get_id (self->sale) == 0)
    {
      self->paid_fen = 0;
      self->due_fen = self->sale != NULL ? till_sale_get_total_fen (self->sale) : 0;
      update_due (self);
      return;
    }

  rd = g_new0 (RefreshData, 1);
  rd->sale_id = till_sale_get_id (self->sale);
  till_store_run_async (till_context_get_store (self->context), refresh_job, rd, g_free,
                        refresh_result_free, self->cancellable, refresh_cb,
                        g_object_ref (self));
}

/* ------------------------------------------------------------------------------------ */
/* Starting a payment                                                                    */

typedef struct
{
  TillSale *clone;       /* the cart as it is now */
  char     *cashier;
  char     *till_id;
} PrepareData;

typedef struct
{
  gint64 sale_id;
  gint64 due_fen;
} PrepareResult;

static void
prepare_data_free (gpointer data)
{
  PrepareData *pd = data;

  g_clear_object (&pd->clone);
  g_free (pd->cashier);
  g_free (pd->till_id);
  g_free (pd);
}

/* Stores the cart as it is (unless a payment exists: then the stored sale counts) and
 * reads the amount due. */
static gpointer
prepare_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  PrepareData *pd = data;
  g_autoptr(GPtrArray) payments = NULL;
  PrepareResult *r;
  gint64 due;

  if (till_sale_get_id (pd->clone) != 0)
    {
      payments = till_store_list_sale_payments (store, till_sale_get_id (pd->clone), error);
      if (payments == NULL)
        return NULL;
    }
  if ((payments == NULL || payments->len == 0)
      && !till_store_save_sale (store, pd->clone, pd->cashier, pd->till_id, error))
    return NULL;

  due = till_store_sale_amount_due (store, till_sale_get_id (pd->clone), error);
  if (due < 0)
    return NULL;
  r = g_new0 (PrepareResult, 1);
  r->sale_id = till_sale_get_id (pd->clone);
  r->due_fen = due;
  return r;
}

typedef struct
{
  TillCashierWindow *self;
  TillSale          *sale;
  gboolean           native;
  char              *auth_code;
} PayRequest;

static void
pay_request_free (PayRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request->auth_code);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayRequest, pay_request_free)

static void
pay_ended (TillCashierWindow *self)
{
  self->pay_starting = FALSE;
  update_panel (self);
  _till_cashier_window_update_actions (self);
  _till_cashier_window_payments_refresh (self);
}

static void
show_pay_error (TillCashierWindow *self,
                const GError      *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the service was rebuilt or the window closed; the payment goes on */
  text = g_strdup_printf (_("付款未发出 The payment was not started: %s"), error->message);
  g_message ("cashier: %s", text);
  till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
}

static void
pay_code_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PayRequest) request = user_data;
  TillCashierWindow *self = request->self;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = till_payment_service_pay_code_finish (TILL_PAYMENT_SERVICE (object), result,
                                                  &error);
  if (outcome == NULL)
    show_pay_error (self, error);
  else
    g_debug ("payment %" G_GINT64_FORMAT " ended %s", outcome->payment_id,
             till_payment_state_to_string (outcome->state));
  pay_ended (self);
}

static void
pay_native_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PayRequest) request = user_data;
  TillCashierWindow *self = request->self;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = till_payment_service_pay_native_finish (TILL_PAYMENT_SERVICE (object), result,
                                                    &error);
  if (outcome == NULL)
    show_pay_error (self, error);
  else
    {
      self->shown_payment_id = outcome->payment_id;
      self->shown_method = TILL_PAYMENT_METHOD_WECHAT_NATIVE;
      if (outcome->code_url != NULL && self->sale == request->sale)
        {
          set_code_url (self, outcome->code_url);
          till_cashier_window_show_message (self, TILL_MESSAGE_INFO,
                                            _("请顾客用微信扫顾客屏上的二维码 · Ask the customer to scan the QR code on the customer display (Esc / F10 cancels)"));
        }
    }
  pay_ended (self);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PayRequest) request = user_data;
  TillCashierWindow *self = request->self;
  g_autofree PrepareResult *r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  TillPaymentService *service;

  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (r == NULL)
    {
      self->pay_starting = FALSE;
      show_pay_error (self, error);
      pay_ended (self);
      return;
    }
  if (self->sale != request->sale
      || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN)
    {
      self->pay_starting = FALSE;
      pay_ended (self);
      return;
    }
  if (till_sale_get_id (self->sale) == 0)
    till_sale_set_id (self->sale, r->sale_id);
  self->due_fen = r->due_fen;

  service = till_context_get_payment_service (self->context);
  if (service == NULL || !till_context_can_take_electronic (self->context, &why))
    {
      if (why == NULL)
        why = g_strdup (_("电子支付未配置，请收现金 · Electronic payment is not configured — take cash"));
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, why);
      pay_ended (self);
      return;
    }
  if (r->due_fen <= 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("没有待付金额 Nothing is due on this sale"));
      pay_ended (self);
      return;
    }

  if (request->native)
    till_payment_service_pay_native_async (service, r->sale_id, r->due_fen, self->cancellable,
                                           pay_native_cb, g_steal_pointer (&request));
  else
    {
      /* The request goes with the call: take what the call needs first. */
      const char *auth_code = request->auth_code;
      PayRequest *owned = g_steal_pointer (&request);

      till_payment_service_pay_code_async (service, r->sale_id, r->due_fen, auth_code,
                                           self->cancellable, pay_code_cb, owned);
    }
}

/* Checks shared by code pay and Native; starts the payment of the amount due. */
static void
start_payment (TillCashierWindow *self,
               const char        *auth_code,
               gboolean           native)
{
  g_autofree char *why = NULL;
  PayRequest *request;
  PrepareData *pd;

  if (self->sale == NULL || till_sale_get_state (self->sale) != TILL_SALE_STATE_OPEN
      || till_sale_get_total_fen (self->sale) <= 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("没有待付金额 Nothing to pay — scan the goods first (未作更改 nothing changed)"));
      return;
    }
  if (self->pay_starting || self->live_payment_id != 0)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("这一单正在付款，请等待结果 · A payment for this sale is still in progress — wait for it (not charged again)"));
      return;
    }
  if (self->busy)
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("请稍候 Please wait — the sale is being closed"));
      return;
    }
  if (!till_context_can_take_electronic (self->context, &why))
    {
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, why);
      return;
    }

  self->pay_starting = TRUE;
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  self->shown_payment_id = 0;
  update_panel (self);
  _till_cashier_window_update_actions (self);
  _till_cashier_window_notify_payment (self);

  request = g_new0 (PayRequest, 1);
  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->native = native;
  request->auth_code = g_strdup (auth_code);

  pd = g_new0 (PrepareData, 1);
  pd->clone = _till_cashier_window_clone_sale (self->sale);
  pd->cashier = g_strdup (till_context_get_cashier (self->context));
  pd->till_id = g_strdup (till_context_get_till_id (self->context));
  till_store_run_async (till_context_get_store (self->context), prepare_job, pd,
                        prepare_data_free, g_free, self->cancellable, prepare_cb, request);
}

void
_till_cashier_window_payment_code (TillCashierWindow *self,
                                   const TillBarcode *barcode)
{
  if (barcode->kind == TILL_BARCODE_ALIPAY)
    {
      /* Recognised, but there is no Alipay provider yet: say so and change nothing. */
      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                        _("支付宝付款码暂不支持（未配置）· Alipay codes are not supported yet (not configured) — take WeChat Pay or cash; nothing changed"));
      return;
    }
  start_payment (self, barcode->code, FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Cancel                                                                                */

gboolean
_till_cashier_window_cancel_payment (TillCashierWindow *self,
                                     gboolean           quiet)
{
  g_autoptr(GError) error = NULL;
  TillPaymentService *service = till_context_get_payment_service (self->context);

  if (self->live_payment_id == 0)
    {
      if (self->pay_starting && !quiet)
        till_cashier_window_show_message (self, TILL_MESSAGE_ERROR,
                                          _("付款正在发出，请稍候再取消 · The payment is being sent — cancel in a moment"));
      else if (!quiet)
        till_cashier_window_show_message (self, TILL_MESSAGE_INFO,
                                          _("没有进行中的付款 No payment in progress"));
      return self->pay_starting;
    }
  if (service == NULL
      || !till_payment_service_cancel (service, self->live_payment_id, &error))
    {
      g_autofree char *text = g_strdup_printf (_("无法取消 Could not cancel: %s"),
                                               error != NULL ? error->message
                                                             : _("electronic payment is not running"));

      till_cashier_window_show_message (self, TILL_MESSAGE_ERROR, text);
      return TRUE;
    }
  till_cashier_window_show_message (self, TILL_MESSAGE_INFO,
                                    self->shown_method == TILL_PAYMENT_METHOD_WECHAT_NATIVE
                                      ? _("正在关闭订单… · Closing the order…")
                                      : _("正在撤销付款，请勿重复收款 · Reversing the payment — do not charge again"));
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Cash for part of the sale, or the rest after a partial payment                        */

typedef struct
{
  TillSale *clone;
  gint64    amount_fen;
  gint64    tendered_fen;
} CashData;

typedef struct
{
  gint64   sale_id;
  gboolean sale_paid;
} CashResult;

static void
cash_data_free (gpointer data)
{
  CashData *cd = data;

  g_clear_object (&cd->clone);
  g_free (cd);
}

static gpointer
cash_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  CashData *cd = data;
  CashResult *r;

  if (!till_store_add_cash_payment (store, cd->clone, cd->amount_fen, cd->tendered_fen, error))
    return NULL;
  r = g_new0 (CashResult, 1);
  r->sale_id = till_sale_get_id (cd->clone);
  r->sale_paid = till_sale_get_state (cd->clone) == TILL_SALE_STATE_PAID;
  return r;
}

typedef struct
{
  TillCashierWindow *self;
  TillSale          *sale;
  gint64             amount_fen;
  gint64             tendered_fen;
} CashRequest;

static void
cash_request_free (CashRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CashRequest, cash_request_free)

static void
add_cash_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CashRequest) request = user_data;
  TillCashierWindow *self = request->self;
  g_autofree CashResult *r = NULL;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (r == NULL)
    {
      _till_cashier_window_show_error (self, _("收款失败 Could not record the cash payment"),
                                       error);
      _till_cashier_window_update_actions (self);
      return;
    }
  if (self->sale != request->sale)
    return;
  if (till_sale_get_id (self->sale) == 0)
    till_sale_set_id (self->sale, r->sale_id);

  if (r->sale_paid)
    _till_cashier_window_paid (self, request->tendered_fen,
                               request->tendered_fen - request->amount_fen);
  else
    {
      g_autofree char *amount = till_money_format (request->amount_fen);
      g_autofree char *text = g_strdup_printf (_("已收现金 %s Part cash taken — 扫付款码或按 F8 收余款 · scan a payment code or F8 for the rest"),
                                               amount);

      self->paid_fen += request->amount_fen;
      self->due_fen -= request->amount_fen;
      till_cashier_window_show_message (self, TILL_MESSAGE_SUCCESS, text);
    }
  _till_cashier_window_payments_refresh (self);
  _till_cashier_window_update_actions (self);
  _till_cashier_window_focus_code (self);
}

void
_till_cashier_window_add_cash (TillCashierWindow *self,
                               gint64             amount_fen,
                               gint64             tendered_fen)
{
  CashData *cd;
  CashRequest *request;

  g_return_if_fail (self->sale != NULL);

  cd = g_new0 (CashData, 1);
  cd->clone = _till_cashier_window_clone_sale (self->sale);
  cd->amount_fen = amount_fen;
  cd->tendered_fen = tendered_fen;

  request = g_new0 (CashRequest, 1);
  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->amount_fen = amount_fen;
  request->tendered_fen = tendered_fen;

  self->busy = TRUE;
  _till_cashier_window_update_actions (self);
  /* Not cancellable: the cashier has the money in hand. */
  till_store_run_async (till_context_get_store (self->context), cash_job, cd, cash_data_free,
                        g_free, NULL, add_cash_cb, request);
}

void
_till_cashier_window_payments_init (TillCashierWindow *self)
{
  _till_cashier_window_status_init (self);
  update_panel (self);
}

void
_till_cashier_window_payments_dispose (TillCashierWindow *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  if (self->camera != NULL)
    gtk_window_destroy (self->camera);
  g_clear_weak_pointer (&self->camera);
}

/* ------------------------------------------------------------------------------------ */
/* Actions: Native (F7), cancel (F10 / Esc), camera (F9)                                 */

static void
native_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_payment (TILL_CASHIER_WINDOW (widget), NULL, TRUE);
}

static void
cancel_payment_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  _till_cashier_window_cancel_payment (TILL_CASHIER_WINDOW (widget), FALSE);
}

static void
camera_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TillCashierWindow *self = TILL_CASHIER_WINDOW (widget);
  g_autofree char *device = NULL;
  TillCameraPreview *preview;

  if (self->camera != NULL)
    {
      gtk_window_present (self->camera);
      return;
    }
  device = g_settings_get_string (till_context_get_settings (self->context), "camera-device");
  preview = till_camera_preview_new (GTK_WINDOW (self),
                                     till_context_get_scanner_hub (self->context), device);
  g_set_weak_pointer (&self->camera, GTK_WINDOW (preview));
  gtk_window_present (GTK_WINDOW (preview));
}

void
_till_cashier_window_payments_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cashier.customer-scans", NULL,
                                   native_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "cashier.customer-scans",
                                       NULL);

  gtk_widget_class_install_action (widget_class, "cashier.cancel-payment", NULL,
                                   cancel_payment_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "cashier.cancel-payment",
                                       NULL);

  gtk_widget_class_install_action (widget_class, "cashier.camera", NULL, camera_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "cashier.camera", NULL);
}
