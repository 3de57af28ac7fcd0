/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the scanner hub: codes fed from any thread are emitted, trimmed and in
 * order, on the main context the hub was made in. */
#define G_LOG_DOMAIN "test-scanner-hub"
#include "config.h"

#include "till-scanner-hub.h"

typedef struct
{
  GPtrArray *codes;    /* of char* */
  GArray *sources;     /* of int */
  GThread *expected_thread;
  guint wrong_thread;
} Recorder;

static void
code_scanned_cb (TillScannerHub *hub,
                 const char     *code,
                 int             source,
                 Recorder       *r)
{
  if (g_thread_self () != r->expected_thread)
    r->wrong_thread++;
  g_ptr_array_add (r->codes, g_strdup (code));
  g_array_append_val (r->sources, source);
}

static void
recorder_init (Recorder       *r,
               TillScannerHub *hub)
{
  r->codes = g_ptr_array_new_with_free_func (g_free);
  r->sources = g_array_new (FALSE, FALSE, sizeof (int));
  r->expected_thread = g_thread_self ();
  r->wrong_thread = 0;
  g_signal_connect (hub, "code-scanned", G_CALLBACK (code_scanned_cb), r);
}

static void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->codes);
  g_array_unref (r->sources);
}

static void
iterate_until (GMainContext *context,
               Recorder     *r,
               guint         n_codes)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (r->codes->len < n_codes)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (context, TRUE);
    }
}

static void
drain (GMainContext *context)
{
  while (g_main_context_iteration (context, FALSE))
    ;
}

#define N_THREAD_CODES 1000

static gpointer
feeder_thread (gpointer data)
{
  TillScannerHub *hub = data;

  for (int i = 0; i < N_THREAD_CODES; i++)
    {
      g_autofree char *code = g_strdup_printf ("%d\r\n", i);

      till_scanner_hub_feed (hub, code, TILL_SCAN_SOURCE_SERIAL);
    }
  return NULL;
}

static void
test_feed_from_thread (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  GThread *thread;
  Recorder r;

  recorder_init (&r, hub);
  thread = g_thread_new ("feeder", feeder_thread, hub);
  /* While this thread waits in join, nobody runs the main context; the hub must not run
   * the handlers in the feeding thread then (as g_main_context_invoke () would). */
  g_thread_join (thread);
  g_assert_cmpuint (r.codes->len, ==, 0);

  iterate_until (NULL, &r, N_THREAD_CODES);
  drain (NULL);

  g_assert_cmpuint (r.codes->len, ==, N_THREAD_CODES);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  for (int i = 0; i < N_THREAD_CODES; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%d", i);

      g_assert_cmpstr (r.codes->pdata[i], ==, expected);
      g_assert_cmpint (g_array_index (r.sources, int, i), ==, TILL_SCAN_SOURCE_SERIAL);
    }
  recorder_clear (&r);
}

static gpointer
feed_while_running_thread (gpointer data)
{
  TillScannerHub *hub = data;

  for (int i = 0; i < 50; i++)
    {
      till_scanner_hub_feed (hub, "134567890123456789", TILL_SCAN_SOURCE_CAMERA);
      g_usleep (100);
    }
  return NULL;
}

static void
test_feed_from_thread_while_running (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  GThread *thread;
  Recorder r;

  recorder_init (&r, hub);
  thread = g_thread_new ("feeder", feed_while_running_thread, hub);
  iterate_until (NULL, &r, 50);
  g_thread_join (thread);

  g_assert_cmpuint (r.wrong_thread, ==, 0);
  g_assert_cmpint (g_array_index (r.sources, int, 49), ==, TILL_SCAN_SOURCE_CAMERA);
  recorder_clear (&r);
}

static void
test_feed_is_deferred (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  Recorder r;

  recorder_init (&r, hub);
  /* fed from the main thread too, the signal comes from the main loop, not from inside
   * feed () (a handler may feed again without recursion) */
  till_scanner_hub_feed (hub, "6901028075763", TILL_SCAN_SOURCE_WEDGE);
  g_assert_cmpuint (r.codes->len, ==, 0);
  iterate_until (NULL, &r, 1);
  g_assert_cmpstr (r.codes->pdata[0], ==, "6901028075763");
  g_assert_cmpint (g_array_index (r.sources, int, 0), ==, TILL_SCAN_SOURCE_WEDGE);
  recorder_clear (&r);
}

static void
test_trimming (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  const char *fed[] = { "  6901028075763\r\n", "\t42\t", "\r\nABC 123\r\n", "\x02" "96385074\x03",
                        "x" };
  const char *expected[] = { "6901028075763", "42", "ABC 123", "96385074", "x" };
  Recorder r;

  recorder_init (&r, hub);
  for (gsize i = 0; i < G_N_ELEMENTS (fed); i++)
    till_scanner_hub_feed (hub, fed[i], TILL_SCAN_SOURCE_SERIAL);
  iterate_until (NULL, &r, G_N_ELEMENTS (fed));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (r.codes->pdata[i], ==, expected[i]);
  recorder_clear (&r);
}

static void
test_empty_codes_dropped (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  const char *empty[] = { "", " ", "\r\n", "\t", "\r", "\n\n\n", " \t\r\n " };
  Recorder r;

  recorder_init (&r, hub);
  for (gsize i = 0; i < G_N_ELEMENTS (empty); i++)
    till_scanner_hub_feed (hub, empty[i], TILL_SCAN_SOURCE_WEDGE);
  till_scanner_hub_feed (hub, "END", TILL_SCAN_SOURCE_DEMO);  /* a marker */
  iterate_until (NULL, &r, 1);
  drain (NULL);

  g_assert_cmpuint (r.codes->len, ==, 1);
  g_assert_cmpstr (r.codes->pdata[0], ==, "END");
  g_assert_cmpint (g_array_index (r.sources, int, 0), ==, TILL_SCAN_SOURCE_DEMO);
  recorder_clear (&r);
}

static void
test_invalid_utf8_made_valid (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  Recorder r;

  recorder_init (&r, hub);
  till_scanner_hub_feed (hub, "12\xff" "34\r\n", TILL_SCAN_SOURCE_SERIAL);
  iterate_until (NULL, &r, 1);
  g_assert_true (g_utf8_validate (r.codes->pdata[0], -1, NULL));
  g_assert_true (g_str_has_prefix (r.codes->pdata[0], "12"));
  g_assert_true (g_str_has_suffix (r.codes->pdata[0], "34"));
  recorder_clear (&r);
}

static void
test_own_main_context (void)
{
  GMainContext *context = g_main_context_new ();
  TillScannerHub *hub;
  Recorder r;

  g_main_context_push_thread_default (context);
  hub = till_scanner_hub_new ();
  g_main_context_pop_thread_default (context);

  recorder_init (&r, hub);
  till_scanner_hub_feed (hub, "12345", TILL_SCAN_SOURCE_WEDGE);

  /* the global default context does not carry it... */
  drain (NULL);
  g_assert_cmpuint (r.codes->len, ==, 0);
  /* ...the hub's own context does */
  iterate_until (context, &r, 1);
  g_assert_cmpstr (r.codes->pdata[0], ==, "12345");

  recorder_clear (&r);
  g_object_unref (hub);
  g_main_context_unref (context);
}

static void
test_hub_outlives_owner (void)
{
  TillScannerHub *hub = till_scanner_hub_new ();
  GWeakRef weak;
  Recorder r;

  recorder_init (&r, hub);
  g_weak_ref_init (&weak, hub);
  till_scanner_hub_feed (hub, "12345", TILL_SCAN_SOURCE_WEDGE);
  g_object_unref (hub);

  /* the pending emission keeps the hub alive until it has run */
  iterate_until (NULL, &r, 1);
  drain (NULL);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  recorder_clear (&r);
}

static void
test_source_labels (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpstr (till_scan_source_to_string (TILL_SCAN_SOURCE_WEDGE), ==, "wedge scanner");
  g_assert_cmpstr (till_scan_source_to_string (TILL_SCAN_SOURCE_SERIAL), ==, "serial scanner");
  g_assert_cmpstr (till_scan_source_to_string (TILL_SCAN_SOURCE_CAMERA), ==, "camera");
  g_assert_cmpstr (till_scan_source_to_string (TILL_SCAN_SOURCE_DEMO), ==, "demo phone");
  for (TillScanSource s = TILL_SCAN_SOURCE_WEDGE; s <= TILL_SCAN_SOURCE_DEMO; s++)
    {
      const char *label = till_scan_source_to_string (s);

      g_assert_false (g_hash_table_contains (seen, label));
      g_hash_table_add (seen, (gpointer) label);
    }
  g_assert_nonnull (till_scan_source_to_string ((TillScanSource) 99));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scanner-hub/thread/feed-while-blocked", test_feed_from_thread);
  g_test_add_func ("/scanner-hub/thread/feed-while-running", test_feed_from_thread_while_running);
  g_test_add_func ("/scanner-hub/feed-is-deferred", test_feed_is_deferred);
  g_test_add_func ("/scanner-hub/trimming", test_trimming);
  g_test_add_func ("/scanner-hub/empty-dropped", test_empty_codes_dropped);
  g_test_add_func ("/scanner-hub/invalid-utf8", test_invalid_utf8_made_valid);
  g_test_add_func ("/scanner-hub/own-main-context", test_own_main_context);
  g_test_add_func ("/scanner-hub/outlives-owner", test_hub_outlives_owner);
  g_test_add_func ("/scanner-hub/source-labels", test_source_labels);

  return g_test_run ();
}
