/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: a serial scanner's line framing (src/scan/till-serial-scanner.c): any bytes
 * a device can send, in chunks as read() returns them (the first byte sets the chunk size),
 * each good line reported to the hub. What reaches the hub is a non-empty, valid UTF-8
 * code of at most TILL_SERIAL_SCANNER_MAX_LINE bytes without control characters. */
#define G_LOG_DOMAIN "till-fuzz"
#include "config.h"

#include <string.h>

#include "till-fuzz.h"
#include "till-scanner-hub.h"
#include "till-serial-scanner-private.h"

static TillScannerHub *hub;
static TillSerialScanner *scanner;
static guint n_codes;

static void
code_scanned_cb (TillScannerHub *self, const char *code, int source, gpointer user_data)
{
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), >, 0);
  g_assert_cmpuint (strlen (code), <=, TILL_SERIAL_SCANNER_MAX_LINE);
  g_assert_true (g_utf8_validate (code, -1, NULL));
  for (const char *p = code; *p; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
  n_codes++;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  till_fuzz_init ();
  hub = till_scanner_hub_new ();
  g_signal_connect (hub, "code-scanned", G_CALLBACK (code_scanned_cb), NULL);
  scanner = till_serial_scanner_new (hub);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  gsize chunk, lines = 0;

  if (size < 1)
    return 0;
  chunk = (data[0] % 64) + 1;
  data++;
  size--;
  for (gsize i = 0; i < size; i++)
    if (data[i] == '\n' || data[i] == '\r')
      lines++;
  n_codes = 0;
  for (gsize off = 0; off < size; off += chunk)
    _till_serial_scanner_take_bytes (scanner, data + off, MIN (chunk, size - off));
  /* End the last line so the next input starts clean. */
  _till_serial_scanner_take_bytes (scanner, (const guint8 *)"\n", 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_codes, <=, lines + 1);
  return 0;
}
