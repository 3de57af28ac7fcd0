/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPaysim: the payment simulator as an object, so that `tillpoint-paysim` and the
 * application's demo mode run the same code: WeChat Pay v3 (reference §13.2) and Alipay's
 * classic gateway (POST /gateway.do, alipay.md §11) on one port, one /_sim/ control API. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TILL_PAYSIM_ERROR (till_paysim_error_quark ())

typedef enum
{
  TILL_PAYSIM_ERROR_FAILED,
  TILL_PAYSIM_ERROR_STATE,     /* a state-dir file is unreadable, malformed or too open */
  TILL_PAYSIM_ERROR_ADDRESS,   /* --listen is not a loopback host:port */
  TILL_PAYSIM_ERROR_LISTEN,    /* cannot listen */
} TillPaysimError;

GQuark till_paysim_error_quark (void);

#define TILL_PAYSIM_DEFAULT_MCHID             "1230000109"
#define TILL_PAYSIM_DEFAULT_APPID             "wxd678efh567hg6787"
#define TILL_PAYSIM_DEFAULT_PASSWORD_DELAY_MS 8000

/* The Alipay side's defaults (alipay.md §11). */
#define TILL_PAYSIM_DEFAULT_ALIPAY_APP_ID "2021000100000001"
#define TILL_PAYSIM_DEFAULT_ALIPAY_PID    "2088100000000001"

/* File names inside the state dir (reference §13.2; Alipay: alipay.md §11). */
#define TILL_PAYSIM_FILE_MERCHANT_PRIVATE_KEY "merchant_private_key.pem"
#define TILL_PAYSIM_FILE_MERCHANT_PUBLIC_KEY  "merchant_public_key.pem"
#define TILL_PAYSIM_FILE_MERCHANT_SERIAL      "merchant_serial"
#define TILL_PAYSIM_FILE_PLATFORM_PRIVATE_KEY "platform_private_key.pem"
#define TILL_PAYSIM_FILE_PLATFORM_PUBLIC_KEY  "platform_public_key.pem"
#define TILL_PAYSIM_FILE_PLATFORM_KEY_ID      "platform_public_key_id"
#define TILL_PAYSIM_FILE_LEDGER               "ledger.db"
#define TILL_PAYSIM_FILE_TLS_CERT             "tls_cert.pem"
#define TILL_PAYSIM_FILE_TLS_KEY              "tls_key.pem"
#define TILL_PAYSIM_FILE_ALIPAY_APP_PRIVATE_KEY      "alipay_app_private_key.pem"
#define TILL_PAYSIM_FILE_ALIPAY_APP_PUBLIC_KEY       "alipay_app_public_key.pem"
#define TILL_PAYSIM_FILE_ALIPAY_PLATFORM_PRIVATE_KEY "alipay_platform_private_key.pem"
#define TILL_PAYSIM_FILE_ALIPAY_PLATFORM_PUBLIC_KEY  "alipay_platform_public_key.pem"
#define TILL_PAYSIM_FILE_ALIPAY_APP_ID               "alipay_app_id"
#define TILL_PAYSIM_FILE_ALIPAY_PID                  "alipay_pid"
#define TILL_PAYSIM_FILE_ALIPAY_LEDGER               "alipay_ledger.db"

typedef struct
{
  const char *mchid;              /* NULL = TILL_PAYSIM_DEFAULT_MCHID */
  const char *appid;              /* NULL = TILL_PAYSIM_DEFAULT_APPID */
  gboolean    tls;                /* serve https with a self-signed cert for 127.0.0.1 */
  gint64      password_delay_ms;  /* < 0 = TILL_PAYSIM_DEFAULT_PASSWORD_DELAY_MS (both
                                     providers' "password" outcomes) */
  gboolean    alipay_strict_refunds;  /* refuse a refund of an Alipay trade within 3 s of
                                         its last one (alipay.md §5.5) */
} TillPaysimOptions;

/* Fills `options` with the defaults. */
void till_paysim_options_init (TillPaysimOptions *options);

#define TILL_TYPE_PAYSIM (till_paysim_get_type ())
G_DECLARE_FINAL_TYPE (TillPaysim, till_paysim, TILL, PAYSIM, GObject)

/* Creates the state dir and its files if missing (keys, serial, key id, ledger, and with
 * options->tls the certificate), or loads the existing ones. options may be NULL. */
TillPaysim *till_paysim_new (const char              *state_dir,
                             const TillPaysimOptions *options,
                             GError                 **error);

/* Listens on a loopback address ("127.0.0.1", "::1" or "localhost"); port 0 picks a free
 * port. Anything else fails with TILL_PAYSIM_ERROR_ADDRESS. The server runs on the
 * thread-default main context of the caller. */
gboolean    till_paysim_listen (TillPaysim *self,
                                const char *address,
                                guint16     port,
                                GError    **error);
/* Stops listening and drops every connection (also done on dispose). */
void        till_paysim_stop   (TillPaysim *self);

/* Parses "HOST:PORT" or "[::1]:PORT" (a loopback host only). */
gboolean    till_paysim_parse_listen (const char *text,
                                      char      **out_host,
                                      guint16    *out_port,
                                      GError    **error);

guint16     till_paysim_get_port     (TillPaysim *self);
/* "http://127.0.0.1:PORT" or "https://…" once listening, else NULL. */
const char *till_paysim_get_base_url (TillPaysim *self);

const char *till_paysim_get_state_dir              (TillPaysim *self);
const char *till_paysim_get_mchid                  (TillPaysim *self);
const char *till_paysim_get_appid                  (TillPaysim *self);
const char *till_paysim_get_merchant_serial        (TillPaysim *self);
const char *till_paysim_get_platform_public_key_id (TillPaysim *self);
const char *till_paysim_get_alipay_app_id          (TillPaysim *self);
const char *till_paysim_get_alipay_pid             (TillPaysim *self);
/* Absolute path of a state-dir file (one of the TILL_PAYSIM_FILE_* names); g_free. */
char       *till_paysim_dup_path                   (TillPaysim *self,
                                                    const char *file_name);

gint64      till_paysim_get_password_delay_ms (TillPaysim *self);
void        till_paysim_set_password_delay_ms (TillPaysim *self,
                                               gint64      delay_ms);

/* The simulator's clock: real time plus the offset set through POST /_sim/clock. */
gint64      till_paysim_get_clock_offset_s (TillPaysim *self);
gboolean    till_paysim_set_clock_offset_s (TillPaysim *self,
                                            gint64      offset_s,
                                            GError    **error);
gint64      till_paysim_now_ms             (TillPaysim *self);

G_END_DECLS
