/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShift: the signed-in cashier and the people service. */
#define G_LOG_DOMAIN "till-shift"
#include "config.h"

#include "till-shift-private.h"

struct _TillShift
{
  GObject     parent_instance;

  TillStore  *store;
  TillPeople *people;
  char       *default_cashier;
  char       *cashier;
  gint64      person_id;
  char       *open_cashier;   /* the open shift's */
  gint64      open_id;
};

G_DEFINE_FINAL_TYPE (TillShift, till_shift, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DEFAULT_CASHIER,
  PROP_CASHIER,
  PROP_PERSON_ID,
  PROP_OPEN_SHIFT_CASHIER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
till_shift_constructed (GObject *object)
{
  TillShift *self = TILL_SHIFT (object);

  G_OBJECT_CLASS (till_shift_parent_class)->constructed (object);

  g_assert (TILL_IS_STORE (self->store));
  self->people = till_people_new (self->store);
  if (self->default_cashier == NULL)
    self->default_cashier = g_strdup ("cashier");
}

static void
till_shift_dispose (GObject *object)
{
  TillShift *self = TILL_SHIFT (object);

  g_clear_object (&self->people);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (till_shift_parent_class)->dispose (object);
}

static void
till_shift_finalize (GObject *object)
{
  TillShift *self = TILL_SHIFT (object);

  g_clear_pointer (&self->cashier, g_free);
  g_clear_pointer (&self->open_cashier, g_free);
  g_clear_pointer (&self->default_cashier, g_free);

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
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DEFAULT_CASHIER:
      g_value_set_string (value, self->default_cashier);
      break;
    case PROP_CASHIER:
      g_value_set_string (value, self->cashier);
      break;
    case PROP_PERSON_ID:
      g_value_set_int64 (value, self->person_id);
      break;
    case PROP_OPEN_SHIFT_CASHIER:
      g_value_set_string (value, self->open_cashier);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_shift_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TillShift *self = TILL_SHIFT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DEFAULT_CASHIER:
      self->default_cashier = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_shift_class_init (TillShiftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = till_shift_constructed;
  object_class->dispose = till_shift_dispose;
  object_class->finalize = till_shift_finalize;
  object_class->get_property = till_shift_get_property;
  object_class->set_property = till_shift_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_CASHIER] =
    g_param_spec_string ("default-cashier", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CASHIER] =
    g_param_spec_string ("cashier", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSON_ID] =
    g_param_spec_int64 ("person-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN_SHIFT_CASHIER] =
    g_param_spec_string ("open-shift-cashier", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_shift_init (TillShift *self)
{
}

TillShift *
till_shift_new (TillStore  *store,
                const char *default_cashier)
{
  g_return_val_if_fail (TILL_IS_STORE (store), NULL);

  return g_object_new (TILL_TYPE_SHIFT,
                       "store", store,
                       "default-cashier", default_cashier,
                       NULL);
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
  return self->cashier != NULL ? self->cashier : self->default_cashier;
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

TillStore *
_till_shift_get_store (TillShift *self)
{
  return self->store;
}

void
_till_shift_set_open (TillShift             *self,
                      const TillShiftRecord *shift)
{
  gint64 id = shift != NULL ? shift->id : 0;
  const char *cashier = shift != NULL ? shift->cashier : NULL;

  if (id == self->open_id && g_strcmp0 (cashier, self->open_cashier) == 0)
    return;
  self->open_id = id;
  g_free (self->open_cashier);
  self->open_cashier = g_strdup (cashier);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_SHIFT_CASHIER]);
}

const char *
till_shift_get_open_shift_cashier (TillShift *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), NULL);
  return self->open_cashier;
}

gint64
till_shift_get_open_shift_id (TillShift *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT (self), 0);
  return self->open_id;
}
