/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: a loopback proxy in front of the simulator noting each exchange's times. */
#define G_LOG_DOMAIN "till-bench"
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "till-bench-proxy.h"
#include "till-bench-stats.h"

typedef struct
{
  TillBenchExchange times;
  GString *request;        /* the request's first 64 KiB */
} Exchange;

static GMutex proxy_lock;
static GPtrArray *exchanges; /* Exchange*, in order of their first byte */
static guint16 upstream_port;

static gboolean
write_all (int fd, const char *buf, gssize len)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buf += n;
      len -= n;
    }
  return TRUE;
}

static int
connect_upstream (void)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  addr.sin_family = AF_INET;
  addr.sin_port = htons (upstream_port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && connect (fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static gpointer
proxy_connection_thread (gpointer data)
{
  int client = GPOINTER_TO_INT (data);
  int upstream = connect_upstream ();
  gboolean client_open = TRUE, upstream_open = TRUE;
  Exchange *current = NULL;
  char *chunk = g_malloc (65536);

  while (upstream >= 0 && (client_open || upstream_open))
    {
      struct pollfd fds[2] = { { client, client_open ? POLLIN : 0, 0 },
                               { upstream, upstream_open ? POLLIN : 0, 0 } };
      gssize n;

      if (poll (fds, 2, 10000) <= 0)
        break; /* idle for 10 s, or an error: the till has gone */
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = read (client, chunk, 65536);
          if (n <= 0)
            {
              client_open = FALSE;
              shutdown (upstream, SHUT_WR);
            }
          else
            {
              gint64 now = till_bench_now_ns ();

              g_mutex_lock (&proxy_lock);
              if (current == NULL || current->times.answer_first_ns != 0)
                {
                  current = g_new0 (Exchange, 1);
                  current->request = g_string_new (NULL);
                  current->times.request_first_ns = now;
                  g_ptr_array_add (exchanges, current);
                }
              if (current->request->len < 65536)
                g_string_append_len (current->request, chunk, MIN (n, 65536));
              g_mutex_unlock (&proxy_lock);
              if (!write_all (upstream, chunk, n))
                break;
              g_mutex_lock (&proxy_lock);
              current->times.request_last_ns = till_bench_now_ns ();
              g_mutex_unlock (&proxy_lock);
            }
        }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = read (upstream, chunk, 65536);
          if (n <= 0)
            {
              upstream_open = FALSE;
              shutdown (client, SHUT_WR);
            }
          else
            {
              gint64 now = till_bench_now_ns ();

              g_mutex_lock (&proxy_lock);
              if (current != NULL && current->times.answer_first_ns == 0)
                current->times.answer_first_ns = now;
              g_mutex_unlock (&proxy_lock);
              if (!write_all (client, chunk, n))
                break;
              g_mutex_lock (&proxy_lock);
              if (current != NULL)
                current->times.answer_last_ns = till_bench_now_ns ();
              g_mutex_unlock (&proxy_lock);
            }
        }
    }
  g_free (chunk);
  close (client);
  if (upstream >= 0)
    close (upstream);
  return NULL;
}

static gpointer
proxy_accept_thread (gpointer data)
{
  int listener = GPOINTER_TO_INT (data);

  for (;;)
    {
      int client = accept (listener, NULL, NULL);

      if (client < 0)
        {
          if (errno == EINTR || errno == ECONNABORTED)
            continue;
          return NULL;
        }
      g_thread_unref (
          g_thread_new ("bench-proxy", proxy_connection_thread, GINT_TO_POINTER (client)));
    }
}

char *
till_bench_proxy_start (const char *prog,
                        guint16     port)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  upstream_port = port;
  exchanges = g_ptr_array_new ();
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (listener < 0 || bind (listener, (struct sockaddr *)&addr, sizeof addr) != 0
      || listen (listener, 64) != 0 || getsockname (listener, (struct sockaddr *)&addr, &len) != 0)
    {
      g_printerr ("%s: cannot start the loopback proxy: %s\n", prog, g_strerror (errno));
      exit (1);
    }
  g_thread_unref (
      g_thread_new ("bench-proxy-accept", proxy_accept_thread, GINT_TO_POINTER (listener)));
  return g_strdup_printf ("http://127.0.0.1:%u", ntohs (addr.sin_port));
}

guint
till_bench_proxy_mark (void)
{
  guint mark;

  g_mutex_lock (&proxy_lock);
  mark = exchanges != NULL ? exchanges->len : 0;
  g_mutex_unlock (&proxy_lock);
  return mark;
}

gboolean
till_bench_proxy_find_pay (guint              from,
                           TillBenchExchange *out)
{
  gboolean found = FALSE;

  g_mutex_lock (&proxy_lock);
  for (guint i = from; exchanges != NULL && i < exchanges->len && !found; i++)
    {
      Exchange *e = g_ptr_array_index (exchanges, i);

      if (e->times.answer_last_ns != 0
          && (strstr (e->request->str, "/codepay") != NULL
              || strstr (e->request->str, "alipay.trade.pay") != NULL))
        {
          *out = e->times;
          found = TRUE;
        }
    }
  g_mutex_unlock (&proxy_lock);
  return found;
}

gboolean
till_bench_proxy_find_last_answer (guint              mark,
                                   gint64             before_ns,
                                   TillBenchExchange *out)
{
  gboolean found = FALSE;

  g_mutex_lock (&proxy_lock);
  for (guint i = mark; exchanges != NULL && i < exchanges->len; i++)
    {
      Exchange *e = g_ptr_array_index (exchanges, i);

      if (e->times.answer_last_ns != 0 && e->times.answer_last_ns <= before_ns
          && (!found || e->times.answer_last_ns > out->answer_last_ns))
        {
          *out = e->times;
          found = TRUE;
        }
    }
  g_mutex_unlock (&proxy_lock);
  return found;
}
