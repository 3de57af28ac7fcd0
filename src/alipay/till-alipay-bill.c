/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's trade bill: the ZIP read (zlib), its GBK 业务明细 CSV parsed into TillBill rows. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-bill.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "till-core-error.h"
#include "till-pay-error.h"

/* ---------------------------------------------------------------- the ZIP */

#define SIG_LOCAL   0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END     0x06054b50u
#define FLAG_UTF8   0x0800u

static guint
le16 (const guint8 *p)
{
  return (guint) p[0] | ((guint) p[1] << 8);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static gboolean
zip_fail (GError    **error,
          const char *detail)
{
  g_message ("Alipay bill ZIP: %s", detail);
  g_set_error_literal (error, TILL_PAY_ERROR, TILL_PAY_ERROR_CORRUPT,
                       _("The downloaded Alipay bill is damaged: download it again."));
  return FALSE;
}

static GBytes *
inflate_raw (const guint8 *data,
             gsize         len,
             gsize         expected,
             GError      **error)
{
  z_stream zs;
  guint8 *out;
  int ret;

  if (expected > TILL_ALIPAY_BILL_MAX_BYTES || len > G_MAXUINT32)
    return zip_fail (error, "an entry is too large"), NULL;
  memset (&zs, 0, sizeof zs);
  if (inflateInit2 (&zs, -MAX_WBITS) != Z_OK)
    return zip_fail (error, "inflateInit2 failed"), NULL;
  out = g_malloc (expected + 1);
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) len;
  zs.next_out = out;
  zs.avail_out = (uInt) expected + 1;   /* one more: a longer entry is caught */
  ret = inflate (&zs, Z_FINISH);
  if (ret != Z_STREAM_END || zs.total_out != expected)
    {
      g_message ("Alipay bill ZIP: inflate %d, %lu bytes for %" G_GSIZE_FORMAT, ret,
                 zs.total_out, expected);
      inflateEnd (&zs);
      g_free (out);
      return zip_fail (error, "an entry does not inflate to its size"), NULL;
    }
  inflateEnd (&zs);
  return g_bytes_new_take (out, expected);
}

static char *
entry_name (const guint8 *raw,
            gsize         len,
            guint         flags)
{
  g_autofree char *copy = g_strndup ((const char *) raw, len);

  if ((flags & FLAG_UTF8) != 0 || g_str_is_ascii (copy))
    return g_utf8_validate (copy, -1, NULL) ? g_steal_pointer (&copy) : NULL;
  /* Alipay writes the names in GBK without the UTF-8 flag (§5.7). */
  return g_convert (copy, (gssize) len, "UTF-8", "GB18030", NULL, NULL, NULL);
}

GBytes *
till_alipay_zip_extract (GBytes      *zip,
                         gboolean   (*match) (const char *name),
                         char       **out_name,
                         GError     **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (zip, &len);
  gsize end = 0, cd_offset, cd_size, pos;
  guint n_entries;
  gboolean found_end = FALSE;

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (match != NULL, NULL);

  if (len < 22)
    return zip_fail (error, "too short"), NULL;
  /* the end record: its comment is at most 65535 bytes */
  for (gsize i = len - 22 + 1; i-- > 0 && len - i <= 22 + 65535;)
    if (le32 (data + i) == SIG_END && i + 22 + le16 (data + i + 20) == len)
      {
        end = i;
        found_end = TRUE;
        break;
      }
  if (!found_end)
    return zip_fail (error, "no end of central directory"), NULL;
  n_entries = le16 (data + end + 10);
  cd_size = le32 (data + end + 12);
  cd_offset = le32 (data + end + 16);
  if (cd_offset > end || cd_size > end - cd_offset)
    return zip_fail (error, "the central directory is outside the file"), NULL;

  pos = cd_offset;
  for (guint e = 0; e < n_entries; e++)
    {
      guint flags, method, name_len, extra_len, comment_len, local_name, local_extra;
      guint32 crc, comp, size, local;
      g_autofree char *name = NULL;
      g_autoptr(GBytes) content = NULL;
      gsize start;

      if (pos + 46 > cd_offset + cd_size || le32 (data + pos) != SIG_CENTRAL)
        return zip_fail (error, "a bad central directory entry"), NULL;
      flags = le16 (data + pos + 8);
      method = le16 (data + pos + 10);
      crc = le32 (data + pos + 16);
      comp = le32 (data + pos + 20);
      size = le32 (data + pos + 24);
      name_len = le16 (data + pos + 28);
      extra_len = le16 (data + pos + 30);
      comment_len = le16 (data + pos + 32);
      local = le32 (data + pos + 42);
      if (pos + 46 + name_len > cd_offset + cd_size)
        return zip_fail (error, "a name outside the central directory"), NULL;
      name = entry_name (data + pos + 46, name_len, flags);
      pos += 46 + name_len + extra_len + comment_len;
      if (name == NULL)
        return zip_fail (error, "an entry name that is not GBK or UTF-8"), NULL;
      if (!match (name))
        continue;

      if ((flags & 0x0001u) != 0)
        return zip_fail (error, "an encrypted entry"), NULL;
      if ((gsize) local + 30 > cd_offset || le32 (data + local) != SIG_LOCAL)
        return zip_fail (error, "a bad local header"), NULL;
      local_name = le16 (data + local + 26);
      local_extra = le16 (data + local + 28);
      start = (gsize) local + 30 + local_name + local_extra;
      if (start > cd_offset || comp > cd_offset - start)
        return zip_fail (error, "an entry outside the file"), NULL;
      if (method == 0)
        {
          if (comp != size)
            return zip_fail (error, "a stored entry with two sizes"), NULL;
          content = g_bytes_new (data + start, comp);
        }
      else if (method == 8)
        {
          content = inflate_raw (data + start, comp, size, error);
          if (content == NULL)
            return NULL;
        }
      else
        return zip_fail (error, "an unknown compression method"), NULL;
      {
        gsize n = 0;
        const guint8 *bytes = g_bytes_get_data (content, &n);

        if (crc32 (crc32 (0L, Z_NULL, 0), n > 0 ? bytes : (const Bytef *) "", (uInt) n) != crc)
          return zip_fail (error, "a CRC-32 mismatch"), NULL;
      }
      if (out_name != NULL)
        *out_name = g_steal_pointer (&name);
      return g_steal_pointer (&content);
    }
  zip_fail (error, "no matching entry");
  return NULL;
}

gboolean
till_alipay_bill_is_detail (const char *name)
{
  return name != NULL && g_str_has_suffix (name, "业务明细.csv");
}

/* ---------------------------------------------------------------- the CSV */

enum
{
  COL_TRADE_NO, COL_OUT_TRADE_NO, COL_TYPE, COL_PRODUCT, COL_CREATED, COL_DONE,
  COL_STORE, COL_ORDER, COL_RECEIVED, COL_REQUEST_NO, COL_FEE,
  N_COLS
};

static const struct
{
  const char *name;      /* without the （元） of money columns */
  gboolean    required;
} columns[N_COLS] = {
  [COL_TRADE_NO] = { "支付宝交易号", TRUE },
  [COL_OUT_TRADE_NO] = { "商户订单号", TRUE },
  [COL_TYPE] = { "业务类型", TRUE },
  [COL_PRODUCT] = { "商品名称", FALSE },
  [COL_CREATED] = { "创建时间", FALSE },
  [COL_DONE] = { "完成时间", TRUE },
  [COL_STORE] = { "门店编号", FALSE },
  [COL_ORDER] = { "订单金额", TRUE },
  [COL_RECEIVED] = { "商家实收", FALSE },
  [COL_REQUEST_NO] = { "退款批次号/请求号", FALSE },
  [COL_FEE] = { "服务费", FALSE },
};

static gboolean
fail (GError    **error,
      guint       line,
      const char *reason)
{
  g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_BILL,
               _("The provider’s bill cannot be used (line %u: %s)"), line, reason);
  return FALSE;
}

/* Splits one line at commas, with "quoted" cells ("" is a quote); every cell trimmed of
 * spaces and the TAB Alipay puts after identifiers. */
static GPtrArray *
split_cells (const char *line)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++)
    {
      if (quoted)
        {
          if (*p == '\0')
            break;
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (cell, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (cell, *p);
          continue;
        }
      if (*p == '"')
        quoted = TRUE;
      else if (*p == ',' || *p == '\0')
        {
          g_ptr_array_add (cells, g_strdup (g_strstrip (cell->str)));
          g_string_truncate (cell, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (cell, *p);
    }
  if (quoted)
    g_ptr_array_add (cells, g_strdup (g_strstrip (cell->str)));
  g_string_free (cell, TRUE);
  return cells;
}

static char *
column_key (const char *header)
{
  char *name = g_strdup (header);
  char *paren;

  /* 订单金额（元） / 订单金额(元) → 订单金额 */
  if ((paren = strstr (name, "（元）")) != NULL || (paren = strstr (name, "(元)")) != NULL)
    *paren = '\0';
  return g_strstrip (name);
}

static gboolean
amount (GPtrArray  *cells,
        int         index,
        int         column,    /* COL_*, for the message */
        guint       decimals,
        guint       line,
        gint64     *out,
        GError    **error)
{
  const char *text;
  g_autofree char *reason = NULL;

  *out = 0;
  if (index < 0)
    return TRUE;
  text = g_ptr_array_index (cells, index);
  if (*text == '\0' || till_bill_parse_decimal (text, decimals, out))
    return TRUE;
  reason = g_strdup_printf (_("“%s” is not an amount in column %s"), text, columns[column].name);
  return fail (error, line, reason);
}

static const char *
cell (GPtrArray *cells,
      int        index)
{
  return index >= 0 ? g_ptr_array_index (cells, index) : "";
}

typedef struct
{
  guint  count;
  gint64 received_fen;
  gboolean seen;
} Total;

/* "#交易合计：6笔，商家实收共0.06元，…" / "#退款合计：4笔，商家实收退款共-0.04元，…" */
static gboolean
parse_total (const char *line,
             const char *what,
             const char *received,
             Total      *out)
{
  g_autofree char *pattern = g_strdup_printf ("%s[：:]\\s*([0-9]+)\\s*笔.*"
                                              "%s\\s*(-?[0-9]+(\\.[0-9]+)?)\\s*元",
                                              what, received);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *count = NULL, *sum = NULL;

  if (!g_regex_match (regex, line, 0, &match))
    return FALSE;
  count = g_match_info_fetch (match, 1);
  sum = g_match_info_fetch (match, 2);
  out->count = (guint) g_ascii_strtoull (count, NULL, 10);
  out->seen = till_bill_parse_decimal (sum, 2, &out->received_fen);
  return TRUE;
}

static TillBill *
parse_text (const char *text,
            GError    **error)
{
  g_autoptr(TillBill) bill = till_bill_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  int idx[N_COLS];
  enum { BEFORE, HEADER, ROWS, AFTER } where = BEFORE;
  guint n_lines = g_strv_length (lines), n_cols = 0, header_line = 0;
  guint n_payments = 0, n_refunds = 0;
  gint64 received_payments = 0, received_refunds = 0;
  Total trades = { 0 }, refunds = { 0 };

  for (guint i = 0; i < n_lines; i++)
    {
      char *line = lines[i];
      g_autoptr(GPtrArray) cells = NULL;
      g_autoptr(TillBillRow) row = NULL;
      const char *type;
      gint64 order = 0;

      g_strchomp (line);   /* the CR of CRLF, trailing blanks */
      if (line[0] == '#')
        {
          if (where == BEFORE && strstr (line, "业务明细列表") != NULL
              && strstr (line, "结束") == NULL)
            where = HEADER;
          else if (where == ROWS && strstr (line, "结束") != NULL)
            where = AFTER;
          else if (where == AFTER)
            {
              if (!parse_total (line, "交易合计", "商家实收共", &trades))
                parse_total (line, "退款合计", "商家实收退款共", &refunds);
            }
          continue;
        }
      if (*g_strstrip (line) == '\0' || where == BEFORE || where == AFTER)
        continue;

      cells = split_cells (line);
      if (where == HEADER)
        {
          header_line = i + 1;
          n_cols = cells->len;
          for (guint c = 0; c < N_COLS; c++)
            {
              idx[c] = -1;
              for (guint k = 0; k < cells->len; k++)
                {
                  g_autofree char *key = column_key (g_ptr_array_index (cells, k));

                  if (g_str_equal (key, columns[c].name))
                    {
                      idx[c] = (int) k;
                      break;
                    }
                }
              if (idx[c] < 0 && columns[c].required)
                {
                  g_autofree char *reason = g_strdup_printf (_("the column “%s” is missing"),
                                                             columns[c].name);
                  fail (error, header_line, reason);
                  return NULL;
                }
            }
          bill->n_columns = n_cols;
          where = ROWS;
          continue;
        }

      if (cells->len != n_cols)
        {
          g_autofree char *reason = g_strdup_printf (_("%u fields where the header has %u"),
                                                     cells->len, n_cols);
          fail (error, i + 1, reason);
          return NULL;
        }
      type = cell (cells, idx[COL_TYPE]);
      if (g_str_equal (type, "交易"))
        row = till_bill_row_new (TILL_BILL_ROW_PAYMENT);
      else if (g_str_equal (type, "退款"))
        row = till_bill_row_new (TILL_BILL_ROW_REFUND);
      else
        {
          /* neither a payment nor a refund of this shop's trades */
          g_message ("Alipay bill line %u: 业务类型 “%s” left out", i + 1, type);
          continue;
        }
      row->line = i + 1;
      row->state = TILL_BILL_ROW_DONE;
      row->transaction_id = g_strdup (cell (cells, idx[COL_TRADE_NO]));
      row->out_trade_no = g_strdup (cell (cells, idx[COL_OUT_TRADE_NO]));
      row->trade_time = g_strdup (cell (cells, idx[COL_DONE]));
      row->trade_type = g_strdup ("");
      row->product = idx[COL_PRODUCT] >= 0 ? g_strdup (cell (cells, idx[COL_PRODUCT])) : NULL;
      if (*row->out_trade_no == '\0')
        {
          fail (error, i + 1, _("the row has no merchant order number"));
          return NULL;
        }
      if (!amount (cells, idx[COL_ORDER], COL_ORDER, 2, i + 1, &order, error)
          || !amount (cells, idx[COL_RECEIVED], COL_RECEIVED, 2, i + 1, &row->settlement_fen,
                      error)
          || !amount (cells, idx[COL_FEE], COL_FEE, 5, i + 1, &row->fee_millifen, error))
        return NULL;
      if (idx[COL_RECEIVED] < 0)
        row->settlement_fen = order;
      row->order_fen = order;
      if (row->kind == TILL_BILL_ROW_PAYMENT)
        {
          row->trade_state = g_strdup ("TRADE_SUCCESS");
          n_payments++;
          received_payments += row->settlement_fen;
          bill->settlement_total_fen += row->settlement_fen;
          bill->order_total_fen += order;
        }
      else
        {
          row->trade_state = g_strdup ("REFUND");
          row->refund_state = g_strdup ("REFUND_SUCCESS");
          row->out_refund_no = g_strdup (cell (cells, idx[COL_REQUEST_NO]));
          row->refund_fen = ABS (order);
          row->refund_request_fen = row->refund_fen;
          n_refunds++;
          received_refunds += row->settlement_fen;
          bill->refund_total_fen += row->refund_fen;
          bill->refund_request_total_fen += row->refund_fen;
        }
      bill->fee_total_millifen += row->fee_millifen;
      g_ptr_array_add (bill->rows, g_steal_pointer (&row));
    }

  if (where == BEFORE || where == HEADER)
    {
      fail (error, n_lines, _("the list of the day’s trades (业务明细列表) is missing"));
      return NULL;
    }
  if (where == ROWS)
    {
      fail (error, n_lines, _("the list of the day’s trades does not end: the file is incomplete"));
      return NULL;
    }
  if ((trades.count != 0 || trades.seen) && (trades.count != n_payments
                                             || (trades.seen && idx[COL_RECEIVED] >= 0
                                                 && trades.received_fen != received_payments)))
    {
      g_warning ("Alipay bill: 交易合计 says %u, %" G_GINT64_FORMAT "; the rows give %u, %"
                 G_GINT64_FORMAT, trades.count, trades.received_fen, n_payments,
                 received_payments);
      fail (error, n_lines, _("the summary’s 交易合计 does not match the rows"));
      return NULL;
    }
  if ((refunds.count != 0 || refunds.seen) && (refunds.count != n_refunds
                                               || (refunds.seen && idx[COL_RECEIVED] >= 0
                                                   && refunds.received_fen != received_refunds)))
    {
      g_warning ("Alipay bill: 退款合计 says %u, %" G_GINT64_FORMAT "; the rows give %u, %"
                 G_GINT64_FORMAT, refunds.count, refunds.received_fen, n_refunds,
                 received_refunds);
      fail (error, n_lines, _("the summary’s 退款合计 does not match the rows"));
      return NULL;
    }
  bill->total_count = n_payments + n_refunds;
  return g_steal_pointer (&bill);
}

/* A cancel that refunded a paid trade (a 退款 row without a request number) is the trade
 * reversed, as WeChat Pay's bill shows a REVOKED payment. */
static void
fold_cancels (TillBill *bill)
{
  for (guint i = 0; i < bill->rows->len;)
    {
      TillBillRow *refund = g_ptr_array_index (bill->rows, i);
      TillBillRow *payment = NULL;

      if (refund->kind != TILL_BILL_ROW_REFUND || *refund->out_refund_no != '\0')
        {
          i++;
          continue;
        }
      for (guint k = 0; k < bill->rows->len && payment == NULL; k++)
        {
          TillBillRow *row = g_ptr_array_index (bill->rows, k);

          if (row->kind == TILL_BILL_ROW_PAYMENT
              && g_str_equal (row->out_trade_no, refund->out_trade_no))
            payment = row;
        }
      if (payment != NULL)
        {
          payment->state = TILL_BILL_ROW_REVERSED;
          g_free (payment->trade_state);
          payment->trade_state = g_strdup ("TRADE_CLOSED");
          g_ptr_array_remove_index (bill->rows, i);
          continue;
        }
      /* the trade was paid on an earlier day: the cancel shows as that trade reversed */
      refund->kind = TILL_BILL_ROW_PAYMENT;
      refund->state = TILL_BILL_ROW_REVERSED;
      g_free (refund->trade_state);
      refund->trade_state = g_strdup ("TRADE_CLOSED");
      g_clear_pointer (&refund->refund_state, g_free);
      g_clear_pointer (&refund->out_refund_no, g_free);
      refund->order_fen = refund->refund_fen;
      refund->settlement_fen = 0;
      refund->refund_fen = 0;
      refund->refund_request_fen = 0;
      i++;
    }
}

TillBill *
till_alipay_bill_parse_csv (const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(GError) gbk_error = NULL;
  g_autofree char *utf8 = NULL;
  TillBill *bill;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      if (!g_utf8_validate_len (data + 3, length - 3, NULL))
        return fail (error, 1, _("the file is not UTF-8 text")), NULL;
      utf8 = g_strndup (data + 3, length - 3);
    }
  else if (memchr (data, '\0', length) == NULL)
    {
      utf8 = g_convert (data, (gssize) length, "UTF-8", "GB18030", NULL, NULL, &gbk_error);
      if (utf8 == NULL && g_utf8_validate_len (data, length, NULL))
        utf8 = g_strndup (data, length);
    }
  if (utf8 == NULL)
    {
      g_message ("Alipay bill: %s", gbk_error != NULL ? gbk_error->message : "a NUL byte");
      return fail (error, 1, _("the file is not GBK text")), NULL;
    }
  bill = parse_text (utf8, &gbk_error);
  /* A file written in UTF-8 without a BOM reads as GBK nonsense: read it as UTF-8. */
  if (bill == NULL && g_utf8_validate_len (data, length, NULL) && !g_str_is_ascii (utf8))
    {
      g_autofree char *plain = g_strndup (data, length);

      bill = parse_text (plain, NULL);
    }
  if (bill == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&gbk_error));
      return NULL;
    }
  fold_cancels (bill);
  return bill;
}

TillBill *
till_alipay_bill_parse_zip (GBytes  *zip,
                            GError **error)
{
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *name = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (zip != NULL, NULL);

  csv = till_alipay_zip_extract (zip, till_alipay_bill_is_detail, &name, error);
  if (csv == NULL)
    return NULL;
  data = g_bytes_get_data (csv, &len);
  g_debug ("Alipay bill: %s, %" G_GSIZE_FORMAT " bytes", name, len);
  return till_alipay_bill_parse_csv (data != NULL ? data : "", len, error);
}
