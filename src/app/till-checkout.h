/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout: the sale at the counter and every command a cashier gives it, without a
 * window. A scanned or typed code becomes a line, a payment or a receipt lookup here; the
 * cart is saved on every change; cash, payment codes, the customer-scans QR (Native), split
 * tender, cancel, void and the next sale are commands; what is paid and due, the payment's
 * state and the words for the cashier and the customer are properties. The cashier's
 * window, the customer display, the receipt printer and the tests all observe or drive
 * this one object.
 *
 * Everything runs on the main context the checkout was made on; store work runs on the
 * store's thread and the network in the payment service, so no command blocks.
 *
 * Properties (read-only, notify):
 *   "context"          TillContext (construct-only)
 *   "sale"             TillSale: the sale at the counter, NULL until it is loaded
 *   "change-fen"       gint64: change given after a cash payment of this sale, -1: none
 *   "tendered-fen"     gint64: cash handed over for it
 *   "payment-state"    string: the store's name of the state of the payment on show
 *                      ("submitting" while it is being begun), NULL: none
 *   "payment-message"  string: plain words for the cashier, in the till's language
 *   "payment-error"    string: the provider's code (or words) of why the payment on show
 *                      failed, NULL: it did not fail (the customer display words it in
 *                      both languages)
 *   "payment-method"   int (TillPaymentMethod) of the payment on show
 *   "payment-deadline" gint64: unix µs when a live payment is given up (0: none)
 *   "code-url"         string: a live Native order's QR content, NULL: none
 *   "due-fen"          gint64: what is still to pay
 *   "paid-fen"         gint64: paid by the payments of this sale so far
 *   "epay-ready"       boolean: a payment code scanned now would be charged
 *   "busy"             boolean: the sale is being closed (cash, void) or a payment begun
 *   "message"          string: the last message for the cashier
 *   "suspended-count"  uint: the suspended sales of this till (挂单)
 *   "member-stored-value-fen" gint64: the stored value (paid + bonus money) on the card of
 *                      the sale's member, as last read; -1: no member
 *   "member-points"    gint64: that member's points; -1: no member
 *
 * Signals:
 *   "message" (int kind, const char *text): a message for the cashier (TillMessageKind);
 *     every refusal of a command is said here too.
 *   "line-added" (guint position): a scan or a typed code added or merged into a line.
 *   "sale-paid" (TillSale *sale): the sale at the counter was just paid in full.
 *   "weight-needed" (TillSaleLine *line): goods sold by weight were typed or scanned without
 *     a weight (their PLU or their own barcode, not a scale label): nothing is added until
 *     till_checkout_give_weight() gives `line` its weight.
 *   "price-needed" (TillSaleLine *line): goods marked "price at the till" were typed or
 *     scanned: nothing is added until till_checkout_give_price() gives `line` its price.
 *   "receipt-scanned" (const char *number, int state): a receipt code of a stored sale was
 *     scanned (state is its TillSaleState); the handler returns TRUE when it took it (e.g.
 *     opened the refunds window); otherwise the checkout describes the sale as a message. */
#pragma once

#include <gio/gio.h>

#include "till-context.h"
#include "till-store-payments.h"
#include "till-return.h"
#include "till-store-suspend.h"
#include "till-people.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_MESSAGE_INFO = 0,
  TILL_MESSAGE_SUCCESS,
  TILL_MESSAGE_ERROR,
} TillMessageKind;

/* What the cashier may do now (the window enables its actions from these). */
typedef enum
{
  TILL_CHECKOUT_CMD_QUANTITY,
  TILL_CHECKOUT_CMD_VOID_LINE,
  TILL_CHECKOUT_CMD_VOID_SALE,
  TILL_CHECKOUT_CMD_CASH,
  TILL_CHECKOUT_CMD_NATIVE,
  TILL_CHECKOUT_CMD_CANCEL_PAYMENT,
  TILL_CHECKOUT_CMD_NEW_SALE,
  TILL_CHECKOUT_CMD_SUSPEND,   /* 挂单: the open sale has goods and no money on it */
  TILL_CHECKOUT_CMD_RESUME,    /* 取单: no payment live, nothing paid of the open sale */
  TILL_CHECKOUT_CMD_DISCOUNT,      /* line and sale discounts, price overrides */
} TillCheckoutCommand;

#define TILL_TYPE_CHECKOUT (till_checkout_get_type ())
G_DECLARE_FINAL_TYPE (TillCheckout, till_checkout, TILL, CHECKOUT, GObject)

/* Loads the till's open sale (or opens a new one) on the store thread. */
TillCheckout *till_checkout_new               (TillContext   *context);
TillContext  *till_checkout_get_context       (TillCheckout  *self);
TillSale     *till_checkout_get_sale          (TillCheckout  *self);
/* The last scanned product barcode that no product has ("add this product"), until a line
 * is added; NULL when none. */
const char   *till_checkout_get_unknown_barcode (TillCheckout *self);
gint64        till_checkout_get_change_fen    (TillCheckout  *self);
gint64        till_checkout_get_tendered_fen  (TillCheckout  *self);
const char   *till_checkout_get_payment_state   (TillCheckout *self);
const char   *till_checkout_get_payment_message (TillCheckout *self);
const char   *till_checkout_get_payment_error (TillCheckout *self);
TillPaymentMethod till_checkout_get_payment_method (TillCheckout *self);
gint64        till_checkout_get_payment_deadline (TillCheckout *self);
const char   *till_checkout_get_code_url      (TillCheckout  *self);
gint64        till_checkout_get_due_fen       (TillCheckout  *self);
gint64        till_checkout_get_paid_fen      (TillCheckout  *self);
gboolean      till_checkout_get_epay_ready    (TillCheckout  *self);
gboolean      till_checkout_get_busy          (TillCheckout  *self);
const char   *till_checkout_get_message       (TillCheckout  *self);
/* Lines may not change: a payment of the sale is live or being recorded (cash, the sale
 * being closed), or part of it is paid. */
gboolean      till_checkout_get_cart_locked   (TillCheckout  *self);
gboolean      till_checkout_can               (TillCheckout  *self,
                                               TillCheckoutCommand command);
/* A payment is being begun, is live (not final) or the sale is being closed: quitting now
 * leaves it to the next start. */
gboolean      till_checkout_get_payment_in_progress (TillCheckout *self);
/* Nothing is in flight: no store job of the checkout, no payment being begun (tests). */
gboolean      till_checkout_is_idle           (TillCheckout  *self);

/* ---- commands ----
 * Each returns FALSE with an error (also said on "message") when refused at once; what
 * happens later is said on "message" and in the properties. */

/* A scanned or typed code: goods, a scale label, a payment code, a receipt code. */
void          till_checkout_enter_code        (TillCheckout  *self,
                                               const char    *code);
/* The quantity of `line` (a line of the sale at the counter). */
gboolean      till_checkout_set_line_qty      (TillCheckout  *self,
                                               TillSaleLine  *line,
                                               gint64         qty_milli,
                                               GError       **error);
gboolean      till_checkout_void_line         (TillCheckout  *self,
                                               TillSaleLine  *line,
                                               GError       **error);
/* The weight of goods asked for by "weight-needed" (`line` is the one it gave): the line
 * goes into the sale. Refused when another code came in between or the weight is not
 * positive. */
gboolean      till_checkout_give_weight       (TillCheckout  *self,
                                               TillSaleLine  *line,
                                               gint64         qty_milli,
                                               GError       **error);
/* Of what is paid, how much in cash (the rest electronically): a void gives it back. */
gint64        till_checkout_get_paid_cash_fen (TillCheckout  *self);
/* Voids the whole open sale (the window asks for confirmation first). What the customer
 * paid of it goes back: cash handed back (the message says how much), codes refunded. */
gboolean      till_checkout_void_sale         (TillCheckout  *self,
                                               GError       **error);
/* Cash for everything due. `due_fen` is the amount the cashier was shown: when it no longer
 * is what is due, nothing is taken. */
gboolean      till_checkout_pay_cash          (TillCheckout  *self,
                                               gint64         due_fen,
                                               gint64         tendered_fen,
                                               GError       **error);
/* Split tender: part of the sale in cash; the rest by a payment code or more cash. */
gboolean      till_checkout_pay_part_cash     (TillCheckout  *self,
                                               gint64         due_fen,
                                               gint64         amount_fen,
                                               GError       **error);
/* A payment code scanned for the amount due. */
gboolean      till_checkout_pay_code          (TillCheckout  *self,
                                               const char    *auth_code,
                                               GError       **error);
/* The customer scans: a QR order whose QR the customer display shows, with the provider
 * named ("wechat": a WeChat Pay Native order, "alipay": an Alipay precreate order) or, for
 * NULL, till_checkout_get_qr_provider(). Refused (nothing stored) when that provider is
 * not set up here. */
gboolean      till_checkout_pay_qr            (TillCheckout  *self,
                                               const char    *provider_name,
                                               GError       **error);
/* till_checkout_pay_qr() with the default provider (F7). */
gboolean      till_checkout_pay_native        (TillCheckout  *self,
                                               GError       **error);
/* The provider F7 uses: the "qr-provider" setting when that provider is set up here, else
 * the first one set up; NULL without electronic payment. */
const char   *till_checkout_get_qr_provider   (TillCheckout  *self);
/* The other provider set up here (Shift+F7), or NULL when there is only one. */
const char   *till_checkout_get_other_qr_provider (TillCheckout *self);
/* Gives up the live payment (reverse / close). */
gboolean      till_checkout_cancel_payment    (TillCheckout  *self,
                                               GError       **error);
/* A product chosen by a search (till-checkout-search.c): added as a scan of its code
 * would add it (looked up again; goods sold by weight ask for their weight). */
gboolean      till_checkout_add_product       (TillCheckout      *self,
                                               const TillProduct *product,
                                               GError           **error);
/* A quick key pressed (till-checkout-quickkey.c): the product `product_id` is read again
 * on the store thread and goes into the sale as till_checkout_add_product() puts it (goods
 * by kg ask for their weight, goods priced at the till for their price); a product no
 * longer sold is said on "message". Refused at once for an id <= 0 and while the cart is
 * locked (a payment in progress or part paid). */
gboolean      till_checkout_add_product_id    (TillCheckout      *self,
                                               gint64             product_id,
                                               GError           **error);
/* The next sale, once this one is paid or voided. */
gboolean      till_checkout_new_sale          (TillCheckout  *self,
                                               GError       **error);

/* ---- returns without a receipt (till-checkout-return.c) ----
 * A manager-approved return of goods with no sale to link it to, paid back in cash. */
/* Refused (FALSE, error, said on "message") while a payment of the sale at the counter is
 * being begun or is live, or the sale is being closed. */
gboolean      till_checkout_can_return        (TillCheckout  *self,
                                               GError       **error);
/* Looks `code` up as the counter does (barcode, PLU, scale label): a TillReturn with one
 * line at the product's current price (a scale label's weight; otherwise 1 piece or 1 kg,
 * which the person changes). TILL_STORE_ERROR_NOT_FOUND with words for the person. */
void          till_checkout_return_lookup_async  (TillCheckout        *self,
                                                  const char          *code,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
TillReturn   *till_checkout_return_lookup_finish (TillCheckout        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Records `draft` (its lines and reason) approved by `manager`, with the cashier on the
 * till, the till id and the cash rounding rule (till_store_return_record()); says "Return
 * … recorded: hand back ¥…" or why not on "message". The stored return, or NULL + error. */
void          till_checkout_record_return_async  (TillCheckout        *self,
                                                  const TillReturn    *draft,
                                                  const char          *manager,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
TillReturn   *till_checkout_record_return_finish (TillCheckout        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* ---- members (till-checkout-member.c) ----
 * The member of a sale is on the TillSale ("member"); these put one there. A scanned
 * member code goes through till_checkout_enter_code() like any code. */
/* Finds the member by a member code or a mobile number (any form till-phone reads) and
 * puts them on the open sale (on the next one when the counter shows a closed sale); says
 * who, with the masked phone, the stored value and the points. Refused while money is
 * being taken for the sale. */
gboolean      till_checkout_find_member       (TillCheckout  *self,
                                               const char    *code_or_phone,
                                               GError       **error);
/* The same for a member picked from a list (a name search). */
gboolean      till_checkout_attach_member_id  (TillCheckout  *self,
                                               gint64         member_id,
                                               GError       **error);
gboolean      till_checkout_detach_member     (TillCheckout  *self,
                                               GError       **error);
gint64        till_checkout_get_member_stored_value_fen (TillCheckout *self);
gint64        till_checkout_get_member_points (TillCheckout  *self);
/* A top-up (充值) of amount_fen on the card of the sale's member: the open, empty sale
 * becomes a top-up with one line and the bonus of the best active rule (充 200 送 20), then
 * is paid as any sale — cash, a payment code, the QR, split — and the store credits the
 * card in the transaction that makes it paid, once. At most ¥5,000. */
gboolean      till_checkout_begin_topup       (TillCheckout  *self,
                                               gint64         amount_fen,
                                               GError       **error);
/* Stored value as a tender: amount_fen (at most what is due; `due_fen` is the amount the
 * cashier was shown) from the card of the sale's member, confirmed by the member with the
 * last four digits of their phone. The rest, if any, is paid by another method. */
gboolean      till_checkout_pay_stored_value  (TillCheckout  *self,
                                               gint64         due_fen,
                                               gint64         amount_fen,
                                               const char    *confirmation,
                                               GError       **error);
/* ---- points redeemed as a discount (till-checkout-points.c) ----
 * `points` of the sale's member off their goods sale at the "points-redeem-rate" setting,
 * for at most "points-redeem-max-percent" % of the sale (till-points.h). More points than
 * the sale holds need the member's confirmation (as stored value does) and are checked
 * against the balance in the database; fewer (0: none) go back to the member at once.
 * Refused once part of the sale is paid or a payment is live. The sale's
 * "points-redeemed" and "points-fen" say what it holds. */
gboolean      till_checkout_redeem_points     (TillCheckout  *self,
                                               gint64         points,
                                               const char    *confirmation,
                                               GError       **error);
/* The most points the sale's member could redeem on it now (their points, and the cap),
 * and what they are worth; 0 when none. */
gint64        till_checkout_get_points_redeemable (TillCheckout *self,
                                                   gint64       *out_fen);
/* ---- 挂单 / 取单 (till-checkout-suspend.c) ---- */
guint         till_checkout_get_suspended_count (TillCheckout *self);
/* Suspends the open sale (its number, lines and cashier are kept in the database) and
 * opens the next one. Refused for an empty cart, while a payment is live or being begun,
 * or when part of the sale is paid. */
gboolean      till_checkout_suspend_sale      (TillCheckout  *self,
                                               GError       **error);
/* Makes the suspended sale `sale_id` the sale at the counter, with its own number, lines
 * and prices. An open sale with goods is suspended in its place in the same transaction
 * (the cashier asked for the other customer's sale: this one's goods are kept, not
 * lost); an empty one is dropped. Refused while a payment is live or part of the open
 * sale is paid. */
gboolean      till_checkout_resume_sale       (TillCheckout  *self,
                                               gint64         sale_id,
                                               GError       **error);
/* Voids a suspended sale (audited as any void). */
gboolean      till_checkout_void_suspended    (TillCheckout  *self,
                                               gint64         sale_id,
                                               GError       **error);
/* The suspended sales of this till, newest first (array of TillSuspendedSale*). */
void          till_checkout_list_suspended_async  (TillCheckout       *self,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
GPtrArray    *till_checkout_list_suspended_finish (TillCheckout       *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
/* ---- discounts, price overrides, open prices (till-checkout-discount.c) ----
 * Refused while the cart is locked. `manager` is the one who approved with a PIN
 * (till_people_approve(), NULL: none): needed above the `discount-limit` setting, for any
 * price override and for an open price that differs from a catalog price; without one the
 * command fails with TILL_STORE_ERROR_DENIED. Each change is an audit row. */
/* The discount-limit setting, in basis points (1000 = 10 %). */
gint64        till_checkout_get_discount_limit (TillCheckout *self);
/* Whether that discount of `line` (NULL: the whole sale) needs a manager. */
gboolean      till_checkout_discount_needs_approval (TillCheckout    *self,
                                                     TillSaleLine    *line,
                                                     TillDiscountKind kind,
                                                     gint64           value);
/* Whether a price for `line` (at the counter, or given by "price-needed") needs one. */
gboolean      till_checkout_price_needs_approval (TillCheckout   *self,
                                                  TillSaleLine   *line);
/* TILL_DISCOUNT_NONE takes the discount off. */
gboolean      till_checkout_discount_line     (TillCheckout     *self,
                                               TillSaleLine     *line,
                                               TillDiscountKind  kind,
                                               gint64            value,
                                               const TillPerson *manager,
                                               GError          **error);
gboolean      till_checkout_discount_sale     (TillCheckout     *self,
                                               TillDiscountKind  kind,
                                               gint64            value,
                                               const TillPerson *manager,
                                               GError          **error);
gboolean      till_checkout_override_price    (TillCheckout     *self,
                                               TillSaleLine     *line,
                                               gint64            unit_price_fen,
                                               const TillPerson *manager,
                                               GError          **error);
/* The price of goods asked for by "price-needed" (`line` is the one it gave): the line goes
 * into the sale (after its weight, for goods by kg without a scale label). */
gboolean      till_checkout_give_price        (TillCheckout     *self,
                                               TillSaleLine     *line,
                                               gint64            unit_price_fen,
                                               const TillPerson *manager,
                                               GError          **error);

G_END_DECLS
