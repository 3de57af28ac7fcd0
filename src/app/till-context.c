/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillContext: carries the store, settings, scanner hub, shift and payment runtime to the
 * windows, and builds the serial scanner and the counter scale from the settings. */
#define G_LOG_DOMAIN "till-context"
#include "config.h"

#include "till-context.h"

struct _TillContext
{
  GObject         parent_instance;

  TillStore      *store;
  GSettings      *settings;
  TillScannerHub *hub;
  char           *data_dir;
  char           *till_id;
  gboolean        demo;

  TillSerialScanner  *serial;
  TillScale          *scale;
  TillShift          *shift;
  TillPaymentRuntime *runtime;
  TillHqSync         *hq_sync;
};

G_DEFINE_FINAL_TYPE (TillContext, till_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_SCANNER_HUB,
  PROP_DATA_DIR,
  PROP_DEMO,
  PROP_TILL_ID,
  PROP_SHIFT,
  PROP_PAYMENT_RUNTIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
till_context_update_till_id (TillContext *self)
{
  g_autofree char *id = NULL;

  id = g_settings_get_string (self->settings, "till-id");
  g_strstrip (id);
  if (id[0] == '\0')
    {
      g_free (id);
      id = g_strdup ("01");
    }

  if (g_strcmp0 (id, self->till_id) != 0)
    {
      g_free (self->till_id);
      self->till_id = g_steal_pointer (&id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TILL_ID]);
    }
}

static void
settings_till_id_changed_cb (GSettings   *settings,
                             const char  *key,
                             TillContext *self)
{
  till_context_update_till_id (self);
}

/* The name recorded on sales when nobody signed in. */
static const char *
session_user (void)
{
  const char *user = g_get_user_name ();

  return user != NULL ? user : "cashier";
}

static void
till_context_constructed (GObject *object)
{
  TillContext *self = TILL_CONTEXT (object);

  G_OBJECT_CLASS (till_context_parent_class)->constructed (object);

  g_assert (TILL_IS_STORE (self->store));
  g_assert (G_IS_SETTINGS (self->settings));

  if (self->hub == NULL)
    self->hub = till_scanner_hub_new ();

  g_signal_connect_object (self->settings, "changed::till-id",
                           G_CALLBACK (settings_till_id_changed_cb), self, 0);
  till_context_update_till_id (self);

  self->serial = till_serial_scanner_new (self->hub);
  g_settings_bind (self->settings, "serial-scanner-device", self->serial, "device",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "serial-scanner-baud", self->serial, "baud",
                   G_SETTINGS_BIND_GET);

  self->scale = till_scale_new ();
  g_settings_bind (self->settings, "scale-baud", self->scale, "baud", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "scale-protocol", self->scale, "protocol",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "scale-port", self->scale, "port", G_SETTINGS_BIND_GET);

  self->shift = till_shift_new (self->store, session_user ());
  self->runtime = till_payment_runtime_new (self->store, self->settings);
}

static void
till_context_dispose (GObject *object)
{
  TillContext *self = TILL_CONTEXT (object);

  /* Payment stops with the context even if a window still holds the runtime. */
  if (self->runtime != NULL)
    till_payment_runtime_shutdown (self->runtime);
  g_clear_object (&self->runtime);
  g_clear_object (&self->shift);
  g_clear_object (&self->hq_sync);
  if (self->serial != NULL)
    {
      g_settings_unbind (self->serial, "device");
      g_settings_unbind (self->serial, "baud");
      till_serial_scanner_set_device (self->serial, NULL);
    }
  g_clear_object (&self->serial);
  if (self->scale != NULL)
    {
      g_settings_unbind (self->scale, "port");
      g_settings_unbind (self->scale, "protocol");
      g_settings_unbind (self->scale, "baud");
      till_scale_set_port (self->scale, NULL);
    }
  g_clear_object (&self->scale);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (till_context_parent_class)->dispose (object);
}

static void
till_context_finalize (GObject *object)
{
  TillContext *self = TILL_CONTEXT (object);

  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->till_id, g_free);

  G_OBJECT_CLASS (till_context_parent_class)->finalize (object);
}

static void
till_context_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TillContext *self = TILL_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_SCANNER_HUB:
      g_value_set_object (value, self->hub);
      break;
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_TILL_ID:
      g_value_set_string (value, self->till_id);
      break;
    case PROP_SHIFT:
      g_value_set_object (value, self->shift);
      break;
    case PROP_PAYMENT_RUNTIME:
      g_value_set_object (value, self->runtime);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_context_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TillContext *self = TILL_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_SCANNER_HUB:
      self->hub = g_value_dup_object (value);
      break;
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_context_class_init (TillContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = till_context_constructed;
  object_class->dispose = till_context_dispose;
  object_class->finalize = till_context_finalize;
  object_class->get_property = till_context_get_property;
  object_class->set_property = till_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCANNER_HUB] =
    g_param_spec_object ("scanner-hub", NULL, NULL, TILL_TYPE_SCANNER_HUB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TILL_ID] =
    g_param_spec_string ("till-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHIFT] =
    g_param_spec_object ("shift", NULL, NULL, TILL_TYPE_SHIFT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYMENT_RUNTIME] =
    g_param_spec_object ("payment-runtime", NULL, NULL, TILL_TYPE_PAYMENT_RUNTIME,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_context_init (TillContext *self)
{
}

TillContext *
till_context_new (TillStore      *store,
                  GSettings      *settings,
                  TillScannerHub *hub,
                  const char     *data_dir,
                  gboolean        demo)
{
  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (hub == NULL || TILL_IS_SCANNER_HUB (hub), NULL);

  return g_object_new (TILL_TYPE_CONTEXT,
                       "store", store,
                       "settings", settings,
                       "scanner-hub", hub,
                       "data-dir", data_dir,
                       "demo", demo,
                       NULL);
}

TillStore *
till_context_get_store (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->store;
}

GSettings *
till_context_get_settings (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->settings;
}

TillScannerHub *
till_context_get_scanner_hub (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->hub;
}

const char *
till_context_get_data_dir (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->data_dir;
}

gboolean
till_context_get_demo (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), FALSE);
  return self->demo;
}

const char *
till_context_get_till_id (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->till_id;
}

TillShift *
till_context_get_shift (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->shift;
}

TillPaymentRuntime *
till_context_get_payment_runtime (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->runtime;
}

const char *
till_context_get_cashier (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return till_shift_get_cashier_or_default (self->shift);
}

TillSerialScanner *
till_context_get_serial_scanner (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->serial;
}

TillScale *
till_context_get_scale (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->scale;
}

TillEmbeddedLayout
till_context_get_embedded_layout (TillContext *self)
{
  TillEmbeddedLayout layout = TILL_EMBEDDED_LAYOUT_DEFAULT;

  g_return_val_if_fail (TILL_IS_CONTEXT (self), layout);

  layout.item_digits = g_settings_get_uint (self->settings, "embedded-item-digits");
  layout.value_kind = g_settings_get_enum (self->settings, "embedded-value-kind") == 1
                        ? TILL_EMBEDDED_PRICE_FEN
                        : TILL_EMBEDDED_WEIGHT_GRAMS;
  return layout;
}

TillCashRounding
till_context_get_cash_rounding (TillContext *self)
{
  g_autofree char *nick = NULL;
  TillCashRounding rule = TILL_CASH_ROUNDING_DEFAULT;

  g_return_val_if_fail (TILL_IS_CONTEXT (self), TILL_CASH_ROUNDING_DEFAULT);

  nick = g_settings_get_string (self->settings, "cash-rounding");
  till_cash_rounding_from_string (nick, &rule);
  return rule;
}

TillHqSync *
till_context_get_hq_sync (TillContext *self)
{
  g_return_val_if_fail (TILL_IS_CONTEXT (self), NULL);
  return self->hq_sync;
}

void
till_context_set_hq_sync (TillContext *self, TillHqSync *sync)
{
  g_return_if_fail (TILL_IS_CONTEXT (self));
  g_set_object (&self->hq_sync, sync);
}
