/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quick keys (issue 15, schema 15) on real SQLite files: pages are categories, keys in
 * order, placed, moved and removed; a key of an inactive product hidden, not an error;
 * refusals with words for the person. */
#define G_LOG_DOMAIN "test-store-quickkeys"

#include "config.h"

#include "store-test-util.h"
#include "till-store-products.h"
#include "till-store-quickkeys.h"

static gint64
add_product (TillStore *store, const char *plu, const char *name, gboolean weighed)
{
  g_autoptr (GError) error = NULL;
  TillProduct product
      = { 0,       NULL, (char *)plu, (char *)name, 500, (char *)(weighed ? "kg" : "件"),
          weighed, TRUE, FALSE };
  gint64 id = till_store_upsert_product (store, &product, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_category (TillStore *store, const char *name)
{
  g_autoptr (GError) error = NULL;
  gint64 id = till_store_add_category (store, name, "Manager Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
place (TillStore *store, gint64 category_id, gint64 product_id, const char *label,
       const char *colour)
{
  g_autoptr (GError) error = NULL;
  gint64 id = till_store_place_quick_key (store, category_id, product_id, label, colour,
                                          "Manager Li", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* "page:label" of every key, in order, joined by spaces. */
static char *
arrangement (TillStore *store, gboolean include_hidden)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) keys = till_store_list_quick_keys (store, include_hidden, &error);
  g_autoptr (GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (keys);
  for (guint i = 0; i < keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (keys, i);

      g_string_append_printf (out, "%s%s:%s", i ? " " : "", key->page_name,
                              till_quick_key_get_label (key));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_arrangement (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  gint64 bread, eggs, apples, bakery, produce, k_bread, k_eggs, k_apples;
  g_autofree char *text = NULL;

  keys = till_store_list_quick_keys (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 0);
  g_clear_pointer (&keys, g_ptr_array_unref);

  bread = add_product (store, "101", "Bread", FALSE);
  eggs = add_product (store, "102", "Eggs", FALSE);
  apples = add_product (store, "103", "Apples", TRUE);
  produce = add_category (store, "Produce");
  bakery = add_category (store, "Bakery");
  k_bread = place (store, bakery, bread, NULL, NULL);
  k_eggs = place (store, bakery, eggs, "  Eggs (each) ", "#FFAA00");
  k_apples = place (store, produce, apples, "", NULL);

  /* Pages in the categories' order (Produce was added first), keys in order of placing. */
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Bakery:Bread Bakery:Eggs (each)");
  g_clear_pointer (&text, g_free);

  keys = till_store_list_quick_keys (store, FALSE, &error);
  g_assert_no_error (error);
  {
    TillQuickKey *key = g_ptr_array_index (keys, 2);
    g_autoptr (TillQuickKey) copy = till_quick_key_copy (key);

    g_assert_cmpint (key->id, ==, k_eggs);
    g_assert_cmpint (key->category_id, ==, bakery);
    g_assert_cmpstr (key->label, ==, "Eggs (each)");
    g_assert_cmpstr (key->colour, ==, "#ffaa00");
    g_assert_cmpint (key->product->id, ==, eggs);
    g_assert_cmpstr (key->product->plu, ==, "102");
    g_assert_cmpstr (copy->product->name, ==, "Eggs");
    key = g_ptr_array_index (keys, 0);
    g_assert_null (key->label); /* an empty label is none: the product's name shows */
    g_assert_true (key->product->weighed);
  }
  g_clear_pointer (&keys, g_ptr_array_unref);

  /* Move right, then left again; at the end of the page nothing moves. */
  g_assert_true (till_store_move_quick_key (store, k_bread, 1, &error));
  g_assert_no_error (error);
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Bakery:Eggs (each) Bakery:Bread");
  g_clear_pointer (&text, g_free);
  g_assert_true (till_store_move_quick_key (store, k_bread, 1, &error));
  g_assert_true (till_store_move_quick_key (store, k_apples, -1, &error));
  g_assert_no_error (error);
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Bakery:Eggs (each) Bakery:Bread");
  g_clear_pointer (&text, g_free);
  g_assert_true (till_store_move_quick_key (store, k_bread, -1, &error));
  g_assert_no_error (error);
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Bakery:Bread Bakery:Eggs (each)");
  g_clear_pointer (&text, g_free);

  /* Remove leaves a gap; a key placed after it goes last, and moves step over the gap. */
  g_assert_true (till_store_remove_quick_key (store, k_bread, "Manager Li", &error));
  g_assert_no_error (error);
  k_bread = place (store, bakery, bread, NULL, NULL);
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Bakery:Eggs (each) Bakery:Bread");
  g_clear_pointer (&text, g_free);
  g_assert_true (till_store_move_quick_key (store, k_bread, -1, &error));
  g_assert_no_error (error);
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Bakery:Bread Bakery:Eggs (each)");
  g_clear_pointer (&text, g_free);

  /* The same product may be on two pages; every change is audited with who made it. */
  place (store, produce, eggs, NULL, NULL);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action ="
                                     " 'quick_key_place' AND actor = 'Manager Li'"),
                   ==, 5);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action ="
                                     " 'quick_key_remove'"),
                   ==, 1);

  /* The arrangement is in the file: another opening sees it. */
  g_clear_object (&store);
  store = test_store_open (dir);
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Produce:Apples Produce:Eggs Bakery:Bread Bakery:Eggs (each)");
}

static void
test_hidden_inactive (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 bread, eggs, bakery;
  g_autofree char *text = NULL;
  sqlite3 *db;

  bread = add_product (store, "101", "Bread", FALSE);
  eggs = add_product (store, "102", "Eggs", FALSE);
  bakery = add_category (store, "Bakery");
  place (store, bakery, bread, NULL, NULL);
  place (store, bakery, eggs, NULL, NULL);

  /* Made inactive elsewhere (an import, the products window): hidden at the counter,
   * still arranged (the manager sees it), and back when the product is sold again. */
  db = raw_open (dir->path);
  raw_exec (db, "UPDATE product SET active = 0 WHERE plu = '101'");
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Bakery:Eggs");
  g_clear_pointer (&text, g_free);
  text = arrangement (store, TRUE);
  g_assert_cmpstr (text, ==, "Bakery:Bread Bakery:Eggs");
  g_clear_pointer (&text, g_free);
  raw_exec (db, "UPDATE product SET active = 1 WHERE plu = '101'");
  text = arrangement (store, FALSE);
  g_assert_cmpstr (text, ==, "Bakery:Bread Bakery:Eggs");
  g_clear_pointer (&text, g_free);

  /* A product deleted (nothing sold it yet) or a page deleted takes its keys along. */
  raw_exec (db, "DELETE FROM product WHERE plu = '102'");
  text = arrangement (store, TRUE);
  g_assert_cmpstr (text, ==, "Bakery:Bread");
  g_clear_pointer (&text, g_free);
  raw_exec (db, "DELETE FROM category");
  text = arrangement (store, TRUE);
  g_assert_cmpstr (text, ==, "");
  sqlite3_close (db);
  g_assert_no_error (error);
}

static void
test_refused (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  gint64 bread, bakery, key;

  bread = add_product (store, "101", "Bread", FALSE);
  bakery = add_category (store, "Bakery");
  key = place (store, bakery, bread, NULL, NULL);

  g_assert_cmpint (till_store_place_quick_key (store, bakery, bread, NULL, NULL, "Li", &error), ==,
                   0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "This product already has a key on this page");
  g_clear_error (&error);
  g_assert_cmpint (till_store_place_quick_key (store, bakery, 999, NULL, NULL, "Li", &error), ==,
                   0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (till_store_place_quick_key (store, 999, bread, NULL, NULL, "Li", &error), ==, 0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (till_store_place_quick_key (store, bakery, bread, NULL, "red", "Li", &error), ==,
                   0);
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (till_store_move_quick_key (store, key + 100, 1, &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (till_store_remove_quick_key (store, key + 100, "Li", &error));
  g_assert_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing of the refusals was written: one key, one audit row of placing. */
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM quick_key"), ==, 1);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM audit WHERE action LIKE"
                                     " 'quick_key%'"),
                   ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/quickkeys/arrangement", test_arrangement);
  g_test_add_func ("/store/quickkeys/hidden-inactive", test_hidden_inactive);
  g_test_add_func ("/store/quickkeys/refused", test_refused);
  return g_test_run ();
}
