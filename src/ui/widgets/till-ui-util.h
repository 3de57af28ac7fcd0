/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the windows: the style sheet, quantity parsing, screenshots, the
 * mouse wheel over value widgets. */
#pragma once

#include <adwaita.h>

#include "till-code-image.h"
#include "till-sale.h"

G_BEGIN_DECLS

/* Makes sure the GResource of the UI is registered (templates, style, help overlay). */
void      till_ui_ensure_resources (void);

/* Loads data/style.css from the resource once per display. */
void      till_ui_load_style      (void);

/* Parses a quantity typed by a cashier into thousandths: counted goods take whole numbers
 * ("3"), weighed goods kilograms with up to three decimals ("0.455", "1,2"). Rejects
 * zero, negative numbers, garbage and anything above 99999 units. */
gboolean  till_ui_parse_qty       (const char *text,
                                   gboolean    weighed,
                                   gint64     *out_qty_milli,
                                   GError    **error);

/* A sale's state as the banner over the cart ("已付款 PAID"), translated. */
const char *till_ui_sale_state_banner     (TillSaleState state);

/* Shows `text` (NULL: nothing) in a window's message label, hidden while empty, in red
 * ("error-text") when `error`; keeps a copy in *message for the window's getter. */
void      till_ui_show_message    (GtkLabel   *label,
                                   char      **message,
                                   const char *text,
                                   gboolean    error);

/* Shows `text` as a toast over `overlay` (a message nobody must acknowledge: it goes away by
 * itself), hides the window's message `label` (may be NULL) and keeps a copy in *message for
 * the window's getter. */
void      till_ui_show_toast      (AdwToastOverlay *overlay,
                                   GtkLabel        *label,
                                   char           **message,
                                   const char      *text);

/* Escape in a window's search entry (its "stop-search"): clears the search when it holds
 * text, else closes the window, as the window's "Close (Esc)" button says. */
void      till_ui_search_escape       (GtkSearchEntry *entry,
                                       GtkWindow      *window);

/* Shows a product search's hits (TillSearchHit*) in `list`: one row each, "name · code"
 * or, `with_price`, "name · price · code"; rows only, so the list's placeholder stays. */
void      till_ui_show_product_hits   (GtkListBox *list,
                                       GPtrArray  *hits,
                                       gboolean    with_price);

/* The mouse wheel over a value widget (spin button, drop-down, scale) changes its value
 * only while the widget holds the keyboard focus in the active window; otherwise the wheel
 * scrolls the scrolled window around it, so that scrolling a page of settings never
 * changes the setting that happens to pass under the pointer. A scroll controller in the
 * capture phase, once per widget. */
void      till_ui_guard_scroll        (GtkWidget  *widget);
/* till_ui_guard_scroll() on every spin button, drop-down and scale inside `root`. */
void      till_ui_guard_scroll_within (GtkWidget  *root);

/* Renders a realized widget into a PNG file (tests and bug reports). */
gboolean  till_ui_save_screenshot (GtkWidget  *widget,
                                   const char *path,
                                   GError    **error);

/* An 8-bit gray code image (QR, Code 128) as a texture (GTK 4.8 has no gray memory
 * format: each gray value becomes an RGB pixel). */
GdkTexture *till_ui_texture_from_code_image (const TillCodeImage *image);

/* Renders `text` as a QR code texture with `module_px` pixels per module; NULL + error
 * when it cannot be encoded. */
GdkTexture *till_ui_qr_texture            (const char *text,
                                           guint       module_px,
                                           GError    **error);

G_END_DECLS
