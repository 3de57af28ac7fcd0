/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the windows: the style sheet, quantity parsing, screenshots, the mouse
 * wheel over value widgets. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "till-core.h"
#include "till-resources.h"
#include "till-stock-qty.h"
#include "till-store-search.h"
#include "till-ui-util.h"


/* The resources live in this static library; referencing them here makes the linker keep
 * their object file, whose constructor registers them before main(). */
void
till_ui_ensure_resources (void)
{
  g_assert (till_get_resource () != NULL);
}

void
till_ui_load_style (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;
  GApplication *app;

  till_ui_ensure_resources ();

  /* An AdwApplication (TillApplication) has initialized libadwaita and loaded style.css
   * from its resource base path in its startup; windows made without one (the tests) need
   * both here: libadwaita's style sheet and style manager (the system's dark or light
   * preference), then ours on top. */
  app = g_application_get_default ();
  if (ADW_IS_APPLICATION (app) && g_application_get_is_registered (app))
    return;
  if (display == NULL || g_object_get_data (G_OBJECT (display), "till-style") != NULL)
    return;
  adw_init ();
  /* what GtkApplication does for its resource base path: the app icon of a build tree */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    TILL_RESOURCE_PREFIX "/icons");
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, TILL_RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "till-style",
                          g_object_ref (provider), g_object_unref);
}

void
till_ui_show_message (GtkLabel   *label,
                      char      **message,
                      const char *text,
                      gboolean    error)
{
  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (message != NULL);

  g_free (*message);
  *message = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (label, *message);
  gtk_widget_set_visible (GTK_WIDGET (label), (*message)[0] != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error-text");
}

void
till_ui_show_toast (AdwToastOverlay *overlay,
                    GtkLabel        *label,
                    char           **message,
                    const char      *text)
{
  AdwToast *toast;
  g_autofree char *markup = NULL;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (message != NULL);
  g_return_if_fail (text != NULL);

  g_free (*message);
  *message = g_strdup (text);
  if (label != NULL)
    {
      gtk_label_set_text (label, "");
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
    }
  /* A toast's title is Pango markup (libadwaita 1.2): a path may hold an ampersand. */
  markup = g_markup_escape_text (text, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (overlay, toast);
}

gboolean
till_ui_parse_qty (const char *text,
                   gboolean    weighed,
                   gint64     *out_qty_milli,
                   GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  /* The same rules as goods received or counted, zero refused. */
  return till_stock_qty_parse (text, weighed, FALSE, out_qty_milli, error);
}

/* ---- the mouse wheel over value widgets ---- */

#define GUARD_KEY "till-scroll-guard"

static gboolean
guard_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus;

  if (root == NULL || (GTK_IS_WINDOW (root) && !gtk_window_is_active (GTK_WINDOW (root))))
    return FALSE;
  focus = gtk_root_get_focus (root);
  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* What GtkScrolledWindow does with the same wheel: a step of page^(2/3) per click, pixels
 * for smooth (touchpad) scrolling. */
static void
guard_scroll_adjustment (GtkAdjustment *adjustment,
                         double         delta,
                         GdkScrollUnit  unit)
{
  double step = unit == GDK_SCROLL_UNIT_WHEEL
                  ? pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0) : 1.0;

  if (delta != 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + delta * step);
}

static gboolean
guard_scroll_cb (GtkEventControllerScroll *controller,
                 double                    dx,
                 double                    dy,
                 gpointer                  user_data)
{
  GtkEventController *ctrl = GTK_EVENT_CONTROLLER (controller);
  GtkWidget *widget = gtk_event_controller_get_widget (ctrl);
  GdkEvent *event = gtk_event_controller_get_current_event (ctrl);
  GtkNative *native = gtk_widget_get_native (widget);
  GtkWidget *scroller;
  GdkScrollUnit unit;

  /* The widget's own popup (a drop-down's list) scrolls as usual. */
  if (event != NULL && native != NULL
      && gdk_event_get_surface (event) != gtk_native_get_surface (native))
    return GDK_EVENT_PROPAGATE;
  /* Picked with the keyboard or a click: the wheel is the widget's, as GTK does it. */
  if (guard_focus_within (widget))
    return GDK_EVENT_PROPAGATE;

  scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (scroller != NULL)
    {
      GtkScrolledWindow *sw = GTK_SCROLLED_WINDOW (scroller);

      unit = gtk_event_controller_scroll_get_unit (controller);
      if ((gtk_event_controller_get_current_event_state (ctrl) & GDK_SHIFT_MASK) != 0)
        {
          double t = dx;

          dx = dy;
          dy = t;
        }
      guard_scroll_adjustment (gtk_scrolled_window_get_vadjustment (sw), dy, unit);
      guard_scroll_adjustment (gtk_scrolled_window_get_hadjustment (sw), dx, unit);
    }
  return GDK_EVENT_STOP;
}

void
till_ui_guard_scroll (GtkWidget *widget)
{
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (g_object_get_data (G_OBJECT (widget), GUARD_KEY) != NULL)
    return;
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_name (controller, GUARD_KEY);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (guard_scroll_cb), NULL);
  gtk_widget_add_controller (widget, controller);
  g_object_set_data (G_OBJECT (widget), GUARD_KEY, controller);
}

void
till_ui_guard_scroll_within (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_SPIN_BUTTON (root) || GTK_IS_DROP_DOWN (root) || GTK_IS_RANGE (root))
    {
      till_ui_guard_scroll (root);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    till_ui_guard_scroll_within (child);
}

gboolean
till_ui_save_screenshot (GtkWidget  *widget,
                         const char *path,
                         GError    **error)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  graphene_rect_t bounds;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  native = gtk_widget_get_native (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (native == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "widget %s is not realized and allocated", G_OBJECT_TYPE_NAME (widget));
      return FALSE;
    }

  renderer = gtk_native_get_renderer (native);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  /* An opaque base keeps transparent window corners readable in the PNG. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "nothing was drawn");
      return FALSE;
    }

  bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write %s", path);
      return FALSE;
    }
  return TRUE;
}

GdkTexture *
till_ui_texture_from_code_image (const TillCodeImage *image)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgb;
  gsize stride;

  g_return_val_if_fail (image != NULL, NULL);

  stride = (gsize) image->width * 3;
  rgb = g_malloc (stride * image->height);
  for (guint y = 0; y < image->height; y++)
    {
      const guint8 *src = image->pixels + (gsize) y * image->stride;
      guint8 *dst = rgb + (gsize) y * stride;

      for (guint x = 0; x < image->width; x++)
        dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = src[x];
    }
  bytes = g_bytes_new_take (rgb, stride * image->height);
  return gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_R8G8B8, bytes, stride);
}

GdkTexture *
till_ui_qr_texture (const char *text,
                    guint       module_px,
                    GError    **error)
{
  g_autoptr(TillCodeImage) image = till_code_image_render_qr (text, module_px, error);

  if (image == NULL)
    return NULL;
  return till_ui_texture_from_code_image (image);
}

const char *
till_ui_sale_state_banner (TillSaleState state)
{
  switch (state)
    {
    case TILL_SALE_STATE_PAID:
      return _("PAID");
    case TILL_SALE_STATE_VOIDED:
      return _("VOIDED");
    case TILL_SALE_STATE_SUSPENDED:
      return _("SUSPENDED");
    case TILL_SALE_STATE_REFUNDED:
      return _("REFUNDED");
    case TILL_SALE_STATE_OPEN:
    default:
      return _("OPEN");
    }
}

void
till_ui_search_escape (GtkSearchEntry *entry,
                       GtkWindow      *window)
{
  g_return_if_fail (GTK_IS_SEARCH_ENTRY (entry));
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
  else
    gtk_window_close (window);
}

void
till_ui_show_product_hits (GtkListBox *list,
                           GPtrArray  *hits,
                           gboolean    with_price)
{
  GtkListBoxRow *row;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      TillSearchHit *hit = g_ptr_array_index (hits, i);
      const char *code = hit->product->barcode ? hit->product->barcode
                         : hit->product->plu   ? hit->product->plu
                                               : "";
      g_autofree char *price = with_price ? till_money_format (hit->product->price_fen) : NULL;
      g_autofree char *text = with_price
                                ? g_strdup_printf ("%s · %s · %s", hit->product->name, price, code)
                                : g_strdup_printf ("%s · %s", hit->product->name, code);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (list, label);
    }
}
