/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: spawns tillpoint-paysim, drives its control API, sends signed requests. */
#define G_LOG_DOMAIN "till-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "till-test-paysim.h"

struct _TillTestPaysim
{
  char        *exe;
  char        *state_dir;
  gboolean     own_state_dir;
  GStrv        extra_args;
  char        *mchid;
  char        *appid;
  GSubprocess *process;
  GInputStream *stdout_pipe;
  char        *base_url;
  guint16      port;
  gboolean     tls;
};

/* ---- waiting on the default main context with a deadline ---- */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Waiter *w = data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Iterates `context` (a private one, pushed as thread default before the operation
 * started, so that nothing else of the test is dispatched meanwhile) until the waiter
 * completes; cancels `cancellable` after timeout_ms. Returns TRUE if the timeout fired. */
static gboolean
wait_for (GMainContext *context,
          Waiter       *w,
          GCancellable *cancellable,
          guint         timeout_ms)
{
  g_autoptr(GSource) source = g_timeout_source_new (timeout_ms);

  g_source_set_callback (source, cancel_cb, cancellable, NULL);
  g_source_attach (source, context);
  while (!w->done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (source);
  return g_cancellable_is_cancelled (cancellable);
}

static void
child_setup (gpointer data)
{
  /* The simulator never outlives a crashed test. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
spawn (TillTestPaysim *sim,
       GError        **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *line = NULL;
  Waiter w = { 0 };
  gboolean timed_out;

  g_ptr_array_add (argv, sim->exe);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  g_ptr_array_add (argv, "--state-dir");
  g_ptr_array_add (argv, sim->state_dir);
  for (guint i = 0; sim->extra_args != NULL && sim->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, sim->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      /* A sanitized simulator (build-aux/dev test --sanitize) takes its allocations' stacks
       * the slow way, through Debian's libsoup (no frame pointers): build-aux/lsan.supp
       * recognises libsoup 3.2's own leaks by them. The test itself keeps the fast way. */
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"),
                                           ":fast_unwind_on_malloc=0", NULL);
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
    }
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (sim->process == NULL)
    return FALSE;

  sim->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (sim->process));
  data = g_data_input_stream_new (sim->stdout_pipe);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, cancellable, waiter_cb, &w);
  timed_out = wait_for (context, &w, cancellable, 15000);
  line = g_data_input_stream_read_line_finish (data, w.result, NULL, error);
  g_clear_object (&w.result);
  g_main_context_pop_thread_default (context);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "tillpoint-paysim exited without a line");
      else if (timed_out && error != NULL)
        g_prefix_error (error, "tillpoint-paysim did not start in 15 s: ");
      till_test_paysim_kill (sim);
      return FALSE;
    }

  if (!g_str_has_prefix (line, "listening on http://127.0.0.1:")
      && !g_str_has_prefix (line, "listening on https://127.0.0.1:"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Unexpected first line from tillpoint-paysim: “%s”", line);
      till_test_paysim_kill (sim);
      return FALSE;
    }
  g_free (sim->base_url);
  sim->base_url = g_strdup (line + strlen ("listening on "));
  sim->port = (guint16) g_ascii_strtoull (strrchr (sim->base_url, ':') + 1, NULL, 10);
  return TRUE;
}

static TillTestPaysim *
start (char              *state_dir,
       gboolean           own,
       const char *const *extra_args,
       GError           **error)
{
  g_autoptr(TillTestPaysim) sim = g_new0 (TillTestPaysim, 1);
  const char *exe = g_getenv ("TILL_PAYSIM");

  sim->state_dir = state_dir;
  sim->own_state_dir = own;
  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Set TILL_PAYSIM to the tillpoint-paysim executable (now: %s)", exe ? exe : "unset");
      return NULL;
    }
  sim->exe = g_strdup (exe);
  sim->extra_args = g_strdupv ((char **) extra_args);
  sim->mchid = g_strdup (TILL_TEST_PAYSIM_MCHID);
  sim->appid = g_strdup (TILL_TEST_PAYSIM_APPID);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    {
      if (g_str_equal (extra_args[i], "--tls"))
        sim->tls = TRUE;
      else if (g_str_equal (extra_args[i], "--mchid") && extra_args[i + 1] != NULL)
        {
          g_free (sim->mchid);
          sim->mchid = g_strdup (extra_args[i + 1]);
        }
      else if (g_str_equal (extra_args[i], "--appid") && extra_args[i + 1] != NULL)
        {
          g_free (sim->appid);
          sim->appid = g_strdup (extra_args[i + 1]);
        }
    }
  if (!spawn (sim, error))
    return NULL;
  return g_steal_pointer (&sim);
}

TillTestPaysim *
till_test_paysim_start (const char *const *extra_args,
                        GError           **error)
{
  char *dir = g_dir_make_tmp ("till-paysim-XXXXXX", error);

  if (dir == NULL)
    return NULL;
  return start (dir, TRUE, extra_args, error);
}

TillTestPaysim *
till_test_paysim_start_in (const char        *state_dir,
                           const char *const *extra_args,
                           GError           **error)
{
  return start (g_strdup (state_dir), FALSE, extra_args, error);
}

static void
reap (TillTestPaysim *sim,
      int             signum)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = NULL;
  Waiter w = { 0 };

  if (sim->process == NULL)
    return;
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (sim->process, signum);
  g_subprocess_wait_async (sim->process, cancellable, waiter_cb, &w);
  if (wait_for (context, &w, cancellable, 5000))
    {
      Waiter w2 = { 0 };
      g_autoptr(GCancellable) c2 = g_cancellable_new ();

      g_clear_object (&w.result);
      g_subprocess_force_exit (sim->process);
      g_subprocess_wait_async (sim->process, c2, waiter_cb, &w2);
      wait_for (context, &w2, c2, 5000);
      g_clear_object (&w2.result);
    }
  g_clear_object (&w.result);
  g_main_context_pop_thread_default (context);
  g_clear_object (&sim->stdout_pipe);
  g_clear_object (&sim->process);
}

void
till_test_paysim_stop (TillTestPaysim *sim)
{
  reap (sim, SIGTERM);
}

void
till_test_paysim_kill (TillTestPaysim *sim)
{
  reap (sim, SIGKILL);
}

gboolean
till_test_paysim_restart (TillTestPaysim *sim,
                          GError        **error)
{
  till_test_paysim_stop (sim);
  return spawn (sim, error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

void
till_test_paysim_free (TillTestPaysim *sim)
{
  if (sim == NULL)
    return;
  /* SIGTERM, not SIGKILL: the simulator exits by itself (a sanitized one then checks its
   * leaks, build-aux/dev test --sanitize); one that does not within 5 s is killed. */
  till_test_paysim_stop (sim);
  if (sim->own_state_dir)
    remove_tree (sim->state_dir);
  g_free (sim->exe);
  g_free (sim->state_dir);
  g_strfreev (sim->extra_args);
  g_free (sim->mchid);
  g_free (sim->appid);
  g_free (sim->base_url);
  g_free (sim);
}

gboolean
till_test_paysim_is_running (TillTestPaysim *sim)
{
  return sim->process != NULL;
}

const char *
till_test_paysim_get_base_url (TillTestPaysim *sim)
{
  return sim->base_url;
}

guint16
till_test_paysim_get_port (TillTestPaysim *sim)
{
  return sim->port;
}

const char *
till_test_paysim_get_state_dir (TillTestPaysim *sim)
{
  return sim->state_dir;
}

const char *
till_test_paysim_get_mchid (TillTestPaysim *sim)
{
  return sim->mchid;
}

const char *
till_test_paysim_get_appid (TillTestPaysim *sim)
{
  return sim->appid;
}

char *
till_test_paysim_dup_path (TillTestPaysim *sim,
                           const char     *file_name)
{
  return g_build_filename (sim->state_dir, file_name, NULL);
}

char *
till_test_paysim_read_line (TillTestPaysim *sim,
                            const char     *file_name)
{
  g_autofree char *path = till_test_paysim_dup_path (sim, file_name);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (contents));
}

SoupSession *
till_test_paysim_new_session (TillTestPaysim *sim)
{
  SoupSession *session = soup_session_new ();

  if (sim->tls)
    {
      g_autofree char *ca = till_test_paysim_dup_path (sim, "tls_cert.pem");
      g_autoptr(GError) error = NULL;
      g_autoptr(GTlsDatabase) db = g_tls_file_database_new (ca, &error);

      if (db == NULL)
        g_warning ("Cannot load %s: %s", ca, error->message);
      else
        soup_session_set_tls_database (session, db);
    }
  return session;
}

/* ---- HTTP ---- */

/* Control and ledger calls run on a private main context, so that nothing else of the
 * test (the till's own requests, timers) is dispatched in the middle of them: a nested
 * loop on the global context re-entered libsoup from inside the caller's callbacks
 * (the chaos test crashed in libsoup that way). */
static GBytes *
send_message (TillTestPaysim *sim,
              SoupMessage    *msg,
              guint           timeout_ms,
              GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  g_autoptr(GError) local_error = NULL;
  Waiter w = { 0 };
  GBytes *bytes;

  g_main_context_push_thread_default (context);
  session = till_test_paysim_new_session (sim);
  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, context);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, waiter_cb, &w);
  while (!w.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  bytes = soup_session_send_and_read_finish (session, w.result, &local_error);
  g_clear_object (&w.result);
  /* The session's idle connections belong to this context: close them before it goes. */
  soup_session_abort (session);
  g_clear_object (&session);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  if (bytes == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "No answer in %u ms", timeout_ms);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return bytes;
}

GBytes *
till_test_paysim_send_raw (TillTestPaysim *sim,
                           SoupMessage    *msg,
                           guint           timeout_ms,
                           GError        **error)
{
  return send_message (sim, msg, timeout_ms, error);
}

guint
till_test_paysim_control (TillTestPaysim *sim,
                          const char     *method,
                          const char     *path,
                          const char     *json_body,
                          JsonNode      **out_json,
                          GError        **error)
{
  g_autofree char *url = g_strconcat (sim->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const char *data;

  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  bytes = send_message (sim, msg, 15000, error);
  if (bytes == NULL)
    return 0;
  data = g_bytes_get_data (bytes, &len);
  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      *out_json = NULL;
      if (len > 0 && json_parser_load_from_data (parser, data, len, NULL)
          && json_parser_get_root (parser) != NULL)
        *out_json = json_node_copy (json_parser_get_root (parser));
    }
  return soup_message_get_status (msg);
}

static gboolean
control_ok (TillTestPaysim *sim,
            const char     *method,
            const char     *path,
            const char     *json_body,
            GError        **error)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = till_test_paysim_control (sim, method, path, json_body, &answer, error);

  if (status == 0)
    return FALSE;
  if (status != 200)
    {
      const char *message = "no message";

      if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
        message = json_object_get_string_member_with_default (json_node_get_object (answer),
                                                              "message", message);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s → %u: %s", method, path, status,
                   message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
arm_fault (TillTestPaysim *sim,
           const char     *path_prefix,
           const char     *method,
           const char     *kind,
           guint           ms,
           guint           status,
           guint           count,
           GError        **error);

gboolean
till_test_paysim_arm_fault (TillTestPaysim *sim,
                            const char     *path_prefix,
                            const char     *kind,
                            guint           ms,
                            guint           status,
                            guint           count,
                            GError        **error)
{
  return arm_fault (sim, path_prefix, NULL, kind, ms, status, count, error);
}

gboolean
till_test_paysim_arm_alipay_fault (TillTestPaysim *sim,
                                   const char     *method,
                                   const char     *kind,
                                   guint           ms,
                                   guint           status,
                                   guint           count,
                                   GError        **error)
{
  return arm_fault (sim, "/gateway.do", method, kind, ms, status, count, error);
}

static gboolean
arm_fault (TillTestPaysim *sim,
           const char     *path_prefix,
           const char     *method,
           const char     *kind,
           guint           ms,
           guint           status,
           guint           count,
           GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path_prefix");
  json_builder_add_string_value (b, path_prefix);
  if (method != NULL)
    {
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, method);
    }
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "ms");
  json_builder_add_int_value (b, ms);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, count);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  json_generator_set_root (gen, node);
  body = json_generator_to_data (gen, NULL);
  return control_ok (sim, "POST", "/_sim/faults", body, error);
}

gboolean
till_test_paysim_clear_faults (TillTestPaysim *sim,
                               GError        **error)
{
  return control_ok (sim, "DELETE", "/_sim/faults", NULL, error);
}

gboolean
till_test_paysim_native_pay (TillTestPaysim *sim,
                             const char     *out_trade_no,
                             GError        **error)
{
  g_autofree char *escaped = g_uri_escape_string (out_trade_no, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/_sim/native/%s/pay", escaped);

  return control_ok (sim, "POST", path, NULL, error);
}

gboolean
till_test_paysim_alipay_scan (TillTestPaysim *sim,
                              const char     *out_trade_no,
                              const char     *outcome,
                              GError        **error)
{
  g_autofree char *body = g_strdup_printf ("{\"out_trade_no\":\"%s\",\"outcome\":\"%s\"}",
                                           out_trade_no, outcome);

  return control_ok (sim, "POST", "/_sim/alipay/scan", body, error);
}

gboolean
till_test_paysim_set_clock (TillTestPaysim *sim,
                            gint64          offset_s,
                            GError        **error)
{
  g_autofree char *body = g_strdup_printf ("{\"offset_s\":%" G_GINT64_FORMAT "}", offset_s);

  return control_ok (sim, "POST", "/_sim/clock", body, error);
}

gboolean
till_test_paysim_release_bill (TillTestPaysim *sim,
                               const char     *bill_date,
                               GError        **error)
{
  g_autofree char *path = g_strdup_printf ("/_sim/bill/%s", bill_date);

  return control_ok (sim, "POST", path, NULL, error);
}

JsonNode *
till_test_paysim_get_ledger (TillTestPaysim *sim,
                             GError        **error)
{
  JsonNode *answer = NULL;
  guint status = till_test_paysim_control (sim, "GET", "/_sim/ledger", NULL, &answer, error);

  if (status == 0)
    return NULL;
  if (status != 200 || answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_clear_pointer (&answer, json_node_unref);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GET /_sim/ledger → %u", status);
      return NULL;
    }
  return answer;
}

JsonObject *
till_test_paysim_ledger_order (TillTestPaysim *sim,
                               const char     *out_trade_no,
                               GError        **error)
{
  g_autoptr(JsonNode) ledger = till_test_paysim_get_ledger (sim, error);
  JsonArray *orders;

  if (ledger == NULL)
    return NULL;
  orders = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      if (g_strcmp0 (json_object_get_string_member (o, "out_trade_no"), out_trade_no) == 0)
        return json_object_ref (o);
    }
  return NULL;
}

/* ---- signed requests ---- */

void
till_test_paysim_answer_free (TillTestPaysimAnswer *answer)
{
  if (answer == NULL)
    return;
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->text);
  g_clear_pointer (&answer->json, json_node_unref);
  g_clear_pointer (&answer->headers, soup_message_headers_unref);
  g_free (answer);
}

TillTestPaysimAnswer *
till_test_paysim_send (TillTestPaysim              *sim,
                       const TillTestPaysimRequest *request,
                       GError                     **error)
{
  g_autofree char *url = g_strconcat (sim->base_url, request->path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (request->method, url);
  g_autoptr(TillTestPaysimAnswer) answer = NULL;
  g_autoptr(TillRsaKey) own_key = NULL;
  g_autofree char *serial = NULL;
  TillRsaKey *key = request->sign_key;
  SoupMessageHeaders *headers;
  gsize body_len = request->body != NULL ? strlen (request->body) : 0;
  GBytes *bytes;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Bad URL %s", url);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "User-Agent", "tillpoint-tests/1.0");
  if (request->body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (request->body, body_len);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }

  if (!request->unsigned_request)
    {
      g_autofree char *nonce = till_wxpay_nonce_new ();
      gint64 ts = g_get_real_time () / G_USEC_PER_SEC + request->timestamp_offset_s;
      g_autofree char *message = till_wxpay_request_message (request->method, request->path, ts,
                                                             nonce, request->body, body_len);
      g_autofree char *signature = NULL;
      g_autofree char *auth = NULL;

      if (key == NULL)
        {
          g_autofree char *path = till_test_paysim_dup_path (sim, "merchant_private_key.pem");
          own_key = till_rsa_key_load_private_file (path, error);
          if (own_key == NULL)
            return NULL;
          key = own_key;
        }
      serial = request->serial_no != NULL ? g_strdup (request->serial_no)
                                          : till_test_paysim_read_line (sim, "merchant_serial");
      signature = till_rsa_sign_base64 (key, message, strlen (message), error);
      if (signature == NULL)
        return NULL;
      auth = till_wxpay_authorization_build (sim->mchid, nonce, ts, serial, signature);
      soup_message_headers_replace (headers, "Authorization", auth);
    }

  bytes = send_message (sim, msg, request->timeout_ms ? request->timeout_ms : 15000, error);
  if (bytes == NULL)
    return NULL;

  answer = g_new0 (TillTestPaysimAnswer, 1);
  answer->status = soup_message_get_status (msg);
  answer->body = bytes;
  answer->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  answer->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    if (g_bytes_get_size (bytes) > 0
        && json_parser_load_from_data (parser, answer->text, g_bytes_get_size (bytes), NULL)
        && json_parser_get_root (parser) != NULL)
      answer->json = json_node_copy (json_parser_get_root (parser));
  }
  {
    SoupMessageHeaders *h = answer->headers;
    const char *ts = soup_message_headers_get_one (h, "Wechatpay-Timestamp");
    const char *nonce = soup_message_headers_get_one (h, "Wechatpay-Nonce");
    const char *sig = soup_message_headers_get_one (h, "Wechatpay-Signature");
    const char *ser = soup_message_headers_get_one (h, "Wechatpay-Serial");

    answer->has_signature = ts && nonce && sig && ser;
    if (answer->has_signature)
      {
        g_autofree char *pub_path = till_test_paysim_dup_path (sim, "platform_public_key.pem");
        g_autofree char *key_id = till_test_paysim_read_line (sim, "platform_public_key_id");
        g_autoptr(TillRsaKey) pub = till_rsa_key_load_public_file (pub_path, NULL);

        answer->signature_ok = pub != NULL
          && till_wxpay_verify_response (pub, key_id, ts, nonce, sig, ser, answer->text,
                                         g_bytes_get_size (bytes),
                                         g_get_real_time () / G_USEC_PER_SEC, NULL);
      }
  }
  return g_steal_pointer (&answer);
}

TillTestPaysimAnswer *
till_test_paysim_call (TillTestPaysim *sim,
                       const char     *method,
                       const char     *path,
                       const char     *body,
                       GError        **error)
{
  TillTestPaysimRequest request = { 0 };

  request.method = method;
  request.path = path;
  request.body = body;
  return till_test_paysim_send (sim, &request, error);
}

static char *
random_from (const char *alphabet,
             guint       n)
{
  GString *s = g_string_sized_new (n);
  gint32 k = strlen (alphabet);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, k)]);
  return g_string_free (s, FALSE);
}

char *
till_test_paysim_auth_code (const char *ending)
{
  g_autofree char *middle = random_from ("0123456789", 12);

  g_return_val_if_fail (ending != NULL && strlen (ending) == 4, NULL);
  return g_strconcat ("13", middle, ending, NULL);
}

char *
till_test_paysim_alipay_auth_code (const char *ending)
{
  g_autofree char *middle = random_from ("0123456789", 12);

  g_return_val_if_fail (ending != NULL && strlen (ending) == 4, NULL);
  return g_strconcat ("28", middle, ending, NULL);
}

char *
till_test_paysim_new_reference (const char *prefix)
{
  g_autofree char *tail = random_from ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 24 - strlen (prefix));

  return g_strconcat (prefix, tail, NULL);
}

char *
till_test_paysim_codepay_body (TillTestPaysim *sim,
                               const char     *out_trade_no,
                               const char     *auth_code,
                               gint64          total_fen)
{
  return g_strdup_printf ("{\"appid\":\"%s\",\"mchid\":\"%s\",\"description\":\"Tillpoint 测试\","
                          "\"out_trade_no\":\"%s\",\"payer\":{\"auth_code\":\"%s\"},"
                          "\"amount\":{\"total\":%" G_GINT64_FORMAT ",\"currency\":\"CNY\"},"
                          "\"scene_info\":{\"device_id\":\"POS-01\",\"store_info\":{\"out_id\":\"S01\"}}}",
                          sim->appid, sim->mchid, out_trade_no, auth_code, total_fen);
}
