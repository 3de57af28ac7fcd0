/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay bill: the GBK CSV files of a day and the ZIP that holds them. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>
#include <zlib.h>

#include <gio/gio.h>

#include "till-alipay-sign.h"
#include "till-alipay-types.h"
#include "till-paysim-alipay-bill.h"

#define DAY_MS (G_GINT64_CONSTANT (86400000))
#define DASHES "-----------------------------------------"
#define STORE_NAME "Tillpoint 模拟门店"

/* ---- the ZIP ------------------------------------------------------------------------- */

static void
put16 (GByteArray *a,
       guint       v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (a, b, 2);
}

static void
put32 (GByteArray *a,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (a, b, 4);
}

static GBytes *
deflate_raw (GBytes  *in,
             GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (in, &len);
  z_stream zs;
  guint8 *out;
  gsize bound;

  memset (&zs, 0, sizeof zs);
  if (deflateInit2 (&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                    Z_DEFAULT_STRATEGY) != Z_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "deflateInit2 failed");
      return NULL;
    }
  bound = deflateBound (&zs, (uLong) len);
  out = g_malloc (bound);
  zs.next_in = (Bytef *) (len > 0 ? data : (const guint8 *) "");
  zs.avail_in = (uInt) len;
  zs.next_out = out;
  zs.avail_out = (uInt) bound;
  if (deflate (&zs, Z_FINISH) != Z_STREAM_END)
    {
      deflateEnd (&zs);
      g_free (out);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "deflate failed");
      return NULL;
    }
  deflateEnd (&zs);
  return g_bytes_new_take (out, zs.total_out);
}

GBytes *
till_paysim_zip_build (const char *const *names,
                       GBytes    *const *contents,
                       guint              n,
                       gint64             mtime_ms,
                       GError           **error)
{
  g_autoptr(GByteArray) zip = g_byte_array_new ();
  g_autoptr(GByteArray) dir = g_byte_array_new ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (mtime_ms / 1000);
  g_autoptr(GDateTime) t = g_date_time_to_timezone (utc, tz);
  guint dos_time = (g_date_time_get_hour (t) << 11) | (g_date_time_get_minute (t) << 5)
                   | (g_date_time_get_second (t) / 2);
  guint dos_date = ((g_date_time_get_year (t) - 1980) << 9) | (g_date_time_get_month (t) << 5)
                   | g_date_time_get_day_of_month (t);

  for (guint i = 0; i < n; i++)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (contents[i], &len);
      g_autoptr(GBytes) packed = deflate_raw (contents[i], error);
      guint32 crc = crc32 (crc32 (0L, Z_NULL, 0), len > 0 ? data : (const Bytef *) "", (uInt) len);
      guint32 offset = zip->len;
      gsize name_len = strlen (names[i]);

      if (packed == NULL)
        return NULL;
      /* the local header */
      put32 (zip, 0x04034b50);
      put16 (zip, 20);                 /* version needed: 2.0 */
      put16 (zip, 0);                  /* flags: no UTF-8 flag (names are GBK) */
      put16 (zip, 8);                  /* deflate */
      put16 (zip, dos_time);
      put16 (zip, dos_date);
      put32 (zip, crc);
      put32 (zip, g_bytes_get_size (packed));
      put32 (zip, len);
      put16 (zip, name_len);
      put16 (zip, 0);
      g_byte_array_append (zip, (const guint8 *) names[i], name_len);
      g_byte_array_append (zip, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
      /* its central directory entry */
      put32 (dir, 0x02014b50);
      put16 (dir, 20);
      put16 (dir, 20);
      put16 (dir, 0);
      put16 (dir, 8);
      put16 (dir, dos_time);
      put16 (dir, dos_date);
      put32 (dir, crc);
      put32 (dir, g_bytes_get_size (packed));
      put32 (dir, len);
      put16 (dir, name_len);
      put16 (dir, 0);                  /* extra */
      put16 (dir, 0);                  /* comment */
      put16 (dir, 0);                  /* disk */
      put16 (dir, 0);                  /* internal attributes */
      put32 (dir, 0);                  /* external attributes */
      put32 (dir, offset);
      g_byte_array_append (dir, (const guint8 *) names[i], name_len);
    }
  {
    guint32 dir_offset = zip->len;

    g_byte_array_append (zip, dir->data, dir->len);
    put32 (zip, 0x06054b50);
    put16 (zip, 0);
    put16 (zip, 0);
    put16 (zip, n);
    put16 (zip, n);
    put32 (zip, dir->len);
    put32 (zip, dir_offset);
    put16 (zip, 0);
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&zip));
}

/* ---- the CSV files ------------------------------------------------------------------- */

static char *
yuan (gint64 fen)
{
  return till_alipay_yuan_format (fen);
}

/* A free-text cell: quoted when it holds a comma, a quote or a line end. */
static void
append_text (GString    *s,
             const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* An identifier cell, with the TAB Alipay puts after it (an Excel guard). */
static void
append_id (GString    *s,
           const char *text)
{
  g_string_append (s, text != NULL ? text : "");
  g_string_append_c (s, '\t');
}

static char *
chinese_time (gint64 ms)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) t = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (t, "%Y年%m月%d日 %H:%M:%S");
}

static void
append_head (GString    *s,
             const char *title,
             const char *account,
             gint64      day_start_ms,
             const char *list)
{
  g_autofree char *from = chinese_time (day_start_ms);
  g_autofree char *to = chinese_time (day_start_ms + DAY_MS);

  g_string_append_printf (s, "#%s\r\n#账号：[%s]\r\n#起始日期：[%s]   终止日期：[%s]\r\n"
                          "#" DASHES "%s" DASHES "\r\n",
                          title, account, from, to, list);
}

static void
append_row (GString                  *s,
            const TillPaysimAliTrade *t,
            gboolean                  refund,
            gint64                    amount,
            gint64                    done_ms,
            const char               *request_no)
{
  g_autofree char *created = till_alipay_timestamp_format (t->created_ms * 1000);
  g_autofree char *done = till_alipay_timestamp_format (done_ms * 1000);
  g_autofree char *money = yuan (refund ? -amount : amount);

  append_id (s, t->trade_no);
  g_string_append_c (s, ',');
  append_id (s, t->out_trade_no);
  g_string_append_c (s, ',');
  append_id (s, refund ? "退款" : "交易");
  g_string_append_c (s, ',');
  append_text (s, t->subject);
  g_string_append_printf (s, ",%s,%s,", created, done);
  append_id (s, t->store_id);
  g_string_append_c (s, ',');
  append_id (s, STORE_NAME);
  g_string_append_c (s, ',');
  append_id (s, t->operator_id);
  g_string_append_c (s, ',');
  append_id (s, t->terminal_id);
  g_string_append_c (s, ',');
  append_id (s, t->buyer_logon_id);
  /* 订单金额 商家实收 红包 集分宝 支付宝优惠 商家优惠 券核销 券名称 商家红包 卡消费 */
  g_string_append_printf (s, ",%s,%s,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,", money, money);
  append_id (s, request_no);
  g_string_append (s, ",0.00,0.00,");
  append_text (s, t->subject);
  g_string_append (s, "\r\n");
}

static GBytes *
to_gbk (GString  *text,
        GError  **error)
{
  gsize written = 0;
  char *gbk = g_convert_with_fallback (text->str, (gssize) text->len, "GBK", "UTF-8", "?", NULL,
                                       &written, error);

  return gbk != NULL ? g_bytes_new_take (gbk, written) : NULL;
}

GBytes *
till_paysim_alipay_bill_build (const char *pid,
                               gint64      day_start_ms,
                               gint64      now_ms,
                               GPtrArray  *trades,
                               GPtrArray  *refunds,
                               guint      *out_rows,
                               char      **out_name,
                               GError    **error)
{
  g_autofree char *account = g_strconcat (pid, "0156", NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day_start_ms / 1000);
  g_autoptr(GDateTime) day = g_date_time_to_timezone (utc, tz);
  g_autofree char *compact = g_date_time_format (day, "%Y%m%d");
  g_autofree char *exported = chinese_time (now_ms);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GBytes) detail_gbk = NULL;
  g_autoptr(GBytes) summary_gbk = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 day_end_ms = day_start_ms + DAY_MS;
  guint n_trades = 0, n_refunds = 0;
  gint64 paid = 0, refunded = 0;

  for (guint i = 0; i < trades->len; i++)
    {
      TillPaysimAliTrade *t = g_ptr_array_index (trades, i);

      g_hash_table_insert (by_id, &t->id, t);
    }

  append_head (detail, "支付宝业务明细查询", account, day_start_ms, "业务明细列表");
  g_string_append (detail, "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,"
                           "门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,"
                           "支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,"
                           "券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
                           "退款批次号/请求号,服务费（元）,分润（元）,备注\r\n");
  for (guint i = 0; i < trades->len; i++)
    {
      TillPaysimAliTrade *t = g_ptr_array_index (trades, i);

      if (t->paid_ms < day_start_ms || t->paid_ms >= day_end_ms)
        continue;
      append_row (detail, t, FALSE, t->total, t->paid_ms, NULL);
      n_trades++;
      paid += t->total;
    }
  for (guint i = 0; i < refunds->len; i++)
    {
      TillPaysimAliRefund *r = g_ptr_array_index (refunds, i);
      TillPaysimAliTrade *t = g_hash_table_lookup (by_id, &r->trade_id);

      if (t == NULL || r->created_ms < day_start_ms || r->created_ms >= day_end_ms)
        continue;
      append_row (detail, t, TRUE, r->amount, r->created_ms, r->out_request_no);
      n_refunds++;
      refunded += r->amount;
    }
  *out_rows = n_trades + n_refunds;
  {
    g_autofree char *p = yuan (paid);
    g_autofree char *r = yuan (-refunded);

    g_string_append_printf (detail,
                            "#" DASHES "业务明细列表结束" DASHES "\r\n"
                            "#交易合计：%u笔，商家实收共%s元，商家优惠共0.00元\r\n"
                            "#退款合计：%u笔，商家实收退款共%s元，商家优惠退款共0.00元\r\n"
                            "#导出时间：[%s]\r\n", n_trades, p, n_refunds, r, exported);
  }

  /* the summary: the one store of the simulator, and the total */
  append_head (summary, "支付宝业务汇总查询", account, day_start_ms, "业务汇总列表");
  g_string_append (summary, "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,"
                            "商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,"
                            "服务费（元）,分润（元）,实收净额（元）\r\n");
  {
    g_autofree char *o = yuan (paid - refunded);
    g_autofree char *net = yuan (paid - refunded);

    g_string_append_printf (summary, "%s\t,%s\t,%u,%u,%s,%s,0.00,0.00,0.00,0.00,0.00,%s\r\n",
                            "", STORE_NAME, n_trades, n_refunds, o, o, net);
    g_string_append_printf (summary, "合计,,%u,%u,%s,%s,0.00,0.00,0.00,0.00,0.00,%s\r\n",
                            n_trades, n_refunds, o, o, net);
  }
  g_string_append_printf (summary,
                          "#" DASHES "业务汇总列表结束" DASHES "\r\n"
                          "#导出时间：[%s]\r\n", exported);

  detail_gbk = to_gbk (detail, error);
  summary_gbk = detail_gbk != NULL ? to_gbk (summary, error) : NULL;
  if (summary_gbk == NULL)
    return NULL;
  {
    g_autofree char *detail_name = g_strdup_printf ("%s_%s_业务明细.csv", account, compact);
    g_autofree char *summary_name = g_strdup_printf ("%s_%s_业务明细(汇总).csv", account, compact);
    g_autofree char *detail_gbk_name = g_convert (detail_name, -1, "GBK", "UTF-8", NULL, NULL,
                                                  error);
    g_autofree char *summary_gbk_name = detail_gbk_name != NULL
                                        ? g_convert (summary_name, -1, "GBK", "UTF-8", NULL, NULL,
                                                     error)
                                        : NULL;
    const char *names[2] = { detail_gbk_name, summary_gbk_name };
    GBytes *contents[2] = { detail_gbk, summary_gbk };

    if (summary_gbk_name == NULL)
      return NULL;
    if (out_name != NULL)
      *out_name = g_strdup_printf ("%s_%s.csv.zip", account, compact);
    return till_paysim_zip_build (names, contents, 2, now_ms, error);
  }
}
