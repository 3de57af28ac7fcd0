/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A till's rows into the head office: each table's rows in one INSERT … SELECT from
 * json_populate_recordset(), ON CONFLICT on (store_id, till_id, the till's key) DO UPDATE
 * only WHERE a column differs, so a row sent again changes nothing (no new row version,
 * no trigger). A batch is one transaction. The SQL is made from the fixed table
 * descriptions below, never from the batch: the batch's values travel as one JSON
 * parameter per table. */
#define G_LOG_DOMAIN "till-hq"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "till-hq-private.h"

typedef struct
{
  const char *name;
  const char *key;       /* the till's key columns, comma-separated */
  const char *columns;   /* the other columns; "name:literal" gives the SQL default of a
                            column a till's older schema may not send (as its SQLite's) */
} TableInfo;

static const TableInfo tables[TILL_HQ_N_TABLES] = {
  [TILL_HQ_SALE] = { "sale", "id",
    "number,opened_at,closed_at,state:'open',total_fen:0,cashier,kind:'goods',member_id,"
    "topup_bonus_fen:0,suspended_at,discount_kind:'none',discount_value:0,discount_fen:0,"
    "total_rounding:'none',rounding_fen:0" },
  [TILL_HQ_SALE_LINE] = { "sale_line", "sale_id,position",
    "product_id,barcode,name,unit,qty_milli,unit_price_fen,line_total_fen,weighed:0,"
    "fixed_total:0,original_price_fen,discount_kind:'none',discount_value:0,discount_fen:0,"
    "sale_discount_fen:0,final_fen" },
  [TILL_HQ_PAYMENT] = { "payment", "id",
    "sale_id,method,amount_fen,out_trade_no,state,transaction_id,deadline_at,created_at,"
    "updated_at,last_error,unattached:0,rounding_fen:0" },
  [TILL_HQ_REFUND] = { "refund", "id",
    "payment_id,out_refund_no,amount_fen,reason,state,refund_id,created_at,updated_at,"
    "rounding_fen:0" },
  [TILL_HQ_CASH_MOVEMENT] = { "cash_movement", "id", "day,kind,amount_fen,reason,at,actor" },
  [TILL_HQ_DAY_CLOSE] = { "day_close", "date",
    "closed_at,counted_cash_fen,expected_cash_fen,difference_fen,closed_by,report_json" },
  [TILL_HQ_RECONCILIATION] = { "reconciliation", "id",
    "date,provider:'wechat',fetched_at,result_json,status" },
  [TILL_HQ_GOODS_RETURN] = { "goods_return", "id",
    "number,day,at,cashier,manager,reason,amount_fen,rounding_fen:0" },
  [TILL_HQ_GOODS_RETURN_LINE] = { "goods_return_line", "return_id,position",
    "product_id,barcode,name,unit,weighed:0,qty_milli,list_price_fen,unit_price_fen,"
    "line_total_fen" },
  [TILL_HQ_STOCK_MOVE] = { "stock_move", "id",
    "product_id,kind,qty_milli,cost_fen,reference,who,at" },
  [TILL_HQ_STORED_VALUE_MOVE] = { "stored_value_move", "id",
    "member_id,kind,paid_fen,bonus_fen,reference,refund_of,who,reason,at,payment_id,"
    "refund_id" },
  [TILL_HQ_POINTS_MOVE] = { "points_move", "id", "member_id,kind,points,reference,who,reason,at" },
};

/* The order a batch's tables are written in (lines after their sale: none is required by
 * a foreign key, but it keeps a reader's view sensible). */
static const TillHqTable batch_order[] = {
  TILL_HQ_SALE, TILL_HQ_SALE_LINE, TILL_HQ_PAYMENT, TILL_HQ_REFUND, TILL_HQ_CASH_MOVEMENT,
  TILL_HQ_GOODS_RETURN, TILL_HQ_GOODS_RETURN_LINE, TILL_HQ_STOCK_MOVE,
  TILL_HQ_STORED_VALUE_MOVE, TILL_HQ_POINTS_MOVE, TILL_HQ_DAY_CLOSE, TILL_HQ_RECONCILIATION,
};

G_STATIC_ASSERT (G_N_ELEMENTS (batch_order) == TILL_HQ_N_TABLES);

const char *
till_hq_table_name (TillHqTable table)
{
  g_return_val_if_fail (table < TILL_HQ_N_TABLES, NULL);
  return tables[table].name;
}

int
till_hq_table_from_name (const char *name)
{
  for (int i = 0; i < TILL_HQ_N_TABLES; i++)
    if (g_strcmp0 (name, tables[i].name) == 0)
      return i;
  return -1;
}

typedef enum
{
  LIST_NAMES,      /* a, b */
  LIST_VALUES,     /* r.a, coalesce (r.b, default) */
  LIST_PREFIXED,   /* P.a, P.b */
  LIST_SET,        /* a = EXCLUDED.a, … */
} ListKind;

/* A comma-separated list of columns ("name" or "name:default") in one of the forms. */
static void
append_list (GString    *sql,
             const char *list,
             ListKind    kind,
             const char *prefix)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *fallback = strchr (items[i], ':');

      if (fallback != NULL)
        *fallback++ = '\0';
      if (i > 0)
        g_string_append (sql, ", ");
      switch (kind)
        {
        case LIST_NAMES:
          g_string_append (sql, items[i]);
          break;
        case LIST_VALUES:
          if (fallback != NULL)
            g_string_append_printf (sql, "coalesce (r.%s, %s)", items[i], fallback);
          else
            g_string_append_printf (sql, "r.%s", items[i]);
          break;
        case LIST_PREFIXED:
          g_string_append_printf (sql, "%s.%s", prefix, items[i]);
          break;
        case LIST_SET:
          g_string_append_printf (sql, "%s = EXCLUDED.%s", items[i], items[i]);
          break;
        }
    }
}

static char *
upsert_sql (const TableInfo *t)
{
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "INSERT INTO %s (store_id, till_id, %s, ", t->name, t->key);
  append_list (sql, t->columns, LIST_NAMES, NULL);
  g_string_append (sql, ") SELECT DISTINCT ON (");
  append_list (sql, t->key, LIST_PREFIXED, "r");
  g_string_append (sql, ") $1, $2, ");
  append_list (sql, t->key, LIST_PREFIXED, "r");
  g_string_append (sql, ", ");
  append_list (sql, t->columns, LIST_VALUES, NULL);
  g_string_append_printf (sql, " FROM json_populate_recordset (NULL::%s, $3::json)"
                          " WITH ORDINALITY AS r ORDER BY ", t->name);
  append_list (sql, t->key, LIST_PREFIXED, "r");
  g_string_append_printf (sql, ", r.ordinality DESC ON CONFLICT (store_id, till_id, %s)"
                          " DO UPDATE SET ", t->key);
  append_list (sql, t->columns, LIST_SET, NULL);
  g_string_append (sql, " WHERE (");
  append_list (sql, t->columns, LIST_PREFIXED, t->name);
  g_string_append (sql, ") IS DISTINCT FROM (");
  append_list (sql, t->columns, LIST_PREFIXED, "EXCLUDED");
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

/* Refuses a row that is not an object or lacks a key column (the server would say it
 * less clearly). */
static gboolean
check_rows (const TableInfo *t,
            JsonArray       *rows,
            GError         **error)
{
  g_auto(GStrv) keys = g_strsplit (t->key, ",", -1);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      for (guint k = 0; row != NULL && keys[k] != NULL; k++)
        if (!json_object_has_member (row, keys[k])
            || json_node_is_null (json_object_get_member (row, keys[k])))
          row = NULL;
      if (row == NULL)
        {
          g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                       _("The batch’s %s row %u is not an object with its key (%s)"), t->name,
                       i + 1, t->key);
          return FALSE;
        }
    }
  return TRUE;
}

/* One table's rows, a JSON array of `n_rows` objects as text, in one statement. */
static gboolean
upsert_table_text (TillHq            *self,
                   const char        *store_id,
                   const char        *till_id,
                   TillHqTable        table,
                   const char        *json,
                   guint              n_rows,
                   TillHqUpsertStats *stats,
                   GError           **error)
{
  g_autofree char *sql = upsert_sql (&tables[table]);
  g_autoptr(PGresult) result = NULL;
  const char *params[3] = { store_id, till_id, json };

  result = _till_hq_exec (self, sql, 3, params, _("The till’s rows could not be saved"), error);
  if (result == NULL)
    return FALSE;
  stats->n_rows += n_rows;
  stats->n_changed += (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
  return TRUE;
}

static gboolean
upsert_table (TillHq            *self,
              const char        *store_id,
              const char        *till_id,
              TillHqTable        table,
              JsonArray         *rows,
              TillHqUpsertStats *stats,
              GError           **error)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (json_array_get_length (rows) == 0)
    return TRUE;
  if (!check_rows (&tables[table], rows, error))
    return FALSE;
  node = json_node_init_array (json_node_alloc (), rows);
  json = json_to_string (node, FALSE);
  return upsert_table_text (self, store_id, till_id, table, json,
                            json_array_get_length (rows), stats, error);
}

/* ---------------------------------------------------------------- a batch's text, split */

/* A batch as its JSON text, split without building it: json-glib's parse of a 500-sale
 * batch (and the text of each table made again from it) cost more than the whole upsert
 * at the server. The scanner only finds where each value ends (strings with their escapes,
 * nested objects and arrays with their closers matched, scalars); each table's array goes
 * to the server as it is, and the server reads it strictly (a bad one: 22xxx,
 * TILL_HQ_ERROR_INVALID). Anything it does not expect (not an object, a key or an id with
 * an escape, a member twice, an unknown table) is left to the full parse, which says what
 * is wrong. */
typedef struct
{
  char       *store_id;
  char       *till_id;
  const char *start[TILL_HQ_N_TABLES];  /* the table's array in the text, NULL: none */
  gsize       length[TILL_HQ_N_TABLES];
  guint       n_rows[TILL_HQ_N_TABLES];
} Split;

static void
split_clear (Split *split)
{
  g_free (split->store_id);
  g_free (split->till_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Split, split_clear)

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

/* p at '"': after the closing quote, or NULL. */
static const char *
scan_string (const char *p)
{
  for (p++; *p != '\0'; p++)
    {
      if (*p == '\\')
        {
          if (*++p == '\0')
            return NULL;
        }
      else if (*p == '"')
        return p + 1;
      else if ((guchar) *p < 0x20)
        return NULL;
    }
  return NULL;
}

#define SPLIT_MAX_DEPTH 64

/* p at a value: after it, or NULL. An array's elements (at its own level) are counted
 * into *n_elements. */
static const char *
scan_value (const char *p,
            guint      *n_elements)
{
  char closers[SPLIT_MAX_DEPTH];
  int depth = 0;
  guint n = 0;

  if (*p == '"')
    return scan_string (p);
  if (*p != '{' && *p != '[')
    {
      const char *start = p;

      while (*p != '\0' && strchr ("-+.0123456789eEtrufalsn", *p) != NULL)
        p++;
      return p > start ? p : NULL;
    }
  if (*p == '[' && *skip_space (p + 1) != ']')
    n = 1;
  while (*p != '\0')
    {
      switch (*p)
        {
        case '"':
          p = scan_string (p);
          if (p == NULL)
            return NULL;
          continue;
        case '{':
        case '[':
          if (depth == SPLIT_MAX_DEPTH)
            return NULL;
          closers[depth++] = *p == '{' ? '}' : ']';
          break;
        case '}':
        case ']':
          if (depth == 0 || closers[--depth] != *p)
            return NULL;
          if (depth == 0)
            {
              if (n_elements != NULL)
                *n_elements = n;
              return p + 1;
            }
          break;
        case ',':
          n += depth == 1;
          break;
        default:
          break;
        }
      p++;
    }
  return NULL;
}

/* p at '"': the key without its quotes (no escape in it), and p after the ':' and space. */
static gboolean
scan_key (const char **p,
          const char **key,
          gsize       *key_length)
{
  const char *end;

  if (**p != '"' || (end = scan_string (*p)) == NULL)
    return FALSE;
  *key = *p + 1;
  *key_length = (gsize) (end - 1 - *key);
  if (memchr (*key, '\\', *key_length) != NULL)
    return FALSE;
  *p = skip_space (end);
  if (**p != ':')
    return FALSE;
  *p = skip_space (*p + 1);
  return TRUE;
}

static gboolean
key_is (const char *key, gsize length, const char *name)
{
  return strlen (name) == length && memcmp (key, name, length) == 0;
}

/* A member of an object or its end: after ',' (TRUE, *done FALSE) or '}' (*done TRUE). */
static gboolean
scan_next (const char **p,
           gboolean    *done)
{
  *p = skip_space (*p);
  *done = **p == '}';
  if (**p != ',' && **p != '}')
    return FALSE;
  *p = skip_space (*p + 1);
  return TRUE;
}

/* An id: a string without escapes. */
static char *
scan_id (const char **p)
{
  const char *end;

  if (**p != '"' || (end = scan_string (*p)) == NULL
      || memchr (*p + 1, '\\', (gsize) (end - 1 - (*p + 1))) != NULL)
    return NULL;
  {
    char *id = g_strndup (*p + 1, (gsize) (end - 1 - (*p + 1)));

    *p = end;
    return id;
  }
}

static gboolean
split_tables (const char **p,
              Split       *split)
{
  gboolean done = FALSE;

  if (**p != '{')
    return FALSE;
  *p = skip_space (*p + 1);
  if (**p == '}')
    {
      (*p)++;
      return TRUE;
    }
  while (!done)
    {
      const char *key, *end;
      gsize key_length;
      g_autofree char *name = NULL;
      int table;

      if (!scan_key (p, &key, &key_length))
        return FALSE;
      name = g_strndup (key, key_length);
      table = till_hq_table_from_name (name);
      if (table < 0 || split->start[table] != NULL || **p != '['
          || (end = scan_value (*p, &split->n_rows[table])) == NULL)
        return FALSE;
      split->start[table] = *p;
      split->length[table] = (gsize) (end - *p);
      *p = end;
      if (!scan_next (p, &done))
        return FALSE;
    }
  return TRUE;
}

static gboolean
split_batch (const char *json,
             Split      *split)
{
  const char *p = skip_space (json);
  gboolean done = FALSE, have_tables = FALSE;

  if (*p != '{')
    return FALSE;
  p = skip_space (p + 1);
  while (!done)
    {
      const char *key;
      gsize key_length;

      if (!scan_key (&p, &key, &key_length))
        return FALSE;
      if (key_is (key, key_length, "store_id") || key_is (key, key_length, "till_id"))
        {
          char **id = key_is (key, key_length, "store_id") ? &split->store_id : &split->till_id;

          if (*id != NULL || (*id = scan_id (&p)) == NULL)
            return FALSE;
        }
      else if (key_is (key, key_length, "tables"))
        {
          if (have_tables || !split_tables (&p, split))
            return FALSE;
          have_tables = TRUE;
        }
      else if ((p = scan_value (p, NULL)) == NULL)
        return FALSE;
      if (!scan_next (&p, &done))
        return FALSE;
    }
  return have_tables && split->store_id != NULL && split->till_id != NULL && *p == '\0';
}

/* Checks the store, registers the till (or notes its batch; a till registered by its
 * catalog pull, first batch time 0, gets its first). In the transaction. */
static gboolean
note_till (TillHq      *self,
           const char  *store_id,
           const char  *till_id,
           GError     **error)
{
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  const char *params[3] = { store_id, till_id, now };
  g_autoptr(PGresult) store = NULL;
  g_autoptr(PGresult) till = NULL;

  if (!till_hq_valid_id (store_id) || till_id == NULL || *till_id == '\0'
      || strlen (till_id) > 64)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                   _("The batch needs a store id (1 to 32 letters, digits or _) and a till "
                     "id"));
      return FALSE;
    }
  store = _till_hq_exec (self, "SELECT 1 FROM store WHERE store_id = $1", 1, params,
                         _("The till’s rows could not be saved"), error);
  if (store == NULL)
    return FALSE;
  if (PQntuples (store) == 0)
    {
      g_message ("Head office: a batch for unknown store %s refused", store_id);
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_UNKNOWN_STORE,
                   _("Store “%s” is not known at head office (tillpoint-hq stores add %s "
                     "NAME)"), store_id, store_id);
      return FALSE;
    }
  till = _till_hq_exec (self,
                        "INSERT INTO till (store_id, till_id, first_batch_at, last_batch_at)"
                        " VALUES ($1, $2, $3, $3) ON CONFLICT (store_id, till_id)"
                        " DO UPDATE SET last_batch_at = EXCLUDED.last_batch_at,"
                        "  first_batch_at = CASE WHEN till.first_batch_at = 0"
                        "   THEN EXCLUDED.first_batch_at ELSE till.first_batch_at END",
                        3, params, _("The till’s rows could not be saved"), error);
  return till != NULL;
}

static gboolean
begin (TillHq  *self,
       GError **error)
{
  return _till_hq_run (self, "BEGIN", _("The till’s rows could not be saved"), error);
}

static gboolean
commit (TillHq  *self,
        GError **error)
{
  return _till_hq_run (self, "COMMIT", _("The till’s rows could not be saved"), error);
}

gboolean
till_hq_upsert_rows (TillHq            *self,
                     const char        *store_id,
                     const char        *till_id,
                     TillHqTable        table,
                     JsonArray         *rows,
                     TillHqUpsertStats *stats,
                     GError           **error)
{
  TillHqUpsertStats result = { 0 };

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);
  g_return_val_if_fail (table < TILL_HQ_N_TABLES, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  if (!begin (self, error)
      || !note_till (self, store_id, till_id, error)
      || !upsert_table (self, store_id, till_id, table, rows, &result, error)
      || !commit (self, error))
    {
      _till_hq_rollback (self);
      return FALSE;
    }
  if (stats != NULL)
    *stats = result;
  return TRUE;
}

gboolean
till_hq_upsert_batch (TillHq            *self,
                      JsonNode          *batch,
                      TillHqUpsertStats *stats,
                      GError           **error)
{
  TillHqUpsertStats result = { 0 };
  JsonObject *object, *tables_object;
  const char *store_id, *till_id;
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  object = batch != NULL && JSON_NODE_HOLDS_OBJECT (batch) ? json_node_get_object (batch) : NULL;
  store_id = object != NULL ? json_object_get_string_member_with_default (object, "store_id",
                                                                           NULL) : NULL;
  till_id = object != NULL ? json_object_get_string_member_with_default (object, "till_id",
                                                                          NULL) : NULL;
  tables_object = object != NULL && json_object_has_member (object, "tables")
                  && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "tables"))
                    ? json_object_get_object_member (object, "tables") : NULL;
  if (tables_object == NULL)
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                   _("The batch is not {\"store_id\", \"till_id\", \"tables\": {…}}"));
      return FALSE;
    }
  names = json_object_get_members (tables_object);
  for (GList *l = names; l != NULL; l = l->next)
    if (till_hq_table_from_name (l->data) < 0
        || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (tables_object, l->data)))
      {
        g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID,
                     _("The batch has an unknown table “%s” (or its rows are not a list)"),
                     (const char *) l->data);
        return FALSE;
      }

  if (!begin (self, error) || !note_till (self, store_id, till_id, error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (batch_order); i++)
    {
      const char *name = tables[batch_order[i]].name;

      if (json_object_has_member (tables_object, name)
          && !upsert_table (self, store_id, till_id, batch_order[i],
                            json_object_get_array_member (tables_object, name), &result,
                            error))
        goto failed;
    }
  if (!commit (self, error))
    goto failed;
  g_debug ("Head office: batch of %s/%s: %u rows, %u changed", store_id, till_id,
           result.n_rows, result.n_changed);
  if (stats != NULL)
    *stats = result;
  return TRUE;

failed:
  _till_hq_rollback (self);
  return FALSE;
}

gboolean
till_hq_upsert_batch_json (TillHq            *self,
                           const char        *json,
                           TillHqUpsertStats *stats,
                           GError           **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_auto(Split) split = { NULL };
  TillHqUpsertStats result = { 0 };

  g_return_val_if_fail (TILL_IS_HQ (self), FALSE);

  if (json != NULL && split_batch (json, &split))
    {
      if (!begin (self, error) || !note_till (self, split.store_id, split.till_id, error))
        goto failed;
      for (guint i = 0; i < G_N_ELEMENTS (batch_order); i++)
        {
          TillHqTable t = batch_order[i];
          g_autofree char *rows = NULL;

          if (split.start[t] == NULL || split.n_rows[t] == 0)
            continue;
          rows = g_strndup (split.start[t], split.length[t]);
          if (!upsert_table_text (self, split.store_id, split.till_id, t, rows,
                                  split.n_rows[t], &result, error))
            goto failed;
        }
      if (!commit (self, error))
        goto failed;
      g_debug ("Head office: batch of %s/%s: %u rows, %u changed", split.store_id,
               split.till_id, result.n_rows, result.n_changed);
      if (stats != NULL)
        *stats = result;
      return TRUE;

    failed:
      _till_hq_rollback (self);
      return FALSE;
    }

  parser = json_parser_new ();
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, TILL_HQ_ERROR, TILL_HQ_ERROR_INVALID, _("The batch is not JSON: %s"),
                   parse_error != NULL ? parse_error->message : "NULL");
      return FALSE;
    }
  return till_hq_upsert_batch (self, json_parser_get_root (parser), stats, error);
}
