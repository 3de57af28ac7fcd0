/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillHourChart: a bar chart of the day's sales by hour. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-core.h"
#include "till-hour-chart.h"

struct _TillHourChart
{
  GtkWidget parent_instance;

  gint64    hour_fen[24];
};

G_DEFINE_FINAL_TYPE (TillHourChart, till_hour_chart, GTK_TYPE_WIDGET)

#define AXIS_HEIGHT 22.0
#define TOP_MARGIN  22.0

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 9");

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

static void
till_hour_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  TillHourChart *self = TILL_HOUR_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_h = height - AXIS_HEIGHT - TOP_MARGIN;
  double slot = width / 24.0;
  GdkRGBA fg;
  gint64 max = 0;
  int peak = till_hour_chart_get_peak_hour (self);
  cairo_t *cr;

  if (width <= 0 || plot_h <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  for (guint h = 0; h < 24; h++)
    max = MAX (max, self->hour_fen[h]);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* baseline */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.4);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 0, TOP_MARGIN + plot_h + 0.5);
  cairo_line_to (cr, width, TOP_MARGIN + plot_h + 0.5);
  cairo_stroke (cr);

  for (guint h = 0; h < 24; h++)
    {
      double x = h * slot + slot * 0.15;
      double w = slot * 0.7;
      double bar_h = max > 0 ? plot_h * (double) self->hour_fen[h] / (double) max : 0;

      if (self->hour_fen[h] > 0 && bar_h < 2)
        bar_h = 2;
      if ((int) h == peak)
        cairo_set_source_rgb (cr, 0.18, 0.49, 0.20);
      else
        cairo_set_source_rgb (cr, 0.30, 0.62, 0.85);
      cairo_rectangle (cr, x, TOP_MARGIN + plot_h - bar_h, w, bar_h);
      cairo_fill (cr);

      if (h % 3 == 0)
        {
          g_autofree char *text = g_strdup_printf ("%02u", h);
          g_autoptr(PangoLayout) layout = make_layout (widget, text);
          int lw, lh;

          pango_layout_get_pixel_size (layout, &lw, &lh);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
          cairo_move_to (cr, h * slot + (slot - lw) / 2, TOP_MARGIN + plot_h + 3);
          pango_cairo_show_layout (cr, layout);
        }
    }

  if (peak >= 0)
    {
      g_autofree char *amount = till_money_format (self->hour_fen[peak]);
      g_autofree char *text = g_strdup_printf ("%02d:00 %s", peak, amount);
      g_autoptr(PangoLayout) layout = make_layout (widget, text);
      int lw, lh;
      double x;

      pango_layout_get_pixel_size (layout, &lw, &lh);
      x = CLAMP (peak * slot + slot / 2 - lw / 2.0, 0, MAX (0, width - lw));
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      cairo_move_to (cr, x, MAX (0, TOP_MARGIN - lh - 2));
      pango_cairo_show_layout (cr, layout);
    }

  cairo_destroy (cr);
}

static void
till_hour_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 24 * 12;
      *natural = 24 * 26;
    }
  else
    {
      *minimum = 120;
      *natural = 200;
    }
}

static void
till_hour_chart_class_init (TillHourChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = till_hour_chart_snapshot;
  widget_class->measure = till_hour_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "hourchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
till_hour_chart_init (TillHourChart *self)
{
}

GtkWidget *
till_hour_chart_new (void)
{
  return g_object_new (TILL_TYPE_HOUR_CHART, NULL);
}

void
till_hour_chart_set_values (TillHourChart *self,
                            const gint64  *hour_fen)
{
  g_return_if_fail (TILL_IS_HOUR_CHART (self));

  for (guint h = 0; h < 24; h++)
    self->hour_fen[h] = hour_fen != NULL ? hour_fen[h] : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gint64
till_hour_chart_get_value (TillHourChart *self,
                           guint          hour)
{
  g_return_val_if_fail (TILL_IS_HOUR_CHART (self), 0);
  g_return_val_if_fail (hour < 24, 0);
  return self->hour_fen[hour];
}

int
till_hour_chart_get_peak_hour (TillHourChart *self)
{
  int peak = -1;

  g_return_val_if_fail (TILL_IS_HOUR_CHART (self), -1);

  for (int h = 0; h < 24; h++)
    if (self->hour_fen[h] > 0 && (peak < 0 || self->hour_fen[h] > self->hour_fen[peak]))
      peak = h;
  return peak;
}
