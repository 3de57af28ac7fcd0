/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's day report: the till's report (src/store/till-store-reports.c,
 * till-store-returns.c, till-store-discounts.c) as the same SQL over every till's rows of
 * every store (or one), joined on (store_id, till_id, the till's ids), into the core's
 * TillReport, rendered by the core's text and CSV; then a line per store. */
#define G_LOG_DOMAIN "till-hq"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-hq-private.h"

#define TOP_PRODUCTS 20

/* Parameters of every query: $1 from, $2 to (unix µs, [from, to)), $3 the store or NULL. */
#define OF_STORE(alias) " AND ($3::text IS NULL OR " alias ".store_id = $3)"
#define SALES_IN_PERIOD \
  " s.state IN ('paid', 'refunded') AND s.kind = 'goods'" \
  " AND s.closed_at >= $1 AND s.closed_at < $2" OF_STORE ("s")
#define TOPUPS_IN_PERIOD \
  " s.state IN ('paid', 'refunded') AND s.kind = 'topup'" \
  " AND s.closed_at >= $1 AND s.closed_at < $2" OF_STORE ("s")
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

static gboolean
report_totals (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q, "SELECT count(*), coalesce (sum (s.total_fen), 0)"
                                    " FROM sale s WHERE" SALES_IN_PERIOD, 3, error);

  if (res == NULL)
    return FALSE;
  r->n_sales = (guint) _till_hq_int (res, 0, 0);
  r->gross_fen = _till_hq_int (res, 0, 1);
  return TRUE;
}

static gboolean
report_methods (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q, "SELECT p.method, count(*), sum (p.amount_fen),"
                                    " sum (p.rounding_fen) FROM sale s" PAYMENT_OF_SALE
                                    " WHERE" SALES_IN_PERIOD " GROUP BY p.method", 3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      int m = till_report_method_from_id (text_at (res, i, 0));

      if (m < 0)
        continue;
      r->method_count[m] = (guint) _till_hq_int (res, i, 1);
      r->method_fen[m] = _till_hq_int (res, i, 2);
      if (m == TILL_REPORT_CASH)
        r->cash_rounding_fen += _till_hq_int (res, i, 3);
    }
  return TRUE;
}

static gboolean
report_topups (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) totals = run (q, "SELECT count(*), coalesce (sum (s.total_fen), 0)"
                                       " FROM sale s WHERE" TOPUPS_IN_PERIOD, 3, error);
  g_autoptr(PGresult) methods = NULL;

  if (totals == NULL)
    return FALSE;
  r->n_topups = (guint) _till_hq_int (totals, 0, 0);
  r->topups_fen = _till_hq_int (totals, 0, 1);
  methods = run (q, "SELECT p.method, count(*), sum (p.amount_fen), sum (p.rounding_fen)"
                    " FROM sale s" PAYMENT_OF_SALE " WHERE" TOPUPS_IN_PERIOD
                    " GROUP BY p.method", 3, error);
  if (methods == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (methods); i++)
    {
      int m = till_report_method_from_id (text_at (methods, i, 0));

      if (m < 0)
        continue;
      r->topup_method_count[m] = (guint) _till_hq_int (methods, i, 1);
      r->topup_method_fen[m] = _till_hq_int (methods, i, 2);
      if (m == TILL_REPORT_CASH)
        r->cash_rounding_fen += _till_hq_int (methods, i, 3);
    }
  return TRUE;
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

static gboolean
report_hours (Query *q, TillReport *r, const char *date, GError **error)
{
  g_autofree char *bounds = hour_bounds (date);
  g_autoptr(PGresult) res = NULL;

  q->params[3] = bounds;
  res = run (q, "SELECT width_bucket (s.closed_at, $4::bigint[]) - 1 AS hour, count(*),"
                " sum (s.total_fen) FROM sale s WHERE" SALES_IN_PERIOD " GROUP BY hour",
             4, error);
  q->params[3] = NULL;
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 h = _till_hq_int (res, i, 0);

      if (h < 0 || h > 23)
        continue;
      r->hour_count[h] = (guint) _till_hq_int (res, i, 1);
      r->hour_fen[h] = _till_hq_int (res, i, 2);
    }
  return TRUE;
}

/* By the goods' barcode and name (a till's product id means nothing in another till);
 * the ordering is the till's. */
static gboolean
report_products (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT coalesce (min (l.product_id), 0), l.name, sum (l.qty_milli),"
    "  sum (coalesce (l.final_fen, l.line_total_fen)) FROM sale s" LINES_OF_SALE
    " WHERE" SALES_IN_PERIOD
    " GROUP BY l.barcode, l.name ORDER BY 4 DESC, 2 LIMIT " G_STRINGIFY (TOP_PRODUCTS),
    3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    till_report_add_product (r, _till_hq_int (res, i, 0), text_at (res, i, 1),
                             _till_hq_int (res, i, 2), _till_hq_int (res, i, 3));
  return TRUE;
}

static gboolean
report_cashiers (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT coalesce (s.cashier, ''), count(*), sum (s.total_fen) FROM sale s"
    " WHERE" SALES_IN_PERIOD " GROUP BY coalesce (s.cashier, '') ORDER BY 3 DESC, 1",
    3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    till_report_add_cashier (r, text_at (res, i, 0), (guint) _till_hq_int (res, i, 1),
                             _till_hq_int (res, i, 2));
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

static gboolean
report_refunds (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT s.number, f.created_at, f.amount_fen, p.method, f.out_refund_no, f.reason,"
    " f.rounding_fen FROM refund f"
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

      till_report_add_event (r->refunds, text_at (res, i, 0), _till_hq_int (res, i, 1), amount,
                             method, text_at (res, i, 4), text_at (res, i, 5));
      r->n_refunds++;
      r->refunds_fen += amount;
      if (m >= 0)
        r->method_refund_fen[m] += amount;
      r->cash_rounding_fen -= _till_hq_int (res, i, 6);
    }
  return TRUE;
}

static gboolean
report_returns (Query *q, TillReport *r, GError **error)
{
  g_autoptr(PGresult) res = run (q,
    "SELECT cashier, count(*), sum (amount_fen), sum (rounding_fen) FROM goods_return g"
    " WHERE at >= $1 AND at < $2" OF_STORE ("g")
    " GROUP BY cashier ORDER BY sum (amount_fen) DESC, cashier", 3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      guint n = (guint) _till_hq_int (res, i, 1);
      gint64 amount = _till_hq_int (res, i, 2);

      till_report_add_return_cashier (r, text_at (res, i, 0), n, amount);
      r->n_returns += n;
      r->returns_fen += amount;
      r->cash_rounding_fen -= _till_hq_int (res, i, 3);
    }
  return TRUE;
}

static gboolean
pricing_rows (Query      *q,
              const char *sql,
              TillReport *r,
              GPtrArray  *list,
              gboolean    by_product,
              GError    **error)
{
  g_autoptr(PGresult) res = run (q, sql, 3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      guint n_discounts = (guint) _till_hq_int (res, i, 2);
      guint n_overrides = (guint) _till_hq_int (res, i, 4);

      if (n_discounts == 0 && n_overrides == 0)
        continue;
      till_report_add_pricing (list, text_at (res, i, 0),
                               by_product ? _till_hq_int (res, i, 1) : 0, n_discounts,
                               _till_hq_int (res, i, 3), n_overrides, _till_hq_int (res, i, 5));
      if (!by_product)
        {
          r->discounts_fen += _till_hq_int (res, i, 3);
          r->overrides_fen += _till_hq_int (res, i, 5);
        }
    }
  return TRUE;
}

static gboolean
report_pricing (Query *q, TillReport *r, GError **error)
{
  return pricing_rows (q, "SELECT coalesce (s.cashier, ''), 0," PRICING_SUMS PRICING_LINES
                          " GROUP BY coalesce (s.cashier, '') ORDER BY 4 DESC, 1",
                       r, r->pricing_cashiers, FALSE, error)
         && pricing_rows (q, "SELECT l.name, coalesce (min (l.product_id), 0)," PRICING_SUMS
                             PRICING_LINES " GROUP BY l.barcode, l.name ORDER BY 4 DESC, 1",
                          r, r->pricing_products, TRUE, error);
}

/* The stores' lines: every store (or the one asked for), with or without sales. */
static gboolean
report_stores (Query *q, TillHqReport *report, GError **error)
{
  /* Each figure grouped by store in one pass, then joined to the stores. */
  g_autoptr(PGresult) res = run (q,
    "SELECT st.store_id, st.name, coalesce (a.n, 0), coalesce (a.gross, 0),"
    "  coalesce (v.n, 0), coalesce (f.n, 0), coalesce (f.amount, 0), coalesce (g.amount, 0)"
    " FROM store st"
    " LEFT JOIN (SELECT s.store_id, count(*) AS n, sum (s.total_fen) AS gross FROM sale s"
    "   WHERE" SALES_IN_PERIOD " GROUP BY s.store_id) a ON a.store_id = st.store_id"
    " LEFT JOIN (SELECT s.store_id, count(*) AS n FROM sale s WHERE s.state = 'voided'"
    "   AND s.closed_at >= $1 AND s.closed_at < $2" OF_STORE ("s")
    "   GROUP BY s.store_id) v ON v.store_id = st.store_id"
    " LEFT JOIN (SELECT f.store_id, count(*) AS n, sum (f.amount_fen) AS amount FROM refund f"
    "   JOIN payment p ON p.store_id = f.store_id AND p.till_id = f.till_id"
    "    AND p.id = f.payment_id"
    "   JOIN sale s ON s.store_id = p.store_id AND s.till_id = p.till_id AND s.id = p.sale_id"
    "   WHERE f.state = 'success' AND f.created_at >= $1 AND f.created_at < $2" OF_STORE ("f")
    "    AND p.unattached = 0 AND s.state <> 'voided'"
    "   GROUP BY f.store_id) f ON f.store_id = st.store_id"
    " LEFT JOIN (SELECT g.store_id, sum (g.amount_fen) AS amount FROM goods_return g"
    "   WHERE g.at >= $1 AND g.at < $2" OF_STORE ("g")
    "   GROUP BY g.store_id) g ON g.store_id = st.store_id"
    " WHERE ($3::text IS NULL OR st.store_id = $3) ORDER BY st.store_id",
    3, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      TillHqStoreLine *line = g_new0 (TillHqStoreLine, 1);

      line->store_id = g_strdup (text_at (res, i, 0));
      line->name = g_strdup (text_at (res, i, 1));
      line->n_sales = (guint) _till_hq_int (res, i, 2);
      line->gross_fen = _till_hq_int (res, i, 3);
      line->n_voids = (guint) _till_hq_int (res, i, 4);
      line->n_refunds = (guint) _till_hq_int (res, i, 5);
      line->refunds_fen = _till_hq_int (res, i, 6);
      line->returns_fen = _till_hq_int (res, i, 7);
      line->net_fen = line->gross_fen - line->refunds_fen - line->returns_fen;
      g_ptr_array_add (report->stores, line);
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

  /* One snapshot: every figure sees the same rows, while tills keep sending. */
  if (!_till_hq_run (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                     _("The report could not be made"), error))
    return NULL;
  ok = report_totals (&q, r, &local_error)
       && report_methods (&q, r, &local_error)
       && report_topups (&q, r, &local_error)
       && report_hours (&q, r, date, &local_error)
       && report_products (&q, r, &local_error)
       && report_cashiers (&q, r, &local_error)
       && report_voids (&q, r, &local_error)
       && report_refunds (&q, r, &local_error)
       && report_returns (&q, r, &local_error)
       && report_pricing (&q, r, &local_error)
       && report_stores (&q, report, &local_error);
  _till_hq_rollback (self);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
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
