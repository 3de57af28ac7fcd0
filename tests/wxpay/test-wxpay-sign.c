/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Known-answer and rejection tests of the WeChat Pay v3 signing code (reference §7, §11). */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>

#include "till-pay-error.h"
#include "till-wxpay-sign.h"

#define TS        G_GINT64_CONSTANT (1554208460)
#define TS_STR    "1554208460"
#define NONCE     "593BEC0C930BF1AFEB40B4A08C8FB242"
#define RESP_NONCE "c5ac7061fccab6bf3e254dcf98995b8c"
#define KEY_ID    "PUB_KEY_ID_0114232134912410000000000000"

/* §11.1: the official WeChat Pay test key (public documentation), its public key,
 * and the public key of the Go SDK's V4 vector. */
static const char official_private_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCm2mb6q8gMKH/3\n"
  "CNTbpJAIrbqiBiQGEOtjGcBrDYltsGynWgNscqT7WvfzU14FQbYcQUC5T4Wvva7m\n"
  "i3fIp3OgX8VqMDNA0qebnr38Pe6kqiLyZgFpJPXlSKDyPyqhRbVTbXssvSMQeVKc\n"
  "dXeVxoNNeoOlNFHgF/P0io6AmAVnz+hN8SiZKuOsth5/zUTLGvtkgxBcQooQrtXh\n"
  "RcpLT798OyIb9xeJ2HO3xRtMv2+perEzb4gMibI74UBz+2QEbnkubPE+2jU2rRZu\n"
  "dnNEz/BPOt3Qj/w2V6/G0VumGDh6+UeMU0jv4aupHztWITC4Akn0l7lBCNy3lgl8\n"
  "VFaJnkIxAgMBAAECggEAYGL8aESB7NwciDWW2UdoWUsa7GxFtSdjAz2mFXGdeTsY\n"
  "mVh7b9OOkRGM+Qio4LqEHDBp1mMk5E/cUJwy1zw8pGGO5nfvs7u9TT3XnHaefIs4\n"
  "YvUgTYAneIuLRkXNN5rQU+CD7mVYczTSz0Vgjqo9wa1LjUz7G0xbBmJgTdMEFGJs\n"
  "eJjy6AbJo0CGIwp6HJbTm4CmOUgXnnDAIbEGTIRImkZFH/rzneIeR7oZ77FVwxr1\n"
  "CZB2gfRCov/yRPbw8vnryYkmvQ7D/ze3j5097vRg/MoDGBSdoOwcmo75vyofr0AS\n"
  "zytMjmHYyifqkf5slPropSiJeGf4p/7gtKyF6dE/XQKBgQDVAlJ+4U5ZVGOuDc3+\n"
  "sAhz8CTzgFNlq9vKuSoFK6hOz2L+cwj+E7NXGkOe2DsHHZNy2Xqxk7caKhPEp1z9\n"
  "hhpMpyLVMoFt6CKemyoRBWDCQwLLwem9SZF/IAyovBkLiH36P42Jm26gUkNMKC/5\n"
  "Zhtqxf6RZgRQzbVudJi47vIRCwKBgQDIh0+v27Oo+DM3fhObH4I1NrXpWOEGH7OQ\n"
  "G1dEsMuFYF4hjGhg0kBEP3w9vVdl2+mRllZKTsx9oqjb8OibPLLIH8xsdbAB0WLf\n"
  "JvjLu4wl/ILUzN1RI03dWnnv2EnEeQn6c3hizvrJ9wR5U4ue9RPVnQooJ0hZF1PU\n"
  "uCL5fWK3MwKBgElReU/PAYbh80WP3t3Rfbdaa32dKBeQ5iCLR5lsA4zM+YgX1HqQ\n"
  "EWTj126vgvHaDkyz6vWAoL/Sx+cirHFfXWIRDX5Q2hgYlQH+6qXdMgbrxeSYpHnQ\n"
  "/tHBGFpkFELSAnrGsVMyOwvYBO4LzyeLK9i+ufcWJFoj1FVmsMLHDG8tAoGARdbi\n"
  "iQQCoYG4DMarO2aQ6cmhN6EN1h0qY7EyBqlwaIZ0okiNfdMcMOjPc41DKCWcRmlO\n"
  "qlihXcxN9TQFPzO3rH1urAOdBjUPs1qWYhZyrDQyuLyVBBJApyxAtajloDjrob+f\n"
  "mQIvVDHk7ACN6xG+E7K6+9salnTKbJapD618uQMCgYBNy6XUvzLkP/A1U/UZdtcx\n"
  "l8GwU/dturLxz4CyGbqDw4ubaYY2e13lnqHUqQgPtiSyH51nq3tdo8G0YAJdfkSv\n"
  "KvnfslW91fyEBUKnkdW1o3/1UFU/wprZ7ixVL/F42A4xDu7OFE8EnweJOZ0jWceE\n"
  "OdhCkaIGBCfRnlECRK8UyQ==\n"
  "-----END PRIVATE KEY-----\n";

static const char official_public_pem[] =
  "-----BEGIN PUBLIC KEY-----\n"
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAptpm+qvIDCh/9wjU26SQ\n"
  "CK26ogYkBhDrYxnAaw2JbbBsp1oDbHKk+1r381NeBUG2HEFAuU+Fr72u5ot3yKdz\n"
  "oF/FajAzQNKnm569/D3upKoi8mYBaST15Uig8j8qoUW1U217LL0jEHlSnHV3lcaD\n"
  "TXqDpTRR4Bfz9IqOgJgFZ8/oTfEomSrjrLYef81Eyxr7ZIMQXEKKEK7V4UXKS0+/\n"
  "fDsiG/cXidhzt8UbTL9vqXqxM2+IDImyO+FAc/tkBG55LmzxPto1Nq0WbnZzRM/w\n"
  "Tzrd0I/8NlevxtFbphg4evlHjFNI7+GrqR87ViEwuAJJ9Je5QQjct5YJfFRWiZ5C\n"
  "MQIDAQAB\n"
  "-----END PUBLIC KEY-----\n";

static const char v4_public_pem[] =
  "-----BEGIN PUBLIC KEY-----\n"
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2VCTd91fnUn73Xy9DLvt\n"
  "/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXagHQ4vGeZN0yqm++rDsGK+\n"
  "U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOmDeJf2vg6byms9RUipiq4\n"
  "SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B834uxl1zNLYQCrkdBzb8oU\n"
  "xwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGfy8wus7hwKz6clt3Whmmd\n"
  "a7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtkaSef4FdEEgEXJiw0VAJT\n"
  "8wIDAQAB\n"
  "-----END PUBLIC KEY-----\n";

#define SIG_V1 \
  "jnks4dlrPw3ZX+ozVvSK39oa0t7OMBsg83BHAwd8BRdUFiVaQNTLTvci+wURgP1OQBbKYhFGvt7iqYpDSTQkp7Uq1sltaQKyncCyrA1g88m5bsKERQfPyT0ahSwKTYJ1CAn9QiJuSJRq1QsQs07eehbU/k9BCS51jTyc1Jpsi2H7" \
  "7HF9f/BnjXAOP3/sPObg6V5Ee4EzwLox684hhuMuIwHo7D8KFk3LIHOKDcNI4It1aCXydFWNpNK+SG86VUDe5kwoDpw4Ulqfu9z8OFDGbDs9TCxEv8iqQzbpxOlEVoOe2kalSYM5kApQb3nZcxdUtoE0liJGW3RGUNE0t4v01A=="
#define SIG_V2 \
  "mI35pfNEQV6777ke/1T+LJLQDNTm7yeoUJH+j/adPGhmCCi0PbgkvYQTRcXH0uibcLVtvFLdGLpmoYO9FV6lBBsTAjuhh5YOvQi0e2g3e0yytitiNET9FEuqM0pjnKfRW4K6LIZDdbWJv9KhZUx3DrJa5TL7OJ7VdADVivxVySIl" \
  "PVKjGwuCXzuXSJes0UcILgWQUMyha5/3nYofuHtS7r+KYyMuxD+oJ9VM1Qdxk4UIG59CP5Y3wtYIFybyF3bdu1caHTRRX+DLyMXyYA/IrTmiW01c4RPjpHBX5Dk1sZyY1zVsWNsvMHr2e1NTWtBxKJ+qk5N61J7caYoepHFaxw=="
#define SIG_V3 \
  "gXx9KhTP6IooKV1SuG3OCGlBIgZbKtubCZvnau6khw1iffvNT28IzLbKmztq2xA/RCNbZa1XOsoiuVmAEeTZQicWfhv4P+O4oBRIrx0X9f3cnWFkMBU9alTWs0nyQ1N9fcILOTe0f4kxOhVh+/Xhn5hOiUK7Sz3XA1mcpa3R2NCW" \
  "f/e+0ow/RDf15iTymOHgDrEkT/gedg/3E0iXfDX3mFicSZhrHESZDOTXcl9RzELREBUFznd/o2NQM99WcL86m23HY0cTy+QGWU4QDmNrbQ9ihmLW71qPb0Cx/d7EQvw/Kyx0A6s64ZQp3hHdcmiRcLnjVXrKCk7LShaCK+lS3Q=="
#define SIG_V4 \
  "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUH" \
  "lCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg=="
#define SIG_D1 \
  "lDt3l+XSPpekGzNurSoluoDCTW80pTcaO/x4JfyMTM204qvpAOPWfSAN7CHDl3hHaQYmfh0b3Od90/b8DD+L+vykoSvVoUuBmfOoalUCGNClCKOSjiWD8bfhvfkiDbrx8LQlhGRVlW0kRmCn3dNvMmdxLp4D6ongPjawqy8qI4Sg" \
  "lZUTSQSy2D7ZyxhdBD9Wbv0sMHyKMwRzHX67vGcIQMfp0irtrDz4H7N2t4c3EyydlF4W1CBSrFevv7eIcAZUPFZsAQ6ZoYzK2y+yJULzwt3u/7wQonG46UJkr3webpWSTpAFpvFRqVSFRPIVQGAYpMU+/y3bDrGap/A3DFL+OQ=="
#define SIG_D2 \
  "aFsuWxvqCFnCk+dVOluXVLnwVK8c36GGmIGibmM+992h7EkbM1ivBkiSscS+dSWi8ceMe5ugTh8hJ/a6WvQka5h8abdDH/+z2IxhLdGX0dYhpu24brHplb80x4vYYafpguLusqmLamSCR4li0qTx3GzwUEoak0RVtLYb2y6YQ4EP" \
  "qEbrByp7zQIDSdpaLramq3Xy2y+sHD7MXVUSAspxXf8b8MMjfxWdkIS0su7trYa+oURkWRzDXQdgdU5MOkZp4uXGp0gJuGxVgiI/0JjXE97N5B8aIz33if8gq7jXAF5y51rKAx2ElmFVP430p9QpfvgGpkI7Amyrjd8HkOXtNw=="
#define SIG_D3 \
  "i7T5A5dff6Ic4dRy/ybAQOG+89nZNm7fPYVB40y+fx7asp4IOvrq/0SJdxKAJCDPn3YUF8kC7kmviaRqH3p011wGeutgxhIqa2vou8OHgQk38MUUvNLJvBxFlvbbB1NJoKt0F/NZVq9/xTI7TOPdQDV8wL+9wusZehaEnZQWeMWY" \
  "RNSzl/GzS0hfuMsSnrJIY9q3QhzhhzWTXwX0wV8B1h1OVb49uxZc1Me8nNJbq8dAGvB3x4yYN45G8HVkGcYx2a57vIOQ8K0Db9loGstSMBqvLxD3aitFeZI6Gbcd4bwANRC4RUJUkSmIFbFoUNMlzeSw9Asi4LrdcFmL3G9zqw=="
#define SIG_D4 \
  "dyAnwOsCFV4Qh3RjvZMSt7WE4QM+agmMoyxPavXuTReMyy5+kWdkr335UNgzoPuVJkUc7npqaShNftATiA7Dw6ybHxcXPnDkirgL5HAyqMwdoTzH9t0Mf4/7jVLzpTec6AdUvq4EBCdNz0Z9foxOfFSWXbownX+i4OtmY3hMR03c" \
  "o6Ag8VgyWn+xwTQQjHajO00vPBVdLwpWyAXPQiWKfOhFufoAVi/Uc/BMkKxZIHFzcTG6KC3yyi064NmUqj165va1KxFC6MTi5PaMJjxj3EccP+EamurpSro19W5XHP/Y90ZxaQiiOWWu41jDM3dL+6P3MvzhEmwzvGlX2Iiljw=="
#define SIG_D5 \
  "bR/GIZCqSzTEr3jhImvBAW+DlYE7aVo/hnJDVPlorB1JKWgYVCUTFTWmTCHGpL0RkxFtqkyBZNjSAh/M+xoy7DRALdVrzDcNWEBRaUKRhs0+5/TARizL8+MakLVusAzvPIEWDPobyJM/UwTO2XOjj6kSEzR6Wwoyt371N/PStdI9" \
  "h9+ukGQLA+xZTQuJtp70lKJAD7YuuyDwJyK0/+RfzDq9d8bJENZ0kaQXG4MfpvGyzXVByKzsD7QKyAHB9Cnn2OfVm/5T/TdJ2rzT/FWjc9XvCl5lT2Wtr9uBWw+9Im7ZE2nrJHjlA/JP4Xib8eOwrDx7QK62OE7Il8UekMhL5A=="
#define SIG_D6 \
  "oDjn4xiMBa3OqSKOKVpTFIx2ICSKlvMgd5kH8WlgKTEJp8s9MlID9clpfYmtynTJOUz8DSuc+jYIj7ZSjWP6Dh8rDbCp2X6wHJl2qyXFRHf7wSvkZalD+Y7O3AUxw6XX6XcrPQwgJgSpP04TR/bI/AIsD78Kg1i9W0/8sn/v+6hq" \
  "qGtiVVK8Fri21p+XX8wL69bNOncN1/HJ/FTR9yHPLzS0NQa5LTrwXP8K2P6QFVKyy4h7XgAvW40jQ0gpk7pLBmGTJb6IU+0OpQKEPnRpDbJtvaBjP1LxPn/JUnYQrzh38+MmT+is9O9tdYevnwPwkHLYC5jf8P1BqByqMDAJ5w=="

static const char v1_body[] =
  "{\"appid\":\"wxd678efh567hg6787\",\"mchid\":\"1900007291\",\"description\":\"Image形象店-深圳腾大-QQ公仔\","
  "\"out_trade_no\":\"1217752501201407033233368018\",\"notify_url\":\"https://www.weixin.qq.com/wxpay/pay.php\","
  "\"amount\":{\"total\":100,\"currency\":\"CNY\"},\"payer\":{\"openid\":\"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o\"}}";

static const char d2_body[] =
  "{\"appid\":\"wxd678efh567hg6787\",\"mchid\":\"1230000109\",\"description\":\"Image形象店-深圳腾大-QQ公仔\","
  "\"out_trade_no\":\"1217752501201407033233368018\",\"payer\":{\"auth_code\":\"130061098828009406\"},"
  "\"amount\":{\"total\":100,\"currency\":\"CNY\"},\"scene_info\":{\"device_id\":\"013467007045764\","
  "\"store_info\":{\"out_id\":\"A1111\"}}}";

static TillRsaKey *
official_private (void)
{
  g_autoptr(GError) error = NULL;
  TillRsaKey *key = till_rsa_key_load_private_pem (official_private_pem,
                                                   strlen (official_private_pem), &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static TillRsaKey *
official_public (void)
{
  g_autoptr(GError) error = NULL;
  TillRsaKey *key = till_rsa_key_load_public_pem (official_public_pem,
                                                  strlen (official_public_pem), &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

/* Signs msg with the official key, compares with the expected vector, and verifies it with
 * the official public key. */
static void
check_vector (const char *msg, gsize len, const char *expected)
{
  g_autoptr(TillRsaKey) priv = official_private ();
  g_autoptr(TillRsaKey) pub = official_public ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sig = till_rsa_sign_base64 (priv, msg, len, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sig, ==, expected);
  g_assert_true (till_rsa_verify_base64 (pub, msg, len, expected, &error));
  g_assert_no_error (error);
}

static void
test_v1_message (void)
{
  g_autofree char *msg = till_wxpay_request_message ("POST", "/v3/pay/transactions/jsapi", TS, NONCE,
                                                     v1_body, strlen (v1_body));
  g_autofree char *sha = NULL;

  g_assert_cmpuint (strlen (v1_body), ==, 295);
  g_assert_cmpuint (strlen (msg), ==, 372);
  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, msg, -1);
  g_assert_cmpstr (sha, ==, "87a9f84cd9b4bdb78ec4dbe4595c8c8bf04d3e79a6765b2100741d1a473d37af");
  g_assert_true (g_str_has_prefix (msg, "POST\n/v3/pay/transactions/jsapi\n1554208460\n" NONCE "\n{"));
  g_assert_true (g_str_has_suffix (msg, "}}\n"));
}

static void
test_v1 (void)
{
  g_autofree char *msg = till_wxpay_request_message ("POST", "/v3/pay/transactions/jsapi", TS, NONCE,
                                                     v1_body, strlen (v1_body));
  check_vector (msg, strlen (msg), SIG_V1);
}

static void
test_v2 (void)
{
  const char *msg = "wx2421b1c4370ec43b\n1554208460\n" NONCE "\nprepay_id=wx201410272009395522657a690389285100\n";
  check_vector (msg, strlen (msg), SIG_V2);
}

static void
test_v3 (void)
{
  const char *msg = "wx2421b1c4370ec43b\n1554208460\n" NONCE "\nwx201410272009395522657a690389285100\n";
  check_vector (msg, strlen (msg), SIG_V3);
}

/* V4's private key is not in the reference (only its public key): verify only. */
static void
test_v4_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) pub = till_rsa_key_load_public_pem (v4_public_pem, strlen (v4_public_pem), &error);

  g_assert_no_error (error);
  g_assert_true (till_rsa_verify_base64 (pub, "source", 6, SIG_V4, &error));
  g_assert_no_error (error);
  g_assert_false (till_rsa_verify_base64 (pub, "sourcE", 6, SIG_V4, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
}

static void
test_d1 (void)
{
  g_autofree char *msg = till_wxpay_request_message (
    "GET", "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109",
    TS, NONCE, NULL, 0);
  g_assert_cmpstr (msg, ==, "GET\n/v3/pay/transactions/out-trade-no/1217752501201407033233368018"
                            "?mchid=1230000109\n1554208460\n" NONCE "\n\n");
  check_vector (msg, strlen (msg), SIG_D1);
}

static void
test_d2 (void)
{
  g_autofree char *msg = till_wxpay_request_message ("POST", "/v3/pay/transactions/codepay", TS, NONCE,
                                                     d2_body, strlen (d2_body));
  g_assert_cmpuint (strlen (d2_body), ==, 310);
  check_vector (msg, strlen (msg), SIG_D2);
}

static void
test_d3 (void)
{
  const char *body = "{\"appid\":\"wxd678efh567hg6787\",\"mchid\":\"1230000109\"}";
  g_autofree char *msg = till_wxpay_request_message (
    "POST", "/v3/pay/transactions/out-trade-no/1217752501201407033233368018/reverse",
    TS, NONCE, body, strlen (body));
  check_vector (msg, strlen (msg), SIG_D3);
}

static void
test_d4 (void)
{
  g_autofree char *msg = till_wxpay_request_message ("GET", "/v3/bill/tradebill?bill_date=2019-06-11&bill_type=ALL",
                                                     TS, NONCE, "", 0);
  check_vector (msg, strlen (msg), SIG_D4);
}

static void
test_d5_d6_responses (void)
{
  g_autoptr(TillRsaKey) pub = official_public ();
  g_autoptr(GError) error = NULL;
  const char *body = "{\"trade_state\":\"USERPAYING\"}";
  g_autofree char *m5 = till_wxpay_response_message (TS_STR, RESP_NONCE, body, strlen (body));
  g_autofree char *m6 = till_wxpay_response_message (TS_STR, RESP_NONCE, NULL, 0);

  g_assert_cmpstr (m5, ==, "1554208460\n" RESP_NONCE "\n{\"trade_state\":\"USERPAYING\"}\n");
  g_assert_cmpstr (m6, ==, "1554208460\n" RESP_NONCE "\n\n");
  check_vector (m5, strlen (m5), SIG_D5);
  check_vector (m6, strlen (m6), SIG_D6);

  g_assert_true (till_wxpay_verify_response (pub, KEY_ID, TS_STR, RESP_NONCE, SIG_D5, KEY_ID,
                                             body, strlen (body), TS + 7, &error));
  g_assert_no_error (error);
  g_assert_true (till_wxpay_verify_response (pub, KEY_ID, TS_STR, RESP_NONCE, SIG_D6, KEY_ID,
                                             NULL, 0, TS - 7, &error));
  g_assert_no_error (error);
  g_assert_true (till_wxpay_verify_response (pub, KEY_ID, TS_STR, RESP_NONCE, SIG_D6, KEY_ID,
                                             "", 0, TS, &error));
  g_assert_no_error (error);
  /* D5's signature does not cover D6's (empty) body. */
  g_assert_false (till_wxpay_verify_response (pub, KEY_ID, TS_STR, RESP_NONCE, SIG_D5, KEY_ID,
                                              NULL, 0, TS, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
}

static void
test_public_from_private (void)
{
  g_autoptr(TillRsaKey) priv = official_private ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = till_rsa_key_export_public_pem (priv, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (pem, ==, official_public_pem);
}

static void
test_roundtrip_generated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillRsaKey) key = till_rsa_key_generate (&error);
  g_autoptr(TillRsaKey) priv2 = NULL;
  g_autoptr(TillRsaKey) pub = NULL;
  g_autoptr(TillRsaKey) other = NULL;
  g_autofree char *priv_pem = NULL, *pub_pem = NULL, *sig = NULL, *sig2 = NULL;
  const char *msg = "POST\n/v3/pay/transactions/codepay\n1\nN\n{}\n";

  g_assert_no_error (error);
  priv_pem = till_rsa_key_export_private_pkcs8_pem (key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (priv_pem, "-----BEGIN PRIVATE KEY-----\n"));
  pub_pem = till_rsa_key_export_public_pem (key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pub_pem, "-----BEGIN PUBLIC KEY-----\n"));

  priv2 = till_rsa_key_load_private_pem (priv_pem, strlen (priv_pem), &error);
  g_assert_no_error (error);
  pub = till_rsa_key_load_public_pem (pub_pem, strlen (pub_pem), &error);
  g_assert_no_error (error);

  sig = till_rsa_sign_base64 (key, msg, strlen (msg), &error);
  g_assert_no_error (error);
  sig2 = till_rsa_sign_base64 (priv2, msg, strlen (msg), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sig, ==, sig2);   /* PKCS#1 v1.5 is deterministic */
  g_assert_cmpuint (strlen (sig), ==, 344);   /* 256 bytes of RSA-2048 */
  g_assert_true (till_rsa_verify_base64 (pub, msg, strlen (msg), sig, &error));
  g_assert_no_error (error);

  /* a public key cannot sign or export a private key */
  g_assert_null (till_rsa_sign_base64 (pub, msg, strlen (msg), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  g_assert_null (till_rsa_key_export_private_pkcs8_pem (pub, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);

  /* another key does not verify it */
  other = official_public ();
  g_assert_false (till_rsa_verify_base64 (other, msg, strlen (msg), sig, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_clear_error (&error);

  /* ref/unref */
  g_assert_true (till_rsa_key_ref (pub) == pub);
  till_rsa_key_unref (pub);
}

/* A PKCS#1 "RSA PRIVATE KEY" PEM loads and signs like its PKCS#8 form. */
static void
test_pkcs1_fallback (void)
{
  g_autoptr(TillRsaKey) priv = official_private ();
  g_autoptr(TillRsaKey) pkcs1 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL, *sig = NULL;
  gnutls_x509_privkey_t x509;
  gnutls_datum_t in = { (unsigned char *) official_private_pem, (unsigned int) strlen (official_private_pem) };
  gnutls_datum_t out = { NULL, 0 };

  g_assert_cmpint (gnutls_x509_privkey_init (&x509), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_import_pkcs8 (x509, &in, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2 (x509, GNUTLS_X509_FMT_PEM, &out), ==, 0);
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_privkey_deinit (x509);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN RSA PRIVATE KEY-----\n"));

  pkcs1 = till_rsa_key_load_private_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  sig = till_rsa_sign_base64 (pkcs1, "source", 6, &error);
  g_assert_no_error (error);
  {
    g_autofree char *sig8 = till_rsa_sign_base64 (priv, "source", 6, &error);
    g_assert_cmpstr (sig, ==, sig8);
  }
}

static void
test_bad_pem (void)
{
  g_autoptr(GError) error = NULL;
  const char *garbage = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";

  g_assert_null (till_rsa_key_load_private_pem (garbage, strlen (garbage), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_private_pem ("hello", 5, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  /* a public key is not a private key and vice versa */
  g_assert_null (till_rsa_key_load_private_pem (official_public_pem, strlen (official_public_pem), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_public_pem (official_private_pem, strlen (official_private_pem), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_public_pem (garbage, strlen (garbage), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
}

/* Keys made by GnuTLS (an implementation apart from the one under test): an EC key is
 * refused as not RSA, private and public alike; an encrypted PKCS#8 key is refused at once
 * (never a pass-phrase prompt), each with its message. */
static void
test_not_rsa_or_encrypted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ec_private = NULL, *ec_public = NULL, *encrypted = NULL;
  gnutls_datum_t in = { (unsigned char *) official_private_pem, (unsigned int) strlen (official_private_pem) };
  gnutls_datum_t out = { NULL, 0 };
  gnutls_x509_privkey_t x509;
  gnutls_pubkey_t pub;
  gnutls_privkey_t priv;

  g_assert_cmpint (gnutls_x509_privkey_init (&x509), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (x509, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (x509, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out), ==, 0);
  ec_private = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  g_assert_cmpint (gnutls_privkey_init (&priv), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (priv, x509, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&pub), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, priv, 0, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_PEM, &out), ==, 0);
  ec_public = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (priv);
  gnutls_x509_privkey_deinit (x509);

  g_assert_cmpint (gnutls_x509_privkey_init (&x509), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_import_pkcs8 (x509, &in, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (x509, GNUTLS_X509_FMT_PEM, "secret",
                                                      GNUTLS_PKCS_PBES2_AES_256, &out), ==, 0);
  encrypted = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_privkey_deinit (x509);
  g_assert_true (g_str_has_prefix (encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));

  g_assert_null (till_rsa_key_load_private_pem (ec_private, strlen (ec_private), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_assert_cmpstr (error->message, ==, "The payment key is not an RSA key");
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_public_pem (ec_public, strlen (ec_public), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_assert_cmpstr (error->message, ==, "The payment key is not an RSA key");
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_private_pem (encrypted, strlen (encrypted), &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "not a valid PEM RSA private key"));
}

static void
test_nonce (void)
{
  g_autofree char *a = till_wxpay_nonce_new ();
  g_autofree char *b = till_wxpay_nonce_new ();

  g_assert_cmpuint (strlen (a), ==, 32);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isdigit (*p) || g_ascii_isupper (*p));
  g_assert_cmpstr (a, !=, b);
}

static void
test_authorization_build (void)
{
  g_autofree char *h = till_wxpay_authorization_build ("1900007291", NONCE, TS,
                                                       "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB", SIG_V1);
  g_autofree char *mock = till_wxpay_authorization_build ("1234567890", "A1B2C3D4E5F6G7", 1624523846,
                                                          "0123456789ABC", "S");

  g_assert_cmpstr (h, ==, "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",nonce_str=\"" NONCE "\","
                          "timestamp=\"1554208460\",serial_no=\"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB\","
                          "signature=\"" SIG_V1 "\"");
  /* the Go SDK's layout test (§11.1), with our scheme instead of its mock one */
  g_assert_cmpstr (mock, ==, "WECHATPAY2-SHA256-RSA2048 mchid=\"1234567890\",nonce_str=\"A1B2C3D4E5F6G7\","
                             "timestamp=\"1624523846\",serial_no=\"0123456789ABC\",signature=\"S\"");
}

static void
assert_auth (TillWxpayAuthorization *a)
{
  g_assert_nonnull (a);
  g_assert_cmpstr (a->mchid, ==, "1900007291");
  g_assert_cmpstr (a->nonce_str, ==, NONCE);
  g_assert_cmpint (a->timestamp, ==, TS);
  g_assert_cmpstr (a->serial_no, ==, "408B");
  g_assert_cmpstr (a->signature, ==, "ab+/c=");
}

static void
test_authorization_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *built = till_wxpay_authorization_build ("1900007291", NONCE, TS, "408B", "ab+/c=");
  const char *reordered =
    "WECHATPAY2-SHA256-RSA2048 signature=\"ab+/c=\", serial_no=\"408B\",  timestamp=\"1554208460\","
    "nonce_str=\"" NONCE "\" , mchid=\"1900007291\"";
  const char *unknown =
    "  wechatpay2-sha256-rsa2048  mchid=\"1900007291\",extra=\"x,y\",nonce_str=\"" NONCE "\","
    "timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\",future=1";
  const char *bad[] = {
    /* missing item */
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\"",
    /* empty item */
    "WECHATPAY2-SHA256-RSA2048 mchid=\"\",nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\"",
    /* other scheme */
    "Bearer mchid=\"1900007291\",nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\"",
    "WECHATPAY2-SHA256-RSA2048X mchid=\"1900007291\",nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\"",
    "WECHATPAY2-SHA256-RSA2048",
    "",
    /* duplicate item (ambiguous) */
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",mchid=\"1\",nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\"",
    /* bad timestamp */
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",nonce_str=\"" NONCE "\",timestamp=\"1554208460000x\",serial_no=\"408B\",signature=\"ab+/c=\"",
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",nonce_str=\"" NONCE "\",timestamp=\"-5\",serial_no=\"408B\",signature=\"ab+/c=\"",
    /* unterminated quote, missing comma */
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291,nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\"",
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\" nonce_str=\"" NONCE "\",timestamp=\"1554208460\",serial_no=\"408B\",signature=\"ab+/c=\"",
  };
  TillWxpayAuthorization *a;

  a = till_wxpay_authorization_parse (built, &error);
  g_assert_no_error (error);
  assert_auth (a);
  till_wxpay_authorization_free (a);

  a = till_wxpay_authorization_parse (reordered, &error);
  g_assert_no_error (error);
  assert_auth (a);
  till_wxpay_authorization_free (a);

  a = till_wxpay_authorization_parse (unknown, &error);
  g_assert_no_error (error);
  assert_auth (a);
  till_wxpay_authorization_free (a);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad header %" G_GSIZE_FORMAT ": %s", i, bad[i]);
      g_assert_null (till_wxpay_authorization_parse (bad[i], &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
      g_clear_error (&error);
    }
}

/* A fresh answer signed with the official key, as a platform would sign it. */
typedef struct
{
  TillRsaKey *pub;
  char       *ts;
  char       *sig;
  gint64      now;
} Answer;

static const char answer_body[] = "{\"trade_state\":\"SUCCESS\",\"amount\":{\"total\":100}}";

static void
answer_init (Answer *a)
{
  g_autoptr(TillRsaKey) priv = official_private ();
  g_autoptr(GError) error = NULL;
  g_autofree char *msg = NULL;

  a->now = g_get_real_time () / G_USEC_PER_SEC;
  a->ts = g_strdup_printf ("%" G_GINT64_FORMAT, a->now);
  msg = till_wxpay_response_message (a->ts, RESP_NONCE, answer_body, strlen (answer_body));
  a->sig = till_rsa_sign_base64 (priv, msg, strlen (msg), &error);
  g_assert_no_error (error);
  a->pub = official_public ();
}

static void
answer_clear (Answer *a)
{
  till_rsa_key_unref (a->pub);
  g_free (a->ts);
  g_free (a->sig);
}

static void
assert_rejected (gboolean ok, GError **error)
{
  g_assert_false (ok);
  g_assert_error (*error, TILL_PAY_ERROR, TILL_PAY_ERROR_SIGNATURE);
  g_test_message ("rejected: %s", (*error)->message);
  g_clear_error (error);
}

static void
test_verify_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tampered = g_strdup (answer_body);
  g_autofree char *flipped = NULL;
  Answer a;
  gsize n = strlen (answer_body);

  answer_init (&a);

  /* valid */
  g_assert_true (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                             answer_body, n, a.now, &error));
  g_assert_no_error (error);

  /* one byte of the body changed */
  tampered[strlen (tampered) - 3] = '1';
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                               tampered, n, a.now, &error), &error);
  /* body truncated */
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                               answer_body, n - 1, a.now, &error), &error);
  /* another nonce */
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, NONCE, a.sig, KEY_ID,
                                               answer_body, n, a.now, &error), &error);
  /* another key id in Wechatpay-Serial */
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig,
                                               "PUB_KEY_ID_0000000000000000000000000001",
                                               answer_body, n, a.now, &error), &error);
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig,
                                               "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB",
                                               answer_body, n, a.now, &error), &error);
  /* timestamp window: 299 s either way accepted, 300 s either way rejected */
  g_assert_true (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                             answer_body, n, a.now + 299, &error));
  g_assert_true (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                             answer_body, n, a.now - 299, &error));
  g_assert_no_error (error);
  /* ... as a clock error that says by how much (the provider's clock minus ours) */
  g_assert_false (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                              answer_body, n, a.now + 300, &error));
  g_assert_true (till_pay_error_is_clock_skew (error));
  g_assert_cmpint (till_pay_error_get_clock_skew_s (error), ==, -300);
  g_assert_nonnull (strstr (error->message, "differ by 5 minutes"));
  assert_rejected (FALSE, &error);
  g_assert_false (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, a.sig, KEY_ID,
                                              answer_body, n, a.now - 3 * 3600, &error));
  g_assert_cmpint (till_pay_error_get_clock_skew_s (error), ==, 3 * 3600);
  g_assert_nonnull (strstr (error->message, "differ by 3 hours"));
  assert_rejected (FALSE, &error);
  /* a forged answer with a stale timestamp is a forgery, not a clock error */
  {
    g_autofree char *bad = g_strdup (a.sig);

    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    g_assert_false (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, bad, KEY_ID,
                                                answer_body, n, a.now - 600, &error));
    g_assert_false (till_pay_error_is_clock_skew (error));
    g_assert_cmpint (till_pay_error_get_clock_skew_s (error), ==, 0);
    assert_rejected (FALSE, &error);
  }
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, "1554208460x", RESP_NONCE, a.sig, KEY_ID,
                                               answer_body, n, a.now, &error), &error);
  /* each header missing (NULL) or empty */
  for (int i = 0; i < 8; i++)
    {
      const char *ts = a.ts, *nonce = RESP_NONCE, *sig = a.sig, *serial = KEY_ID;
      const char *gone = (i & 1) ? "" : NULL;
      switch (i / 2)
        {
        case 0: ts = gone; break;
        case 1: nonce = gone; break;
        case 2: sig = gone; break;
        default: serial = gone; break;
        }
      assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, ts, nonce, sig, serial,
                                                   answer_body, n, a.now, &error), &error);
    }
  /* garbage signatures: not Base64, Base64 of garbage, a flipped character, a probe */
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, "%%%not base64%%%", KEY_ID,
                                               answer_body, n, a.now, &error), &error);
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, "Z2FyYmFnZQ==", KEY_ID,
                                               answer_body, n, a.now, &error), &error);
  flipped = g_strdup (a.sig);
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE, flipped, KEY_ID,
                                               answer_body, n, a.now, &error), &error);
  assert_rejected (till_wxpay_verify_response (a.pub, KEY_ID, a.ts, RESP_NONCE,
                                               "WECHATPAY/SIGNTEST/" SIG_D5, KEY_ID,
                                               answer_body, n, a.now, &error), &error);

  answer_clear (&a);
}

static void
test_key_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("till-sign-XXXXXX", &error);
  g_autofree char *priv_path = NULL, *pub_path = NULL, *bad_path = NULL;
  g_autoptr(TillRsaKey) key = NULL;
  g_autoptr(TillRsaKey) pub = NULL;

  g_assert_no_error (error);
  priv_path = g_build_filename (dir, "apiclient_key.pem", NULL);
  pub_path = g_build_filename (dir, "pub_key.pem", NULL);
  bad_path = g_build_filename (dir, "garbage.pem", NULL);

  g_assert_true (g_file_set_contents_full (priv_path, official_private_pem, -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (priv_path, 0644), ==, 0);

  /* 0644: refused, naming the file and the fix */
  g_assert_null (till_rsa_key_load_private_file (priv_path, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, priv_path));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);

  /* 0640 and 0604: refused too */
  g_assert_cmpint (g_chmod (priv_path, 0640), ==, 0);
  g_assert_null (till_rsa_key_load_private_file (priv_path, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (priv_path, 0602), ==, 0);
  g_assert_null (till_rsa_key_load_private_file (priv_path, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);

  /* 0600: accepted, and it signs V2 like the PEM */
  g_assert_cmpint (g_chmod (priv_path, 0600), ==, 0);
  key = till_rsa_key_load_private_file (priv_path, &error);
  g_assert_no_error (error);
  {
    const char *msg = "wx2421b1c4370ec43b\n1554208460\n" NONCE "\nprepay_id=wx201410272009395522657a690389285100\n";
    g_autofree char *sig = till_rsa_sign_base64 (key, msg, strlen (msg), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sig, ==, SIG_V2);
  }

  /* a public key may be world-readable */
  g_assert_true (g_file_set_contents_full (pub_path, official_public_pem, -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, &error));
  g_assert_no_error (error);
  pub = till_rsa_key_load_public_file (pub_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pub);

  /* garbage PEM with the right mode: a clear key error naming the file */
  g_assert_true (g_file_set_contents_full (bad_path, "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n",
                                           -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (bad_path, 0600), ==, 0);
  g_assert_null (till_rsa_key_load_private_file (bad_path, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, bad_path));
  g_clear_error (&error);
  g_assert_null (till_rsa_key_load_public_file (bad_path, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
  g_clear_error (&error);

  /* missing file, directory */
  {
    g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
    g_assert_null (till_rsa_key_load_private_file (missing, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
    g_clear_error (&error);
    g_assert_null (till_rsa_key_load_public_file (dir, &error));
    g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_KEY);
    g_clear_error (&error);
  }

  g_remove (priv_path);
  g_remove (pub_path);
  g_remove (bad_path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wxpay-sign/v1-message", test_v1_message);
  g_test_add_func ("/wxpay-sign/v1", test_v1);
  g_test_add_func ("/wxpay-sign/v2", test_v2);
  g_test_add_func ("/wxpay-sign/v3", test_v3);
  g_test_add_func ("/wxpay-sign/v4-verify", test_v4_verify);
  g_test_add_func ("/wxpay-sign/d1-query", test_d1);
  g_test_add_func ("/wxpay-sign/d2-codepay", test_d2);
  g_test_add_func ("/wxpay-sign/d3-reverse", test_d3);
  g_test_add_func ("/wxpay-sign/d4-bill", test_d4);
  g_test_add_func ("/wxpay-sign/d5-d6-responses", test_d5_d6_responses);
  g_test_add_func ("/wxpay-sign/public-from-private", test_public_from_private);
  g_test_add_func ("/wxpay-sign/roundtrip-generated", test_roundtrip_generated);
  g_test_add_func ("/wxpay-sign/pkcs1-fallback", test_pkcs1_fallback);
  g_test_add_func ("/wxpay-sign/bad-pem", test_bad_pem);
  g_test_add_func ("/wxpay-sign/not-rsa-or-encrypted", test_not_rsa_or_encrypted);
  g_test_add_func ("/wxpay-sign/nonce", test_nonce);
  g_test_add_func ("/wxpay-sign/authorization-build", test_authorization_build);
  g_test_add_func ("/wxpay-sign/authorization-parse", test_authorization_parse);
  g_test_add_func ("/wxpay-sign/verify-response", test_verify_response);
  g_test_add_func ("/wxpay-sign/key-files", test_key_files);

  return g_test_run ();
}
