/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A sales report for a period (a day or [from, to) in local time), as the store computes
 * it with SQL aggregates (sales of goods; stored-value top-ups apart), and its renderings: aligned text (Chinese and English headings,
 * CJK-aware widths), CSV for a Chinese spreadsheet (UTF-8 BOM, CRLF, quoted fields,
 * yuan with 2 decimals) and JSON (stored with the day close). Money is gint64 fen. */
#pragma once

#include <glib.h>

#include "till-money.h"

G_BEGIN_DECLS

/* Payment methods in report order: the order of TillPaymentMethod, one for each (the ids
 * are payment.method's). */
typedef enum
{
  TILL_REPORT_CASH,
  TILL_REPORT_WECHAT_CODE,
  TILL_REPORT_WECHAT_NATIVE,
  TILL_REPORT_ALIPAY_CODE,
  TILL_REPORT_ALIPAY_QR,
  TILL_REPORT_STORED_VALUE,
  TILL_REPORT_N_METHODS
} TillReportMethod;

const char *till_report_method_id    (TillReportMethod method);  /* "cash", ... */
const char *till_report_method_label (TillReportMethod method);  /* "现金 Cash", ... */
/* -1 when unknown. */
int         till_report_method_from_id (const char *id);

typedef struct
{
  gint64  product_id;     /* 0 for lines without a product */
  char   *name;
  gint64  qty_milli;
  gint64  amount_fen;
} TillReportProduct;

typedef struct
{
  char   *cashier;        /* "" when none was recorded */
  guint   n_sales;
  gint64  amount_fen;
} TillReportCashier;

/* Discounts and price overrides of one cashier or one product. */
typedef struct
{
  char   *name;           /* the cashier ("" when none), or the goods' name */
  gint64  product_id;     /* by product: 0 for lines without one */
  guint   n_discounts;    /* lines discounted (their own discount or a share of the sale's) */
  gint64  discount_fen;   /* line discounts + shares of sale discounts and 抹零 */
  guint   n_overrides;    /* lines whose price was overridden */
  gint64  override_fen;   /* what the overrides took off (negative: raised) */
} TillReportPricing;

/* A void or a refund, for the lists. */
typedef struct
{
  char   *sale_number;
  gint64  at;             /* unix µs */
  gint64  amount_fen;
  char   *who;            /* voids: the sale's cashier; refunds: the method id */
  char   *reference;      /* refunds: out_refund_no (NULL for voids) */
  char   *reason;         /* refunds: the reason (may be NULL) */
} TillReportEvent;

typedef struct
{
  char      *title_period;       /* "2026-11-21" or "2026-11-01 – 2026-11-30" */
  gint64     from_us;            /* inclusive, unix µs */
  gint64     to_us;              /* exclusive */
  gint64     gross_fen;          /* paid sales (state paid or later refunded) */
  gint64     refunds_fen;        /* successful refunds made in the period */
  gint64     net_fen;            /* gross - refunds - returns without receipt */
  guint      n_sales;
  gint64     average_fen;        /* gross / n_sales, rounded half up; 0 without sales */
  gint64     method_fen[TILL_REPORT_N_METHODS];       /* paid payments of those sales */
  guint      method_count[TILL_REPORT_N_METHODS];
  gint64     method_refund_fen[TILL_REPORT_N_METHODS];
  gint64     cash_rounding_fen;  /* cash received minus cash amounts: payments' rounding
                                    minus the rounding of the period's cash refunds */
  gint64     hour_fen[24];       /* by local hour of the sale's close */
  guint      hour_count[24];
  guint      n_voids;
  gint64     voids_fen;
  guint      n_refunds;
  GPtrArray *products;           /* TillReportProduct*, by amount, largest first */
  GPtrArray *cashiers;           /* TillReportCashier*, by amount, largest first */
  GPtrArray *voids;              /* TillReportEvent*, by time */
  GPtrArray *refunds;            /* TillReportEvent*, by time */
  guint      n_returns;          /* returns without a receipt (goods_return) */
  gint64     returns_fen;        /* their amounts (cash handed back minus its rounding) */
  GPtrArray *returns;            /* TillReportCashier*: the returns by cashier, largest
                                    first (n_sales counts returns) */
  gint64     discounts_fen;      /* discounts and 抹零 on the period's sales */
  gint64     overrides_fen;      /* what price overrides took off them */
  GPtrArray *pricing_cashiers;   /* TillReportPricing*, by discount, largest first */
  GPtrArray *pricing_products;   /* TillReportPricing*, by discount, largest first */
  /* Stored-value top-ups (sale.kind 'topup', issue 16): money members put on their cards,
   * owed to them until spent (the spend is a sale paid by 'stored_value'), so in none of
   * the sales figures above; what they took in, by the methods that paid them. */
  guint      n_topups;
  gint64     topups_fen;
  gint64     topup_method_fen[TILL_REPORT_N_METHODS];
  guint      topup_method_count[TILL_REPORT_N_METHODS];
} TillReport;

TillReport *till_report_new  (void);
void        till_report_free (TillReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillReport, till_report_free)

void till_report_add_product (TillReport *report, gint64 product_id, const char *name,
                              gint64 qty_milli, gint64 amount_fen);
void till_report_add_cashier (TillReport *report, const char *cashier, guint n_sales,
                              gint64 amount_fen);
void till_report_add_return_cashier (TillReport *report, const char *cashier,
                                     guint n_returns, gint64 amount_fen);
void till_report_add_pricing (GPtrArray *list, const char *name, gint64 product_id,
                              guint n_discounts, gint64 discount_fen, guint n_overrides,
                              gint64 override_fen);
void till_report_add_event   (GPtrArray *list, const char *sale_number, gint64 at,
                              gint64 amount_fen, const char *who, const char *reference,
                              const char *reason);

/* gross / n rounded half up (integer only). */
gint64 till_report_average (gint64 total_fen, guint n);

/* "YYYY-MM-DD" (a real date) -> the local day [from, to) in unix µs. */
gboolean till_report_parse_day (const char *date,
                                gint64     *out_from_us,
                                gint64     *out_to_us,
                                GError    **error);
/* The local date "YYYY-MM-DD" of a unix µs time. */
char    *till_report_local_date (gint64 at_us);

/* Display width in terminal columns (CJK wide characters count 2). */
guint    till_text_width (const char *text);
/* Appends `text` padded with spaces to `width` columns, left or right aligned. */
void     till_text_pad   (GString *out, const char *text, guint width, gboolean right);

/* "3", "1.25", "0.455" (thousandths without trailing zeros). */
char    *till_report_format_qty (gint64 qty_milli);

char    *till_report_to_text (const TillReport *report);
/* Bytes of a CSV file (BOM, CRLF); `out_length` may be NULL. */
char    *till_report_to_csv  (const TillReport *report, gsize *out_length);
char    *till_report_to_json (const TillReport *report);

/* Cash of a day, for the close. */
#define TILL_N_DENOMINATIONS 8
extern const gint64 till_denominations_fen[TILL_N_DENOMINATIONS]; /* 10000 ... 10 */

typedef struct
{
  gint64 float_fen;
  gint64 cash_sales_fen;     /* the cash payments' amounts (what they settle of the sales) */
  gint64 cash_refunds_fen;   /* the cash refunds' amounts */
  gint64 cash_in_fen;
  gint64 cash_out_fen;
  gint64 cash_returns_fen;   /* returns without a receipt: their amounts */
  gint64 expected_fen;       /* float + sales - refunds - returns + rounding + in - out */
  gint64 cash_rounding_fen;  /* the payments' rounding minus the refunds' and returns'
                                rounding: the cash
                                that changed hands minus the amounts above */
  gint64 expected_count_fen; /* what a count can match: expected_fen rounded by the till's
                                cash rule (till_cash_summary_set_rounding()); the same as
                                expected_fen unless cash was taken to the fen that day */
} TillCashSummary;

/* Sets expected_count_fen: expected_fen rounded by `rounding` (the drawer holds no coin
 * below the rule's unit, so a count compares in the unit). */
void  till_cash_summary_set_rounding (TillCashSummary *cash,
                                      TillCashRounding rounding);

/* The Z report: the report, the cash summary, the count by denomination (counts may be
 * NULL before counting), counted and difference (counted - expected_count_fen). */
char *till_report_z_text (const TillReport      *report,
                          const TillCashSummary *cash,
                          const guint           *counts,
                          gint64                 counted_fen,
                          const char            *closed_by);

/* The rows of the report's layouts, for reports built on it (the head office's): a text
 * row (label, count, amount — none when !with_amount) in the report's columns, a section
 * heading with its rule, and a CSV row (section, item, count, amount in yuan, detail;
 * every field quoted, CRLF). */
void          till_report_append_text_row  (GString          *out,
                                            const char       *label,
                                            const char       *count,
                                            gint64            amount_fen,
                                            gboolean          with_amount);
void          till_report_append_heading   (GString          *out,
                                            const char       *heading);
void          till_report_append_csv_row   (GString          *out,
                                            const char       *section,
                                            const char       *item,
                                            const char       *count,
                                            gint64            amount_fen,
                                            const char       *detail);

G_END_DECLS
