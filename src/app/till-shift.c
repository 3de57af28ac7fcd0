/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShift: the signed-in cashier and the managers' shared services. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-shift.h"

struct _TillShift
{
  GObject            parent_instance;

  TillContext       *context;   /* weak: the context owns the shift */
  TillPeople        *people;
  TillRefundService *refunds;
  char              *cashier;
  gint64             person_id;
};

G_DEFINE_FINAL_TYPE (TillShift, till_shift, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CASHIER,
  PROP_PERSON_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define SHIFT_KEY "till-shift"

static void
till_shift_dispose (GObject *object)
{
  TillShift *self = TILL_SHIFT (object);

  g_clear_object (&self->people);
  g_clear_object (&self->refunds);

  G_OBJECT_CLASS (till_shift_parent_class)->dispose (object);
}

static void
till_shift_finalize (GObject *object)
{
  TillShift *self = TILL_SHIFT (object);

  g_clear_pointer (&self->cashier, g_free);

  G_OBJECT_CLASS (till_shift_parent_class)->finalize (object);
}

static void
till_shift_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TillShift *self = TILL_SHIFT (object);

  switch (prop_id)
    {
    case PROP_CASHIER:
      g_value_set_string (value, self->cashier);
      break;
    case PROP_PERSON_ID:
      g_value_set_int64 (value, self->person_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_shift_class_init (TillShiftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_shift_dispose;
  object_class->finalize = till_shift_finalize;
  object_class->get_property = till_shift_get_property;

  properties[PROP_CASHIER] =
    g_param_spec_string ("cashier", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSON_ID] =
    g_param_spec_int64 ("person-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_shift_init (TillShift *self)
{
}

TillShift *
till_shift_get (TillContext *context)
{
  TillShift *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_get_data (G_OBJECT (context), SHIFT_KEY);
  if (self != NULL)
    return self;

  self = g_object_new (TILL_TYPE_SHIFT, NULL);
  self->context = context;
  self->people = till_people_new (till_context_get_store (context));
  g_object_set_data_full (G_OBJECT (context), SHIFT_KEY, self, g_object_unref);
  return self;
}

TillPeople *
till_shift_get_people (TillShift *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), NULL);
  return self->people;
}

const char *
till_shift_get_cashier (TillShift *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), NULL);
  return self->cashier;
}

gint64
till_shift_get_person_id (TillShift *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), 0);
  return self->person_id;
}

const char *
till_shift_get_cashier_or_default (TillShift *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), NULL);
  if (self->cashier != NULL)
    return self->cashier;
  return till_context_get_cashier (self->context);
}

void
till_shift_set_person (TillShift        *self,
                       const TillPerson *person)
{
  g_return_if_fail (TILL_IS_SHIFT (self));

  g_free (self->cashier);
  self->cashier = person != NULL ? g_strdup (person->name) : NULL;
  self->person_id = person != NULL ? person->id : 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASHIER]);
}

TillRefundService *
till_shift_get_refund_service (TillShift *self,
                               GError   **error)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), NULL);

  if (self->refunds == NULL)
    self->refunds = till_refund_service_new (till_context_get_store (self->context), NULL,
                                             error);
  /* Cash goes back by the till's rule as it is set now. */
  if (self->refunds != NULL)
    till_refund_service_set_cash_rounding (self->refunds,
                                           till_context_get_cash_rounding (self->context));
  return self->refunds;
}

void
till_shift_set_refund_service (TillShift         *self,
                               TillRefundService *service)
{
  g_return_if_fail (TILL_IS_SHIFT (self));
  g_set_object (&self->refunds, service);
}
