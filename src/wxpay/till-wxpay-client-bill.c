/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client's bill calls: asking for a day's trade bill and downloading it (unsigned,
 * checked by its SHA1, gunzipped). */
#define G_LOG_DOMAIN "till-pay"
#include "config.h"

#include "till-wxpay-client-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <zlib.h>

#define MAX_BILL_BYTES     (256u * 1024u * 1024u)

GBytes *
till_wxpay_bill_gunzip (GBytes *in, GError **error)
{
  z_stream zs;
  GByteArray *out;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (in, &len);
  int ret;

  memset (&zs, 0, sizeof zs);
  if (inflateInit2 (&zs, 16 + MAX_WBITS) != Z_OK)
    {
      *error = till_wxpay_protocol_error (200, "inflateInit2 failed");
      return NULL;
    }
  zs.next_in = (Bytef *) data;
  zs.avail_in = (uInt) len;
  out = g_byte_array_sized_new ((guint) MIN (len * 4 + 1024, MAX_BILL_BYTES));
  do
    {
      guint8 chunk[16384];
      zs.next_out = chunk;
      zs.avail_out = sizeof chunk;
      ret = inflate (&zs, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END)
        break;
      g_byte_array_append (out, chunk, (guint) (sizeof chunk - zs.avail_out));
      if (out->len > MAX_BILL_BYTES)
        {
          ret = Z_MEM_ERROR;
          break;
        }
    }
  while (ret != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
  inflateEnd (&zs);

  if (ret != Z_STREAM_END)
    {
      g_byte_array_unref (out);
      g_message ("bill gunzip failed: zlib %d", ret);
      *error = till_wxpay_pay_error_new (TILL_PAY_ERROR_CORRUPT, 200, NULL, NULL,
                              _("The downloaded bill is damaged (cannot decompress it): download it again."));
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

void
till_wxpay_finish_download (GTask *task, Call *call, guint status, GBytes *body)
{
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *sha1 = NULL;
  GError *error = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (body, &len);

  /* Bill downloads are unsigned (§6.2): the SHA1 below is the integrity check. */
  if (status != 200)
    {
      g_autofree char *code = NULL, *message = NULL, *text = NULL;
      till_wxpay_parse_problem (body, &code, &message);
      g_message ("bill download: HTTP %u %s: %s", status, code ? code : "", message ? message : "");
      if (status >= 500)
        {
          text = g_strdup_printf (_("WeChat Pay had a problem sending the bill (HTTP %u): try again later."),
                                  status);
          g_task_return_error (task, till_wxpay_pay_error_new (TILL_PAY_ERROR_SERVER, status, code, message, text));
        }
      else if (status >= 400)
        {
          text = till_wxpay_provider_error_text (code, message, status);
          g_task_return_error (task, till_wxpay_pay_error_new (TILL_PAY_ERROR_PROVIDER, status, code, message, text));
        }
      else
        g_task_return_error (
            task, till_wxpay_protocol_error (status, "unexpected status for a download"));
      return;
    }

  if (call->bill->gzip || (len >= 2 && data[0] == 0x1f && data[1] == 0x8b))
    {
      plain = till_wxpay_bill_gunzip (body, &error);
      if (plain == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    plain = g_bytes_ref (body);

  if (g_ascii_strcasecmp (call->bill->hash_type, "SHA1") != 0)
    {
      g_task_return_error (task, till_wxpay_protocol_error (status, "unsupported hash_type"));
      return;
    }
  sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, plain);
  if (g_ascii_strcasecmp (sha1, call->bill->hash_value) != 0)
    {
      g_message ("bill SHA1 %s, expected %s", sha1, call->bill->hash_value);
      g_task_return_error (
          task, till_wxpay_pay_error_new (TILL_PAY_ERROR_CORRUPT, status, NULL, NULL,
                                          _("The downloaded bill does not match its checksum: "
                                             "download it again.")));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&plain), (GDestroyNotify) g_bytes_unref);
}

static gboolean
valid_bill_date (const char *s)
{
  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

void
till_wxpay_client_trade_bill_async (TillWxpayClient *self, const char *bill_date,
                                    const char *bill_type, gboolean gzip,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *query = NULL;
  GTask *task;
  Call *call;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));

  task = till_wxpay_new_task (self, till_wxpay_client_trade_bill_async, cancellable, callback,
                              user_data);
  if (bill_type == NULL)
    bill_type = "ALL";
  if (!valid_bill_date (bill_date) || !till_wxpay_valid_id (bill_type, 32, ""))
    {
      till_wxpay_invalid_request (task, _("bad bill date or type"));
      return;
    }
  query = g_strdup_printf ("bill_date=%s&bill_type=%s%s", bill_date, bill_type,
                           gzip ? "&tar_type=GZIP" : "");
  call = till_wxpay_call_new (CALL_BILL);
  call->gzip = gzip;
  till_wxpay_call_start (self, task, call, "GET", "/v3/bill/tradebill", query, NULL, cancellable);
}

TillWxpayBill *
till_wxpay_client_trade_bill_finish (TillWxpayClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_trade_bill_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
till_wxpay_client_download_bill_async (TillWxpayClient *self, const TillWxpayBill *bill,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  GTask *task;
  Call *call;
  const char *path;

  g_return_if_fail (TILL_IS_WXPAY_CLIENT (self));
  g_return_if_fail (bill != NULL);

  task = till_wxpay_new_task (self, till_wxpay_client_download_bill_async, cancellable, callback,
                              user_data);
  if (bill->download_url == NULL || bill->hash_value == NULL || bill->hash_type == NULL ||
      (uri = g_uri_parse (bill->download_url, G_URI_FLAGS_ENCODED, &local)) == NULL)
    {
      if (local != NULL)
        g_message ("download_url “%s”: %s", bill->download_url, local->message);
      till_wxpay_invalid_request (task, _("bad bill download address"));
      return;
    }
  path = g_uri_get_path (uri);
  if (path[0] != '/')
    {
      till_wxpay_invalid_request (task, _("bad bill download address"));
      return;
    }
  if (g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (self->base_uri)) != 0)
    g_debug ("bill download_url host %s: fetching from %s", g_uri_get_host (uri), self->base_url);

  /* Signed like any GET, sent to the configured API host (so the loopback/https rule
   * applies); the answer is the raw file, checked by its SHA1 instead of a signature. */
  call = till_wxpay_call_new (CALL_DOWNLOAD);
  call->bill = till_wxpay_bill_copy (bill);
  till_wxpay_call_start (self, task, call, "GET", path, g_uri_get_query (uri), NULL, cancellable);
}

GBytes *
till_wxpay_client_download_bill_finish (TillWxpayClient *self, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, till_wxpay_client_download_bill_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
