/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Alipay client's bill download: a plain GET of the bill_download_url (unsigned; the
 * ZIP's CRC-32s are its check), the ZIP read and its detail file parsed on a worker
 * thread. */
#define G_LOG_DOMAIN "till-alipay"
#include "config.h"

#include "till-alipay-client-private.h"

#include <glib/gi18n-lib.h>

#include "till-alipay-bill.h"

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *zip = g_object_get_data (G_OBJECT (task), "zip");
  GError *error = NULL;
  TillBill *bill = till_alipay_bill_parse_zip (zip, &error);

  if (bill == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bill, (GDestroyNotify) till_bill_free);
}

void
till_alipay_download_answered (GTask  *task,
                               Call   *call,
                               guint   status,
                               GBytes *body)
{
  g_autofree char *text = NULL;

  if (status != 200)
    {
      g_message ("Alipay bill download: HTTP %u", status);
      if (status >= 500)
        text = g_strdup_printf (_("Alipay had a problem sending the bill (HTTP %u): try "
                                  "again later."), status);
      else
        text = g_strdup_printf (_("Alipay did not send the bill (HTTP %u): the download "
                                  "address may have expired; ask for the bill again."),
                                status);
      /* Nothing about a payment is in doubt: fetch the bill again. */
      g_task_return_error (task, till_alipay_error_new (TILL_PAY_ERROR_CORRUPT, status, NULL,
                                                        NULL, text));
      return;
    }
  if (g_bytes_get_size (body) > TILL_ALIPAY_BILL_MAX_BYTES)
    {
      g_task_return_error (task, till_alipay_error_new (TILL_PAY_ERROR_CORRUPT, status, NULL,
                                                        NULL, _("The downloaded Alipay bill is "
                                                                "damaged: download it "
                                                                "again.")));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "zip", g_bytes_ref (body),
                          (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, parse_thread);
}

void
till_alipay_client_download_bill_async (TillAlipayClient    *self,
                                        const char          *url,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;
  const char *scheme;

  g_return_if_fail (TILL_IS_ALIPAY_CLIENT (self));

  task = till_alipay_new_task (self, till_alipay_client_download_bill_async, cancellable,
                               callback, user_data);
  uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL) : NULL;
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  /* Alipay's bill server is plain http (§5.7); the address came in a signed answer. */
  if (uri == NULL || till_alipay_is_blank (g_uri_get_host (uri))
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      till_alipay_invalid_request (task, _("bad bill download address"));
      return;
    }
  till_alipay_download_start (self, task, till_alipay_call_new (CALL_DOWNLOAD, NULL), uri,
                              cancellable);
}

TillBill *
till_alipay_client_download_bill_finish (TillAlipayClient *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  till_alipay_client_download_bill_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
