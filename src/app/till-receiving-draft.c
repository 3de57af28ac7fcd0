/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceivingDraft: a delivery of goods being entered; commits one receiving. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <glib/gi18n.h>

#include "till-money.h"
#include "till-receiving-draft.h"
#include "till-stock-item.h"
#include "till-stock-qty.h"
#include "till-store-stock-entry.h"
#include "till-store-stock.h"

#define N_RECENT_SUPPLIERS 8

struct _TillReceivingDraft
{
  GObject parent_instance;

  TillStore *store;
  char *who;
  char *supplier;
  GStrv suppliers;
  GPtrArray *lines; /* TillReceivingDraftLine* */
  gint64 total_fen;
  guint busy;
};

G_DEFINE_FINAL_TYPE (TillReceivingDraft, till_receiving_draft, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SUPPLIER,
  PROP_TOTAL_FEN,
  PROP_N_LINES,
  PROP_BUSY,
  PROP_SUPPLIERS,
  N_PROPS
};

enum
{
  LINES_CHANGED,
  LINE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
line_free (gpointer data)
{
  TillReceivingDraftLine *line = data;

  g_free (line->name);
  g_free (line->unit);
  g_free (line->qty_text);
  g_free (line->cost_text);
  g_free (line);
}

static TillReceivingDraftLine *
line_at (TillReceivingDraft *self, guint index)
{
  return g_ptr_array_index (self->lines, index);
}

/* ---- values and totals ---- */

gboolean
till_receiving_draft_line_values (TillReceivingDraft *self, guint index, gint64 *out_qty_milli,
                                  gint64 *out_cost_fen, gint64 *out_line_fen, GError **error)
{
  TillReceivingDraftLine *line;
  g_autoptr (GError) local_error = NULL;
  gint64 qty = 0;
  gint64 cost = 0;
  gint64 total = 0;

  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), FALSE);
  g_return_val_if_fail (index < self->lines->len, FALSE);

  line = line_at (self, index);
  if (line->qty_text[0] == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   line->weighed ? _ ("%s: enter the weight received (kg)")
                                 : _ ("%s: enter the quantity received"),
                   line->name);
      return FALSE;
    }
  if (!till_stock_qty_parse (line->qty_text, line->weighed, FALSE, &qty, &local_error))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT, "%s: %s", line->name,
                   local_error->message);
      return FALSE;
    }
  if (line->cost_text[0] == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("%s: enter the unit cost"), line->name);
      return FALSE;
    }
  if (!till_money_parse (line->cost_text, &cost, &local_error) || cost < 0
      || cost > TILL_STORE_PRICE_CEILING_FEN)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("%s: “%s” is not a cost (yuan, at most two decimals)"), line->name,
                   line->cost_text);
      return FALSE;
    }
  if (!till_money_multiply_qty (cost, qty, &total))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("%s: the amount is too large"), line->name);
      return FALSE;
    }
  if (out_qty_milli != NULL)
    *out_qty_milli = qty;
  if (out_cost_fen != NULL)
    *out_cost_fen = cost;
  if (out_line_fen != NULL)
    *out_line_fen = total;
  return TRUE;
}

static void
update_total (TillReceivingDraft *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      gint64 line_fen = 0;

      if (till_receiving_draft_line_values (self, i, NULL, NULL, &line_fen, NULL)
          && total <= G_MAXINT64 - line_fen)
        total += line_fen;
    }
  if (total != self->total_fen)
    {
      self->total_fen = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_FEN]);
    }
}

static void
lines_changed (TillReceivingDraft *self)
{
  update_total (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LINES]);
  g_signal_emit (self, signals[LINES_CHANGED], 0);
}

static void
set_busy (TillReceivingDraft *self, gboolean busy)
{
  gboolean was = self->busy > 0;

  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  if (was != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- recent suppliers ---- */

static gpointer
suppliers_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_list_recent_suppliers (store, N_RECENT_SUPPLIERS, error);
}

static void
suppliers_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillReceivingDraft) self = user_data;
  g_autoptr (GError) error = NULL;
  GStrv suppliers = till_store_run_finish (TILL_STORE (object), result, &error);

  if (suppliers == NULL)
    {
      g_warning ("Recent suppliers not read: %s", error->message);
      return;
    }
  g_strfreev (self->suppliers);
  self->suppliers = suppliers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUPPLIERS]);
}

static void
load_suppliers (TillReceivingDraft *self)
{
  till_store_run_async (self->store, suppliers_job, NULL, NULL, (GDestroyNotify)g_strfreev, NULL,
                        suppliers_loaded_cb, g_object_ref (self));
}

/* ---- adding ---- */

static int
add_item (TillReceivingDraft *self, const TillStockItem *item)
{
  TillReceivingDraftLine *line;

  for (guint i = 0; i < self->lines->len; i++)
    {
      gint64 qty = 0;

      line = line_at (self, i);
      if (line->product_id != item->product->id)
        continue;
      /* Scanned again: one more piece. A weight is typed, never counted by scans. */
      if (!line->weighed && till_stock_qty_parse (line->qty_text, FALSE, FALSE, &qty, NULL))
        {
          g_free (line->qty_text);
          line->qty_text = till_stock_qty_format (qty + 1000);
          update_total (self);
          g_signal_emit (self, signals[LINE_CHANGED], 0, i);
        }
      return (int)i;
    }
  line = g_new0 (TillReceivingDraftLine, 1);
  line->product_id = item->product->id;
  line->name = g_strdup (item->product->name);
  line->unit = g_strdup (item->product->unit != NULL ? item->product->unit : "");
  line->weighed = item->product->weighed;
  line->qty_text = g_strdup (line->weighed ? "" : "1");
  line->cost_text = item->cost_fen >= 0 ? till_money_format_plain (item->cost_fen) : g_strdup ("");
  g_ptr_array_add (self->lines, line);
  lines_changed (self);
  return (int)self->lines->len - 1;
}

static void
added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillReceivingDraft *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStockItem) item = till_stock_item_lookup_finish (TILL_STORE (object), result,
                                                                  &error);

  if (item == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, add_item (self, item));
}

void
till_receiving_draft_add_async (TillReceivingDraft *self, const char *code, gint64 product_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));
  g_return_if_fail (code != NULL || product_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_receiving_draft_add_async);
  till_stock_item_lookup_async (self->store, code, product_id, cancellable, added_cb,
                                g_steal_pointer (&task));
}

int
till_receiving_draft_add_finish (TillReceivingDraft *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int)g_task_propagate_int (G_TASK (result), error);
}

/* ---- editing ---- */

void
till_receiving_draft_set_qty_text (TillReceivingDraft *self, guint index, const char *text)
{
  TillReceivingDraftLine *line;

  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));
  g_return_if_fail (index < self->lines->len);

  line = line_at (self, index);
  g_free (line->qty_text);
  line->qty_text = g_strstrip (g_strdup (text != NULL ? text : ""));
  update_total (self);
}

void
till_receiving_draft_set_cost_text (TillReceivingDraft *self, guint index, const char *text)
{
  TillReceivingDraftLine *line;

  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));
  g_return_if_fail (index < self->lines->len);

  line = line_at (self, index);
  g_free (line->cost_text);
  line->cost_text = g_strstrip (g_strdup (text != NULL ? text : ""));
  update_total (self);
}

void
till_receiving_draft_remove_line (TillReceivingDraft *self, guint index)
{
  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));
  g_return_if_fail (index < self->lines->len);

  g_ptr_array_remove_index (self->lines, index);
  lines_changed (self);
}

void
till_receiving_draft_clear (TillReceivingDraft *self)
{
  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));

  g_ptr_array_set_size (self->lines, 0);
  till_receiving_draft_set_supplier (self, "");
  lines_changed (self);
}

/* ---- validating and committing ---- */

GArray *
till_receiving_draft_validate (TillReceivingDraft *self, GError **error)
{
  g_autoptr (GArray) lines = NULL;
  g_autofree char *supplier = NULL;

  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), NULL);

  supplier = g_strstrip (g_strdup (self->supplier));
  if (supplier[0] == '\0')
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("Enter the supplier"));
      return NULL;
    }
  if (self->lines->len == 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("Scan the goods received first"));
      return NULL;
    }
  lines = g_array_sized_new (FALSE, TRUE, sizeof (TillReceivingLine), self->lines->len);
  for (guint i = 0; i < self->lines->len; i++)
    {
      TillReceivingLine out = { line_at (self, i)->product_id, 0, 0 };

      if (!till_receiving_draft_line_values (self, i, &out.qty_milli, &out.cost_fen, NULL, error))
        return NULL;
      g_array_append_val (lines, out);
    }
  return g_steal_pointer (&lines);
}

typedef struct
{
  GArray *lines;
  char *supplier;
  char *who;
} CommitJob;

static void
commit_job_free (gpointer data)
{
  CommitJob *job = data;

  g_array_unref (job->lines);
  g_free (job->supplier);
  g_free (job->who);
  g_free (job);
}

static gpointer
commit_job (TillStore *store, gpointer data, GError **error)
{
  CommitJob *job = data;
  gint64 id
      = till_store_receive (store, job->supplier, job->who,
                            (const TillReceivingLine *)job->lines->data, job->lines->len, error);

  return id == 0 ? NULL : g_memdup2 (&id, sizeof id);
}

static void
committed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillReceivingDraft *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *id = till_store_run_finish (TILL_STORE (object), result, &error);

  set_busy (self, FALSE);
  if (id == NULL)
    {
      g_message ("Receiving not saved: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  till_receiving_draft_clear (self);
  load_suppliers (self);
  g_task_return_int (task, *id);
}

void
till_receiving_draft_commit_async (TillReceivingDraft *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) lines = NULL;
  CommitJob *job;

  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_receiving_draft_commit_async);
  if (self->busy > 0)
    {
      g_task_return_new_error (task, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                               _ ("The receiving is being saved"));
      return;
    }
  lines = till_receiving_draft_validate (self, &error);
  if (lines == NULL)
    {
      g_message ("Receiving refused: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (CommitJob, 1);
  job->lines = g_steal_pointer (&lines);
  job->supplier = g_strstrip (g_strdup (self->supplier));
  job->who = g_strdup (self->who);
  set_busy (self, TRUE);
  till_store_run_async (self->store, commit_job, job, commit_job_free, g_free, cancellable,
                        committed_cb, g_steal_pointer (&task));
}

gint64
till_receiving_draft_commit_finish (TillReceivingDraft *self, GAsyncResult *result, GError **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  id = g_task_propagate_int (G_TASK (result), error);
  return id < 0 ? 0 : id;
}

/* ---- accessors ---- */

const char *
till_receiving_draft_get_who (TillReceivingDraft *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), NULL);
  return self->who;
}

const char *
till_receiving_draft_get_supplier (TillReceivingDraft *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), NULL);
  return self->supplier;
}

void
till_receiving_draft_set_supplier (TillReceivingDraft *self, const char *supplier)
{
  g_return_if_fail (TILL_IS_RECEIVING_DRAFT (self));

  if (g_strcmp0 (self->supplier, supplier != NULL ? supplier : "") == 0)
    return;
  g_free (self->supplier);
  self->supplier = g_strdup (supplier != NULL ? supplier : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUPPLIER]);
}

const char *const *
till_receiving_draft_get_suppliers (TillReceivingDraft *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), none);
  return self->suppliers != NULL ? (const char *const *)self->suppliers : none;
}

guint
till_receiving_draft_get_n_lines (TillReceivingDraft *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), 0);
  return self->lines->len;
}

const TillReceivingDraftLine *
till_receiving_draft_get_line (TillReceivingDraft *self, guint index)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);
  return line_at (self, index);
}

gint64
till_receiving_draft_get_total_fen (TillReceivingDraft *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), 0);
  return self->total_fen;
}

gboolean
till_receiving_draft_get_busy (TillReceivingDraft *self)
{
  g_return_val_if_fail (TILL_IS_RECEIVING_DRAFT (self), FALSE);
  return self->busy > 0;
}

/* ---- GObject ---- */

static void
till_receiving_draft_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TillReceivingDraft *self = TILL_RECEIVING_DRAFT (object);

  switch (prop_id)
    {
    case PROP_SUPPLIER:
      g_value_set_string (value, self->supplier);
      break;
    case PROP_TOTAL_FEN:
      g_value_set_int64 (value, self->total_fen);
      break;
    case PROP_N_LINES:
      g_value_set_uint (value, self->lines->len);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    case PROP_SUPPLIERS:
      g_value_set_boxed (value, self->suppliers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_receiving_draft_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  TillReceivingDraft *self = TILL_RECEIVING_DRAFT (object);

  switch (prop_id)
    {
    case PROP_SUPPLIER:
      till_receiving_draft_set_supplier (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_receiving_draft_dispose (GObject *object)
{
  TillReceivingDraft *self = TILL_RECEIVING_DRAFT (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_receiving_draft_parent_class)->dispose (object);
}

static void
till_receiving_draft_finalize (GObject *object)
{
  TillReceivingDraft *self = TILL_RECEIVING_DRAFT (object);

  g_free (self->who);
  g_free (self->supplier);
  g_strfreev (self->suppliers);
  g_ptr_array_unref (self->lines);
  G_OBJECT_CLASS (till_receiving_draft_parent_class)->finalize (object);
}

static void
till_receiving_draft_class_init (TillReceivingDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = till_receiving_draft_get_property;
  object_class->set_property = till_receiving_draft_set_property;
  object_class->dispose = till_receiving_draft_dispose;
  object_class->finalize = till_receiving_draft_finalize;

  properties[PROP_SUPPLIER]
      = g_param_spec_string ("supplier", NULL, NULL, "",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_FEN] = g_param_spec_int64 ("total-fen", NULL, NULL, 0, G_MAXINT64, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_LINES] = g_param_spec_uint ("n-lines", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUPPLIERS] = g_param_spec_boxed ("suppliers", NULL, NULL, G_TYPE_STRV,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LINES_CHANGED] = g_signal_new ("lines-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LINE_CHANGED]
      = g_signal_new ("line-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
till_receiving_draft_init (TillReceivingDraft *self)
{
  self->lines = g_ptr_array_new_with_free_func (line_free);
  self->supplier = g_strdup ("");
}

TillReceivingDraft *
till_receiving_draft_new (TillStore *store, const char *who)
{
  TillReceivingDraft *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (who != NULL && *who != '\0', NULL);

  self = g_object_new (TILL_TYPE_RECEIVING_DRAFT, NULL);
  self->store = g_object_ref (store);
  self->who = g_strdup (who);
  load_suppliers (self);
  return self;
}
