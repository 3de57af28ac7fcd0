/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's day report: the figures of the till's report
 * (src/store/till-store-reports.c, till-store-returns.c, till-store-discounts.c) over
 * every till's rows of every store (or one), joined on (store_id, till_id, the till's
 * ids), into the core's TillReport, rendered by the core's text and CSV; then a line per
 * store. Each table is read once: one pass over the day's sales (by store, cashier and
 * hour at once), one join to their payments, one to their lines, the voids, the refunds
 * and the returns; the C folds and orders the groups as the till's SQL does. */
#define G_LOG_DOMAIN "till-hq"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-hq-private.h"

#define TOP_PRODUCTS 20

/* Parameters of every query: $1 from, $2 to (unix µs, [from, to)), $3 the store or NULL. */
#define OF_STORE(alias) " AND ($3::text IS NULL OR " alias ".store_id = $3)"
#define PAYMENT_OF_SALE \
  " JOIN payment p ON p.store_id = s.store_id AND p.till_id = s.till_id AND p.sale_id = s.id" \
  "  AND p.state = 'paid' AND p.unattached = 0"
#define LINES_OF_SALE \
  " JOIN sale_line l ON l.store_id = s.store_id AND l.till_id = s.till_id AND l.sale_id = s.id"

/* As till-store-discounts.c. */
#define PRICING_LINES \
  " FROM sale s" LINES_OF_SALE \
  " WHERE s.state IN ('paid', 'refunded') AND s.closed_at >= $1 AND s.closed_at < $2" \
  OF_STORE ("s")
#define DISCOUNTED "(l.discount_fen + l.sale_discount_fen <> 0)"
#define OVERRIDDEN \
  "(l.original_price_fen IS NOT NULL AND l.original_price_fen <> l.unit_price_fen" \
  " AND l.fixed_total = 0)"
/* qty × original price, rounded half away from zero (integer division truncates toward
 * zero in PostgreSQL as in SQLite) */
#define ORIGINAL_TOTAL \
  "(CASE WHEN l.original_price_fen * l.qty_milli >= 0" \
  " THEN (l.original_price_fen * l.qty_milli + 500) / 1000" \
  " ELSE (l.original_price_fen * l.qty_milli - 500) / 1000 END)"
#define PRICING_SUMS \
  " sum (CASE WHEN " DISCOUNTED " THEN 1 ELSE 0 END)," \
  " sum (l.discount_fen + l.sale_discount_fen)," \
  " sum (CASE WHEN " OVERRIDDEN " THEN 1 ELSE 0 END)," \
  " sum (CASE WHEN " OVERRIDDEN " THEN " ORIGINAL_TOTAL " - l.line_total_fen ELSE 0 END)"

typedef struct
{
  TillHq     *hq;
  const char *params[4];
} Query;

static PGresult *
run (Query      *q,
     const char *sql,
     int         n_params,
     GError    **error)
{
  return _till_hq_exec (q->hq, sql, n_params, q->params, _("The report could not be made"),
                        error);
}

static const char *
text_at (PGresult *result,
         int       row,
         int       column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

/* The local hours of the day: the 25 boundaries (unix µs) of this program's time zone,
 * as the till's strftime ('%H', …, 'localtime') reads them, as a PostgreSQL array. */
static char *
hour_bounds (const char *date)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  GString *out = g_string_new ("{");
  int year = 0, month = 0, day = 0;

  sscanf (date, "%d-%d-%d", &year, &month, &day);
  for (int h = 0; h <= 24; h++)
    {
      g_autoptr(GDateTime) start = g_date_time_new (zone, year, month, day, 0, 0, 0);
      g_autoptr(GDateTime) at = g_date_time_add_hours (start, h);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT, h > 0 ? "," : "",
                              g_date_time_to_unix (at) * G_USEC_PER_SEC);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* A figure by name (a cashier's sales or returns), summed over stores. */
typedef struct
{
  char   *name;
  guint   n;
  gint64  fen;
} Figure;

static void
figure_free (Figure *f)
{
  g_free (f->name);
  g_free (f);
}

static void
figure_add (GHashTable *figures, const char *name, guint n, gint64 fen)
{
  Figure *f = g_hash_table_lookup (figures, name != NULL ? name : "");

  if (f == NULL)
    {
      f = g_new0 (Figure, 1);
      f->name = g_strdup (name != NULL ? name : "");
      g_hash_table_insert (figures, f->name, f);
    }
  f->n += n;
  f->fen += fen;
}

static int
by_fen_then_name (gconstpointer a, gconstpointer b)
{
  const Figure *x = *(Figure *const *) a, *y = *(Figure *const *) b;

  if (x->fen != y->fen)
    return x->fen > y->fen ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* The figures by amount, largest first, then by name (the till's ORDER BY sum DESC, name). */
static GPtrArray *
figures_sorted (GHashTable *figures)
{
  GPtrArray *sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, figures);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, by_fen_then_name);
  return sorted;
}

static GHashTable *
figures_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) figure_free);
}

/* The figures by store, by cashier and by hour from ONE pass over the period's sales,
 * grouped by store, kind, state, cashier and hour and summed here: the totals, the top-ups,
 * the hours, the cashiers and each store's count, gross and voids. (Not GROUPING SETS:
 * Citus runs no multi-shard query with them; grouped by store_id the whole query runs on
 * the workers.) */
static gboolean
report_sales (Query *q, TillReport *r, GHashTable *lines, const char *date, GError **error)
{
  g_autofree char *bounds = hour_bounds (date);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GHashTable) cashiers = figures_new ();
  g_autoptr(GPtrArray) sorted = NULL;

  q->params[3] = bounds;
  res = run (q,
    "SELECT s.store_id, s.kind, s.state, coalesce (s.cashier, ''),"
    "  width_bucket (s.closed_at, $4::bigint[]) - 1, count(*), sum (s.total_fen) FROM sale s"
    " WHERE s.state IN ('paid', 'refunded', 'voided')"
    "  AND s.closed_at >= $1 AND s.closed_at < $2" OF_STORE ("s")
    " GROUP BY 1, 2, 3, 4, 5", 4, error);
  q->params[3] = NULL;
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_hash_table_lookup (lines, text_at (res, i, 0));
      const char *kind = text_at (res, i, 1);
      gboolean voided = g_strcmp0 (text_at (res, i, 2), "voided") == 0;
      gint64 h = _till_hq_int (res, i, 4);
      guint n = (guint) _till_hq_int (res, i, 5);
      gint64 fen = _till_hq_int (res, i, 6);

      if (voided)
        {
          if (line != NULL)
            line->n_voids += n;
        }
      else if (g_strcmp0 (kind, "goods") == 0)
        {
          r->n_sales += n;
          r->gross_fen += fen;
          if (line != NULL)
            {
              line->n_sales += n;
              line->gross_fen += fen;
            }
          figure_add (cashiers, text_at (res, i, 3), n, fen);
          if (h >= 0 && h <= 23)
            {
              r->hour_count[h] += n;
              r->hour_fen[h] += fen;
            }
        }
      else if (g_strcmp0 (kind, "topup") == 0)
        {
          r->n_topups += n;
          r->topups_fen += fen;
        }
    }
  /* by gross, then by name (the till's ORDER BY 3 DESC, 1) */
  sorted = figures_sorted (cashiers);
  for (guint i = 0; i < sorted->len; i++)
    {
      Figure *f = g_ptr_array_index (sorted, i);

      till_report_add_cashier (r, f->name, f->n, f->fen);
    }
  return TRUE;
}

/* The paid payments of the period's sales and top-ups by method, in one join. */
static gboolean
report_methods (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT s.kind, p.method, count(*), sum (p.amount_fen), sum (p.rounding_fen) FROM sale s"
    PAYMENT_OF_SALE
    " WHERE s.state IN ('paid', 'refunded') AND s.kind IN ('goods', 'topup')"
    "  AND s.closed_at >= $1 AND s.closed_at < $2" OF_STORE ("s")
    " GROUP BY s.kind, p.method", 3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gboolean topup = g_strcmp0 (text_at (res, i, 0), "topup") == 0;
      int m = till_report_method_from_id (text_at (res, i, 1));

      if (m < 0)
        continue;
      if (topup)
        {
          r->topup_method_count[m] = (guint) _till_hq_int (res, i, 2);
          r->topup_method_fen[m] = _till_hq_int (res, i, 3);
        }
      else
        {
          r->method_count[m] = (guint) _till_hq_int (res, i, 2);
          r->method_fen[m] = _till_hq_int (res, i, 3);
        }
      if (m == TILL_REPORT_CASH)
        r->cash_rounding_fen += _till_hq_int (res, i, 4);
    }
  return TRUE;
}

/* Lines summed by product or by cashier: the goods' figures and every line's pricing. */
typedef struct
{
  char   *name;
  char   *barcode;
  gint64  goods_product_id;   /* the lowest product id among the goods' lines (0: none) */
  gint64  product_id;         /* … among every line (the pricing's) */
  guint   n_goods;
  gint64  qty_milli;
  gint64  amount_fen;
  guint   n_discounts;
  gint64  discounts_fen;
  guint   n_overrides;
  gint64  overrides_fen;
} LineGroup;

static void
line_group_free (LineGroup *g)
{
  g_free (g->name);
  g_free (g->barcode);
  g_free (g);
}

static gint64
lowest_id (gint64 a, gint64 b)
{
  return a == 0 ? b : b == 0 ? a : MIN (a, b);
}

/* Adds row i of the lines' query (goods?, cashier, barcode, name, count, min product id,
 * qty, amount, the four pricing sums) to the group `key`. */
static void
line_group_add (GHashTable *groups, const char *key, const char *name, const char *barcode,
                PGresult *res, int i)
{
  LineGroup *g = g_hash_table_lookup (groups, key);

  if (g == NULL)
    {
      g = g_new0 (LineGroup, 1);
      g->name = g_strdup (name != NULL ? name : "");
      g->barcode = g_strdup (barcode);
      g_hash_table_insert (groups, g_strdup (key), g);
    }
  if (g_strcmp0 (text_at (res, i, 0), "t") == 0)
    {
      g->n_goods += (guint) _till_hq_int (res, i, 4);
      g->goods_product_id = lowest_id (g->goods_product_id, _till_hq_int (res, i, 5));
      g->qty_milli += _till_hq_int (res, i, 6);
      g->amount_fen += _till_hq_int (res, i, 7);
    }
  g->product_id = lowest_id (g->product_id, _till_hq_int (res, i, 5));
  g->n_discounts += (guint) _till_hq_int (res, i, 8);
  g->discounts_fen += _till_hq_int (res, i, 9);
  g->n_overrides += (guint) _till_hq_int (res, i, 10);
  g->overrides_fen += _till_hq_int (res, i, 11);
}

static int
compare_names (const char *a, const char *b)
{
  return strcmp (a != NULL ? a : "", b != NULL ? b : "");
}

/* ORDER BY the amount DESC, name (then barcode, so that equal rows keep one order) */
static int
by_amount (gconstpointer a, gconstpointer b)
{
  const LineGroup *x = *(LineGroup *const *) a, *y = *(LineGroup *const *) b;

  if (x->amount_fen != y->amount_fen)
    return x->amount_fen > y->amount_fen ? -1 : 1;
  return compare_names (x->name, y->name) != 0 ? compare_names (x->name, y->name)
                                               : compare_names (x->barcode, y->barcode);
}

/* ORDER BY the discounts DESC, name */
static int
by_discounts (gconstpointer a, gconstpointer b)
{
  const LineGroup *x = *(LineGroup *const *) a, *y = *(LineGroup *const *) b;

  if (x->discounts_fen != y->discounts_fen)
    return x->discounts_fen > y->discounts_fen ? -1 : 1;
  return compare_names (x->name, y->name) != 0 ? compare_names (x->name, y->name)
                                               : compare_names (x->barcode, y->barcode);
}

static GPtrArray *
line_groups_sorted (GHashTable *groups, GCompareFunc compare)
{
  GPtrArray *sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare);
  return sorted;
}

/* The period's lines in ONE join, grouped by top-up or goods, cashier, barcode and name
 * and folded here: by the goods' barcode and name (a till's product id means nothing in
 * another till) the products sold and the pricing by product, by cashier the pricing by
 * cashier (the pricing counts the top-ups' lines too, as the till's). */
static gboolean
report_lines (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT s.kind = 'goods', coalesce (s.cashier, ''), l.barcode, l.name, count(*),"
    "  coalesce (min (l.product_id), 0), sum (l.qty_milli),"
    "  sum (coalesce (l.final_fen, l.line_total_fen))," PRICING_SUMS PRICING_LINES
    " GROUP BY 1, 2, 3, 4", 3, error);
  g_autoptr(GHashTable) by_product = NULL;
  g_autoptr(GHashTable) by_cashier = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GPtrArray) cashiers = NULL;

  if (res == NULL)
    return FALSE;
  by_product = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) line_group_free);
  by_cashier = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) line_group_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *barcode = text_at (res, i, 2);
      /* the key: barcode (or none) and name, as GROUP BY l.barcode, l.name */
      g_autofree char *key = g_strdup_printf ("%c%s%c%s", barcode != NULL ? 'b' : 'n',
                                              barcode != NULL ? barcode : "", '\x1f',
                                              text_at (res, i, 3));

      line_group_add (by_product, key, text_at (res, i, 3), barcode, res, i);
      line_group_add (by_cashier, text_at (res, i, 1), text_at (res, i, 1), NULL, res, i);
    }
  products = line_groups_sorted (by_product, by_amount);
  cashiers = line_groups_sorted (by_cashier, by_discounts);

  /* the products sold: the goods' lines, the first TOP_PRODUCTS by amount */
  for (guint i = 0, n = 0; i < products->len && n < TOP_PRODUCTS; i++)
    {
      LineGroup *g = g_ptr_array_index (products, i);

      if (g->n_goods == 0)
        continue;
      till_report_add_product (r, g->goods_product_id, g->name, g->qty_milli, g->amount_fen);
      n++;
    }
  /* the pricing (as till-store-discounts.c): groups with a discount or an override */
  for (guint i = 0; i < cashiers->len; i++)
    {
      LineGroup *g = g_ptr_array_index (cashiers, i);

      if (g->n_discounts == 0 && g->n_overrides == 0)
        continue;
      till_report_add_pricing (r->pricing_cashiers, g->name, 0, g->n_discounts,
                               g->discounts_fen, g->n_overrides, g->overrides_fen);
      r->discounts_fen += g->discounts_fen;
      r->overrides_fen += g->overrides_fen;
    }
  g_ptr_array_sort (products, by_discounts);
  for (guint i = 0; i < products->len; i++)
    {
      LineGroup *g = g_ptr_array_index (products, i);

      if (g->n_discounts == 0 && g->n_overrides == 0)
        continue;
      till_report_add_pricing (r->pricing_products, g->name, g->product_id, g->n_discounts,
                               g->discounts_fen, g->n_overrides, g->overrides_fen);
    }
  return TRUE;
}

static gboolean
report_voids (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT number, closed_at, total_fen, coalesce (cashier, '') FROM sale s"
    " WHERE state = 'voided' AND closed_at >= $1 AND closed_at < $2" OF_STORE ("s")
    " ORDER BY closed_at, store_id, till_id, id", 3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      till_report_add_event (r->voids, text_at (res, i, 0), _till_hq_int (res, i, 1),
                             _till_hq_int (res, i, 2), text_at (res, i, 3), NULL, NULL);
      r->n_voids++;
      r->voids_fen += _till_hq_int (res, i, 2);
    }
  return TRUE;
}

/* The refunds, each with its store (the stores' lines are summed from them). */
static gboolean
report_refunds (Query *q, TillReport *r, GHashTable *lines, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT s.number, f.created_at, f.amount_fen, p.method, f.out_refund_no, f.reason,"
    " f.rounding_fen, f.store_id FROM refund f"
    " JOIN payment p ON p.store_id = f.store_id AND p.till_id = f.till_id AND p.id = f.payment_id"
    " JOIN sale s ON s.store_id = p.store_id AND s.till_id = p.till_id AND s.id = p.sale_id"
    " WHERE f.state = 'success' AND f.created_at >= $1 AND f.created_at < $2" OF_STORE ("f")
    "  AND p.unattached = 0 AND s.state <> 'voided'"
    " ORDER BY f.created_at, f.store_id, f.till_id, f.id", 3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *method = text_at (res, i, 3);
      gint64 amount = _till_hq_int (res, i, 2);
      int m = till_report_method_from_id (method);
      TillHqStoreLine *line = g_hash_table_lookup (lines, text_at (res, i, 7));

      till_report_add_event (r->refunds, text_at (res, i, 0), _till_hq_int (res, i, 1), amount,
                             method, text_at (res, i, 4), text_at (res, i, 5));
      r->n_refunds++;
      r->refunds_fen += amount;
      if (m >= 0)
        r->method_refund_fen[m] += amount;
      r->cash_rounding_fen -= _till_hq_int (res, i, 6);
      if (line != NULL)
        {
          line->n_refunds++;
          line->refunds_fen += amount;
        }
    }
  return TRUE;
}

/* Returns without a receipt by store and cashier: the cashiers' lines over the stores,
 * the stores' returns. */
static gboolean
report_returns (Query *q, TillReport *r, GHashTable *lines, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT store_id, cashier, count(*), sum (amount_fen), sum (rounding_fen)"
    " FROM goods_return g WHERE at >= $1 AND at < $2" OF_STORE ("g")
    " GROUP BY store_id, cashier", 3, error);
  g_autoptr(GHashTable) cashiers = figures_new ();
  g_autoptr(GPtrArray) sorted = NULL;

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_hash_table_lookup (lines, text_at (res, i, 0));
      guint n = (guint) _till_hq_int (res, i, 2);
      gint64 amount = _till_hq_int (res, i, 3);

      figure_add (cashiers, text_at (res, i, 1), n, amount);
      r->n_returns += n;
      r->returns_fen += amount;
      r->cash_rounding_fen -= _till_hq_int (res, i, 4);
      if (line != NULL)
        line->returns_fen += amount;
    }
  /* the till's ORDER BY sum (amount_fen) DESC, cashier */
  sorted = figures_sorted (cashiers);
  for (guint i = 0; i < sorted->len; i++)
    {
      Figure *f = g_ptr_array_index (sorted, i);

      till_report_add_return_cashier (r, f->name, f->n, f->fen);
    }
  return TRUE;
}

static void
store_line_free (TillHqStoreLine *line)
{
  g_free (line->store_id);
  g_free (line->name);
  g_free (line);
}

/* The stores' lines, empty: every store (or the one asked for), with or without sales;
 * the other queries fill them. */
static gboolean
report_stores (Query *q, TillHqReport *report, GHashTable *lines, GError **error)
{
  g_autoptr(PGresult) res = _till_hq_exec (q->hq,
    "SELECT store_id, name FROM store WHERE ($1::text IS NULL OR store_id = $1)"
    " ORDER BY store_id", 1, &q->params[2], _("The report could not be made"), error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_new0 (TillHqStoreLine, 1);

      line->store_id = g_strdup (text_at (res, i, 0));
      line->name = g_strdup (text_at (res, i, 1));
      g_ptr_array_add (report->stores, line);
      g_hash_table_insert (lines, line->store_id, line);
    }
  return TRUE;
}

void
till_hq_report_free (TillHqReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->total, till_report_free);
  g_clear_pointer (&report->stores, g_ptr_array_unref);
  g_free (report);
}

TillHqReport *
till_hq_report_day (TillHq      *self,
                    const char  *date,
                    const char  *store_id,
                    GError     **error)
{
  g_autoptr(TillHqReport) report = g_new0 (TillHqReport, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autoptr(GHashTable) lines = g_hash_table_new (g_str_hash, g_str_equal);
  Query q = { self, { NULL } };
  TillReport *r;
  gint64 from, to;
  gboolean ok;

  g_return_val_if_fail (TILL_IS_HQ (self), NULL);

  if (!till_report_parse_day (date, &from, &to, error))
    return NULL;
  if (store_id != NULL)
    {
      g_autoptr(GPtrArray) stores = till_hq_list_stores (self, error);
      gboolean known = FALSE;

      if (stores == NULL)
        return NULL;
      for (guint i = 0; i < stores->len; i++)
        known = known || g_str_equal (((TillHqStore *) stores->pdata[i])->id, store_id);
      if (!known)
        {
          g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE,
                       _("There is no store “%s” at head office (tillpoint-hq stores)"),
                       store_id);
          return NULL;
        }
    }
  report->total = r = till_report_new ();
  report->stores = g_ptr_array_new_with_free_func ((GDestroyNotify) store_line_free);
  r->from_us = from;
  r->to_us = to;
  r->title_period = g_strdup (date);
  from_text = g_strdup_printf ("%" G_GINT64_FORMAT, from);
  to_text = g_strdup_printf ("%" G_GINT64_FORMAT, to);
  q.params[0] = from_text;
  q.params[1] = to_text;
  q.params[2] = store_id;

  /* One snapshot: every figure sees the same rows, while tills keep sending. No parallel
   * workers: a day's rows are found by index (a few thousand sales), and starting workers
   * costs more than they save (docs/head-office.md, the day report). */
  if (!_till_hq_run (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                     _("The report could not be made"), error))
    return NULL;
  ok = _till_hq_run (self, "SET LOCAL max_parallel_workers_per_gather = 0",
                     _("The report could not be made"), &local_error)
       && report_stores (&q, report, lines, &local_error)
       && report_sales (&q, r, lines, date, &local_error)
       && report_methods (&q, r, &local_error)
       && report_lines (&q, r, &local_error)
       && report_voids (&q, r, &local_error)
       && report_refunds (&q, r, lines, &local_error)
       && report_returns (&q, r, lines, &local_error);
  _till_hq_rollback (self);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  for (guint i = 0; i < report->stores->len; i++)
    {
      TillHqStoreLine *line = g_ptr_array_index (report->stores, i);

      line->net_fen = line->gross_fen - line->refunds_fen - line->returns_fen;
    }
  r->net_fen = r->gross_fen - r->refunds_fen - r->returns_fen;
  r->average_fen = till_report_average (r->gross_fen, r->n_sales);
  return g_steal_pointer (&report);
}

/* ---------------------------------------------------------------- renderings */

char *
till_hq_report_to_text (const TillHqReport *report)
{
  g_autofree char *body = NULL;
  GString *out;

  g_return_val_if_fail (report != NULL, NULL);

  body = till_report_to_text (report->total);
  out = g_string_new (body);
  till_report_append_heading (out, _("By store: gross sales"));
  for (guint i = 0; i < report->stores->len; i++)
    {
      TillHqStoreLine *line = g_ptr_array_index (report->stores, i);
      g_autofree char *label = g_strdup_printf ("%s %s", line->store_id, line->name);
      g_autofree char *count = g_strdup_printf ("%u", line->n_sales);

      till_report_append_text_row (out, label, count, line->gross_fen, TRUE);
    }
  till_report_append_heading (out, _("By store: net"));
  for (guint i = 0; i < report->stores->len; i++)
    {
      TillHqStoreLine *line = g_ptr_array_index (report->stores, i);
      g_autofree char *label = g_strdup_printf ("%s %s", line->store_id, line->name);

      till_report_append_text_row (out, label, NULL, line->net_fen, TRUE);
    }
  return g_string_free (out, FALSE);
}

char *
till_hq_report_to_csv (const TillHqReport *report,
                       gsize              *out_length)
{
  g_autofree char *body = NULL;
  gsize length = 0;
  GString *out;

  g_return_val_if_fail (report != NULL, NULL);

  body = till_report_to_csv (report->total, &length);
  out = g_string_new_len (body, (gssize) length);
  for (guint i = 0; i < report->stores->len; i++)
    {
      TillHqStoreLine *line = g_ptr_array_index (report->stores, i);
      g_autofree char *n_sales = g_strdup_printf ("%u", line->n_sales);
      g_autofree char *n_refunds = g_strdup_printf ("%u", line->n_refunds);

      till_report_append_csv_row (out, _("By store: gross sales"), line->name, n_sales,
                                  line->gross_fen, line->store_id);
      till_report_append_csv_row (out, _("By store: refunds"), line->name, n_refunds,
                                  line->refunds_fen, line->store_id);
      till_report_append_csv_row (out, _("By store: returns without receipt"), line->name, "",
                                  line->returns_fen, line->store_id);
      till_report_append_csv_row (out, _("By store: net"), line->name, "", line->net_fen,
                                  line->store_id);
    }
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}
