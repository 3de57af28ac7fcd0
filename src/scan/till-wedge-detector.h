/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tells a keyboard-wedge scanner from a person typing, by timing alone (no GTK here: the
 * UI feeds it characters with their event times).
 *
 * A scan is a run of at least `min_length` (default 3) printable characters, each arriving
 * at most `threshold_ms` (default 30) after the previous one, ended by Enter or Tab
 * arriving within the threshold too. While a run is fast the detector holds its characters
 * back; when the run turns out to be a person (a slow key, or Enter on a short/slow run)
 * the held characters are released for normal handling ("released" signal). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TILL_TYPE_WEDGE_DETECTOR (till_wedge_detector_get_type ())
G_DECLARE_FINAL_TYPE (TillWedgeDetector, till_wedge_detector, TILL, WEDGE_DETECTOR, GObject)

typedef enum
{
  TILL_WEDGE_PASS = 0,   /* not ours: let the key through as typing */
  TILL_WEDGE_HELD,       /* swallowed for now (maybe part of a scan) */
  TILL_WEDGE_SCANNED,    /* the key ended a scan; "scanned" was emitted; swallow it */
} TillWedgeResult;

/* Signals:
 *   "scanned"  (const char *code)       a complete scan
 *   "released" (const char *text)       held characters that turned out to be typing;
 *                                        the UI inserts them where the focus is */
TillWedgeDetector *till_wedge_detector_new           (guint              threshold_ms);
void               till_wedge_detector_set_threshold (TillWedgeDetector *self,
                                                      guint              threshold_ms);
guint              till_wedge_detector_get_threshold (TillWedgeDetector *self);
void               till_wedge_detector_set_min_length (TillWedgeDetector *self,
                                                       guint              min_length);

/* `ch` is the character of a key press (0 for keys without one); `is_terminator` is TRUE
 * for Enter/KP_Enter/Tab; `time_ms` the event time in ms (monotonic, from the event). */
TillWedgeResult    till_wedge_detector_key           (TillWedgeDetector *self,
                                                      gunichar           ch,
                                                      gboolean           is_terminator,
                                                      guint32            time_ms);
/* Called by a timeout when no key followed within the threshold: releases held text. */
void               till_wedge_detector_flush         (TillWedgeDetector *self);
gboolean           till_wedge_detector_is_holding    (TillWedgeDetector *self);

G_END_DECLS
