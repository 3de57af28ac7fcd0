/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's fault injection and its /_sim/ control API (faults, ledger, clock, bill,
 * Native pay; Alipay: scan, the QR page, the bill file). */
#define G_LOG_DOMAIN "till-paysim"

#include "config.h"

#include <string.h>

#include "till-paysim-alipay.h"
#include "till-paysim-bill.h"
#include "till-paysim-private.h"

const char *const till_paysim_fault_kind_names[] = {
  "delay", "drop", "status", "badsig", "nosig", "unknown", "retry_flag", "rollback",
};

void
till_paysim_fault_free (Fault *fault)
{
  g_free (fault->path_prefix);
  g_free (fault->method);
  g_free (fault);
}

/* Whether a fault applies to a request: Alipay's own kinds only to the gateway calls they
 * are about (retry_flag to a cancel, rollback to a pay). */
/* The string member `name` of a control body, `fallback` when it is absent or null, NULL
 * when it is something else than a string (json-glib's getters would complain). */
static const char *
body_string (JsonObject *obj, const char *name, const char *fallback)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
fault_matches (const Fault *fault,
               const char  *path,
               const char  *method)
{
  if (!g_str_has_prefix (path, fault->path_prefix))
    return FALSE;
  if (fault->method != NULL && g_strcmp0 (fault->method, method) != 0)
    return FALSE;
  switch (fault->kind)
    {
    case FAULT_UNKNOWN:
      return method != NULL;
    case FAULT_RETRY_FLAG:
      return g_strcmp0 (method, "alipay.trade.cancel") == 0;
    case FAULT_ROLLBACK:
      return g_strcmp0 (method, "alipay.trade.pay") == 0;
    case FAULT_DELAY:
    case FAULT_DROP:
    case FAULT_STATUS:
    case FAULT_BADSIG:
    case FAULT_NOSIG:
    default:
      return TRUE;
    }
}

/* ---- faults ------------------------------------------------------------------------ */

/* Takes one use of the oldest fault armed for `path`; NULL if none. The returned copy is
 * the caller's. */
Fault *
till_paysim_take_fault (TillPaysim *self,
                        const char *path,
                        const char *method)
{
  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      Fault *fault = l->data;
      Fault *copy;

      if (!fault_matches (fault, path, method))
        continue;
      copy = g_memdup2 (fault, sizeof *fault);
      copy->path_prefix = g_strdup (fault->path_prefix);
      copy->method = g_strdup (fault->method);
      if (--fault->count == 0)
        {
          g_queue_delete_link (&self->faults, l);
          till_paysim_fault_free (fault);
        }
      return copy;
    }
  return NULL;
}

/* ---- /_sim control API ------------------------------------------------------------- */

static void
control_answer (SoupServerMessage *msg,
                guint              status,
                JsonNode          *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    text, len);
}

static void
control_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "code", code);
  json_object_set_string_member (obj, "message", message);
  json_node_take_object (node, obj);
  control_answer (msg, status, node);
}

static JsonObject *
control_parse_body (SoupServerMessage *msg,
                    const char        *body,
                    gsize              len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, body, len, &error))
    {
      control_error (msg, 400, "PARAM_ERROR", error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      control_error (msg, 400, "PARAM_ERROR", "the body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
member_int (JsonObject *obj,
            const char *name,
            gint64      fallback,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static void
control_faults (TillPaysim        *self,
                SoupServerMessage *msg,
                const char        *method,
                const char        *body,
                gsize              len)
{
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *answer = json_object_new ();
  const char *prefix, *kind_name, *method_filter;
  gint64 ms, status, count;
  int kind = -1;
  JsonNode *apply;
  Fault *fault;

  json_node_take_object (node, answer);

  if (g_str_equal (method, "DELETE"))
    {
      json_object_set_int_member (answer, "cleared", self->faults.length);
      g_queue_clear_full (&self->faults, (GDestroyNotify) till_paysim_fault_free);
      control_answer (msg, 200, node);
      return;
    }
  if (g_str_equal (method, "GET"))
    {
      JsonArray *list = json_array_new ();

      for (GList *l = self->faults.head; l != NULL; l = l->next)
        {
          Fault *f = l->data;
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "path_prefix", f->path_prefix);
          if (f->method != NULL)
            json_object_set_string_member (o, "method", f->method);
          json_object_set_string_member (o, "kind", till_paysim_fault_kind_names[f->kind]);
          json_object_set_int_member (o, "ms", f->ms);
          json_object_set_int_member (o, "status", f->status);
          json_object_set_int_member (o, "count", f->count);
          json_object_set_boolean_member (o, "apply", f->apply);
          json_array_add_object_element (list, o);
        }
      json_object_set_array_member (answer, "faults", list);
      control_answer (msg, 200, node);
      return;
    }
  if (!g_str_equal (method, "POST"))
    {
      control_error (msg, 405, "METHOD_NOT_ALLOWED", "use GET, POST or DELETE");
      return;
    }

  obj = control_parse_body (msg, body, len);
  if (obj == NULL)
    return;
  prefix = body_string (obj, "path_prefix", NULL);
  kind_name = body_string (obj, "kind", "");
  method_filter = body_string (obj, "method", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (till_paysim_fault_kind_names); i++)
    if (g_strcmp0 (kind_name, till_paysim_fault_kind_names[i]) == 0)
      kind = i;
  if (prefix == NULL || !g_str_has_prefix (prefix, "/"))
    {
      control_error (msg, 400, "PARAM_ERROR", "path_prefix must be a path starting with /");
      return;
    }
  if (kind < 0)
    {
      control_error (msg, 400, "PARAM_ERROR", "kind must be delay, drop, status, badsig, nosig,"
                                              " unknown, retry_flag or rollback");
      return;
    }
  if ((kind == FAULT_UNKNOWN || kind == FAULT_RETRY_FLAG || kind == FAULT_ROLLBACK
       || method_filter != NULL)
      && !g_str_has_prefix (TILL_PAYSIM_ALIPAY_GATEWAY_PATH, prefix))
    {
      control_error (msg, 400, "PARAM_ERROR", "unknown, retry_flag, rollback and a method filter"
                                              " are for Alipay's path_prefix /gateway.do");
      return;
    }
  if (!member_int (obj, "ms", 0, &ms) || !member_int (obj, "status", 500, &status)
      || !member_int (obj, "count", 1, &count))
    {
      control_error (msg, 400, "PARAM_ERROR", "ms, status and count must be integers");
      return;
    }
  if (count < 1 || count > 1000000 || ms < 0 || ms > 600000
      || (kind == FAULT_DELAY && ms == 0) || (kind == FAULT_STATUS && (status < 400 || status > 599)))
    {
      control_error (msg, 400, "PARAM_ERROR",
                     "count must be ≥ 1, ms in 1…600000 for delay, status in 400…599");
      return;
    }

  fault = g_new0 (Fault, 1);
  fault->path_prefix = g_strdup (prefix);
  fault->method = g_strdup (method_filter);
  fault->kind = kind;
  fault->ms = ms;
  fault->status = status;
  fault->count = count;
  apply = json_object_get_member (obj, "apply");
  fault->apply = apply != NULL && JSON_NODE_HOLDS_VALUE (apply)
                 && json_node_get_value_type (apply) == G_TYPE_BOOLEAN
                 && json_node_get_boolean (apply);
  g_queue_push_tail (&self->faults, fault);

  json_object_set_int_member (answer, "armed", self->faults.length);
  control_answer (msg, 200, node);
}

static void
control_ledger (TillPaysim        *self,
                SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *answer = json_object_new ();
  JsonArray *list = json_array_new ();
  gint64 now_ms = till_paysim_now_ms (self);

  json_node_take_object (node, answer);
  json_object_set_array_member (answer, "orders", list);
  json_object_set_string_member (answer, "mchid", self->mchid);
  json_object_set_string_member (answer, "appid", self->appid);
  json_object_set_int_member (answer, "now_ms", now_ms);
  json_object_set_int_member (answer, "clock_offset_s", till_paysim_ledger_get_clock_offset (self->ledger));

  if (!till_paysim_ledger_settle (self->ledger, now_ms, &error)
      || (orders = till_paysim_ledger_list_orders (self->ledger, &error)) == NULL)
    {
      control_error (msg, 500, "SYSTEM_ERROR", error->message);
      return;
    }
  for (guint i = 0; i < orders->len; i++)
    {
      JsonNode *o = till_paysim_api_order_ledger_json (self, g_ptr_array_index (orders, i), &error);

      if (o == NULL)
        {
          control_error (msg, 500, "SYSTEM_ERROR", error->message);
          return;
        }
      json_array_add_element (list, o);
    }
  /* Alipay's trades, in the same list */
  {
    g_autoptr(GPtrArray) trades = NULL;

    if (!till_paysim_alipay_ledger_settle (self->alipay_ledger, now_ms, &error)
        || (trades = till_paysim_alipay_ledger_list (self->alipay_ledger, &error)) == NULL)
      {
        control_error (msg, 500, "SYSTEM_ERROR", error->message);
        return;
      }
    for (guint i = 0; i < trades->len; i++)
      {
        JsonNode *o = till_paysim_alipay_ledger_json (self, g_ptr_array_index (trades, i), &error);

        if (o == NULL)
          {
            control_error (msg, 500, "SYSTEM_ERROR", error->message);
            return;
          }
        json_array_add_element (list, o);
      }
  }
  json_object_set_string_member (answer, "alipay_app_id", self->alipay_app_id);
  json_object_set_string_member (answer, "alipay_pid", self->alipay_pid);
  control_answer (msg, 200, node);
}

/* POST /_sim/alipay/scan {"out_trade_no":…,"outcome":"pay"|"password"|"decline"}, or
 * POST /_sim/alipay/scan/{out_trade_no} (body optional, outcome "pay" by default). */
static void
control_alipay_scan (TillPaysim        *self,
                     SoupServerMessage *msg,
                     const char        *path_otn,
                     const char        *body,
                     gsize              len)
{
  g_autoptr(JsonObject) obj = NULL;
  const char *otn = path_otn, *outcome = "pay";

  if (len > 0)
    {
      obj = control_parse_body (msg, body, len);
      if (obj == NULL)
        return;
      otn = body_string (obj, "out_trade_no", path_otn);
      outcome = body_string (obj, "outcome", "pay");
    }
  if (otn == NULL || *otn == '\0')
    {
      control_error (msg, 400, "PARAM_ERROR", "out_trade_no is missing");
      return;
    }
  if (outcome == NULL || (!g_str_equal (outcome, "pay") && !g_str_equal (outcome, "password")
      && !g_str_equal (outcome, "decline")))
    {
      control_error (msg, 400, "PARAM_ERROR", "outcome must be pay, password or decline");
      return;
    }
  till_paysim_alipay_scan (self, msg, otn, outcome);
}

static void
control_clock (TillPaysim        *self,
               SoupServerMessage *msg,
               const char        *method,
               const char        *body,
               gsize              len)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *answer = json_object_new ();

  json_node_take_object (node, answer);
  if (g_str_equal (method, "POST"))
    {
      g_autoptr(JsonObject) obj = control_parse_body (msg, body, len);
      g_autoptr(GError) error = NULL;
      gint64 offset;

      if (obj == NULL)
        return;
      if (!json_object_has_member (obj, "offset_s") || !member_int (obj, "offset_s", 0, &offset)
          || offset > G_GINT64_CONSTANT (10) * 365 * 86400
          || offset < -G_GINT64_CONSTANT (10) * 365 * 86400)
        {
          control_error (msg, 400, "PARAM_ERROR", "offset_s must be an integer (seconds, ±10 years)");
          return;
        }
      if (!till_paysim_set_clock_offset_s (self, offset, &error))
        {
          control_error (msg, 500, "SYSTEM_ERROR", error->message);
          return;
        }
    }
  else if (!g_str_equal (method, "GET"))
    {
      control_error (msg, 405, "METHOD_NOT_ALLOWED", "use GET or POST");
      return;
    }
  json_object_set_int_member (answer, "offset_s", till_paysim_ledger_get_clock_offset (self->ledger));
  json_object_set_int_member (answer, "now_ms", till_paysim_now_ms (self));
  control_answer (msg, 200, node);
}

static void
control_bill (TillPaysim        *self,
              SoupServerMessage *msg,
              const char        *date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *answer = json_object_new ();
  gint64 start;

  json_node_take_object (node, answer);
  if (!till_paysim_bill_parse_date (date, &start))
    {
      control_error (msg, 400, "PARAM_ERROR", "the bill date must be yyyy-MM-dd");
      return;
    }
  if (!till_paysim_ledger_release_bill (self->ledger, date, till_paysim_now_ms (self), &error))
    {
      control_error (msg, 500, "SYSTEM_ERROR", error->message);
      return;
    }
  json_object_set_string_member (answer, "bill_date", date);
  json_object_set_boolean_member (answer, "available", TRUE);
  control_answer (msg, 200, node);
}

static gboolean
peer_is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *addr = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (addr)
         && g_inet_address_get_is_loopback (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr)));
}

void
till_paysim_handle_control (TillPaysim        *self,
                            SoupServerMessage *msg,
                            const char        *method,
                            const char        *path,
                            const char        *body,
                            gsize              len)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (!peer_is_loopback (msg))
    {
      control_error (msg, 403, "NO_AUTH", "the control API answers loopback peers only");
      return;
    }

  parts = g_strsplit (path + strlen ("/_sim/"), "/", -1);
  n = g_strv_length (parts);

  if (n == 1 && g_str_equal (parts[0], "faults"))
    control_faults (self, msg, method, body, len);
  else if (n == 1 && g_str_equal (parts[0], "ledger") && g_str_equal (method, "GET"))
    control_ledger (self, msg);
  else if (n == 1 && g_str_equal (parts[0], "clock"))
    control_clock (self, msg, method, body, len);
  else if (n == 2 && g_str_equal (parts[0], "bill") && g_str_equal (method, "POST"))
    control_bill (self, msg, parts[1]);
  else if (n == 3 && g_str_equal (parts[0], "native") && g_str_equal (parts[2], "pay")
           && g_str_equal (method, "POST"))
    {
      g_autofree char *otn = g_uri_unescape_string (parts[1], NULL);
      TillPaysimCall call = { 0 };
      g_autoptr(GError) error = NULL;

      call.sim = self;
      call.msg = msg;
      call.method = method;
      call.path = path;
      call.now_ms = till_paysim_now_ms (self);
      if (!till_paysim_ledger_settle (self->ledger, call.now_ms, &error))
        till_paysim_call_internal_error (&call, error);
      else
        till_paysim_api_native_pay (&call, otn != NULL ? otn : "");
      soup_server_message_set_status (msg, call.status, NULL);
      if (call.answer != NULL)
        soup_server_message_set_response (msg, call.content_type, SOUP_MEMORY_COPY,
                                          g_bytes_get_data (call.answer, NULL),
                                          g_bytes_get_size (call.answer));
      g_clear_pointer (&call.answer, g_bytes_unref);
    }
  else if (n == 2 && g_str_equal (parts[0], "alipaybill") && g_str_equal (method, "GET"))
    till_paysim_alipay_bill_file (self, msg, parts[1]);
  else if (n >= 2 && n <= 3 && g_str_equal (parts[0], "alipay") && g_str_equal (parts[1], "scan")
           && g_str_equal (method, "POST"))
    {
      g_autofree char *otn = n == 3 ? g_uri_unescape_string (parts[2], NULL) : NULL;

      control_alipay_scan (self, msg, otn, body, len);
    }
  else if (n == 3 && g_str_equal (parts[0], "alipay") && g_str_equal (parts[1], "qr")
           && g_str_equal (method, "GET"))
    {
      g_autofree char *otn = g_uri_unescape_string (parts[2], NULL);

      till_paysim_alipay_qr_page (self, msg, otn != NULL ? otn : "");
    }
  else
    control_error (msg, 404, "NOT_FOUND", "no such control endpoint");
}
