/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout's discounts, price overrides and open-price goods: a line discount (Ctrl+D),
 * a whole-sale discount (Ctrl+Shift+T), a price override (Ctrl+E), the price of goods
 * marked "price at the till", and 抹零 (the total-rounding setting) on every sale opened.
 *
 * A cashier may give up to the `discount-limit` setting (percent); above it, for every
 * price override, and for an open price that replaces a catalog price, the command takes
 * the manager who approved it (TillPinWindow → till_people_approve(): the audit's
 * "approve:discount" / "approve:price_override" row) and refuses without one. Each change
 * is one audit row (till_store_record_pricing()). All of them are refused while the cart
 * is locked (a payment in progress or part paid). The money rules are till-discount.h's. */
#define G_LOG_DOMAIN "till-checkout"

#include "config.h"

#include "till-checkout-private.h"
#include "till-store-discounts.h"

/* ------------------------------------------------------------------------------------ */
/* Settings                                                                              */

gint64
till_checkout_get_discount_limit (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  return (gint64) g_settings_get_uint (till_context_get_settings (self->context),
                                       "discount-limit") * 100;
}

static TillTotalRounding
total_rounding_setting (TillCheckout *self)
{
  g_autofree char *nick = g_settings_get_string (till_context_get_settings (self->context),
                                                 "total-rounding");
  TillTotalRounding rounding = TILL_TOTAL_ROUNDING_NONE;

  if (!till_total_rounding_from_string (nick, &rounding))
    g_warning ("Unknown total-rounding setting “%s”: no 抹零", nick);
  return rounding;
}

void
_till_checkout_discount_sale_set (TillCheckout *self,
                                  TillSale     *sale)
{
  /* The rule in force when a sale opens is the sale's; a stored sale keeps its own. */
  if (till_sale_get_state (sale) == TILL_SALE_STATE_OPEN
      && g_list_model_get_n_items (G_LIST_MODEL (sale)) == 0)
    till_sale_set_total_rounding (sale, total_rounding_setting (self));
}

/* ------------------------------------------------------------------------------------ */
/* Checks                                                                                */

static gboolean
is_manager (const TillPerson *manager)
{
  return manager != NULL && manager->role == TILL_ROLE_MANAGER && manager->active;
}

static gboolean
refuse_locked (TillCheckout *self,
               GError      **error)
{
  if (!_till_checkout_sale_open (self))
    return _till_checkout_refuse (self, error, _("There is no open sale to change"));
  if (self->busy || till_checkout_get_cart_locked (self))
    return _till_checkout_refuse (self, error,
                                  _("The cart is locked: a payment is in progress or part of it "
                                    "is paid, so prices cannot change"));
  if (_till_checkout_is_topup (self))
    return _till_checkout_refuse (self, error, TOPUP_FIXED);
  return TRUE;
}

static guint
find_line (TillCheckout *self,
           TillSaleLine *line)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sale));

  for (guint i = 0; line != NULL && i < n; i++)
    if (till_sale_get_line (self->sale, i) == line)
      return i;
  return G_MAXUINT;
}

static gboolean
refuse_unapproved (TillCheckout *self,
                   GError      **error,
                   const char   *text)
{
  _till_checkout_say (self, TILL_MESSAGE_ERROR, text);
  g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED, text);
  return FALSE;
}

gboolean
till_checkout_discount_needs_approval (TillCheckout    *self,
                                       TillSaleLine    *line,
                                       TillDiscountKind kind,
                                       gint64           value)
{
  gint64 base, discount;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), TRUE);

  if (self->sale == NULL || kind == TILL_DISCOUNT_NONE)
    return FALSE;
  base = line != NULL ? till_sale_line_get_line_total_fen (line)
                      : till_sale_get_net_total_fen (self->sale);
  discount = till_discount_compute (kind, value, base);
  if (kind == TILL_DISCOUNT_PERCENT)
    return value > till_checkout_get_discount_limit (self);
  return till_discount_basis_points (discount, base) > till_checkout_get_discount_limit (self);
}

gboolean
till_checkout_price_needs_approval (TillCheckout *self,
                                    TillSaleLine *line)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), TRUE);
  g_return_val_if_fail (TILL_IS_SALE_LINE (line), TRUE);

  /* open-price goods without a price in the catalog: the cashier prices them */
  return !(line == self->pricing && till_sale_line_get_original_unit_price_fen (line) == 0);
}

/* ------------------------------------------------------------------------------------ */
/* The audit row, on the store thread after the sale's own save                          */

typedef struct
{
  char             *actor;
  TillPricingChange change;
  char             *sale_number;
  char             *name;
  char             *manager;
} AuditJob;

static void
audit_job_free (gpointer data)
{
  AuditJob *job = data;

  g_free (job->actor);
  g_free (job->sale_number);
  g_free (job->name);
  g_free (job->manager);
  g_free (job);
}

static gpointer
audit_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  AuditJob *job = data;

  if (!till_store_record_pricing (store, job->actor, &job->change, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
audit_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    _till_checkout_say_error (self, _("The change of price could not be written to the audit "
                                      "log"), error);
}

static void
record (TillCheckout      *self,
        TillPricingAction  action,
        gint               position,
        TillSaleLine      *line,
        TillDiscountKind   kind,
        gint64             value,
        gint64             before_fen,
        gint64             after_fen,
        const TillPerson  *manager)
{
  AuditJob *job = g_new0 (AuditJob, 1);

  job->actor = g_strdup (till_context_get_cashier (self->context));
  job->sale_number = g_strdup (till_sale_get_number (self->sale));
  job->name = line != NULL ? g_strdup (till_sale_line_get_name (line)) : NULL;
  job->manager = manager != NULL ? g_strdup (manager->name) : NULL;
  job->change = (TillPricingChange) {
    .action = action,
    .sale_number = job->sale_number,
    .line = position,
    .product_id = line != NULL ? till_sale_line_get_product_id (line) : 0,
    .name = job->name,
    .kind = kind,
    .value = value,
    .before_fen = before_fen,
    .after_fen = after_fen,
    .manager_id = manager != NULL ? manager->id : 0,
    .manager = job->manager,
  };
  g_message ("%s on sale %s line %d: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT "%s",
             till_pricing_action_to_string (action), job->sale_number, position, before_fen,
             after_fen, manager != NULL ? " (approved by a manager)" : "");
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), audit_job, job, audit_job_free,
                        NULL, NULL, audit_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------ */
/* Commands                                                                              */

gboolean
till_checkout_discount_line (TillCheckout     *self,
                             TillSaleLine     *line,
                             TillDiscountKind  kind,
                             gint64            value,
                             const TillPerson *manager,
                             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *text = NULL;
  gint64 before;
  guint position;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (line == NULL || TILL_IS_SALE_LINE (line), FALSE);

  if (!refuse_locked (self, error))
    return FALSE;
  position = find_line (self, line);
  if (position == G_MAXUINT)
    return _till_checkout_refuse (self, error, _("Select a line first"));
  if (!is_manager (manager) && till_checkout_discount_needs_approval (self, line, kind, value))
    {
      g_autofree char *limit = till_discount_format (TILL_DISCOUNT_PERCENT,
                                                     till_checkout_get_discount_limit (self));
      g_autofree char *refusal =
        g_strdup_printf (_("A discount above %s needs a manager’s approval"), limit);

      return refuse_unapproved (self, error, refusal);
    }

  before = till_sale_line_get_final_fen (line);
  if (!till_sale_set_line_discount (self->sale, position, kind, value, &local_error))
    {
      _till_checkout_say_error (self, _("Could not give the discount"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  record (self, TILL_PRICING_LINE_DISCOUNT, (gint) position, line, kind, value, before,
          till_sale_line_get_final_fen (line), is_manager (manager) ? manager : NULL);

  what = till_discount_format (kind, value);
  before_text = till_money_format (before);
  after_text = till_money_format (till_sale_line_get_final_fen (line));
  if (kind == TILL_DISCOUNT_NONE)
    text = g_strdup_printf (_("Discount removed from %s: %s → %s"),
                            till_sale_line_get_name (line), before_text, after_text);
  else
    text = g_strdup_printf (_("Discount %s on %s: %s → %s"), what,
                            till_sale_line_get_name (line), before_text, after_text);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  return TRUE;
}

gboolean
till_checkout_discount_sale (TillCheckout     *self,
                             TillDiscountKind  kind,
                             gint64            value,
                             const TillPerson *manager,
                             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *text = NULL;
  gint64 before;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!refuse_locked (self, error))
    return FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sale)) == 0)
    return _till_checkout_refuse (self, error, _("The sale has no goods to discount"));
  if (!is_manager (manager) && till_checkout_discount_needs_approval (self, NULL, kind, value))
    {
      g_autofree char *limit = till_discount_format (TILL_DISCOUNT_PERCENT,
                                                     till_checkout_get_discount_limit (self));
      g_autofree char *refusal =
        g_strdup_printf (_("A discount above %s needs a manager’s approval"), limit);

      return refuse_unapproved (self, error, refusal);
    }

  before = till_sale_get_total_fen (self->sale);
  if (!till_sale_set_discount (self->sale, kind, value, &local_error))
    {
      _till_checkout_say_error (self, _("Could not give the discount"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  record (self, TILL_PRICING_SALE_DISCOUNT, -1, NULL, kind, value, before,
          till_sale_get_total_fen (self->sale), is_manager (manager) ? manager : NULL);

  what = till_discount_format (kind, value);
  before_text = till_money_format (before);
  after_text = till_money_format (till_sale_get_total_fen (self->sale));
  if (kind == TILL_DISCOUNT_NONE)
    text = g_strdup_printf (_("Sale discount removed: %s → %s"), before_text, after_text);
  else
    text = g_strdup_printf (_("Sale discount %s: %s → %s"), what, before_text, after_text);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  return TRUE;
}

gboolean
till_checkout_override_price (TillCheckout     *self,
                              TillSaleLine     *line,
                              gint64            unit_price_fen,
                              const TillPerson *manager,
                              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *text = NULL;
  gint64 before;
  guint position;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (line == NULL || TILL_IS_SALE_LINE (line), FALSE);

  if (!refuse_locked (self, error))
    return FALSE;
  position = find_line (self, line);
  if (position == G_MAXUINT)
    return _till_checkout_refuse (self, error, _("Select a line first"));
  if (!is_manager (manager))
    return refuse_unapproved (self, error, _("A price override needs a manager’s approval"));

  before = till_sale_line_get_unit_price_fen (line);
  if (!till_sale_set_line_price (self->sale, position, unit_price_fen, &local_error))
    {
      _till_checkout_say_error (self, _("Could not change the price"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  record (self, TILL_PRICING_PRICE_OVERRIDE, (gint) position, line, TILL_DISCOUNT_NONE, 0,
          before, unit_price_fen, manager);

  before_text = till_money_format (before);
  after_text = till_money_format (unit_price_fen);
  text = g_strdup_printf (_("Price of %s: %s → %s"), till_sale_line_get_name (line),
                          before_text, after_text);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Open-price goods                                                                      */

void
_till_checkout_ask_price (TillCheckout *self,
                          TillSaleLine *line,
                          TillSale     *new_sale,
                          gboolean      weigh)
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
    _till_checkout_open_sale (self, new_sale);
  g_set_object (&self->pricing, line);
  self->pricing_weigh = weigh;
  text = g_strdup_printf (weigh ? _("Enter the price per kg of %s") : _("Enter the price of %s"),
                          till_sale_line_get_name (line));
  _till_checkout_say (self, TILL_MESSAGE_INFO, text);
  g_signal_emit (self, till_checkout_signals[SIGNAL_PRICE_NEEDED], 0, line);
}

gboolean
till_checkout_give_price (TillCheckout     *self,
                          TillSaleLine     *line,
                          gint64            unit_price_fen,
                          const TillPerson *manager,
                          GError          **error)
{
  g_autoptr(TillSaleLine) priced = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 catalog_price;
  gboolean approval;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE_LINE (line), FALSE);

  if (self->pricing != line)
    return _till_checkout_refuse (self, error,
                                  _("Another code came in meanwhile: scan or type the goods again"));
  if (_till_checkout_sale_open (self) && till_checkout_get_cart_locked (self))
    return _till_checkout_refuse (self, error,
                                  _("The cart is locked: a payment is in progress or part of it "
                                    "is paid — nothing added"));
  catalog_price = till_sale_line_get_original_unit_price_fen (line);
  approval = till_checkout_price_needs_approval (self, line) && unit_price_fen != catalog_price;
  if (approval && !is_manager (manager))
    return refuse_unapproved (self, error,
                              _("The goods have a price in the catalog: another price needs a "
                                "manager’s approval"));
  if (unit_price_fen <= 0 && catalog_price == 0)
    return _till_checkout_refuse (self, error, _("Enter a price above zero"));
  if (!till_sale_line_set_unit_price (line, unit_price_fen, &local_error))
    {
      _till_checkout_say_error (self, _("Could not change the price"), local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  priced = g_steal_pointer (&self->pricing);
  /* goods without a catalog price: the price given is theirs, not an override */
  if (catalog_price == 0)
    till_sale_line_restore_pricing (priced, unit_price_fen, TILL_DISCOUNT_NONE, 0);
  if (unit_price_fen != catalog_price && _till_checkout_sale_open (self))
    record (self, catalog_price == 0 ? TILL_PRICING_OPEN_PRICE : TILL_PRICING_PRICE_OVERRIDE,
            -1, priced, TILL_DISCOUNT_NONE, 0, catalog_price, unit_price_fen,
            approval ? manager : NULL);
  if (self->pricing_weigh)
    _till_checkout_ask_weight (self, priced, NULL);
  else
    _till_checkout_take_line (self, priced, NULL);
  return TRUE;
}
