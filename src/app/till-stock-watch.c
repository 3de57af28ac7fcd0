/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The count of products low on stock, kept fresh off the UI thread. */
#define G_LOG_DOMAIN "till-app"

#include "config.h"

#include <gio/gio.h>

#include "till-stock-watch.h"
#include "till-store-stock.h"

#define REFRESH_SECONDS 60
/* The first count waits this long: on a shop's catalog it reads every product (a second
 * or more of the store thread), which need not compete with the till's start. */
#define FIRST_COUNT_MS  3000

struct _TillStockWatch
{
  GObject       parent_instance;
  TillStore    *store;
  GCancellable *cancellable;
  guint         timeout_id;
  guint         first_id;
  guint         low_count;
};

G_DEFINE_FINAL_TYPE (TillStockWatch, till_stock_watch, G_TYPE_OBJECT)

enum { PROP_0, PROP_LOW_COUNT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
till_stock_watch_dispose (GObject *object)
{
  TillStockWatch *self = TILL_STOCK_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->first_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_stock_watch_parent_class)->dispose (object);
}

static void
till_stock_watch_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TillStockWatch *self = TILL_STOCK_WATCH (object);

  switch (prop_id)
    {
    case PROP_LOW_COUNT:
      g_value_set_uint (value, self->low_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_stock_watch_class_init (TillStockWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_stock_watch_dispose;
  object_class->get_property = till_stock_watch_get_property;
  properties[PROP_LOW_COUNT] =
    g_param_spec_uint ("low-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_stock_watch_init (TillStockWatch *self)
{
  self->cancellable = g_cancellable_new ();
}

static gpointer
count_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  gint64 n = till_store_low_stock_count (store, error);

  if (n < 0)
    return NULL;
  return g_memdup2 (&n, sizeof n);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillStockWatch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *n = till_store_run_finish (TILL_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n == NULL)
    {
      g_warning ("The products low on stock could not be counted: %s", error->message);
      return;
    }
  if (self->low_count == (guint) *n)
    return;
  self->low_count = (guint) *n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOW_COUNT]);
}

void
till_stock_watch_refresh (TillStockWatch *self)
{
  g_return_if_fail (TILL_IS_STOCK_WATCH (self));
  /* Before the first count nothing is owed: it will read what is there then. */
  if (self->first_id != 0)
    return;
  till_store_run_async (self->store, count_job, NULL, NULL, g_free, self->cancellable,
                        count_cb, g_object_ref (self));
}

static gboolean
timeout_cb (gpointer data)
{
  till_stock_watch_refresh (TILL_STOCK_WATCH (data));
  return G_SOURCE_CONTINUE;
}

static gboolean
first_count_cb (gpointer data)
{
  TillStockWatch *self = data;

  self->first_id = 0;
  till_stock_watch_refresh (self);
  return G_SOURCE_REMOVE;
}

TillStockWatch *
till_stock_watch_new (TillStore *store)
{
  TillStockWatch *self;

  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  self = g_object_new (TILL_TYPE_STOCK_WATCH, NULL);
  self->store = g_object_ref (store);
  self->timeout_id = g_timeout_add_seconds (REFRESH_SECONDS, timeout_cb, self);
  self->first_id = g_timeout_add (FIRST_COUNT_MS, first_count_cb, self);
  return self;
}

guint
till_stock_watch_get_low_count (TillStockWatch *self)
{
  g_return_val_if_fail (TILL_IS_STOCK_WATCH (self), 0);
  return self->low_count;
}
