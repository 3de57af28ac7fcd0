/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scanner hub: every scanner source reports here, from any thread; the hub emits each
 * code on the main context it was made in, in the order the codes were fed. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "till-scanner-hub.h"

struct _TillScannerHub
{
  GObject parent_instance;

  GMainContext *context;  /* the creator's thread-default context */
};

G_DEFINE_FINAL_TYPE (TillScannerHub, till_scanner_hub, G_TYPE_OBJECT)

enum
{
  SIGNAL_CODE_SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  TillScannerHub *hub;
  char *code;
  TillScanSource source;
} Scan;

static void
scan_free (gpointer data)
{
  Scan *scan = data;

  g_object_unref (scan->hub);
  g_free (scan->code);
  g_free (scan);
}

const char *
till_scan_source_to_string (TillScanSource source)
{
  switch (source)
    {
    case TILL_SCAN_SOURCE_WEDGE:
      return _("wedge scanner");
    case TILL_SCAN_SOURCE_SERIAL:
      return _("serial scanner");
    case TILL_SCAN_SOURCE_CAMERA:
      return _("camera");
    case TILL_SCAN_SOURCE_DEMO:
      return _("demo phone");
    default:
      return _("scanner");
    }
}

static void
till_scanner_hub_finalize (GObject *object)
{
  TillScannerHub *self = TILL_SCANNER_HUB (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (till_scanner_hub_parent_class)->finalize (object);
}

static void
till_scanner_hub_class_init (TillScannerHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = till_scanner_hub_finalize;

  /**
   * TillScannerHub::code-scanned:
   * @code: the trimmed code, valid UTF-8, never empty
   * @source: a #TillScanSource
   */
  signals[SIGNAL_CODE_SCANNED] = g_signal_new ("code-scanned", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
till_scanner_hub_init (TillScannerHub *self)
{
  self->context = g_main_context_ref_thread_default ();
}

TillScannerHub *
till_scanner_hub_new (void)
{
  return g_object_new (TILL_TYPE_SCANNER_HUB, NULL);
}

static gboolean
emit_scan_cb (gpointer data)
{
  Scan *scan = data;

  g_signal_emit (scan->hub, signals[SIGNAL_CODE_SCANNED], 0, scan->code, (int) scan->source);
  return G_SOURCE_REMOVE;
}

/* Trims ASCII control characters (CR, LF, Tab, and the STX/ETX some serial scanners
 * frame codes with) and spaces at both ends. NULL when nothing is left. */
static char *
normalize_code (const char *code)
{
  const char *start = code, *end = code + strlen (code);

  while (start < end && ((guchar) *start <= ' ' || *start == '\x7f'))
    start++;
  while (end > start && ((guchar) end[-1] <= ' ' || end[-1] == '\x7f'))
    end--;
  if (start == end)
    return NULL;
  /* A misconfigured scanner can send any bytes; the signal carries valid UTF-8. */
  return g_utf8_make_valid (start, end - start);
}

void
till_scanner_hub_feed (TillScannerHub *self,
                       const char     *code,
                       TillScanSource  source)
{
  g_autoptr(GSource) idle = NULL;
  Scan *scan;
  char *normalized;

  g_return_if_fail (TILL_IS_SCANNER_HUB (self));
  g_return_if_fail (code != NULL);

  normalized = normalize_code (code);
  if (normalized == NULL)
    return;

  scan = g_new0 (Scan, 1);
  scan->hub = g_object_ref (self);
  scan->code = normalized;
  scan->source = source;

  /* Always through a source, never g_main_context_invoke(): that would run the handler in
   * the feeding thread whenever the main context is not running at that moment, and
   * re-entrantly when fed from the main thread. Same-priority sources dispatch in the
   * order they were attached, so codes keep their order. */
  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, emit_scan_cb, scan, scan_free);
  g_source_set_static_name (idle, "[till] scanner hub emit");
  g_source_attach (idle, self->context);
}
