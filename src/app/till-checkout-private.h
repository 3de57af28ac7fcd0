/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between till-checkout.c (the object, the sale, its lines, cash and void) and its
 * parts: till-checkout-scan.c (codes into lines), till-checkout-payments.c (electronic
 * payments) and till-checkout-discount.c (discounts, overrides, open prices). The parts call into till-checkout.c only. */
#pragma once

#include <glib/gi18n.h>

#include "till-checkout.h"
#include "till-payment-service.h"

G_BEGIN_DECLS

struct _TillCheckout
{
  GObject             parent_instance;

  TillContext        *context;
  TillSale           *sale;
  char               *unknown_barcode;  /* the last scanned barcode no product has */
  GCancellable       *cancellable;
  char               *message;
  gint64              change_fen;        /* -1: no change to show */
  gint64              tendered_fen;
  gboolean            number_requested;  /* a job is allocating the next sale number */
  gboolean            quiet_next_sale;   /* the next sale opens without its own message */
  gboolean            busy;              /* a payment or void is being written */
  gboolean            resuming;          /* a resume is under way: the cart at the counter is
                                          * the store's to suspend or drop, never saved again */
  gboolean            resume_unsaved;    /* ... and it changed meanwhile (saved if refused) */
  guint               jobs;              /* store jobs in flight (is_idle) */
  GPtrArray          *pending_lines;     /* lines waiting for the next sale to open */
  TillSaleLine       *weighing;          /* goods waiting for their weight, or NULL */
  TillSaleLine       *pricing;           /* open-price goods waiting for their price, or NULL */
  gboolean            pricing_weigh;     /* ... and then for their weight */

  /* Electronic payments of the sale at the counter (till-checkout-payments.c) */
  TillPaymentService *service;           /* the one the signals are connected to */
  gboolean            pay_starting;      /* a payment is being prepared or begun */
  gint64              live_payment_id;   /* a payment of this sale not final yet, or 0 */
  gint64              shown_payment_id;  /* the payment whose state is on show, or 0 */
  TillPaymentMethod   shown_method;
  char               *pay_state;         /* store name of its state, NULL: none */
  char               *pay_message;       /* plain words for the cashier */
  char               *pay_error;         /* why the payment on show failed (a code), or NULL */
  char               *code_url;          /* a live Native order's QR content */
  gint64              pay_deadline_us;
  gint64              paid_fen;          /* paid payments of this sale */
  gint64              paid_cash_fen;     /* of which in cash */
  gint64              late_payment_said; /* the last payment paid too late announced */
  gint64              due_fen;           /* what is still to pay */

  /* 挂单 / 取单 (till-checkout-suspend.c) */
  guint               n_suspended;       /* suspended sales of this till */

  /* Members (till-checkout-member.c): the balances of the sale's member, -1: none */
  gint64              member_stored_value_fen;
  gint64              member_points;
  /* the points the sale held when it was last saved: a change reads the balance again */
  gint64              points_saved;
  /* ... and the prices of their level: product id → member price, the level's percent
   * off (basis points) for goods without one; NULL / 0: none */
  GHashTable         *member_prices;
  gint64              member_discount_bp;
};

/* The most one top-up puts on a card: ¥5,000, the cap of a named single-purpose prepaid
 * card in China (单用途商业预付卡, 记名卡). */
#define TILL_CHECKOUT_MAX_TOPUP_FEN G_GINT64_CONSTANT (500000)

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_LINE_ADDED,
  SIGNAL_SALE_PAID,
  SIGNAL_RECEIPT_SCANNED,
  SIGNAL_WEIGHT_NEEDED,
  SIGNAL_PRICE_NEEDED,
  N_SIGNALS
};

extern guint till_checkout_signals[N_SIGNALS];

/* till-checkout.c */
void      _till_checkout_say              (TillCheckout  *self,
                                           TillMessageKind kind,
                                           const char    *text);
/* Says "prefix: error" as an error and logs it. */
void      _till_checkout_say_error        (TillCheckout  *self,
                                           const char    *prefix,
                                           const GError  *error);
/* Refuses a command: *error and the message. Returns FALSE. */
gboolean  _till_checkout_refuse           (TillCheckout  *self,
                                           GError       **error,
                                           const char    *text);
void      _till_checkout_notify_payment   (TillCheckout  *self);
gboolean  _till_checkout_sale_open        (TillCheckout  *self);
void      _till_checkout_job_started      (TillCheckout  *self);
void      _till_checkout_job_ended        (TillCheckout  *self);
void      _till_checkout_add_line         (TillCheckout  *self,
                                           TillSaleLine  *line);
/* A line for the sale at the counter when it is open; queued for the next sale when one
 * is being opened; else opens one (new_sale, from a lookup job, may already be made). */
void      _till_checkout_take_line        (TillCheckout  *self,
                                           TillSaleLine  *line,
                                           TillSale      *new_sale);
/* A new open sale with the till's next number; runs on the store thread. */
TillSale *_till_checkout_make_new_sale    (TillStore     *store,
                                           const char    *till_id,
                                           GError       **error);
/* Goods sold by weight without a weight: asks for it (the sale opened for them, if any, is
 * put at the counter first). */
void      _till_checkout_ask_weight       (TillCheckout  *self,
                                           TillSaleLine  *line,
                                           TillSale      *new_sale);
/* The sale at the counter was paid in full: tendered_fen < 0 when electronically. */
void      _till_checkout_paid             (TillCheckout  *self,
                                           gint64         tendered_fen,
                                           gint64         change_fen);
void      _till_checkout_set_busy         (TillCheckout  *self,
                                           gboolean       busy);
/* Saves the open sale now (queued before whatever store job follows), recording the
 * cashier who works the till at this moment: the one who takes the money is the one the
 * receipt names. */
void      _till_checkout_save_now         (TillCheckout  *self);

/* Puts `sale` at the counter (a resumed sale). */
void      _till_checkout_put_sale         (TillCheckout  *self,
                                           TillSale      *sale);
/* Asks for the next sale (its number) without a message of its own. */
void      _till_checkout_next_sale_quietly (TillCheckout *self);
gboolean  _till_checkout_payment_live     (TillCheckout  *self);
gboolean  _till_checkout_has_lines        (TillCheckout  *self);
void      _till_checkout_set_suspended_count (TillCheckout *self,
                                              guint         n);

/* till-checkout-suspend.c */
/* Counts the suspended sales again (at start, after every command on them). */
void      _till_checkout_suspend_refresh  (TillCheckout  *self);
gboolean  _till_checkout_suspend_can      (TillCheckout  *self,
                                           TillCheckoutCommand command);
/* Puts a sale a lookup job opened at the counter (no line yet). */
void      _till_checkout_open_sale        (TillCheckout  *self,
                                           TillSale      *new_sale);

/* till-checkout-discount.c */
/* A sale put at the counter: an empty open one takes the total-rounding setting. */
void      _till_checkout_discount_sale_set (TillCheckout *self,
                                            TillSale     *sale);
/* Open-price goods: asks for the price ("price-needed"); `weigh`: then for the weight. */
void      _till_checkout_ask_price        (TillCheckout  *self,
                                           TillSaleLine  *line,
                                           TillSale      *new_sale,
                                           gboolean       weigh);

/* till-checkout-scan.c */
void      _till_checkout_route            (TillCheckout  *self,
                                           const char    *code);

/* A command's store job on behalf of the sale at the counter: its answer is for that sale
 * only (self->sale == sale), with one figure of the command (an amount, points). */
typedef struct
{
  TillCheckout *self;
  TillSale     *sale;
  gint64        value;
} TillCheckoutSaleRequest;

TillCheckoutSaleRequest *_till_checkout_sale_request_new  (TillCheckout            *self,
                                                           gint64                   value);
void                     _till_checkout_sale_request_free (TillCheckoutSaleRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillCheckoutSaleRequest, _till_checkout_sale_request_free)

/* A member's command the store refused (a wrong confirmation, a locked card, not enough on
 * it) is said as it is; anything else as "prefix: error", logged. */
void      _till_checkout_say_member_error (TillCheckout  *self,
                                           const char    *prefix,
                                           const GError  *error);

/* till-checkout-member.c */
/* Reads the balances of the sale's member again (none: -1), and their level's prices. */
void      _till_checkout_member_refresh   (TillCheckout  *self);
/* A line about to go into the sale of a member: the member price of its level (below the
 * catalog's; never for a price typed at the till, a scale label or a price override). */
void      _till_checkout_member_price_line (TillCheckout *self,
                                            TillSaleLine *line);
void      _till_checkout_member_dispose   (TillCheckout  *self);

/* till-checkout.c: the open sale is a top-up with its line: nothing is added, changed,
 * discounted or voided line by line (TOPUP_FIXED says why) */
gboolean  _till_checkout_is_topup         (TillCheckout  *self);
const char *_till_checkout_topup_fixed    (void);
#define TOPUP_FIXED (_till_checkout_topup_fixed ())

/* till-checkout.c: "member-stored-value-fen" and "member-points" changed */
void      _till_checkout_notify_member    (TillCheckout  *self);

/* till-checkout-payments.c */
void      _till_checkout_payments_init    (TillCheckout  *self);
void      _till_checkout_payments_dispose (TillCheckout  *self);
/* Forgets the payment on show (a new sale is at the counter). */
void      _till_checkout_payments_reset   (TillCheckout  *self);
/* A failed, reversed or closed payment stops being on show: the sale moved on (a line,
 * another tender, paid). A live or paid one stays. */
void      _till_checkout_payments_clear_ended (TillCheckout *self);
/* Reloads the payments of the sale at the counter from the store. */
void      _till_checkout_payments_refresh (TillCheckout  *self);
/* Part cash, or the rest in cash after a partial payment. */
void      _till_checkout_add_cash         (TillCheckout  *self,
                                           gint64         amount_fen,
                                           gint64         tendered_fen);

G_END_DECLS
