/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the keyboard-wedge detector: scans are recognized by timing alone, and
 * typing is never lost, duplicated or reordered. */
#define G_LOG_DOMAIN "test-wedge-detector"
#include "config.h"

#include "till-wedge-detector.h"

#define T 30  /* the default threshold */

typedef struct
{
  TillWedgeDetector *detector;
  GPtrArray *scanned;   /* of char* */
  GPtrArray *released;  /* of char* */
  GString *typed;       /* what a text field would show: released text and passed keys */
  guint32 now;
} Fixture;

static void
scanned_cb (TillWedgeDetector *detector,
            const char        *code,
            Fixture           *f)
{
  g_ptr_array_add (f->scanned, g_strdup (code));
}

static void
released_cb (TillWedgeDetector *detector,
             const char        *text,
             Fixture           *f)
{
  g_assert_nonnull (text);
  g_assert_cmpstr (text, !=, "");
  g_ptr_array_add (f->released, g_strdup (text));
  g_string_append (f->typed, text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->detector = till_wedge_detector_new (T);
  f->scanned = g_ptr_array_new_with_free_func (g_free);
  f->released = g_ptr_array_new_with_free_func (g_free);
  f->typed = g_string_new (NULL);
  f->now = 1000;
  g_signal_connect (f->detector, "scanned", G_CALLBACK (scanned_cb), f);
  g_signal_connect (f->detector, "released", G_CALLBACK (released_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_unref (f->detector);
  g_ptr_array_unref (f->scanned);
  g_ptr_array_unref (f->released);
  g_string_free (f->typed, TRUE);
}

/* One key, `gap` ms after the previous one. A passed character lands in `typed`. */
static TillWedgeResult
key (Fixture *f,
     gunichar ch,
     guint    gap)
{
  TillWedgeResult result;

  f->now += gap;
  result = till_wedge_detector_key (f->detector, ch, FALSE, f->now);
  if (result == TILL_WEDGE_PASS && ch != 0)
    g_string_append_unichar (f->typed, ch);
  return result;
}

static TillWedgeResult
enter (Fixture *f,
       guint    gap)
{
  TillWedgeResult result;

  f->now += gap;
  result = till_wedge_detector_key (f->detector, 0, TRUE, f->now);
  if (result == TILL_WEDGE_PASS)
    g_string_append_c (f->typed, '\n');
  return result;
}

/* Types `text` with `gap` ms between keys (also before the first one). Every key must
 * be held (printable keys always are, for now). */
static void
type (Fixture    *f,
      const char *text,
      guint       gap)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_cmpint (key (f, g_utf8_get_char (p), gap), ==, TILL_WEDGE_HELD);
}

static void
test_fast_run_is_scan (Fixture       *f,
                       gconstpointer  data)
{
  type (f, "6901028075763", 8);
  g_assert_true (till_wedge_detector_is_holding (f->detector));
  g_assert_cmpint (enter (f, 8), ==, TILL_WEDGE_SCANNED);

  g_assert_cmpuint (f->scanned->len, ==, 1);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "6901028075763");
  g_assert_cmpuint (f->released->len, ==, 0);
  g_assert_cmpstr (f->typed->str, ==, "");
  g_assert_false (till_wedge_detector_is_holding (f->detector));
}

static void
test_two_scans_in_a_row (Fixture       *f,
                         gconstpointer  data)
{
  type (f, "6901028075763", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);
  /* the second scan follows at once, within the threshold of the Enter */
  type (f, "134567890123456789", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);

  g_assert_cmpuint (f->scanned->len, ==, 2);
  g_assert_cmpstr (f->scanned->pdata[1], ==, "134567890123456789");
  g_assert_cmpuint (f->released->len, ==, 0);
}

static void
test_slow_typing_released_in_order (Fixture       *f,
                                    gconstpointer  data)
{
  type (f, "6901028075763", T + 1);
  g_assert_cmpint (enter (f, T + 1), ==, TILL_WEDGE_PASS);

  g_assert_cmpuint (f->scanned->len, ==, 0);
  g_assert_cmpuint (f->released->len, ==, 13);  /* one character at a time */
  g_assert_cmpstr (f->typed->str, ==, "6901028075763\n");
}

static void
test_human_speed_property (Fixture       *f,
                           gconstpointer  data)
{
  /* Random text at random human speeds, Enters in between: everything comes out, in
   * order, once. */
  GString *expected = g_string_new (NULL);

  for (int i = 0; i < 2000; i++)
    {
      guint gap = (guint) g_test_rand_int_range (T + 1, 400);

      if (g_test_rand_int_range (0, 10) == 0)
        {
          g_assert_cmpint (enter (f, gap), ==, TILL_WEDGE_PASS);
          g_string_append_c (expected, '\n');
        }
      else
        {
          gunichar ch = (gunichar) g_test_rand_int_range (0x20, 0x7f);

          if (g_test_rand_int_range (0, 20) == 0)
            ch = 0x4e00 + (gunichar) g_test_rand_int_range (0, 100);  /* CJK via an IME */
          g_assert_cmpint (key (f, ch, gap), ==, TILL_WEDGE_HELD);
          g_string_append_unichar (expected, ch);
        }
    }
  till_wedge_detector_flush (f->detector);

  g_assert_cmpuint (f->scanned->len, ==, 0);
  g_assert_cmpstr (f->typed->str, ==, expected->str);
  g_string_free (expected, TRUE);
}

static void
test_short_fast_run_released (Fixture       *f,
                              gconstpointer  data)
{
  type (f, "12", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_PASS);

  g_assert_cmpuint (f->scanned->len, ==, 0);
  g_assert_cmpuint (f->released->len, ==, 1);
  g_assert_cmpstr (f->released->pdata[0], ==, "12");
  g_assert_cmpstr (f->typed->str, ==, "12\n");
}

static void
test_min_length_exact (Fixture       *f,
                       gconstpointer  data)
{
  type (f, "123", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "123");
}

static void
test_min_length_setting (Fixture       *f,
                         gconstpointer  data)
{
  till_wedge_detector_set_min_length (f->detector, 8);
  type (f, "1234567", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_PASS);
  g_assert_cmpstr (f->typed->str, ==, "1234567\n");

  type (f, "12345678", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "12345678");

  /* 0 is taken as 1 */
  till_wedge_detector_set_min_length (f->detector, 0);
  type (f, "7", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->scanned->pdata[1], ==, "7");
}

static void
test_slow_terminator_passes (Fixture       *f,
                             gconstpointer  data)
{
  type (f, "6901028075763", 5);
  /* a fast run, but Enter came late: a person pressing Enter after a paste-like burst */
  g_assert_cmpint (enter (f, T + 1), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->scanned->len, ==, 0);
  g_assert_cmpstr (f->typed->str, ==, "6901028075763\n");
}

static void
test_enter_alone_passes (Fixture       *f,
                         gconstpointer  data)
{
  g_assert_cmpint (enter (f, 0), ==, TILL_WEDGE_PASS);
  g_assert_cmpint (enter (f, 1), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->scanned->len, ==, 0);
  g_assert_cmpuint (f->released->len, ==, 0);
  g_assert_cmpstr (f->typed->str, ==, "\n\n");
}

static void
test_mixed_typing_then_scan (Fixture       *f,
                             gconstpointer  data)
{
  /* a person types "12" slowly, then a scanner burst arrives */
  type (f, "1", 250);
  type (f, "2", 250);
  type (f, "6", 200);            /* the scanner's first key, long after the "2" */
  type (f, "901028075763", 6);   /* the rest of the burst */
  g_assert_cmpint (enter (f, 6), ==, TILL_WEDGE_SCANNED);

  g_assert_cmpuint (f->scanned->len, ==, 1);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "6901028075763");
  g_assert_cmpuint (f->released->len, ==, 2);
  g_assert_cmpstr (f->released->pdata[0], ==, "1");
  g_assert_cmpstr (f->released->pdata[1], ==, "2");
  g_assert_cmpstr (f->typed->str, ==, "12");
}

static void
test_scan_then_typing (Fixture       *f,
                       gconstpointer  data)
{
  type (f, "6901028075763", 4);
  g_assert_cmpint (enter (f, 4), ==, TILL_WEDGE_SCANNED);
  type (f, "3", 400);
  g_assert_cmpint (enter (f, 300), ==, TILL_WEDGE_PASS);
  g_assert_cmpstr (f->typed->str, ==, "3\n");
  g_assert_cmpuint (f->scanned->len, ==, 1);
}

static void
test_flush_releases_burst (Fixture       *f,
                           gconstpointer  data)
{
  type (f, "ABC123", 5);
  g_assert_true (till_wedge_detector_is_holding (f->detector));
  till_wedge_detector_flush (f->detector);

  g_assert_false (till_wedge_detector_is_holding (f->detector));
  g_assert_cmpuint (f->scanned->len, ==, 0);
  g_assert_cmpuint (f->released->len, ==, 1);
  g_assert_cmpstr (f->released->pdata[0], ==, "ABC123");

  /* a late Enter after the flush is just an Enter */
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->scanned->len, ==, 0);
}

static void
test_flush_when_idle (Fixture       *f,
                      gconstpointer  data)
{
  till_wedge_detector_flush (f->detector);
  till_wedge_detector_flush (f->detector);
  g_assert_cmpuint (f->released->len, ==, 0);
  g_assert_false (till_wedge_detector_is_holding (f->detector));
}

static void
test_single_key_held_then_flushed (Fixture       *f,
                                   gconstpointer  data)
{
  /* the first key of a run cannot be judged yet */
  g_assert_cmpint (key (f, 'x', 0), ==, TILL_WEDGE_HELD);
  g_assert_true (till_wedge_detector_is_holding (f->detector));
  g_assert_cmpuint (f->released->len, ==, 0);
  till_wedge_detector_flush (f->detector);
  g_assert_cmpstr (f->typed->str, ==, "x");
}

static void
test_tab_terminator (Fixture       *f,
                     gconstpointer  data)
{
  TillWedgeResult result;

  type (f, "96385074", 7);
  f->now += 7;
  result = till_wedge_detector_key (f->detector, 0, TRUE, f->now);  /* Tab */
  g_assert_cmpint (result, ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "96385074");
}

static void
test_threshold_boundary (Fixture       *f,
                         gconstpointer  data)
{
  /* exactly the threshold apart is still fast */
  type (f, "12345", T);
  g_assert_cmpint (enter (f, T), ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "12345");

  /* one millisecond more is a person */
  type (f, "12345", T + 1);
  g_assert_cmpint (enter (f, T + 1), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->scanned->len, ==, 1);
  g_assert_cmpstr (f->typed->str, ==, "12345\n");
}

static void
test_threshold_change (Fixture       *f,
                       gconstpointer  data)
{
  g_assert_cmpuint (till_wedge_detector_get_threshold (f->detector), ==, T);

  /* a slow scanner (one key every 50 ms) is typing at 30 ms ... */
  type (f, "12345", 50);
  g_assert_cmpint (enter (f, 50), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->scanned->len, ==, 0);

  /* ... and a scan at 100 ms */
  till_wedge_detector_set_threshold (f->detector, 100);
  g_assert_cmpuint (till_wedge_detector_get_threshold (f->detector), ==, 100);
  type (f, "12345", 50);
  g_assert_cmpint (enter (f, 50), ==, TILL_WEDGE_SCANNED);

  /* lowered again: the same scanner is typing */
  till_wedge_detector_set_threshold (f->detector, 20);
  type (f, "12345", 50);
  g_assert_cmpint (enter (f, 50), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->scanned->len, ==, 1);

  /* 0 means the default */
  till_wedge_detector_set_threshold (f->detector, 0);
  g_assert_cmpuint (till_wedge_detector_get_threshold (f->detector), ==, 30);
}

static void
test_threshold_property (Fixture       *f,
                         gconstpointer  data)
{
  guint threshold = 0, min_length = 0;

  g_object_set (f->detector, "threshold-ms", 75, "min-length", 5, NULL);
  g_object_get (f->detector, "threshold-ms", &threshold, "min-length", &min_length, NULL);
  g_assert_cmpuint (threshold, ==, 75);
  g_assert_cmpuint (min_length, ==, 5);
  g_assert_cmpuint (till_wedge_detector_get_threshold (f->detector), ==, 75);
}

static void
test_non_char_key_releases (Fixture       *f,
                            gconstpointer  data)
{
  type (f, "ab", 5);
  /* an arrow key: the held text goes first, then the arrow passes */
  g_assert_cmpint (key (f, 0, 5), ==, TILL_WEDGE_PASS);
  g_assert_cmpuint (f->released->len, ==, 1);
  g_assert_cmpstr (f->released->pdata[0], ==, "ab");
  g_assert_false (till_wedge_detector_is_holding (f->detector));
}

static void
test_invalid_char_passes (Fixture       *f,
                          gconstpointer  data)
{
  type (f, "ab", 5);
  g_assert_cmpint (key (f, 0xD800, 5), ==, TILL_WEDGE_PASS);  /* a lone surrogate */
  g_assert_cmpstr (f->released->pdata[0], ==, "ab");
}

static void
test_unicode_scan (Fixture       *f,
                   gconstpointer  data)
{
  type (f, "货号-12", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->scanned->pdata[0], ==, "货号-12");
}

static void
test_non_monotonic_times (Fixture       *f,
                          gconstpointer  data)
{
  /* the clock jumps backwards in the middle of a burst: no crash, no loss */
  type (f, "123", 5);
  f->now -= 500;
  type (f, "456", 5);
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_SCANNED);
  g_assert_cmpstr (f->typed->str, ==, "123");
  g_assert_cmpstr (f->scanned->pdata[0], ==, "456");

  /* wrap-around of the 32-bit event time: taken as a slow key */
  f->now = G_MAXUINT32 - 10;
  type (f, "789", 5);  /* "7" at MAX-5, "8" at MAX, "9" at 4 */
  g_assert_cmpint (enter (f, 5), ==, TILL_WEDGE_PASS);
  g_assert_cmpstr (f->typed->str, ==, "123789\n");
  g_assert_cmpuint (f->scanned->len, ==, 1);
}

typedef struct
{
  TillWedgeDetector *detector;
  GString *stream;  /* released text and scans, in the order they were emitted */
} Stream;

static void
stream_released_cb (TillWedgeDetector *detector,
                    const char        *text,
                    Stream            *s)
{
  g_string_append (s->stream, text);
}

static void
stream_scanned_cb (TillWedgeDetector *detector,
                   const char        *code,
                   Stream            *s)
{
  g_string_append (s->stream, code);
}

/* Whatever the timing (random, backwards, wrapping), each character comes out exactly
 * once, in order, either released or inside a scan. */
static void
test_random_timing_loses_nothing (void)
{
  g_autoptr(TillWedgeDetector) detector = till_wedge_detector_new (T);
  Stream s = { detector, g_string_new (NULL) };
  GString *expected = g_string_new (NULL);
  guint32 now = 0;

  g_signal_connect (detector, "released", G_CALLBACK (stream_released_cb), &s);
  g_signal_connect (detector, "scanned", G_CALLBACK (stream_scanned_cb), &s);

  for (int i = 0; i < 20000; i++)
    {
      int kind = g_test_rand_int_range (0, 20);
      TillWedgeResult r;

      switch (g_test_rand_int_range (0, 4))
        {
        case 0:  now += (guint32) g_test_rand_int_range (0, T + 1); break;       /* fast */
        case 1:  now += (guint32) g_test_rand_int_range (T + 1, 1000); break;    /* slow */
        case 2:  now -= (guint32) g_test_rand_int_range (0, 100); break;         /* backwards */
        default: now = (guint32) g_test_rand_int (); break;                      /* anywhere */
        }

      if (kind == 0)
        {
          r = till_wedge_detector_key (detector, 0, TRUE, now);
          g_assert_cmpint (r, !=, TILL_WEDGE_HELD);
        }
      else if (kind == 1)
        {
          r = till_wedge_detector_key (detector, 0, FALSE, now);
          g_assert_cmpint (r, ==, TILL_WEDGE_PASS);
        }
      else if (kind == 2)
        {
          till_wedge_detector_flush (detector);
        }
      else
        {
          gunichar ch = (gunichar) g_test_rand_int_range ('!', '~' + 1);

          r = till_wedge_detector_key (detector, ch, FALSE, now);
          g_assert_cmpint (r, ==, TILL_WEDGE_HELD);
          g_string_append_unichar (expected, ch);
        }
    }
  till_wedge_detector_flush (detector);

  g_assert_cmpstr (s.stream->str, ==, expected->str);
  g_string_free (s.stream, TRUE);
  g_string_free (expected, TRUE);
}

static void
test_stuck_key_released (Fixture       *f,
                         gconstpointer  data)
{
  /* autorepeat faster than the threshold: released in chunks, never held forever */
  for (int i = 0; i < 1000; i++)
    g_assert_cmpint (key (f, 'a', 10), ==, TILL_WEDGE_HELD);
  g_assert_cmpuint (f->released->len, >, 0);
  till_wedge_detector_flush (f->detector);
  g_assert_cmpuint (f->typed->len, ==, 1000);
}

static void
test_reentrant_handler (void)
{
  /* a "released" handler that feeds more keys must not corrupt the state */
  g_autoptr(TillWedgeDetector) detector = till_wedge_detector_new (T);
  Stream s = { detector, g_string_new (NULL) };

  g_signal_connect (detector, "released", G_CALLBACK (stream_released_cb), &s);
  g_signal_connect_swapped (detector, "released", G_CALLBACK (till_wedge_detector_flush),
                            detector);
  till_wedge_detector_key (detector, 'a', FALSE, 0);
  till_wedge_detector_key (detector, 'b', FALSE, 100);
  till_wedge_detector_flush (detector);
  g_assert_cmpstr (s.stream->str, ==, "ab");
  g_string_free (s.stream, TRUE);
}

#define ADD(path, func) \
  g_test_add ("/wedge-detector/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("scan/fast-run", test_fast_run_is_scan);
  ADD ("scan/two-in-a-row", test_two_scans_in_a_row);
  ADD ("scan/min-length-exact", test_min_length_exact);
  ADD ("scan/min-length-setting", test_min_length_setting);
  ADD ("scan/tab-terminator", test_tab_terminator);
  ADD ("scan/unicode", test_unicode_scan);
  ADD ("typing/slow-released-in-order", test_slow_typing_released_in_order);
  ADD ("typing/human-speed-property", test_human_speed_property);
  ADD ("typing/short-fast-run", test_short_fast_run_released);
  ADD ("typing/slow-terminator", test_slow_terminator_passes);
  ADD ("typing/enter-alone", test_enter_alone_passes);
  ADD ("typing/single-key-held", test_single_key_held_then_flushed);
  ADD ("typing/non-char-key", test_non_char_key_releases);
  ADD ("typing/invalid-char", test_invalid_char_passes);
  ADD ("typing/stuck-key", test_stuck_key_released);
  ADD ("mixed/typing-then-scan", test_mixed_typing_then_scan);
  ADD ("mixed/scan-then-typing", test_scan_then_typing);
  ADD ("flush/burst", test_flush_releases_burst);
  ADD ("flush/idle", test_flush_when_idle);
  ADD ("threshold/boundary", test_threshold_boundary);
  ADD ("threshold/change", test_threshold_change);
  ADD ("threshold/properties", test_threshold_property);
  ADD ("time/non-monotonic", test_non_monotonic_times);
  g_test_add_func ("/wedge-detector/time/random-loses-nothing", test_random_timing_loses_nothing);
  g_test_add_func ("/wedge-detector/reentrant-handler", test_reentrant_handler);

  return g_test_run ();
}
