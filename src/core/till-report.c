/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sales report: its parts and its text, CSV and JSON renderings. */
#define G_LOG_DOMAIN "till-report"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-json-private.h"
#include "till-money.h"
#include "till-payment-state.h"
#include "till-report.h"

const gint64 till_denominations_fen[TILL_N_DENOMINATIONS] = {
  10000, 5000, 2000, 1000, 500, 100, 50, 10,
};

static const char *const method_ids[TILL_REPORT_N_METHODS] = {
  "cash", "wechat_code", "wechat_native", "alipay_code", "alipay_qr", "stored_value",
};

/* Every method a payment can record has its line in the report (the store's aggregates
 * skip a method the report does not know); test-report checks the ids match. */
G_STATIC_ASSERT (TILL_REPORT_N_METHODS == TILL_PAYMENT_METHOD_COUNT);

const char *
till_report_method_id (TillReportMethod method)
{
  g_return_val_if_fail (method < TILL_REPORT_N_METHODS, NULL);
  return method_ids[method];
}

const char *
till_report_method_label (TillReportMethod method)
{
  switch (method)
    {
    case TILL_REPORT_CASH: return _("Cash");
    case TILL_REPORT_WECHAT_CODE: return _("WeChat code");
    case TILL_REPORT_WECHAT_NATIVE: return _("WeChat QR");
    case TILL_REPORT_ALIPAY_CODE: return _("Alipay code");
    case TILL_REPORT_ALIPAY_QR: return _("Alipay QR");
    case TILL_REPORT_STORED_VALUE: return _("Stored value");
    case TILL_REPORT_N_METHODS:
    default: g_return_val_if_reached (NULL);
    }
}

int
till_report_method_from_id (const char *id)
{
  for (int i = 0; i < TILL_REPORT_N_METHODS; i++)
    if (g_strcmp0 (id, method_ids[i]) == 0)
      return i;
  return -1;
}

static void
product_free (TillReportProduct *p)
{
  g_free (p->name);
  g_free (p);
}

static void
cashier_free (TillReportCashier *c)
{
  g_free (c->cashier);
  g_free (c);
}

static void
pricing_free (TillReportPricing *p)
{
  g_free (p->name);
  g_free (p);
}

static void
event_free (TillReportEvent *e)
{
  g_free (e->sale_number);
  g_free (e->who);
  g_free (e->reference);
  g_free (e->reason);
  g_free (e);
}

TillReport *
till_report_new (void)
{
  TillReport *report = g_new0 (TillReport, 1);

  report->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  report->cashiers = g_ptr_array_new_with_free_func ((GDestroyNotify) cashier_free);
  report->voids = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  report->refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  report->returns = g_ptr_array_new_with_free_func ((GDestroyNotify) cashier_free);
  report->pricing_cashiers = g_ptr_array_new_with_free_func ((GDestroyNotify) pricing_free);
  report->pricing_products = g_ptr_array_new_with_free_func ((GDestroyNotify) pricing_free);
  return report;
}

void
till_report_free (TillReport *report)
{
  if (report == NULL)
    return;
  g_free (report->title_period);
  g_ptr_array_unref (report->products);
  g_ptr_array_unref (report->cashiers);
  g_ptr_array_unref (report->voids);
  g_ptr_array_unref (report->refunds);
  g_ptr_array_unref (report->returns);
  g_ptr_array_unref (report->pricing_cashiers);
  g_ptr_array_unref (report->pricing_products);
  g_free (report);
}

void
till_report_add_product (TillReport *report,
                         gint64      product_id,
                         const char *name,
                         gint64      qty_milli,
                         gint64      amount_fen)
{
  TillReportProduct *p = g_new0 (TillReportProduct, 1);

  p->product_id = product_id;
  p->name = g_strdup (name ? name : "");
  p->qty_milli = qty_milli;
  p->amount_fen = amount_fen;
  g_ptr_array_add (report->products, p);
}

void
till_report_add_cashier (TillReport *report,
                         const char *cashier,
                         guint       n_sales,
                         gint64      amount_fen)
{
  TillReportCashier *c = g_new0 (TillReportCashier, 1);

  c->cashier = g_strdup (cashier ? cashier : "");
  c->n_sales = n_sales;
  c->amount_fen = amount_fen;
  g_ptr_array_add (report->cashiers, c);
}

void
till_report_add_return_cashier (TillReport *report,
                                const char *cashier,
                                guint       n_returns,
                                gint64      amount_fen)
{
  TillReportCashier *c = g_new0 (TillReportCashier, 1);

  c->cashier = g_strdup (cashier ? cashier : "");
  c->n_sales = n_returns;
  c->amount_fen = amount_fen;
  g_ptr_array_add (report->returns, c);
}

void
till_report_add_pricing (GPtrArray  *list,
                         const char *name,
                         gint64      product_id,
                         guint       n_discounts,
                         gint64      discount_fen,
                         guint       n_overrides,
                         gint64      override_fen)
{
  TillReportPricing *p = g_new0 (TillReportPricing, 1);

  p->name = g_strdup (name != NULL ? name : "");
  p->product_id = product_id;
  p->n_discounts = n_discounts;
  p->discount_fen = discount_fen;
  p->n_overrides = n_overrides;
  p->override_fen = override_fen;
  g_ptr_array_add (list, p);
}

void
till_report_add_event (GPtrArray  *list,
                       const char *sale_number,
                       gint64      at,
                       gint64      amount_fen,
                       const char *who,
                       const char *reference,
                       const char *reason)
{
  TillReportEvent *e = g_new0 (TillReportEvent, 1);

  e->sale_number = g_strdup (sale_number);
  e->at = at;
  e->amount_fen = amount_fen;
  e->who = g_strdup (who);
  e->reference = g_strdup (reference);
  e->reason = g_strdup (reason);
  g_ptr_array_add (list, e);
}

gint64
till_report_average (gint64 total_fen,
                     guint  n)
{
  gint64 q, r;

  if (n == 0)
    return 0;
  q = total_fen / (gint64) n;
  r = total_fen % (gint64) n;
  /* half up (away from zero for the negative case, which only refunds could give) */
  if (r >= 0 ? 2 * r >= (gint64) n : -2 * r >= (gint64) n)
    q += r >= 0 ? 1 : -1;
  return q;
}

gboolean
till_report_parse_day (const char *date,
                       gint64     *out_from_us,
                       gint64     *out_to_us,
                       GError    **error)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  int y, m, d;

  if (date == NULL || strlen (date) != 10 || date[4] != '-' || date[7] != '-')
    goto bad;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
      goto bad;
  y = atoi (date);
  m = atoi (date + 5);
  d = atoi (date + 8);
  if (y < 1970 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    goto bad;
  start = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (start == NULL)
    goto bad;
  end = g_date_time_add_days (start, 1);
  *out_from_us = g_date_time_to_unix (start) * G_USEC_PER_SEC;
  *out_to_us = g_date_time_to_unix (end) * G_USEC_PER_SEC;
  return TRUE;

bad:
  g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-21"),
               date ? date : "");
  return FALSE;
}

char *
till_report_local_date (gint64 at_us)
{
  gint64 secs = at_us >= 0 ? at_us / G_USEC_PER_SEC
                           : (at_us - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (secs);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("");
}

static char *
local_time (gint64      at_us,
            const char *format)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, format) : g_strdup ("");
}

guint
till_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

void
till_text_pad (GString    *out,
               const char *text,
               guint       width,
               gboolean    right)
{
  guint w = till_text_width (text);
  guint pad = w < width ? width - w : 0;

  if (!right)
    g_string_append (out, text);
  for (guint i = 0; i < pad; i++)
    g_string_append_c (out, ' ');
  if (right)
    g_string_append (out, text);
}

char *
till_report_format_qty (gint64 qty_milli)
{
  gint64 mag = qty_milli < 0 ? -qty_milli : qty_milli;
  char frac[8];
  int len;

  if (mag % 1000 == 0)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT, qty_milli < 0 ? "-" : "", mag / 1000);
  len = g_snprintf (frac, sizeof frac, "%03d", (int) (mag % 1000));
  while (len > 0 && frac[len - 1] == '0')
    frac[--len] = '\0';
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%s", qty_milli < 0 ? "-" : "",
                          mag / 1000, frac);
}

/* ---------------------------------------------------------------- text */

#define LABEL_W 26
#define COUNT_W 8
#define MONEY_W 14

void
till_report_append_text_row (GString    *out,
                             const char *label,
                             const char *count,
                             gint64      amount_fen,
                             gboolean    with_amount)
{
  g_autofree char *money = with_amount ? till_money_format_plain (amount_fen) : g_strdup ("");

  g_string_append (out, "  ");
  till_text_pad (out, label, LABEL_W, FALSE);
  till_text_pad (out, count ? count : "", COUNT_W, TRUE);
  till_text_pad (out, money, MONEY_W, TRUE);
  g_string_append_c (out, '\n');
}

void
till_report_append_heading (GString    *out,
                            const char *heading)
{
  g_string_append_printf (out, "\n%s\n", heading);
  g_string_append (out, "  ");
  for (guint i = 0; i < LABEL_W + COUNT_W + MONEY_W; i++)
    g_string_append_c (out, '-');
  g_string_append_c (out, '\n');
}

/* "Discounts · 3" and "Overrides · 1" rows of one cashier or product. */
static void
text_pricing (GString    *out,
              GPtrArray  *list,
              const char *none)
{
  for (guint i = 0; i < list->len; i++)
    {
      TillReportPricing *p = g_ptr_array_index (list, i);
      const char *name = *p->name ? p->name : none;

      if (p->n_discounts > 0)
        {
          g_autofree char *label = g_strdup_printf (_("%s: discounts"), name);
          g_autofree char *count = g_strdup_printf ("%u", p->n_discounts);

          till_report_append_text_row (out, label, count, p->discount_fen, TRUE);
        }
      if (p->n_overrides > 0)
        {
          g_autofree char *label = g_strdup_printf (_("%s: price overrides"), name);
          g_autofree char *count = g_strdup_printf ("%u", p->n_overrides);

          till_report_append_text_row (out, label, count, p->override_fen, TRUE);
        }
    }
}


/* Stored-value top-ups, apart from the sales: shown once there are any. */
static void
append_topups_text (GString          *out,
                    const TillReport *r)
{
  g_autofree char *n_topups = NULL;

  if (r->n_topups == 0)
    return;
  n_topups = g_strdup_printf ("%u", r->n_topups);
  till_report_append_heading (out, _("Stored value top-ups (not sales)"));
  till_report_append_text_row (out, _("Top-ups"), n_topups, r->topups_fen, TRUE);
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    if (r->topup_method_count[m] > 0)
      {
        g_autofree char *label = g_strdup_printf (_("Top-up · %s"), till_report_method_label (m));
        g_autofree char *count = g_strdup_printf ("%u", r->topup_method_count[m]);

        till_report_append_text_row (out, label, count, r->topup_method_fen[m], TRUE);
      }
}

static void
append_body_text (GString          *out,
                  const TillReport *r)
{
  g_autofree char *n_sales = g_strdup_printf ("%u", r->n_sales);
  g_autofree char *n_refunds = g_strdup_printf ("%u", r->n_refunds);
  g_autofree char *n_voids = g_strdup_printf ("%u", r->n_voids);
  g_autofree char *n_returns = g_strdup_printf ("%u", r->n_returns);

  till_report_append_heading (out, _("Totals"));
  till_report_append_text_row (out, _("Gross sales"), n_sales, r->gross_fen, TRUE);
  till_report_append_text_row (out, _("Refunds"), n_refunds, r->refunds_fen, TRUE);
  /* Shown once there are any (a till that never takes one reads as before). */
  if (r->n_returns > 0)
    till_report_append_text_row (out, _ ("Returns without receipt"), n_returns, r->returns_fen,
                                 TRUE);
  till_report_append_text_row (out, _("Net"), NULL, r->net_fen, TRUE);
  till_report_append_text_row (out, _("Average ticket"), NULL, r->average_fen, TRUE);
  till_report_append_text_row (out, _("Voids"), n_voids, r->voids_fen, TRUE);

  till_report_append_heading (out, _("By payment method"));
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      g_autofree char *count = g_strdup_printf ("%u", r->method_count[m]);

      till_report_append_text_row (out, till_report_method_label (m), count, r->method_fen[m],
                                   TRUE);
    }
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    if (r->method_refund_fen[m] != 0)
      {
        g_autofree char *label = g_strdup_printf (_("Refund · %s"),
                                                  till_report_method_label (m));

        till_report_append_text_row (out, label, NULL, -r->method_refund_fen[m], TRUE);
      }
  if (r->cash_rounding_fen != 0)
    till_report_append_text_row (out, _("Cash rounding"), NULL, r->cash_rounding_fen, TRUE);
  append_topups_text (out, r);

  till_report_append_heading (out, _("By hour"));
  for (int h = 0; h < 24; h++)
    if (r->hour_count[h] > 0)
      {
        g_autofree char *label = g_strdup_printf ("%02d:00–%02d:59", h, h);
        g_autofree char *count = g_strdup_printf ("%u", r->hour_count[h]);

        till_report_append_text_row (out, label, count, r->hour_fen[h], TRUE);
      }

  till_report_append_heading (out, _("Top products"));
  for (guint i = 0; i < r->products->len; i++)
    {
      TillReportProduct *p = g_ptr_array_index (r->products, i);
      g_autofree char *qty = till_report_format_qty (p->qty_milli);

      till_report_append_text_row (out, p->name, qty, p->amount_fen, TRUE);
    }

  till_report_append_heading (out, _("By cashier"));
  for (guint i = 0; i < r->cashiers->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->cashiers, i);
      g_autofree char *count = g_strdup_printf ("%u", c->n_sales);

      till_report_append_text_row (out, *c->cashier ? c->cashier : _ ("(none)"), count,
                                   c->amount_fen, TRUE);
    }

  if (r->returns->len > 0)
    till_report_append_heading (out, _("Returns without receipt by cashier"));
  for (guint i = 0; i < r->returns->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->returns, i);
      g_autofree char *count = g_strdup_printf ("%u", c->n_sales);

      till_report_append_text_row (out, *c->cashier ? c->cashier : _ ("(none)"), count,
                                   c->amount_fen, TRUE);
    }
  till_report_append_heading (out, _("Discounts and price overrides"));
  till_report_append_text_row (out, _("Discounts"), "", r->discounts_fen, TRUE);
  till_report_append_text_row (out, _("Price overrides"), "", r->overrides_fen, TRUE);
  till_report_append_heading (out, _("Discounts by cashier"));
  text_pricing (out, r->pricing_cashiers, _("(none)"));
  till_report_append_heading (out, _("Discounts by product"));
  text_pricing (out, r->pricing_products, _("(none)"));

  till_report_append_heading (out, _("Voided sales"));
  for (guint i = 0; i < r->voids->len; i++)
    {
      TillReportEvent *e = g_ptr_array_index (r->voids, i);
      g_autofree char *time = local_time (e->at, "%H:%M");
      g_autofree char *label = g_strdup_printf ("%s %s", time, e->sale_number);

      till_report_append_text_row (out, label, e->who, e->amount_fen, TRUE);
    }

  till_report_append_heading (out, _("Refund details"));
  for (guint i = 0; i < r->refunds->len; i++)
    {
      TillReportEvent *e = g_ptr_array_index (r->refunds, i);
      g_autofree char *time = local_time (e->at, "%H:%M");
      g_autofree char *label = g_strdup_printf ("%s %s", time, e->sale_number);
      int m = till_report_method_from_id (e->who);

      till_report_append_text_row (out, label, m >= 0 ? method_ids[m] : e->who, e->amount_fen,
                                   TRUE);
    }
}

char *
till_report_to_text (const TillReport *r)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (r != NULL, NULL);

  g_string_append_printf (out, _("Sales report  %s\n"), r->title_period);
  append_body_text (out, r);
  return g_string_free (out, FALSE);
}

char *
till_report_z_text (const TillReport      *r,
                    const TillCashSummary *cash,
                    const guint           *counts,
                    gint64                 counted_fen,
                    const char            *closed_by)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (r != NULL && cash != NULL, NULL);

  g_string_append_printf (out, _("Day close (Z report)  %s\n"), r->title_period);
  if (closed_by != NULL)
    g_string_append_printf (out, _("Closed by: %s\n"), closed_by);
  append_body_text (out, r);

  till_report_append_heading (out, _("Cash drawer"));
  till_report_append_text_row (out, _("Float"), NULL, cash->float_fen, TRUE);
  till_report_append_text_row (out, _("Cash sales"), NULL, cash->cash_sales_fen, TRUE);
  till_report_append_text_row (out, _("Cash refunds"), NULL, -cash->cash_refunds_fen, TRUE);
  if (cash->cash_returns_fen != 0)
    till_report_append_text_row (out, _ ("Returns without receipt"), NULL, -cash->cash_returns_fen,
                                 TRUE);
  till_report_append_text_row (out, _("Cash rounding"), NULL, cash->cash_rounding_fen, TRUE);
  till_report_append_text_row (out, _("Cash in"), NULL, cash->cash_in_fen, TRUE);
  till_report_append_text_row (out, _("Cash out"), NULL, -cash->cash_out_fen, TRUE);
  till_report_append_text_row (out, _("Expected"), NULL, cash->expected_fen, TRUE);
  if (cash->expected_count_fen != cash->expected_fen)
    till_report_append_text_row (out, _ ("Expected in cash unit"), NULL, cash->expected_count_fen,
                                 TRUE);
  if (counts != NULL)
    {
      till_report_append_heading (out, _("Count"));
      for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
        {
          g_autofree char *face = till_money_format (till_denominations_fen[i]);
          g_autofree char *n = g_strdup_printf ("× %u", counts[i]);

          till_report_append_text_row (out, face, n, counts[i] * till_denominations_fen[i], TRUE);
        }
      till_report_append_text_row (out, _("Counted"), NULL, counted_fen, TRUE);
      till_report_append_text_row (out, _ ("Difference"), NULL,
                                   counted_fen - cash->expected_count_fen, TRUE);
    }
  return g_string_free (out, FALSE);
}

void
till_cash_summary_set_rounding (TillCashSummary  *cash,
                                TillCashRounding  rounding)
{
  g_return_if_fail (cash != NULL);
  cash->expected_count_fen = till_money_round_cash (cash->expected_fen, rounding);
}

/* ---------------------------------------------------------------- CSV */

static void
csv_field (GString    *out,
           const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
till_report_append_csv_row (GString    *out,
                            const char *section,
                            const char *item,
                            const char *count,
                            gint64      amount_fen,
                            const char *detail)
{
  g_autofree char *money = till_money_format_plain (amount_fen);

  csv_field (out, section);
  g_string_append_c (out, ',');
  csv_field (out, item);
  g_string_append_c (out, ',');
  csv_field (out, count);
  g_string_append_c (out, ',');
  csv_field (out, money);
  g_string_append_c (out, ',');
  csv_field (out, detail);
  g_string_append (out, "\r\n");
}

char *
till_report_to_csv (const TillReport *r,
                    gsize            *out_length)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");
  g_autofree char *n_sales = NULL, *n_refunds = NULL, *n_voids = NULL, *n_returns = NULL;

  g_return_val_if_fail (r != NULL, NULL);

  n_sales = g_strdup_printf ("%u", r->n_sales);
  n_refunds = g_strdup_printf ("%u", r->n_refunds);
  n_voids = g_strdup_printf ("%u", r->n_voids);
  n_returns = g_strdup_printf ("%u", r->n_returns);

  csv_field (out, _("Section"));
  g_string_append_c (out, ',');
  csv_field (out, _("Entry"));
  g_string_append_c (out, ',');
  csv_field (out, _("Quantity"));
  g_string_append_c (out, ',');
  csv_field (out, _("Amount (yuan)"));
  g_string_append_c (out, ',');
  csv_field (out, _("Detail"));
  g_string_append (out, "\r\n");
  till_report_append_csv_row (out, _("Totals"), _("Period"), "", 0, r->title_period);
  till_report_append_csv_row (out, _("Totals"), _("Gross sales"), n_sales, r->gross_fen, "");
  till_report_append_csv_row (out, _("Totals"), _("Refunds"), n_refunds, r->refunds_fen, "");
  till_report_append_csv_row (out, _ ("Totals"), _ ("Returns without receipt"), n_returns,
                              r->returns_fen, "");
  till_report_append_csv_row (out, _("Totals"), _("Net"), "", r->net_fen, "");
  till_report_append_csv_row (out, _("Totals"), _("Average ticket"), "", r->average_fen, "");
  till_report_append_csv_row (out, _("Totals"), _("Voids"), n_voids, r->voids_fen, "");
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      g_autofree char *count = g_strdup_printf ("%u", r->method_count[m]);

      till_report_append_csv_row (out, _("Method"), till_report_method_label (m), count,
               r->method_fen[m], method_ids[m]);
    }
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    till_report_append_csv_row (out, _("Refunds by method"), till_report_method_label (m), "",
             r->method_refund_fen[m], method_ids[m]);
  till_report_append_csv_row (out, _("Method"), _("Cash rounding"), "", r->cash_rounding_fen,
           "cash_rounding");
  /* Stored-value top-ups, not sales: rows once there are any. */
  if (r->n_topups > 0)
    {
      g_autofree char *n_topups = g_strdup_printf ("%u", r->n_topups);

      till_report_append_csv_row (out, _ ("Top-ups"), _ ("Top-ups"), n_topups, r->topups_fen,
                                  "topups");
      for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
        if (r->topup_method_count[m] > 0)
          {
            g_autofree char *count = g_strdup_printf ("%u", r->topup_method_count[m]);

            till_report_append_csv_row (out, _("Top-ups"), till_report_method_label (m), count,
                     r->topup_method_fen[m], method_ids[m]);
          }
    }
  for (int h = 0; h < 24; h++)
    {
      g_autofree char *label = g_strdup_printf ("%02d:00", h);
      g_autofree char *count = g_strdup_printf ("%u", r->hour_count[h]);

      till_report_append_csv_row (out, _("Hour"), label, count, r->hour_fen[h], "");
    }
  for (guint i = 0; i < r->products->len; i++)
    {
      TillReportProduct *p = g_ptr_array_index (r->products, i);
      g_autofree char *qty = till_report_format_qty (p->qty_milli);

      till_report_append_csv_row (out, _("Product"), p->name, qty, p->amount_fen, "");
    }
  for (guint i = 0; i < r->cashiers->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->cashiers, i);
      g_autofree char *count = g_strdup_printf ("%u", c->n_sales);

      till_report_append_csv_row (out, _("Cashier"), c->cashier, count, c->amount_fen, "");
    }
  for (guint i = 0; i < r->returns->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->returns, i);
      g_autofree char *count = g_strdup_printf ("%u", c->n_sales);

      till_report_append_csv_row (out, _ ("Returns without receipt"), c->cashier, count,
                                  c->amount_fen, "");
    }
  for (int pass = 0; pass < 2; pass++)
    {
      GPtrArray *list = pass == 0 ? r->pricing_cashiers : r->pricing_products;
      const char *section = pass == 0 ? _("Discounts by cashier") : _("Discounts by product");

      for (guint i = 0; i < list->len; i++)
        {
          TillReportPricing *p = g_ptr_array_index (list, i);
          g_autofree char *n_discounts = g_strdup_printf ("%u", p->n_discounts);
          g_autofree char *n_overrides = g_strdup_printf ("%u", p->n_overrides);

          if (p->n_discounts > 0)
            till_report_append_csv_row (out, section, p->name, n_discounts, p->discount_fen,
                                        "discount");
          if (p->n_overrides > 0)
            till_report_append_csv_row (out, section, p->name, n_overrides, p->override_fen,
                                        "price_override");
        }
    }
  for (guint i = 0; i < r->voids->len; i++)
    {
      TillReportEvent *e = g_ptr_array_index (r->voids, i);
      g_autofree char *time = local_time (e->at, "%Y-%m-%d %H:%M:%S");

      till_report_append_csv_row (out, _("Void"), e->sale_number, "1", e->amount_fen, time);
    }
  for (guint i = 0; i < r->refunds->len; i++)
    {
      TillReportEvent *e = g_ptr_array_index (r->refunds, i);
      g_autofree char *time = local_time (e->at, "%Y-%m-%d %H:%M:%S");
      g_autofree char *detail = g_strdup_printf ("%s %s %s %s", time, e->who ? e->who : "",
                                                 e->reference ? e->reference : "",
                                                 e->reason ? e->reason : "");

      till_report_append_csv_row (out, _ ("Refund"), e->sale_number, "1", e->amount_fen,
                                  g_strchomp (detail));
    }
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------- JSON */

static void
json_events (GString   *out,
             GPtrArray *list)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < list->len; i++)
    {
      TillReportEvent *e = g_ptr_array_index (list, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"sale\":");
      _till_json_append_string (out, e->sale_number);
      g_string_append_printf (out, ",\"at\":%" G_GINT64_FORMAT ",\"amount_fen\":%"
                              G_GINT64_FORMAT ",\"who\":", e->at, e->amount_fen);
      _till_json_append_string (out, e->who);
      g_string_append (out, ",\"reference\":");
      _till_json_append_string (out, e->reference);
      g_string_append (out, ",\"reason\":");
      _till_json_append_string (out, e->reason);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

char *
till_report_to_json (const TillReport *r)
{
  GString *out = g_string_new ("{\"period\":");

  g_return_val_if_fail (r != NULL, NULL);

  _till_json_append_string (out, r->title_period);
  g_string_append_printf (out, ",\"from_us\":%" G_GINT64_FORMAT ",\"to_us\":%" G_GINT64_FORMAT
                          ",\"gross_fen\":%" G_GINT64_FORMAT ",\"refunds_fen\":%" G_GINT64_FORMAT
                          ",\"net_fen\":%" G_GINT64_FORMAT ",\"n_sales\":%u,\"average_fen\":%"
                          G_GINT64_FORMAT ",\"n_refunds\":%u,\"n_voids\":%u,\"voids_fen\":%"
                          G_GINT64_FORMAT ",\"methods\":{",
                          r->from_us, r->to_us, r->gross_fen, r->refunds_fen, r->net_fen,
                          r->n_sales, r->average_fen, r->n_refunds, r->n_voids, r->voids_fen);
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    g_string_append_printf (out, "%s\"%s\":{\"count\":%u,\"amount_fen\":%" G_GINT64_FORMAT
                            ",\"refund_fen\":%" G_GINT64_FORMAT "}", m ? "," : "",
                            method_ids[m], r->method_count[m], r->method_fen[m],
                            r->method_refund_fen[m]);
  g_string_append_printf (out, "},\"topups\":{\"count\":%u,\"amount_fen\":%" G_GINT64_FORMAT
                          ",\"methods\":{", r->n_topups, r->topups_fen);
  for (int m = 0; m < TILL_REPORT_N_METHODS; m++)
    g_string_append_printf (out, "%s\"%s\":{\"count\":%u,\"amount_fen\":%" G_GINT64_FORMAT "}",
                            m ? "," : "", method_ids[m], r->topup_method_count[m],
                            r->topup_method_fen[m]);
  g_string_append_printf (out, "}},\"cash_rounding_fen\":%" G_GINT64_FORMAT ",\"hours\":[",
                          r->cash_rounding_fen);
  for (int h = 0; h < 24; h++)
    g_string_append_printf (out, "%s{\"count\":%u,\"amount_fen\":%" G_GINT64_FORMAT "}",
                            h ? "," : "", r->hour_count[h], r->hour_fen[h]);
  g_string_append (out, "],\"products\":[");
  for (guint i = 0; i < r->products->len; i++)
    {
      TillReportProduct *p = g_ptr_array_index (r->products, i);

      g_string_append_printf (out, "%s{\"product_id\":%" G_GINT64_FORMAT ",\"name\":",
                              i ? "," : "", p->product_id);
      _till_json_append_string (out, p->name);
      g_string_append_printf (out, ",\"qty_milli\":%" G_GINT64_FORMAT ",\"amount_fen\":%"
                              G_GINT64_FORMAT "}", p->qty_milli, p->amount_fen);
    }
  g_string_append (out, "],\"cashiers\":[");
  for (guint i = 0; i < r->cashiers->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->cashiers, i);

      g_string_append (out, i ? ",{\"cashier\":" : "{\"cashier\":");
      _till_json_append_string (out, c->cashier);
      g_string_append_printf (out, ",\"n_sales\":%u,\"amount_fen\":%" G_GINT64_FORMAT "}",
                              c->n_sales, c->amount_fen);
    }
  g_string_append_printf (out, "],\"n_returns\":%u,\"returns_fen\":%" G_GINT64_FORMAT
                          ",\"returns\":[", r->n_returns, r->returns_fen);
  for (guint i = 0; i < r->returns->len; i++)
    {
      TillReportCashier *c = g_ptr_array_index (r->returns, i);

      g_string_append (out, i ? ",{\"cashier\":" : "{\"cashier\":");
      _till_json_append_string (out, c->cashier);
      g_string_append_printf (out, ",\"n_returns\":%u,\"amount_fen\":%" G_GINT64_FORMAT "}",
                              c->n_sales, c->amount_fen);
    }
  g_string_append_c (out, ']');
  g_string_append_printf (out, ",\"discounts_fen\":%" G_GINT64_FORMAT
                          ",\"overrides_fen\":%" G_GINT64_FORMAT, r->discounts_fen,
                          r->overrides_fen);
  for (int pass = 0; pass < 2; pass++)
    {
      GPtrArray *list = pass == 0 ? r->pricing_cashiers : r->pricing_products;

      g_string_append (out,
                       pass == 0 ? ",\"discounts_by_cashier\":[" : ",\"discounts_by_product\":[");
      for (guint i = 0; i < list->len; i++)
        {
          TillReportPricing *p = g_ptr_array_index (list, i);

          g_string_append (out, i ? ",{\"name\":" : "{\"name\":");
          _till_json_append_string (out, p->name);
          g_string_append_printf (out, ",\"product_id\":%" G_GINT64_FORMAT ",\"n_discounts\":%u,"
                                  "\"discount_fen\":%" G_GINT64_FORMAT ",\"n_overrides\":%u,"
                                  "\"override_fen\":%" G_GINT64_FORMAT "}", p->product_id,
                                  p->n_discounts, p->discount_fen, p->n_overrides,
                                  p->override_fen);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, ",\"voids\":");
  json_events (out, r->voids);
  g_string_append (out, ",\"refunds\":");
  json_events (out, r->refunds);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
