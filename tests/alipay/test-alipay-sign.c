/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alipay's signatures against the known answers of alipay.md §8 (the official Node SDK,
 * OpenSSL and GnuTLS agree on them byte for byte): the request's sign content and its RSA2
 * signature (V1), a classic answer verified over the raw bytes of its response object (V2),
 * the v3 strings as plain RSA2 known answers (V3, V4), a real Alipay signature with the
 * SDK's Alipay public key given as bare Base64 (V5); every one refused once a byte
 * changes. Also: the raw extraction of the signed object, the GMT+8 timestamp, yuan ↔ fen,
 * and the app key files (PKCS#1, PKCS#8, bare Base64; refused when others can read them). */
#define G_LOG_DOMAIN "test-alipay-sign"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "till-alipay-sign.h"
#include "till-alipay-types.h"
#include "till-pay-error.h"

/* Key A: the official SDK's fixture test/fixtures/app-private-key.pem (PKCS#1); public
 * test material, never for production. */
static const char key_a_pkcs1[] =
  "-----BEGIN RSA PRIVATE KEY-----\n"
  "MIIEowIBAAKCAQEAhL3pWP55B1fFkvYOOtcfOEUhvBodHpLnc9KmuAU4H8V+ocyK\n"
  "TckacBhJrwIT8ILMzpflfqpzl+dvpJIsx3IbNB1Pmy0V949+vCoiBEa0Maw1dgJf\n"
  "IwghrsKL41wqzeaFqC6CehiefvwTKrS8zxIK1gDHipsimNsDbqCYmojDxhyorO4C\n"
  "C0iXld+1+LQxajf9ZdG1nLDd9dgVGiMkEDUSGXKCt6NpoDHp/6ptAcYSvnn5W4YU\n"
  "NWdy+wVxT0jyrbP1gNUDG1DVtFLrZXNQ9vY5wRyaix8vUccQ3s5o186tPgpup++l\n"
  "U3v2NgzybF9JzJWPdanDv5cJcJyFe43LNdD9mwIDAQABAoIBAE6ohsUgjjFmtoIe\n"
  "YlJFtY9Pj+z6AHVkkdiVZAu5tAdHrYFNRktPtuXjzo3xCkXEDH8DjY+gi7zg/Mwl\n"
  "fnl1SV95WvnWHqVDF9OCmAO2rgKdTFSwlRWaNPNs/x3sOMUoK918Kf8V5Z3T27u7\n"
  "vAJsa5VigtvEkBzJ81+ztJomHvSemrMGoQNPSWenaRHsxbkTtvHWOHLLYjzahFDU\n"
  "bzVx2QdVeBPXPOnG4Nkk1uIbYasqSJNUAlaSCshpgIJQ3M7I1Cef7hcLcOUn9Oam\n"
  "kUXipEQRKNu6XhZ32yZbhkcvM7irtWtLRaPOj98U7/Ful0W1qM2/C1jTJ3qYP1CB\n"
  "rZKsW8ECgYEA3b/hneLaseoE6ATFWhjrdQY9VPjJjz7VQGuDzy3lLDiRL2/9KrhU\n"
  "1HyAYQFaC03+dZj9Nr2GDua88vrdwPtOZoe5REn+U+YyAHhNsqKYGoVL/RbyHagm\n"
  "DDEJfhPOv3tMElI9hZlfsF5QRsqS9CnhLej7GJNA5wEhXBKeJL54JTsCgYEAmT6b\n"
  "5F2wy2jBi7o9q6Io+AFOcqEzsf0cpoeAJQU3YRThkQZoCDmcvfh21jl7A5538Yul\n"
  "Vo8xnPcSeq3SzmW9p34HW7UNZaI4ZeH9flecimNuEmWAM6pJ3jnuJwFSZSs8rQOd\n"
  "Rh5EkLDHkswssQ0jrUaSJPzKrc4Vpvt9RadlgyECgYEAgOMic+6DRp3KtEDxpGiP\n"
  "krlJtLXWEZhnwsW7GxSF+6n1WSkycT4qsEadJ8TtXVy75gZCRyrpXIfokyIU+jIX\n"
  "Y6jHmlWXqZRGw9co8gdneSK5BCXuHCa71qI57jn9FXbIxG1grOJ0p8Jpznu35orh\n"
  "AxpDuAj+1EXn6eg4WwsKMjkCgYBaAzOQdRPmtvaQu2mECjEkU6gfnt59mt4cVxUH\n"
  "KcQ4qwo/pFKxGh4eW/Z5qLPAEXIEmHEaoeuTdnENTFK513sKCfYKgROIcjvMZG0A\n"
  "rDeP9g1ukt41+r1+4eooURdzw2zVd30G9bpyftQLPxC1QrGFEyG+xhnK83U2axxP\n"
  "MJ9o4QKBgAcDHoC8boYYJ7fk72RbJv4G6uGKkdPTeu1TzwMHeTB6uEa0jTKHwxc8\n"
  "3O0rYVgBVjh2WckEU18zhsAT/YjpNyq5wl2ZXzoeHrAANTZmtVxBCEDmkwy535hj\n"
  "zo4NIvDJoUoAysfxR8+/e9MGDJxYoHsOVnXx5JUWRO0XbB5F2o1Y\n"
  "-----END RSA PRIVATE KEY-----\n";

/* V1 */
static const char v1_biz[] =
  "{\"out_trade_no\":\"T20240520131415001\",\"scene\":\"bar_code\","
  "\"auth_code\":\"286958267789018980\",\"subject\":\"Tillpoint 测试\","
  "\"total_amount\":\"88.88\",\"store_id\":\"S01\",\"terminal_id\":\"POS01\"}";
static const char v1_content[] =
  "app_id=2021000122671080&biz_content={\"out_trade_no\":\"T20240520131415001\","
  "\"scene\":\"bar_code\",\"auth_code\":\"286958267789018980\",\"subject\":\"Tillpoint 测试\","
  "\"total_amount\":\"88.88\",\"store_id\":\"S01\",\"terminal_id\":\"POS01\"}&charset=utf-8"
  "&format=JSON&method=alipay.trade.pay&sign_type=RSA2&timestamp=2024-05-20 13:14:15"
  "&version=1.0";
static const char v1_sign[] =
  "Hh0Aq/yzqSwEJLfMp6hO27Qrw4Lb/0OjKqGZHe2gt3pTm8iC3bMZi4s/kbglkImpXdCfpPjkz+gdLYpVq5zJMlUt"
  "mN+3fupBD9AiVwyv4EOks1kP9RALg2GMS+NIKizY19lYoHdMrAP5090Ph0DrUaV454/668rRRVKuS6ZTFbfWBrW7"
  "jLp6b7/97UY0t0fdO0DsvQ57AFOPxGI0JIxqazys3dT6pFoaRrDmKsnpzS09UK7uJkeCYckiiD0KegdBAN+5Zs0F"
  "4XlEWZUJ8K00/38ZWzySyMByOnSRkkai3o2JZD2HfmJlFrR872OqKbMeR1eLAWyMkk1npGiLTC2akw==";

/* V2 */
static const char v2_content[] =
  "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_logon_id\":\"159******20\","
  "\"buyer_pay_amount\":\"88.88\",\"fund_bill_list\":[{\"amount\":\"88.88\","
  "\"fund_channel\":\"ALIPAYACCOUNT\"}],\"gmt_payment\":\"2024-05-20 13:14:17\","
  "\"invoice_amount\":\"88.88\",\"out_trade_no\":\"T20240520131415001\","
  "\"point_amount\":\"0.00\",\"receipt_amount\":\"88.88\","
  "\"store_name\":\"\\u6d4b\\u8bd5\\/S01\",\"total_amount\":\"88.88\","
  "\"trade_no\":\"2024052022001400001234567890\"}";
static const char v2_sign[] =
  "g5sjOd+OAoHMS5+4DIZ7l2v6N3HGbUXPu1Gv9ZneCRrooi/hYUmPrOp4SqwSzjQDKvbJBPwWxIlZsGOaOePqfC/S"
  "Crysb89ofXKElg1fvPg52MfTldKMredj0vfC2GzCiOK9Jmt9N/6Abrr8LpSbQrKdYRIYkdXOUuxbv/5nvtMSmLDS"
  "JKmChKw0NuobvoRSRd5NqTNoFJrfubJ8X1CZK6WzCK4jgL36uGYDZ0+cDCnJTalFlKNcptVk2avvZgSNnZgNY7hI"
  "UBOWCJxX53ZYAr09rNIZeiE7b2gOGDHMzxK5igCK4vDyGSXycH2qtnUWb2nSmkRlTg7cs8fY+q34qA==";

/* V3, V4 */
static const char v3_string[] =
  "app_id=2021000122671080,nonce=7f3c2a1e9b8d4c6f8a0e1d2c3b4a5f60,timestamp=1716182055000\n"
  "POST\n/v3/alipay/trade/pay\n{\"out_trade_no\":\"T20240520131415001\",\"total_amount\":\"88.88\","
  "\"subject\":\"Tillpoint\",\"auth_code\":\"286958267789018980\",\"scene\":\"bar_code\"}\n";
static const char v3_sign[] =
  "R2aYlgrLoC5m63tXUCXPLgqCdkPLPgx46gkKtdvLOPYetO6oOa0UxDzT44CASCsVwitXGuvW2ISfBdx3BuY1gpDo"
  "46+/vkmZkbOCe1RkoJA5gL0GPbuUzNuyMQxLtc1OEWRft5sHY9MQ+gZgHjaQzAcfcr+tdQseag91muGdl1R2sGsJ"
  "2uInRaatuSGN4xsrAqDSt74GhzQiVICaYcL2hOyXulU3fkQSb+89lvIV1+/BXwZTp5Bl/bZxj3wjolMbm4KDEF82"
  "prkPeOBTKphBu2ctypP2LPIVPE0wSpboCLt0Cr7ItK8ykfoJfPO9Js/9ogU7x3UAz2Jytq4J0V3jqQ==";
static const char v4_string[] =
  "1716182056123\n5d7c0e2f9a1b4c3d\n{\"trade_no\":\"2024052022001400001234567890\","
  "\"out_trade_no\":\"T20240520131415001\",\"total_amount\":\"88.88\"}\n";

/* V5: the SDK's Alipay public key, as the console shows it (bare Base64) */
static const char v5_public[] =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk7LzhmMa2c4qQd4fqAqenfbuFoA7stPKvoS1LrZEsVnO"
  "OGUUjwoa1oU9xsSPjcOWhIerU/VAN4J95GIAXx59ipcleIyfLn2FhHXPgLJpvo+b2jJFyn/1/DbeJDh+0yDVAOf5"
  "0Z7HhI0mdUhFMkXlT7BU0ZMtJf/TmISFEfhDU/w6qFd6D42L97byAkq0K6LroglSVF24GqJEa7hSeUIkZWj7Rasy"
  "kXrc2uVJ1+ejkXE0LyPxa2AHykMGbJLf5SiZvaNzUZgnKIR36mLOHpQ/2JCXxhXZYUWHzy0kMH54JcUEeksFWBYL"
  "GvLjV1phbcUIc3Q76tIuqApY6E222OoZZQIDAQAB";
static const char v5_content[] =
  "{\"code\":\"10000\",\"msg\":\"Success\",\"file_id\":\"CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr\"}";
static const char v5_sign[] =
  "F+LDzpTNiavn7xVZPGuPCSSVRSmWzJGgtuji6tVELGEaqMaNj0jRKXUEr5nloZJBBmwEnddOyCjjepMmrTKTvoOq"
  "Q0Efxpr/R1iEeHTHVbb/Q8TTh6Up5gHJDkILdaWS2q1cWeQ6VT+HQY9P3WRXS7uhILHuDODIhpAyCu5KhWGt0rMC"
  "IG+Im6NODJP2oohtSCtmTFXg58HH587Z2y2bdbjzOxLvzD9IrU1imghXQ2S/Q+wMIvRk9on6cWnBLkrNvJKapA2R"
  "eNGWOwyuASvB9zDVzhMPbR+3mfRGkVDxsq5HYLjBKGskJMXHw0HuugZij6ScRuaLPODhmHwr/pJ9yw==";

static TillRsaKey *
key_a (void)
{
  g_autoptr(GError) error = NULL;
  TillRsaKey *key = till_rsa_key_load_private_pem (key_a_pkcs1, strlen (key_a_pkcs1), &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

/* The public half of key A, as the simulated "Alipay" of V2 holds it. */
static TillRsaKey *
key_a_public (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) priv = key_a ();
  g_autofree char *pem = till_rsa_key_export_public_pem (priv, &error);
  TillRsaKey *key;

  g_assert_no_error (error);
  key = till_rsa_key_load_public_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  return key;
}

static char *
sha256 (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* A copy of `text` with the byte at `at` changed. */
static char *
flip (const char *text,
      gsize       at)
{
  char *copy = g_strdup (text);

  copy[at] = copy[at] == 'A' ? 'B' : 'A';
  return copy;
}

/* ---------------------------------------------------------------- keys */

static void
test_key_a (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = key_a ();
  g_autofree char *pem = till_rsa_key_export_public_pem (key, &error);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree guchar *der = NULL;
  g_autofree char *hash = NULL;
  gsize der_len = 0;

  /* §8: SHA-256 of the public DER SubjectPublicKeyInfo */
  g_assert_no_error (error);
  lines = g_strsplit (pem, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '-')
      g_string_append (body, lines[i]);
  der = g_base64_decode (body->str, &der_len);
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, der_len);
  g_assert_cmpstr (hash, ==, "ff9b07cc0cb25213905f0dcfc4cdcb8924e99de2f16a9cab5fe2baad2ffedd96");
}

/* Alipay's key tool gives PKCS#8 or PKCS#1, PEM or a bare Base64 body: all sign alike. */
static void
test_key_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) pkcs1 = key_a ();
  g_autofree char *pkcs8_pem = till_rsa_key_export_private_pkcs8_pem (pkcs1, &error);
  g_autoptr(GString) pkcs8_bare = g_string_new (NULL);
  g_autoptr(GString) pkcs1_bare = g_string_new (NULL);
  const char *const texts[] = { key_a_pkcs1, pkcs8_pem, NULL, NULL };
  const char *kinds[] = { "PKCS#1 PEM", "PKCS#8 PEM", "PKCS#8 bare", "PKCS#1 bare" };
  g_auto(GStrv) l8 = NULL;
  g_auto(GStrv) l1 = NULL;

  g_assert_no_error (error);
  l8 = g_strsplit (pkcs8_pem, "\n", -1);
  for (guint i = 0; l8[i] != NULL; i++)
    if (l8[i][0] != '-')
      g_string_append (pkcs8_bare, l8[i]);
  /* one line, as the key tool copies it, with a newline at the end */
  g_string_append_c (pkcs8_bare, '\n');
  l1 = g_strsplit (key_a_pkcs1, "\n", -1);
  for (guint i = 0; l1[i] != NULL; i++)
    if (l1[i][0] != '-')
      g_string_append_printf (pkcs1_bare, "%s\r\n", l1[i]);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const char *text = k < 2 ? texts[k] : k == 2 ? pkcs8_bare->str : pkcs1_bare->str;
      g_autoptr(TillRsaKey) key = till_rsa_key_load_private_pem (text, strlen (text), &error);
      g_autofree char *sign = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (key);
      sign = till_rsa_sign_base64 (key, v1_content, strlen (v1_content), &error);
      g_assert_no_error (error);
      g_test_message ("%s signs V1 as expected", kinds[k]);
      g_assert_cmpstr (sign, ==, v1_sign);
    }

  /* not a key at all */
  g_assert_null (till_rsa_key_load_private_pem ("bm90IGEga2V5", 12, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_public_pem ("hello, world", 12, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
}

/* The app private key file is refused while others can read it, as WeChat Pay's is. */
static void
test_key_file_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-alipay-key-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "app_private_key.pem", NULL);
  g_autoptr(TillRsaKey) key = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, key_a_pkcs1, -1, &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_null (till_rsa_key_load_private_file (path, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  key = till_rsa_key_load_private_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------- V1: the request */

static void
test_v1_request (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = key_a ();
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TillRsaKey) pub = key_a_public ();
  g_autofree char *content = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sign = NULL;
  g_autofree char *timestamp = NULL;

  /* 2024-05-20 13:14:15 in GMT+8 is 05:14:15 UTC */
  timestamp = till_alipay_timestamp_format (G_GINT64_CONSTANT (1716182055) * G_USEC_PER_SEC);
  g_assert_cmpstr (timestamp, ==, "2024-05-20 13:14:15");

  g_hash_table_insert (params, "method", "alipay.trade.pay");
  g_hash_table_insert (params, "app_id", "2021000122671080");
  g_hash_table_insert (params, "format", "JSON");
  g_hash_table_insert (params, "charset", "utf-8");
  g_hash_table_insert (params, "sign_type", "RSA2");
  g_hash_table_insert (params, "timestamp", timestamp);
  g_hash_table_insert (params, "version", "1.0");
  g_hash_table_insert (params, "biz_content", (gpointer) v1_biz);
  /* left out of the content: the sign itself and empty values */
  g_hash_table_insert (params, "notify_url", "");
  g_hash_table_insert (params, "sign", "whatever");

  content = till_alipay_sign_content (params);
  g_assert_cmpstr (content, ==, v1_content);
  g_assert_cmpuint (strlen (content), ==, 323);
  hash = sha256 (content);
  g_assert_cmpstr (hash, ==, "a80697338718fa61bc988ac28b899e464f91d72430a2e05e825e3fc80c29ca1b");

  g_hash_table_remove (params, "sign");
  sign = till_alipay_sign_params (key, params, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sign, ==, v1_sign);

  /* a server's check: the same request passes, a changed one does not */
  g_hash_table_insert (params, "sign", (gpointer) v1_sign);
  g_assert_true (till_alipay_verify_params (pub, params, &error));
  g_assert_no_error (error);
  g_hash_table_insert (params, "timestamp", "2024-05-20 13:14:16");
  g_assert_false (till_alipay_verify_params (pub, params, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);
  g_hash_table_insert (params, "timestamp", timestamp);
  g_hash_table_remove (params, "sign");
  g_assert_false (till_alipay_verify_params (pub, params, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
}

/* ---------------------------------------------------------------- V2: the answer */

static char *
v2_body (const char *content,
         const char *sign)
{
  return till_alipay_answer_body ("alipay_trade_pay_response", content, sign);
}

static void
test_v2_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sig_error = NULL;
  g_autoptr(TillRsaKey) key = key_a ();
  g_autoptr(TillRsaKey) pub = key_a_public ();
  g_autofree char *hash = sha256 (v2_content);
  g_autofree char *sign = NULL;
  g_autofree char *body = NULL;
  g_autoptr(TillAlipayAnswer) answer = NULL;

  g_assert_true (g_str_has_prefix (hash, "c80bb814"));
  g_assert_true (g_str_has_suffix (hash, "9af7d0"));
  sign = till_rsa_sign_base64 (key, v2_content, strlen (v2_content), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sign, ==, v2_sign);

  /* the body writes '/' as '\/' in the sign, and keeps \u and \/ in the content */
  body = v2_body (v2_content, v2_sign);
  g_assert_nonnull (strstr (body, "g5sjOd+OAoHMS5+4DIZ7l2v6N3HGbUXPu1Gv9ZneCRrooi\\/hYUm"));
  answer = till_alipay_answer_read (body, strlen (body), "alipay.trade.pay", pub, &sig_error,
                                    &error);
  g_assert_no_error (error);
  g_assert_no_error (sig_error);
  g_assert_true (answer->verified);
  g_assert_cmpstr (answer->root_key, ==, "alipay_trade_pay_response");
  g_assert_cmpstr (answer->signed_text, ==, v2_content);
  g_assert_cmpstr (answer->sign, ==, v2_sign);
  g_assert_cmpstr (till_alipay_json_string (answer->response, "trade_no"), ==,
                   "2024052022001400001234567890");
  g_assert_cmpstr (till_alipay_json_string (answer->response, "store_name"), ==, "测试/S01");
  g_clear_pointer (&answer, till_alipay_answer_free);

  /* the sign before the object, blanks around it: still the same bytes */
  {
    g_autofree char *escaped = g_strdup (strstr (body, ",\"sign\":") + 1);
    g_autofree char *reordered = NULL;

    escaped[strlen (escaped) - 1] = '\0';
    reordered = g_strdup_printf ("{ %s ,\n \"alipay_trade_pay_response\" : %s }", escaped,
                                 v2_content);
    answer = till_alipay_answer_read (reordered, strlen (reordered), "alipay.trade.pay", pub,
                                      &sig_error, &error);
    g_assert_no_error (error);
    g_assert_no_error (sig_error);
    g_assert_true (answer->verified);
    g_clear_pointer (&answer, till_alipay_answer_free);
  }

  /* one byte of the content changed: not verified (the fields are for the log only) */
  for (gsize at = 1; at < strlen (v2_content); at += 37)
    {
      g_autofree char *changed = flip (v2_content, at);
      g_autofree char *bad = v2_body (changed, v2_sign);

      answer = till_alipay_answer_read (bad, strlen (bad), "alipay.trade.pay", pub, &sig_error,
                                        &error);
      if (answer == NULL)
        {
          /* the change broke the JSON: not an answer at all */
          g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
          g_clear_error (&error);
          continue;
        }
      g_assert_false (answer->verified);
      g_assert_error (sig_error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
      g_clear_error (&sig_error);
      g_clear_pointer (&answer, till_alipay_answer_free);
    }

  /* no sign, or a full-length wrong one */
  {
    g_autofree char *unsigned_body = v2_body (v2_content, NULL);
    g_autofree char *wrong = flip (v2_sign, 10);
    g_autofree char *wrong_body = v2_body (v2_content, wrong);

    answer = till_alipay_answer_read (unsigned_body, strlen (unsigned_body), "alipay.trade.pay",
                                      pub, &sig_error, &error);
    g_assert_no_error (error);
    g_assert_false (answer->verified);
    g_assert_null (answer->sign);
    g_assert_error (sig_error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
    g_clear_error (&sig_error);
    g_clear_pointer (&answer, till_alipay_answer_free);

    answer = till_alipay_answer_read (wrong_body, strlen (wrong_body), "alipay.trade.pay", pub,
                                      &sig_error, &error);
    g_assert_no_error (error);
    g_assert_false (answer->verified);
    g_assert_error (sig_error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
    g_clear_error (&sig_error);
    g_clear_pointer (&answer, till_alipay_answer_free);
  }

  /* another method's answer is not this one's */
  answer = till_alipay_answer_read (body, strlen (body), "alipay.trade.query", pub, &sig_error,
                                    &error);
  g_assert_null (answer);
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
}

/* The Java SDK signs some answers over the content with "\/" read as "/": accepted once. */
static void
test_answer_slash_compat (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = key_a ();
  g_autoptr(TillRsaKey) pub = key_a_public ();
  const char *content = "{\"code\":\"10000\",\"msg\":\"Success\","
                        "\"qr_code\":\"https:\\/\\/qr.alipay.com\\/bax1\"}";
  const char *plain = "{\"code\":\"10000\",\"msg\":\"Success\","
                      "\"qr_code\":\"https://qr.alipay.com/bax1\"}";
  g_autofree char *sign = till_rsa_sign_base64 (key, plain, strlen (plain), &error);
  g_autofree char *body = till_alipay_answer_body ("alipay_trade_precreate_response", content,
                                                   sign);
  g_autoptr(TillAlipayAnswer) answer = NULL;

  g_assert_no_error (error);
  answer = till_alipay_answer_read (body, strlen (body), "alipay.trade.precreate", pub, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (answer->verified);
  g_assert_cmpstr (till_alipay_json_string (answer->response, "qr_code"), ==,
                   "https://qr.alipay.com/bax1");
}

/* ---------------------------------------------------------------- V3, V4, V5 */

static void
test_v3_v4 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = key_a ();
  g_autofree char *hash3 = sha256 (v3_string);
  g_autofree char *sign3 = till_rsa_sign_base64 (key, v3_string, strlen (v3_string), &error);
  g_autofree char *sign4 = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash3, "e27a187e"));
  g_assert_true (g_str_has_suffix (hash3, "e21559"));
  g_assert_cmpstr (sign3, ==, v3_sign);
  sign4 = till_rsa_sign_base64 (key, v4_string, strlen (v4_string), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (sign4, "hG1E4zflKLhhqd9ORmEy+1Ap3Oh8"));
  g_assert_true (g_str_has_suffix (sign4, "ck4X9Auyw=="));
}

static void
test_v5_real_alipay (void)
{
  g_autoptr(GError) error = NULL;
  /* the key as the console shows it: bare Base64, one line */
  g_autoptr(TillRsaKey) alipay = till_rsa_key_load_public_pem (v5_public, strlen (v5_public),
                                                               &error);
  g_autofree char *wrong_content = flip (v5_content, 40);
  g_autofree char *body =
    till_alipay_answer_body ("alipay_data_dataservice_bill_downloadurl_query_response",
                             v5_content, v5_sign);
  g_autoptr(TillAlipayAnswer) answer = NULL;

  g_assert_no_error (error);
  g_assert_true (till_rsa_verify_base64 (alipay, v5_content, strlen (v5_content), v5_sign,
                                         &error));
  g_assert_no_error (error);
  g_assert_false (till_rsa_verify_base64 (alipay, wrong_content, strlen (wrong_content), v5_sign,
                                          &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);

  answer = till_alipay_answer_read (body, strlen (body),
                                    "alipay.data.dataservice.bill.downloadurl.query", alipay,
                                    NULL, &error);
  g_assert_no_error (error);
  g_assert_true (answer->verified);
}

/* ---------------------------------------------------------------- extraction */

static void
assert_signed (const char *body,
               const char *key,
               const char *expected)
{
  gsize start = 0, end = 0;

  if (expected == NULL)
    {
      g_assert_false (till_alipay_find_signed (body, strlen (body), key, &start, &end));
      return;
    }
  g_assert_true (till_alipay_find_signed (body, strlen (body), key, &start, &end));
  g_assert_cmpuint (end - start, ==, strlen (expected));
  g_assert_true (strncmp (body + start, expected, end - start) == 0);
}

static void
test_find_signed (void)
{
  const char *k = "alipay_trade_pay_response";

  assert_signed ("{\"alipay_trade_pay_response\":{\"a\":1},\"sign\":\"x\"}", k, "{\"a\":1}");
  /* braces and quotes inside strings do not count */
  assert_signed ("{\"alipay_trade_pay_response\":{\"s\":\"}{\\\"}\",\"o\":{\"p\":[{}]}},"
                 "\"sign\":\"x\"}",
                 k, "{\"s\":\"}{\\\"}\",\"o\":{\"p\":[{}]}}");
  /* a string ending in an escaped backslash ends there */
  assert_signed ("{\"alipay_trade_pay_response\":{\"s\":\"a\\\\\",\"t\":\"}\"},\"sign\":\"x\"}", k,
                 "{\"s\":\"a\\\\\",\"t\":\"}\"}");
  /* the same key again after the object: refused (EasySDK's anti-injection rule) */
  assert_signed ("{\"alipay_trade_pay_response\":{\"a\":1},"
                 "\"x\":{\"alipay_trade_pay_response\":{}}}",
                 k, NULL);
  /* an encrypted (string) value, an object that never ends, no such key */
  assert_signed ("{\"alipay_trade_pay_response\":\"AES...\",\"sign\":\"x\"}", k, NULL);
  assert_signed ("{\"alipay_trade_pay_response\":{\"a\":{\"b\":1}", k, NULL);
  assert_signed ("{\"error_response\":{\"code\":\"40002\"}}", k, NULL);
  assert_signed ("{\"error_response\":{\"code\":\"40002\"}}", "error_response",
                 "{\"code\":\"40002\"}");
}

/* An answer without the method's object but with error_response reads it (unsigned). */
static void
test_error_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sig_error = NULL;
  g_autoptr(TillRsaKey) pub = key_a_public ();
  const char *body = "{\"error_response\":{\"code\":\"40002\",\"msg\":\"Invalid Arguments\","
                     "\"sub_code\":\"isv.invalid-app-id\",\"sub_msg\":\"无效的AppID参数\"}}";
  g_autoptr(TillAlipayAnswer) answer = till_alipay_answer_read (body, strlen (body),
                                                                "alipay.trade.pay", pub,
                                                                &sig_error, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (answer->root_key, ==, "error_response");
  g_assert_false (answer->verified);
  g_assert_error (sig_error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_assert_cmpstr (till_alipay_json_string (answer->response, "sub_code"), ==,
                   "isv.invalid-app-id");

  /* not JSON, not an object, no response object */
  g_clear_pointer (&answer, till_alipay_answer_free);
  g_clear_error (&sig_error);
  g_assert_null (till_alipay_answer_read ("<html>502</html>", 16, "alipay.trade.pay", pub, NULL,
                                          &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (till_alipay_answer_read ("{\"sign\":\"x\"}", 12, "alipay.trade.pay", pub, NULL,
                                          &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_PROTOCOL);
}

/* ---------------------------------------------------------------- timestamps, money */

static void
test_timestamp (void)
{
  gint64 s = 0;

  g_assert_true (till_alipay_timestamp_parse ("2024-05-20 13:14:15", &s));
  g_assert_cmpint (s, ==, 1716182055);
  /* midnight in Beijing is the day before in UTC */
  g_assert_true (till_alipay_timestamp_parse ("2024-01-01 00:00:00", &s));
  g_assert_cmpint (s, ==, 1704038400);
  {
    g_autofree char *text = till_alipay_timestamp_format ((gint64) s * G_USEC_PER_SEC);

    g_assert_cmpstr (text, ==, "2024-01-01 00:00:00");
  }
  g_assert_false (till_alipay_timestamp_parse ("2024-05-20T13:14:15", &s));
  g_assert_false (till_alipay_timestamp_parse ("2024-05-20 13:14", &s));
  g_assert_false (till_alipay_timestamp_parse ("2024-02-30 13:14:15", &s));
  g_assert_false (till_alipay_timestamp_parse ("2024-05-20 24:00:00", &s));
  g_assert_false (till_alipay_timestamp_parse ("2024-05-20 13:14:15 ", &s));
  g_assert_false (till_alipay_timestamp_parse (NULL, &s));
}

static void
test_yuan (void)
{
  static const struct
  {
    gint64      fen;
    const char *text;
  } both[] = {
    { 1, "0.01" }, { 10, "0.10" }, { 100, "1.00" }, { 8888, "88.88" }, { 0, "0.00" },
    { -1, "-0.01" }, { -4, "-0.04" }, { 10000000000, "100000000.00" },
    { G_MAXINT64, "92233720368547758.07" }, { G_MININT64, "-92233720368547758.08" },
  };
  gint64 fen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    {
      g_autofree char *text = till_alipay_yuan_format (both[i].fen);

      g_assert_cmpstr (text, ==, both[i].text);
      if (both[i].fen > G_MININT64 && both[i].fen < G_MAXINT64)
        {
          g_assert_true (till_alipay_yuan_parse (both[i].text, TRUE, &fen));
          g_assert_cmpint (fen, ==, both[i].fen);
        }
    }
  /* what a request must look like */
  g_assert_false (till_alipay_yuan_parse ("88.8", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse ("88", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse ("88.888", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse ("8e1", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse (" 1.00", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse (".50", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse ("", TRUE, &fen));
  g_assert_false (till_alipay_yuan_parse ("1234567890123456789.00", TRUE, &fen));
  /* what an answer may carry */
  g_assert_true (till_alipay_yuan_parse ("88.8", FALSE, &fen));
  g_assert_cmpint (fen, ==, 8880);
  g_assert_true (till_alipay_yuan_parse ("88", FALSE, &fen));
  g_assert_cmpint (fen, ==, 8800);
  g_assert_false (till_alipay_yuan_parse ("88.", FALSE, &fen));
  g_assert_false (till_alipay_yuan_parse ("0.001", FALSE, &fen));
  /* every fen from 0 to 100 000 and back, exactly (no float anywhere) */
  for (gint64 f = 0; f <= 100000; f++)
    {
      g_autofree char *text = till_alipay_yuan_format (f);

      g_assert_true (till_alipay_yuan_parse (text, TRUE, &fen));
      g_assert_cmpint (fen, ==, f);
    }
}

static void
test_numbers (void)
{
  g_assert_true (till_alipay_valid_number ("T20240520131415001"));
  g_assert_true (till_alipay_valid_number ("a_B_9"));
  g_assert_false (till_alipay_valid_number ("T-1"));      /* no '-' at Alipay */
  g_assert_false (till_alipay_valid_number (""));
  g_assert_false (till_alipay_valid_number ("订单"));
  g_assert_false (till_alipay_valid_number ("00000000001111111111222222222233333333334444444444"
                                            "555555555566666"));   /* 65 */
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alipay-sign/key-a", test_key_a);
  g_test_add_func ("/alipay-sign/key-forms", test_key_forms);
  g_test_add_func ("/alipay-sign/key-file-mode", test_key_file_mode);
  g_test_add_func ("/alipay-sign/v1-request", test_v1_request);
  g_test_add_func ("/alipay-sign/v2-answer", test_v2_answer);
  g_test_add_func ("/alipay-sign/answer-slash-compat", test_answer_slash_compat);
  g_test_add_func ("/alipay-sign/v3-v4", test_v3_v4);
  g_test_add_func ("/alipay-sign/v5-real-alipay", test_v5_real_alipay);
  g_test_add_func ("/alipay-sign/find-signed", test_find_signed);
  g_test_add_func ("/alipay-sign/error-response", test_error_response);
  g_test_add_func ("/alipay-sign/timestamp", test_timestamp);
  g_test_add_func ("/alipay-sign/yuan", test_yuan);
  g_test_add_func ("/alipay-sign/numbers", test_numbers);
  return g_test_run ();
}
