/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductSearch: the query typed at the counter, debounced, answered on the store's
 * thread, stale answers dropped; the results and the chosen one. */
#define G_LOG_DOMAIN "till-search"
#include "config.h"

#include <glib/gi18n.h>

#include "till-product-search.h"

#define DEFAULT_DELAY_MS 120

struct _TillProductSearch
{
  GObject       parent_instance;

  TillCheckout *checkout;
  char         *query;        /* as typed */
  char         *answered;     /* the query the results answer */
  GPtrArray    *results;      /* TillSearchHit* */
  int           selected;
  guint         delay_ms;
  guint         debounce_id;
  guint         generation;   /* of the query typed last */
  GCancellable *cancellable;  /* of the request in flight */
  gboolean      in_flight;
};

G_DEFINE_FINAL_TYPE (TillProductSearch, till_product_search, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CHECKOUT,
  PROP_QUERY,
  PROP_SEARCHING,
  PROP_SELECTED,
  PROP_DELAY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_RESULTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  TillProductSearch *self;    /* a reference */
  guint              generation;
  char              *query;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request->query);
  g_free (request);
}

static void set_results (TillProductSearch *self,
                         const char        *answered,
                         GPtrArray         *results);

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Request *request = user_data;
  TillProductSearch *self = request->self;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = till_store_find_products_finish (TILL_STORE (source), result, &error);
  if (request->generation != self->generation
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The cashier typed on: a newer request is on its way (or the query is empty). */
      request_free (request);
      return;
    }
  self->in_flight = FALSE;
  g_clear_object (&self->cancellable);
  if (hits == NULL)
    {
      g_warning ("Product search failed: %s", error->message);
      hits = g_ptr_array_new_with_free_func ((GDestroyNotify) till_search_hit_free);
    }
  set_results (self, request->query, hits);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
  request_free (request);
}

static gboolean
debounce_cb (gpointer user_data)
{
  TillProductSearch *self = user_data;
  TillStore *store = till_context_get_store (till_checkout_get_context (self->checkout));
  Request *request;

  self->debounce_id = 0;
  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->generation = self->generation;
  request->query = g_strdup (self->query);
  self->cancellable = g_cancellable_new ();
  self->in_flight = TRUE;
  till_store_find_products_async (store, self->query, TILL_STORE_SEARCH_LIMIT,
                                  self->cancellable, found_cb, request);
  return G_SOURCE_REMOVE;
}

static void
set_results (TillProductSearch *self,
             const char        *answered,
             GPtrArray         *results)
{
  g_free (self->answered);
  self->answered = g_strdup (answered);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = g_ptr_array_ref (results);
  self->selected = results->len > 0 ? 0 : -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_signal_emit (self, signals[SIGNAL_RESULTS_CHANGED], 0);
}

void
till_product_search_set_query (TillProductSearch *self,
                               const char        *query)
{
  g_autofree char *norm = NULL;
  gboolean was_searching;

  g_return_if_fail (TILL_IS_PRODUCT_SEARCH (self));

  if (query == NULL)
    query = "";
  if (g_strcmp0 (self->query, query) == 0)
    return;
  was_searching = till_product_search_get_searching (self);
  g_free (self->query);
  self->query = g_strdup (query);
  self->generation++;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->in_flight = FALSE;

  norm = till_pinyin_normalize (query);
  if (*norm == '\0')
    {
      g_autoptr(GPtrArray) none =
        g_ptr_array_new_with_free_func ((GDestroyNotify) till_search_hit_free);

      set_results (self, query, none);
    }
  else
    self->debounce_id = g_timeout_add (self->delay_ms, debounce_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  if (was_searching != till_product_search_get_searching (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
}

const char *
till_product_search_get_query (TillProductSearch *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), NULL);
  return self->query;
}

gboolean
till_product_search_get_searching (TillProductSearch *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), FALSE);
  return self->debounce_id != 0 || self->in_flight;
}

const char *
till_product_search_get_answered (TillProductSearch *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), NULL);
  return self->answered;
}

guint
till_product_search_get_n_results (TillProductSearch *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), 0);
  return self->results->len;
}

const TillSearchHit *
till_product_search_get_result (TillProductSearch *self,
                                guint              index)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), NULL);
  if (index >= self->results->len)
    return NULL;
  return self->results->pdata[index];
}

int
till_product_search_get_selected (TillProductSearch *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), -1);
  return self->selected;
}

void
till_product_search_set_selected (TillProductSearch *self,
                                  int                index)
{
  g_return_if_fail (TILL_IS_PRODUCT_SEARCH (self));

  if (index < -1 || index >= (int) self->results->len)
    index = self->results->len > 0 ? CLAMP (index, 0, (int) self->results->len - 1) : -1;
  if (index == self->selected)
    return;
  self->selected = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

void
till_product_search_move (TillProductSearch *self,
                          int                delta)
{
  g_return_if_fail (TILL_IS_PRODUCT_SEARCH (self));

  if (self->results->len == 0)
    return;
  till_product_search_set_selected (self, CLAMP (MAX (self->selected, 0) + delta, 0,
                                                 (int) self->results->len - 1));
}

gboolean
till_product_search_activate (TillProductSearch *self,
                              GError           **error)
{
  const TillSearchHit *hit;

  g_return_val_if_fail (TILL_IS_PRODUCT_SEARCH (self), FALSE);

  if (till_product_search_get_searching (self) || g_strcmp0 (self->answered, self->query) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("Still searching — press Enter again in a moment"));
      return FALSE;
    }
  hit = self->selected >= 0 ? till_product_search_get_result (self, self->selected) : NULL;
  if (hit == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("No product is chosen"));
      return FALSE;
    }
  return till_checkout_add_product (self->checkout, hit->product, error);
}

/* ---- GObject */

static void
till_product_search_dispose (GObject *object)
{
  TillProductSearch *self = TILL_PRODUCT_SEARCH (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checkout);
  G_OBJECT_CLASS (till_product_search_parent_class)->dispose (object);
}

static void
till_product_search_finalize (GObject *object)
{
  TillProductSearch *self = TILL_PRODUCT_SEARCH (object);

  g_free (self->query);
  g_free (self->answered);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  G_OBJECT_CLASS (till_product_search_parent_class)->finalize (object);
}

static void
till_product_search_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillProductSearch *self = TILL_PRODUCT_SEARCH (object);

  switch (prop_id)
    {
    case PROP_CHECKOUT:
      g_value_set_object (value, self->checkout);
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_SEARCHING:
      g_value_set_boolean (value, till_product_search_get_searching (self));
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_DELAY_MS:
      g_value_set_uint (value, self->delay_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_product_search_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillProductSearch *self = TILL_PRODUCT_SEARCH (object);

  switch (prop_id)
    {
    case PROP_CHECKOUT:
      self->checkout = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      till_product_search_set_query (self, g_value_get_string (value));
      break;
    case PROP_SELECTED:
      till_product_search_set_selected (self, g_value_get_int (value));
      break;
    case PROP_DELAY_MS:
      self->delay_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_product_search_class_init (TillProductSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_product_search_dispose;
  object_class->finalize = till_product_search_finalize;
  object_class->get_property = till_product_search_get_property;
  object_class->set_property = till_product_search_set_property;

  properties[PROP_CHECKOUT] =
    g_param_spec_object ("checkout", NULL, NULL, TILL_TYPE_CHECKOUT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCHING] =
    g_param_spec_boolean ("searching", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELAY_MS] =
    g_param_spec_uint ("delay-ms", NULL, NULL, 0, 10000, DEFAULT_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RESULTS_CHANGED] =
    g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
till_product_search_init (TillProductSearch *self)
{
  self->query = g_strdup ("");
  self->answered = g_strdup ("");
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) till_search_hit_free);
  self->selected = -1;
  self->delay_ms = DEFAULT_DELAY_MS;
}

TillProductSearch *
till_product_search_new (TillCheckout *checkout)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);
  return g_object_new (TILL_TYPE_PRODUCT_SEARCH, "checkout", checkout, NULL);
}
