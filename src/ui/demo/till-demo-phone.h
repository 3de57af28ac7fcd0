/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo phone (--demo only): a wallet's payment page — WeChat Pay's or Alipay's, picked
 * on a switch at the top — with a payment code of that wallet (QR and Code 128) that
 * changes every minute, a picker for the simulator's outcome (the code's last four digits,
 * reference §13.2 and alipay.md §11, the same meaning for both), "Scan" (the code goes to
 * the scanner hub like a hardware scan), "Scan QR" (pays the QR order shown on the
 * customer display: a WeChat Native order, or an Alipay precreate order through
 * /_sim/alipay/scan) and network faults through the simulator's /_sim/ control API. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-customer-display.h"

G_BEGIN_DECLS

/* How long a payment code lives on the phone. */
#define TILL_DEMO_PHONE_CODE_LIFETIME_S 60

typedef enum
{
  TILL_DEMO_OUTCOME_SUCCESS = 0,   /* any other ending */
  TILL_DEMO_OUTCOME_PASSWORD,      /* 1111 */
  TILL_DEMO_OUTCOME_NOT_ENOUGH,    /* 2222 */
  TILL_DEMO_OUTCOME_EXPIRED,       /* 3333 */
  TILL_DEMO_OUTCOME_SYSTEM_ERROR,  /* 4444 */
  TILL_DEMO_OUTCOME_NO_ANSWER,     /* 5555 */
  TILL_DEMO_OUTCOME_WALKS_AWAY,    /* 6666 */
  TILL_DEMO_OUTCOME_PAY_ERROR,     /* 7777 */
  TILL_DEMO_OUTCOME_BAD_SIGNATURE, /* 8888 */
  TILL_DEMO_OUTCOME_DROPPED,       /* 9999 */
  TILL_DEMO_N_OUTCOMES
} TillDemoOutcome;

/* The wallet the phone shows; the names are the providers' (till_pay_provider_get_name()). */
typedef enum
{
  TILL_DEMO_WALLET_WECHAT = 0,     /* "wechat" */
  TILL_DEMO_WALLET_ALIPAY,         /* "alipay" */
  TILL_DEMO_N_WALLETS
} TillDemoWallet;

const char *till_demo_wallet_to_string (TillDemoWallet wallet);

/* A new random valid WeChat payment code (18 digits, prefix 10–15) whose last four digits
 * select `outcome` in the simulator. */
char *till_demo_phone_make_code (TillDemoOutcome outcome);
/* The same for `wallet`: Alipay's are 18 digits with the prefix 25–30 (alipay.md §7). */
char *till_demo_phone_make_wallet_code (TillDemoWallet  wallet,
                                        TillDemoOutcome outcome);
/* The outcome a code selects. */
TillDemoOutcome till_demo_phone_code_outcome (const char *code);
/* "1345 6789 0123 4567 89": the digits in groups of four, as wallets show them. */
char *till_demo_phone_group_digits (const char *code);

#define TILL_TYPE_DEMO_PHONE (till_demo_phone_get_type ())
G_DECLARE_FINAL_TYPE (TillDemoPhone, till_demo_phone, TILL, DEMO_PHONE, GtkWindow)

/* `sim_base_url` is the in-process simulator ("http://127.0.0.1:PORT") for its control
 * API; `display` (may be NULL) is where "Scan QR" looks for the QR code. */
TillDemoPhone  *till_demo_phone_new          (TillContext         *context,
                                              const char          *sim_base_url,
                                              TillCustomerDisplay *display);

const char     *till_demo_phone_get_code     (TillDemoPhone   *self);
TillDemoOutcome till_demo_phone_get_outcome  (TillDemoPhone   *self);
/* The wallet shown ("wallet" property: "wechat" or "alipay"; the switch at the top, Alt+W
 * and Alt+A); a change shows a new code of that wallet. */
TillDemoWallet  till_demo_phone_get_wallet   (TillDemoPhone   *self);
void            till_demo_phone_set_wallet   (TillDemoPhone   *self,
                                              TillDemoWallet   wallet);
/* Picks the outcome (as the drop-down does) and shows a new code for it. */
void            till_demo_phone_set_outcome  (TillDemoPhone   *self,
                                              TillDemoOutcome  outcome);
/* Seconds until the code changes. */
guint           till_demo_phone_get_seconds_left (TillDemoPhone *self);
/* The last thing the phone says (result of a button), for people and tests. */
const char     *till_demo_phone_get_status   (TillDemoPhone   *self);
/* The textures shown (tests decode them). */
GdkTexture     *till_demo_phone_get_qr_texture      (TillDemoPhone *self);
GdkTexture     *till_demo_phone_get_barcode_texture (TillDemoPhone *self);

G_END_DECLS
