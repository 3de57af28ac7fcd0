/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of TillSaleLine and TillSale: integer totals, merging, weighed and
 * fixed-total lines, overflow refusal, signals and the GListModel contract. */
#define G_LOG_DOMAIN "test-sale"
#include "config.h"

#include <string.h>

#include "till-core.h"

/* Counts what a sale emits. */
typedef struct
{
  guint changed;
  guint items_changed;
  guint last_position, last_removed, last_added;
  guint notify_total;
  guint notify_count;
  guint notify_n_lines;
  guint notify_state;
  gint64 total_seen_in_items_changed;
} Emissions;

static void
changed_cb (TillSale  *sale,
            Emissions *e)
{
  e->changed++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Emissions  *e)
{
  e->items_changed++;
  e->last_position = position;
  e->last_removed = removed;
  e->last_added = added;
  e->total_seen_in_items_changed = till_sale_get_total_fen (TILL_SALE (model));
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           Emissions  *e)
{
  if (g_str_equal (pspec->name, "total-fen"))
    e->notify_total++;
  else if (g_str_equal (pspec->name, "item-count-milli"))
    e->notify_count++;
  else if (g_str_equal (pspec->name, "n-lines"))
    e->notify_n_lines++;
  else if (g_str_equal (pspec->name, "state"))
    e->notify_state++;
}

static void
watch (TillSale  *sale,
       Emissions *e)
{
  memset (e, 0, sizeof *e);
  g_signal_connect (sale, "changed", G_CALLBACK (changed_cb), e);
  g_signal_connect (sale, "items-changed", G_CALLBACK (items_changed_cb), e);
  g_signal_connect (sale, "notify", G_CALLBACK (notify_cb), e);
}

static TillSaleLine *
counted (gint64 product_id,
         gint64 price,
         gint64 qty_milli)
{
  g_autofree char *name = g_strdup_printf ("Product %" G_GINT64_FORMAT, product_id);

  return till_sale_line_new (product_id, "6901028075763", name, "pcs", price, qty_milli, FALSE);
}

static guint
add (TillSale     *sale,
     TillSaleLine *line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) owned = line;
  guint position = till_sale_add_line (sale, owned, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (position, !=, G_MAXUINT);
  return position;
}

static void
test_state_strings (void)
{
  const char *names[] = { "open", "suspended", "paid", "voided", "refunded" };

  for (TillSaleState s = TILL_SALE_STATE_OPEN; s <= TILL_SALE_STATE_REFUNDED; s++)
    {
      TillSaleState back = 99;

      g_assert_cmpstr (till_sale_state_to_string (s), ==, names[s]);
      g_assert_true (till_sale_state_from_string (names[s], &back));
      g_assert_cmpint (back, ==, s);
    }
  g_assert_null (till_sale_state_to_string ((TillSaleState) 42));
  g_assert_false (till_sale_state_from_string ("OPEN", NULL));
  g_assert_false (till_sale_state_from_string ("", NULL));
  g_assert_false (till_sale_state_from_string (NULL, NULL));
  g_assert_true (till_sale_state_from_string ("paid", NULL));
}

static void
test_line_counted (void)
{
  g_autoptr(TillSaleLine) line = till_sale_line_new (7, "6901028075763", "Cola", "bottle",
                                                     350, 3000, FALSE);
  g_autofree char *qty = till_sale_line_format_qty (line);
  g_autofree char *name = NULL;
  gint64 total = 0;

  g_assert_cmpint (till_sale_line_get_product_id (line), ==, 7);
  g_assert_cmpstr (till_sale_line_get_barcode (line), ==, "6901028075763");
  g_assert_cmpstr (till_sale_line_get_name (line), ==, "Cola");
  g_assert_cmpstr (till_sale_line_get_unit (line), ==, "bottle");
  g_assert_cmpint (till_sale_line_get_unit_price_fen (line), ==, 350);
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 3000);
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 1050);
  g_assert_false (till_sale_line_get_weighed (line));
  g_assert_false (till_sale_line_get_fixed_total (line));
  g_assert_cmpstr (qty, ==, "3");

  g_object_get (line, "name", &name, "line-total-fen", &total, NULL);
  g_assert_cmpstr (name, ==, "Cola");
  g_assert_cmpint (total, ==, 1050);
}

static void
test_line_weighed (void)
{
  /* 455 g at ¥12.80/kg: 1280 × 455 / 1000 = 582.4 fen -> ¥5.82 */
  g_autoptr(TillSaleLine) line = till_sale_line_new (3, NULL, "Apples", "kg", 1280, 455, TRUE);
  g_autofree char *qty = till_sale_line_format_qty (line);
  g_autofree char *money = till_money_format (till_sale_line_get_line_total_fen (line));

  g_assert_true (till_sale_line_get_weighed (line));
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 582);
  g_assert_cmpstr (money, ==, "¥5.82");
  g_assert_cmpstr (qty, ==, "0.455 kg");
}

static void
test_line_weighed_rounding (void)
{
  /* 1285 × 500 / 1000 = 642.5 -> 643 (half away from zero) */
  g_autoptr(TillSaleLine) half = till_sale_line_new (3, NULL, "Pears", "kg", 1285, 500, TRUE);
  /* 999 × 1 / 1000 = 0.999 -> 1 */
  g_autoptr(TillSaleLine) gram = till_sale_line_new (3, NULL, "Saffron", "kg", 999, 1, TRUE);
  /* 1001 × 1 / 1000 = 1.001 -> 1 */
  g_autoptr(TillSaleLine) gram2 = till_sale_line_new (3, NULL, "Tea", "kg", 1001, 1, TRUE);
  /* 1000 × 2500 / 1000 = 2500 exactly */
  g_autoptr(TillSaleLine) exact = till_sale_line_new (3, NULL, "Rice", NULL, 1000, 2500, TRUE);
  g_autofree char *exact_qty = till_sale_line_format_qty (exact);

  g_assert_cmpint (till_sale_line_get_line_total_fen (half), ==, 643);
  g_assert_cmpint (till_sale_line_get_line_total_fen (gram), ==, 1);
  g_assert_cmpint (till_sale_line_get_line_total_fen (gram2), ==, 1);
  g_assert_cmpint (till_sale_line_get_line_total_fen (exact), ==, 2500);
  g_assert_cmpstr (exact_qty, ==, "2.500 kg");  /* no unit: kg */
}

static void
test_line_format_qty (void)
{
  struct { gint64 milli; gboolean weighed; const char *unit; const char *expected; } cases[] = {
    { 3000, FALSE, "pcs", "3" },
    { 1500, FALSE, "pcs", "1.5" },
    { 1250, FALSE, "pcs", "1.25" },
    { 1005, FALSE, "pcs", "1.005" },
    { 1, FALSE, NULL, "0.001" },
    { 1000, FALSE, "", "1" },
    { 455, TRUE, "kg", "0.455 kg" },
    { 1500, TRUE, "kg", "1.500 kg" },
    { 12000, TRUE, "kg", "12.000 kg" },
    { 1, TRUE, "", "0.001 kg" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TillSaleLine) line = till_sale_line_new (1, NULL, "x", cases[i].unit, 100,
                                                         cases[i].milli, cases[i].weighed);
      g_autofree char *s = till_sale_line_format_qty (line);

      g_assert_cmpstr (s, ==, cases[i].expected);
    }
}

static void
test_line_set_qty (void)
{
  g_autoptr(TillSaleLine) line = counted (1, 350, 1000);
  g_autoptr(GError) error = NULL;

  g_assert_true (till_sale_line_set_qty_milli (line, 4000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 1400);

  g_assert_false (till_sale_line_set_qty_milli (line, 0, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_clear_error (&error);
  g_assert_false (till_sale_line_set_qty_milli (line, -1000, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_clear_error (&error);
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 4000);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_line_set_qty_notifies (void)
{
  g_autoptr(TillSaleLine) line = counted (1, 350, 1000);
  guint qty_notifies = 0, total_notifies = 0;

  g_signal_connect (line, "notify::qty-milli", G_CALLBACK (count_notify_cb), &qty_notifies);
  g_signal_connect (line, "notify::line-total-fen", G_CALLBACK (count_notify_cb), &total_notifies);

  g_assert_true (till_sale_line_set_qty_milli (line, 2000, NULL));
  g_assert_cmpuint (qty_notifies, ==, 1);
  g_assert_cmpuint (total_notifies, ==, 1);

  /* same quantity: nothing */
  g_assert_true (till_sale_line_set_qty_milli (line, 2000, NULL));
  g_assert_cmpuint (qty_notifies, ==, 1);
  g_assert_cmpuint (total_notifies, ==, 1);

  /* 1 g more at ¥3.50: the total stays 700 fen, only the quantity notifies */
  g_assert_true (till_sale_line_set_qty_milli (line, 2001, NULL));
  g_assert_cmpuint (qty_notifies, ==, 2);
  g_assert_cmpuint (total_notifies, ==, 1);
}

static void
test_line_set_qty_overflow (void)
{
  g_autoptr(TillSaleLine) line = counted (1, G_MAXINT64 / 2, 1000);
  g_autoptr(GError) error = NULL;

  g_assert_false (till_sale_line_set_qty_milli (line, 3000, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 1000);
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, G_MAXINT64 / 2);
}

static void
test_line_fixed_total (void)
{
  g_autoptr(TillSaleLine) line = till_sale_line_new_fixed_total (9, "2123456012345", "Cheese",
                                                                 "kg", 8800, 1234);
  g_autoptr(GError) error = NULL;
  g_autofree char *qty = till_sale_line_format_qty (line);

  g_assert_true (till_sale_line_get_fixed_total (line));
  g_assert_false (till_sale_line_get_weighed (line));
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 1234);
  g_assert_cmpint (till_sale_line_get_unit_price_fen (line), ==, 8800);
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 1000);
  g_assert_cmpstr (qty, ==, "1");

  g_assert_false (till_sale_line_set_qty_milli (line, 2000, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_assert_cmpint (till_sale_line_get_line_total_fen (line), ==, 1234);
}

static void
test_sale_new (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("20240601-0001");
  gint64 total = -1;
  guint n = 99;
  int state = -1;

  g_assert_cmpstr (till_sale_get_number (sale), ==, "20240601-0001");
  g_assert_cmpint (till_sale_get_id (sale), ==, 0);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_OPEN);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 0);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (sale)) == TILL_TYPE_SALE_LINE);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (sale), 0));
  g_assert_null (till_sale_get_line (sale, 0));

  g_object_get (sale, "total-fen", &total, "n-lines", &n, "state", &state, NULL);
  g_assert_cmpint (total, ==, 0);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (state, ==, TILL_SALE_STATE_OPEN);
}

static void
test_sale_metadata (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  Emissions e;

  watch (sale, &e);
  till_sale_set_id (sale, 42);
  till_sale_set_opened_at (sale, 1717200000000000);
  g_assert_cmpint (till_sale_get_id (sale), ==, 42);
  g_assert_cmpint (till_sale_get_opened_at (sale), ==, 1717200000000000);
  /* storage metadata is not a change to persist */
  g_assert_cmpuint (e.changed, ==, 0);
  g_assert_cmpuint (e.items_changed, ==, 0);
}

static void
test_sale_totals_many_lines (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  gint64 expected_total = 0, expected_count = 0;

  for (gint64 i = 1; i <= 500; i++)
    {
      gint64 price = i * 37 + 1;  /* odd fen amounts */
      gint64 qty = (i % 7 + 1) * 1000;

      add (sale, counted (i, price, qty));
      expected_total += price * (qty / 1000);
      expected_count += qty;
      g_assert_cmpint (till_sale_get_total_fen (sale), ==, expected_total);
    }
  for (gint64 i = 1; i <= 100; i++)
    {
      g_autoptr(TillSaleLine) w = till_sale_line_new (1000 + i, NULL, "w", "kg", 1280, 455, TRUE);

      add (sale, g_steal_pointer (&w));
      expected_total += 582;
      expected_count += 455;
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 600);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, expected_total);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, expected_count);
}

static void
test_sale_merge_counted (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  Emissions e;

  g_assert_cmpuint (add (sale, counted (1, 350, 1000)), ==, 0);
  g_assert_cmpuint (add (sale, counted (2, 500, 1000)), ==, 1);
  watch (sale, &e);

  g_assert_cmpuint (add (sale, counted (1, 350, 2000)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (sale, 0)), ==, 3000);
  g_assert_cmpint (till_sale_line_get_line_total_fen (till_sale_get_line (sale, 0)), ==, 1050);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1550);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, 4000);

  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.items_changed, ==, 1);
  g_assert_cmpuint (e.last_position, ==, 0);
  g_assert_cmpuint (e.last_removed, ==, 1);
  g_assert_cmpuint (e.last_added, ==, 1);
  g_assert_cmpuint (e.notify_total, ==, 1);
  g_assert_cmpuint (e.notify_count, ==, 1);
  g_assert_cmpuint (e.notify_n_lines, ==, 0);
}

static void
test_sale_no_merge_different_price (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");

  add (sale, counted (1, 350, 1000));
  g_assert_cmpuint (add (sale, counted (1, 300, 1000)), ==, 1);  /* price override */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 650);
}

static void
test_sale_no_merge_weighed (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");

  add (sale, till_sale_line_new (3, NULL, "Apples", "kg", 1280, 455, TRUE));
  add (sale, till_sale_line_new (3, NULL, "Apples", "kg", 1280, 455, TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1164);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, 910);

  /* a counted line of the same product does not merge into a weighed one */
  add (sale, till_sale_line_new (3, NULL, "Apples", "kg", 1280, 1000, FALSE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 3);
}

static void
test_sale_no_merge_fixed_total (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");

  add (sale, till_sale_line_new_fixed_total (9, "2", "Cheese", "kg", 8800, 1234));
  add (sale, till_sale_line_new_fixed_total (9, "2", "Cheese", "kg", 8800, 1234));
  add (sale, till_sale_line_new (9, NULL, "Cheese", "kg", 8800, 1000, FALSE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 3);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1234 + 1234 + 8800);
}

static void
test_sale_no_merge_without_product (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");

  add (sale, counted (0, 100, 1000));
  add (sale, counted (0, 100, 1000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
}

static void
test_sale_add_emissions (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  Emissions e;

  watch (sale, &e);
  add (sale, counted (1, 350, 1000));
  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.items_changed, ==, 1);
  g_assert_cmpuint (e.last_position, ==, 0);
  g_assert_cmpuint (e.last_removed, ==, 0);
  g_assert_cmpuint (e.last_added, ==, 1);
  g_assert_cmpuint (e.notify_total, ==, 1);
  g_assert_cmpuint (e.notify_count, ==, 1);
  g_assert_cmpuint (e.notify_n_lines, ==, 1);
  /* totals are up to date when items-changed is emitted */
  g_assert_cmpint (e.total_seen_in_items_changed, ==, 350);

  add (sale, counted (2, 0, 1000));  /* a free item: total unchanged */
  g_assert_cmpuint (e.changed, ==, 2);
  g_assert_cmpuint (e.items_changed, ==, 2);
  g_assert_cmpuint (e.last_position, ==, 1);
  g_assert_cmpuint (e.notify_total, ==, 1);
  g_assert_cmpuint (e.notify_count, ==, 2);
  g_assert_cmpuint (e.notify_n_lines, ==, 2);
}

static void
test_sale_line_is_shared (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(TillSaleLine) line = counted (1, 350, 1000);
  g_autoptr(TillSaleLine) item = NULL;

  g_assert_cmpuint (till_sale_add_line (sale, line, NULL), ==, 0);
  item = g_list_model_get_item (G_LIST_MODEL (sale), 0);
  g_assert_true (item == line);
  g_assert_true (till_sale_get_line (sale, 0) == line);
}

static void
test_sale_set_qty (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  Emissions e;

  add (sale, counted (1, 350, 1000));
  add (sale, till_sale_line_new (3, NULL, "Apples", "kg", 1280, 455, TRUE));
  watch (sale, &e);

  g_assert_true (till_sale_set_line_qty (sale, 0, 5000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1750 + 582);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, 5455);
  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.items_changed, ==, 1);
  g_assert_cmpuint (e.last_position, ==, 0);

  g_assert_true (till_sale_set_line_qty (sale, 1, 1000, &error));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 1750 + 1280);
  g_assert_cmpuint (e.changed, ==, 2);
  g_assert_cmpuint (e.last_position, ==, 1);

  /* same quantity: no change, no emission */
  g_assert_true (till_sale_set_line_qty (sale, 1, 1000, &error));
  g_assert_cmpuint (e.changed, ==, 2);
  g_assert_cmpuint (e.items_changed, ==, 2);
}

static void
test_sale_set_qty_invalid (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  Emissions e;

  add (sale, counted (1, 350, 1000));
  add (sale, till_sale_line_new_fixed_total (9, "2", "Cheese", "kg", 8800, 1234));
  watch (sale, &e);

  g_assert_false (till_sale_set_line_qty (sale, 0, 0, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_clear_error (&error);
  g_assert_false (till_sale_set_line_qty (sale, 0, -5, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_clear_error (&error);
  g_assert_false (till_sale_set_line_qty (sale, 1, 2000, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);

  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 350 + 1234);
  g_assert_cmpuint (e.changed, ==, 0);
  g_assert_cmpuint (e.items_changed, ==, 0);
}

static void
test_sale_direct_line_change_updates_totals (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(TillSaleLine) line = counted (1, 350, 1000);
  Emissions e;

  g_assert_cmpuint (till_sale_add_line (sale, line, NULL), ==, 0);
  watch (sale, &e);
  g_assert_true (till_sale_line_set_qty_milli (line, 2000, NULL));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 700);
  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.items_changed, ==, 1);
}

static void
test_sale_remove_line (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) removed = counted (2, 500, 2000);
  Emissions e;

  add (sale, counted (1, 350, 1000));
  g_assert_cmpuint (till_sale_add_line (sale, removed, NULL), ==, 1);
  add (sale, counted (3, 100, 1000));
  watch (sale, &e);

  g_assert_true (till_sale_remove_line (sale, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 450);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, 2000);
  g_assert_cmpint (till_sale_line_get_product_id (till_sale_get_line (sale, 1)), ==, 3);
  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.items_changed, ==, 1);
  g_assert_cmpuint (e.last_position, ==, 1);
  g_assert_cmpuint (e.last_removed, ==, 1);
  g_assert_cmpuint (e.last_added, ==, 0);
  g_assert_cmpuint (e.notify_n_lines, ==, 1);

  /* a removed line no longer talks to the sale */
  g_assert_true (till_sale_line_set_qty_milli (removed, 9000, NULL));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 450);
  g_assert_cmpuint (e.changed, ==, 1);

  g_assert_true (till_sale_remove_line (sale, 0, NULL));
  g_assert_true (till_sale_remove_line (sale, 0, NULL));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 0);
  g_assert_cmpint (till_sale_get_item_count_milli (sale), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
}

static void
test_sale_clear (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  Emissions e;

  add (sale, counted (1, 350, 1000));
  add (sale, counted (2, 350, 1000));
  add (sale, counted (3, 350, 1000));
  watch (sale, &e);

  till_sale_clear (sale);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 0);
  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.items_changed, ==, 1);
  g_assert_cmpuint (e.last_removed, ==, 3);

  till_sale_clear (sale);  /* nothing to clear: no emission */
  g_assert_cmpuint (e.changed, ==, 1);
}

static void
test_sale_overflow_add_refused (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) big = counted (2, G_MAXINT64 / 2, 1000);
  Emissions e;

  add (sale, counted (1, G_MAXINT64 / 2, 1000));
  add (sale, counted (3, 2, 1000));  /* MAX/2 + 2 + MAX/2 = MAX + 1 */
  watch (sale, &e);

  g_assert_cmpuint (till_sale_add_line (sale, big, &error), ==, G_MAXUINT);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 2);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, G_MAXINT64 / 2 + 2);
  g_assert_cmpuint (e.changed, ==, 0);
  g_assert_cmpuint (e.items_changed, ==, 0);
  g_assert_cmpuint (e.notify_total, ==, 0);
}

static void
test_sale_overflow_merge_refused (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) more = counted (1, G_MAXINT64 / 2, 1000);
  Emissions e;

  add (sale, counted (1, G_MAXINT64 / 2, 2000));  /* G_MAXINT64 - 1 */
  watch (sale, &e);

  g_assert_cmpuint (till_sale_add_line (sale, more, &error), ==, G_MAXUINT);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);
  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (sale, 0)), ==, 2000);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, G_MAXINT64 - 1);
  g_assert_cmpuint (e.changed, ==, 0);
}

static void
test_sale_overflow_set_qty_refused (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  Emissions e;

  add (sale, counted (1, G_MAXINT64 / 4, 1000));
  add (sale, counted (2, G_MAXINT64 / 4, 2000));
  watch (sale, &e);

  /* the line alone fits (3/4 max), the sale does not (5/4 max) */
  g_assert_false (till_sale_set_line_qty (sale, 0, 3000, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);
  g_clear_error (&error);
  /* the line alone overflows */
  g_assert_false (till_sale_set_line_qty (sale, 0, 5000, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);

  g_assert_cmpint (till_sale_line_get_qty_milli (till_sale_get_line (sale, 0)), ==, 1000);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, (G_MAXINT64 / 4) * 3);
  g_assert_cmpuint (e.changed, ==, 0);
  g_assert_cmpuint (e.items_changed, ==, 0);
}

static void
test_sale_overflow_line_refused (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  /* price × qty does not fit: the line is made but the sale refuses it */
  g_autoptr(TillSaleLine) line = counted (1, G_MAXINT64, 2000);
  g_autoptr(TillSaleLine) zero = counted (2, 100, 0);

  g_assert_cmpuint (till_sale_add_line (sale, line, &error), ==, G_MAXUINT);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);
  g_clear_error (&error);
  g_assert_cmpuint (till_sale_add_line (sale, zero, &error), ==, G_MAXUINT);
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_QUANTITY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 0);
}

static void
test_sale_overflow_remove_refused (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;

  /* MAX, -MAX, MAX: total MAX; taking out the negative line would overflow */
  add (sale, counted (1, G_MAXINT64, 1000));
  add (sale, counted (2, -G_MAXINT64, 1000));
  add (sale, counted (3, G_MAXINT64, 1000));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, G_MAXINT64);

  g_assert_false (till_sale_remove_line (sale, 1, &error));
  g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_MONEY_OVERFLOW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 3);
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, G_MAXINT64);

  g_assert_true (till_sale_remove_line (sale, 0, NULL));
  g_assert_cmpint (till_sale_get_total_fen (sale), ==, 0);
}

static void
test_sale_only_open_changes (void)
{
  for (TillSaleState s = TILL_SALE_STATE_SUSPENDED; s <= TILL_SALE_STATE_REFUNDED; s++)
    {
      g_autoptr(TillSale) sale = till_sale_new ("N1");
      g_autoptr(TillSaleLine) line = counted (2, 100, 1000);
      g_autoptr(GError) error = NULL;
      Emissions e;

      add (sale, counted (1, 350, 1000));
      till_sale_set_state (sale, s);
      watch (sale, &e);

      g_assert_cmpuint (till_sale_add_line (sale, line, &error), ==, G_MAXUINT);
      g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      g_assert_false (till_sale_set_line_qty (sale, 0, 2000, &error));
      g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      g_assert_false (till_sale_remove_line (sale, 0, &error));
      g_assert_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_ARGUMENT);

      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sale)), ==, 1);
      g_assert_cmpint (till_sale_get_total_fen (sale), ==, 350);
      g_assert_cmpuint (e.changed, ==, 0);
    }
}

static void
test_sale_state_changes (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  g_autoptr(GError) error = NULL;
  Emissions e;

  watch (sale, &e);
  till_sale_set_state (sale, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpint (till_sale_get_state (sale), ==, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpuint (e.changed, ==, 1);
  g_assert_cmpuint (e.notify_state, ==, 1);

  till_sale_set_state (sale, TILL_SALE_STATE_SUSPENDED);
  g_assert_cmpuint (e.changed, ==, 1);

  /* resumed: it can change again */
  till_sale_set_state (sale, TILL_SALE_STATE_OPEN);
  g_assert_cmpuint (e.changed, ==, 2);
  add (sale, counted (1, 350, 1000));
  g_assert_cmpuint (e.changed, ==, 3);
}

static void
test_sale_list_model (void)
{
  g_autoptr(TillSale) sale = till_sale_new ("N1");
  GListModel *model = G_LIST_MODEL (sale);

  for (gint64 i = 1; i <= 5; i++)
    add (sale, counted (i, i * 100, 1000));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TillSaleLine) line = g_list_model_get_item (model, i);
      g_autoptr(GObject) object = g_list_model_get_object (model, i);

      g_assert_true (TILL_IS_SALE_LINE (line));
      g_assert_true (object == G_OBJECT (line));
      g_assert_cmpint (till_sale_line_get_product_id (line), ==, i + 1);
    }
  g_assert_null (g_list_model_get_item (model, 5));
  g_assert_null (g_list_model_get_item (model, G_MAXUINT));
}

static void
test_sale_outlives_lines (void)
{
  TillSale *sale = till_sale_new ("N1");
  g_autoptr(TillSaleLine) line = counted (1, 350, 1000);

  till_sale_add_line (sale, line, NULL);
  g_object_unref (sale);
  /* the line survives the sale and no longer signals it */
  g_assert_true (till_sale_line_set_qty_milli (line, 2000, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sale/state-strings", test_state_strings);
  g_test_add_func ("/sale-line/counted", test_line_counted);
  g_test_add_func ("/sale-line/weighed", test_line_weighed);
  g_test_add_func ("/sale-line/weighed-rounding", test_line_weighed_rounding);
  g_test_add_func ("/sale-line/format-qty", test_line_format_qty);
  g_test_add_func ("/sale-line/set-qty", test_line_set_qty);
  g_test_add_func ("/sale-line/set-qty-notifies", test_line_set_qty_notifies);
  g_test_add_func ("/sale-line/set-qty-overflow", test_line_set_qty_overflow);
  g_test_add_func ("/sale-line/fixed-total", test_line_fixed_total);
  g_test_add_func ("/sale/new", test_sale_new);
  g_test_add_func ("/sale/metadata", test_sale_metadata);
  g_test_add_func ("/sale/totals-many-lines", test_sale_totals_many_lines);
  g_test_add_func ("/sale/merge/counted", test_sale_merge_counted);
  g_test_add_func ("/sale/merge/not-different-price", test_sale_no_merge_different_price);
  g_test_add_func ("/sale/merge/not-weighed", test_sale_no_merge_weighed);
  g_test_add_func ("/sale/merge/not-fixed-total", test_sale_no_merge_fixed_total);
  g_test_add_func ("/sale/merge/not-without-product", test_sale_no_merge_without_product);
  g_test_add_func ("/sale/add/emissions", test_sale_add_emissions);
  g_test_add_func ("/sale/add/line-is-shared", test_sale_line_is_shared);
  g_test_add_func ("/sale/set-qty/ok", test_sale_set_qty);
  g_test_add_func ("/sale/set-qty/invalid", test_sale_set_qty_invalid);
  g_test_add_func ("/sale/set-qty/direct", test_sale_direct_line_change_updates_totals);
  g_test_add_func ("/sale/remove", test_sale_remove_line);
  g_test_add_func ("/sale/clear", test_sale_clear);
  g_test_add_func ("/sale/overflow/add", test_sale_overflow_add_refused);
  g_test_add_func ("/sale/overflow/merge", test_sale_overflow_merge_refused);
  g_test_add_func ("/sale/overflow/set-qty", test_sale_overflow_set_qty_refused);
  g_test_add_func ("/sale/overflow/line", test_sale_overflow_line_refused);
  g_test_add_func ("/sale/overflow/remove", test_sale_overflow_remove_refused);
  g_test_add_func ("/sale/only-open-changes", test_sale_only_open_changes);
  g_test_add_func ("/sale/state-changes", test_sale_state_changes);
  g_test_add_func ("/sale/list-model", test_sale_list_model);
  g_test_add_func ("/sale/outlives-lines", test_sale_outlives_lines);

  return g_test_run ();
}
