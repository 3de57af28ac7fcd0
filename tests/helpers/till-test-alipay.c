/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: an Alipay client and provider for the simulator, and raw gateway requests. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <string.h>

#include "till-alipay-provider.h"
#include "till-clock.h"
#include "till-test-alipay.h"

static TillRsaKey *
load_key (TillTestPaysim *sim,
          const char     *name,
          gboolean        private)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = till_test_paysim_dup_path (sim, name);
  TillRsaKey *key = private ? till_rsa_key_load_private_file (path, &error)
                            : till_rsa_key_load_public_file (path, &error);

  g_assert_no_error (error);
  return key;
}

TillAlipayClient *
till_test_alipay_new_client (TillTestPaysim *sim,
                             const char     *gateway_url,
                             guint           timeout_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) app = load_key (sim, "alipay_app_private_key.pem", TRUE);
  g_autoptr(TillRsaKey) alipay = load_key (sim, "alipay_platform_public_key.pem", FALSE);
  g_autofree char *app_id = till_test_paysim_read_line (sim, "alipay_app_id");
  g_autofree char *url = gateway_url != NULL
                         ? g_strdup (gateway_url)
                         : g_strconcat (till_test_paysim_get_base_url (sim), "/gateway.do", NULL);
  TillAlipayConfig config = {
    .gateway_url = url,
    .app_id = app_id,
    .app_private_key = app,
    .alipay_public_key = alipay,
    .timeout_ms = timeout_ms,
  };
  TillAlipayClient *client = till_alipay_client_new (&config, &error);

  g_assert_no_error (error);
  return client;
}

TillPayProvider *
till_test_alipay_provider (TillAlipayClient *client)
{
  return TILL_PAY_PROVIDER (till_alipay_provider_new (client));
}

void
till_test_alipay_answer_free (TillTestAlipayAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->content_type);
  g_free (answer->text);
  g_free (answer->root_key);
  g_clear_pointer (&answer->response, json_object_unref);
  g_free (answer->signed_text);
  g_free (answer->date);
  g_free (answer);
}

static void
set_pairs (GHashTable        *params,
           const char *const *pairs)
{
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    {
      if (pairs[i + 1] == NULL)
        g_hash_table_remove (params, pairs[i]);
      else
        g_hash_table_insert (params, g_strdup (pairs[i]), g_strdup (pairs[i + 1]));
    }
}

static void
append_pair (GString    *s,
             const char *name,
             const char *value)
{
  g_autofree char *v = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (s, "%s%s=%s", s->len > 0 ? "&" : "", name, v);
}

TillTestAlipayAnswer *
till_test_alipay_send (TillTestPaysim              *sim,
                       const TillTestAlipayRequest *request,
                       GError                     **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(TillRsaKey) own = NULL;
  g_autoptr(TillRsaKey) alipay = load_key (sim, "alipay_platform_public_key.pem", FALSE);
  g_autofree char *app_id = till_test_paysim_read_line (sim, "alipay_app_id");
  g_autofree char *timestamp = till_alipay_timestamp_format (
    till_clock_now_us () + request->timestamp_offset_s * G_USEC_PER_SEC);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GString) form = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  TillTestAlipayAnswer *answer;
  GHashTableIter iter;
  gpointer key, value;
  gsize len = 0;
  const char *data;

  if (request->method != NULL)
    g_hash_table_insert (params, g_strdup ("method"), g_strdup (request->method));
  g_hash_table_insert (params, g_strdup ("app_id"), g_strdup (app_id));
  g_hash_table_insert (params, g_strdup ("format"), g_strdup ("JSON"));
  g_hash_table_insert (params, g_strdup ("charset"), g_strdup ("utf-8"));
  g_hash_table_insert (params, g_strdup ("sign_type"), g_strdup ("RSA2"));
  g_hash_table_insert (params, g_strdup ("timestamp"), g_strdup (timestamp));
  g_hash_table_insert (params, g_strdup ("version"), g_strdup ("1.0"));
  if (request->biz_content != NULL)
    g_hash_table_insert (params, g_strdup ("biz_content"), g_strdup (request->biz_content));
  set_pairs (params, request->set);
  if (!request->no_sign)
    {
      g_autoptr(GError) local = NULL;
      TillRsaKey *sign_key = request->sign_key;
      char *sign;

      if (sign_key == NULL)
        sign_key = own = load_key (sim, "alipay_app_private_key.pem", TRUE);
      g_hash_table_remove (params, "sign");
      sign = till_alipay_sign_params (sign_key, params, &local);
      g_assert_no_error (local);
      g_hash_table_insert (params, g_strdup ("sign"), sign);
    }
  set_pairs (params, request->tamper);

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    append_pair (request->all_in_body || g_str_equal (key, "biz_content") ? form : query, key,
                 value);
  for (guint i = 0; request->query_only != NULL && request->query_only[i] != NULL; i += 2)
    append_pair (query, request->query_only[i], request->query_only[i + 1]);

  url = g_strconcat (till_test_paysim_get_base_url (sim), "/gateway.do",
                     query->len > 0 ? "?" : "", query->str, NULL);
  msg = soup_message_new ("POST", url);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (form->str, form->len);

    soup_message_set_request_body_from_bytes (msg,
                                              "application/x-www-form-urlencoded;charset=utf-8",
                                              bytes);
  }
  body = till_test_paysim_send_raw (sim, msg, request->timeout_ms != 0 ? request->timeout_ms
                                                                       : 15000, error);
  if (body == NULL)
    return NULL;

  answer = g_new0 (TillTestAlipayAnswer, 1);
  answer->status = soup_message_get_status (msg);
  answer->content_type = g_strdup (soup_message_headers_get_one (
    soup_message_get_response_headers (msg), "Content-Type"));
  answer->date = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "Date"));
  data = g_bytes_get_data (body, &len);
  answer->text = g_strndup (data != NULL ? data : "", len);
  {
    g_autoptr(TillAlipayAnswer) read = NULL;
    const char *m = request->method != NULL ? request->method : "none.method";

    read = till_alipay_answer_read (answer->text, len, m, alipay, NULL, NULL);
    if (read != NULL)
      {
        answer->root_key = g_strdup (read->root_key);
        answer->response = json_object_ref (read->response);
        answer->signed_text = g_strdup (read->signed_text);
        answer->has_sign = read->sign != NULL;
        answer->sign_ok = read->verified;
      }
  }
  return answer;
}

TillTestAlipayAnswer *
till_test_alipay_call (TillTestPaysim *sim,
                       const char     *method,
                       const char     *biz_content,
                       GError        **error)
{
  TillTestAlipayRequest request = { .method = method, .biz_content = biz_content };

  return till_test_alipay_send (sim, &request, error);
}

static const char *
member (TillTestAlipayAnswer *answer,
        const char           *name)
{
  if (answer->response == NULL)
    return "";
  return json_object_get_string_member_with_default (answer->response, name, "");
}

const char *
till_test_alipay_code (TillTestAlipayAnswer *answer)
{
  return member (answer, "code");
}

const char *
till_test_alipay_sub_code (TillTestAlipayAnswer *answer)
{
  return member (answer, "sub_code");
}
