/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: the sale at the counter, its lines, the next sale, cash and void; the
 * GObject with its properties and signals. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-store-refunds.h"
#include "till-clock.h"

G_DEFINE_FINAL_TYPE (TillCheckout, till_checkout, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SALE,
  PROP_CHANGE_FEN,
  PROP_TENDERED_FEN,
  PROP_PAYMENT_STATE,
  PROP_PAYMENT_MESSAGE,
  PROP_PAYMENT_ERROR,
  PROP_PAYMENT_METHOD,
  PROP_PAYMENT_DEADLINE,
  PROP_CODE_URL,
  PROP_DUE_FEN,
  PROP_PAID_FEN,
  PROP_EPAY_READY,
  PROP_BUSY,
  PROP_MESSAGE,
  PROP_SUSPENDED_COUNT,
  PROP_MEMBER_STORED_VALUE_FEN,
  PROP_MEMBER_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint till_checkout_signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------ */
/* Messages                                                                              */

void
_till_checkout_say (TillCheckout   *self,
                    TillMessageKind kind,
                    const char     *text)
{
  g_free (self->message);
  self->message = g_strdup (text);
  if (kind == TILL_MESSAGE_ERROR)
    g_message ("cashier: %s", text);
  g_signal_emit (self, till_checkout_signals[SIGNAL_MESSAGE], 0, (int) kind, text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
_till_checkout_say_error (TillCheckout *self,
                          const char   *prefix,
                          const GError *error)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%s: %s", prefix, error != NULL ? error->message : _("unknown error"));
  _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
}

gboolean
_till_checkout_refuse (TillCheckout *self,
                       GError      **error,
                       const char   *text)
{
  _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
  g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE, text);
  return FALSE;
}

/* ------------------------------------------------------------------------------------ */
/* State                                                                                 */

gboolean
_till_checkout_sale_open (TillCheckout *self)
{
  return self->sale != NULL && till_sale_get_state (self->sale) == TILL_SALE_STATE_OPEN;
}

static gboolean
has_lines (TillCheckout *self)
{
  return self->sale != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sale)) > 0;
}

static gboolean
payment_live (TillCheckout *self)
{
  return self->pay_starting || self->live_payment_id != 0;
}

gboolean
till_checkout_get_cart_locked (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), TRUE);
  /* Busy: cash is being recorded (part cash too, before paid_fen says so) or the sale
   * closed; the store takes the cart as it was when the cashier took the money. */
  return payment_live (self) || self->busy || self->paid_fen > 0;
}

const char *
_till_checkout_topup_fixed (void)
{
  return _("This sale is a top-up: take its money, or void it (F4) to sell goods");
}

gboolean
_till_checkout_is_topup (TillCheckout *self)
{
  return _till_checkout_sale_open (self) && till_sale_get_kind (self->sale) == TILL_SALE_KIND_TOPUP
         && has_lines (self);
}

gboolean
till_checkout_can (TillCheckout       *self,
                   TillCheckoutCommand command)
{
  gboolean open;
  gboolean idle;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  open = _till_checkout_sale_open (self);
  idle = !self->busy && !payment_live (self);
  switch (command)
    {
    case TILL_CHECKOUT_CMD_QUANTITY:
    case TILL_CHECKOUT_CMD_VOID_LINE:
    case TILL_CHECKOUT_CMD_DISCOUNT:
      return open && has_lines (self) && !self->busy && !till_checkout_get_cart_locked (self)
             && !_till_checkout_is_topup (self);
    case TILL_CHECKOUT_CMD_VOID_SALE:
    case TILL_CHECKOUT_CMD_CASH:
      return open && has_lines (self) && idle;
    case TILL_CHECKOUT_CMD_NATIVE:
      return open && has_lines (self) && idle
             && till_payment_runtime_get_payment_service (
                  till_context_get_payment_runtime (self->context)) != NULL;
    case TILL_CHECKOUT_CMD_CANCEL_PAYMENT:
      /* A payment being reversed is already being cancelled. */
      return self->live_payment_id != 0 && g_strcmp0 (self->pay_state, "reversing") != 0;
    case TILL_CHECKOUT_CMD_NEW_SALE:
      return idle;
    case TILL_CHECKOUT_CMD_SUSPEND:
    case TILL_CHECKOUT_CMD_RESUME:
      return _till_checkout_suspend_can (self, command);
    default:
      return FALSE;
    }
}

gboolean
_till_checkout_payment_live (TillCheckout *self)
{
  return payment_live (self);
}

gboolean
_till_checkout_has_lines (TillCheckout *self)
{
  return has_lines (self);
}

void
_till_checkout_set_suspended_count (TillCheckout *self,
                                    guint         n)
{
  if (self->n_suspended == n)
    return;
  self->n_suspended = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUSPENDED_COUNT]);
}

gboolean
till_checkout_get_payment_in_progress (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  return payment_live (self) || self->busy;
}

gboolean
till_checkout_is_idle (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  return self->jobs == 0 && !self->pay_starting && !self->busy && !self->number_requested;
}

void
_till_checkout_job_started (TillCheckout *self)
{
  self->jobs++;
}

void
_till_checkout_job_ended (TillCheckout *self)
{
  g_assert (self->jobs > 0);
  self->jobs--;
}

void
_till_checkout_set_busy (TillCheckout *self,
                         gboolean      busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_till_checkout_notify_payment (TillCheckout *self)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  g_object_notify_by_pspec (object, properties[PROP_PAYMENT_STATE]);
  g_object_notify_by_pspec (object, properties[PROP_PAYMENT_MESSAGE]);
  g_object_notify_by_pspec (object, properties[PROP_PAYMENT_ERROR]);
  g_object_notify_by_pspec (object, properties[PROP_PAYMENT_METHOD]);
  g_object_notify_by_pspec (object, properties[PROP_PAYMENT_DEADLINE]);
  g_object_notify_by_pspec (object, properties[PROP_CODE_URL]);
  g_object_notify_by_pspec (object, properties[PROP_DUE_FEN]);
  g_object_notify_by_pspec (object, properties[PROP_PAID_FEN]);
  g_object_notify_by_pspec (object, properties[PROP_EPAY_READY]);
  g_object_thaw_notify (object);
}

/* ------------------------------------------------------------------------------------ */
/* The sale at the counter                                                               */

static void
save_sale_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  if (!till_store_save_sale_finish (TILL_STORE (object), result, &error))
    _till_checkout_say_error (self, _("Saving failed: the sale could not be saved"), error);
}

static void
save_sale (TillCheckout *self,
           TillSale     *sale)
{
  _till_checkout_job_started (self);
  till_store_save_sale_async (till_context_get_store (self->context), sale,
                              till_context_get_cashier (self->context),
                              till_context_get_till_id (self->context),
                              NULL, save_sale_cb, g_object_ref (self));
}

void
_till_checkout_save_now (TillCheckout *self)
{
  if (_till_checkout_sale_open (self) && !self->resuming)
    save_sale (self, self->sale);
}

static void
sale_changed_cb (TillSale     *sale,
                 TillCheckout *self)
{
  /* Only the open cart is saved from here; a paid or voided sale was written by the
   * store in the same transaction that closed it. While a resume is under way the store
   * suspends the cart as it was asked (or drops it, empty): a save now would write it
   * again as a second open sale of this till after the resumed one. */
  if (till_sale_get_state (sale) == TILL_SALE_STATE_OPEN && self->resuming)
    self->resume_unsaved = TRUE;
  else if (till_sale_get_state (sale) == TILL_SALE_STATE_OPEN)
    {
      save_sale (self, sale);
      /* the save moved the member's points: their balance on show, read after it */
      if (till_sale_get_points_redeemed (sale) != self->points_saved)
        {
          self->points_saved = till_sale_get_points_redeemed (sale);
          _till_checkout_member_refresh (self);
        }
    }
  _till_checkout_notify_payment (self);
}

static void
sale_total_notify_cb (TillSale     *sale,
                      GParamSpec   *pspec,
                      TillCheckout *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUE_FEN]);
}

static void
till_checkout_set_sale (TillCheckout *self,
                        TillSale     *sale)
{
  if (self->sale == sale)
    return;

  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);
  g_set_object (&self->sale, sale);
  if (sale != NULL)
    _till_checkout_discount_sale_set (self, sale);
  self->change_fen = -1;
  self->tendered_fen = 0;
  self->points_saved = sale != NULL ? till_sale_get_points_redeemed (sale) : 0;
  _till_checkout_payments_reset (self);
  if (sale != NULL)
    {
      g_signal_connect (sale, "changed", G_CALLBACK (sale_changed_cb), self);
      g_signal_connect (sale, "notify::total-fen", G_CALLBACK (sale_total_notify_cb), self);
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENDERED_FEN]);
  _till_checkout_notify_payment (self);
  g_object_thaw_notify (G_OBJECT (self));
  _till_checkout_payments_refresh (self);
  _till_checkout_member_refresh (self);
}

void
_till_checkout_notify_member (TillCheckout *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_STORED_VALUE_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER_POINTS]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_till_checkout_paid (TillCheckout *self,
                     gint64        tendered_fen,
                     gint64        change_fen)
{
  g_autoptr(TillSale) sale = g_object_ref (self->sale);

  self->tendered_fen = MAX (tendered_fen, 0);
  self->change_fen = tendered_fen < 0 ? -1 : change_fen;
  self->due_fen = 0;
  /* An earlier failed code payment is history now: the customer sees "paid" alone. */
  _till_checkout_payments_clear_ended (self);
  till_sale_set_state (self->sale, TILL_SALE_STATE_PAID);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGE_FEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENDERED_FEN]);
  _till_checkout_notify_payment (self);
  g_object_thaw_notify (G_OBJECT (self));

  if (tendered_fen >= 0)
    {
      g_autofree char *change = till_money_format (self->change_fen);
      g_autofree char *text = g_strdup_printf (_("Change %s — Paid. Scan or F12 for the next sale"),
                                               change);

      _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
    }
  g_signal_emit (self, till_checkout_signals[SIGNAL_SALE_PAID], 0, sale);
  /* points earned, stored value spent or topped up: the card as it is now */
  _till_checkout_member_refresh (self);
}

/* ------------------------------------------------------------------------------------ */
/* Lines                                                                                 */

const char *
till_checkout_get_unknown_barcode (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->unknown_barcode;
}

void
_till_checkout_add_line (TillCheckout *self,
                         TillSaleLine *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *qty = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;
  guint pos;

  g_assert (self->sale != NULL);

  if (till_checkout_get_cart_locked (self))
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR,
                          _("The cart is locked: a payment is in progress or part of it is paid "
                            "— nothing added"));
      return;
    }
  if (_till_checkout_is_topup (self))
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR, TOPUP_FIXED);
      return;
    }

  _till_checkout_discount_sale_set (self, self->sale);  /* 抹零 as set when the sale begins */
  _till_checkout_member_price_line (self, line);
  pos = till_sale_add_line (self->sale, line, &error);
  if (pos == G_MAXUINT)
    {
      _till_checkout_say_error (self, _("Could not add the item"), error);
      return;
    }
  _till_checkout_payments_clear_ended (self);

  line = till_sale_get_line (self->sale, pos);
  qty = till_sale_line_format_qty (line);
  amount = till_money_format (till_sale_line_get_line_total_fen (line));
  text = g_strdup_printf (_("Added: %s × %s = %s"),
                          till_sale_line_get_name (line), qty, amount);
  g_clear_pointer (&self->unknown_barcode, g_free);
  g_signal_emit (self, till_checkout_signals[SIGNAL_LINE_ADDED], 0, pos);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
}

static guint
find_line (TillCheckout *self,
           TillSaleLine *line)
{
  guint n;

  if (self->sale == NULL || line == NULL)
    return G_MAXUINT;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sale));
  for (guint i = 0; i < n; i++)
    if (till_sale_get_line (self->sale, i) == line)
      return i;
  return G_MAXUINT;
}

gboolean
till_checkout_set_line_qty (TillCheckout *self,
                            TillSaleLine *line,
                            gint64        qty_milli,
                            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *qty = NULL;
  g_autofree char *text = NULL;
  guint position;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (line == NULL || TILL_IS_SALE_LINE (line), FALSE);

  if (till_checkout_get_cart_locked (self))
    return _till_checkout_refuse (self, error,
                                  _("The cart is locked: a payment is in progress or part of it "
                                    "is paid"));
  if (_till_checkout_is_topup (self))
    return _till_checkout_refuse (self, error, TOPUP_FIXED);
  /* The cart may have changed while the cashier chose: find the line again. */
  position = _till_checkout_sale_open (self) ? find_line (self, line) : G_MAXUINT;
  if (position == G_MAXUINT)
    return _till_checkout_refuse (self, error,
                                  _("The line is no longer in the cart"));

  if (!till_sale_set_line_qty (self->sale, position, qty_milli, &local_error))
    {
      _till_checkout_say_error (self, _("Could not change the quantity"),
                                local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  qty = till_sale_line_format_qty (line);
  text = g_strdup_printf (_("Quantity of %s: %s"), till_sale_line_get_name (line), qty);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  return TRUE;
}

gboolean
till_checkout_void_line (TillCheckout *self,
                         TillSaleLine *line,
                         GError      **error)
{
  g_autoptr(TillSaleLine) keep = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  guint position;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (line == NULL || TILL_IS_SALE_LINE (line), FALSE);

  if (till_checkout_get_cart_locked (self))
    return _till_checkout_refuse (self, error,
                                  _("The cart is locked: a payment is in progress or part of it "
                                    "is paid, so no line can be voided"));
  if (_till_checkout_is_topup (self))
    return _till_checkout_refuse (self, error, TOPUP_FIXED);
  position = _till_checkout_sale_open (self) ? find_line (self, line) : G_MAXUINT;
  if (position == G_MAXUINT)
    return _till_checkout_refuse (self, error, _("Select a line first"));

  keep = g_object_ref (line);  /* the name for the message after the sale drops the line */
  if (!till_sale_remove_line (self->sale, position, &local_error))
    {
      _till_checkout_say_error (self, _("Could not void the line"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  text = g_strdup_printf (_("Voided line: %s"), till_sale_line_get_name (keep));
  _till_checkout_say (self, TILL_MESSAGE_INFO, text);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Opening a sale: the next number, or the open sale at start                            */

typedef struct
{
  TillCheckout *self;        /* owned */
  TillSaleLine *first_line;  /* owned, may be NULL */
} NewSaleRequest;

static void
new_sale_request_free (NewSaleRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->first_line);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NewSaleRequest, new_sale_request_free)

TillSale *
_till_checkout_make_new_sale (TillStore  *store,
                              const char *till_id,
                              GError    **error)
{
  gint64 now = till_clock_now_us ();
  g_autofree char *number = till_store_next_sale_number_for_till (store, till_id, now, error);
  TillSale *sale;

  if (number == NULL)
    return NULL;

  sale = till_sale_new (number);
  till_sale_set_opened_at (sale, now);
  return sale;
}

static gpointer
new_sale_job (TillStore *store,
              gpointer   data,
              GError   **error)
{
  return _till_checkout_make_new_sale (store, data, error);
}

static void
add_pending_lines (TillCheckout *self)
{
  g_autoptr(GPtrArray) lines = g_steal_pointer (&self->pending_lines);

  self->pending_lines = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < lines->len; i++)
    _till_checkout_add_line (self, g_ptr_array_index (lines, i));
}

/* Puts a new sale at the counter with its first line (or the lines scanned meanwhile). */
static void
start_sale (TillCheckout *self,
            TillSale     *sale,
            TillSaleLine *first_line)
{
  till_checkout_set_sale (self, sale);
  if (first_line != NULL)
    _till_checkout_add_line (self, first_line);
  if (self->pending_lines->len > 0)
    add_pending_lines (self);
  else if (first_line == NULL && self->quiet_next_sale)
    self->quiet_next_sale = FALSE;   /* the void's words (money to hand back) stay up */
  else if (first_line == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("New sale %s"),
                                               till_sale_get_number (sale));

      _till_checkout_say (self, TILL_MESSAGE_INFO, text);
    }
}

void
_till_checkout_open_sale (TillCheckout *self,
                          TillSale     *new_sale)
{
  start_sale (self, new_sale, NULL);
}

static void
new_sale_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(NewSaleRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  self->number_requested = FALSE;
  sale = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sale == NULL)
    {
      _till_checkout_say_error (self, _("Could not start a new sale"), error);
      return;
    }

  /* Another job may have opened a sale meanwhile; never throw away an open cart. */
  if (_till_checkout_sale_open (self))
    {
      if (request->first_line != NULL)
        _till_checkout_add_line (self, request->first_line);
      add_pending_lines (self);
      return;
    }

  start_sale (self, sale, request->first_line);
}

static void
request_new_sale (TillCheckout *self,
                  TillSaleLine *first_line)
{
  NewSaleRequest *request = g_new0 (NewSaleRequest, 1);

  request->self = g_object_ref (self);
  request->first_line = first_line != NULL ? g_object_ref (first_line) : NULL;
  self->number_requested = TRUE;
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), new_sale_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free,
                        g_object_unref, self->cancellable, new_sale_cb, request);
}

void
_till_checkout_next_sale_quietly (TillCheckout *self)
{
  self->quiet_next_sale = TRUE;
  if (!self->number_requested)
    request_new_sale (self, NULL);
}

void
_till_checkout_put_sale (TillCheckout *self,
                         TillSale     *sale)
{
  till_checkout_set_sale (self, sale);
  add_pending_lines (self);
}

void
_till_checkout_take_line (TillCheckout *self,
                          TillSaleLine *line,
                          TillSale     *new_sale)
{
  if (_till_checkout_sale_open (self))
    _till_checkout_add_line (self, line);
  else if (new_sale != NULL)
    start_sale (self, new_sale, line);
  else if (self->number_requested)
    g_ptr_array_add (self->pending_lines, g_object_ref (line));
  else
    request_new_sale (self, line);
}

void
_till_checkout_ask_weight (TillCheckout *self,
                           TillSaleLine *line,
                           TillSale     *new_sale)
{
  g_autofree char *text = NULL;

  if (_till_checkout_sale_open (self) && till_checkout_get_cart_locked (self))
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR,
                          _("The cart is locked: a payment is in progress or part of it is paid "
                            "— nothing added"));
      return;
    }
  if (!_till_checkout_sale_open (self) && new_sale != NULL)
    start_sale (self, new_sale, NULL);
  g_set_object (&self->weighing, line);
  text = g_strdup_printf (_("Weigh %s and enter its weight in kg"),
                          till_sale_line_get_name (line));
  _till_checkout_say (self, TILL_MESSAGE_INFO, text);
  g_signal_emit (self, till_checkout_signals[SIGNAL_WEIGHT_NEEDED], 0, line);
}

gboolean
till_checkout_give_weight (TillCheckout *self,
                           TillSaleLine *line,
                           gint64        qty_milli,
                           GError      **error)
{
  g_autoptr(TillSaleLine) taken = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE_LINE (line), FALSE);

  if (self->weighing != line)
    return _till_checkout_refuse (self, error,
                                  _("Another code came in meanwhile: scan or type the goods again"));
  if (!till_sale_line_set_qty_milli (line, qty_milli, &local_error))
    {
      _till_checkout_say_error (self, _("Could not change the quantity"),
                                local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  taken = g_steal_pointer (&self->weighing);
  _till_checkout_take_line (self, taken, NULL);
  return TRUE;
}

static gpointer
load_sale_job (TillStore *store,
               gpointer   data,
               GError   **error)
{
  const char *till_id = data;
  g_autoptr(GError) local_error = NULL;
  TillSale *sale;

  sale = till_store_load_open_sale (store, till_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (sale != NULL)
    return sale;

  return _till_checkout_make_new_sale (store, till_id, error);
}

static void
load_sale_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(TillSale) sale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  _till_checkout_job_ended (self);
  self->number_requested = FALSE;
  sale = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sale == NULL)
    {
      _till_checkout_say_error (self, _("Could not load the open sale"), error);
      return;
    }

  till_checkout_set_sale (self, sale);
  add_pending_lines (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (sale)) > 0)
    text = g_strdup_printf (_("Resumed open sale %s"),
                            till_sale_get_number (sale));
  else
    text = g_strdup_printf (_("Ready — Sale %s"), till_sale_get_number (sale));
  _till_checkout_say (self, TILL_MESSAGE_INFO, text);
}

static void
load_open_sale (TillCheckout *self)
{
  self->number_requested = TRUE;
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), load_sale_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free,
                        g_object_unref, self->cancellable, load_sale_cb, g_object_ref (self));
}

gboolean
till_checkout_new_sale (TillCheckout *self,
                        GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (_till_checkout_sale_open (self))
    {
      if (!has_lines (self))
        {
          _till_checkout_say (self, TILL_MESSAGE_INFO,
                              _("This is already a new sale"));
          return TRUE;
        }
      return _till_checkout_refuse (self, error,
                                    _("Take payment (F8) or void (F4) the current sale first"));
    }
  if (self->busy || payment_live (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment for this sale is in progress — wait for its "
                                    "result"));
  if (!self->number_requested)
    request_new_sale (self, NULL);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Closing the sale on the store thread: cash and void                                   */

typedef struct
{
  TillCheckout *self;
  TillSale     *sale;     /* the sale at the counter when the command was given */
  gint64        tendered_fen;
  gboolean      is_void;
  TillCashRounding rounding;  /* the cash rule the store was given */
} CloseRequest;

static void
close_request_free (CloseRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloseRequest, close_request_free)

static void
close_sale_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CloseRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  if (request->is_void)
    ok = till_store_void_sale_finish (TILL_STORE (object), result, &error);
  else
    ok = till_store_complete_cash_sale_finish (TILL_STORE (object), result, &error);

  if (!ok)
    {
      _till_checkout_say_error (self,
                                request->is_void ? _("Could not void the sale")
                                                 : _("Could not record the cash payment"),
                                error);
      return;
    }
  if (self->sale != request->sale)
    return;

  if (request->is_void)
    {
      g_autofree char *text = g_strdup_printf (_("Sale %s voided"),
                                               till_sale_get_number (self->sale));

      _till_checkout_say (self, TILL_MESSAGE_INFO, text);
      request_new_sale (self, NULL);
    }
  else
    _till_checkout_paid (self, request->tendered_fen,
                         request->tendered_fen
                         - till_money_round_cash (till_sale_get_total_fen (self->sale),
                                                  request->rounding));
}

static void
close_sale (TillCheckout *self,
            gboolean      is_void,
            gint64        tendered_fen)
{
  TillStore *store = till_context_get_store (self->context);
  CloseRequest *request;

  g_assert (self->sale != NULL);

  request = g_new0 (CloseRequest, 1);
  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->tendered_fen = tendered_fen;
  request->rounding = till_context_get_cash_rounding (self->context);
  request->is_void = is_void;

  _till_checkout_set_busy (self, TRUE);
  _till_checkout_save_now (self);
  _till_checkout_job_started (self);
  /* Not cancellable: once the cashier has taken the money it must be written. The store
   * snapshots the sale now, after every save already submitted. */
  if (is_void)
    till_store_void_sale_async (store, self->sale, till_context_get_cashier (self->context),
                                NULL, close_sale_cb, request);
  else
    till_store_complete_cash_sale_rounded_async (store, self->sale, tendered_fen,
                                                 request->rounding, NULL, close_sale_cb,
                                                 request);
}

typedef struct
{
  gint64           sale_id;
  char            *actor;
  TillCashRounding rounding;
} VoidData;

typedef struct
{
  gint64 cash_fen;         /* handed back in cash */
  gint64 electronic_fen;   /* refunded to the customer's account */
  gint64 stored_value_fen; /* back on the member's card */
} VoidResult;

static void
void_data_free (gpointer data)
{
  VoidData *vd = data;

  g_free (vd->actor);
  g_free (vd);
}

static gpointer
void_refunding_job (TillStore *store,
                    gpointer   data,
                    GError   **error)
{
  VoidData *vd = data;
  g_autoptr(GPtrArray) refunds = NULL;
  VoidResult *r;

  refunds = till_store_void_sale_refunding (store, vd->sale_id, vd->actor, vd->rounding,
                                            till_clock_now_us (), error);
  if (refunds == NULL)
    return NULL;
  r = g_new0 (VoidResult, 1);
  for (guint i = 0; i < refunds->len; i++)
    {
      const TillRefundRecord *f = g_ptr_array_index (refunds, i);

      if (f->method == TILL_PAYMENT_METHOD_CASH)
        r->cash_fen += f->amount_fen + f->rounding_fen;
      else if (f->method == TILL_PAYMENT_METHOD_STORED_VALUE)
        r->stored_value_fen += f->amount_fen;
      else
        r->electronic_fen += f->amount_fen;
    }
  return r;
}

static void
void_refunding_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CloseRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autofree VoidResult *r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  TillOutboxWorker *worker;

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (r == NULL)
    {
      _till_checkout_say_error (self, _("Could not void the sale"), error);
      return;
    }
  /* Electronic refunds wait in the outbox: send them now. */
  worker = till_payment_runtime_get_outbox_worker (till_context_get_payment_runtime (self->context));
  if (worker != NULL && r->electronic_fen > 0)
    till_outbox_worker_wake (worker);
  if (self->sale != request->sale)
    return;

  till_sale_set_state (self->sale, TILL_SALE_STATE_VOIDED);
  g_string_printf (text, _("Sale %s voided."), till_sale_get_number (self->sale));
  if (r->cash_fen > 0)
    {
      g_autofree char *cash = till_money_format (r->cash_fen);

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Hand %s in cash back to the customer."), cash);
    }
  if (r->electronic_fen > 0)
    {
      g_autofree char *paid = till_money_format (r->electronic_fen);

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("%s paid by code is refunded to the customer's account."),
                              paid);
    }
  if (r->stored_value_fen > 0)
    {
      g_autofree char *back = till_money_format (r->stored_value_fen);

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("%s is back on the member’s stored value."), back);
    }
  _till_checkout_say (self, TILL_MESSAGE_INFO, text->str);
  self->quiet_next_sale = TRUE;
  request_new_sale (self, NULL);
}

gboolean
till_checkout_void_sale (TillCheckout *self,
                         GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!_till_checkout_sale_open (self) || !has_lines (self))
    return _till_checkout_refuse (self, error,
                                  _("There is no sale to void"));
  if (self->busy || payment_live (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment for this sale is in progress — wait for its "
                                    "result"));
  if (self->paid_fen > 0)
    {
      /* Money was taken: it goes back with the void, in one transaction. */
      CloseRequest *request = g_new0 (CloseRequest, 1);
      VoidData *vd = g_new0 (VoidData, 1);

      request->self = g_object_ref (self);
      request->sale = g_object_ref (self->sale);
      request->is_void = TRUE;
      vd->sale_id = till_sale_get_id (self->sale);
      vd->actor = g_strdup (till_context_get_cashier (self->context));
      vd->rounding = till_context_get_cash_rounding (self->context);
      _till_checkout_set_busy (self, TRUE);
      _till_checkout_job_started (self);
      till_store_run_async (till_context_get_store (self->context), void_refunding_job, vd,
                            void_data_free, g_free, NULL, void_refunding_cb, request);
      return TRUE;
    }
  close_sale (self, TRUE, 0);
  return TRUE;
}

static gboolean
check_cash (TillCheckout *self,
            gint64        due_fen,
            GError      **error)
{
  if (!_till_checkout_sale_open (self) || !has_lines (self))
    return _till_checkout_refuse (self, error, _("The cart is empty"));
  if (self->busy || payment_live (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment for this sale is in progress — wait for its "
                                    "result"));
  if (due_fen != till_checkout_get_due_fen (self))
    return _till_checkout_refuse (self, error,
                                  _("The total changed — press F8 again"));
  return TRUE;
}

/* Cash the till's rule cannot take (a coin below its unit) is refused at once. */
static gboolean
check_cash_unit (TillCheckout *self,
                 gint64        fen,
                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (till_money_check_cash (fen, till_context_get_cash_rounding (self->context), &local_error))
    return TRUE;
  return _till_checkout_refuse (self, error, local_error->message);
}

gboolean
till_checkout_pay_cash (TillCheckout *self,
                        gint64        due_fen,
                        gint64        tendered_fen,
                        GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!check_cash (self, due_fen, error) || !check_cash_unit (self, tendered_fen, error))
    return FALSE;
  _till_checkout_payments_clear_ended (self);

  /* After a partial payment the rest is one more cash payment of the sale. */
  if (self->paid_fen > 0)
    _till_checkout_add_cash (self, due_fen, tendered_fen);
  else
    close_sale (self, FALSE, tendered_fen);
  return TRUE;
}

gboolean
till_checkout_pay_part_cash (TillCheckout *self,
                             gint64        due_fen,
                             gint64        amount_fen,
                             GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!check_cash (self, due_fen, error) || !check_cash_unit (self, amount_fen, error))
    return FALSE;
  _till_checkout_payments_clear_ended (self);
  _till_checkout_add_cash (self, amount_fen, amount_fen);
  return TRUE;
}

void
till_checkout_enter_code (TillCheckout *self,
                          const char   *code)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TILL_IS_CHECKOUT (self));
  g_return_if_fail (code != NULL);

  /* Goods still waiting for their weight or price are dropped by the next code. */
  g_clear_object (&self->weighing);
  g_clear_object (&self->pricing);
  text = g_strstrip (g_strdup (code));
  if (text[0] != '\0')
    _till_checkout_route (self, text);
}

/* ------------------------------------------------------------------------------------ */
/* GObject                                                                               */

static void
till_checkout_constructed (GObject *object)
{
  TillCheckout *self = TILL_CHECKOUT (object);

  G_OBJECT_CLASS (till_checkout_parent_class)->constructed (object);

  g_assert (TILL_IS_CONTEXT (self->context));
  _till_checkout_payments_init (self);
  load_open_sale (self);
  _till_checkout_suspend_refresh (self);
}

static void
till_checkout_dispose (GObject *object)
{
  TillCheckout *self = TILL_CHECKOUT (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sale != NULL)
    g_signal_handlers_disconnect_by_data (self->sale, self);
  _till_checkout_payments_dispose (self);
  _till_checkout_member_dispose (self);
  g_clear_object (&self->sale);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_checkout_parent_class)->dispose (object);
}

static void
till_checkout_finalize (GObject *object)
{
  TillCheckout *self = TILL_CHECKOUT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->unknown_barcode, g_free);
  g_clear_pointer (&self->pending_lines, g_ptr_array_unref);
  g_clear_object (&self->weighing);
  g_clear_object (&self->pricing);
  g_clear_pointer (&self->pay_state, g_free);
  g_clear_pointer (&self->pay_message, g_free);
  g_clear_pointer (&self->pay_error, g_free);
  g_clear_pointer (&self->code_url, g_free);

  G_OBJECT_CLASS (till_checkout_parent_class)->finalize (object);
}

static void
till_checkout_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TillCheckout *self = TILL_CHECKOUT (object);

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
    case PROP_TENDERED_FEN:
      g_value_set_int64 (value, self->tendered_fen);
      break;
    case PROP_PAYMENT_STATE:
      g_value_set_string (value, till_checkout_get_payment_state (self));
      break;
    case PROP_PAYMENT_MESSAGE:
      g_value_set_string (value, self->pay_message);
      break;
    case PROP_PAYMENT_ERROR:
      g_value_set_string (value, self->pay_error);
      break;
    case PROP_PAYMENT_METHOD:
      g_value_set_int (value, self->shown_method);
      break;
    case PROP_PAYMENT_DEADLINE:
      g_value_set_int64 (value, self->pay_deadline_us);
      break;
    case PROP_CODE_URL:
      g_value_set_string (value, self->code_url);
      break;
    case PROP_DUE_FEN:
      g_value_set_int64 (value, till_checkout_get_due_fen (self));
      break;
    case PROP_PAID_FEN:
      g_value_set_int64 (value, self->paid_fen);
      break;
    case PROP_EPAY_READY:
      g_value_set_boolean (value, till_checkout_get_epay_ready (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_SUSPENDED_COUNT:
      g_value_set_uint (value, self->n_suspended);
      break;
    case PROP_MEMBER_STORED_VALUE_FEN:
      g_value_set_int64 (value, self->member_stored_value_fen);
      break;
    case PROP_MEMBER_POINTS:
      g_value_set_int64 (value, self->member_points);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_checkout_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TillCheckout *self = TILL_CHECKOUT (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_checkout_class_init (TillCheckoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = till_checkout_constructed;
  object_class->dispose = till_checkout_dispose;
  object_class->finalize = till_checkout_finalize;
  object_class->get_property = till_checkout_get_property;
  object_class->set_property = till_checkout_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TILL_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SALE] = g_param_spec_object ("sale", NULL, NULL, TILL_TYPE_SALE, ro);
  properties[PROP_CHANGE_FEN] =
    g_param_spec_int64 ("change-fen", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_TENDERED_FEN] =
    g_param_spec_int64 ("tendered-fen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PAYMENT_STATE] =
    g_param_spec_string ("payment-state", NULL, NULL, NULL, ro);
  properties[PROP_PAYMENT_MESSAGE] =
    g_param_spec_string ("payment-message", NULL, NULL, NULL, ro);
  properties[PROP_PAYMENT_ERROR] =
    g_param_spec_string ("payment-error", NULL, NULL, NULL, ro);
  properties[PROP_PAYMENT_METHOD] =
    g_param_spec_int ("payment-method", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_PAYMENT_DEADLINE] =
    g_param_spec_int64 ("payment-deadline", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CODE_URL] = g_param_spec_string ("code-url", NULL, NULL, NULL, ro);
  properties[PROP_DUE_FEN] =
    g_param_spec_int64 ("due-fen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PAID_FEN] =
    g_param_spec_int64 ("paid-fen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_EPAY_READY] = g_param_spec_boolean ("epay-ready", NULL, NULL, FALSE, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_SUSPENDED_COUNT] =
    g_param_spec_uint ("suspended-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_MEMBER_STORED_VALUE_FEN] =
    g_param_spec_int64 ("member-stored-value-fen", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_MEMBER_POINTS] =
    g_param_spec_int64 ("member-points", NULL, NULL, -1, G_MAXINT64, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  till_checkout_signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  till_checkout_signals[SIGNAL_LINE_ADDED] =
    g_signal_new ("line-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  till_checkout_signals[SIGNAL_SALE_PAID] =
    g_signal_new ("sale-paid", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TILL_TYPE_SALE);
  till_checkout_signals[SIGNAL_WEIGHT_NEEDED] =
    g_signal_new ("weight-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TILL_TYPE_SALE_LINE);
  till_checkout_signals[SIGNAL_PRICE_NEEDED] =
    g_signal_new ("price-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TILL_TYPE_SALE_LINE);
  till_checkout_signals[SIGNAL_RECEIPT_SCANNED] =
    g_signal_new ("receipt-scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 2,
                  G_TYPE_STRING, G_TYPE_INT);
}

static void
till_checkout_init (TillCheckout *self)
{
  self->change_fen = -1;
  self->member_stored_value_fen = -1;
  self->member_points = -1;
  self->cancellable = g_cancellable_new ();
  self->pending_lines = g_ptr_array_new_with_free_func (g_object_unref);
}

TillCheckout *
till_checkout_new (TillContext *context)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);
  return g_object_new (TILL_TYPE_CHECKOUT, "context", context, NULL);
}

TillContext *
till_checkout_get_context (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->context;
}

TillSale *
till_checkout_get_sale (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->sale;
}

gint64
till_checkout_get_change_fen (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), -1);
  return self->change_fen;
}

gint64
till_checkout_get_tendered_fen (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  return self->tendered_fen;
}

const char *
till_checkout_get_payment_state (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  if (self->pay_state == NULL && self->pay_starting)
    return "submitting";
  return self->pay_state;
}

const char *
till_checkout_get_payment_message (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->pay_message;
}

const char *
till_checkout_get_payment_error (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->pay_error;
}

TillPaymentMethod
till_checkout_get_payment_method (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), TILL_PAYMENT_METHOD_CASH);
  return self->shown_method;
}

gint64
till_checkout_get_payment_deadline (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  return self->pay_deadline_us;
}

const char *
till_checkout_get_code_url (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->code_url;
}

gint64
till_checkout_get_due_fen (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  if (!_till_checkout_sale_open (self))
    return 0;
  /* Before the first payment the cart may still change: the total is what is due. */
  if (self->paid_fen == 0)
    return till_sale_get_total_fen (self->sale);
  return MAX (self->due_fen, 0);
}

gint64
till_checkout_get_paid_cash_fen (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  return self->paid_cash_fen;
}

gint64
till_checkout_get_paid_fen (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  return self->paid_fen;
}

gboolean
till_checkout_get_epay_ready (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  return till_payment_runtime_can_take_electronic (till_context_get_payment_runtime (self->context),
                                                   NULL)
         && !payment_live (self);
}

gboolean
till_checkout_get_busy (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  return self->busy;
}

const char *
till_checkout_get_message (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), NULL);
  return self->message;
}
