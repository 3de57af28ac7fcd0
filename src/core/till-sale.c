/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sale: a GListModel of TillSaleLine with integer totals that can never overflow.
 *
 * Every change is checked first and then applied, so a refused change leaves the sale as
 * it was. Totals are recomputed from the lines (carts are short), which keeps them right
 * whatever the order of additions and removals of negative lines. After a change the sale
 * emits, in this order: items-changed, property notifications, "changed".
 *
 * The sale's state may be set to any value: which transitions are allowed (and their
 * audit trail) is the store's business. Only lines of an OPEN sale can change. */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-points.h"
#include "till-sale.h"
#include "till-sale-line-private.h"

struct _TillSale
{
  GObject parent_instance;

  gint64 id;
  char *number;
  TillSaleState state;
  gint64 opened_at_us;
  GPtrArray *lines;  /* of TillSaleLine, owned */
  gint64 total_fen;
  gint64 item_count_milli;

  /* The whole-sale discount and 抹零 (till-discount.h) */
  TillDiscountKind discount_kind;
  gint64 discount_value;
  TillTotalRounding total_rounding;
  gint64 discount_fen;   /* the whole-sale discount, in fen */
  gint64 rounding_fen;   /* what 抹零 cut off */

  /* Members (issue 16) */
  TillSaleKind kind;
  TillSaleMember *member;
  gint64 topup_bonus_fen;

  /* Points redeemed as a discount (till-points.h) */
  gint64 points_redeemed;
  gint64 points_per_yuan;
  gint64 points_max_percent;
  gint64 points_fen;
  gint64 points_member_id;  /* whose points they are */
};

static void till_sale_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TillSale, till_sale, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      till_sale_list_model_init))

enum
{
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_STATE,
  PROP_OPENED_AT,
  PROP_TOTAL_FEN,
  PROP_ITEM_COUNT_MILLI,
  PROP_N_LINES,
  PROP_DISCOUNT_FEN,
  PROP_ROUNDING_FEN,
  PROP_SAVED_FEN,
  PROP_KIND,
  PROP_MEMBER,
  PROP_TOPUP_BONUS_FEN,
  PROP_POINTS_REDEEMED,
  PROP_POINTS_FEN,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *const state_names[] = {
  [TILL_SALE_STATE_OPEN] = "open",
  [TILL_SALE_STATE_SUSPENDED] = "suspended",
  [TILL_SALE_STATE_PAID] = "paid",
  [TILL_SALE_STATE_VOIDED] = "voided",
  [TILL_SALE_STATE_REFUNDED] = "refunded",
};

const char *
till_sale_state_to_string (TillSaleState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return NULL;
  return state_names[state];
}

const char *
till_sale_state_to_label (TillSaleState state)
{
  switch (state)
    {
    case TILL_SALE_STATE_OPEN:
      return _("Open");
    case TILL_SALE_STATE_SUSPENDED:
      return _("Suspended");
    case TILL_SALE_STATE_PAID:
      return C_ ("sale state", "Paid");
    case TILL_SALE_STATE_VOIDED:
      return _("Voided");
    case TILL_SALE_STATE_REFUNDED:
      return C_ ("sale state", "Refunded");
    default:
      return "";
    }
}

gboolean
till_sale_state_from_string (const char    *text,
                             TillSaleState *out)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (text, state_names[i]))
        {
          if (out != NULL)
            *out = (TillSaleState) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* GListModel */

static GType
till_sale_get_item_type (GListModel *model)
{
  return TILL_TYPE_SALE_LINE;
}

static guint
till_sale_get_n_items (GListModel *model)
{
  return TILL_SALE (model)->lines->len;
}

static gpointer
till_sale_get_item (GListModel *model,
                    guint       position)
{
  TillSale *self = TILL_SALE (model);

  if (position >= self->lines->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->lines, position));
}

static void
till_sale_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = till_sale_get_item_type;
  iface->get_n_items = till_sale_get_n_items;
  iface->get_item = till_sale_get_item;
}

/* Totals */

/* Sums the lines, leaving out the one at `skip` (G_MAXUINT: none) and adding `extra_*`.
 * FALSE when the total or the item count does not fit in gint64 (or is G_MININT64). */
static gboolean
sum_lines (TillSale *self,
           guint     skip,
           gint64    extra_total,
           gint64    extra_qty,
           gint64   *out_total,
           gint64   *out_qty)
{
#ifdef __SIZEOF_INT128__
  /* 128 bits: the result does not depend on the order of positive and negative lines. */
  __extension__ __int128 total = extra_total, qty = extra_qty;

  for (guint i = 0; i < self->lines->len; i++)
    {
      TillSaleLine *line = g_ptr_array_index (self->lines, i);

      if (i == skip)
        continue;
      total += till_sale_line_get_line_total_fen (line);
      qty += till_sale_line_get_qty_milli (line);
    }
  if (total > G_MAXINT64 || total < -G_MAXINT64 || qty > G_MAXINT64 || qty < -G_MAXINT64)
    return FALSE;
  *out_total = (gint64) total;
  *out_qty = (gint64) qty;
  return TRUE;
#else
  gint64 total = extra_total, qty = extra_qty;

  for (guint i = 0; i < self->lines->len; i++)
    {
      TillSaleLine *line = g_ptr_array_index (self->lines, i);

      if (i == skip)
        continue;
      if (__builtin_add_overflow (total, till_sale_line_get_line_total_fen (line), &total)
          || __builtin_add_overflow (qty, till_sale_line_get_qty_milli (line), &qty))
        return FALSE;
    }
  if (total == G_MININT64 || qty == G_MININT64)
    return FALSE;
  *out_total = total;
  *out_qty = qty;
  return TRUE;
#endif
}

static void
set_total_overflow_error (GError **error)
{
  g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW,
                       _("The sale total would be too large."));
}

/* Computes every line's discount, its share of the sale's discount and 抹零, and its final
 * amount (till-discount.h); returns the sale's total, the sum of the final amounts.
 * *out_others_changed: a line outside [from, to) changed its amounts. */
static gint64
reprice (TillSale *self,
         guint     from,
         guint     to,
         gboolean *out_others_changed)
{
  guint n = self->lines->len;
  g_autofree gint64 *own = g_new0 (gint64, MAX (n, 1));
  g_autofree gint64 *nets = g_new0 (gint64, MAX (n, 1));
  g_autofree gint64 *shares = g_new0 (gint64, MAX (n, 1));
  __extension__ __int128 sum = 0;
  gint64 net_total, sale_discount = 0, points = 0, points_fen = 0, cut = 0, total;
  gboolean others = FALSE;

  for (guint i = 0; i < n; i++)
    {
      TillSaleLine *line = g_ptr_array_index (self->lines, i);
      gint64 line_total = till_sale_line_get_line_total_fen (line);

      own[i] = till_discount_compute (till_sale_line_get_discount_kind (line),
                                      till_sale_line_get_discount_value (line), line_total);
      nets[i] = line_total - own[i];
      sum += nets[i];
    }
  /* sum_lines() keeps the list total in range and discounts only lower it */
  net_total = sum > G_MAXINT64 ? G_MAXINT64 : sum < -G_MAXINT64 ? -G_MAXINT64 : (gint64) sum;
  if (net_total > 0)
    {
      sale_discount = till_discount_compute (self->discount_kind, self->discount_value,
                                             net_total);
      /* points: never more than the cap of what is left; a lower cap takes fewer */
      points = till_points_normalize (self->points_redeemed, self->points_per_yuan,
                                      till_points_cap_fen (net_total - sale_discount,
                                                           self->points_max_percent),
                                      &points_fen);
      cut = till_total_rounding_cut (self->total_rounding,
                                     net_total - sale_discount - points_fen);
    }
  if (!till_discount_spread (nets, n, sale_discount + points_fen + cut, shares))
    {
      /* cannot happen: the positive lines add up to at least the net total */
      g_critical ("Sale %s: a discount of %" G_GINT64_FORMAT " cannot be spread",
                  self->number, sale_discount + points_fen + cut);
      sale_discount = points = points_fen = cut = 0;
    }
  total = net_total - sale_discount - points_fen - cut;

  for (guint i = 0; i < n; i++)
    if (_till_sale_line_apply_amounts (g_ptr_array_index (self->lines, i), own[i], shares[i])
        && (i < from || i >= to))
      others = TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  if (sale_discount != self->discount_fen)
    {
      self->discount_fen = sale_discount;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISCOUNT_FEN]);
    }
  if (cut != self->rounding_fen)
    {
      self->rounding_fen = cut;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROUNDING_FEN]);
    }
  if (points != self->points_redeemed)
    {
      self->points_redeemed = points;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS_REDEEMED]);
    }
  if (points_fen != self->points_fen)
    {
      self->points_fen = points_fen;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS_FEN]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED_FEN]);
  g_object_thaw_notify (G_OBJECT (self));

  *out_others_changed = others;
  return total;
}

/* Emits what a change of the lines calls for; totals are recomputed from the lines. */
static void
lines_changed (TillSale *self,
               guint     position,
               guint     removed,
               guint     added)
{
  gint64 total = 0, qty = 0;
  guint old_n_lines = self->lines->len - added + removed;
  gboolean others_changed = FALSE;

  if (!sum_lines (self, G_MAXUINT, 0, 0, &total, &qty))
    {
      /* Only reachable by changing a line behind the sale's back. */
      g_critical ("Sale %s: total overflowed after a line was changed directly; "
                  "use till_sale_set_line_qty()", self->number);
      total = 0;
      qty = 0;
    }
  else
    total = reprice (self, position, position + added, &others_changed);

  g_object_freeze_notify (G_OBJECT (self));
  if (total != self->total_fen)
    {
      self->total_fen = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_FEN]);
    }
  if (qty != self->item_count_milli)
    {
      self->item_count_milli = qty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM_COUNT_MILLI]);
    }
  if (old_n_lines != self->lines->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LINES]);

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  /* a share of the sale's discount moved to or from other lines */
  if (others_changed && self->lines->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, self->lines->len, self->lines->len);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* A line's quantity changed (and with it, in the same frozen notification, its total). */
static void
line_qty_notify_cb (TillSaleLine *line,
                    GParamSpec   *pspec,
                    TillSale     *self)
{
  guint position;

  if (!g_ptr_array_find (self->lines, line, &position))
    g_return_if_reached ();
  lines_changed (self, position, 1, 1);
}

static gboolean
check_open (TillSale *self,
            GError  **error)
{
  if (self->state == TILL_SALE_STATE_OPEN)
    return TRUE;
  g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                       _("This sale is no longer open, so it cannot be changed."));
  return FALSE;
}

/* GObject */

static void
till_sale_dispose (GObject *object)
{
  TillSale *self = TILL_SALE (object);

  if (self->lines != NULL)
    {
      for (guint i = 0; i < self->lines->len; i++)
        g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->lines, i),
                                              line_qty_notify_cb, self);
      g_ptr_array_set_size (self->lines, 0);
    }

  G_OBJECT_CLASS (till_sale_parent_class)->dispose (object);
}

static void
till_sale_finalize (GObject *object)
{
  TillSale *self = TILL_SALE (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->member, till_sale_member_free);
  g_free (self->number);

  G_OBJECT_CLASS (till_sale_parent_class)->finalize (object);
}

static void
till_sale_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TillSale *self = TILL_SALE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_OPENED_AT:
      g_value_set_int64 (value, self->opened_at_us);
      break;
    case PROP_TOTAL_FEN:
      g_value_set_int64 (value, self->total_fen);
      break;
    case PROP_ITEM_COUNT_MILLI:
      g_value_set_int64 (value, self->item_count_milli);
      break;
    case PROP_N_LINES:
      g_value_set_uint (value, self->lines->len);
      break;
    case PROP_DISCOUNT_FEN:
      g_value_set_int64 (value, self->discount_fen);
      break;
    case PROP_ROUNDING_FEN:
      g_value_set_int64 (value, self->rounding_fen);
      break;
    case PROP_SAVED_FEN:
      g_value_set_int64 (value, till_sale_get_saved_fen (self));
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_MEMBER:
      g_value_set_boxed (value, self->member);
      break;
    case PROP_TOPUP_BONUS_FEN:
      g_value_set_int64 (value, self->topup_bonus_fen);
      break;
    case PROP_POINTS_REDEEMED:
      g_value_set_int64 (value, self->points_redeemed);
      break;
    case PROP_POINTS_FEN:
      g_value_set_int64 (value, self->points_fen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_sale_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TillSale *self = TILL_SALE (object);

  switch (prop_id)
    {
    case PROP_ID:
      till_sale_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NUMBER:
      self->number = g_value_dup_string (value);
      break;
    case PROP_STATE:
      till_sale_set_state (self, (TillSaleState) g_value_get_int (value));
      break;
    case PROP_OPENED_AT:
      till_sale_set_opened_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_sale_class_init (TillSaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = till_sale_dispose;
  object_class->finalize = till_sale_finalize;
  object_class->get_property = till_sale_get_property;
  object_class->set_property = till_sale_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, TILL_SALE_STATE_OPEN,
                                             TILL_SALE_STATE_REFUNDED, TILL_SALE_STATE_OPEN, rw);
  properties[PROP_OPENED_AT] =
    g_param_spec_int64 ("opened-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_TOTAL_FEN] =
    g_param_spec_int64 ("total-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_ITEM_COUNT_MILLI] =
    g_param_spec_int64 ("item-count-milli", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_N_LINES] = g_param_spec_uint ("n-lines", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DISCOUNT_FEN] =
    g_param_spec_int64 ("discount-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_ROUNDING_FEN] =
    g_param_spec_int64 ("rounding-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_SAVED_FEN] =
    g_param_spec_int64 ("saved-fen", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, TILL_SALE_KIND_GOODS,
                                            TILL_SALE_KIND_TOPUP, TILL_SALE_KIND_GOODS, ro);
  properties[PROP_MEMBER] = g_param_spec_boxed ("member", NULL, NULL, TILL_TYPE_SALE_MEMBER, ro);
  properties[PROP_TOPUP_BONUS_FEN] =
    g_param_spec_int64 ("topup-bonus-fen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_POINTS_REDEEMED] =
    g_param_spec_int64 ("points-redeemed", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_POINTS_FEN] = g_param_spec_int64 ("points-fen", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TillSale::changed:
   *
   * Emitted once after any change of lines, quantities or state.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
till_sale_init (TillSale *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = TILL_SALE_STATE_OPEN;
}

/* API */

TillSale *
till_sale_new (const char *number)
{
  return g_object_new (TILL_TYPE_SALE, "number", number, NULL);
}

TillSale *
till_sale_copy (TillSale *self)
{
  TillSale *copy;

  g_return_val_if_fail (TILL_IS_SALE (self), NULL);

  copy = till_sale_new (self->number);
  copy->id = self->id;
  copy->state = self->state;
  copy->opened_at_us = self->opened_at_us;
  copy->total_fen = self->total_fen;
  copy->item_count_milli = self->item_count_milli;
  copy->discount_kind = self->discount_kind;
  copy->discount_value = self->discount_value;
  copy->total_rounding = self->total_rounding;
  copy->discount_fen = self->discount_fen;
  copy->rounding_fen = self->rounding_fen;
  copy->kind = self->kind;
  copy->member = till_sale_member_copy (self->member);
  copy->topup_bonus_fen = self->topup_bonus_fen;
  copy->points_redeemed = self->points_redeemed;
  copy->points_per_yuan = self->points_per_yuan;
  copy->points_max_percent = self->points_max_percent;
  copy->points_fen = self->points_fen;
  copy->points_member_id = self->points_member_id;
  for (guint i = 0; i < self->lines->len; i++)
    {
      TillSaleLine *line = till_sale_line_copy (g_ptr_array_index (self->lines, i));

      g_ptr_array_add (copy->lines, line);
      g_signal_connect_object (line, "notify::qty-milli", G_CALLBACK (line_qty_notify_cb), copy,
                               0);
    }
  return copy;
}

gint64
till_sale_count_items (TillSale *self)
{
  gint64 items = 0;

  g_return_val_if_fail (TILL_IS_SALE (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    {
      TillSaleLine *line = g_ptr_array_index (self->lines, i);

      if (till_sale_line_get_weighed (line) || till_sale_line_get_fixed_total (line))
        items += 1;
      else
        items += (till_sale_line_get_qty_milli (line) + 999) / 1000;
    }
  return items;
}

gint64
till_sale_get_id (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->id;
}

/* Storage metadata: notifies "id" but does not emit "changed". */
void
till_sale_set_id (TillSale *self,
                  gint64    id)
{
  g_return_if_fail (TILL_IS_SALE (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
till_sale_get_number (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), NULL);
  return self->number;
}

TillSaleState
till_sale_get_state (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), TILL_SALE_STATE_OPEN);
  return self->state;
}

void
till_sale_set_state (TillSale     *self,
                     TillSaleState state)
{
  g_return_if_fail (TILL_IS_SALE (self));
  g_return_if_fail (till_sale_state_to_string (state) != NULL);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gint64
till_sale_get_opened_at (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->opened_at_us;
}

/* Storage metadata like the id: notifies, no "changed". */
void
till_sale_set_opened_at (TillSale *self,
                         gint64    opened_at_us)
{
  g_return_if_fail (TILL_IS_SALE (self));

  if (self->opened_at_us == opened_at_us)
    return;
  self->opened_at_us = opened_at_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPENED_AT]);
}

gint64
till_sale_get_total_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->total_fen;
}

gint64
till_sale_get_item_count_milli (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->item_count_milli;
}

TillSaleLine *
till_sale_get_line (TillSale *self,
                    guint     position)
{
  g_return_val_if_fail (TILL_IS_SALE (self), NULL);

  if (position >= self->lines->len)
    return NULL;
  return g_ptr_array_index (self->lines, position);
}

/* Counted and plain: a line with its own discount or price keeps to itself. */
static gboolean
is_counted (TillSaleLine *line)
{
  return !till_sale_line_get_weighed (line) && !till_sale_line_get_fixed_total (line)
         && till_sale_line_get_discount_kind (line) == TILL_DISCOUNT_NONE;
}

/* The position of a counted line `line` merges into, or G_MAXUINT. */
static guint
find_merge_target (TillSale     *self,
                   TillSaleLine *line)
{
  gint64 product_id = till_sale_line_get_product_id (line);

  if (product_id == 0 || !is_counted (line))
    return G_MAXUINT;

  for (guint i = 0; i < self->lines->len; i++)
    {
      TillSaleLine *other = g_ptr_array_index (self->lines, i);

      if (is_counted (other)
          && till_sale_line_get_product_id (other) == product_id
          && till_sale_line_get_unit_price_fen (other) == till_sale_line_get_unit_price_fen (line)
          /* the same price from the same catalog price: a member price merges with its
           * own; a price changed by hand never meets a scan's */
          && till_sale_line_get_original_unit_price_fen (other)
             == till_sale_line_get_original_unit_price_fen (line))
        return i;
    }
  return G_MAXUINT;
}

/* Checks that the line at `position` can take `qty_milli` without the line or the sale
 * overflowing. */
static gboolean
check_line_qty (TillSale *self,
                guint     position,
                gint64    qty_milli,
                GError  **error)
{
  TillSaleLine *line = g_ptr_array_index (self->lines, position);
  gint64 line_total = 0, total, qty;

  if (!_till_sale_line_total_for_qty (line, qty_milli, &line_total, error))
    return FALSE;
  if (!sum_lines (self, position, line_total, qty_milli, &total, &qty))
    {
      set_total_overflow_error (error);
      return FALSE;
    }
  return TRUE;
}

/**
 * till_sale_add_line:
 * @line: (transfer none): the sale takes its own reference; a line that merges into an
 *   existing one is not kept
 */
guint
till_sale_add_line (TillSale     *self,
                    TillSaleLine *line,
                    GError      **error)
{
  guint position;
  gint64 total, qty;

  g_return_val_if_fail (TILL_IS_SALE (self), G_MAXUINT);
  g_return_val_if_fail (TILL_IS_SALE_LINE (line), G_MAXUINT);
  g_return_val_if_fail (error == NULL || *error == NULL, G_MAXUINT);
  g_return_val_if_fail (!g_ptr_array_find (self->lines, line, NULL), G_MAXUINT);

  if (!check_open (self, error) || !_till_sale_line_check (line, error))
    return G_MAXUINT;

  position = find_merge_target (self, line);
  if (position != G_MAXUINT)
    {
      TillSaleLine *target = g_ptr_array_index (self->lines, position);
      gint64 merged_qty;

      if (__builtin_add_overflow (till_sale_line_get_qty_milli (target),
                                  till_sale_line_get_qty_milli (line), &merged_qty))
        {
          g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY,
                               _("The quantity is too large."));
          return G_MAXUINT;
        }
      if (!check_line_qty (self, position, merged_qty, error))
        return G_MAXUINT;
      /* line_qty_notify_cb () emits the change */
      if (!till_sale_line_set_qty_milli (target, merged_qty, error))
        g_return_val_if_reached (G_MAXUINT);
      return position;
    }

  if (!sum_lines (self, G_MAXUINT, till_sale_line_get_line_total_fen (line),
                  till_sale_line_get_qty_milli (line), &total, &qty))
    {
      set_total_overflow_error (error);
      return G_MAXUINT;
    }

  position = self->lines->len;
  g_ptr_array_add (self->lines, g_object_ref (line));
  g_signal_connect_object (line, "notify::qty-milli", G_CALLBACK (line_qty_notify_cb), self, 0);
  lines_changed (self, position, 0, 1);
  return position;
}

gboolean
till_sale_set_line_qty (TillSale *self,
                        guint     position,
                        gint64    qty_milli,
                        GError  **error)
{
  g_return_val_if_fail (TILL_IS_SALE (self), FALSE);
  g_return_val_if_fail (position < self->lines->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error) || !check_line_qty (self, position, qty_milli, error))
    return FALSE;
  /* line_qty_notify_cb () emits the change, if there is one */
  return till_sale_line_set_qty_milli (g_ptr_array_index (self->lines, position), qty_milli,
                                       error);
}

gboolean
till_sale_remove_line (TillSale *self,
                       guint     position,
                       GError  **error)
{
  TillSaleLine *line;
  gint64 total, qty;

  g_return_val_if_fail (TILL_IS_SALE (self), FALSE);
  g_return_val_if_fail (position < self->lines->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;
  /* With negative lines in the sale, taking one out can overflow too. */
  if (!sum_lines (self, position, 0, 0, &total, &qty))
    {
      set_total_overflow_error (error);
      return FALSE;
    }

  line = g_ptr_array_index (self->lines, position);
  g_signal_handlers_disconnect_by_func (line, line_qty_notify_cb, self);
  g_ptr_array_remove_index (self->lines, position);
  lines_changed (self, position, 1, 0);
  return TRUE;
}

/* Removes every line of an open sale. */
void
till_sale_clear (TillSale *self)
{
  guint n;

  g_return_if_fail (TILL_IS_SALE (self));
  g_return_if_fail (self->state == TILL_SALE_STATE_OPEN);

  n = self->lines->len;
  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->lines, i),
                                          line_qty_notify_cb, self);
  g_ptr_array_set_size (self->lines, 0);
  lines_changed (self, 0, n, 0);
}

/* ---------------------------------------------------------------- discounts */

gboolean
till_sale_set_line_discount (TillSale        *self,
                             guint            position,
                             TillDiscountKind kind,
                             gint64           value,
                             GError         **error)
{
  TillSaleLine *line;

  g_return_val_if_fail (TILL_IS_SALE (self), FALSE);
  g_return_val_if_fail (position < self->lines->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error) || !till_discount_check (kind, value, error))
    return FALSE;
  line = g_ptr_array_index (self->lines, position);
  if (kind != TILL_DISCOUNT_NONE && till_sale_line_get_line_total_fen (line) <= 0)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("Only a line with a price can be discounted."));
      return FALSE;
    }
  if (kind == TILL_DISCOUNT_AMOUNT && value > till_sale_line_get_line_total_fen (line))
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("The discount is more than the line’s amount."));
      return FALSE;
    }
  _till_sale_line_set_discount (line, kind, value);
  lines_changed (self, position, 1, 1);
  return TRUE;
}

gboolean
till_sale_set_line_price (TillSale *self,
                          guint     position,
                          gint64    unit_price_fen,
                          GError  **error)
{
  TillSaleLine *line;
  gint64 line_total = 0, total, qty;

  g_return_val_if_fail (TILL_IS_SALE (self), FALSE);
  g_return_val_if_fail (position < self->lines->len, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;
  line = g_ptr_array_index (self->lines, position);
  if (!_till_sale_line_total_for_price (line, unit_price_fen, &line_total, error))
    return FALSE;
  if (!sum_lines (self, position, line_total, till_sale_line_get_qty_milli (line), &total, &qty))
    {
      set_total_overflow_error (error);
      return FALSE;
    }
  /* an amount discount larger than the new total is cut to it by till_discount_compute() */
  _till_sale_line_set_price (line, unit_price_fen, line_total);
  lines_changed (self, position, 1, 1);
  return TRUE;
}

gboolean
till_sale_set_discount (TillSale        *self,
                        TillDiscountKind kind,
                        gint64           value,
                        GError         **error)
{
  g_return_val_if_fail (TILL_IS_SALE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error) || !till_discount_check (kind, value, error))
    return FALSE;
  self->discount_kind = kind;
  self->discount_value = kind == TILL_DISCOUNT_NONE ? 0 : value;
  lines_changed (self, 0, self->lines->len, self->lines->len);
  return TRUE;
}

void
till_sale_set_total_rounding (TillSale         *self,
                              TillTotalRounding rounding)
{
  g_return_if_fail (TILL_IS_SALE (self));
  g_return_if_fail (till_total_rounding_to_string (rounding) != NULL);

  if (self->total_rounding == rounding)
    return;
  self->total_rounding = rounding;
  lines_changed (self, 0, self->lines->len, self->lines->len);
}

TillDiscountKind
till_sale_get_discount_kind (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), TILL_DISCOUNT_NONE);
  return self->discount_kind;
}

gint64
till_sale_get_discount_value (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->discount_value;
}

gint64
till_sale_get_discount_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->discount_fen;
}

TillTotalRounding
till_sale_get_total_rounding (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), TILL_TOTAL_ROUNDING_NONE);
  return self->total_rounding;
}

gint64
till_sale_get_rounding_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->rounding_fen;
}

gint64
till_sale_get_net_total_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->total_fen + self->discount_fen + self->points_fen + self->rounding_fen;
}

gint64
till_sale_get_original_total_fen (TillSale *self)
{
  gint64 total = 0;

  g_return_val_if_fail (TILL_IS_SALE (self), 0);

  for (guint i = 0; i < self->lines->len; i++)
    total += till_sale_line_get_original_total_fen (g_ptr_array_index (self->lines, i));
  return total;
}

gint64
till_sale_get_saved_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return till_sale_get_original_total_fen (self) - self->total_fen;
}

/* ---- members ---- */

static const char *const kind_names[] = { "goods", "topup" };

const char *
till_sale_kind_to_string (TillSaleKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
till_sale_kind_from_string (const char   *text,
                            TillSaleKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out = (TillSaleKind) i;
        return TRUE;
      }
  return FALSE;
}

TillSaleKind
till_sale_get_kind (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), TILL_SALE_KIND_GOODS);
  return self->kind;
}

void
till_sale_set_kind (TillSale     *self,
                    TillSaleKind  kind)
{
  g_return_if_fail (TILL_IS_SALE (self));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kind_names));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

const TillSaleMember *
till_sale_get_member (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), NULL);
  return self->member;
}

gint64
till_sale_get_member_id (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->member != NULL ? self->member->id : 0;
}

void
till_sale_set_member (TillSale             *self,
                      const TillSaleMember *member)
{
  g_return_if_fail (TILL_IS_SALE (self));

  if (till_sale_member_equal (self->member, member))
    return;
  g_clear_pointer (&self->member, till_sale_member_free);
  self->member = till_sale_member_copy (member);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBER]);
  if (self->points_redeemed > 0
      && (member == NULL || member->id != self->points_member_id))
    {
      /* points are the member's: another member (or none) does not redeem them */
      self->points_redeemed = 0;
      lines_changed (self, 0, self->lines->len, self->lines->len);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gint64
till_sale_get_topup_bonus_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->topup_bonus_fen;
}

void
till_sale_set_topup_bonus_fen (TillSale *self,
                               gint64    bonus_fen)
{
  g_return_if_fail (TILL_IS_SALE (self));
  g_return_if_fail (bonus_fen >= 0);

  if (self->topup_bonus_fen == bonus_fen)
    return;
  self->topup_bonus_fen = bonus_fen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPUP_BONUS_FEN]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- points redeemed as a discount ---- */

gboolean
till_sale_set_points (TillSale *self,
                      gint64    points,
                      gint64    points_per_yuan,
                      gint64    max_percent,
                      GError  **error)
{
  g_return_val_if_fail (TILL_IS_SALE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error) || !till_points_check_rule (points_per_yuan, max_percent, error))
    return FALSE;
  if (points < 0)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           _("Points cannot be below zero"));
      return FALSE;
    }
  if (points > 0 && (self->kind != TILL_SALE_KIND_GOODS || self->member == NULL))
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
                           self->member == NULL
                             ? _("Points are redeemed on a member’s sale: find the member first")
                             : _("Points are not redeemed on a top-up"));
      return FALSE;
    }
  self->points_redeemed = points;
  self->points_per_yuan = points_per_yuan;
  self->points_max_percent = max_percent;
  self->points_member_id = self->member != NULL ? self->member->id : 0;
  lines_changed (self, 0, self->lines->len, self->lines->len);
  return TRUE;
}

gint64
till_sale_get_points_redeemed (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->points_redeemed;
}

gint64
till_sale_get_points_fen (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->points_fen;
}

gint64
till_sale_get_points_per_yuan (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->points_per_yuan;
}

gint64
till_sale_get_points_max_percent (TillSale *self)
{
  g_return_val_if_fail (TILL_IS_SALE (self), 0);
  return self->points_max_percent;
}

gint64
till_sale_points_redeemable (TillSale *self,
                             gint64    points_per_yuan,
                             gint64    max_percent,
                             gint64   *out_fen)
{
  gint64 before_points, fen = 0, points;

  g_return_val_if_fail (TILL_IS_SALE (self), 0);

  /* what the sale comes to after its discounts, before points and 抹零 */
  before_points = self->total_fen + self->points_fen + self->rounding_fen;
  points = till_points_normalize (G_MAXINT64 / 2, points_per_yuan,
                                  till_points_cap_fen (before_points, max_percent), &fen);
  if (out_fen != NULL)
    *out_fen = fen;
  return points;
}
