/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One line of a sale: a snapshot of the product (name, unit, price) and a quantity.
 *
 * Making a line never fails: a line whose quantity is not positive or whose total does
 * not fit in gint64 fen is still made, and till_sale_add_line() refuses it with an error,
 * so that a mistyped quantity reaches the cashier as a message rather than a crash. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-money.h"
#include "till-sale-line-private.h"

struct _TillSaleLine
{
  GObject parent_instance;

  gint64 product_id;
  char *barcode;
  char *name;
  char *unit;
  gint64 qty_milli;
  gint64 unit_price_fen;
  gint64 line_total_fen;
  guint weighed : 1;
  guint fixed_total : 1;
  guint total_overflow : 1;  /* qty × price does not fit: line_total_fen is meaningless */

  /* Discounts and overrides (till-discount.h). The sale computes the amounts. */
  gint64 original_unit_price_fen;  /* the catalog's price before an override */
  TillDiscountKind discount_kind;
  gint64 discount_value;
  gint64 discount_fen;             /* the line's own discount */
  gint64 sale_discount_fen;        /* its share of the sale's discount and 抹零 */
  gint64 final_fen;                /* line_total_fen - discount_fen - sale_discount_fen */
};

G_DEFINE_FINAL_TYPE (TillSaleLine, till_sale_line, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PRODUCT_ID,
  PROP_BARCODE,
  PROP_NAME,
  PROP_UNIT,
  PROP_QTY_MILLI,
  PROP_UNIT_PRICE_FEN,
  PROP_LINE_TOTAL_FEN,
  PROP_WEIGHED,
  PROP_FIXED_TOTAL,
  PROP_ORIGINAL_UNIT_PRICE_FEN,
  PROP_DISCOUNT_FEN,
  PROP_SALE_DISCOUNT_FEN,
  PROP_FINAL_FEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
till_sale_line_finalize (GObject *object)
{
  TillSaleLine *self = TILL_SALE_LINE (object);

  g_free (self->barcode);
  g_free (self->name);
  g_free (self->unit);

  G_OBJECT_CLASS (till_sale_line_parent_class)->finalize (object);
}

static void
till_sale_line_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TillSaleLine *self = TILL_SALE_LINE (object);

  switch (prop_id)
    {
    case PROP_PRODUCT_ID:
      g_value_set_int64 (value, self->product_id);
      break;
    case PROP_BARCODE:
      g_value_set_string (value, self->barcode);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;
    case PROP_QTY_MILLI:
      g_value_set_int64 (value, self->qty_milli);
      break;
    case PROP_UNIT_PRICE_FEN:
      g_value_set_int64 (value, self->unit_price_fen);
      break;
    case PROP_LINE_TOTAL_FEN:
      g_value_set_int64 (value, self->line_total_fen);
      break;
    case PROP_WEIGHED:
      g_value_set_boolean (value, self->weighed);
      break;
    case PROP_FIXED_TOTAL:
      g_value_set_boolean (value, self->fixed_total);
      break;
    case PROP_ORIGINAL_UNIT_PRICE_FEN:
      g_value_set_int64 (value, self->original_unit_price_fen);
      break;
    case PROP_DISCOUNT_FEN:
      g_value_set_int64 (value, self->discount_fen);
      break;
    case PROP_SALE_DISCOUNT_FEN:
      g_value_set_int64 (value, self->sale_discount_fen);
      break;
    case PROP_FINAL_FEN:
      g_value_set_int64 (value, self->final_fen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_sale_line_class_init (TillSaleLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = till_sale_line_finalize;
  object_class->get_property = till_sale_line_get_property;

  properties[PROP_PRODUCT_ID] =
    g_param_spec_int64 ("product-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_BARCODE] = g_param_spec_string ("barcode", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_UNIT] = g_param_spec_string ("unit", NULL, NULL, NULL, flags);
  properties[PROP_QTY_MILLI] =
    g_param_spec_int64 ("qty-milli", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_UNIT_PRICE_FEN] =
    g_param_spec_int64 ("unit-price-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_LINE_TOTAL_FEN] =
    g_param_spec_int64 ("line-total-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_WEIGHED] = g_param_spec_boolean ("weighed", NULL, NULL, FALSE, flags);
  properties[PROP_FIXED_TOTAL] = g_param_spec_boolean ("fixed-total", NULL, NULL, FALSE, flags);
  properties[PROP_ORIGINAL_UNIT_PRICE_FEN] =
    g_param_spec_int64 ("original-unit-price-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DISCOUNT_FEN] =
    g_param_spec_int64 ("discount-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SALE_DISCOUNT_FEN] =
    g_param_spec_int64 ("sale-discount-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_FINAL_FEN] =
    g_param_spec_int64 ("final-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_sale_line_init (TillSaleLine *self)
{
}

static TillSaleLine *
sale_line_new (gint64      product_id,
               const char *barcode,
               const char *name,
               const char *unit,
               gint64      unit_price_fen)
{
  TillSaleLine *self = g_object_new (TILL_TYPE_SALE_LINE, NULL);

  self->product_id = product_id;
  self->barcode = g_strdup (barcode);
  self->name = g_strdup (name);
  self->unit = g_strdup (unit);
  self->unit_price_fen = unit_price_fen;
  self->original_unit_price_fen = unit_price_fen;
  return self;
}

/**
 * till_sale_line_new:
 * @qty_milli: thousandths of a unit; for weighed lines grams (thousandths of a kg)
 *
 * The line total is @unit_price_fen × @qty_milli / 1000, rounded half away from zero.
 */
TillSaleLine *
till_sale_line_new (gint64      product_id,
                    const char *barcode,
                    const char *name,
                    const char *unit,
                    gint64      unit_price_fen,
                    gint64      qty_milli,
                    gboolean    weighed)
{
  TillSaleLine *self = sale_line_new (product_id, barcode, name, unit, unit_price_fen);

  self->weighed = !!weighed;
  self->qty_milli = qty_milli;
  self->total_overflow =
    !till_money_multiply_qty (unit_price_fen, qty_milli, &self->line_total_fen);
  if (self->total_overflow)
    self->line_total_fen = 0;
  self->final_fen = self->line_total_fen;
  return self;
}

/**
 * till_sale_line_new_fixed_total:
 *
 * A line whose total is printed on its label (a price-embedded scale code): one piece
 * (quantity 1000), counted, with @line_total_fen as its total whatever the unit price.
 * Its quantity cannot be changed and it never merges with other lines.
 */
TillSaleLine *
till_sale_line_new_fixed_total (gint64      product_id,
                                const char *barcode,
                                const char *name,
                                const char *unit,
                                gint64      unit_price_fen,
                                gint64      line_total_fen)
{
  TillSaleLine *self = sale_line_new (product_id, barcode, name, unit, unit_price_fen);

  self->fixed_total = TRUE;
  self->qty_milli = 1000;
  self->line_total_fen = line_total_fen;
  /* G_MININT64 cannot be negated: keep it out like till_money_parse() does */
  self->total_overflow = line_total_fen == G_MININT64;
  self->final_fen = self->line_total_fen;
  return self;
}

gint64
till_sale_line_get_product_id (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->product_id;
}

const char *
till_sale_line_get_barcode (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), NULL);
  return self->barcode;
}

const char *
till_sale_line_get_name (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), NULL);
  return self->name;
}

const char *
till_sale_line_get_unit (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), NULL);
  return self->unit;
}

gint64
till_sale_line_get_qty_milli (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->qty_milli;
}

gint64
till_sale_line_get_unit_price_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->unit_price_fen;
}

gint64
till_sale_line_get_line_total_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->line_total_fen;
}

gboolean
till_sale_line_get_weighed (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), FALSE);
  return self->weighed;
}

gboolean
till_sale_line_get_fixed_total (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), FALSE);
  return self->fixed_total;
}

gboolean
_till_sale_line_check (TillSaleLine *self,
                       GError      **error)
{
  if (self->qty_milli <= 0)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY,
                           _("The quantity must be more than zero."));
      return FALSE;
    }
  if (self->total_overflow)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW,
                           _("The line total is too large."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_till_sale_line_total_for_qty (TillSaleLine *self,
                               gint64        qty_milli,
                               gint64       *out_total_fen,
                               GError      **error)
{
  if (self->fixed_total)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY,
                           _("The price of this item is printed on its label; scan each "
                             "label instead of changing the quantity."));
      return FALSE;
    }
  if (qty_milli <= 0)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY,
                           _("The quantity must be more than zero."));
      return FALSE;
    }
  if (!till_money_multiply_qty (self->unit_price_fen, qty_milli, out_total_fen))
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW,
                           _("The quantity is too large for this price."));
      return FALSE;
    }
  return TRUE;
}

gboolean
till_sale_line_set_qty_milli (TillSaleLine *self,
                              gint64        qty_milli,
                              GError      **error)
{
  gint64 total = 0;

  g_return_val_if_fail (TILL_IS_SALE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_till_sale_line_total_for_qty (self, qty_milli, &total, error))
    return FALSE;
  if (qty_milli == self->qty_milli)
    return TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  self->qty_milli = qty_milli;
  self->total_overflow = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QTY_MILLI]);
  if (total != self->line_total_fen)
    {
      self->line_total_fen = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE_TOTAL_FEN]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/* "1.5", "3", "0.455 kg" */
char *
till_sale_line_format_qty (TillSaleLine *self)
{
  guint64 magnitude;
  guint64 whole, frac;
  const char *sign;

  g_return_val_if_fail (TILL_IS_SALE_LINE (self), NULL);

  sign = self->qty_milli < 0 ? "-" : "";
  magnitude = self->qty_milli < 0 ? (guint64) (-(self->qty_milli + 1)) + 1
                                  : (guint64) self->qty_milli;
  whole = magnitude / 1000;
  frac = magnitude % 1000;

  if (self->weighed)
    {
      /* Scales show grams: always three decimals. */
      const char *unit = self->unit != NULL && self->unit[0] != '\0' ? self->unit : "kg";

      return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%03u %s", sign, whole, (guint) frac, unit);
    }

  if (frac == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, whole);

  {
    char decimals[4];
    int n = 3;

    g_snprintf (decimals, sizeof decimals, "%03u", (guint) frac);
    while (n > 1 && decimals[n - 1] == '0')
      n--;
    decimals[n] = '\0';
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", sign, whole, decimals);
  }
}

TillSaleLine *
till_sale_line_copy (TillSaleLine *self)
{
  TillSaleLine *copy;

  g_return_val_if_fail (TILL_IS_SALE_LINE (self), NULL);

  copy = g_object_new (TILL_TYPE_SALE_LINE, NULL);
  copy->product_id = self->product_id;
  copy->barcode = g_strdup (self->barcode);
  copy->name = g_strdup (self->name);
  copy->unit = g_strdup (self->unit);
  copy->qty_milli = self->qty_milli;
  copy->unit_price_fen = self->unit_price_fen;
  copy->line_total_fen = self->line_total_fen;
  copy->weighed = self->weighed;
  copy->fixed_total = self->fixed_total;
  copy->total_overflow = self->total_overflow;
  copy->original_unit_price_fen = self->original_unit_price_fen;
  copy->discount_kind = self->discount_kind;
  copy->discount_value = self->discount_value;
  copy->discount_fen = self->discount_fen;
  copy->sale_discount_fen = self->sale_discount_fen;
  copy->final_fen = self->final_fen;
  return copy;
}

/* ---------------------------------------------------------------- discounts */

gint64
till_sale_line_get_original_unit_price_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->original_unit_price_fen;
}

gboolean
till_sale_line_get_price_overridden (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), FALSE);
  return self->original_unit_price_fen != self->unit_price_fen;
}

TillDiscountKind
till_sale_line_get_discount_kind (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), TILL_DISCOUNT_NONE);
  return self->discount_kind;
}

gint64
till_sale_line_get_discount_value (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->discount_value;
}

gint64
till_sale_line_get_discount_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->discount_fen;
}

gint64
till_sale_line_get_sale_discount_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->sale_discount_fen;
}

gint64
till_sale_line_get_final_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return self->final_fen;
}

gint64
till_sale_line_get_original_total_fen (TillSaleLine *self)
{
  gint64 total = 0;

  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);

  if (self->fixed_total || self->original_unit_price_fen == self->unit_price_fen
      || !till_money_multiply_qty (self->original_unit_price_fen, self->qty_milli, &total))
    return self->line_total_fen;
  return total;
}

gint64
till_sale_line_get_saved_fen (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), 0);
  return till_sale_line_get_original_total_fen (self) - self->final_fen;
}

gboolean
till_sale_line_get_has_discount (TillSaleLine *self)
{
  g_return_val_if_fail (TILL_IS_SALE_LINE (self), FALSE);
  return self->discount_kind != TILL_DISCOUNT_NONE || self->sale_discount_fen != 0
         || self->original_unit_price_fen != self->unit_price_fen;
}

void
till_sale_line_restore_pricing (TillSaleLine    *self,
                                gint64           original_unit_price_fen,
                                TillDiscountKind kind,
                                gint64           value)
{
  g_return_if_fail (TILL_IS_SALE_LINE (self));

  self->original_unit_price_fen = original_unit_price_fen;
  self->discount_kind = kind;
  self->discount_value = kind == TILL_DISCOUNT_NONE ? 0 : value;
}

void
_till_sale_line_set_discount (TillSaleLine    *self,
                              TillDiscountKind kind,
                              gint64           value)
{
  self->discount_kind = kind;
  self->discount_value = kind == TILL_DISCOUNT_NONE ? 0 : value;
}

gboolean
_till_sale_line_total_for_price (TillSaleLine *self,
                                 gint64        unit_price_fen,
                                 gint64       *out_total_fen,
                                 GError      **error)
{
  if (self->fixed_total)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("The price of this item is printed on its label and cannot be "
                             "changed."));
      return FALSE;
    }
  if (unit_price_fen < 0)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
                           _("A price cannot be negative."));
      return FALSE;
    }
  if (!till_money_multiply_qty (unit_price_fen, self->qty_milli, out_total_fen))
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW,
                           _("The price is too large for this quantity."));
      return FALSE;
    }
  return TRUE;
}

void
_till_sale_line_set_price (TillSaleLine *self,
                           gint64        unit_price_fen,
                           gint64        line_total_fen)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (unit_price_fen != self->unit_price_fen)
    {
      self->unit_price_fen = unit_price_fen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_PRICE_FEN]);
    }
  if (line_total_fen != self->line_total_fen)
    {
      self->line_total_fen = line_total_fen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE_TOTAL_FEN]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
_till_sale_line_apply_amounts (TillSaleLine *self,
                               gint64        discount_fen,
                               gint64        sale_discount_fen)
{
  gint64 final_fen = self->line_total_fen - discount_fen - sale_discount_fen;
  gboolean changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (discount_fen != self->discount_fen)
    {
      self->discount_fen = discount_fen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCOUNT_FEN]);
      changed = TRUE;
    }
  if (sale_discount_fen != self->sale_discount_fen)
    {
      self->sale_discount_fen = sale_discount_fen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SALE_DISCOUNT_FEN]);
      changed = TRUE;
    }
  if (final_fen != self->final_fen)
    {
      self->final_fen = final_fen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL_FEN]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

gboolean
till_sale_line_set_unit_price (TillSaleLine *self,
                               gint64        unit_price_fen,
                               GError      **error)
{
  gint64 total = 0;

  g_return_val_if_fail (TILL_IS_SALE_LINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_till_sale_line_total_for_price (self, unit_price_fen, &total, error))
    return FALSE;
  _till_sale_line_set_price (self, unit_price_fen, total);
  self->total_overflow = FALSE;
  self->final_fen = total - self->discount_fen - self->sale_discount_fen;
  return TRUE;
}
