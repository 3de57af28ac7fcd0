/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The npm alipay-sdk (4.14.0) as an independent Alipay peer for the tests (alipay.md §10):
 * whether it can run, and its small gateway (tests/alipay/alipay-peer-server.cjs) started on
 * 127.0.0.1 with a fresh pair of RSA keys each way in a temporary directory. The package is
 * installed into the build directory's node-peer by build-aux/dev build when node and npm
 * are there; tests find it through TILL_NODE_PEER_DIR. */
#pragma once

#include <gio/gio.h>

#include "till-rsa-key.h"

G_BEGIN_DECLS

/* TRUE (and g_test_skip() with the reason) when node or the package is missing. */
gboolean             till_test_node_peer_missing  (void);
/* The node executable (after till_test_node_peer_missing() said FALSE). */
const char          *till_test_node_peer_node     (void);
/* tests/alipay/NAME in the source tree. */
char                *till_test_node_peer_script   (const char      *name);
/* A launcher with NODE_PATH at the package and TZ=Asia/Shanghai (Alipay's clock, §2.2). */
GSubprocessLauncher *till_test_node_peer_launcher (GSubprocessFlags flags);

/* Writes a new key pair as DIR/PRIVATE_NAME (PKCS#8, 0600) and DIR/PUBLIC_NAME (0644). */
TillRsaKey          *till_test_node_peer_key_pair (const char      *dir,
                                                   const char      *private_name,
                                                   const char      *public_name);

typedef struct
{
  char        *dir;          /* app_private_key.pem, app_public_key.pem,
                                alipay_private_key.pem, alipay_public_key.pem */
  char        *url;          /* http://127.0.0.1:PORT/gateway.do */
  TillRsaKey  *app_key;      /* the till's */
  TillRsaKey  *alipay_key;   /* the gateway's */
  GSubprocess *node;
} TillTestNodeGateway;

/* Starts the peer gateway (its stdout read up to "listening PORT"); NULL with `error`. */
TillTestNodeGateway *till_test_node_gateway_start (GError         **error);
/* Stops it (SIGTERM) and removes its directory. */
void                 till_test_node_gateway_free  (TillTestNodeGateway *gateway);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillTestNodeGateway, till_test_node_gateway_free)

G_END_DECLS
