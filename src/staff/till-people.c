/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The people service: PIN hashing, sign-in, manager approvals and the wrong-PIN lock. */
#define G_LOG_DOMAIN "till-people"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-pay-error.h"
#include "till-pin.h"
#include "till-people.h"
#include "till-clock.h"

struct _TillPeople
{
  GObject              parent_instance;

  TillStore           *store;
  guint                lockout_attempts;
  guint                lockout_seconds;
  guint                iterations;
  TillPeopleClockFunc  clock;
  gpointer             clock_data;
};

G_DEFINE_FINAL_TYPE (TillPeople, till_people, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_LOCKOUT_ATTEMPTS,
  PROP_LOCKOUT_SECONDS,
  PROP_ITERATIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const action_names[] = {
  [TILL_APPROVAL_REFUND] = "refund",
  [TILL_APPROVAL_VOID_PAID_SALE] = "void_paid_sale",
  [TILL_APPROVAL_PRICE_OVERRIDE] = "price_override",
  [TILL_APPROVAL_DISCOUNT] = "discount",
  [TILL_APPROVAL_REPORTS] = "reports",
  [TILL_APPROVAL_SETTINGS] = "settings",
  [TILL_APPROVAL_DAY_CLOSE] = "day_close",
  [TILL_APPROVAL_CASH_MOVEMENT] = "cash_movement",
  [TILL_APPROVAL_RETURN] = "return",
  [TILL_APPROVAL_PRODUCTS] = "products",
  [TILL_APPROVAL_RECEIVING] = "receiving",
  [TILL_APPROVAL_STOCKTAKE] = "stocktake",
  [TILL_APPROVAL_MEMBERS] = "members",
};

const char *
till_approval_action_to_string (TillApprovalAction action)
{
  g_return_val_if_fail ((guint) action < G_N_ELEMENTS (action_names), NULL);
  return action_names[action];
}

gboolean
till_approval_action_from_string (const char         *text,
                                  TillApprovalAction *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (text, action_names[i]) == 0)
      {
        *out = (TillApprovalAction) i;
        return TRUE;
      }
  return FALSE;
}

static gint64
now_us (TillPeople *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : till_clock_now_us ();
}

/* ---------------------------------------------------------------- hashing */

static gboolean
hash_pin (TillPeople  *self,
          const char  *pin,
          GBytes     **out_salt,
          GBytes     **out_hash,
          GError     **error)
{
  TillPinHash hash;

  if (!till_pin_hash (pin, self->iterations, &hash, error))
    return FALSE;
  *out_salt = g_bytes_new (hash.salt, sizeof hash.salt);
  *out_hash = g_bytes_new (hash.hash, sizeof hash.hash);
  memset (&hash, 0, sizeof hash);
  return TRUE;
}

/* Checks the PIN against the stored record; *out_match. */
static gboolean
check_pin (TillStore   *store,
           gint64       person_id,
           const char  *pin,
           gboolean    *out_match,
           GError     **error)
{
  g_autoptr(TillPinRecord) record = NULL;
  TillPinHash stored = { 0 };
  gsize salt_len, hash_len;
  gconstpointer salt, hash;

  *out_match = FALSE;
  record = till_store_people_get_pin (store, person_id, error);
  if (record == NULL)
    return FALSE;
  salt = g_bytes_get_data (record->salt, &salt_len);
  hash = g_bytes_get_data (record->hash, &hash_len);
  if (salt_len != TILL_PIN_SALT_LEN || hash_len != TILL_PIN_HASH_LEN)
    {
      g_warning ("Stored PIN of person %" G_GINT64_FORMAT " has a %" G_GSIZE_FORMAT
                 "-byte salt and a %" G_GSIZE_FORMAT "-byte hash", person_id, salt_len,
                 hash_len);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("The stored PIN is damaged; a manager must set a new one"));
      return FALSE;
    }
  stored.iterations = record->iterations;
  memcpy (stored.salt, salt, salt_len);
  memcpy (stored.hash, hash, hash_len);
  return till_pin_verify (pin, &stored, out_match, error);
}

static void
set_locked_error (GError **error,
                  gint64   locked_until,
                  gint64   now)
{
  gint64 minutes = (locked_until - now + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC);

  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED,
               g_dngettext (GETTEXT_PACKAGE,
                            "Too many wrong PINs. Try again in %d minute.",
                            "Too many wrong PINs. Try again in %d minutes.",
                            (gulong) MAX (minutes, 1)),
               (int) MAX (minutes, 1));
}

/* The right PIN of one person? Counts a wrong one. NULL error + FALSE = wrong PIN. */
static gboolean
verify_person (TillPeople        *self,
               const TillPerson  *person,
               const char        *pin,
               gboolean           count_failure,
               gboolean          *out_match,
               GError           **error)
{
  gint64 now = now_us (self);
  gint64 locked_until = 0;

  *out_match = FALSE;
  if (person->locked_until > now)
    {
      set_locked_error (error, person->locked_until, now);
      return FALSE;
    }
  if (!check_pin (self->store, person->id, pin, out_match, error))
    return FALSE;
  if (*out_match)
    return till_store_people_record_success (self->store, person->id, error);
  if (count_failure
      && !till_store_people_record_failure (self->store, person->id, now,
                                            self->lockout_attempts,
                                            (gint64) self->lockout_seconds * G_USEC_PER_SEC,
                                            &locked_until, error))
    return FALSE;
  return TRUE;
}

/* Another active manager with this PIN? */
static gboolean
manager_pin_taken (TillPeople  *self,
                   const char  *pin,
                   gint64       except_id,
                   gboolean    *out_taken,
                   GError     **error)
{
  g_autoptr(GPtrArray) people = till_store_people_list (self->store, FALSE, error);

  *out_taken = FALSE;
  if (people == NULL)
    return FALSE;
  for (guint i = 0; i < people->len; i++)
    {
      TillPerson *person = g_ptr_array_index (people, i);
      gboolean match = FALSE;

      if (person->role != TILL_ROLE_MANAGER || !person->has_pin || person->id == except_id)
        continue;
      if (!check_pin (self->store, person->id, pin, &match, error))
        return FALSE;
      *out_taken |= match;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- API */

TillPeople *
till_people_new (TillStore *store)
{
  g_return_val_if_fail (TILL_IS_STORE (store), NULL);
  return g_object_new (TILL_TYPE_PEOPLE, "store", store, NULL);
}

void
till_people_set_lockout (TillPeople *self,
                         guint       attempts,
                         guint       seconds)
{
  g_return_if_fail (TILL_IS_PEOPLE (self));
  g_return_if_fail (attempts >= 1);

  g_object_set (self, "lockout-attempts", attempts, "lockout-seconds", seconds, NULL);
}

void
till_people_set_clock (TillPeople          *self,
                       TillPeopleClockFunc  func,
                       gpointer             data)
{
  g_return_if_fail (TILL_IS_PEOPLE (self));
  self->clock = func;
  self->clock_data = data;
}

gboolean
till_people_needs_first_manager (TillPeople  *self,
                                 GError     **error)
{
  gint64 managers;

  g_return_val_if_fail (TILL_IS_PEOPLE (self), FALSE);

  managers = till_store_people_count_managers (self->store, error);
  return managers == 0;
}

gint64
till_people_add (TillPeople  *self,
                 const char  *name,
                 TillRole     role,
                 const char  *pin,
                 const char  *actor,
                 GError     **error)
{
  g_autoptr(GBytes) salt = NULL;
  g_autoptr(GBytes) hash = NULL;

  g_return_val_if_fail (TILL_IS_PEOPLE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (pin != NULL, 0);

  if (!till_pin_check_format (pin, error))
    return 0;
  if (role == TILL_ROLE_MANAGER)
    {
      gboolean taken = FALSE;

      if (!manager_pin_taken (self, pin, 0, &taken, error))
        return 0;
      if (taken)
        {
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                       _("Another manager has this PIN. Choose another one."));
          return 0;
        }
    }
  if (!hash_pin (self, pin, &salt, &hash, error))
    return 0;
  return till_store_people_add (self->store, name, role, self->iterations, salt, hash,
                                actor, error);
}

gboolean
till_people_set_pin (TillPeople  *self,
                     gint64       person_id,
                     const char  *pin,
                     const char  *actor,
                     GError     **error)
{
  g_autoptr(TillPerson) person = NULL;
  g_autoptr(GBytes) salt = NULL;
  g_autoptr(GBytes) hash = NULL;

  g_return_val_if_fail (TILL_IS_PEOPLE (self), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!till_pin_check_format (pin, error))
    return FALSE;
  person = till_store_people_get (self->store, person_id, error);
  if (person == NULL)
    return FALSE;
  if (person->role == TILL_ROLE_MANAGER)
    {
      gboolean taken = FALSE;

      if (!manager_pin_taken (self, pin, person_id, &taken, error))
        return FALSE;
      if (taken)
        {
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT,
                       _("Another manager has this PIN. Choose another one."));
          return FALSE;
        }
    }
  if (!hash_pin (self, pin, &salt, &hash, error))
    return FALSE;
  return till_store_people_set_pin_hash (self->store, person_id, self->iterations, salt,
                                         hash, actor, error);
}

TillPerson *
till_people_sign_in (TillPeople  *self,
                     gint64       person_id,
                     const char  *pin,
                     GError     **error)
{
  g_autoptr(TillPerson) person = NULL;
  g_autofree char *detail = NULL;
  gboolean match = FALSE;

  g_return_val_if_fail (TILL_IS_PEOPLE (self), NULL);

  person = till_store_people_get (self->store, person_id, error);
  if (person == NULL)
    return NULL;
  if (!person->active || !person->has_pin)
    {
      g_message ("Sign-in refused: person %" G_GINT64_FORMAT " is %s", person_id,
                 person->active ? "without a PIN" : "inactive");
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                   _("%s cannot sign in on this till. Ask a manager."), person->name);
      return NULL;
    }
  if (!verify_person (self, person, pin, TRUE, &match, error))
    return NULL;
  if (!match)
    {
      g_autoptr(TillPerson) after = till_store_people_get (self->store, person_id, NULL);
      gint64 now = now_us (self);

      if (after != NULL && after->locked_until > now)
        set_locked_error (error, after->locked_until, now);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                     _("Wrong PIN"));
      return NULL;
    }
  detail = g_strdup_printf ("{\"person_id\":%" G_GINT64_FORMAT "}", person_id);
  if (!till_store_audit (self->store, person->name, "sign_in", detail, error))
    return NULL;
  return g_steal_pointer (&person);
}

TillPerson *
till_people_approve (TillPeople         *self,
                     const char         *pin,
                     TillApprovalAction  action,
                     const char         *detail_json,
                     TillPerson        **out_manager,
                     GError            **error)
{
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(TillPerson) approver = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  gint64 now = now_us (self);
  gint64 soonest_unlock = G_MAXINT64;
  const char *action_name;

  g_return_val_if_fail (TILL_IS_PEOPLE (self), NULL);
  action_name = till_approval_action_to_string (action);
  g_return_val_if_fail (action_name != NULL, NULL);

  people = till_store_people_list (self->store, FALSE, error);
  if (people == NULL)
    return NULL;
  for (guint i = 0; i < people->len; i++)
    {
      TillPerson *person = g_ptr_array_index (people, i);

      if (person->role != TILL_ROLE_MANAGER || !person->has_pin)
        continue;
      if (person->locked_until > now)
        soonest_unlock = MIN (soonest_unlock, person->locked_until);
      else
        g_ptr_array_add (candidates, person);
    }
  if (candidates->len == 0)
    {
      if (soonest_unlock != G_MAXINT64)
        set_locked_error (error, soonest_unlock, now);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                     _("No manager is set up on this till"));
      return NULL;
    }

  /* Every candidate is hashed, match or not: the time taken says nothing. */
  for (guint i = 0; i < candidates->len; i++)
    {
      TillPerson *person = g_ptr_array_index (candidates, i);
      gboolean match = FALSE;

      if (!verify_person (self, person, pin, FALSE, &match, error))
        return NULL;
      if (match && approver == NULL)
        approver = till_person_copy (person);
    }

  if (approver == NULL)
    {
      gint64 locked_until = 0;

      for (guint i = 0; i < candidates->len; i++)
        {
          TillPerson *person = g_ptr_array_index (candidates, i);
          gint64 until = 0;

          if (!till_store_people_record_failure (self->store, person->id, now,
                                                 self->lockout_attempts,
                                                 (gint64) self->lockout_seconds
                                                 * G_USEC_PER_SEC, &until, error))
            return NULL;
          locked_until = MAX (locked_until, until);
        }
      g_message ("Approval of %s refused: wrong manager PIN", action_name);
      {
        g_autoptr(GError) audit_error = NULL;
        g_autofree char *audit_action = g_strconcat ("refuse:", action_name, NULL);
        g_autofree char *detail = g_strdup_printf ("{\"reason\":\"wrong_pin\",\"detail\":%s}",
                                                   detail_json != NULL ? detail_json : "null");

        if (!till_store_audit (self->store, "system", audit_action, detail, &audit_error))
          g_warning ("The refused approval could not be audited: %s", audit_error->message);
      }
      if (locked_until > now)
        set_locked_error (error, locked_until, now);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED,
                     _("Wrong manager PIN"));
      return NULL;
    }

  if (!till_store_people_record_approval (self->store, approver, action_name, detail_json,
                                          error))
    return NULL;
  g_message ("%s approved by manager %" G_GINT64_FORMAT, action_name, approver->id);
  if (out_manager != NULL)
    *out_manager = till_person_copy (approver);
  return g_steal_pointer (&approver);
}

static const TillDemoPerson demo_people[] = {
  { "店长", TILL_ROLE_MANAGER, "8888" },
  { "收银员小王", TILL_ROLE_CASHIER, "1111" },
  { "收银员小李", TILL_ROLE_CASHIER, "2222" },
};

const TillDemoPerson *
till_people_get_demo_people (guint *n_people)
{
  g_return_val_if_fail (n_people != NULL, NULL);
  *n_people = G_N_ELEMENTS (demo_people);
  return demo_people;
}

char *
till_people_dup_demo_pins (void)
{
  GString *pins = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (demo_people); i++)
    g_string_append_printf (pins, "%s%s %s", i > 0 ? " · " : "", demo_people[i].name,
                            demo_people[i].pin);
  return g_string_free (pins, FALSE);
}

gboolean
till_people_seed_demo (TillPeople  *self,
                       GError     **error)
{
  const TillDemoPerson *demo = demo_people;
  gint64 count;

  g_return_val_if_fail (TILL_IS_PEOPLE (self), FALSE);

  count = till_store_people_count (self->store, error);
  if (count < 0)
    return FALSE;
  if (count > 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (demo_people); i++)
    if (till_people_add (self, demo[i].name, demo[i].role, demo[i].pin, "demo", error) == 0)
      return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------- GObject */

static void
till_people_dispose (GObject *object)
{
  TillPeople *self = TILL_PEOPLE (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (till_people_parent_class)->dispose (object);
}

static void
till_people_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TillPeople *self = TILL_PEOPLE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOCKOUT_ATTEMPTS:
      g_value_set_uint (value, self->lockout_attempts);
      break;
    case PROP_LOCKOUT_SECONDS:
      g_value_set_uint (value, self->lockout_seconds);
      break;
    case PROP_ITERATIONS:
      g_value_set_uint (value, self->iterations);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_people_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TillPeople *self = TILL_PEOPLE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_LOCKOUT_ATTEMPTS:
      self->lockout_attempts = g_value_get_uint (value);
      break;
    case PROP_LOCKOUT_SECONDS:
      self->lockout_seconds = g_value_get_uint (value);
      break;
    case PROP_ITERATIONS:
      self->iterations = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_people_class_init (TillPeopleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_people_dispose;
  object_class->get_property = till_people_get_property;
  object_class->set_property = till_people_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TILL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKOUT_ATTEMPTS] =
    g_param_spec_uint ("lockout-attempts", NULL, NULL, 1, 100, 5,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKOUT_SECONDS] =
    g_param_spec_uint ("lockout-seconds", NULL, NULL, 0, 24 * 3600, 300,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITERATIONS] =
    g_param_spec_uint ("iterations", NULL, NULL, TILL_PIN_MIN_ITERATIONS, G_MAXINT32,
                       TILL_PIN_DEFAULT_ITERATIONS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_people_init (TillPeople *self)
{
}
