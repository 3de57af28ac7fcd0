/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductEditor: loads, checks and saves one product for the products window. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-money.h"
#include "till-report.h"
#include "till-product-editor.h"
#include "till-store-product-stock.h"
#include "till-store-products.h"

struct _TillProductEditor
{
  GObject parent_instance;

  TillStore *store;
  gint64 max_price_fen;
  char *actor;

  gint64 product_id;
  guint busy;

  char *barcode;
  char *plu;
  char *name;
  char *price_text;
  char *unit;
  gint64 category_id;
  gboolean open_price;
  gboolean active;
  gboolean weighed;

  gboolean track_stock;
  char *min_text;
  char *cost_text;
  gint64 level_milli;
  GPtrArray *moves;   /* TillStockMove*, newest first */
  GPtrArray *history; /* TillPriceChange*, newest first */
};

G_DEFINE_FINAL_TYPE (TillProductEditor, till_product_editor, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PRODUCT_ID,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_LOADED,
  SIGNAL_STOCK_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
till_product_editor_finalize (GObject *object)
{
  TillProductEditor *self = TILL_PRODUCT_EDITOR (object);

  g_clear_object (&self->store);
  g_free (self->actor);
  g_free (self->barcode);
  g_free (self->plu);
  g_free (self->name);
  g_free (self->price_text);
  g_free (self->unit);
  g_free (self->min_text);
  g_free (self->cost_text);
  g_clear_pointer (&self->moves, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  G_OBJECT_CLASS (till_product_editor_parent_class)->finalize (object);
}

static void
till_product_editor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TillProductEditor *self = TILL_PRODUCT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_PRODUCT_ID:
      g_value_set_int64 (value, self->product_id);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_product_editor_class_init (TillProductEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = till_product_editor_finalize;
  object_class->get_property = till_product_editor_get_property;

  properties[PROP_PRODUCT_ID]
      = g_param_spec_int64 ("product-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STOCK_CHANGED]
      = g_signal_new ("stock-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
till_product_editor_init (TillProductEditor *self)
{
  self->active = TRUE;
  self->unit = g_strdup ("件");
  self->barcode = g_strdup ("");
  self->plu = g_strdup ("");
  self->name = g_strdup ("");
  self->price_text = g_strdup ("");
  self->min_text = g_strdup ("");
  self->cost_text = g_strdup ("");
  self->moves = g_ptr_array_new_with_free_func ((GDestroyNotify)till_stock_move_free);
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify)till_price_change_free);
}

TillProductEditor *
till_product_editor_new (TillStore *store, gint64 max_price_fen, const char *actor)
{
  TillProductEditor *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);

  self = g_object_new (TILL_TYPE_PRODUCT_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->max_price_fen = max_price_fen > 0 ? max_price_fen : TILL_STORE_DEFAULT_MAX_PRICE_FEN;
  self->max_price_fen = MIN (self->max_price_fen, TILL_STORE_PRICE_CEILING_FEN);
  self->actor = g_strdup (actor != NULL && *actor != '\0' ? actor : "?");
  return self;
}

TillStore *
till_product_editor_get_store (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), NULL);
  return self->store;
}

gint64
till_product_editor_get_product_id (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), 0);
  return self->product_id;
}

gboolean
till_product_editor_get_busy (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), FALSE);
  return self->busy > 0;
}

gint64
till_product_editor_get_max_price_fen (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), 0);
  return self->max_price_fen;
}

static void
set_product_id (TillProductEditor *self, gint64 id)
{
  if (self->product_id == id)
    return;
  self->product_id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCT_ID]);
}

static void
busy_change (TillProductEditor *self, int delta)
{
  gboolean was = self->busy > 0;

  self->busy += delta;
  if (was != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_text (char **field, const char *text)
{
  g_free (*field);
  *field = g_strdup (text != NULL ? text : "");
}

static void
fill_from (TillProductEditor *self, const TillProduct *product, gint64 category_id)
{
  set_text (&self->barcode, product->barcode);
  set_text (&self->plu, product->plu);
  set_text (&self->name, product->name);
  g_free (self->price_text);
  self->price_text = till_money_format_plain (product->price_fen);
  set_text (&self->unit, product->unit);
  self->category_id = category_id;
  self->open_price = product->open_price;
  self->active = product->active;
  self->weighed = product->weighed;
}

void
till_product_editor_start_new (TillProductEditor *self, const char *barcode)
{
  TillProduct blank = { 0 };

  g_return_if_fail (TILL_IS_PRODUCT_EDITOR (self));

  blank.barcode = (char *)barcode;
  blank.unit = (char *)"件";
  blank.active = TRUE;
  fill_from (self, &blank, 0);
  set_text (&self->price_text, "");
  self->track_stock = FALSE;
  set_text (&self->min_text, "");
  set_text (&self->cost_text, "");
  self->level_milli = 0;
  g_ptr_array_set_size (self->moves, 0);
  g_ptr_array_set_size (self->history, 0);
  set_product_id (self, 0);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
  g_signal_emit (self, signals[SIGNAL_STOCK_CHANGED], 0);
}

/* ---- load ---------------------------------------------------------------------------- */

typedef struct
{
  TillProduct *product;
  gint64 category_id;
  TillProductStock stock;
  GPtrArray *moves;
  GPtrArray *history;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  till_product_free (loaded->product);
  g_clear_pointer (&loaded->moves, g_ptr_array_unref);
  g_clear_pointer (&loaded->history, g_ptr_array_unref);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

/* The product's stock fields, latest moves and price history (newest first). Store thread. */
static gboolean
read_details (TillStore *store, gint64 product_id, Loaded *loaded, GError **error)
{
  if (!till_store_get_product_stock (store, product_id, &loaded->stock, error))
    return FALSE;
  loaded->moves
      = till_store_list_stock_moves (store, product_id, TILL_PRODUCT_EDITOR_MAX_MOVES, error);
  if (loaded->moves == NULL)
    return FALSE;
  loaded->history = till_store_list_price_history (store, product_id, error);
  if (loaded->history == NULL)
    return FALSE;
  for (guint i = 0, j = loaded->history->len; i + 1 < j; i++, j--)
    {
      gpointer change = loaded->history->pdata[i];

      loaded->history->pdata[i] = loaded->history->pdata[j - 1];
      loaded->history->pdata[j - 1] = change;
    }
  return TRUE;
}

static gpointer
load_job (TillStore *store, gpointer data, GError **error)
{
  gint64 category_id = 0;
  TillProduct *product = till_store_get_product (store, *(gint64 *)data, &category_id, error);
  g_autoptr (Loaded) loaded = NULL;

  if (product == NULL)
    return NULL;
  loaded = g_new0 (Loaded, 1);
  loaded->product = product;
  loaded->category_id = category_id;
  if (!read_details (store, product->id, loaded, error))
    return NULL;
  return g_steal_pointer (&loaded);
}

/* The details read: the stock fields as loaded, the level, moves and history. */
static void
take_details (TillProductEditor *self, Loaded *loaded, gboolean fields)
{
  if (fields)
    {
      self->track_stock = loaded->stock.track_stock;
      g_free (self->min_text);
      self->min_text = till_report_format_qty (loaded->stock.min_stock_milli);
      g_free (self->cost_text);
      self->cost_text = loaded->stock.cost_fen >= 0
                            ? till_money_format_plain (loaded->stock.cost_fen)
                            : g_strdup ("");
    }
  self->level_milli = loaded->stock.level_milli;
  g_ptr_array_unref (self->moves);
  self->moves = g_steal_pointer (&loaded->moves);
  g_ptr_array_unref (self->history);
  self->history = g_steal_pointer (&loaded->history);
}

static void
load_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillProductEditor *self = g_task_get_source_object (task);
  GError *error = NULL;
  Loaded *loaded = till_store_run_finish (TILL_STORE (object), result, &error);

  busy_change (self, -1);
  if (loaded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  fill_from (self, loaded->product, loaded->category_id);
  take_details (self, loaded, TRUE);
  set_product_id (self, loaded->product->id);
  loaded_free (loaded);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
  g_signal_emit (self, signals[SIGNAL_STOCK_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

void
till_product_editor_load_async (TillProductEditor *self, gint64 product_id,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_PRODUCT_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_product_editor_load_async);
  busy_change (self, +1);
  till_store_run_async (self->store, load_job, g_memdup2 (&product_id, sizeof product_id), g_free,
                        loaded_free, cancellable, load_cb, task);
}

gboolean
till_product_editor_load_finish (TillProductEditor *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- fields -------------------------------------------------------------------------- */

#define TEXT_FIELD(field)                                                                          \
  const char *till_product_editor_get_##field (TillProductEditor *self)                            \
  {                                                                                                \
    g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), NULL);                                    \
    return self->field;                                                                            \
  }                                                                                                \
  void till_product_editor_set_##field (TillProductEditor *self, const char *text)                 \
  {                                                                                                \
    g_return_if_fail (TILL_IS_PRODUCT_EDITOR (self));                                              \
    set_text (&self->field, text);                                                                 \
  }

TEXT_FIELD (barcode)
TEXT_FIELD (plu)
TEXT_FIELD (name)
TEXT_FIELD (price_text)
TEXT_FIELD (unit)
TEXT_FIELD (cost_text)

const char *
till_product_editor_get_min_stock_text (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), NULL);
  return self->min_text;
}

void
till_product_editor_set_min_stock_text (TillProductEditor *self, const char *text)
{
  g_return_if_fail (TILL_IS_PRODUCT_EDITOR (self));
  set_text (&self->min_text, text);
}

gint64
till_product_editor_get_level_milli (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), 0);
  return self->level_milli;
}

GPtrArray *
till_product_editor_get_stock_moves (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), NULL);
  return self->moves;
}

GPtrArray *
till_product_editor_get_price_history (TillProductEditor *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), NULL);
  return self->history;
}

#define FLAG_FIELD(type, field)                                                                    \
  type till_product_editor_get_##field (TillProductEditor *self)                                   \
  {                                                                                                \
    g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), 0);                                       \
    return self->field;                                                                            \
  }                                                                                                \
  void till_product_editor_set_##field (TillProductEditor *self, type value)                       \
  {                                                                                                \
    g_return_if_fail (TILL_IS_PRODUCT_EDITOR (self));                                              \
    self->field = value;                                                                           \
  }

FLAG_FIELD (gint64, category_id)
FLAG_FIELD (gboolean, open_price)
FLAG_FIELD (gboolean, active)
FLAG_FIELD (gboolean, weighed)
FLAG_FIELD (gboolean, track_stock)

/* ---- validate and save --------------------------------------------------------------- */

static char *
stripped (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

/* A quantity of at most three decimals ("12", "0.5", "-1"), in thousandths. */
static gboolean
parse_quantity (const char *text, gint64 *out_milli)
{
  const char *p = text;
  gint64 whole = 0, fraction = 0;
  int n_whole = 0, n_fraction = 0;
  gboolean negative = *p == '-';

  if (negative)
    p++;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (++n_whole > 12)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      {
        if (++n_fraction > 3)
          return FALSE;
        fraction = fraction * 10 + (*p - '0');
      }
  if (*p != '\0' || (n_whole == 0 && n_fraction == 0))
    return FALSE;
  for (; n_fraction < 3; n_fraction++)
    fraction *= 10;
  *out_milli = (negative ? -1 : 1) * (whole * 1000 + fraction);
  return TRUE;
}

gboolean
till_product_editor_validate_stock (TillProductEditor *self, gboolean *out_track,
                                    gint64 *out_min_milli, gint64 *out_cost_fen, GError **error)
{
  g_autofree char *min_text = NULL;
  g_autofree char *cost_text = NULL;
  g_autoptr (GError) parse_error = NULL;
  gint64 min = 0, cost = -1;

  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), FALSE);

  min_text = stripped (self->min_text);
  cost_text = stripped (self->cost_text);
  if (*min_text != '\0' && !parse_quantity (min_text, &min))
    {
      g_message ("Minimum stock refused: %s", min_text);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("“%s” is not a quantity (write it as 12 or 0.5)"), min_text);
      return FALSE;
    }
  if (min < 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The minimum stock cannot be below zero"));
      return FALSE;
    }
  if (*cost_text != '\0' && !till_money_parse (cost_text, &cost, &parse_error))
    {
      g_message ("Cost refused: %s", parse_error->message);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("“%s” is not a cost (write it as 8.50)"), cost_text);
      return FALSE;
    }
  if (*cost_text != '\0' && (cost < 0 || cost > TILL_STORE_PRICE_CEILING_FEN))
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The cost must be from 0 to 99,999,999.99"));
      return FALSE;
    }
  if (out_track != NULL)
    *out_track = self->track_stock;
  if (out_min_milli != NULL)
    *out_min_milli = min;
  if (out_cost_fen != NULL)
    *out_cost_fen = cost;
  return TRUE;
}

TillProduct *
till_product_editor_validate (TillProductEditor *self, GError **error)
{
  g_autoptr (TillProduct) product = g_new0 (TillProduct, 1);
  g_autofree char *price = NULL;
  g_autoptr (GError) parse_error = NULL;

  g_return_val_if_fail (TILL_IS_PRODUCT_EDITOR (self), NULL);

  product->id = self->product_id;
  product->barcode = stripped (self->barcode);
  product->plu = stripped (self->plu);
  product->name = stripped (self->name);
  product->unit = stripped (self->unit);
  product->open_price = self->open_price;
  product->active = self->active;
  product->weighed = self->weighed;
  price = stripped (self->price_text);

  if (*product->name == '\0')
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The product needs a name"));
      return NULL;
    }
  if (*product->barcode == '\0' && *product->plu == '\0')
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The product needs a barcode or a code (PLU)"));
      return NULL;
    }
  /* A product priced at the till may keep ¥0.00 as its catalog price. */
  if (*price == '\0' && self->open_price)
    product->price_fen = 0;
  else if (!till_money_parse (price, &product->price_fen, &parse_error))
    {
      g_message ("Product price refused: %s", parse_error->message);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("“%s” is not a price (write it as 12.50)"), price);
      return NULL;
    }
  if (product->price_fen < 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("The price cannot be negative"));
      return NULL;
    }
  if (product->price_fen > self->max_price_fen)
    {
      g_autofree char *given = till_money_format (product->price_fen);
      g_autofree char *ceiling = till_money_format (self->max_price_fen);

      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                   _ ("The price %s is above the highest price a product can have (%s)"), given,
                   ceiling);
      return NULL;
    }
  if (*product->unit == '\0')
    set_text (&product->unit, self->weighed ? "kg" : "件");
  /* The till weighs in kg and prices weighed goods per kg (the scale's labels too). */
  if (self->weighed && g_ascii_strcasecmp (product->unit, "kg") != 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                           _ ("Goods sold by weight are priced per kg: the unit must be kg"));
      return NULL;
    }
  if (!till_product_editor_validate_stock (self, NULL, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&product);
}

typedef struct
{
  TillProduct *product;
  gint64 category_id;
  gint64 max_price_fen;
  char *actor;
  gboolean track_stock;
  gint64 min_stock_milli;
  gint64 cost_fen;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  till_product_free (save->product);
  g_free (save->actor);
  g_free (save);
}

static gpointer
save_job (TillStore *store, gpointer data, GError **error)
{
  SaveData *save = data;
  /* The product and its stock fields in one transaction: no stock move. */
  gint64 id = till_store_save_product_with_stock (
      store, save->product, save->category_id, save->max_price_fen, save->actor, save->track_stock,
      save->min_stock_milli, save->cost_fen, error);
  g_autoptr (Loaded) saved = NULL;

  if (id == 0)
    return NULL;
  saved = g_new0 (Loaded, 1);
  saved->product = till_product_copy (save->product);
  saved->product->id = id;
  if (!read_details (store, id, saved, error))
    return NULL;
  return g_steal_pointer (&saved);
}

static void
save_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TillProductEditor *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr (Loaded) saved = till_store_run_finish (TILL_STORE (object), result, &error);
  gint64 id;

  busy_change (self, -1);
  if (saved == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = saved->product->id;
  take_details (self, saved, FALSE);
  set_product_id (self, id);
  g_signal_emit (self, signals[SIGNAL_STOCK_CHANGED], 0);
  g_task_return_int (task, id);
}

void
till_product_editor_save_async (TillProductEditor *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  SaveData *save;
  TillProduct *product;

  g_return_if_fail (TILL_IS_PRODUCT_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_product_editor_save_async);
  product = till_product_editor_validate (self, &error);
  if (product == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  save = g_new0 (SaveData, 1);
  save->product = product;
  save->category_id = self->category_id;
  save->max_price_fen = self->max_price_fen;
  save->actor = g_strdup (self->actor);
  /* checked by the validation above */
  till_product_editor_validate_stock (self, &save->track_stock, &save->min_stock_milli,
                                      &save->cost_fen, NULL);
  busy_change (self, +1);
  till_store_run_async (self->store, save_job, save, save_data_free, loaded_free, cancellable,
                        save_cb, g_steal_pointer (&task));
}

gint64
till_product_editor_save_finish (TillProductEditor *self, GAsyncResult *result, GError **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  id = g_task_propagate_int (G_TASK (result), error);
  return id < 0 ? 0 : (gint64)id;
}
