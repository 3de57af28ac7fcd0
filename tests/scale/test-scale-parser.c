/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter scale frame parsers with real frame bytes (docs/reference/scales.md): stable,
 * unstable, overload, negative, garbled, and split across reads down to one byte at a time. */
#include "config.h"

#include <string.h>

#include "till-scale-parser.h"

/* ---- building frames ---- */

/* An OS2 frame: SOH STX flag sign weight(6) unit(2) BCC ETX EOT flag2. `bcc_text` picks the
 * XOR over flag..unit (CAS's reading) instead of over all 12 bytes (the OS2CX manual's). */
static GByteArray *
os2_frame (char flag, char sign, const char *weight6, const char *unit2, gboolean bcc_text)
{
  GByteArray *f = g_byte_array_new ();
  guint8 head[] = { 0x01, 0x02, (guint8)flag, (guint8)sign };
  guint8 bcc = 0;
  guint8 tail[3];

  g_assert_cmpuint (strlen (weight6), ==, 6);
  g_assert_cmpuint (strlen (unit2), ==, 2);
  g_byte_array_append (f, head, 4);
  g_byte_array_append (f, (const guint8 *)weight6, 6);
  g_byte_array_append (f, (const guint8 *)unit2, 2);
  for (guint i = bcc_text ? 2 : 0; i < 12; i++)
    bcc ^= f->data[i];
  tail[0] = bcc;
  tail[1] = 0x03;
  tail[2] = 0x04;
  g_byte_array_append (f, tail, 3);
  g_byte_array_append (f, (const guint8 *)"\x20", 1); /* flag2: bit 5, tare mode */
  return f;
}

static GArray *
feed_all (TillScaleProtocol protocol, const guint8 *bytes, gsize n, gsize chunk, guint *dropped)
{
  g_autoptr (TillScaleParser) parser = till_scale_parser_new (protocol);
  GArray *readings = g_array_new (FALSE, TRUE, sizeof (TillScaleReading));

  for (gsize i = 0; i < n; i += chunk)
    till_scale_parser_feed (parser, bytes + i, MIN (chunk, n - i), readings);
  if (dropped != NULL)
    *dropped = till_scale_parser_get_n_dropped (parser);
  return readings;
}

#define READING(a, i) (&g_array_index ((a), TillScaleReading, (i)))

/* ---- ACLAS OS2 ---- */

static void
test_os2_stable_unstable (void)
{
  g_autoptr (GByteArray) stream = g_byte_array_new ();
  g_autoptr (GByteArray) a = os2_frame ('S', ' ', " 0.532", "kg", FALSE);
  g_autoptr (GByteArray) b = os2_frame ('U', ' ', "  1234", " g", TRUE);
  g_autoptr (GByteArray) c = os2_frame ('S', '-', " 1.234", "kg", FALSE);
  g_autoptr (GByteArray) d = os2_frame ('S', ' ', " 0.000", "kg", FALSE);

  g_byte_array_append (stream, a->data, a->len);
  g_byte_array_append (stream, b->data, b->len);
  g_byte_array_append (stream, c->data, c->len);
  g_byte_array_append (stream, d->data, d->len);

  /* Whole, then in every chunk size down to one byte a read. */
  for (gsize chunk = stream->len; chunk >= 1; chunk--)
    {
      guint dropped;
      g_autoptr (GArray) r
          = feed_all (TILL_SCALE_PROTOCOL_ACLAS_OS2, stream->data, stream->len, chunk, &dropped);

      g_assert_cmpuint (r->len, ==, 4);
      g_assert_cmpuint (dropped, ==, 0);
      g_assert_true (READING (r, 0)->has_weight);
      g_assert_cmpint (READING (r, 0)->weight_milli, ==, 532);
      g_assert_true (READING (r, 0)->stable);
      g_assert_false (READING (r, 0)->negative);
      g_assert_cmpint (READING (r, 1)->weight_milli, ==, 1234);
      g_assert_false (READING (r, 1)->stable);
      g_assert_cmpint (READING (r, 2)->weight_milli, ==, -1234);
      g_assert_true (READING (r, 2)->negative);
      g_assert_cmpint (READING (r, 3)->weight_milli, ==, 0);
      g_assert_true (READING (r, 3)->zero);
    }
}

static void
test_os2_overload_and_garbled (void)
{
  g_autoptr (GByteArray) stream = g_byte_array_new ();
  g_autoptr (GByteArray) over = os2_frame ('F', ' ', "------", "kg", FALSE);
  g_autoptr (GByteArray) bad = os2_frame ('S', ' ', " 0.532", "kg", FALSE);
  g_autoptr (GByteArray) lb = os2_frame ('S', ' ', " 1.000", "lb", FALSE);
  g_autoptr (GByteArray) good = os2_frame ('S', ' ', " 2.500", "kg", FALSE);
  guint dropped;
  g_autoptr (GArray) r = NULL;
  /* Line noise, a frame cut short by a new one, a frame with a flipped weight digit (its
   * check byte no longer matches), a unit the till does not take (lb). */
  const guint8 noise[] = { 0xff, 0x00, 'x', 0x03, 0x04, 0x01, 0x02, 'S', ' ' };

  bad->data[8] ^= 0x01; /* "0.532" -> "0.533": the BCC is wrong now */
  g_byte_array_append (stream, noise, sizeof noise);
  g_byte_array_append (stream, over->data, over->len);
  g_byte_array_append (stream, bad->data, bad->len);
  g_byte_array_append (stream, lb->data, lb->len);
  g_byte_array_append (stream, good->data, good->len);

  for (gsize chunk = 1; chunk <= 7; chunk += 3)
    {
      g_clear_pointer (&r, g_array_unref);
      r = feed_all (TILL_SCALE_PROTOCOL_ACLAS_OS2, stream->data, stream->len, chunk, &dropped);
      g_assert_cmpuint (r->len, ==, 2);
      g_assert_true (READING (r, 0)->overload);
      g_assert_false (READING (r, 0)->has_weight);
      g_assert_cmpint (READING (r, 1)->weight_milli, ==, 2500);
      g_assert_true (READING (r, 1)->stable);
      /* the cut-short frame, the bad check byte, the lb frame */
      g_assert_cmpuint (dropped, ==, 3);
    }
}

/* ---- Dahua TM (the common ST/US/OL line) ---- */

static void
test_dahua_lines (void)
{
  const char *stream = "ST,GS,+  0.532kg\r\n"
                       "US,GS,+  0.540kg\r\n"
                       "ST,NT,-  0.120kg\r\n"
                       "OL,GS,+        kg\r\n"
                       "ST,GS,+   532 g\r\n"
                       "ST,GS    20.7g\r\n" /* 20.7 g: a part of a gram, refused */
                       "\x07garbage\r\n"
                       "ST,GS,+  0.5x2kg\r\n" /* garbled digit, refused */
                       "ST,GS,+  0.000kg\r\n";

  for (gsize chunk = 1; chunk <= strlen (stream); chunk += 5)
    {
      guint dropped;
      g_autoptr (GArray) r = feed_all (TILL_SCALE_PROTOCOL_DAHUA_TM, (const guint8 *)stream,
                                       strlen (stream), chunk, &dropped);

      g_assert_cmpuint (r->len, ==, 6);
      g_assert_cmpint (READING (r, 0)->weight_milli, ==, 532);
      g_assert_true (READING (r, 0)->stable);
      g_assert_cmpint (READING (r, 1)->weight_milli, ==, 540);
      g_assert_false (READING (r, 1)->stable);
      g_assert_cmpint (READING (r, 2)->weight_milli, ==, -120);
      g_assert_true (READING (r, 2)->negative);
      g_assert_true (READING (r, 3)->overload);
      g_assert_false (READING (r, 3)->has_weight);
      g_assert_cmpint (READING (r, 4)->weight_milli, ==, 532);
      g_assert_true (READING (r, 5)->zero);
      g_assert_cmpuint (dropped, ==, 2);
    }
}

/* ---- Toledo 8217 ---- */

static void
test_toledo_answers (void)
{
  /* A weight, then status records: motion (0x61), over range (0x62), under zero (0x64),
   * centre of zero (0x70); a weight without its point; a weight with the parity bit set
   * on some bytes (7E1 read as 8 bits). */
  const guint8 stream[] = {
    0x02, '0',        '0',  '.',        '5',  '3',  '2',        0x0d, 0x02, '?',  0x61,
    0x0d, 0x02,       '?',  0x62,       0x0d, 0x02, '?',        0x64, 0x0d, 0x02, '?',
    0x70, 0x0d,       0x02, '0',        '0',  '5',  '3',        '2',  0x0d, 'W',  0x13,
    0x02, '0' | 0x80, '1',  '.' | 0x80, '2',  '5',  '0' | 0x80, 0x0d,
  };

  for (gsize chunk = 1; chunk <= sizeof stream; chunk++)
    {
      guint dropped;
      g_autoptr (GArray) r
          = feed_all (TILL_SCALE_PROTOCOL_TOLEDO_8217, stream, sizeof stream, chunk, &dropped);

      g_assert_cmpuint (r->len, ==, 6);
      g_assert_cmpint (READING (r, 0)->weight_milli, ==, 532);
      g_assert_true (READING (r, 0)->stable);
      g_assert_false (READING (r, 1)->stable);
      g_assert_false (READING (r, 1)->has_weight);
      g_assert_true (READING (r, 2)->overload);
      g_assert_true (READING (r, 3)->underload);
      g_assert_true (READING (r, 3)->negative);
      g_assert_true (READING (r, 4)->zero);
      g_assert_true (READING (r, 4)->stable);
      g_assert_cmpint (READING (r, 5)->weight_milli, ==, 1250);
      g_assert_cmpuint (dropped, ==, 1);
    }
}

static void
test_protocol_nicks (void)
{
  for (TillScaleProtocol p = TILL_SCALE_PROTOCOL_NONE; p <= TILL_SCALE_PROTOCOL_TOLEDO_8217; p++)
    g_assert_cmpint (till_scale_protocol_from_nick (till_scale_protocol_to_nick (p)), ==, p);
  g_assert_cmpint (till_scale_protocol_from_nick ("nonsense"), ==, TILL_SCALE_PROTOCOL_NONE);

  {
    g_autoptr (TillScaleParser) toledo = till_scale_parser_new (TILL_SCALE_PROTOCOL_TOLEDO_8217);
    g_autoptr (TillScaleParser) os2 = till_scale_parser_new (TILL_SCALE_PROTOCOL_ACLAS_OS2);

    g_assert_cmpstr (till_scale_parser_get_request (toledo), ==, "W");
    g_assert_null (till_scale_parser_get_request (os2));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scale/os2/stable-unstable-split", test_os2_stable_unstable);
  g_test_add_func ("/scale/os2/overload-garbled", test_os2_overload_and_garbled);
  g_test_add_func ("/scale/dahua/lines", test_dahua_lines);
  g_test_add_func ("/scale/toledo/answers", test_toledo_answers);
  g_test_add_func ("/scale/protocol-nicks", test_protocol_nicks);

  return g_test_run ();
}
