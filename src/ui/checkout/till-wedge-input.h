/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connects a window's key events to a TillWedgeDetector: a capture-phase key controller
 * swallows the keys of a scan wherever the focus is and feeds complete scans to the
 * scanner hub; keys that turn out to be typing are given back to the focused editable. */
#pragma once

#include <gtk/gtk.h>

#include "till-context.h"
#include "till-wedge-detector.h"

G_BEGIN_DECLS

#define TILL_TYPE_WEDGE_INPUT (till_wedge_input_get_type ())
G_DECLARE_FINAL_TYPE (TillWedgeInput, till_wedge_input, TILL, WEDGE_INPUT, GObject)

/* Adds the controller to `window`; the threshold and minimum length follow the settings
 * keys wedge-threshold-ms and wedge-min-length live. */
TillWedgeInput    *till_wedge_input_new          (GtkWidget      *window,
                                                  TillContext    *context);
TillWedgeDetector *till_wedge_input_get_detector (TillWedgeInput *self);

G_END_DECLS
