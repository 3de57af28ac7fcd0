/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: electronic payments of the sale at the counter — a scanned payment code
 * charges the amount due at once, the customer-scans (Native) QR, cancel, split tender
 * with cash — and what is paid and due, read back from the store after every payment
 * event. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-alipay-provider.h"
#include "till-wxpay-provider.h"

/* ------------------------------------------------------------------------------------ */
/* Reading the payments of the sale on the store thread                                  */

typedef struct
{
  gint64             sale_id;
  TillSaleState      sale_state;
  gint64             paid_fen;
  gint64             paid_cash_fen;
  gint64             paid_electronic_fen;
  gint64             due_fen;
  TillPaymentRecord *latest;   /* the newest electronic payment, or NULL */
  gint64             late_payment_id;  /* the newest paid too late (refunded by itself) */
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
  gint64 sale_id = *(gint64 *) data;
  g_autoptr(RefreshResult) r = g_new0 (RefreshResult, 1);
  g_autoptr(GPtrArray) payments = NULL;

  r->sale_id = sale_id;
  if (!till_store_sale_get_state (store, sale_id, &r->sale_state, error))
    return NULL;
  payments = till_store_list_sale_payments (store, sale_id, error);
  if (payments == NULL)
    return NULL;
  for (guint i = 0; i < payments->len; i++)
    {
      TillPaymentRecord *p = g_ptr_array_index (payments, i);

      /* A payment the sale could not take (paid late, refunded by itself) is not the
       * sale's: neither in what is paid nor on show. */
      if (p->unattached)
        {
          r->late_payment_id = MAX (r->late_payment_id, p->id);
          continue;
        }
      if (p->state == TILL_PAYMENT_STATE_PAID && p->method == TILL_PAYMENT_METHOD_CASH)
        r->paid_cash_fen += p->amount_fen;
      else if (p->state == TILL_PAYMENT_STATE_PAID)
        r->paid_electronic_fen += p->amount_fen;
      if (till_payment_method_is_electronic (p->method))
        {
          g_clear_pointer (&r->latest, till_payment_record_free);
          r->latest = till_payment_record_copy (p);
        }
    }
  r->paid_fen = r->paid_cash_fen + r->paid_electronic_fen;
  r->due_fen = till_store_sale_amount_due (store, sale_id, error);
  if (r->due_fen < 0)
    return NULL;
  /* Paid in full while its day was closed (the clock went back): complete it now that a
   * day is open; while it is still closed it waits, covered. */
  if (r->sale_state == TILL_SALE_STATE_OPEN && r->due_fen == 0 && r->paid_fen > 0)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean paid = FALSE;

      if (till_store_sale_complete_if_covered (store, sale_id, &paid, &local_error) && paid)
        r->sale_state = TILL_SALE_STATE_PAID;
      else if (local_error != NULL)
        g_message ("Sale %" G_GINT64_FORMAT " is covered but not completed: %s", sale_id,
                   local_error->message);
    }
  return g_steal_pointer (&r);
}

/* @error: why the payment failed (the provider's code), NULL unless it failed. */
static void
set_pay_state (TillCheckout *self,
               const char   *state,
               const char   *message,
               const char   *error)
{
  if (g_strcmp0 (self->pay_state, state) == 0 && g_strcmp0 (self->pay_message, message) == 0
      && g_strcmp0 (self->pay_error, error) == 0)
    return;
  g_free (self->pay_state);
  self->pay_state = g_strdup (state);
  g_free (self->pay_message);
  self->pay_message = g_strdup (message);
  g_free (self->pay_error);
  self->pay_error = g_strdup (error);
  _till_checkout_notify_payment (self);
}

static void
set_code_url (TillCheckout *self,
              const char   *code_url)
{
  if (g_strcmp0 (self->code_url, code_url) == 0)
    return;
  g_free (self->code_url);
  self->code_url = g_strdup (code_url);
  _till_checkout_notify_payment (self);
}

static gboolean
method_is_qr (TillPaymentMethod method)
{
  return method == TILL_PAYMENT_METHOD_WECHAT_NATIVE || method == TILL_PAYMENT_METHOD_ALIPAY_QR;
}

static gboolean
method_is_alipay (TillPaymentMethod method)
{
  return method == TILL_PAYMENT_METHOD_ALIPAY_CODE || method == TILL_PAYMENT_METHOD_ALIPAY_QR;
}

/* The provider's name for the cashier, both languages. */
static const char *
provider_title (const char *provider_name)
{
  return g_strcmp0 (provider_name, TILL_ALIPAY_PROVIDER_NAME) == 0 ? _("Alipay")
                                                                   : _("WeChat Pay");
}

/* A payment that is not final: on show, with its deadline and QR. */
static void
show_live (TillCheckout            *self,
           const TillPaymentRecord *p)
{
  g_autofree char *message = NULL;

  if (p->method == TILL_PAYMENT_METHOD_WECHAT_NATIVE
      && p->state == TILL_PAYMENT_STATE_USER_PAYING)
    message = g_strdup (_("The customer scans the QR code on the customer display"));
  else if (p->method == TILL_PAYMENT_METHOD_ALIPAY_QR
           && p->state == TILL_PAYMENT_STATE_USER_PAYING)
    message = g_strdup (_("The customer scans the Alipay QR code on the customer display"));
  else
    message = till_payment_service_describe (p->state, p->last_error);
  if (g_strcmp0 (self->pay_state, till_payment_state_to_string (p->state)) != 0)
    _till_checkout_say (self, TILL_MESSAGE_INFO, message);
  /* A payment being reversed is on show but holds nothing up: its money goes back by
   * itself (the outbox sends the reverse when it cannot be sent now), so the cashier can
   * take cash or another payment, void, or go on to the next sale. */
  self->live_payment_id = p->state == TILL_PAYMENT_STATE_REVERSING ? 0 : p->id;
  self->shown_payment_id = p->id;
  self->shown_method = p->method;
  self->pay_deadline_us = p->deadline_at;
  set_pay_state (self, till_payment_state_to_string (p->state), message, NULL);
  if (method_is_qr (p->method) && self->service != NULL)
    {
      g_autofree char *url = till_payment_service_dup_code_url (self->service, p->id);

      if (url != NULL)
        set_code_url (self, url);
    }
}

/* No payment is live: the final state stays on show only for the payment this checkout
 * saw live. */
static void
show_final (TillCheckout            *self,
            const TillPaymentRecord *p)
{
  self->live_payment_id = 0;
  self->pay_deadline_us = 0;
  set_code_url (self, NULL);
  if (p != NULL && p->id == self->shown_payment_id)
    {
      g_autofree char *message = NULL;
      gboolean changed = g_strcmp0 (self->pay_state,
                                    till_payment_state_to_string (p->state)) != 0;

      if (p->state == TILL_PAYMENT_STATE_PAID)
        {
          g_autofree char *amount = till_money_format (p->amount_fen);

          message = method_is_alipay (p->method)
            ? g_strdup_printf (_("Alipay %s — Transaction %s"),
                               amount, p->transaction_id != NULL ? p->transaction_id : "—")
            : g_strdup_printf (_("WeChat Pay %s — Transaction %s"),
                               amount, p->transaction_id != NULL ? p->transaction_id : "—");
        }
      else
        message = till_payment_service_describe (p->state, p->last_error);
      set_pay_state (self, till_payment_state_to_string (p->state), message,
                     p->state == TILL_PAYMENT_STATE_FAILED ? p->last_error : NULL);
      if (changed)
        _till_checkout_say (self,
                            p->state == TILL_PAYMENT_STATE_PAID ? TILL_MESSAGE_SUCCESS
                                                                : TILL_MESSAGE_ERROR,
                            message);
    }
  else if (!self->pay_starting)
    set_pay_state (self, NULL, NULL, NULL);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(RefreshResult) r = NULL;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
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

  if (r->late_payment_id > self->late_payment_said)
    {
      self->late_payment_said = r->late_payment_id;
      _till_checkout_say (self, TILL_MESSAGE_INFO,
                          _("The customer paid after this sale was closed: the money is being "
                            "refunded automatically"));
    }
  self->paid_fen = r->paid_fen;
  self->paid_cash_fen = r->paid_cash_fen;
  self->due_fen = r->due_fen;
  if (r->latest != NULL && !till_payment_state_is_final (r->latest->state))
    show_live (self, r->latest);
  else
    show_final (self, r->latest);

  /* The payment that covered the rest completed the sale in the same transaction. */
  if (r->sale_state == TILL_SALE_STATE_PAID && _till_checkout_sale_open (self))
    {
      g_autofree char *text = NULL;

      _till_checkout_paid (self, -1, -1);
      text = g_strdup_printf (_("Paid — Sale %s. Scan or F12 for the next sale"),
                              till_sale_get_number (self->sale));
      _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
    }

  _till_checkout_notify_payment (self);
}

void
_till_checkout_payments_refresh (TillCheckout *self)
{
  gint64 *sale_id;

  if (self->sale == NULL || till_sale_get_id (self->sale) == 0)
    {
      self->paid_fen = 0;
      self->due_fen = self->sale != NULL ? till_sale_get_total_fen (self->sale) : 0;
      _till_checkout_notify_payment (self);
      return;
    }

  sale_id = g_new (gint64, 1);
  *sale_id = till_sale_get_id (self->sale);
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), refresh_job, sale_id, g_free,
                        refresh_result_free, self->cancellable, refresh_cb,
                        g_object_ref (self));
}

void
_till_checkout_payments_reset (TillCheckout *self)
{
  self->live_payment_id = 0;
  self->shown_payment_id = 0;
  self->paid_fen = 0;
  self->paid_cash_fen = 0;
  self->due_fen = self->sale != NULL ? till_sale_get_total_fen (self->sale) : 0;
  self->pay_deadline_us = 0;
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->pay_error, g_free);
  g_clear_pointer (&self->code_url, g_free);
}

void
_till_checkout_payments_clear_ended (TillCheckout *self)
{
  TillPaymentState state;

  if (self->pay_state == NULL || !till_payment_state_from_string (self->pay_state, &state)
      || !till_payment_state_is_final (state) || state == TILL_PAYMENT_STATE_PAID)
    return;
  self->shown_payment_id = 0;
  set_pay_state (self, NULL, NULL, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Starting a payment                                                                    */

typedef struct
{
  TillSale *snapshot;    /* the cart as it is now */
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

  g_clear_object (&pd->snapshot);
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

  if (till_sale_get_id (pd->snapshot) != 0)
    {
      payments = till_store_list_sale_payments (store, till_sale_get_id (pd->snapshot), error);
      if (payments == NULL)
        return NULL;
    }
  if ((payments == NULL || payments->len == 0)
      && !till_store_save_sale (store, pd->snapshot, pd->cashier, pd->till_id, error))
    return NULL;

  due = till_store_sale_amount_due (store, till_sale_get_id (pd->snapshot), error);
  if (due < 0)
    return NULL;
  r = g_new0 (PrepareResult, 1);
  r->sale_id = till_sale_get_id (pd->snapshot);
  r->due_fen = due;
  return r;
}

typedef struct
{
  TillCheckout *self;
  TillSale     *sale;
  gboolean      native;          /* a QR order the customer scans */
  char         *provider_name;   /* of the QR order */
  char         *auth_code;
} PayRequest;

static void
pay_request_free (PayRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request->provider_name);
  g_free (request->auth_code);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PayRequest, pay_request_free)

static void
pay_ended (TillCheckout *self)
{
  self->pay_starting = FALSE;
  _till_checkout_notify_payment (self);
  _till_checkout_payments_refresh (self);
}

static void
say_pay_error (TillCheckout *self,
               const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the service was rebuilt or the checkout went away; the payment goes on */
  text = g_strdup_printf (_("The payment was not started: %s"), error->message);
  _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
}

static void
pay_code_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PayRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = till_payment_service_pay_code_finish (TILL_PAYMENT_SERVICE (object), result,
                                                  &error);
  if (outcome == NULL)
    say_pay_error (self, error);
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
  TillCheckout *self = request->self;
  g_autoptr(TillPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = till_payment_service_pay_native_finish (TILL_PAYMENT_SERVICE (object), result,
                                                    &error);
  if (outcome == NULL)
    say_pay_error (self, error);
  else
    {
      gboolean alipay = g_strcmp0 (request->provider_name, TILL_ALIPAY_PROVIDER_NAME) == 0;

      self->shown_payment_id = outcome->payment_id;
      self->shown_method = alipay ? TILL_PAYMENT_METHOD_ALIPAY_QR
                                  : TILL_PAYMENT_METHOD_WECHAT_NATIVE;
      if (outcome->code_url != NULL && self->sale == request->sale)
        {
          set_code_url (self, outcome->code_url);
          _till_checkout_say (self, TILL_MESSAGE_INFO,
                              alipay
                                ? _("Ask the customer to scan the Alipay QR code on the customer "
                                    "display (Esc / F10 cancels)")
                                : _("Ask the customer to scan the QR code on the customer "
                                    "display (Esc / F10 cancels)"));
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
  TillCheckout *self = request->self;
  g_autofree PrepareResult *r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  TillPaymentRuntime *runtime;
  TillPaymentService *service;

  _till_checkout_job_ended (self);
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (r == NULL)
    {
      say_pay_error (self, error);
      pay_ended (self);
      return;
    }
  if (self->sale != request->sale || !_till_checkout_sale_open (self))
    {
      pay_ended (self);
      return;
    }
  if (till_sale_get_id (self->sale) == 0)
    till_sale_set_id (self->sale, r->sale_id);
  self->due_fen = r->due_fen;

  runtime = till_context_get_payment_runtime (self->context);
  service = till_payment_runtime_get_payment_service (runtime);
  if (service == NULL || !till_payment_runtime_can_take_electronic (runtime, &why))
    {
      if (why == NULL)
        why = g_strdup (_("Electronic payment is not configured — take cash"));
      _till_checkout_say (self, TILL_MESSAGE_ERROR, why);
      pay_ended (self);
      return;
    }
  if (r->due_fen <= 0)
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR,
                          _("Nothing is due on this sale"));
      pay_ended (self);
      return;
    }

  if (request->native)
    {
      const char *provider_name = request->provider_name;
      PayRequest *owned = g_steal_pointer (&request);

      till_payment_service_pay_qr_async (service, provider_name, r->sale_id, r->due_fen,
                                         self->cancellable, pay_native_cb, owned);
    }
  else
    {
      /* The request goes with the call: take what the call needs first. */
      const char *auth_code = request->auth_code;
      PayRequest *owned = g_steal_pointer (&request);

      till_payment_service_pay_code_async (service, r->sale_id, r->due_fen, auth_code,
                                           self->cancellable, pay_code_cb, owned);
    }
}

/* Refuses a payment of a provider that is not in use at this till (when electronic
 * payment runs at all; otherwise start_payment says why it does not). */
static gboolean
check_provider (TillCheckout *self,
                const char   *provider_name,
                GError      **error)
{
  TillPaymentRuntime *runtime = till_context_get_payment_runtime (self->context);
  const char *problem;
  g_autofree char *text = NULL;
  gboolean alipay = g_strcmp0 (provider_name, TILL_ALIPAY_PROVIDER_NAME) == 0;

  if (till_payment_runtime_get_payment_service (runtime) == NULL
      || till_payment_runtime_get_provider (runtime, provider_name) != NULL)
    return TRUE;
  problem = till_payment_runtime_get_provider_problem (runtime, provider_name);
  g_message ("%s refused: not set up here (%s)", provider_name,
             problem != NULL ? problem : "no settings");
  text = g_strdup_printf (alipay
                            ? _("Alipay is not set up on this till — take %s or cash; nothing was "
                                "charged")
                            : _("WeChat Pay is not set up on this till — take %s or cash; "
                                "nothing was charged"),
                          provider_title (alipay ? TILL_WXPAY_PROVIDER_NAME
                                                 : TILL_ALIPAY_PROVIDER_NAME));
  return _till_checkout_refuse (self, error, text);
}

/* Checks shared by code pay and QR orders; starts the payment of the amount due. */
static gboolean
start_payment (TillCheckout *self,
               const char   *auth_code,
               const char   *qr_provider,
               GError      **error)
{
  gboolean native = auth_code == NULL;
  g_autofree char *why = NULL;
  PayRequest *request;
  PrepareData *pd;

  if (!_till_checkout_sale_open (self) || till_sale_get_total_fen (self->sale) <= 0)
    return _till_checkout_refuse (self, error,
                                  _("Nothing to pay — scan the goods first (nothing changed)"));
  if (self->pay_starting || self->live_payment_id != 0)
    return _till_checkout_refuse (self, error,
                                  _("A payment for this sale is still in progress — wait for it "
                                    "(not charged again)"));
  if (self->busy)
    return _till_checkout_refuse (self, error,
                                  _("Please wait — the sale is being closed"));
  if (!till_payment_runtime_can_take_electronic (till_context_get_payment_runtime (self->context),
                                                 &why))
    return _till_checkout_refuse (self, error, why);

  self->pay_starting = TRUE;
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->pay_error, g_free);
  self->shown_payment_id = 0;
  _till_checkout_notify_payment (self);

  request = g_new0 (PayRequest, 1);
  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->native = native;
  request->provider_name = g_strdup (qr_provider);
  request->auth_code = g_strdup (auth_code);

  pd = g_new0 (PrepareData, 1);
  pd->snapshot = till_sale_copy (self->sale);
  pd->cashier = g_strdup (till_context_get_cashier (self->context));
  pd->till_id = g_strdup (till_context_get_till_id (self->context));
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), prepare_job, pd,
                        prepare_data_free, g_free, self->cancellable, prepare_cb, request);
  return TRUE;
}

gboolean
till_checkout_pay_code (TillCheckout *self,
                        const char   *auth_code,
                        GError      **error)
{
  g_autoptr(TillBarcode) barcode = NULL;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (auth_code != NULL, FALSE);

  barcode = till_barcode_classify (auth_code, NULL);
  if (!till_barcode_kind_is_payment (barcode->kind))
    return _till_checkout_refuse (self, error,
                                  _("This is not a payment code — nothing changed"));
  /* Only codes of a provider this till speaks are sent anywhere; the others are refused
   * here, before any row or request (WeChat Pay would answer a UnionPay code with a
   * PARAM_ERROR, and the customer would read a provider's code). */
  if (barcode->kind != TILL_BARCODE_WECHAT_PAY && barcode->kind != TILL_BARCODE_ALIPAY)
    return _till_checkout_refuse (self, error,
                                  _("UnionPay codes are not accepted at this till — take WeChat Pay, Alipay or cash; nothing was charged"));
  if (!check_provider (self,
                       barcode->kind == TILL_BARCODE_ALIPAY ? TILL_ALIPAY_PROVIDER_NAME
                                                            : TILL_WXPAY_PROVIDER_NAME,
                       error))
    return FALSE;
  return start_payment (self, barcode->code, NULL, error);
}

const char *
till_checkout_get_qr_provider (TillCheckout *self)
{
  TillPaymentRuntime *runtime;
  GPtrArray *providers;
  g_autofree char *chosen = NULL;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);

  runtime = till_context_get_payment_runtime (self->context);
  if (till_payment_runtime_get_payment_service (runtime) == NULL)
    return NULL;
  chosen = g_settings_get_string (till_context_get_settings (self->context), "qr-provider");
  if (till_payment_runtime_get_provider (runtime, chosen) != NULL)
    return g_str_equal (chosen, TILL_ALIPAY_PROVIDER_NAME) ? TILL_ALIPAY_PROVIDER_NAME
                                                           : TILL_WXPAY_PROVIDER_NAME;
  providers = till_payment_runtime_get_providers (runtime);
  return providers->len > 0 ? till_pay_provider_get_name (g_ptr_array_index (providers, 0))
                            : NULL;
}

const char *
till_checkout_get_other_qr_provider (TillCheckout *self)
{
  GPtrArray *providers;
  const char *first;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);

  if ((first = till_checkout_get_qr_provider (self)) == NULL)
    return NULL;
  providers = till_payment_runtime_get_providers (till_context_get_payment_runtime (self->context));
  for (guint i = 0; i < providers->len; i++)
    {
      const char *name = till_pay_provider_get_name (g_ptr_array_index (providers, i));

      if (!g_str_equal (name, first))
        return name;
    }
  return NULL;
}

gboolean
till_checkout_pay_qr (TillCheckout *self,
                      const char   *provider_name,
                      GError      **error)
{
  const char *name;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  name = provider_name != NULL ? provider_name : till_checkout_get_qr_provider (self);
  if (name == NULL)
    name = TILL_WXPAY_PROVIDER_NAME;   /* start_payment says why nothing runs */
  if (!check_provider (self, name, error))
    return FALSE;
  return start_payment (self, NULL, name, error);
}

gboolean
till_checkout_pay_native (TillCheckout *self,
                          GError      **error)
{
  return till_checkout_pay_qr (self, NULL, error);
}

gboolean
till_checkout_cancel_payment (TillCheckout *self,
                              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  TillPaymentService *service;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (self->live_payment_id == 0)
    {
      if (self->pay_starting)
        return _till_checkout_refuse (self, error,
                                      _("The payment is being sent — cancel in a moment"));
      _till_checkout_say (self, TILL_MESSAGE_INFO, _("No payment in progress"));
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                           _("No payment in progress"));
      return FALSE;
    }
  service = till_payment_runtime_get_payment_service (
    till_context_get_payment_runtime (self->context));
  if (service == NULL
      || !till_payment_service_cancel (service, self->live_payment_id, &local_error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not cancel: %s"),
                                               local_error != NULL ? local_error->message
                                                                   : _("electronic payment is not running"));

      return _till_checkout_refuse (self, error, text);
    }
  _till_checkout_say (self, TILL_MESSAGE_INFO,
                      method_is_qr (self->shown_method)
                        ? _("Closing the order…")
                        : _("Reversing the payment — do not charge again"));
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Cash for part of the sale, or the rest after a partial payment                        */

typedef struct
{
  TillSale *snapshot;
  gint64    amount_fen;
  gint64    tendered_fen;
  TillCashRounding rounding;
} CashData;

typedef struct
{
  gint64   sale_id;
  gboolean sale_paid;
  gint64   received_fen;   /* the cash taken: the amount, or the rest rounded */
} CashResult;

static void
cash_data_free (gpointer data)
{
  CashData *cd = data;

  g_clear_object (&cd->snapshot);
  g_free (cd);
}

static gpointer
cash_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  CashData *cd = data;
  CashResult *r;
  gint64 received = 0;

  if (!till_store_add_cash_payment_rounded (store, cd->snapshot, cd->amount_fen,
                                            cd->tendered_fen, cd->rounding, &received, error))
    return NULL;
  r = g_new0 (CashResult, 1);
  r->received_fen = received;
  r->sale_id = till_sale_get_id (cd->snapshot);
  r->sale_paid = till_sale_get_state (cd->snapshot) == TILL_SALE_STATE_PAID;
  return r;
}

typedef struct
{
  TillCheckout *self;
  TillSale     *sale;
  gint64        amount_fen;
  gint64        tendered_fen;
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
  TillCheckout *self = request->self;
  g_autofree CashResult *r = NULL;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (r == NULL)
    {
      _till_checkout_say_error (self, _("Could not record the cash payment"), error);
      return;
    }
  if (self->sale != request->sale)
    return;
  if (till_sale_get_id (self->sale) == 0)
    till_sale_set_id (self->sale, r->sale_id);

  if (r->sale_paid)
    _till_checkout_paid (self, request->tendered_fen,
                         request->tendered_fen - r->received_fen);
  else
    {
      g_autofree char *amount = till_money_format (request->amount_fen);
      g_autofree char *text = g_strdup_printf (_("Part cash of %s taken — scan a payment code or "
                                                 "F8 for the rest"),
                                               amount);

      self->paid_fen += request->amount_fen;
      self->due_fen -= request->amount_fen;
      _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
      _till_checkout_notify_payment (self);
    }
  _till_checkout_payments_refresh (self);
}

void
_till_checkout_add_cash (TillCheckout *self,
                         gint64        amount_fen,
                         gint64        tendered_fen)
{
  CashData *cd;
  CashRequest *request;

  g_assert (self->sale != NULL);

  cd = g_new0 (CashData, 1);
  cd->snapshot = till_sale_copy (self->sale);
  cd->amount_fen = amount_fen;
  cd->tendered_fen = tendered_fen;
  cd->rounding = till_context_get_cash_rounding (self->context);

  request = g_new0 (CashRequest, 1);
  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->amount_fen = amount_fen;
  request->tendered_fen = tendered_fen;

  _till_checkout_set_busy (self, TRUE);
  if (self->paid_fen == 0)
    _till_checkout_save_now (self);
  _till_checkout_job_started (self);
  /* Not cancellable: the cashier has the money in hand. */
  till_store_run_async (till_context_get_store (self->context), cash_job, cd, cash_data_free,
                        g_free, NULL, add_cash_cb, request);
}

/* ------------------------------------------------------------------------------------ */
/* Following the payment service the context runs                                        */

static void
payment_changed_cb (TillPaymentService *service,
                    gint64              payment_id,
                    const char         *state,
                    const char         *message,
                    TillCheckout       *self)
{
  /* The store has the new state: read what belongs to this sale. */
  if (payment_id == self->live_payment_id || self->pay_starting || self->live_payment_id == 0)
    _till_checkout_payments_refresh (self);
}

static void
native_code_cb (TillPaymentService *service,
                gint64              payment_id,
                const char         *code_url,
                TillCheckout       *self)
{
  if (payment_id == self->live_payment_id || self->pay_starting)
    _till_checkout_payments_refresh (self);
}

static void
follow_service (TillCheckout *self)
{
  TillPaymentService *service = till_payment_runtime_get_payment_service (
    till_context_get_payment_runtime (self->context));

  if (service == self->service)
    return;
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_set_object (&self->service, service);
  if (service != NULL)
    {
      g_signal_connect_object (service, "payment-changed", G_CALLBACK (payment_changed_cb),
                               self, 0);
      g_signal_connect_object (service, "native-code", G_CALLBACK (native_code_cb), self, 0);
      _till_checkout_payments_refresh (self);
    }
}

static void
context_notify_cb (GObject      *object,
                   GParamSpec   *pspec,
                   TillCheckout *self)
{
  follow_service (self);
  /* "epay-ready" follows the payment runtime's status and online state. */
  _till_checkout_notify_payment (self);
}

void
_till_checkout_payments_init (TillCheckout *self)
{
  const char *props[] = { "payment-status", "payment-service", "online", "clock-skew-seconds" };

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", props[i], NULL);

      g_signal_connect_object (till_context_get_payment_runtime (self->context), signal,
                               G_CALLBACK (context_notify_cb), self, 0);
    }
  follow_service (self);
}

void
_till_checkout_payments_dispose (TillCheckout *self)
{
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
}
