/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout and points redeemed as a discount (issue 16): the member's points take
 * money off their sale at the shop's rate ("points-redeem-rate" points a yuan), for at most
 * "points-redeem-max-percent" % of what the sale comes to after its discounts. The member
 * confirms a redemption as they confirm a payment from their card (till-member-pin.h).
 *
 * The points are held by the sale: the store turns every change of the sale's points into
 * a move of the member's points ledger in the transaction that saves it (a redemption
 * beyond the balance saves nothing), gives them back when the sale is voided, and in
 * proportion to the money a refund gives back. So no command here writes a ledger row. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-member-pin.h"
#include "till-money.h"
#include "till-points.h"
#include "till-store-stored-value.h"

static void
points_rule (TillCheckout *self,
             gint64       *out_rate,
             gint64       *out_max_percent)
{
  GSettings *settings = till_context_get_settings (self->context);

  *out_rate = g_settings_get_uint (settings, "points-redeem-rate");
  *out_max_percent = g_settings_get_uint (settings, "points-redeem-max-percent");
}

gint64
till_checkout_get_points_redeemable (TillCheckout *self,
                                     gint64       *out_fen)
{
  gint64 rate, max_percent, points, fen = 0, held;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);

  if (out_fen != NULL)
    *out_fen = 0;
  if (self->sale == NULL || till_sale_get_member (self->sale) == NULL
      || till_sale_get_kind (self->sale) != TILL_SALE_KIND_GOODS || self->member_points < 0)
    return 0;
  points_rule (self, &rate, &max_percent);
  points = till_sale_points_redeemable (self->sale, rate, max_percent, &fen);
  /* the points the member holds, with those this sale holds already */
  held = self->member_points + till_sale_get_points_redeemed (self->sale);
  if (points > held)
    points = till_points_normalize (held, rate, fen, &fen);
  if (out_fen != NULL)
    *out_fen = fen;
  return points;
}

static gboolean
refuse_changes (TillCheckout *self,
                GError      **error)
{
  if (!_till_checkout_sale_open (self) || !_till_checkout_has_lines (self))
    return _till_checkout_refuse (self, error, _("There is no sale to take points off"));
  if (till_sale_get_member (self->sale) == NULL)
    return _till_checkout_refuse (self, error,
                                  _("Points are redeemed on a member’s sale: find the member "
                                    "first"));
  if (till_sale_get_kind (self->sale) == TILL_SALE_KIND_TOPUP)
    return _till_checkout_refuse (self, error, _("Points are not redeemed on a top-up"));
  if (self->busy || till_checkout_get_cart_locked (self))
    return _till_checkout_refuse (self, error,
                                  _("The cart is locked: a payment is in progress or part of it "
                                    "is paid, so prices cannot change"));
  return TRUE;
}

typedef struct
{
  TillMemberConfirm confirm;
  gint64            member_id;
  char             *typed;
  char             *sale_number;
} RedeemData;

static void
redeem_data_free (gpointer data)
{
  RedeemData *rd = data;

  g_free (rd->typed);
  g_free (rd->sale_number);
  g_free (rd);
}

typedef struct
{
  TillMemberBalance balance;
  gint64            held;       /* points the sale holds in the database */
} RedeemResult;

static gpointer
redeem_job (TillStore *store,
            gpointer   data,
            GError   **error)
{
  RedeemData *rd = data;
  g_autofree RedeemResult *r = g_new0 (RedeemResult, 1);

  if (!till_member_confirm (store, rd->confirm, rd->member_id, rd->typed, error)
      || !till_store_member_balance (store, rd->member_id, &r->balance, error)
      || !till_store_sale_points_held (store, rd->sale_number, rd->member_id, &r->held, error))
    return NULL;
  return g_steal_pointer (&r);
}

/* Puts `points` on the sale (the save that follows moves the ledger). */
static gboolean
apply_points (TillCheckout *self,
              gint64        points,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *off = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  gint64 rate, max_percent;

  points_rule (self, &rate, &max_percent);
  if (!till_sale_set_points (self->sale, points, rate, max_percent, &local_error))
    {
      _till_checkout_say_error (self, _("Could not redeem the points"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  off = till_money_format (till_sale_get_points_fen (self->sale));
  count = g_strdup_printf ("%" G_GINT64_FORMAT, till_sale_get_points_redeemed (self->sale));
  if (till_sale_get_points_redeemed (self->sale) == 0)
    text = g_strdup (_("No points redeemed on this sale"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s point redeemed: %s off",
                                         "%s points redeemed: %s off",
                                         (gulong) till_sale_get_points_redeemed (self->sale)),
                            count, off);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  return TRUE;
}

static void
redeem_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TillCheckoutSaleRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autofree RedeemResult *r = NULL;
  g_autoptr(GError) error = NULL;
  gint64 held;

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (r == NULL)
    {
      _till_checkout_say_member_error (self, _("Could not redeem the points"), error);
      return;
    }
  if (self->sale != request->sale || !refuse_changes (self, NULL))
    return;
  held = r->balance.points + r->held;
  self->member_points = r->balance.points;
  if (request->value > held)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, held);
      g_autofree char *text = g_strdup_printf (_("Not enough points: the member has %s"), count);

      _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
      return;
    }
  apply_points (self, request->value, NULL);
}

gboolean
till_checkout_redeem_points (TillCheckout *self,
                             gint64        points,
                             const char   *confirmation,
                             GError      **error)
{
  g_autofree char *how = NULL;
  gint64 most, most_fen = 0;
  RedeemData *rd;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!refuse_changes (self, error))
    return FALSE;
  if (points < 0)
    return _till_checkout_refuse (self, error, _("Points cannot be below zero"));
  /* fewer points (or none) need no confirmation: they go back to the member */
  if (points <= till_sale_get_points_redeemed (self->sale))
    return apply_points (self, points, error);

  most = till_checkout_get_points_redeemable (self, &most_fen);
  if (points > most)
    {
      g_autofree char *worth = till_money_format (most_fen);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, most);
      g_autofree char *text = NULL;

      if (most == 0)
        text = g_strdup (_("No points can be redeemed on this sale"));
      else
        text = g_strdup_printf (_("At most %s points (%s) can be redeemed on this sale"), count,
                                worth);
      return _till_checkout_refuse (self, error, text);
    }

  rd = g_new0 (RedeemData, 1);
  rd->member_id = till_sale_get_member_id (self->sale);
  rd->typed = g_strdup (confirmation);
  rd->sale_number = g_strdup (till_sale_get_number (self->sale));
  how = g_settings_get_string (till_context_get_settings (self->context), "member-confirm");
  rd->confirm = till_member_confirm_from_string (how);
  _till_checkout_save_now (self);
  _till_checkout_set_busy (self, TRUE);
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), redeem_job, rd, redeem_data_free,
                        g_free, NULL, redeem_cb, _till_checkout_sale_request_new (self, points));
  return TRUE;
}
