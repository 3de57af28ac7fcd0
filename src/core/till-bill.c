/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parser of the provider's daily trade bill (reference §6.3). */
#define G_LOG_DOMAIN "till-bill"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-bill.h"

TillBill *
till_bill_new (void)
{
  TillBill *bill = g_new0 (TillBill, 1);

  bill->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) till_bill_row_free);
  return bill;
}

TillBillRow *
till_bill_row_new (TillBillRowKind kind)
{
  TillBillRow *row = g_new0 (TillBillRow, 1);

  row->kind = kind;
  row->state = TILL_BILL_ROW_OTHER;
  return row;
}

void
till_bill_row_free (TillBillRow *row)
{
  if (row == NULL)
    return;
  g_free (row->trade_time);
  g_free (row->transaction_id);
  g_free (row->out_trade_no);
  g_free (row->trade_type);
  g_free (row->trade_state);
  g_free (row->refund_id);
  g_free (row->out_refund_no);
  g_free (row->refund_state);
  g_free (row->product);
  g_free (row);
}

void
till_bill_free (TillBill *bill)
{
  if (bill == NULL)
    return;
  g_clear_pointer (&bill->rows, g_ptr_array_unref);
  g_free (bill);
}

gboolean
till_bill_parse_decimal (const char *text,
                         guint       decimals,
                         gint64     *out)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 value = 0;
  guint n_int = 0, n_frac = 0;
  guint64 limit = G_MAXINT64;

  g_return_val_if_fail (decimals <= 9, FALSE);

  if (p == NULL)
    return FALSE;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  for (; g_ascii_isdigit (*p); p++, n_int++)
    {
      if (value > (limit - (guint64) (*p - '0')) / 10)
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }
  if (n_int == 0)
    return FALSE;
  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++, n_frac++)
        {
          if (n_frac >= decimals || value > (limit - (guint64) (*p - '0')) / 10)
            return FALSE;
          value = value * 10 + (guint64) (*p - '0');
        }
      if (n_frac == 0)
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  for (; n_frac < decimals; n_frac++)
    {
      if (value > limit / 10)
        return FALSE;
      value *= 10;
    }
  *out = negative ? -(gint64) value : (gint64) value;
  return TRUE;
}

/* ---------------------------------------------------------------- columns */

enum
{
  COL_TIME, COL_TRANSACTION_ID, COL_OUT_TRADE_NO, COL_TRADE_TYPE, COL_TRADE_STATE,
  COL_SETTLEMENT, COL_COUPON, COL_REFUND_ID, COL_OUT_REFUND_NO, COL_REFUND,
  COL_REFUND_STATE, COL_PRODUCT, COL_FEE, COL_ORDER, COL_REFUND_REQUEST,
  N_COLS
};

static const struct
{
  const char *name;
  gboolean    required;
} columns[N_COLS] = {
  [COL_TIME] = { "交易时间", TRUE },
  [COL_TRANSACTION_ID] = { "微信订单号", TRUE },
  [COL_OUT_TRADE_NO] = { "商户订单号", TRUE },
  [COL_TRADE_TYPE] = { "交易类型", FALSE },
  [COL_TRADE_STATE] = { "交易状态", TRUE },
  [COL_SETTLEMENT] = { "应结订单金额", TRUE },
  [COL_COUPON] = { "代金券金额", FALSE },
  [COL_REFUND_ID] = { "微信退款单号", FALSE },
  [COL_OUT_REFUND_NO] = { "商户退款单号", FALSE },
  [COL_REFUND] = { "退款金额", FALSE },
  [COL_REFUND_STATE] = { "退款状态", FALSE },
  [COL_PRODUCT] = { "商品名称", FALSE },
  [COL_FEE] = { "手续费", FALSE },
  [COL_ORDER] = { "订单金额", FALSE },
  [COL_REFUND_REQUEST] = { "申请退款金额", FALSE },
};

enum
{
  SUM_COUNT, SUM_SETTLEMENT, SUM_REFUND, SUM_FEE, SUM_ORDER, SUM_REFUND_REQUEST,
  N_SUMS
};

static const char *const summary_columns[N_SUMS] = {
  [SUM_COUNT] = "总交易单数",
  [SUM_SETTLEMENT] = "应结订单总金额",
  [SUM_REFUND] = "退款总金额",
  [SUM_FEE] = "手续费总金额",
  [SUM_ORDER] = "订单总金额",
  [SUM_REFUND_REQUEST] = "申请退款总金额",
};

/* Splits a line at commas; strips the backtick that starts each data field. */
static char **
split_fields (const char *line,
              gboolean    data,
              guint      *out_n)
{
  char **fields = g_strsplit (line, ",", -1);
  guint n = g_strv_length (fields);

  for (guint i = 0; i < n; i++)
    {
      char *f = fields[i];

      if (data && f[0] == '`')
        memmove (f, f + 1, strlen (f));
      g_strstrip (f);
    }
  *out_n = n;
  return fields;
}

static gboolean
fail (GError    **error,
      guint       line,
      const char *reason)
{
  g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL,
               _("The provider’s bill cannot be used (line %u: %s)"), line, reason);
  return FALSE;
}

static gboolean
amount (char      **fields,
        int         index,
        guint       decimals,
        gint64      fallback,
        guint       line,
        const char *name,
        gint64     *out,
        GError    **error)
{
  g_autofree char *reason = NULL;

  if (index < 0)
    {
      *out = fallback;
      return TRUE;
    }
  if (till_bill_parse_decimal (fields[index], decimals, out))
    return TRUE;
  reason = g_strdup_printf (_("“%s” is not an amount in column %s"), fields[index], name);
  return fail (error, line, reason);
}

static char *
field_or_null (char **fields,
               int    index)
{
  return index >= 0 ? g_strdup (fields[index]) : NULL;
}

static gboolean
parse_row (char        **fields,
           const int    *idx,
           guint         line,
           TillBillRow **out,
           GError      **error)
{
  TillBillRow *row = till_bill_row_new (TILL_BILL_ROW_PAYMENT);
  g_autoptr(GError) local_error = NULL;

  row->line = line;
  row->trade_time = g_strdup (fields[idx[COL_TIME]]);
  row->transaction_id = g_strdup (fields[idx[COL_TRANSACTION_ID]]);
  row->out_trade_no = g_strdup (fields[idx[COL_OUT_TRADE_NO]]);
  row->trade_type = idx[COL_TRADE_TYPE] >= 0 ? g_strdup (fields[idx[COL_TRADE_TYPE]])
                                            : g_strdup ("");
  row->trade_state = g_strdup (fields[idx[COL_TRADE_STATE]]);
  row->product = field_or_null (fields, idx[COL_PRODUCT]);
  row->kind = g_str_equal (row->trade_state, "REFUND") ? TILL_BILL_ROW_REFUND
                                                       : TILL_BILL_ROW_PAYMENT;
  /* a payment: SUCCESS is paid, REVOKED was reversed after it was paid */
  if (g_str_equal (row->trade_state, "SUCCESS"))
    row->state = TILL_BILL_ROW_DONE;
  else if (g_str_equal (row->trade_state, "REVOKED"))
    row->state = TILL_BILL_ROW_REVERSED;

  if (*row->out_trade_no == '\0')
    {
      till_bill_row_free (row);
      return fail (error, line, _("the row has no merchant order number"));
    }
  if (!amount (fields, idx[COL_SETTLEMENT], 2, 0, line, columns[COL_SETTLEMENT].name,
               &row->settlement_fen, error)
      || !amount (fields, idx[COL_COUPON], 2, 0, line, columns[COL_COUPON].name,
                  &row->coupon_fen, error)
      || !amount (fields, idx[COL_ORDER], 2, row->settlement_fen + row->coupon_fen, line,
                  columns[COL_ORDER].name, &row->order_fen, error)
      || !amount (fields, idx[COL_FEE], 5, 0, line, columns[COL_FEE].name,
                  &row->fee_millifen, error))
    {
      till_bill_row_free (row);
      return FALSE;
    }

  if (row->kind == TILL_BILL_ROW_REFUND)
    {
      if (idx[COL_OUT_REFUND_NO] < 0 || idx[COL_REFUND] < 0)
        {
          till_bill_row_free (row);
          return fail (error, line, _("a refund row in a bill without refund columns"));
        }
      row->refund_id = field_or_null (fields, idx[COL_REFUND_ID]);
      row->out_refund_no = g_strdup (fields[idx[COL_OUT_REFUND_NO]]);
      row->refund_state = idx[COL_REFUND_STATE] >= 0
                          ? g_strdup (fields[idx[COL_REFUND_STATE]]) : g_strdup ("SUCCESS");
      row->state = g_str_equal (row->refund_state, "SUCCESS")      ? TILL_BILL_ROW_DONE
                   : g_str_equal (row->refund_state, "PROCESSING") ? TILL_BILL_ROW_PROCESSING
                                                                   : TILL_BILL_ROW_OTHER;
      if (*row->out_refund_no == '\0' || g_str_equal (row->out_refund_no, "0"))
        {
          till_bill_row_free (row);
          return fail (error, line, _("the refund row has no merchant refund number"));
        }
      if (!amount (fields, idx[COL_REFUND], 2, 0, line, columns[COL_REFUND].name,
                   &row->refund_fen, error)
          || !amount (fields, idx[COL_REFUND_REQUEST], 2, row->refund_fen, line,
                      columns[COL_REFUND_REQUEST].name, &row->refund_request_fen, error))
        {
          till_bill_row_free (row);
          return FALSE;
        }
    }
  *out = row;
  return TRUE;
}

static gboolean
check_sum (gint64      printed,
           gint64      computed,
           const char *name,
           guint       line,
           GError    **error)
{
  g_autofree char *reason = NULL;

  if (printed == computed)
    return TRUE;
  g_warning ("Bill summary %s is %" G_GINT64_FORMAT ", the rows give %" G_GINT64_FORMAT,
             name, printed, computed);
  reason = g_strdup_printf (_("the summary’s %s does not match the rows"), name);
  return fail (error, line, reason);
}

TillBill *
till_bill_parse (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(TillBill) bill = till_bill_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  int idx[N_COLS];
  guint n_lines, i = 0, header_line = 0, summary_line = 0;
  gint64 settle = 0, refund = 0, fee = 0, order = 0, requested = 0;
  gboolean have_summary = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (!g_utf8_validate_len (data, length, NULL) || memchr (data, '\0', length) != NULL)
    {
      fail (error, 1, _("the file is not UTF-8 text"));
      return NULL;
    }
  text = g_strndup (data, length);
  /* CRLF and LF both occur; a lone CR is taken as a line end too. */
  for (char *p = text; *p; p++)
    if (*p == '\r')
      *p = p[1] == '\n' ? ' ' : '\n';
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);

  /* the header: the first line that is not blank */
  for (; i < n_lines && *g_strstrip (lines[i]) == '\0'; i++)
    ;
  if (i == n_lines)
    {
      fail (error, 1, _("the file is empty"));
      return NULL;
    }
  header_line = i + 1;
  {
    guint n;
    g_auto(GStrv) names = split_fields (lines[i], FALSE, &n);

    bill->n_columns = n;
    for (guint c = 0; c < N_COLS; c++)
      {
        idx[c] = -1;
        for (guint k = 0; k < n; k++)
          if (g_str_equal (names[k], columns[c].name))
            {
              idx[c] = (int) k;
              break;
            }
        if (idx[c] < 0 && columns[c].required)
          {
            g_autofree char *reason = g_strdup_printf (_("the column “%s” is missing"),
                                                       columns[c].name);
            fail (error, header_line, reason);
            return NULL;
          }
      }
  }

  for (i++; i < n_lines; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_auto(GStrv) fields = NULL;
      TillBillRow *row = NULL;
      guint n;

      if (*line == '\0')
        continue;
      if (g_str_has_prefix (line, summary_columns[SUM_COUNT]))
        break;
      fields = split_fields (line, TRUE, &n);
      if (n != bill->n_columns)
        {
          g_autofree char *reason = g_strdup_printf (_("%u fields where the header has %u"),
                                                     n, bill->n_columns);
          fail (error, i + 1, reason);
          return NULL;
        }
      if (!parse_row (fields, idx, i + 1, &row, error))
        return NULL;
      if (row->kind == TILL_BILL_ROW_REFUND)
        {
          refund += row->refund_fen;
          requested += row->refund_request_fen;
        }
      else
        {
          settle += row->settlement_fen;
          order += row->order_fen;
        }
      fee += row->fee_millifen;
      g_ptr_array_add (bill->rows, row);
    }

  /* the summary: its header, then one data line */
  if (i < n_lines)
    {
      guint n_names, n_values, j = i + 1;
      g_auto(GStrv) names = split_fields (lines[i], FALSE, &n_names);
      g_auto(GStrv) values = NULL;
      int sum_idx[N_SUMS];
      gint64 sums[N_SUMS] = { 0 };

      for (; j < n_lines && *g_strstrip (lines[j]) == '\0'; j++)
        ;
      if (j < n_lines)
        {
          summary_line = j + 1;
          values = split_fields (lines[j], TRUE, &n_values);
          if (n_values != n_names)
            {
              fail (error, summary_line, _("the summary has the wrong number of fields"));
              return NULL;
            }
          for (guint s = 0; s < N_SUMS; s++)
            {
              sum_idx[s] = -1;
              for (guint k = 0; k < n_names; k++)
                if (g_str_equal (names[k], summary_columns[s]))
                  sum_idx[s] = (int) k;
              if (sum_idx[s] >= 0
                  && !till_bill_parse_decimal (values[sum_idx[s]],
                                               s == SUM_COUNT ? 0 : s == SUM_FEE ? 5 : 2,
                                               &sums[s]))
                {
                  g_autofree char *reason = g_strdup_printf (_("“%s” is not a number in %s"),
                                                             values[sum_idx[s]],
                                                             summary_columns[s]);
                  fail (error, summary_line, reason);
                  return NULL;
                }
            }
          have_summary = sum_idx[SUM_COUNT] >= 0 && sum_idx[SUM_SETTLEMENT] >= 0;
        }
      if (have_summary)
        {
          if (sums[SUM_COUNT] < 0 || sums[SUM_COUNT] > G_MAXUINT)
            {
              fail (error, summary_line, _("the number of trades is impossible"));
              return NULL;
            }
          bill->total_count = (guint) sums[SUM_COUNT];
          bill->settlement_total_fen = sums[SUM_SETTLEMENT];
          bill->refund_total_fen = sum_idx[SUM_REFUND] >= 0 ? sums[SUM_REFUND] : refund;
          bill->fee_total_millifen = sum_idx[SUM_FEE] >= 0 ? sums[SUM_FEE] : fee;
          bill->order_total_fen = sum_idx[SUM_ORDER] >= 0 ? sums[SUM_ORDER] : order;
          bill->refund_request_total_fen = sum_idx[SUM_REFUND_REQUEST] >= 0
                                           ? sums[SUM_REFUND_REQUEST] : requested;
          /* anything after the summary is not part of the format */
          for (j++; j < n_lines; j++)
            if (*g_strstrip (lines[j]) != '\0')
              {
                fail (error, j + 1, _("unexpected text after the summary"));
                return NULL;
              }
        }
    }
  if (!have_summary)
    {
      fail (error, n_lines, _("the summary section is missing: the file is incomplete"));
      return NULL;
    }

  if (!check_sum (bill->total_count, bill->rows->len, summary_columns[SUM_COUNT],
                  summary_line, error)
      || !check_sum (bill->settlement_total_fen, settle, summary_columns[SUM_SETTLEMENT],
                     summary_line, error)
      || !check_sum (bill->refund_total_fen, refund, summary_columns[SUM_REFUND],
                     summary_line, error)
      || !check_sum (bill->fee_total_millifen, fee, summary_columns[SUM_FEE],
                     summary_line, error)
      || !check_sum (bill->order_total_fen, order, summary_columns[SUM_ORDER],
                     summary_line, error)
      || !check_sum (bill->refund_request_total_fen, requested,
                     summary_columns[SUM_REFUND_REQUEST], summary_line, error))
    return NULL;

  g_debug ("Bill read: %u columns (header on line %u), %u rows", bill->n_columns,
           header_line, bill->rows->len);
  return g_steal_pointer (&bill);
}
