/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillStocktakeDraft: a stocktake being counted; commits one stocktake. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <glib/gi18n.h>

#include "till-stock-item.h"
#include "till-stock-qty.h"
#include "till-store-stock-entry.h"
#include "till-store-stock.h"
#include "till-stocktake-draft.h"

struct _TillStocktakeDraft
{
  GObject parent_instance;

  TillStore *store;
  char *who;
  GPtrArray *lines; /* TillStocktakeDraftLine* */
  gint64 booked_id;
  guint busy;
};

G_DEFINE_FINAL_TYPE (TillStocktakeDraft, till_stocktake_draft, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_N_LINES,
  PROP_BUSY,
  PROP_BOOKED_ID,
  PROP_UNSAVED,
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
  TillStocktakeDraftLine *line = data;

  g_free (line->name);
  g_free (line->unit);
  g_free (line->counted_text);
  g_free (line);
}

static TillStocktakeDraftLine *
line_at (TillStocktakeDraft *self, guint index)
{
  return g_ptr_array_index (self->lines, index);
}

static void
lines_changed (TillStocktakeDraft *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LINES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSAVED]);
  g_signal_emit (self, signals[LINES_CHANGED], 0);
}

/* After a booked stocktake, the next change starts a new count. */
static void
leave_booked (TillStocktakeDraft *self)
{
  if (self->booked_id == 0)
    return;
  self->booked_id = 0;
  g_ptr_array_set_size (self->lines, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKED_ID]);
  lines_changed (self);
}

gboolean
till_stocktake_draft_line_values (TillStocktakeDraft *self, guint index, gint64 *out_counted_milli,
                                  gint64 *out_variance_milli, GError **error)
{
  TillStocktakeDraftLine *line;
  g_autoptr (GError) local_error = NULL;
  gint64 counted = 0;

  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), FALSE);
  g_return_val_if_fail (index < self->lines->len, FALSE);

  line = line_at (self, index);
  if (line->counted_text[0] == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   line->weighed ? _ ("%s: enter the weight counted (kg)")
                                 : _ ("%s: enter the quantity counted"),
                   line->name);
      return FALSE;
    }
  if (!till_stock_qty_parse (line->counted_text, line->weighed, TRUE, &counted, &local_error))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT, "%s: %s", line->name,
                   local_error->message);
      return FALSE;
    }
  if (out_counted_milli != NULL)
    *out_counted_milli = counted;
  if (out_variance_milli != NULL)
    *out_variance_milli
        = self->booked_id != 0 ? line->booked_variance_milli : counted - line->expected_milli;
  return TRUE;
}

/* ---- adding ---- */

static int
add_item (TillStocktakeDraft *self, const TillStockItem *item)
{
  TillStocktakeDraftLine *line;

  leave_booked (self);
  for (guint i = 0; i < self->lines->len; i++)
    {
      gint64 counted = 0;

      line = line_at (self, i);
      if (line->product_id != item->product->id)
        continue;
      /* Scanned again: one more piece. A weight is typed, never counted by scans. */
      if (!line->weighed && till_stock_qty_parse (line->counted_text, FALSE, TRUE, &counted, NULL))
        {
          g_free (line->counted_text);
          line->counted_text = till_stock_qty_format (counted + 1000);
          g_signal_emit (self, signals[LINE_CHANGED], 0, i);
        }
      return (int)i;
    }
  line = g_new0 (TillStocktakeDraftLine, 1);
  line->product_id = item->product->id;
  line->name = g_strdup (item->product->name);
  line->unit = g_strdup (item->product->unit != NULL ? item->product->unit : "");
  line->weighed = item->product->weighed;
  line->counted_text = g_strdup (line->weighed ? "" : "1");
  line->expected_milli = item->level_milli;
  g_ptr_array_add (self->lines, line);
  lines_changed (self);
  return (int)self->lines->len - 1;
}

static void
added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillStocktakeDraft *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStockItem) item = till_stock_item_lookup_finish (TILL_STORE (object), result,
                                                                  &error);

  if (item == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, add_item (self, item));
}

void
till_stocktake_draft_add_async (TillStocktakeDraft *self, const char *code, gint64 product_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TILL_IS_STOCKTAKE_DRAFT (self));
  g_return_if_fail (code != NULL || product_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_stocktake_draft_add_async);
  till_stock_item_lookup_async (self->store, code, product_id, cancellable, added_cb,
                                g_steal_pointer (&task));
}

int
till_stocktake_draft_add_finish (TillStocktakeDraft *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int)g_task_propagate_int (G_TASK (result), error);
}

/* ---- editing ---- */

void
till_stocktake_draft_set_counted_text (TillStocktakeDraft *self, guint index, const char *text)
{
  TillStocktakeDraftLine *line;
  g_autofree char *copy = NULL;

  g_return_if_fail (TILL_IS_STOCKTAKE_DRAFT (self));
  g_return_if_fail (index < self->lines->len);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  line = line_at (self, index);
  if (g_strcmp0 (line->counted_text, copy) == 0)
    return;
  g_free (line->counted_text);
  line->counted_text = g_steal_pointer (&copy);
}

void
till_stocktake_draft_remove_line (TillStocktakeDraft *self, guint index)
{
  g_return_if_fail (TILL_IS_STOCKTAKE_DRAFT (self));
  g_return_if_fail (index < self->lines->len);

  g_ptr_array_remove_index (self->lines, index);
  lines_changed (self);
}

void
till_stocktake_draft_clear (TillStocktakeDraft *self)
{
  g_return_if_fail (TILL_IS_STOCKTAKE_DRAFT (self));

  if (self->booked_id != 0)
    {
      leave_booked (self);
      return;
    }
  g_ptr_array_set_size (self->lines, 0);
  lines_changed (self);
}

/* ---- validating and committing ---- */

GArray *
till_stocktake_draft_validate (TillStocktakeDraft *self, GError **error)
{
  g_autoptr (GArray) lines = NULL;

  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), NULL);

  if (self->booked_id != 0 || self->lines->len == 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("Count some goods first"));
      return NULL;
    }
  lines = g_array_sized_new (FALSE, TRUE, sizeof (TillCountLine), self->lines->len);
  for (guint i = 0; i < self->lines->len; i++)
    {
      TillCountLine out = { line_at (self, i)->product_id, 0 };

      if (!till_stocktake_draft_line_values (self, i, &out.counted_milli, NULL, error))
        return NULL;
      g_array_append_val (lines, out);
    }
  return g_steal_pointer (&lines);
}

typedef struct
{
  GArray *lines;
  char *who;
  char *approved_by;
} CommitJob;

typedef struct
{
  gint64 id;
  GArray *results; /* TillStocktakeResult */
} CommitResult;

static void
commit_job_free (gpointer data)
{
  CommitJob *job = data;

  g_array_unref (job->lines);
  g_free (job->who);
  g_free (job->approved_by);
  g_free (job);
}

static void
commit_result_free (gpointer data)
{
  CommitResult *result = data;

  g_clear_pointer (&result->results, g_array_unref);
  g_free (result);
}

static gpointer
commit_job (TillStore *store, gpointer data, GError **error)
{
  CommitJob *job = data;
  g_autoptr (GError) local_error = NULL;
  CommitResult *result;
  gint64 id
      = till_store_stocktake (store, job->who, job->approved_by,
                              (const TillCountLine *)job->lines->data, job->lines->len, error);

  if (id == 0)
    return NULL;
  result = g_new0 (CommitResult, 1);
  result->id = id;
  /* Booked either way; without the stored lines the draft's own figures stay. */
  result->results = till_store_list_stocktake_results (store, id, &local_error);
  if (result->results == NULL)
    g_warning ("Stocktake %" G_GINT64_FORMAT " booked, its lines not read: %s", id,
               local_error->message);
  return result;
}

static void
committed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillStocktakeDraft *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  CommitResult *booked = till_store_run_finish (TILL_STORE (object), result, &error);

  self->busy = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (booked == NULL)
    {
      g_message ("Stocktake not booked: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < self->lines->len; i++)
    {
      TillStocktakeDraftLine *line = line_at (self, i);
      gint64 counted = 0;

      till_stocktake_draft_line_values (self, i, &counted, NULL, NULL);
      line->booked_variance_milli = counted - line->expected_milli;
      for (guint j = 0; booked->results != NULL && j < booked->results->len; j++)
        {
          TillStocktakeResult *r = &g_array_index (booked->results, TillStocktakeResult, j);

          if (r->product_id == line->product_id)
            {
              line->expected_milli = r->expected_milli;
              line->booked_variance_milli = r->variance_milli;
            }
        }
    }
  self->booked_id = booked->id;
  commit_result_free (booked);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOKED_ID]);
  lines_changed (self);
  g_task_return_int (task, self->booked_id);
}

void
till_stocktake_draft_commit_async (TillStocktakeDraft *self, const char *approved_by,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) lines = NULL;
  CommitJob *job;

  g_return_if_fail (TILL_IS_STOCKTAKE_DRAFT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_stocktake_draft_commit_async);
  if (self->busy > 0)
    {
      g_task_return_new_error (task, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                               _ ("The stocktake is being booked"));
      return;
    }
  lines = till_stocktake_draft_validate (self, &error);
  if (lines == NULL)
    {
      g_message ("Stocktake refused: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (CommitJob, 1);
  job->lines = g_steal_pointer (&lines);
  job->who = g_strdup (self->who);
  job->approved_by = g_strdup (approved_by != NULL ? approved_by : "");
  self->busy = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  till_store_run_async (self->store, commit_job, job, commit_job_free, commit_result_free,
                        cancellable, committed_cb, g_steal_pointer (&task));
}

gint64
till_stocktake_draft_commit_finish (TillStocktakeDraft *self, GAsyncResult *result, GError **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  id = g_task_propagate_int (G_TASK (result), error);
  return id < 0 ? 0 : id;
}

/* ---- accessors ---- */

void
till_stocktake_draft_set_who (TillStocktakeDraft *self, const char *who)
{
  g_return_if_fail (TILL_IS_STOCKTAKE_DRAFT (self));
  g_return_if_fail (who != NULL && *who != '\0');

  g_free (self->who);
  self->who = g_strdup (who);
}

guint
till_stocktake_draft_get_n_lines (TillStocktakeDraft *self)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), 0);
  return self->lines->len;
}

const TillStocktakeDraftLine *
till_stocktake_draft_get_line (TillStocktakeDraft *self, guint index)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);
  return line_at (self, index);
}

gboolean
till_stocktake_draft_get_busy (TillStocktakeDraft *self)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), FALSE);
  return self->busy > 0;
}

gint64
till_stocktake_draft_get_booked_id (TillStocktakeDraft *self)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), 0);
  return self->booked_id;
}

gboolean
till_stocktake_draft_get_unsaved (TillStocktakeDraft *self)
{
  g_return_val_if_fail (TILL_IS_STOCKTAKE_DRAFT (self), FALSE);
  return self->booked_id == 0 && self->lines->len > 0;
}

/* ---- GObject ---- */

static void
till_stocktake_draft_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TillStocktakeDraft *self = TILL_STOCKTAKE_DRAFT (object);

  switch (prop_id)
    {
    case PROP_N_LINES:
      g_value_set_uint (value, self->lines->len);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    case PROP_BOOKED_ID:
      g_value_set_int64 (value, self->booked_id);
      break;
    case PROP_UNSAVED:
      g_value_set_boolean (value, till_stocktake_draft_get_unsaved (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_stocktake_draft_dispose (GObject *object)
{
  TillStocktakeDraft *self = TILL_STOCKTAKE_DRAFT (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_stocktake_draft_parent_class)->dispose (object);
}

static void
till_stocktake_draft_finalize (GObject *object)
{
  TillStocktakeDraft *self = TILL_STOCKTAKE_DRAFT (object);

  g_free (self->who);
  g_ptr_array_unref (self->lines);
  G_OBJECT_CLASS (till_stocktake_draft_parent_class)->finalize (object);
}

static void
till_stocktake_draft_class_init (TillStocktakeDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = till_stocktake_draft_get_property;
  object_class->dispose = till_stocktake_draft_dispose;
  object_class->finalize = till_stocktake_draft_finalize;

  properties[PROP_N_LINES] = g_param_spec_uint ("n-lines", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BOOKED_ID] = g_param_spec_int64 ("booked-id", NULL, NULL, 0, G_MAXINT64, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNSAVED] = g_param_spec_boolean ("unsaved", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LINES_CHANGED] = g_signal_new ("lines-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LINE_CHANGED]
      = g_signal_new ("line-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
till_stocktake_draft_init (TillStocktakeDraft *self)
{
  self->lines = g_ptr_array_new_with_free_func (line_free);
}

TillStocktakeDraft *
till_stocktake_draft_new (TillStore *store, const char *who)
{
  TillStocktakeDraft *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (who != NULL && *who != '\0', NULL);

  self = g_object_new (TILL_TYPE_STOCKTAKE_DRAFT, NULL);
  self->store = g_object_ref (store);
  self->who = g_strdup (who);
  return self;
}
