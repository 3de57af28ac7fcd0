/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds the simulator's daily trade bill in the reference §6.3 ALL format. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "till-money.h"
#include "till-paysim-bill.h"
#include "till-paysim-ledger.h"

#define DAY_MS (G_GINT64_CONSTANT (86400000))
#define BEIJING_OFFSET_S (8 * 3600)

static const char bill_header[] =
  "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
  "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
  "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
  "费率备注\n";

static const char summary_header[] =
  "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n";

gboolean
till_paysim_bill_parse_date (const char *text,
                             gint64     *out_start_ms)
{
  int y, m, d;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;

  tz = g_time_zone_new_offset (BEIJING_OFFSET_S);
  dt = g_date_time_new (tz, y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *out_start_ms = g_date_time_to_unix (dt) * 1000;
  return TRUE;
}

static char *
format_beijing (gint64      ms,
                const char *format)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (BEIJING_OFFSET_S);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, format);
}

char *
till_paysim_bill_format_date (gint64 now_ms)
{
  return format_beijing (now_ms, "%Y-%m-%d");
}

/* The fee in fen: 0.60% of the amount, rounded half away from zero. */
static gint64
fee_fen (gint64 amount)
{
  gint64 mag = amount < 0 ? -amount : amount;
  gint64 fee = (mag * TILL_PAYSIM_BILL_FEE_RATE_PER_MILLE + 500) / 1000;

  return amount < 0 ? -fee : fee;
}

/* Fees are shown with five decimals; they are whole fen, so the last three are zeros. */
static char *
format_fee (gint64 fen)
{
  g_autofree char *plain = till_money_format_plain (fen);

  return g_strconcat (plain, "000", NULL);
}

/* No CSV quoting exists in the format: separators inside free text become spaces. */
static char *
sanitize (const char *text)
{
  char *s = g_strdup (text != NULL ? text : "");

  for (char *p = s; *p; p++)
    if (*p == ',' || *p == '`' || *p == '\r' || *p == '\n')
      *p = ' ';
  return s;
}

typedef struct
{
  gint64 at_ms;
  gint64 seq;
  char  *line;
} BillRow;

static void
bill_row_clear (gpointer data)
{
  g_free (((BillRow *) data)->line);
}

static gint
bill_row_compare (gconstpointer a,
                  gconstpointer b)
{
  const BillRow *ra = a, *rb = b;

  if (ra->at_ms != rb->at_ms)
    return ra->at_ms < rb->at_ms ? -1 : 1;
  return ra->seq < rb->seq ? -1 : (ra->seq > rb->seq ? 1 : 0);
}

/* Appends one backtick-prefixed data line from 27 fields. */
static char *
join_fields (const char *const *fields,
             guint              n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '`');
      g_string_append (s, fields[i]);
    }
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

GBytes *
till_paysim_bill_build (GPtrArray  *orders,
                        GPtrArray  *refunds,
                        gint64      day_start_ms,
                        const char *bill_type,
                        guint      *out_rows)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (BillRow));
  gboolean want_pay = g_strcmp0 (bill_type, "REFUND") != 0;
  gboolean want_refund = g_strcmp0 (bill_type, "SUCCESS") != 0;
  gint64 day_end_ms = day_start_ms + DAY_MS;
  gint64 sum_settle = 0, sum_refund = 0, sum_fee = 0, sum_order = 0, sum_applied = 0;
  GString *out;

  g_array_set_clear_func (rows, bill_row_clear);

  for (guint i = 0; want_pay && i < orders->len; i++)
    {
      TillPaysimOrder *o = g_ptr_array_index (orders, i);
      gboolean revoked;
      gint64 settle, fee;
      g_autofree char *time = NULL, *settle_s = NULL, *fee_s = NULL, *order_s = NULL;
      g_autofree char *desc = NULL, *attach = NULL, *device = NULL;
      BillRow row = { 0 };

      if (o->success_ms == 0 || o->success_ms < day_start_ms || o->success_ms >= day_end_ms)
        continue;
      /* A paid order that was reversed has given the money back: nothing to settle. */
      revoked = g_str_equal (o->state, "REVOKED");
      settle = revoked ? 0 : o->total;
      fee = fee_fen (settle);
      time = format_beijing (o->success_ms, "%Y-%m-%d %H:%M:%S");
      settle_s = till_money_format_plain (settle);
      fee_s = format_fee (fee);
      order_s = till_money_format_plain (o->total);
      desc = sanitize (o->description);
      attach = sanitize (o->attach);
      device = sanitize (o->device_id);
      {
        const char *fields[27] = {
          time, o->appid, o->mchid, "0", device, o->transaction_id, o->out_trade_no,
          o->openid, o->trade_type, revoked ? "REVOKED" : "SUCCESS", "OTHERS", o->currency,
          settle_s, "0.00", "0", "0", "0.00", "0.00", "", "", desc, attach, fee_s, "0.60%",
          order_s, "0.00", "",
        };
        row.line = join_fields (fields, G_N_ELEMENTS (fields));
      }
      row.at_ms = o->success_ms;
      row.seq = o->id * 2;
      g_array_append_val (rows, row);
      sum_settle += settle;
      sum_fee += fee;
      sum_order += o->total;
    }

  for (guint i = 0; want_refund && i < refunds->len; i++)
    {
      TillPaysimRefund *r = g_ptr_array_index (refunds, i);
      TillPaysimOrder *o = NULL;
      gint64 fee;
      g_autofree char *time = NULL, *refund_s = NULL, *fee_s = NULL;
      g_autofree char *desc = NULL, *attach = NULL, *device = NULL;
      BillRow row = { 0 };

      if (r->created_ms < day_start_ms || r->created_ms >= day_end_ms)
        continue;
      for (guint j = 0; j < orders->len && o == NULL; j++)
        if (((TillPaysimOrder *) g_ptr_array_index (orders, j))->id == r->order_id)
          o = g_ptr_array_index (orders, j);
      if (o == NULL)
        continue;

      fee = -fee_fen (r->amount);
      time = format_beijing (r->created_ms, "%Y-%m-%d %H:%M:%S");
      refund_s = till_money_format_plain (r->amount);
      fee_s = format_fee (fee);
      desc = sanitize (o->description);
      attach = sanitize (o->attach);
      device = sanitize (o->device_id);
      {
        const char *fields[27] = {
          time, o->appid, o->mchid, "0", device, o->transaction_id, o->out_trade_no,
          o->openid, o->trade_type, "REFUND", "OTHERS", r->currency, "0.00", "0.00",
          r->refund_id, r->out_refund_no, refund_s, "0.00", "ORIGINAL", r->status, desc,
          attach, fee_s, "0.60%", "0.00", refund_s, "",
        };
        row.line = join_fields (fields, G_N_ELEMENTS (fields));
      }
      row.at_ms = r->created_ms;
      row.seq = r->order_id * 2 + 1;
      g_array_append_val (rows, row);
      sum_refund += r->amount;
      sum_fee += fee;
      sum_applied += r->amount;
    }

  g_array_sort (rows, bill_row_compare);

  out = g_string_new (bill_header);
  for (guint i = 0; i < rows->len; i++)
    g_string_append (out, g_array_index (rows, BillRow, i).line);
  g_string_append (out, summary_header);
  {
    g_autofree char *n = g_strdup_printf ("%u", rows->len);
    g_autofree char *a = till_money_format_plain (sum_settle);
    g_autofree char *b = till_money_format_plain (sum_refund);
    g_autofree char *c = format_fee (sum_fee);
    g_autofree char *d = till_money_format_plain (sum_order);
    g_autofree char *e = till_money_format_plain (sum_applied);
    const char *fields[7] = { n, a, b, "0.00", c, d, e };
    g_autofree char *line = join_fields (fields, G_N_ELEMENTS (fields));

    g_string_append (out, line);
  }

  *out_rows = rows->len;
  return g_string_free_to_bytes (out);
}

GBytes *
till_paysim_bill_gzip (GBytes  *data,
                       GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) conv = g_converter_input_stream_new (raw, G_CONVERTER (compressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (sink, conv,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE
                              | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

char *
till_paysim_bill_sha1 (GBytes *data)
{
  gsize len;
  const guchar *p = g_bytes_get_data (data, &len);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA1, p, len);
}
