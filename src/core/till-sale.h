/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sale (the cart while it is open): a GListModel of TillSaleLine with integer totals.
 * It knows nothing of storage; the store persists it on every "changed" emission. */
#pragma once

#include <gio/gio.h>
#include "till-sale-line.h"
#include "till-sale-member.h"

G_BEGIN_DECLS

typedef enum
{
  TILL_SALE_STATE_OPEN = 0,
  TILL_SALE_STATE_SUSPENDED,
  TILL_SALE_STATE_PAID,
  TILL_SALE_STATE_VOIDED,
  TILL_SALE_STATE_REFUNDED,
} TillSaleState;

/* What a sale sells (schema 18): goods, or money put on a member's card (储值充值). */
typedef enum
{
  TILL_SALE_KIND_GOODS = 0,
  TILL_SALE_KIND_TOPUP,
} TillSaleKind;

const char *till_sale_kind_to_string    (TillSaleKind kind);   /* "goods", "topup" */
gboolean    till_sale_kind_from_string  (const char *text, TillSaleKind *out);

const char *till_sale_state_to_string   (TillSaleState state);
/* The state in words for people ("Paid"), translated. */
const char *till_sale_state_to_label    (TillSaleState state);
gboolean    till_sale_state_from_string (const char *text, TillSaleState *out);

#define TILL_TYPE_SALE (till_sale_get_type ())
G_DECLARE_FINAL_TYPE (TillSale, till_sale, TILL, SALE, GObject)

/* Properties: "id" (gint64, the store's row id, 0 until stored), "number" (string),
 * "state" (TillSaleState as int), "total-fen" (gint64, notify on change),
 * "item-count-milli" (gint64, sum of quantities), "n-lines" (guint).
 * Signal "changed": emitted once after any change of lines, quantities or state, so the
 * owner can persist it. The GListModel items-changed is emitted too. */
TillSale     *till_sale_new                (const char   *number);
/* A deep copy (id, number, state, opened_at and copies of the lines): a snapshot to hand
 * to another thread. Emits nothing. */
TillSale     *till_sale_copy               (TillSale     *self);

gint64        till_sale_get_id             (TillSale     *self);
void          till_sale_set_id             (TillSale     *self,
                                            gint64        id);
const char   *till_sale_get_number         (TillSale     *self);
TillSaleState till_sale_get_state          (TillSale     *self);
void          till_sale_set_state          (TillSale     *self,
                                            TillSaleState state);
gint64        till_sale_get_opened_at      (TillSale     *self);   /* unix µs */
void          till_sale_set_opened_at      (TillSale     *self,
                                            gint64        opened_at_us);
gint64        till_sale_get_total_fen      (TillSale     *self);
gint64        till_sale_get_item_count_milli (TillSale   *self);
/* Items as a customer counts them: a weighed or price-labelled line is one item however
 * heavy; counted lines their quantity rounded up. */
gint64        till_sale_count_items        (TillSale     *self);
TillSaleLine *till_sale_get_line           (TillSale     *self,
                                            guint         position);   /* borrowed */

/* Adds a line. A counted (not weighed, not fixed-total) line of a product already in the
 * sale at the same unit price merges into that line (quantity added) instead; returns the
 * position of the line that was added or changed. Returns G_MAXUINT + error when the total
 * would overflow. Only an OPEN sale can change (TILL_CORE_ERROR_INVALID_ARGUMENT). */
guint         till_sale_add_line           (TillSale     *self,
                                            TillSaleLine *line,
                                            GError      **error);
gboolean      till_sale_set_line_qty       (TillSale     *self,
                                            guint         position,
                                            gint64        qty_milli,
                                            GError      **error);
gboolean      till_sale_remove_line        (TillSale     *self,
                                            guint         position,
                                            GError      **error);
void          till_sale_clear              (TillSale     *self);

/* ---- discounts, price overrides and 抹零 (rules in till-discount.h) ----
 * The sale's total is always the sum of its lines' final amounts: each line's own
 * discount is taken first, then the whole-sale discount (on what the lines come to after
 * their own discounts) and then 抹零 (on what is left) are spread over the lines by
 * largest remainder. Properties (notify): "discount-fen" (the whole-sale discount),
 * "rounding-fen" (what 抹零 cut), "saved-fen" (original prices − total). Only an OPEN
 * sale can change; a refused change leaves the sale as it was. */
gboolean      till_sale_set_line_discount  (TillSale        *self,
                                            guint            position,
                                            TillDiscountKind kind,
                                            gint64           value,
                                            GError         **error);
/* A price override: the line's unit price (its original price is kept). */
gboolean      till_sale_set_line_price     (TillSale        *self,
                                            guint            position,
                                            gint64           unit_price_fen,
                                            GError         **error);
gboolean      till_sale_set_discount       (TillSale        *self,
                                            TillDiscountKind kind,
                                            gint64           value,
                                            GError         **error);
void          till_sale_set_total_rounding (TillSale        *self,
                                            TillTotalRounding rounding);
TillDiscountKind  till_sale_get_discount_kind  (TillSale *self);
gint64            till_sale_get_discount_value (TillSale *self);
gint64            till_sale_get_discount_fen   (TillSale *self);
TillTotalRounding till_sale_get_total_rounding (TillSale *self);
gint64            till_sale_get_rounding_fen   (TillSale *self);
/* The lines after their own discounts, before the sale's discount and 抹零. */
gint64            till_sale_get_net_total_fen  (TillSale *self);
/* The lines at their original prices, before any discount. */
gint64            till_sale_get_original_total_fen (TillSale *self);
gint64            till_sale_get_saved_fen      (TillSale *self);

/* ---- members (issue 16) ----
 * "kind" (TillSaleKind as int), "member" (TillSaleMember, NULL: none) and
 * "topup-bonus-fen" notify when they change; each change emits "changed" too. */
TillSaleKind          till_sale_get_kind            (TillSale             *self);
void                  till_sale_set_kind            (TillSale             *self,
                                                     TillSaleKind          kind);
const TillSaleMember *till_sale_get_member          (TillSale             *self);
/* Copies `member`; NULL takes the member off the sale. */
void                  till_sale_set_member          (TillSale             *self,
                                                     const TillSaleMember *member);
gint64                till_sale_get_member_id       (TillSale             *self);  /* 0: none */
/* The bonus a top-up was rung up with (what the customer was promised). */
gint64                till_sale_get_topup_bonus_fen (TillSale             *self);
void                  till_sale_set_topup_bonus_fen (TillSale             *self,
                                                     gint64                bonus_fen);

/* ---- points redeemed as a discount (rules in till-points.h) ----
 * The points discount comes after the lines' own discounts and the sale's discount, and
 * before 抹零; it is spread over the lines with them (each line's sale-discount share).
 * "points-redeemed" (gint64) and "points-fen" (gint64, the discount they give) notify when
 * they change. A change of the lines that lowers the cap lowers the points to what it
 * allows; a change of member (or none) takes them off. The store turns every change of a
 * sale's points into moves of the member's points ledger. */
/* Redeems `points` (0: none) at `points_per_yuan`, for at most `max_percent` % of the sale;
 * normalized (till_points_normalize). Refused (sale unchanged) unless the sale is open,
 * sells goods, has a member, and the rule is in range; 0 points when the cap allows none
 * is no error: read the points back. */
gboolean              till_sale_set_points          (TillSale             *self,
                                                     gint64                points,
                                                     gint64                points_per_yuan,
                                                     gint64                max_percent,
                                                     GError              **error);
gint64                till_sale_get_points_redeemed (TillSale             *self);
gint64                till_sale_get_points_fen      (TillSale             *self);
gint64                till_sale_get_points_per_yuan (TillSale             *self);
gint64                till_sale_get_points_max_percent (TillSale          *self);
/* The most points a redemption could take now at `points_per_yuan` / `max_percent` (the
 * cap of what the sale comes to before points), and what they would be worth. */
gint64                till_sale_points_redeemable   (TillSale             *self,
                                                     gint64                points_per_yuan,
                                                     gint64                max_percent,
                                                     gint64               *out_fen);

G_END_DECLS
