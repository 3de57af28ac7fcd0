/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the simulator's Alipay side (alipay.md §11): one gateway call being
 * answered, the answer helpers (till-paysim-alipay.c), the trade endpoints
 * (till-paysim-alipay-api.c), refunds and the bill (till-paysim-alipay-refund.c), and what
 * the control API and the ledger view need of them. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-paysim-private.h"

G_BEGIN_DECLS

#define TILL_PAYSIM_ALIPAY_GATEWAY_PATH "/gateway.do"
#define TILL_PAYSIM_ALIPAY_MAX_SKEW_S   900        /* isv.invalid-timestamp beyond 15 min */
#define TILL_PAYSIM_ALIPAY_BILL_TOKEN_MS 30000      /* a bill_download_url is valid 30 s */
#define TILL_PAYSIM_ALIPAY_DECLINE_MS   6000       /* …7777 / decline: closed after 6 s */
#define TILL_PAYSIM_ALIPAY_HOLD_5555_MS 60000      /* …5555: no answer for 60 s */

/* One POST /gateway.do being answered. Handlers set the answer's content (a JSON object
 * with code and msg) and the extra flags. */
typedef struct
{
  TillPaysim        *sim;
  SoupServerMessage *msg;
  GHashTable        *params;         /* query and body merged, decoded */
  const char        *method;         /* the method parameter */
  JsonObject        *biz;            /* biz_content, once the gateway checks passed */
  gint64             now_ms;
  Fault             *fault;          /* the fault this request took, or NULL */

  char              *root_key;       /* "<method>_response" or "error_response" */
  char              *content;        /* the answer object, as sent and signed */
  guint              http_status;    /* 200 unless a fault says otherwise */
  gboolean           unsigned_answer;
  gboolean           bad_signature;
  gboolean           drop;           /* close the connection instead of answering */
  guint              hold_ms;        /* answer only after this long */
} TillPaysimAliCall;

/* ---- answers (till-paysim-alipay.c) ---- */

/* A builder with the object begun and "code" and "msg" set (msg from the code). */
JsonBuilder *till_paysim_ali_begin    (const char        *code);
/* Ends the object and makes it the call's answer ('/' written "\/", as Alipay does). */
void         till_paysim_ali_end      (TillPaysimAliCall *call,
                                       JsonBuilder       *builder);
/* An answer with a sub_code: 40004 business failures and the gateway's own refusals.
 * out_trade_no (may be NULL) is echoed. */
void         till_paysim_ali_fail     (TillPaysimAliCall *call,
                                       const char        *code,
                                       const char        *sub_code,
                                       const char        *sub_msg,
                                       const char        *out_trade_no);
/* 40004 with this sub_code. */
void         till_paysim_ali_business (TillPaysimAliCall *call,
                                       const char        *sub_code,
                                       const char        *sub_msg,
                                       const char        *out_trade_no);
/* The simulator itself failed: 20000 isp.unknow-error, and a warning. */
void         till_paysim_ali_internal (TillPaysimAliCall *call,
                                       const GError      *error);
void         till_paysim_ali_add_str  (JsonBuilder       *b,
                                       const char        *name,
                                       const char        *value);
void         till_paysim_ali_add_yuan (JsonBuilder       *b,
                                       const char        *name,
                                       gint64             fen);
/* "yyyy-MM-dd HH:mm:ss" GMT+8 of a simulator time. */
char        *till_paysim_ali_time     (gint64             ms);
/* A biz_content string member: NULL when absent; FALSE (and an ACQ.INVALID_PARAMETER
 * answer) when present and not a string, empty while required, or longer than max. */
gboolean     till_paysim_ali_biz_str  (TillPaysimAliCall *call,
                                       const char        *name,
                                       gboolean           required,
                                       glong              max_chars,
                                       const char       **out);

/* ---- the endpoints ---- */

void till_paysim_ali_pay          (TillPaysimAliCall *call);
void till_paysim_ali_precreate    (TillPaysimAliCall *call);
void till_paysim_ali_query        (TillPaysimAliCall *call);
void till_paysim_ali_cancel       (TillPaysimAliCall *call);
void till_paysim_ali_close        (TillPaysimAliCall *call);
void till_paysim_ali_refund       (TillPaysimAliCall *call);
void till_paysim_ali_refund_query (TillPaysimAliCall *call);
void till_paysim_ali_bill_url     (TillPaysimAliCall *call);

/* The trade the biz_content names: trade_no wins over out_trade_no (§5.2); NULL with an
 * answer already set (ACQ.TRADE_NOT_EXIST, ACQ.INVALID_PARAMETER or an internal error). A
 * precreate order not scanned yet is no trade (§5.6b). */
TillPaysimAliTrade *till_paysim_ali_find_trade (TillPaysimAliCall *call);

/* ---- for the server, the control API and the ledger view ---- */

/* POST /gateway.do. */
void      till_paysim_alipay_handle       (TillPaysim        *self,
                                           SoupServerMessage *msg,
                                           const char        *body,
                                           gsize              len);
/* GET /_sim/alipaybill/<token>: the bill ZIP while the token is valid. */
void      till_paysim_alipay_bill_file    (TillPaysim        *self,
                                           SoupServerMessage *msg,
                                           const char        *token);
/* The customer scans a precreate QR code: outcome "pay", "password" or "decline". Sets
 * the control answer on msg. */
void      till_paysim_alipay_scan         (TillPaysim        *self,
                                           SoupServerMessage *msg,
                                           const char        *out_trade_no,
                                           const char        *outcome);
/* GET /_sim/alipay/qr/<out_trade_no>: what the QR code points at (a line of text). */
void      till_paysim_alipay_qr_page      (TillPaysim        *self,
                                           SoupServerMessage *msg,
                                           const char        *out_trade_no);
/* One trade in /_sim/ledger, with the fields of WeChat Pay's orders and
 * "provider":"alipay". */
JsonNode *till_paysim_alipay_ledger_json  (TillPaysim         *self,
                                           TillPaysimAliTrade *trade,
                                           GError            **error);

/* The state dir's Alipay files (till-paysim-state.c). */
gboolean  till_paysim_alipay_state_load   (TillPaysim        *self,
                                           GError           **error);

G_END_DECLS
