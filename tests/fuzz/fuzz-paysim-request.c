/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: the simulator's request parsing (src/paysim/), through a real TillPaysim
 * listening on 127.0.0.1 in this process and a real socket. The first byte picks how the
 * rest is sent:
 *   0  raw bytes of an HTTP request (libsoup's parser, then the Authorization header,
 *      query and JSON or form bodies as the simulator reads them, the /_sim/ control API);
 *   1  "METHOD PATH\n" and a body, sent as a WeChat Pay v3 request signed with the
 *      merchant key (so the fuzzer gets past the signature into the JSON handlers);
 *   2  an Alipay gateway form (name=value&…), signed with the app key and POSTed to
 *      /gateway.do (past the sign check into biz_content and the methods).
 * The simulator must answer every request (any status) or close; it must never crash. A
 * fault or clock change made through /_sim/ is undone after the input. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "till-alipay-sign.h"
#include "till-fuzz.h"
#include "till-paysim.h"
#include "till-rsa-key.h"
#include "till-wxpay-sign.h"

static TillPaysim *sim;
static TillRsaKey *merchant_key;
static TillRsaKey *app_key;
static guint16 port;

#define ANSWER_TIMEOUT_US (2 * G_USEC_PER_SEC)

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL, *merchant_path = NULL, *app_path = NULL;
  TillPaysimOptions options;

  till_fuzz_init ();
  dir = g_build_filename (till_fuzz_scratch_dir (), "paysim", NULL);
  till_paysim_options_init (&options);
  options.password_delay_ms = 0;
  sim = till_paysim_new (dir, &options, &error);
  g_assert_no_error (error);
  till_paysim_listen (sim, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  port = till_paysim_get_port (sim);

  merchant_path = g_build_filename (dir, TILL_PAYSIM_FILE_MERCHANT_PRIVATE_KEY, NULL);
  merchant_key = till_rsa_key_load_private_file (merchant_path, &error);
  g_assert_no_error (error);
  app_path = g_build_filename (dir, TILL_PAYSIM_FILE_ALIPAY_APP_PRIVATE_KEY, NULL);
  app_key = till_rsa_key_load_private_file (app_path, &error);
  g_assert_no_error (error);
  return 0;
}

/* Whether `answer` holds a whole response: its head and Content-Length bytes of body (a
 * kept-alive connection is not closed by the server). */
static gboolean
answer_complete (GByteArray *answer)
{
  g_autofree char *text = g_strndup ((const char *)answer->data, answer->len);
  const char *end = strstr (text, "\r\n\r\n");
  g_autofree char *head = NULL;
  g_auto (GStrv) lines = NULL;

  if (end == NULL)
    return FALSE;
  head = g_ascii_strdown (text, end - text);
  lines = g_strsplit (head, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "content-length:"))
      {
        guint64 length = g_ascii_strtoull (lines[i] + strlen ("content-length:"), NULL, 10);
        return answer->len - (gsize)(end + 4 - text) >= length;
      }
  return FALSE;
}

/* Sends `request`, runs the server until it has answered and closed (or the time is up),
 * returns the bytes of the answer. */
static GByteArray *
exchange (const char *request, gsize len)
{
  struct sockaddr_in addr = { 0 };
  GByteArray *answer = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + ANSWER_TIMEOUT_US;
  gsize sent = 0;
  gboolean write_done = FALSE;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS)
    g_error ("connect to the simulator: %s", g_strerror (errno));

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { fd, POLLIN | (write_done ? 0 : POLLOUT), 0 };
      guint8 buf[8192];
      ssize_t n;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (poll (&pfd, 1, 1) <= 0)
        continue;
      if (!write_done && (pfd.revents & POLLOUT))
        {
          n = send (fd, request + sent, len - sent, MSG_NOSIGNAL);
          if (n > 0)
            sent += (gsize)n;
          if (n < 0 && errno != EAGAIN)
            break;
          if (sent == len)
            {
              shutdown (fd, SHUT_WR);
              write_done = TRUE;
            }
        }
      if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = recv (fd, buf, sizeof buf, 0);
          if (n == 0 || (n < 0 && errno != EAGAIN))
            break;
          if (n > 0)
            g_byte_array_append (answer, buf, (guint)n);
          if (answer_complete (answer))
            break;
        }
    }
  close (fd);
  /* Let the server see the close. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return answer;
}

static void
send_request (const char *request, gsize len)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GByteArray) answer = exchange (request, len);

  if (g_getenv ("TILL_FUZZ_VERBOSE") != NULL)
    {
      const char *head_end = g_strstr_len ((const char *)answer->data, answer->len, "\r\n\r\n");
      const char *nl = memchr (answer->data, '\r', answer->len);
      gsize body_off = head_end != NULL ? (gsize)(head_end + 4 - (const char *)answer->data) : 0;

      g_printerr ("%" G_GINT64_FORMAT " ms: %.*s %.*s\n", (g_get_monotonic_time () - start) / 1000,
                  nl != NULL ? (int)(nl - (const char *)answer->data) : 0,
                  (const char *)answer->data, (int)MIN (answer->len - body_off, 300),
                  (const char *)answer->data + body_off);
    }

  if (answer->len > 0)
    g_assert_true (answer->len >= 12 && memcmp (answer->data, "HTTP/1.", 7) == 0);
}

static void
send_wxpay (const char *text)
{
  const char *nl = strchr (text, '\n');
  g_autofree char *line = g_strndup (text, nl != NULL ? (gsize)(nl - text) : strlen (text));
  const char *body = nl != NULL ? nl + 1 : "";
  g_auto (GStrv) words = g_strsplit (line, " ", 2);
  g_autofree char *nonce = till_wxpay_nonce_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *message = NULL, *signature = NULL, *authorization = NULL;
  g_autofree char *request = NULL;

  if (g_strv_length (words) != 2 || words[0][0] == '\0' || words[1][0] != '/'
      || strpbrk (line, "\r\t") != NULL)
    return;
  message = till_wxpay_request_message (words[0], words[1], now, nonce, body, strlen (body));
  signature = till_rsa_sign_base64 (merchant_key, message, strlen (message), NULL);
  g_assert_nonnull (signature);
  authorization = till_wxpay_authorization_build (TILL_PAYSIM_DEFAULT_MCHID, nonce, now,
                                                  till_paysim_get_merchant_serial (sim), signature);
  request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s\r\n"
                             "Accept: application/json\r\nContent-Type: application/json\r\n"
                             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                             words[0], words[1], authorization, strlen (body), body);
  send_request (request, strlen (request));
}

static void
send_alipay (const char *text, gboolean keep_time)
{
  g_autoptr (GHashTable) params = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_autofree char *sign = NULL, *body = NULL, *request = NULL;
  g_autoptr (GString) form = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  if (params == NULL)
    return;
  g_hash_table_remove (params, "sign");
  /* A request of now (the simulator refuses old ones), unless the fuzzer's own time is
   * asked for. */
  if (!keep_time)
    g_hash_table_replace (params, g_strdup ("timestamp"),
                          till_alipay_timestamp_format (g_get_real_time ()));
  sign = till_alipay_sign_params (app_key, params, NULL);
  if (sign == NULL)
    return;
  g_hash_table_replace (params, g_strdup ("sign"), g_steal_pointer (&sign));
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *k = g_uri_escape_string (key, NULL, FALSE);
      g_autofree char *v = g_uri_escape_string (value, NULL, FALSE);
      g_string_append_printf (form, "%s%s=%s", form->len > 0 ? "&" : "", k, v);
    }
  body = g_string_free (g_steal_pointer (&form), FALSE);
  request = g_strdup_printf ("POST /gateway.do HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/x-www-form-urlencoded;charset=utf-8\r\n"
                             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                             strlen (body), body);
  send_request (request, strlen (request));
}

static void
undo_control (void)
{
  static const char clear[] = "DELETE /_sim/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n";
  g_autoptr (GByteArray) answer = exchange (clear, strlen (clear));

  till_paysim_set_clock_offset_s (sim, 0, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;

  if (size < 1)
    return 0;
  text = g_strndup ((const char *)data + 1, size - 1);

  switch (data[0] % 3)
    {
    case 0:
      send_request ((const char *)data + 1, size - 1);
      break;
    case 1:
      send_wxpay (text);
      break;
    default:
      send_alipay (text, (data[0] & 0x80) != 0);
      break;
    }
  for (size_t i = 0; i + 4 <= size; i++)
    if (memcmp (data + i, "_sim", 4) == 0)
      {
        undo_control ();
        break;
      }
  return 0;
}
