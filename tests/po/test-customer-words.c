/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The customer display's words are Chinese and English whatever the till speaks: they come
 * from the zh_CN catalogue of this build tree while the till runs in English. */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <locale.h>
#include <glib.h>
#include <glib/gi18n.h>

#include "till-i18n.h"
#include "till-pay-error.h"

/* A provider's refusal: the cashier reads it in the till's language (English here), the
 * customer in both. */
static void
test_refusal_in_both_languages (void)
{
  g_autofree char *balance = till_i18n_dup_customer_words (till_pay_error_code_msgid ("NOTENOUGH"));
  g_autofree char *expired = NULL;

  g_assert_cmpstr (till_pay_error_describe_code ("NOTENOUGH"), ==, "The balance is not enough");
  g_assert_cmpstr (balance, ==, "余额不足 · The balance is not enough");
  expired = till_i18n_dup_customer_words (till_pay_error_code_msgid ("ACQ.PAYMENT_AUTH_CODE_INVALID"));
  g_assert_cmpstr (expired, ==,
                   "付款码已过期，请在手机上刷新 · The payment code has expired: refresh it on the phone");
}

/* Every code the till words has Chinese for the customer. */
static void
test_every_code_has_chinese (void)
{
  static const char *const codes[] = {
    "NOTENOUGH", "AUTHCODEEXPIRE", "PAYERROR", "REVOKED", "ORDERCLOSED", "SYSTEMERROR",
    "BANKERROR", "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH", "ACQ.PAYMENT_FAIL",
    "ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE", "ACQ.MOBILE_PAYMENT_SWITCH_OFF", "TRADE_CLOSED",
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      const char *msgid = till_pay_error_code_msgid (codes[i]);
      g_autofree char *words = NULL;
      g_autofree char *english = NULL;

      g_assert_nonnull (msgid);
      words = till_i18n_dup_customer_words (msgid);
      english = g_strconcat (" · ", msgid, NULL);
      g_test_message ("%s: %s", codes[i], words);
      g_assert_true (g_str_has_suffix (words, english));
      g_assert_true (g_utf8_get_char (words) >= 0x4e00 && g_utf8_get_char (words) <= 0x9fff);
    }
  g_assert_null (till_pay_error_code_msgid ("SOMETHING_NEW"));
  g_assert_null (till_pay_error_code_msgid (NULL));
}

/* Words the catalogue does not have stay English alone, never empty. */
static void
test_unknown_words (void)
{
  g_autofree char *words = till_i18n_dup_customer_words ("Words no catalogue has");

  g_assert_cmpstr (words, ==, "Words no catalogue has");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  till_i18n_bind (FALSE);

  g_test_add_func ("/po/customer-words/refusal-in-both-languages", test_refusal_in_both_languages);
  g_test_add_func ("/po/customer-words/every-code-has-chinese", test_every_code_has_chinese);
  g_test_add_func ("/po/customer-words/unknown", test_unknown_words);
  return g_test_run ();
}
