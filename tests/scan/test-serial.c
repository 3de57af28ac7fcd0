/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillSerialScanner against a real pseudo-terminal: the scanner opens the slave as its
 * device, the test writes as the scanner hardware would on the master. Framing, garbage,
 * over-long lines, hang-up and reconnecting. Every wait is bounded (2 s). */
#define G_LOG_DOMAIN "test-serial"
#define _GNU_SOURCE  /* posix_openpt, ptsname_r */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "till-scanner-hub.h"
#include "till-serial-scanner.h"

#define WAIT_MS 2000
#define QUIET_MS 150

typedef struct
{
  int master;
  char *slave;
} Pty;

typedef struct
{
  TillScannerHub *hub;
  TillSerialScanner *scanner;
  GPtrArray *codes;
  guint connected_notifies;
  Pty pty;
  char *tmpdir;
} Fixture;

static void
pty_open (Pty *pty)
{
  char name[128];

  pty->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
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
pty_write (Pty        *pty,
           const void *data,
           gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (pty->master, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      p += n;
      len -= (gsize) n;
    }
}

static void
pty_puts (Pty        *pty,
          const char *s)
{
  pty_write (pty, s, strlen (s));
}

static void
code_scanned_cb (TillScannerHub *hub,
                 const char     *code,
                 int             source,
                 gpointer        user_data)
{
  Fixture *f = user_data;

  g_assert_cmpint (source, ==, TILL_SCAN_SOURCE_SERIAL);
  g_ptr_array_add (f->codes, g_strdup (code));
}

static void
connected_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Fixture *f = user_data;

  f->connected_notifies++;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until `done` says so or WAIT_MS pass; returns done's last answer. */
static gboolean
wait_until (gboolean (*done) (Fixture *f, gconstpointer arg),
            Fixture       *f,
            gconstpointer  arg)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, flag_cb, &timed_out);

  while (!done (f, arg) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  return done (f, arg);
}

/* Lets the loop run for `ms` (to show that nothing arrives). */
static void
run_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, flag_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
have_codes (Fixture      *f,
            gconstpointer arg)
{
  return f->codes->len >= GPOINTER_TO_UINT (arg);
}

static gboolean
is_connected (Fixture      *f,
              gconstpointer arg)
{
  return till_serial_scanner_get_connected (f->scanner) == GPOINTER_TO_INT (arg);
}

static void
assert_codes (Fixture           *f,
              const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_true (wait_until (have_codes, f, GUINT_TO_POINTER (n)));
  run_for (QUIET_MS);   /* nothing extra may follow */
  g_assert_cmpuint (f->codes->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (f->codes, i), ==, expected[i]);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->hub = till_scanner_hub_new ();
  f->scanner = till_serial_scanner_new (f->hub);
  f->codes = g_ptr_array_new_with_free_func (g_free);
  f->pty.master = -1;
  f->tmpdir = g_dir_make_tmp ("till-serial-XXXXXX", &error);
  g_assert_no_error (error);

  g_signal_connect (f->hub, "code-scanned", G_CALLBACK (code_scanned_cb), f);
  g_signal_connect (f->scanner, "notify::connected", G_CALLBACK (connected_cb), f);

  pty_open (&f->pty);
  till_serial_scanner_set_device (f->scanner, f->pty.slave);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->tmpdir, 0, NULL);
  const char *name;

  g_assert_finalize_object (f->scanner);
  pty_close (&f->pty);
  /* Codes already queued on the hub are dispatched before it goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->hub);
  g_ptr_array_unref (f->codes);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->tmpdir);
  g_free (f->tmpdir);
}

static void
test_connects (Fixture      *f,
               gconstpointer data)
{
  struct termios tio;

  g_assert_true (till_serial_scanner_get_connected (f->scanner));
  g_assert_cmpuint (f->connected_notifies, ==, 1);
  g_assert_null (till_serial_scanner_get_last_error (f->scanner));
  g_assert_cmpstr (till_serial_scanner_get_device (f->scanner), ==, f->pty.slave);

  /* The pty shares the slave's termios: raw mode, 9600 baud, no echo. */
  g_assert_cmpint (tcgetattr (f->pty.master, &tio), ==, 0);
  g_assert_false (tio.c_lflag & (ICANON | ECHO | ISIG));
  g_assert_false (tio.c_iflag & (ICRNL | INLCR | IXON));
  g_assert_true (tio.c_cflag & CREAD);
  g_assert_true (tio.c_cflag & CLOCAL);
  g_assert_cmpint (cfgetispeed (&tio), ==, B9600);
}

static void
test_split_writes (Fixture      *f,
                   gconstpointer data)
{
  pty_puts (&f->pty, "690");
  run_for (40);
  pty_puts (&f->pty, "10280");
  run_for (40);
  g_assert_cmpuint (f->codes->len, ==, 0);
  pty_puts (&f->pty, "75763");
  run_for (40);
  g_assert_cmpuint (f->codes->len, ==, 0);
  pty_puts (&f->pty, "\r");
  run_for (20);
  pty_puts (&f->pty, "\n4006381");
  run_for (30);
  pty_puts (&f->pty, "333931\n");

  assert_codes (f, (const char *[]) { "6901028075763", "4006381333931", NULL });
}

static void
test_line_endings (Fixture      *f,
                   gconstpointer data)
{
  pty_puts (&f->pty, "CR-ONLY\rLF-ONLY\nCRLF-1\r\n\r\n\r\n\n\nCRLF-2\r\nLFCR\n\rLAST\r");

  assert_codes (f, (const char *[]) { "CR-ONLY", "LF-ONLY", "CRLF-1", "CRLF-2", "LFCR",
                                      "LAST", NULL });
}

static void
test_byte_at_a_time (Fixture      *f,
                     gconstpointer data)
{
  const char *code = "134567890123456789\r\n";

  for (const char *p = code; *p; p++)
    {
      pty_write (&f->pty, p, 1);
      g_main_context_iteration (NULL, FALSE);
    }

  assert_codes (f, (const char *[]) { "134567890123456789", NULL });
}

static void
test_binary_garbage (Fixture      *f,
                     gconstpointer data)
{
  static const guint8 noise[] = { 0x01, 0x02, 0xff, 0xfe, 0x80, 0x00, 0x1b, '[', 'A', '\r', '\n' };

  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*control bytes*");
  pty_write (&f->pty, noise, sizeof noise);
  pty_puts (&f->pty, "6901028075763\r\n");

  assert_codes (f, (const char *[]) { "6901028075763", NULL });
  g_test_assert_expected_messages ();
}

static void
test_invalid_utf8 (Fixture      *f,
                   gconstpointer data)
{
  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*not UTF-8*");
  pty_puts (&f->pty, "AB\xc3\x28" "CD\r\n");
  pty_puts (&f->pty, "GOOD-1\n");

  assert_codes (f, (const char *[]) { "GOOD-1", NULL });
  g_test_assert_expected_messages ();
}

static void
test_utf8_code (Fixture      *f,
                gconstpointer data)
{
  pty_puts (&f->pty, "收银-0042\r\n");

  assert_codes (f, (const char *[]) { "收银-0042", NULL });
}

static void
test_nul_and_tab_dropped (Fixture      *f,
                          gconstpointer data)
{
  static const guint8 with_nul[] = { '1', '2', 0x00, '3', '\n' };

  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*control bytes*");
  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*control bytes*");
  pty_write (&f->pty, with_nul, sizeof with_nul);
  pty_puts (&f->pty, "AB\tCD\r\n");
  pty_puts (&f->pty, "OK-3\r\n");

  assert_codes (f, (const char *[]) { "OK-3", NULL });
  g_test_assert_expected_messages ();
}

static void
test_overlong_line (Fixture      *f,
                    gconstpointer data)
{
  g_autofree char *overlong = g_strnfill (200, 'A');
  g_autofree char *longest = g_strnfill (TILL_SERIAL_SCANNER_MAX_LINE, 'B');

  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*longer than 128*");
  /* In pieces, so the overflow happens across reads. */
  pty_write (&f->pty, overlong, 100);
  run_for (30);
  pty_write (&f->pty, overlong + 100, 100);
  pty_puts (&f->pty, "\r\n");
  pty_puts (&f->pty, "NEXT-1\r\n");
  pty_puts (&f->pty, longest);
  pty_puts (&f->pty, "\n");

  assert_codes (f, (const char *[]) { "NEXT-1", longest, NULL });
  g_test_assert_expected_messages ();
}

static void
test_hangup_then_new_device (Fixture      *f,
                             gconstpointer data)
{
  pty_puts (&f->pty, "BEFORE\r\n");
  assert_codes (f, (const char *[]) { "BEFORE", NULL });

  /* The scanner hardware goes away: the master closes, the slave hangs up. A half line
   * written before must not come out as a code. */
  pty_puts (&f->pty, "HALF");
  run_for (30);
  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*went away*");
  pty_close (&f->pty);
  g_assert_true (wait_until (is_connected, f, GINT_TO_POINTER (FALSE)));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (f->connected_notifies, ==, 2);
  g_assert_nonnull (till_serial_scanner_get_last_error (f->scanner));

  pty_open (&f->pty);
  till_serial_scanner_set_device (f->scanner, f->pty.slave);
  g_assert_true (wait_until (is_connected, f, GINT_TO_POINTER (TRUE)));
  g_assert_null (till_serial_scanner_get_last_error (f->scanner));

  pty_puts (&f->pty, "AFTER\r\n");
  assert_codes (f, (const char *[]) { "BEFORE", "AFTER", NULL });
}

static void
point_link (const char *link,
            const char *target)
{
  g_unlink (link);
  g_assert_cmpint (symlink (target, link), ==, 0);
}

/* Like /dev/serial/by-id/…: the same path comes back after re-plugging, and the scanner
 * finds it by itself (it retries every second). */
static void
test_reconnects_same_path (Fixture      *f,
                           gconstpointer data)
{
  g_autofree char *link = g_build_filename (f->tmpdir, "usb-Scanner-if00", NULL);

  point_link (link, f->pty.slave);
  till_serial_scanner_set_device (f->scanner, link);
  g_assert_true (till_serial_scanner_get_connected (f->scanner));
  pty_puts (&f->pty, "ONE\r");
  assert_codes (f, (const char *[]) { "ONE", NULL });

  g_test_expect_message ("till-scan", G_LOG_LEVEL_MESSAGE, "*went away*");
  g_unlink (link);
  pty_close (&f->pty);
  g_assert_true (wait_until (is_connected, f, GINT_TO_POINTER (FALSE)));
  g_test_assert_expected_messages ();

  /* Unplugged for a moment: no device at the path. */
  run_for (300);
  g_assert_false (till_serial_scanner_get_connected (f->scanner));

  pty_open (&f->pty);
  point_link (link, f->pty.slave);
  g_assert_true (wait_until (is_connected, f, GINT_TO_POINTER (TRUE)));

  pty_puts (&f->pty, "TWO\r\n");
  assert_codes (f, (const char *[]) { "ONE", "TWO", NULL });
}

static void
test_missing_device_appears (Fixture      *f,
                             gconstpointer data)
{
  g_autofree char *link = g_build_filename (f->tmpdir, "ttyACM0", NULL);
  const char *error;

  till_serial_scanner_set_device (f->scanner, link);
  g_assert_false (till_serial_scanner_get_connected (f->scanner));
  error = till_serial_scanner_get_last_error (f->scanner);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, link));

  point_link (link, f->pty.slave);
  g_assert_true (wait_until (is_connected, f, GINT_TO_POINTER (TRUE)));
  pty_puts (&f->pty, "HELLO\n");
  assert_codes (f, (const char *[]) { "HELLO", NULL });
}

static void
test_device_off (Fixture      *f,
                 gconstpointer data)
{
  till_serial_scanner_set_device (f->scanner, "");
  g_assert_false (till_serial_scanner_get_connected (f->scanner));
  g_assert_null (till_serial_scanner_get_last_error (f->scanner));

  /* Off means off: nothing is read any more. */
  pty_puts (&f->pty, "IGNORED\r\n");
  run_for (QUIET_MS);
  g_assert_cmpuint (f->codes->len, ==, 0);

  g_object_set (f->scanner, "device", f->pty.slave, NULL);
  g_assert_true (till_serial_scanner_get_connected (f->scanner));
}

static void
test_not_a_tty (Fixture      *f,
                gconstpointer data)
{
  till_serial_scanner_set_device (f->scanner, "/dev/null");
  g_assert_false (till_serial_scanner_get_connected (f->scanner));
  g_assert_nonnull (strstr (till_serial_scanner_get_last_error (f->scanner),
                            "not a serial port"));
}

static void
test_baud_change_reopens (Fixture      *f,
                          gconstpointer data)
{
  struct termios tio;
  guint baud = 0;

  till_serial_scanner_set_baud (f->scanner, 115200);
  g_object_get (f->scanner, "baud", &baud, NULL);
  g_assert_cmpuint (baud, ==, 115200);
  g_assert_true (till_serial_scanner_get_connected (f->scanner));
  /* Closed and opened again: two more notifications. */
  g_assert_cmpuint (f->connected_notifies, ==, 3);

  g_assert_cmpint (tcgetattr (f->pty.master, &tio), ==, 0);
  g_assert_cmpint (cfgetospeed (&tio), ==, B115200);

  pty_puts (&f->pty, "FAST\r\n");
  assert_codes (f, (const char *[]) { "FAST", NULL });
}

static void
test_unsupported_baud (Fixture      *f,
                       gconstpointer data)
{
  g_assert_true (till_serial_scanner_baud_is_supported (9600));
  g_assert_true (till_serial_scanner_baud_is_supported (115200));
  g_assert_false (till_serial_scanner_baud_is_supported (12345));
  g_assert_false (till_serial_scanner_baud_is_supported (0));

  till_serial_scanner_set_baud (f->scanner, 12345);
  g_assert_false (till_serial_scanner_get_connected (f->scanner));
  g_assert_nonnull (strstr (till_serial_scanner_get_last_error (f->scanner), "12345"));

  till_serial_scanner_set_baud (f->scanner, 19200);
  g_assert_true (till_serial_scanner_get_connected (f->scanner));
}

static void
test_live_device_change (Fixture      *f,
                         gconstpointer data)
{
  Pty other = { -1, NULL };

  pty_open (&other);
  till_serial_scanner_set_device (f->scanner, other.slave);
  g_assert_true (till_serial_scanner_get_connected (f->scanner));

  /* The old device is no longer read. */
  pty_puts (&f->pty, "OLD\r\n");
  pty_puts (&other, "NEW\r\n");
  assert_codes (f, (const char *[]) { "NEW", NULL });

  pty_close (&other);
}

static void
test_burst_of_codes (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GString) burst = g_string_new (NULL);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < 50; i++)
    {
      g_ptr_array_add (expected, g_strdup_printf ("CODE-%04d", i));
      g_string_append_printf (burst, "CODE-%04d%s", i, i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
    }
  g_ptr_array_add (expected, NULL);
  pty_write (&f->pty, burst->str, burst->len);

  assert_codes (f, (const char *const *) expected->pdata);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/serial/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("connects-raw-mode", test_connects);
  ADD ("split-writes", test_split_writes);
  ADD ("line-endings", test_line_endings);
  ADD ("byte-at-a-time", test_byte_at_a_time);
  ADD ("burst-of-codes", test_burst_of_codes);
  ADD ("binary-garbage-dropped", test_binary_garbage);
  ADD ("invalid-utf8-dropped", test_invalid_utf8);
  ADD ("utf8-code", test_utf8_code);
  ADD ("nul-and-tab-dropped", test_nul_and_tab_dropped);
  ADD ("overlong-line-dropped", test_overlong_line);
  ADD ("hangup-then-new-device", test_hangup_then_new_device);
  ADD ("reconnects-same-path", test_reconnects_same_path);
  ADD ("missing-device-appears", test_missing_device_appears);
  ADD ("device-off", test_device_off);
  ADD ("not-a-tty", test_not_a_tty);
  ADD ("baud-change-reopens", test_baud_change_reopens);
  ADD ("unsupported-baud", test_unsupported_baud);
  ADD ("live-device-change", test_live_device_change);

#undef ADD

  return g_test_run ();
}
