/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PINs: PBKDF2-HMAC-SHA256 known answers, hashing and checking, and the people service
 * (sign-in, approvals, the wrong-PIN lock that survives a restart) on a real database. */
#define G_LOG_DOMAIN "test-pin"

#include "config.h"

#include "store-test-util.h"
#include "till-pay-error.h"
#include "till-people.h"
#include "till-pin.h"

/* ---------------------------------------------------------------- PBKDF2 */

static void
assert_pbkdf2 (const char *password,
               gsize       password_len,
               const char *salt,
               gsize       salt_len,
               guint       iterations,
               const char *expected_hex)
{
  g_autoptr(GError) error = NULL;
  gsize len = strlen (expected_hex) / 2;
  g_autofree guint8 *out = g_malloc0 (len);
  g_autoptr(GString) hex = g_string_new (NULL);

  g_assert_true (till_pbkdf2_sha256 (password, password_len, salt, salt_len, iterations,
                                     out, len, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", out[i]);
  g_assert_cmpstr (hex->str, ==, expected_hex);
}

static void
test_pbkdf2_rfc7914 (void)
{
  /* RFC 7914 §11, PBKDF2-HMAC-SHA256 */
  assert_pbkdf2 ("passwd", 6, "salt", 4, 1,
                 "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                 "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  assert_pbkdf2 ("Password", 8, "NaCl", 4, 80000,
                 "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                 "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

static void
test_pbkdf2_common_vectors (void)
{
  /* the RFC 6070 inputs with SHA-256 (widely published) */
  assert_pbkdf2 ("password", 8, "salt", 4, 1,
                 "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  assert_pbkdf2 ("password", 8, "salt", 4, 4096,
                 "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
  assert_pbkdf2 ("passwordPASSWORDpassword", 24, "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36,
                 4096, "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1"
                       "c635518c7dac47e9");
}

/* ---------------------------------------------------------------- hash, verify */

static void
test_hash_and_verify (void)
{
  g_autoptr(GError) error = NULL;
  TillPinHash hash, again;
  gboolean match = TRUE;
  guint8 zero[TILL_PIN_SALT_LEN] = { 0 };

  g_assert_true (till_pin_hash ("4321", 0, &hash, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hash.iterations, >=, 100000);
  g_assert_cmpuint (hash.iterations, ==, TILL_PIN_DEFAULT_ITERATIONS);
  g_assert_true (memcmp (hash.salt, zero, sizeof zero) != 0);

  g_assert_true (till_pin_verify ("4321", &hash, &match, &error));
  g_assert_true (match);
  g_assert_true (till_pin_verify ("4320", &hash, &match, &error));
  g_assert_false (match);
  g_assert_true (till_pin_verify ("43210", &hash, &match, &error));
  g_assert_false (match);
  g_assert_true (till_pin_verify ("", &hash, &match, &error));
  g_assert_false (match);
  g_assert_true (till_pin_verify (NULL, &hash, &match, &error));
  g_assert_false (match);

  /* the same PIN twice: other salt, other hash */
  g_assert_true (till_pin_hash ("4321", 0, &again, &error));
  g_assert_true (memcmp (hash.salt, again.salt, sizeof hash.salt) != 0);
  g_assert_true (memcmp (hash.hash, again.hash, sizeof hash.hash) != 0);

  /* the hash is PBKDF2 of the PIN with the stored salt and count */
  {
    guint8 expected[TILL_PIN_HASH_LEN];

    g_assert_true (till_pbkdf2_sha256 ("4321", 4, hash.salt, sizeof hash.salt,
                                       hash.iterations, expected, sizeof expected, &error));
    g_assert_true (memcmp (expected, hash.hash, sizeof expected) == 0);
  }

  /* a stored hash with a higher count still verifies */
  g_assert_true (till_pin_hash ("777777", 200000, &again, &error));
  g_assert_cmpuint (again.iterations, ==, 200000);
  g_assert_true (till_pin_verify ("777777", &again, &match, &error));
  g_assert_true (match);
  /* tampering with the count breaks it */
  again.iterations = 199999;
  g_assert_true (till_pin_verify ("777777", &again, &match, &error));
  g_assert_false (match);
}

static void
test_refusals (void)
{
  g_autoptr(GError) error = NULL;
  TillPinHash hash;
  const char *bad[] = { "", "123", "1234567890123", "12a4", "１２３４", " 1234", "-123" };

  g_assert_false (till_pin_hash ("1234", 99999, &hash, &error));
  g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (till_pin_hash (bad[i], 0, &hash, &error));
      g_assert_error (error, TILL_PAY_ERROR, TILL_PAY_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_true (till_pin_check_format ("1234", NULL));
  g_assert_true (till_pin_check_format ("123456789012", NULL));
}

/* ---------------------------------------------------------------- people */

typedef struct
{
  gint64 now;
} FakeClock;

static gint64
fake_clock_cb (gpointer data)
{
  return ((FakeClock *) data)->now;
}

static TillPeople *
people_new (TillStore *store,
            FakeClock *clock)
{
  TillPeople *people = till_people_new (store);

  till_people_set_clock (people, fake_clock_cb, clock);
  return people;
}

static void
test_first_manager_and_roles (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  FakeClock clock = { G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC };
  g_autoptr(TillPeople) people = people_new (store, &clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 boss, clerk, other;

  g_assert_true (till_people_needs_first_manager (people, &error));
  boss = till_people_add (people, "老板", TILL_ROLE_MANAGER, "246810", "setup", &error);
  g_assert_no_error (error);
  g_assert_cmpint (boss, >, 0);
  g_assert_false (till_people_needs_first_manager (people, &error));

  clerk = till_people_add (people, "小张", TILL_ROLE_CASHIER, "1357", "老板", &error);
  g_assert_no_error (error);

  /* names are unique; a manager PIN must be unique among managers */
  g_assert_cmpint (till_people_add (people, "小张", TILL_ROLE_CASHIER, "9999", "老板", &error),
                   ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_people_add (people, "副店长", TILL_ROLE_MANAGER, "246810", "老板",
                                    &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  other = till_people_add (people, "副店长", TILL_ROLE_MANAGER, "1357", "老板", &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, >, 0);

  /* the only PIN stored is the hash: no column holds the digits */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM staff WHERE pin_iterations < 100000"
                                     " OR length (pin_salt) <> 16 OR length (pin_hash) <> 32"),
                   ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM staff WHERE instr (CAST (pin_hash"
                                     " AS TEXT), '1357') > 0"), ==, 0);

  list = till_store_people_list (store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);

  /* the last active manager cannot be removed */
  g_assert_true (till_store_people_update (store, other, TILL_ROLE_MANAGER, FALSE, "老板",
                                           &error));
  g_assert_no_error (error);
  g_assert_false (till_store_people_update (store, boss, TILL_ROLE_CASHIER, TRUE, "老板",
                                            &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT role = 'manager' FROM staff WHERE name = '老板'"),
                   ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action IN"
                                     " ('person_add', 'person_update')"), ==, 4);
  (void) clerk;
}

static void
test_sign_in (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  FakeClock clock = { G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC };
  g_autoptr(TillPeople) people = people_new (store, &clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) who = NULL;
  gint64 clerk;

  g_assert_nonnull (GINT_TO_POINTER (till_people_add (people, "店长", TILL_ROLE_MANAGER,
                                                      "8080", "setup", &error)));
  clerk = till_people_add (people, "小王", TILL_ROLE_CASHIER, "1111", "店长", &error);
  g_assert_no_error (error);

  who = till_people_sign_in (people, clerk, "1111", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (who->name, ==, "小王");
  g_assert_cmpint (who->role, ==, TILL_ROLE_CASHIER);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'sign_in'"
                                     " AND actor = '小王'"), ==, 1);
  g_clear_pointer (&who, till_person_free);

  g_assert_null (till_people_sign_in (people, clerk, "1112", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT failed_attempts FROM staff WHERE name = '小王'"),
                   ==, 1);
  /* a right PIN starts the count again */
  who = till_people_sign_in (people, clerk, "1111", &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_int (store, "SELECT failed_attempts FROM staff WHERE name = '小王'"),
                   ==, 0);
  g_clear_pointer (&who, till_person_free);

  /* new PIN */
  g_assert_true (till_people_set_pin (people, clerk, "5151", "店长", &error));
  g_assert_no_error (error);
  g_assert_null (till_people_sign_in (people, clerk, "1111", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  who = till_people_sign_in (people, clerk, "5151", &error);
  g_assert_no_error (error);
  g_clear_pointer (&who, till_person_free);

  /* an inactive person cannot sign in, even with the right PIN */
  g_assert_true (till_store_people_update (store, clerk, TILL_ROLE_CASHIER, FALSE, "店长",
                                           &error));
  g_assert_null (till_people_sign_in (people, clerk, "5151", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_null (till_people_sign_in (people, 9999, "5151", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
}

static void
test_lockout_survives_restart (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(GError) error = NULL;
  FakeClock clock = { G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC };
  gint64 clerk;

  {
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autoptr(TillPeople) people = people_new (store, &clock);

    g_assert_cmpint (till_people_add (people, "店长", TILL_ROLE_MANAGER, "8080", "setup",
                                      &error), >, 0);
    clerk = till_people_add (people, "小王", TILL_ROLE_CASHIER, "1111", "店长", &error);
    g_assert_no_error (error);
    for (int i = 0; i < 3; i++)
      {
        g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
        g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
        g_clear_error (&error);
      }
  }
  /* a restart keeps the count: two more wrong PINs lock */
  {
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autoptr(TillPeople) people = people_new (store, &clock);
    g_autoptr(TillPerson) who = NULL;

    g_assert_cmpint (store_int (store, "SELECT failed_attempts FROM staff WHERE name = '小王'"),
                     ==, 3);
    g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
    g_clear_error (&error);
    g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
    g_assert_nonnull (strstr (error->message, "5"));
    g_clear_error (&error);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action = 'pin_locked'"),
                     ==, 1);

    /* locked: even the right PIN is refused, and nothing more is counted */
    clock.now += 4 * 60 * G_USEC_PER_SEC;
    g_assert_null (till_people_sign_in (people, clerk, "1111", &error));
    g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
    g_clear_error (&error);
  }
  /* after the period (and another restart) the right PIN works */
  {
    g_autoptr(TillStore) store = test_store_open (dir);
    g_autoptr(TillPeople) people = people_new (store, &clock);
    g_autoptr(TillPerson) who = NULL;

    clock.now += 61 * G_USEC_PER_SEC;
    who = till_people_sign_in (people, clerk, "1111", &error);
    g_assert_no_error (error);
    g_assert_nonnull (who);
  }
}

static void
test_lockout_configurable (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  FakeClock clock = { G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC };
  g_autoptr(TillPeople) people = people_new (store, &clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) who = NULL;
  gint64 clerk;

  till_people_set_lockout (people, 2, 30);
  g_assert_cmpint (till_people_add (people, "店长", TILL_ROLE_MANAGER, "8080", "setup",
                                    &error), >, 0);
  clerk = till_people_add (people, "小王", TILL_ROLE_CASHIER, "1111", "店长", &error);
  g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  clock.now += 29 * G_USEC_PER_SEC;
  g_assert_null (till_people_sign_in (people, clerk, "1111", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  clock.now += 1 * G_USEC_PER_SEC;
  who = till_people_sign_in (people, clerk, "1111", &error);
  g_assert_no_error (error);
  /* a new PIN set by a manager unlocks at once */
  g_clear_pointer (&who, till_person_free);
  g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
  g_clear_error (&error);
  g_assert_null (till_people_sign_in (people, clerk, "0000", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (till_people_set_pin (people, clerk, "3333", "店长", &error));
  who = till_people_sign_in (people, clerk, "3333", &error);
  g_assert_no_error (error);
}

static void
test_approve (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  FakeClock clock = { G_GINT64_CONSTANT (1795255200) * G_USEC_PER_SEC };
  g_autoptr(TillPeople) people = people_new (store, &clock);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) manager = NULL;
  g_autoptr(TillPerson) out = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *expected = NULL;
  TillApprovalAction action;

  /* no manager yet */
  g_assert_null (till_people_approve (people, "8080", TILL_APPROVAL_REFUND, NULL, NULL,
                                      &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_cmpint (till_people_add (people, "店长", TILL_ROLE_MANAGER, "8080", "setup",
                                    &error), >, 0);
  g_assert_cmpint (till_people_add (people, "副店长", TILL_ROLE_MANAGER, "9090", "店长",
                                    &error), >, 0);
  g_assert_cmpint (till_people_add (people, "小王", TILL_ROLE_CASHIER, "1111", "店长",
                                    &error), >, 0);

  manager = till_people_approve (people, "9090", TILL_APPROVAL_VOID_PAID_SALE,
                                 "{\"sale\":\"20261121-0007\"}", &out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (manager->name, ==, "副店长");
  g_assert_cmpstr (out->name, ==, "副店长");
  detail = store_text (store, "SELECT actor || '|' || action || '|' || detail_json FROM audit"
                              " WHERE action LIKE 'approve:%'");
  expected = g_strdup_printf ("副店长|approve:void_paid_sale|{\"manager_id\":%" G_GINT64_FORMAT
                              ",\"detail\":{\"sale\":\"20261121-0007\"}}", manager->id);
  g_assert_cmpstr (detail, ==, expected);
  g_assert_cmpint (store_int (store, "SELECT json_valid (detail_json) FROM audit"
                                     " WHERE action LIKE 'approve:%'"), ==, 1);

  /* a cashier's PIN approves nothing */
  g_assert_null (till_people_approve (people, "1111", TILL_APPROVAL_DISCOUNT, NULL, NULL,
                                      &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
  g_clear_error (&error);
  /* and the wrong PIN counted against both managers */
  g_assert_cmpint (store_int (store, "SELECT sum (failed_attempts) FROM staff"
                                     " WHERE role = 'manager'"), ==, 2);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action LIKE"
                                     " 'approve:%'"), ==, 1);
  /* the refusal is audited, without the PIN */
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action ="
                                     " 'refuse:discount' AND actor = 'system' AND detail_json ="
                                     " '{\"reason\":\"wrong_pin\",\"detail\":null}'"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE detail_json LIKE '%1111%'"),
                   ==, 0);

  /* four more wrong PINs lock approvals for 5 minutes */
  for (int i = 0; i < 4; i++)
    {
      g_assert_null (till_people_approve (people, "0000", TILL_APPROVAL_REPORTS, NULL, NULL,
                                          &error));
      if (i < 3)
        g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DENIED);
      else
        g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
      g_clear_error (&error);
    }
  g_assert_null (till_people_approve (people, "8080", TILL_APPROVAL_DAY_CLOSE, NULL, NULL,
                                      &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  clock.now += 5 * 60 * G_USEC_PER_SEC;
  g_clear_pointer (&manager, till_person_free);
  manager = till_people_approve (people, "8080", TILL_APPROVAL_DAY_CLOSE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (manager->name, ==, "店长");
  g_assert_cmpint (store_int (store, "SELECT count(*) FROM audit WHERE action ="
                                     " 'approve:day_close' AND detail_json LIKE '%\"detail\":null}'"),
                   ==, 1);

  for (guint i = TILL_APPROVAL_REFUND; i <= TILL_APPROVAL_MEMBERS; i++)
    {
      g_assert_true (till_approval_action_from_string (till_approval_action_to_string (i),
                                                       &action));
      g_assert_cmpint (action, ==, i);
    }
  g_assert_false (till_approval_action_from_string ("launch_missiles", &action));
}

static void
test_seed_demo (void)
{
  g_autoptr(TestDir) dir = test_dir_new ();
  g_autoptr(TillStore) store = test_store_open (dir);
  g_autoptr(TillPeople) people = till_people_new (store);
  g_autoptr(GError) error = NULL;
  g_autoptr(TillPerson) manager = NULL;

  g_assert_true (till_people_seed_demo (people, &error));
  g_assert_true (till_people_seed_demo (people, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_people_count (store, &error), ==, 3);
  manager = till_people_approve (people, "8888", TILL_APPROVAL_SETTINGS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (manager->name, ==, "店长");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pin/pbkdf2/rfc7914", test_pbkdf2_rfc7914);
  g_test_add_func ("/pin/pbkdf2/common-vectors", test_pbkdf2_common_vectors);
  g_test_add_func ("/pin/hash-and-verify", test_hash_and_verify);
  g_test_add_func ("/pin/refusals", test_refusals);
  g_test_add_func ("/pin/people/first-manager-and-roles", test_first_manager_and_roles);
  g_test_add_func ("/pin/people/sign-in", test_sign_in);
  g_test_add_func ("/pin/people/lockout-survives-restart", test_lockout_survives_restart);
  g_test_add_func ("/pin/people/lockout-configurable", test_lockout_configurable);
  g_test_add_func ("/pin/people/approve", test_approve);
  g_test_add_func ("/pin/people/seed-demo", test_seed_demo);
  return g_test_run ();
}
