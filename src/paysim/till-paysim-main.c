/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tillpoint-paysim: runs the payment simulator until SIGTERM or SIGINT. */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "till-paysim.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *listen = NULL, *state_dir = NULL, *mchid = NULL, *appid = NULL, *host = NULL;
  gboolean tls = FALSE, alipay_strict_refunds = FALSE;
  gint64 password_delay_ms = TILL_PAYSIM_DEFAULT_PASSWORD_DELAY_MS;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Loopback address to listen on", "127.0.0.1:PORT" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Keys and ledger directory", "DIR" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, "Serve https with a self-signed certificate", NULL },
    { "mchid", 0, 0, G_OPTION_ARG_STRING, &mchid, "Merchant id (default " TILL_PAYSIM_DEFAULT_MCHID ")", "ID" },
    { "appid", 0, 0, G_OPTION_ARG_STRING, &appid, "App id (default " TILL_PAYSIM_DEFAULT_APPID ")", "ID" },
    { "password-delay-ms", 0, 0, G_OPTION_ARG_INT64, &password_delay_ms,
      "How long the customer takes to enter the password for codes ending 1111 (default 8000)", "N" },
    { "alipay-strict-refunds", 0, 0, G_OPTION_ARG_NONE, &alipay_strict_refunds,
      "Refuse a refund of an Alipay trade within 3 s of its last one", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- WeChat Pay v3 and Alipay simulator");
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPaysim) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  TillPaysimOptions options;
  guint16 port = 0;
  guint sigterm, sigint;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tillpoint-paysim: %s\n", error->message);
      return 2;
    }
  if (listen == NULL || state_dir == NULL)
    {
      g_printerr ("tillpoint-paysim: --listen and --state-dir are required\n");
      return 2;
    }
  if (password_delay_ms < 0)
    {
      g_printerr ("tillpoint-paysim: --password-delay-ms must not be negative\n");
      return 2;
    }
  if (!till_paysim_parse_listen (listen, &host, &port, &error))
    {
      g_printerr ("tillpoint-paysim: %s\n", error->message);
      return 2;
    }

  till_paysim_options_init (&options);
  if (mchid != NULL)
    options.mchid = mchid;
  if (appid != NULL)
    options.appid = appid;
  options.tls = tls;
  options.password_delay_ms = password_delay_ms;
  options.alipay_strict_refunds = alipay_strict_refunds;

  sim = till_paysim_new (state_dir, &options, &error);
  if (sim == NULL || !till_paysim_listen (sim, host, port, &error))
    {
      g_printerr ("tillpoint-paysim: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);

  printf ("listening on %s\n", till_paysim_get_base_url (sim));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm);
  g_source_remove (sigint);
  till_paysim_stop (sim);
  return 0;
}
