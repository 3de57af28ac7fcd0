/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's connection (libpq), its schema's migrations and the stores. */
#define G_LOG_DOMAIN "till-hq"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "till-hq-private.h"

struct _TillHq
{
  GObject  parent_instance;
  PGconn  *conn;
};

G_DEFINE_TYPE (TillHq, till_hq, G_TYPE_OBJECT)

G_DEFINE_QUARK (till-hq-error-quark, till_hq_error)

static void
till_hq_finalize (GObject *object)
{
  TillHq *self = TILL_HQ (object);

  g_clear_pointer (&self->conn, PQfinish);
  G_OBJECT_CLASS (till_hq_parent_class)->finalize (object);
}

static void
till_hq_class_init (TillHqClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = till_hq_finalize;
}

static void
till_hq_init (TillHq *self)
{
}

PGconn *
_till_hq_conn (TillHq *self)
{
  return self->conn;
}

/* libpq's message, one line (its messages end in a newline; none holds a password). */
static char *
server_message (TillHq *self)
{
  return g_strstrip (g_strdup (PQerrorMessage (self->conn)));
}

static void
notice_cb (void       *data,
           const char *message)
{
  g_autofree char *line = g_strchomp (g_strdup (message));

  g_debug ("Head office: server says: %s", line);
}

TillHq *
till_hq_connect (const char  *uri,
                 GError     **error)
{
  g_autoptr(TillHq) self = NULL;
  g_autofree char *message = NULL;
  PGresult *result;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (uri == NULL || *uri == '\0')
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_CONNECT,
                   _("No head-office database given (--db=URI or TILLPOINT_HQ_URL)"));
      return NULL;
    }
  self = g_object_new (TILL_TYPE_HQ, NULL);
  {
    /* Bounded by default (a till offline must not wait for TCP's own timeout): the connect
     * by connect_timeout, and over TCP a connection whose peer went silent (a cable
     * pulled, a NAT that forgot it: no reset comes) by keepalives after 30 s idle and by
     * tcp_user_timeout while data waits unacknowledged, so the sender's thread sees the
     * loss within about a minute instead of TCP's 15 minutes or 2 hours. The URI's own
     * settings, expanded after these, win. */
    const char *const keywords[] = { "connect_timeout", "keepalives", "keepalives_idle",
                                     "keepalives_interval", "keepalives_count",
                                     "tcp_user_timeout", "application_name", "dbname", NULL };
    const char *name = g_get_prgname () != NULL ? g_get_prgname () : "tillpoint";
    const char *const values[] = { "10", "1", "30", "10", "3", "60000", name, uri, NULL };

    self->conn = PQconnectdbParams (keywords, values, 1);
  }
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      message = self->conn != NULL ? server_message (self) : g_strdup ("out of memory");
      g_message ("Head office: could not connect: %s", message);
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_CONNECT,
                   _("Could not connect to the head-office database: %s"), message);
      return NULL;
    }
  /* The server's notices ("terminating connection…") go to the log, not to stderr. */
  PQsetNoticeProcessor (self->conn, notice_cb, NULL);
  /* Plain messages, UTC-free integers: the schema keeps times as unix µs. */
  result = PQexec (self->conn, "SET client_min_messages = warning");
  PQclear (result);
  g_debug ("Head office: connected to database %s on %s", PQdb (self->conn),
             PQhost (self->conn) != NULL ? PQhost (self->conn) : "(default)");
  return g_steal_pointer (&self);
}

PGresult *
_till_hq_exec (TillHq             *self,
               const char         *sql,
               int                 n_params,
               const char *const  *params,
               const char         *what,
               GError            **error)
{
  /* Without parameters, the simple protocol: a schema step is several statements. */
  PGresult *result = n_params == 0 ? PQexec (self->conn, sql)
                                   : PQexecParams (self->conn, sql, n_params, NULL, params, NULL,
                                                   NULL, 0);
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;
  {
    g_autofree char *message = result != NULL
      ? g_strstrip (g_strdup (PQresultErrorMessage (result))) : server_message (self);
    const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

    g_message ("Head office: %s: %s (SQLSTATE %s)", what, message, state ? state : "none");
    /* 23xxx: a constraint, 22xxx: data (a bad value in a batch) */
    g_set_error (error, TILL_HQ_ERROR,
                 state != NULL && (g_str_has_prefix (state, "22") || g_str_has_prefix (state, "23"))
                   ? TILL_HQ_ERROR_INVALID : TILL_HQ_ERROR_FAILED,
                 "%s: %s", what, message);
    PQclear (result);
    return NULL;
  }
}

gboolean
_till_hq_run (TillHq      *self,
              const char  *sql,
              const char  *what,
              GError     **error)
{
  g_autoptr(PGresult) result = _till_hq_exec (self, sql, 0, NULL, what, error);

  return result != NULL;
}

void
_till_hq_rollback (TillHq *self)
{
  PGresult *result;

  if (PQstatus (self->conn) != CONNECTION_OK
      || PQtransactionStatus (self->conn) == PQTRANS_IDLE)
    return;
  result = PQexec (self->conn, "ROLLBACK");
  PQclear (result);
}

gint64
_till_hq_int (PGresult *result,
              int       row,
              int       column)
{
  if (PQgetisnull (result, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

/* ---------------------------------------------------------------- migrations */

gboolean
till_hq_get_schema_version (TillHq  *self,
                            int     *out_version,
                            GError **error)
{
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) version = NULL;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  exists = _till_hq_exec (self, "SELECT to_regclass ('schema_version') IS NOT NULL", 0, NULL,
                          _("The schema could not be read"), error);
  if (exists == NULL)
    return FALSE;
  *out_version = 0;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return TRUE;
  version = _till_hq_exec (self, "SELECT coalesce (max (version), 0) FROM schema_version", 0,
                           NULL, _("The schema could not be read"), error);
  if (version == NULL)
    return FALSE;
  *out_version = (int) _till_hq_int (version, 0, 0);
  return TRUE;
}

gboolean
till_hq_migrate (TillHq   *self,
                 gboolean  create,
                 int      *out_from,
                 int      *out_to,
                 GError  **error)
{
  int from = 0, version = 0;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  if (!till_hq_get_schema_version (self, &from, error))
    return FALSE;
  if (from == 0 && !create)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_NOT_INITIALIZED,
                   _("The head-office database has no Tillpoint schema yet: run "
                     "“tillpoint-hq init” first"));
      return FALSE;
    }
  if (from > TILL_HQ_SCHEMA_VERSION)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_TOO_NEW,
                   _("The head-office schema is version %d, newer than this program’s %d: "
                     "update tillpoint-hq"), from, TILL_HQ_SCHEMA_VERSION);
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(PGresult) current = NULL;
      g_autofree char *done = NULL;

      /* One step, one transaction; the advisory lock makes two migrating programs wait
       * for each other, and the version is read again under it. */
      if (!_till_hq_run (self, "BEGIN", _("The schema could not be migrated"), error)
          || !_till_hq_run (self, "SELECT pg_advisory_xact_lock (7413001)",
                            _("The schema could not be migrated"), error)
          || !_till_hq_run (self, "CREATE TABLE IF NOT EXISTS schema_version ("
                                  " version integer PRIMARY KEY,"
                                  " applied_at timestamptz NOT NULL DEFAULT now ())",
                            _("The schema could not be migrated"), error))
        goto failed;
      current = _till_hq_exec (self, "SELECT coalesce (max (version), 0) FROM schema_version",
                               0, NULL, _("The schema could not be migrated"), error);
      if (current == NULL)
        goto failed;
      version = (int) _till_hq_int (current, 0, 0);
      if (version >= TILL_HQ_SCHEMA_VERSION)
        {
          if (!_till_hq_run (self, "COMMIT", _("The schema could not be migrated"), error))
            goto failed;
          break;
        }
      done = g_strdup_printf ("INSERT INTO schema_version (version) VALUES (%d)", version + 1);
      if (!_till_hq_run (self, _till_hq_schema_step (version + 1),
                         _("The schema could not be migrated"), error)
          || !_till_hq_run (self, done, _("The schema could not be migrated"), error)
          || !_till_hq_run (self, "COMMIT", _("The schema could not be migrated"), error))
        goto failed;
      g_message ("Head office: schema migrated to version %d", version + 1);
    }
  if (out_from != NULL)
    *out_from = from;
  if (out_to != NULL)
    *out_to = version;
  return TRUE;

failed:
  _till_hq_rollback (self);
  return FALSE;
}

/* ---------------------------------------------------------------- stores */

void
till_hq_store_free (TillHqStore *store)
{
  if (store == NULL)
    return;
  g_free (store->id);
  g_free (store->name);
  g_free (store);
}

gboolean
till_hq_valid_id (const char *id)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length == 0 || length > 32)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
till_hq_conninfo_parse (const char *conninfo, gboolean *out_has_password, GError **error)
{
  char *message = NULL;
  PQconninfoOption *options;
  gboolean has_password = FALSE;

  g_return_val_if_fail (conninfo != NULL, FALSE);

  options = PQconninfoParse (conninfo, &message);
  if (options == NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (message != NULL ? message : "out of memory"));

      PQfreemem (message);
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                   _("The head-office database is not a connection string libpq reads: %s"),
                   text);
      return FALSE;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && *o->val != '\0')
      has_password = TRUE;
  PQconninfoFree (options);
  if (out_has_password != NULL)
    *out_has_password = has_password;
  return TRUE;
}

gboolean
till_hq_add_store (TillHq      *self,
                   const char  *id,
                   const char  *name,
                   GError     **error)
{
  const char *params[2] = { id, NULL };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  if (!till_hq_valid_id (id))
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                   _("A store id is 1 to 32 letters, digits or _ (“%s” is not)"),
                   id != NULL ? id : "");
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*stripped == '\0')
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID, _("The store needs a name"));
      return FALSE;
    }
  params[1] = stripped;
  result = _till_hq_exec (self,
                          "INSERT INTO store (store_id, name) VALUES ($1, $2)"
                          " ON CONFLICT (store_id) DO UPDATE SET name = EXCLUDED.name"
                          " WHERE store.name IS DISTINCT FROM EXCLUDED.name",
                          2, params, _("The store could not be saved"), error);
  return result != NULL;
}

GPtrArray *
till_hq_list_stores (TillHq  *self,
                     GError **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *stores;

  g_return_val_if_fail (TILL_IS_HQ (self), NULL);

  result = _till_hq_exec (self,
                          "SELECT s.store_id, s.name, count (t.till_id),"
                          "  coalesce (max (t.last_batch_at), 0)"
                          " FROM store s LEFT JOIN till t ON t.store_id = s.store_id"
                          " GROUP BY s.store_id, s.name ORDER BY s.store_id",
                          0, NULL, _("The stores could not be read"), error);
  if (result == NULL)
    return NULL;
  stores = g_ptr_array_new_with_free_func ((GDestroyNotify) till_hq_store_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      TillHqStore *store = g_new0 (TillHqStore, 1);

      store->id = g_strdup (PQgetvalue (result, i, 0));
      store->name = g_strdup (PQgetvalue (result, i, 1));
      store->n_tills = (guint) _till_hq_int (result, i, 2);
      store->last_batch_at = _till_hq_int (result, i, 3);
      g_ptr_array_add (stores, store);
    }
  return stores;
}

/* ---------------------------------------------------------------- tills */

void
till_hq_till_free (TillHqTill *till)
{
  if (till == NULL)
    return;
  g_free (till->store_id);
  g_free (till->till_id);
  g_free (till);
}

GPtrArray *
till_hq_list_tills (TillHq      *self,
                    const char  *store_id,
                    GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *params[1] = { store_id };
  GPtrArray *tills;

  g_return_val_if_fail (TILL_IS_HQ (self), NULL);

  result = _till_hq_exec (self,
                          "SELECT store_id, till_id, first_batch_at, last_batch_at,"
                          "  catalog_version FROM till"
                          " WHERE ($1::text IS NULL OR store_id = $1)"
                          " ORDER BY store_id, till_id",
                          1, params, _("The tills could not be read"), error);
  if (result == NULL)
    return NULL;
  tills = g_ptr_array_new_with_free_func ((GDestroyNotify) till_hq_till_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      TillHqTill *till = g_new0 (TillHqTill, 1);

      till->store_id = g_strdup (PQgetvalue (result, i, 0));
      till->till_id = g_strdup (PQgetvalue (result, i, 1));
      till->first_batch_at = _till_hq_int (result, i, 2);
      till->last_batch_at = _till_hq_int (result, i, 3);
      till->catalog_version = _till_hq_int (result, i, 4);
      g_ptr_array_add (tills, till);
    }
  return tills;
}

gboolean
till_hq_note_catalog_version (TillHq      *self,
                              const char  *store_id,
                              const char  *till_id,
                              gint64       version,
                              GError     **error)
{
  g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  const char *params[3] = { store_id, till_id, version_text };
  g_autoptr(PGresult) store = NULL;
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  if (!till_hq_valid_id (store_id) || till_id == NULL || *till_id == '\0'
      || strlen (till_id) > 64 || version < 0)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                   _("A till’s catalog version needs its store id, its till id and a version"));
      return FALSE;
    }
  store = _till_hq_exec (self, "SELECT 1 FROM store WHERE store_id = $1", 1, params,
                         _("The till’s catalog version could not be saved"), error);
  if (store == NULL)
    return FALSE;
  if (PQntuples (store) == 0)
    {
      g_message ("Head office: the catalog version of a till of unknown store %s refused",
                 store_id);
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE,
                   _("Store “%s” is not known at head office (tillpoint-hq stores add %s "
                     "NAME)"), store_id, store_id);
      return FALSE;
    }
  /* a till that has sent no batch yet is registered with its batch times 0 (none) */
  result = _till_hq_exec (self,
                          "INSERT INTO till (store_id, till_id, first_batch_at, last_batch_at,"
                          "  catalog_version) VALUES ($1, $2, 0, 0, $3)"
                          " ON CONFLICT (store_id, till_id) DO UPDATE"
                          " SET catalog_version = EXCLUDED.catalog_version"
                          " WHERE till.catalog_version IS DISTINCT FROM EXCLUDED.catalog_version",
                          3, params, _("The till’s catalog version could not be saved"), error);
  return result != NULL;
}
