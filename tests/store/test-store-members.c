/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Members in the store (issue 16, schema 16) on a real file: levels, members added and
 * edited with their phone normalized and unique, found by code, phone and name (pinyin
 * keys), member prices; refusals leave nothing written; no phone number in any log
 * line. */
#include "config.h"

#include "store-test-util.h"
#include "till-store-members.h"

/* Every log line of the test, to hold that no phone number reaches the log. */
static GString *logged;

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; logged != NULL && i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      {
        g_string_append (logged, fields[i].value);
        g_string_append_c (logged, '\n');
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gint64
add_product (TillStore *store, const char *plu, const char *name)
{
  g_autoptr (GError) error = NULL;
  TillProduct product
      = { 0, NULL, (char *)plu, (char *)name, 500, (char *)"件", FALSE, TRUE, FALSE };
  gint64 id = till_store_upsert_product (store, &product, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_member (TillStore *store, const char *name, const char *phone, gint64 level_id)
{
  g_autoptr (GError) error = NULL;
  TillMemberFields f = { name, phone, NULL, level_id, NULL, TRUE };
  gint64 id = till_store_add_member (store, &f, NULL, "Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_levels (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) levels = NULL;
  gint64 gold, silver;

  gold = till_store_add_member_level (store, " Gold ", 2, 1000, 2, &error);
  g_assert_no_error (error);
  silver = till_store_add_member_level (store, "Silver", 1, 500, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_add_member_level (store, "Gold", 3, 0, 1, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_add_member_level (store, "", 3, 0, 1, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_add_member_level (store, "Platinum", 3, 10001, 1, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (till_store_add_member_level (store, "Platinum", 3, 0, -1, &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM member_level"), ==, 2);

  g_assert_true (till_store_edit_member_level (store, silver, "Silver", 0, 300, 1, &error));
  g_assert_no_error (error);
  g_assert_false (till_store_edit_member_level (store, silver, "Gold", 0, 300, 1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_store_edit_member_level (store, 99, "Bronze", 0, 300, 1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  levels = till_store_list_member_levels (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (levels->len, ==, 2);
  g_assert_cmpstr (((TillMemberLevel *)levels->pdata[0])->name, ==, "Silver");
  g_assert_cmpint (((TillMemberLevel *)levels->pdata[0])->discount_bp, ==, 300);
  g_assert_cmpstr (((TillMemberLevel *)levels->pdata[1])->name, ==, "Gold");
  g_assert_cmpint (((TillMemberLevel *)levels->pdata[1])->id, ==, gold);
  g_assert_cmpint (((TillMemberLevel *)levels->pdata[1])->points_per_yuan, ==, 2);
}

static void
test_add_find_edit (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillMember) by_code = NULL;
  g_autoptr (TillMember) by_phone = NULL;
  g_autoptr (TillMember) edited = NULL;
  g_autoptr (TillMember) none = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *audit = NULL;
  gint64 gold, id;
  TillMemberFields f = { "  张伟 ", "+86 138-1234-1234", "1990-02-28", 0, "likes rye", TRUE };
  TillMemberFields change = { "张伟", "139 0000 1111", "02-29", 0, NULL, TRUE };

  logged = g_string_new (NULL);
  gold = till_store_add_member_level (store, "Gold", 0, 1000, 2, &error);
  g_assert_no_error (error);
  f.level_id = gold;
  id = till_store_add_member (store, &f, NULL, "Li", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  by_phone = till_store_find_member_by_phone (store, "13812341234", &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_phone->id, ==, id);
  g_assert_cmpstr (by_phone->name, ==, "张伟");
  g_assert_cmpstr (by_phone->phone, ==, "13812341234");
  g_assert_cmpstr (by_phone->birthday, ==, "1990-02-28");
  g_assert_cmpint (by_phone->level_id, ==, gold);
  g_assert_cmpstr (by_phone->level_name, ==, "Gold");
  g_assert_cmpstr (by_phone->note, ==, "likes rye");
  g_assert_cmpstr (by_phone->created_by, ==, "Li");
  g_assert_true (by_phone->active);
  g_assert_true (till_member_code_valid (by_phone->code));

  lower = g_ascii_strdown (by_phone->code, -1);
  by_code = till_store_find_member_by_code (store, lower, &error);
  g_assert_no_error (error);
  g_assert_cmpint (by_code->id, ==, id);

  change.level_id = 0;
  g_assert_true (till_store_edit_member (store, id, &change, "Wang", &error));
  g_assert_no_error (error);
  edited = till_store_get_member (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edited->phone, ==, "13900001111");
  g_assert_cmpstr (edited->birthday, ==, "02-29");
  g_assert_cmpint (edited->level_id, ==, 0);
  g_assert_null (edited->level_name);
  g_assert_null (edited->note);
  g_assert_cmpstr (edited->code, ==, by_code->code);

  none = till_store_find_member_by_phone (store, "13812341234", &error);
  g_assert_null (none);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* made inactive: no longer found at the counter, still there */
  change.active = FALSE;
  g_assert_true (till_store_edit_member (store, id, &change, "Wang", &error));
  g_assert_no_error (error);
  g_assert_null (till_store_find_member_by_code (store, by_code->code, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  audit = store_rows (store, "SELECT actor, action, detail_json FROM audit"
                             " WHERE action LIKE 'member%' ORDER BY id");
  g_assert_cmpstr (audit, ==,
                   "Li|member_add|{\"member_id\":1}\n"
                   "Wang|member_edit|{\"member_id\":1}\n"
                   "Wang|member_edit|{\"member_id\":1}\n");
  /* the capture works: the member is logged by id */
  g_assert_nonnull (strstr (logged->str, "Member 1 added"));
  g_assert_null (strstr (logged->str, "1381234"));
  g_assert_null (strstr (logged->str, "1390000"));
  g_string_free (g_steal_pointer (&logged), TRUE);
}

static void
test_refusals (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 first;
  g_autofree char *code = NULL;
  static const char *bad_birthdays[] = { "1990-02-30", "02-30", "13-01",     "1899-01-01",
                                         "1990/01/01", "1-2-3", "1990-1-01", "abcde" };
  TillMemberFields f = { "Wang", "13812341234", NULL, 0, NULL, TRUE };

  logged = g_string_new (NULL);
  first = add_member (store, "Zhang", "13812341234", 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM member"), ==, 1);

  /* the same phone typed another way */
  f.phone = "+86 13812341234";
  g_assert_cmpint (till_store_add_member (store, &f, NULL, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "Another member has this phone number");
  g_clear_error (&error);

  f.phone = "12345";
  g_assert_cmpint (till_store_add_member (store, &f, NULL, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  f.phone = NULL;
  f.name = "   ";
  g_assert_cmpint (till_store_add_member (store, &f, NULL, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  f.name = "Wang";

  for (gsize i = 0; i < G_N_ELEMENTS (bad_birthdays); i++)
    {
      f.birthday = bad_birthdays[i];
      g_assert_cmpint (till_store_add_member (store, &f, NULL, "Li", &error), ==, 0);
      g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
      g_clear_error (&error);
    }
  f.birthday = NULL;

  f.level_id = 42;
  g_assert_cmpint (till_store_add_member (store, &f, NULL, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  f.level_id = 0;

  /* a card's code: checked, and never twice */
  g_assert_cmpint (till_store_add_member (store, &f, "M1234567890", "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  code = store_text (store, "SELECT code FROM member");
  g_assert_cmpint (till_store_add_member (store, &f, code, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* editing to another member's phone */
  g_assert_cmpint (till_store_add_member (store, &f, NULL, "Li", &error), >, first);
  g_assert_no_error (error);
  f.phone = "138 1234 1234";
  g_assert_false (till_store_edit_member (store, first + 1, &f, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_store_edit_member (store, 99, &f, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  f.phone = NULL;
  g_assert_false (till_store_edit_member (store, 99, &f, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* nothing of the refusals written */
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM member"), ==, 2);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action LIKE 'member%'"), ==,
                   2);
  g_assert_null (till_store_find_member_by_phone (store, "138", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_null (till_store_find_member_by_code (store, "6901234567892", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* a member cannot be deleted */
  till_store_lock (store);
  g_assert_cmpint (raw_try (till_store_get_db (store), "DELETE FROM member"), ==,
                   SQLITE_CONSTRAINT);
  till_store_unlock (store);
  g_assert_null (strstr (logged->str, "13812341234"));
  g_string_free (g_steal_pointer (&logged), TRUE);
}

static char *
names_of (GPtrArray *members)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < members->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", ((TillMember *)members->pdata[i])->name);
  return g_string_free (out, FALSE);
}

static void
test_search (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  static const struct
  {
    const char *query;
    const char *names;
  } cases[] = {
    { "zw", "张伟,张薇" },
    { "zhangw", "张伟,张薇" },
    { "张", "张伟,张薇" },
    { "ZHANGWEI", "张伟,张薇" },
    { "lm", "李明" },
    { "an", "Anna Smith" },
    { "anna s", "Anna Smith" },
    { "x", "" },
    { "", "" },
  };
  gint64 wei;
  TillMemberFields off = { "张伟", NULL, NULL, 0, NULL, FALSE };

  wei = add_member (store, "张伟", NULL, 0);
  add_member (store, "张薇", "15900001111", 0);
  add_member (store, "李明", NULL, 0);
  add_member (store, "Anna Smith", NULL, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) found = till_store_search_members (store, cases[i].query, 10, &error);
      g_autofree char *names = NULL;

      g_assert_no_error (error);
      names = names_of (found);
      g_assert_cmpstr (names, ==, cases[i].names);
    }

  {
    g_autoptr (GPtrArray) one = till_store_search_members (store, "zw", 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (one->len, ==, 1);
  }
  /* renamed: the old keys go; inactive: not found */
  off.name = "王芳";
  off.active = TRUE;
  g_assert_true (till_store_edit_member (store, wei, &off, "Li", &error));
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) zw = till_store_search_members (store, "zw", 10, &error);
    g_autoptr (GPtrArray) wf = till_store_search_members (store, "wf", 10, &error);
    g_autofree char *a = names_of (zw);
    g_autofree char *b = names_of (wf);

    g_assert_cmpstr (a, ==, "张薇");
    g_assert_cmpstr (b, ==, "王芳");
  }
  off.active = FALSE;
  g_assert_true (till_store_edit_member (store, wei, &off, "Li", &error));
  {
    g_autoptr (GPtrArray) wf = till_store_search_members (store, "wf", 10, &error);

    g_assert_cmpuint (wf->len, ==, 0);
  }
  /* the search is an index range, not a scan */
  {
    g_autofree char *plan = store_rows (
        store,
        "EXPLAIN QUERY PLAN SELECT m.id FROM member_search s JOIN member m ON m.id = s.member_id"
        " WHERE s.key >= 'zw' AND s.key < 'zx' AND m.active = 1 ORDER BY s.key LIMIT 10");

    g_assert_nonnull (strstr (plan, "SEARCH s USING PRIMARY KEY (key>? AND key<?)"));
  }
}

static void
test_member_prices (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 bread, gold, silver, price = 0;

  bread = add_product (store, "101", "Bread");
  gold = till_store_add_member_level (store, "Gold", 0, 0, 1, &error);
  silver = till_store_add_member_level (store, "Silver", 1, 0, 1, &error);
  g_assert_no_error (error);

  g_assert_true (till_store_get_member_price (store, bread, gold, &price, &error));
  g_assert_cmpint (price, ==, -1);
  g_assert_true (till_store_set_member_price (store, bread, gold, 420, "Li", &error));
  g_assert_true (till_store_set_member_price (store, bread, silver, 450, "Li", &error));
  g_assert_true (till_store_set_member_price (store, bread, gold, 400, "Li", &error));
  g_assert_no_error (error);
  g_assert_true (till_store_get_member_price (store, bread, gold, &price, &error));
  g_assert_cmpint (price, ==, 400);
  g_assert_true (till_store_get_member_price (store, bread, silver, &price, &error));
  g_assert_cmpint (price, ==, 450);
  g_assert_true (till_store_set_member_price (store, bread, silver, -1, "Li", &error));
  g_assert_true (till_store_get_member_price (store, bread, silver, &price, &error));
  g_assert_cmpint (price, ==, -1);
  g_assert_no_error (error);

  /* an unknown product or level: refused, nothing written */
  g_assert_false (till_store_set_member_price (store, 999, gold, 100, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (till_store_set_member_price (store, bread, 999, 100, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM product_member_price"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action = 'member_price'"),
                   ==, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/store/members/levels", test_levels);
  g_test_add_func ("/store/members/add-find-edit", test_add_find_edit);
  g_test_add_func ("/store/members/refusals", test_refusals);
  g_test_add_func ("/store/members/search", test_search);
  g_test_add_func ("/store/members/prices", test_member_prices);

  return g_test_run ();
}
