/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillScale against a real pseudo-terminal: the scale opens the slave as its port, the test
 * is the scale on the master. Continuous OS2 frames split across writes, the till's tare,
 * overload and negative, garbage only (the wrong protocol), unplug and replug at the same
 * path, and the Toledo 8217's request and answers. Every wait is bounded (WAIT_MS). */
#define G_LOG_DOMAIN "test-scale"
#define _GNU_SOURCE /* posix_openpt, ptsname_r */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "till-scale.h"

#define WAIT_MS 3000

typedef struct
{
  int master;
  char *slave;
} Pty;

typedef struct
{
  TillScale *scale;
  Pty pty;
  char *tmpdir;
  char *link;
} Fixture;

static void
pty_open (Pty *pty)
{
  char name[128];

  pty->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  g_assert_cmpint (pty->master, >=, 0);
  g_assert_cmpint (grantpt (pty->master), ==, 0);
  g_assert_cmpint (unlockpt (pty->master), ==, 0);
  g_assert_cmpint (ptsname_r (pty->master, name, sizeof name), ==, 0);
  pty->slave = g_strdup (name);
}

static void
pty_close (Pty *pty)
{
  if (pty->master >= 0)
    close (pty->master);
  pty->master = -1;
  g_clear_pointer (&pty->slave, g_free);
}

static void
pty_write (Pty *pty, const void *data, gsize len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (pty->master, p, len);

      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_assert_cmpint (n, >, 0);
      p += n;
      len -= (gsize)n;
    }
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, flag_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* An OS2 frame (the OS2CX manual's layout; docs/reference/scales.md §1). */
static void
os2_write (Fixture *f, char flag, char sign, const char *weight6, gboolean split)
{
  guint8 frame[16] = { 0x01, 0x02, (guint8)flag, (guint8)sign };
  guint8 bcc = 0;

  memcpy (frame + 4, weight6, 6);
  memcpy (frame + 10, "kg", 2);
  for (int i = 0; i < 12; i++)
    bcc ^= frame[i];
  frame[12] = bcc;
  frame[13] = 0x03;
  frame[14] = 0x04;
  frame[15] = 0x00;
  if (!split)
    {
      pty_write (&f->pty, frame, sizeof frame);
      return;
    }
  /* Across three reads of the till. */
  pty_write (&f->pty, frame, 3);
  run_for (15);
  pty_write (&f->pty, frame + 3, 8);
  run_for (15);
  pty_write (&f->pty, frame + 11, 5);
}

typedef gboolean (*Check) (Fixture *f, gconstpointer arg);

/* Writes `frame` (an OS2 weight) every 50 ms, as a continuous scale does, until `done` or
 * WAIT_MS. */
static gboolean
stream_until (Fixture *f, char flag, char sign, const char *weight6, Check done, gconstpointer arg)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * 1000;

  while (!done (f, arg) && g_get_monotonic_time () < end)
    {
      os2_write (f, flag, sign, weight6, TRUE);
      run_for (50);
    }
  return done (f, arg);
}

static gboolean
wait_until (Fixture *f, Check done, gconstpointer arg)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, flag_cb, &timed_out);

  while (!done (f, arg) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return done (f, arg);
}

static gboolean
net_is (Fixture *f, gconstpointer arg)
{
  const gint64 *want = arg;

  return till_scale_get_weight_milli (f->scale) == *want && till_scale_get_stable (f->scale);
}

static gboolean
unstable (Fixture *f, gconstpointer arg)
{
  return !till_scale_get_stable (f->scale);
}

static gboolean
state_is (Fixture *f, gconstpointer arg)
{
  return till_scale_get_state (f->scale) == (TillScaleState)GPOINTER_TO_INT (arg);
}

static void
point_link (Fixture *f)
{
  g_unlink (f->link);
  g_assert_cmpint (symlink (f->pty.slave, f->link), ==, 0);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("till-scale-XXXXXX", &error);
  g_assert_no_error (error);
  f->link = g_build_filename (f->tmpdir, "usb-Scale-if00", NULL);
  pty_open (&f->pty);
  point_link (f);
  f->scale = till_scale_new ();
  till_scale_set_protocol (f->scale, GPOINTER_TO_INT (data));
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_DISCONNECTED);
  till_scale_set_port (f->scale, f->link);
  g_assert_null (till_scale_get_last_error (f->scale));
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_OK);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->scale);
  pty_close (&f->pty);
  g_unlink (f->link);
  g_rmdir (f->tmpdir);
  g_free (f->link);
  g_free (f->tmpdir);
}

static void
test_os2_weight_and_tare (Fixture *f, gconstpointer data)
{
  gint64 want = 532;
  gint64 weight = 0;
  gint64 tare = -1;
  g_autoptr (GError) error = NULL;

  g_assert_true (stream_until (f, 'S', ' ', " 0.532", net_is, &want));
  g_assert_true (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_no_error (error);
  g_assert_cmpint (weight, ==, 532);

  /* Moving: not taken. */
  g_assert_true (stream_until (f, 'U', ' ', " 0.540", unstable, NULL));
  g_assert_cmpint (till_scale_get_weight_milli (f->scale), ==, 540);
  g_assert_false (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_MOVING);
  g_clear_error (&error);
  g_assert_false (till_scale_press_tare (f->scale, &tare, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_MOVING);
  g_clear_error (&error);

  /* A bowl of 0.200 kg: the tare key makes it the tare, net 0, refused as zero. */
  want = 200;
  g_assert_true (stream_until (f, 'S', ' ', " 0.200", net_is, &want));
  g_assert_true (till_scale_press_tare (f->scale, &tare, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tare, ==, 200);
  g_assert_cmpint (till_scale_get_weight_milli (f->scale), ==, 0);
  g_assert_false (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_ZERO);
  g_clear_error (&error);

  /* Goods in the bowl: 0.732 gross, 0.532 net. */
  want = 532;
  g_assert_true (stream_until (f, 'S', ' ', " 0.732", net_is, &want));
  g_assert_true (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_cmpint (weight, ==, 532);

  /* The bowl taken off: net below zero, refused. */
  g_assert_true (
      stream_until (f, 'S', ' ', " 0.000", state_is, GINT_TO_POINTER (TILL_SCALE_STATE_NEGATIVE)));
  g_assert_cmpint (till_scale_get_weight_milli (f->scale), ==, -200);
  g_assert_false (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NEGATIVE);
  g_clear_error (&error);

  /* The tare key on the empty scale clears the tare. */
  want = 0;
  g_assert_true (
      stream_until (f, 'S', ' ', " 0.000", state_is, GINT_TO_POINTER (TILL_SCALE_STATE_NEGATIVE)));
  g_assert_true (till_scale_press_tare (f->scale, &tare, &error));
  g_assert_cmpint (tare, ==, 0);
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_OK);
  g_assert_cmpint (till_scale_get_weight_milli (f->scale), ==, 0);
}

static void
test_os2_overload_negative_garbage (Fixture *f, gconstpointer data)
{
  gint64 weight;
  g_autoptr (GError) error = NULL;
  gint64 want = 1000;

  g_assert_true (
      stream_until (f, 'F', ' ', "------", state_is, GINT_TO_POINTER (TILL_SCALE_STATE_OVERLOAD)));
  g_assert_false (till_scale_get_stable (f->scale));
  g_assert_false (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_OVERLOAD);
  g_clear_error (&error);

  g_assert_true (
      stream_until (f, 'S', '-', " 0.050", state_is, GINT_TO_POINTER (TILL_SCALE_STATE_NEGATIVE)));
  g_assert_cmpint (till_scale_get_weight_milli (f->scale), ==, -50);

  g_assert_true (stream_until (f, 'S', ' ', " 1.000", net_is, &want));
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_OK);
}

/* A scale of another protocol (or baud) on the port: bytes come, no frame: "error". */
static void
test_wrong_protocol (Fixture *f, gconstpointer data)
{
  const char *dahua = "ST,GS,+  0.532kg\r\n";
  gint64 weight;
  g_autoptr (GError) error = NULL;

  g_test_expect_message ("till-scale", G_LOG_LEVEL_MESSAGE, "*not understood*");
  for (int i = 0; i < 5; i++)
    {
      pty_write (&f->pty, "\x01\x02", 2);
      pty_write (&f->pty, dahua, strlen (dahua));
    }
  g_assert_true (wait_until (f, state_is, GINT_TO_POINTER (TILL_SCALE_STATE_ERROR)));
  g_test_assert_expected_messages ();
  g_assert_false (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_UNREADABLE);
}

/* Unplugged (the master closes: the slave hangs up) and plugged in again at the same path
 * (as /dev/serial/by-id/… does): the scale comes back by itself. */
static void
test_unplug_replug (Fixture *f, gconstpointer data)
{
  gint64 want = 532;
  gint64 weight;
  g_autoptr (GError) error = NULL;

  g_assert_true (stream_until (f, 'S', ' ', " 0.532", net_is, &want));

  g_test_expect_message ("till-scale", G_LOG_LEVEL_MESSAGE, "*went away*");
  g_unlink (f->link);
  pty_close (&f->pty);
  g_assert_true (wait_until (f, state_is, GINT_TO_POINTER (TILL_SCALE_STATE_DISCONNECTED)));
  g_test_assert_expected_messages ();
  g_assert_nonnull (till_scale_get_last_error (f->scale));
  g_assert_false (till_scale_get_stable (f->scale));
  g_assert_false (till_scale_take_weight (f->scale, &weight, &error));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  run_for (300);
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_DISCONNECTED);

  pty_open (&f->pty);
  point_link (f);
  g_assert_true (wait_until (f, state_is, GINT_TO_POINTER (TILL_SCALE_STATE_OK)));
  g_assert_null (till_scale_get_last_error (f->scale));
  want = 611;
  g_assert_true (stream_until (f, 'S', ' ', " 0.611", net_is, &want));
}

/* ---- Toledo 8217: the till asks, the test answers ---- */

static gsize
read_requests (Fixture *f)
{
  guint8 buf[64];
  gsize n_w = 0;
  gssize n;

  while ((n = read (f->pty.master, buf, sizeof buf)) > 0)
    for (gssize i = 0; i < n; i++)
      {
        g_assert_cmpint (buf[i] & 0x7f, ==, 'W');
        n_w++;
      }
  return n_w;
}

/* Answers each W with `answer` until `done` or WAIT_MS; returns the Ws seen. */
static gsize
answer_until (Fixture *f, const char *answer, gsize len, Check done, gconstpointer arg)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * 1000;
  gsize seen = 0;

  while ((done == NULL || !done (f, arg)) && g_get_monotonic_time () < end)
    {
      gsize n = read_requests (f);

      seen += n;
      for (gsize i = 0; i < n; i++)
        pty_write (&f->pty, answer, len);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
      if (done == NULL && seen >= 3)
        break;
    }
  return seen;
}

static void
take_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GError **out_error = user_data;
  gint64 weight = -1;

  if (till_scale_take_weight_finish (TILL_SCALE (object), result, &weight, out_error))
    g_assert_cmpint (weight, ==, 532);
  g_object_set_data (object, "done", GINT_TO_POINTER (TRUE));
}

static gboolean
taken (Fixture *f, gconstpointer arg)
{
  return g_object_get_data (G_OBJECT (f->scale), "done") != NULL;
}

static void
test_toledo_request_response (Fixture *f, gconstpointer data)
{
  static const char weight[] = "\x02"
                               "00.532\r";
  static const char motion[] = "\x02?a\r"; /* 0x61: motion */
  static const char over[] = "\x02?b\r";   /* 0x62: out of range */
  gint64 want = 532;
  g_autoptr (GError) error = NULL;

  /* The port is set to 7 data bits, even parity; Linux's pty driver keeps CS8 and no parity
   * whatever is asked (pty_set_termios), so only the parser's masking of the parity bit
   * (test-scale-parser) can be checked here. */

  /* The till asks by itself, every TILL_SCALE_REQUEST_MS. */
  g_assert_cmpuint (answer_until (f, weight, strlen (weight), net_is, &want), >=, 1);

  g_assert_true (answer_until (f, motion, strlen (motion), unstable, NULL) >= 1);
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_OK);

  /* A sale waits for the weight to settle: it moves a little longer, then is steady. */
  till_scale_take_weight_async (f->scale, 2000, NULL, take_cb, &error);
  g_assert_false (taken (f, NULL));
  answer_until (f, motion, strlen (motion), NULL, NULL);
  g_assert_false (taken (f, NULL));
  answer_until (f, weight, strlen (weight), taken, NULL);
  g_assert_true (taken (f, NULL));
  g_assert_no_error (error);

  /* Still moving when the time is up: refused with the message for the cashier. */
  g_object_set_data (G_OBJECT (f->scale), "done", NULL);
  answer_until (f, motion, strlen (motion), unstable, NULL);
  till_scale_take_weight_async (f->scale, 300, NULL, take_cb, &error);
  answer_until (f, motion, strlen (motion), taken, NULL);
  g_assert_true (taken (f, NULL));
  g_assert_error (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_MOVING);
  g_assert_cmpstr (error->message, ==, "Weight is moving — wait for the scale to settle");
  g_clear_error (&error);

  /* A wait given up by the till (the window closed): answered as cancelled, long before its
   * own time is up. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    gint64 start = g_get_monotonic_time ();

    g_object_set_data (G_OBJECT (f->scale), "done", NULL);
    till_scale_take_weight_async (f->scale, 10000, cancellable, take_cb, &error);
    answer_until (f, motion, strlen (motion), NULL, NULL);
    g_assert_false (taken (f, NULL));
    g_cancellable_cancel (cancellable);
    answer_until (f, motion, strlen (motion), taken, NULL);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5000 * 1000);
  }

  answer_until (f, over, strlen (over), state_is, GINT_TO_POINTER (TILL_SCALE_STATE_OVERLOAD));
  g_assert_cmpint (till_scale_get_state (f->scale), ==, TILL_SCALE_STATE_OVERLOAD);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, protocol, func)                                                                  \
  g_test_add ("/scale/device/" path, Fixture, GINT_TO_POINTER (protocol), fixture_set_up, func,    \
              fixture_tear_down)
  ADD ("os2-weight-and-tare", TILL_SCALE_PROTOCOL_ACLAS_OS2, test_os2_weight_and_tare);
  ADD ("os2-overload-negative", TILL_SCALE_PROTOCOL_ACLAS_OS2, test_os2_overload_negative_garbage);
  ADD ("wrong-protocol", TILL_SCALE_PROTOCOL_ACLAS_OS2, test_wrong_protocol);
  ADD ("unplug-replug", TILL_SCALE_PROTOCOL_ACLAS_OS2, test_unplug_replug);
  ADD ("toledo-request-response", TILL_SCALE_PROTOCOL_TOLEDO_8217, test_toledo_request_response);
#undef ADD

  return g_test_run ();
}
