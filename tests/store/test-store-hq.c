/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The head office's dead jobs at the till: what a refused batch leaves, listed for the
 * manager, and "Retry all" (till_store_hq_list_dead, till_store_hq_revive_dead). */
#define G_LOG_DOMAIN "till-test"
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "store-test-util.h"
#include "till-store-cash.h"
#include "till-store-hq.h"
#include "till-store-outbox.h"
#include "till-store.h"

/* Three cash movements with sending on: three 'hq_sync' jobs. */
static TillStore *
store_with_jobs (TestDir *dir)
{
  g_autoptr (GError) error = NULL;
  TillStore *store = test_store_open (dir);

  g_assert_true (till_store_hq_set_enabled (store, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (till_store_cash_record (store, TILL_CASH_FLOAT, 10000, NULL, "小李", &error));
  g_assert_true (till_store_cash_record (store, TILL_CASH_IN, 2000, "change", "小李", &error));
  g_assert_true (till_store_cash_record (store, TILL_CASH_OUT, 500, "milk", "小李", &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_hq_count_waiting (store, NULL), ==, 3);
  return store;
}

static void
test_dead_list_and_retry (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = store_with_jobs (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillStoreHqBatch) batch = NULL;
  g_autoptr (TillStoreHqBatch) again = NULL;
  g_autoptr (GPtrArray) dead = NULL;
  g_autoptr (GPtrArray) one = NULL;
  g_autoptr (GPtrArray) none = NULL;
  gint64 before = g_get_real_time ();

  /* nothing dead yet */
  none = till_store_hq_list_dead (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (till_store_hq_revive_dead (store, before, &error), ==, 0);

  /* the batch is refused: its jobs are dead, with the reason and the time */
  batch = till_store_hq_take_batch (store, "S1", "01", 300, g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_cmpuint (batch->job_ids->len, ==, 3);
  g_assert_true (till_store_hq_batch_dead (store, batch->job_ids, "unknown store S1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (till_store_hq_count_dead (store, NULL), ==, 3);
  g_assert_cmpint (till_store_hq_count_waiting (store, NULL), ==, 0);
  g_assert_null (till_store_hq_take_batch (store, "S1", "01", 300, g_get_real_time (), &error));
  g_assert_no_error (error);

  dead = till_store_hq_list_dead (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dead->len, ==, 3);
  for (guint i = 0; i < dead->len; i++)
    {
      TillOutboxJob *job = g_ptr_array_index (dead, i);

      g_assert_cmpstr (job->kind, ==, TILL_OUTBOX_KIND_HQ_SYNC);
      g_assert_true (g_str_has_prefix (job->key, "hq:cash_movement:"));
      g_assert_cmpint (job->state, ==, TILL_OUTBOX_STATE_DEAD);
      g_assert_cmpstr (job->last_error, ==, "unknown store S1");
      g_assert_cmpint (job->attempts, ==, 1);
      g_assert_cmpint (job->next_attempt_at, >=, before);
      g_assert_cmpint (job->next_attempt_at, <=, g_get_real_time ());
      g_assert_cmpint (job->created_at, >, 0);
      if (i > 0) /* the latest refused first, then the highest id */
        g_assert_cmpint (job->id, <, ((TillOutboxJob *)g_ptr_array_index (dead, i - 1))->id);
    }
  one = till_store_hq_list_dead (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);

  /* Retry all: pending again, due now, attempts 0, then taken as a batch with the same jobs */
  g_assert_cmpint (till_store_hq_revive_dead (store, g_get_real_time (), &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_hq_count_dead (store, NULL), ==, 0);
  g_assert_cmpint (till_store_hq_count_waiting (store, NULL), ==, 3);
  g_assert_cmpint (store_int (store, "SELECT max (attempts) FROM outbox WHERE kind = 'hq_sync'"),
                   ==, 0);
  g_assert_cmpint (till_store_hq_revive_dead (store, g_get_real_time (), &error), ==, 0);
  again = till_store_hq_take_batch (store, "S1", "01", 300, g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->job_ids->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (g_array_index (again->job_ids, gint64, i), ==,
                     g_array_index (batch->job_ids, gint64, i));
  g_assert_true (till_store_hq_batch_done (store, again->job_ids, &error));
  g_assert_cmpint (till_store_hq_count_waiting (store, NULL), ==, 0);
  g_assert_cmpint (till_store_hq_count_dead (store, NULL), ==, 0);
}

/* The payments' own dead jobs are not the head office's: neither listed nor revived. */
static void
test_dead_other_kinds (void)
{
  g_autoptr (TestDir) dir = test_dir_new ();
  g_autoptr (TillStore) store = test_store_open (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (TillOutboxJob) job = NULL;
  g_autoptr (GPtrArray) dead = NULL;

  job = till_store_outbox_enqueue (store, TILL_OUTBOX_KIND_REFUND, "refund:R1", NULL, 0, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_true (till_store_outbox_dead (store, job->id, "refused", &error));
  g_assert_no_error (error);
  dead = till_store_hq_list_dead (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dead->len, ==, 0);
  g_assert_cmpint (till_store_hq_revive_dead (store, g_get_real_time (), &error), ==, 0);
  g_assert_cmpint (store_int (store, "SELECT count (*) FROM outbox WHERE state = 'dead'"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/hq/dead-list-and-retry", test_dead_list_and_retry);
  g_test_add_func ("/store/hq/dead-other-kinds", test_dead_other_kinds);
  return g_test_run ();
}
