/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the simulator's files: the object, one call being answered, and
 * the handlers of the v3 API (till-paysim-api.c) and the state dir (till-paysim-state.c). */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "till-paysim.h"
#include "till-paysim-alipay-ledger.h"
#include "till-paysim-ledger.h"
#include "till-wxpay-sign.h"

G_BEGIN_DECLS

struct _TillPaysim
{
  GObject           parent_instance;

  char             *state_dir;
  char             *mchid;
  char             *appid;
  gboolean          tls;
  gint64            password_delay_ms;

  TillRsaKey       *merchant_public_key;
  TillRsaKey       *platform_private_key;
  char             *merchant_serial;
  char             *platform_key_id;
  GTlsCertificate  *tls_certificate;

  TillPaysimLedger *ledger;

  SoupServer       *server;
  guint16           port;
  char             *base_url;

  GQueue            faults;       /* Fault*, oldest first */
  GHashTable       *bill_tokens;  /* token → BillToken* */
  GPtrArray        *held;         /* HeldMessage*: answers paused on purpose */

  /* the Alipay side (till-paysim-alipay*.c, alipay.md §11) */
  char             *alipay_app_id;
  char             *alipay_pid;
  TillRsaKey       *alipay_app_public_key;        /* verifies requests */
  TillRsaKey       *alipay_platform_private_key;  /* signs answers */
  TillPaysimAlipayLedger *alipay_ledger;
  GHashTable       *alipay_bill_tokens;           /* token → TillPaysimBillToken* */
  gboolean          alipay_strict_refunds;
};

/* One /v3 request being answered. Handlers fill status/body (and the extra flags). */
typedef struct
{
  TillPaysim        *sim;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;        /* raw (still percent-encoded) */
  const char        *query;       /* raw, NULL if none */
  GHashTable        *params;      /* decoded query parameters (never NULL) */
  const char        *body;        /* request body, NUL-terminated */
  gsize              body_len;
  gint64             now_ms;

  guint              status;
  GBytes            *answer;      /* NULL = empty body */
  const char        *content_type;
  gboolean           unsigned_answer;  /* bill downloads */
  gboolean           bad_signature;
  guint              hold_ms;     /* answer only after this long */
  gboolean           drop;        /* close the connection instead of answering */
} TillPaysimCall;

/* Answers. */
void till_paysim_call_json  (TillPaysimCall *call,
                             guint           status,
                             JsonNode       *node);
void till_paysim_call_error (TillPaysimCall *call,
                             guint           status,
                             const char     *code,
                             const char     *message);
void till_paysim_call_param_error (TillPaysimCall *call,
                                   const char     *field,
                                   const char     *location,
                                   const char     *issue);
void till_paysim_call_internal_error (TillPaysimCall *call,
                                      const GError   *error);

/* Closes the connection without an answer (a dropped line). */
void till_paysim_drop_connection (SoupServerMessage *msg);
/* Sends the answer already set on msg only after ms. */
void till_paysim_hold_message    (TillPaysim        *self,
                                  SoupServerMessage *msg,
                                  guint              ms);

/* Routes one verified /v3 call (till-paysim-api.c). */
void till_paysim_api_dispatch (TillPaysimCall *call);

/* Helpers of the v3 endpoints (till-paysim-api.c). */
char       *till_paysim_api_format_rfc3339 (gint64 ms);
char       *till_paysim_api_random_alnum   (guint n);
gboolean    till_paysim_api_order_paid     (TillPaysimOrder *o);
JsonObject *till_paysim_api_parse_body     (TillPaysimCall *call);
gboolean    till_paysim_api_get_string     (TillPaysimCall *call,
                                            JsonObject     *obj,
                                            const char     *dotted,
                                            gboolean        required,
                                            glong           max_chars,
                                            const char    **out);
gboolean    till_paysim_api_get_int        (TillPaysimCall *call,
                                            JsonObject     *obj,
                                            const char     *dotted,
                                            gboolean        required,
                                            gint64          min,
                                            gint64         *out,
                                            gboolean       *present);
gboolean    till_paysim_api_check_currency (TillPaysimCall *call,
                                            const char     *currency);

/* Refund and bill endpoints (till-paysim-api-refund.c). */
void till_paysim_api_refund_create (TillPaysimCall *call);
void till_paysim_api_refund_query  (TillPaysimCall *call,
                                    const char     *out_refund_no);
void till_paysim_api_tradebill     (TillPaysimCall *call);
void till_paysim_api_billdownload  (TillPaysimCall *call);

/* Ledger JSON for GET /_sim/ledger and the Native pay control call. */
JsonNode *till_paysim_api_order_ledger_json (TillPaysim       *self,
                                             TillPaysimOrder  *order,
                                             GError          **error);
/* The customer pays a Native order (POST /_sim/native/{out_trade_no}/pay). */
void till_paysim_api_native_pay (TillPaysimCall *call,
                                 const char     *out_trade_no);

/* A bill download token (valid 30 s of the simulator's clock). */
typedef struct
{
  GBytes *content;      /* the bytes served (gzip when asked) */
  gint64  expires_ms;
  gboolean gzip;
} TillPaysimBillToken;

/* State dir (till-paysim-state.c): creates or loads keys, serial, key id and TLS cert. */
gboolean till_paysim_state_load (TillPaysim *self,
                                 GError    **error);

/* Fault injection and the /_sim/ control API (till-paysim-control.c). */
typedef enum
{
  FAULT_DELAY,
  FAULT_DROP,
  FAULT_STATUS,
  FAULT_BADSIG,
  FAULT_NOSIG,       /* processed; the answer carries no signature */
  FAULT_UNKNOWN,     /* Alipay: processed; the answer is 20000 isp.unknow-error */
  FAULT_RETRY_FLAG,  /* Alipay: a cancel is not done; its answer says retry_flag=Y */
  FAULT_ROLLBACK,    /* Alipay: a pay answers 10000 but the trade ends TRADE_CLOSED */
} FaultKind;

typedef struct
{
  char     *path_prefix;
  char     *method;        /* Alipay: only requests with this method parameter; NULL any */
  FaultKind kind;
  guint     ms;
  guint     status;
  guint     count;
  gboolean  apply;
} Fault;

extern const char *const till_paysim_fault_kind_names[];

void   till_paysim_fault_free     (Fault *fault);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fault, till_paysim_fault_free)
/* method: the request's Alipay method parameter (NULL for /v3). */
Fault *till_paysim_take_fault     (TillPaysim *self,
                                   const char *path,
                                   const char *method);
void   till_paysim_handle_control (TillPaysim        *self,
                                   SoupServerMessage *msg,
                                   const char        *method,
                                   const char        *path,
                                   const char        *body,
                                   gsize              len);

G_END_DECLS
