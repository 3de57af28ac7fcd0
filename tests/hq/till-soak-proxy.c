/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: the soak's TCP proxy in front of PostgreSQL's Unix socket, which can cut. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <gio/gunixsocketaddress.h>

#include "till-soak-proxy.h"

struct _TillSoakProxy
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GSocketService *service;
  char *socket_path;
  guint16 port;
  gboolean cut;
  GCancellable *cancellable;   /* the splices of this connection generation */
  GPtrArray *live;             /* GSocketConnection*: both ends of every splice */
  GPtrArray *held;             /* GSocketConnection*: accepted during a cut, never answered */
  /* read by the test once the proxy is idle */
  guint n_proxied, n_refused, n_dropped, n_held;
  gint pending;                /* control calls not yet run (atomic) */
};

typedef struct
{
  TillSoakProxy *proxy;
  GSocketConnection *client;
  GSocketConnection *upstream;
} Pair;

static void
splice_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Pair *pair = data;

  g_io_stream_splice_finish (result, NULL);
  g_ptr_array_remove (pair->proxy->live, pair->client);
  g_ptr_array_remove (pair->proxy->live, pair->upstream);
  g_object_unref (pair->client);
  g_object_unref (pair->upstream);
  g_free (pair);
}

static gboolean
incoming_cb (GSocketService *service, GSocketConnection *client, GObject *source, TillSoakProxy *proxy)
{
  g_autoptr (GSocketClient) connector = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketConnection) upstream = NULL;
  Pair *pair;

  if (proxy->cut)
    {
      /* the network is cut: the connection is taken and nothing ever answers it */
      g_ptr_array_add (proxy->held, g_object_ref (client));
      proxy->n_held++;
      return TRUE;
    }
  connector = g_socket_client_new ();
  address = g_unix_socket_address_new (proxy->socket_path);
  upstream = g_socket_client_connect (connector, G_SOCKET_CONNECTABLE (address), NULL, NULL);
  if (upstream == NULL)
    {
      /* the server is down: the till sees its connection closed */
      proxy->n_refused++;
      g_io_stream_close (G_IO_STREAM (client), NULL, NULL);
      return TRUE;
    }
  proxy->n_proxied++;
  pair = g_new0 (Pair, 1);
  pair->proxy = proxy;
  pair->client = g_object_ref (client);
  pair->upstream = g_steal_pointer (&upstream);
  g_ptr_array_add (proxy->live, pair->client);
  g_ptr_array_add (proxy->live, pair->upstream);
  g_io_stream_splice_async (G_IO_STREAM (pair->client), G_IO_STREAM (pair->upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, proxy->cancellable, splice_done_cb, pair);
  return TRUE;
}

static gpointer
proxy_thread (gpointer data)
{
  TillSoakProxy *proxy = data;

  g_main_context_push_thread_default (proxy->context);
  g_main_loop_run (proxy->loop);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

TillSoakProxy *
till_soak_proxy_new (const char *socket_path)
{
  TillSoakProxy *proxy = g_new0 (TillSoakProxy, 1);
  g_autoptr (GError) error = NULL;

  proxy->socket_path = g_strdup (socket_path);
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  proxy->cancellable = g_cancellable_new ();
  proxy->live = g_ptr_array_new ();
  proxy->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_main_context_push_thread_default (proxy->context);
  proxy->service = g_socket_service_new ();
  {
    g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
    g_autoptr (GSocketAddress) bound = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), any_port,
                                   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                   &error);
    g_assert_no_error (error);
    proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (incoming_cb), proxy);
  g_socket_service_start (proxy->service);
  g_main_context_pop_thread_default (proxy->context);
  proxy->thread = g_thread_new ("soak-proxy", proxy_thread, proxy);
  return proxy;
}

static gboolean
cut_cb (gpointer data)
{
  TillSoakProxy *proxy = data;

  proxy->cut = TRUE;
  /* every connection dropped: both ends closed under the splices */
  for (guint i = 0; i < proxy->live->len; i++)
    {
      GSocket *socket = g_socket_connection_get_socket (g_ptr_array_index (proxy->live, i));

      g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
  proxy->n_dropped += proxy->live->len / 2;
  g_cancellable_cancel (proxy->cancellable);
  g_object_unref (proxy->cancellable);
  proxy->cancellable = g_cancellable_new ();
  g_atomic_int_dec_and_test (&proxy->pending);
  return G_SOURCE_REMOVE;
}

static gboolean
heal_cb (gpointer data)
{
  TillSoakProxy *proxy = data;

  proxy->cut = FALSE;
  for (guint i = 0; i < proxy->held->len; i++)
    g_io_stream_close (g_ptr_array_index (proxy->held, i), NULL, NULL);
  g_ptr_array_set_size (proxy->held, 0);
  g_atomic_int_dec_and_test (&proxy->pending);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  TillSoakProxy *proxy = data;

  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_cancellable_cancel (proxy->cancellable);
  g_main_loop_quit (proxy->loop);
  return G_SOURCE_REMOVE;
}

/* Runs `func` on the proxy's thread and waits for it. */
static void
proxy_call (TillSoakProxy *proxy, GSourceFunc func)
{
  g_atomic_int_inc (&proxy->pending);
  g_main_context_invoke (proxy->context, func, proxy);
  while (g_atomic_int_get (&proxy->pending) > 0)
    g_usleep (1000);
}

void
till_soak_proxy_free (TillSoakProxy *proxy)
{
  g_main_context_invoke (proxy->context, quit_cb, proxy);
  g_thread_join (proxy->thread);
  /* the splices' last callbacks */
  while (g_main_context_iteration (proxy->context, FALSE))
    ;
  g_clear_object (&proxy->service);
  g_ptr_array_unref (proxy->held);
  g_ptr_array_unref (proxy->live);
  g_object_unref (proxy->cancellable);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  g_free (proxy->socket_path);
  g_free (proxy);
}

void
till_soak_proxy_cut (TillSoakProxy *proxy)
{
  proxy_call (proxy, cut_cb);
}

void
till_soak_proxy_heal (TillSoakProxy *proxy)
{
  proxy_call (proxy, heal_cb);
}

guint16
till_soak_proxy_get_port (TillSoakProxy *proxy)
{
  return proxy->port;
}

void
till_soak_proxy_get_counts (TillSoakProxy *proxy, guint *proxied, guint *refused, guint *dropped,
                            guint *held)
{
  *proxied = proxy->n_proxied;
  *refused = proxy->n_refused;
  *dropped = proxy->n_dropped;
  *held = proxy->n_held;
}
