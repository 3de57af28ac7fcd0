/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillHourChart: sales by hour of the day as bars (GtkSnapshot + cairo), with the hours
 * underneath and the largest hour's amount on top. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TILL_TYPE_HOUR_CHART (till_hour_chart_get_type ())
G_DECLARE_FINAL_TYPE (TillHourChart, till_hour_chart, TILL, HOUR_CHART, GtkWidget)

GtkWidget *till_hour_chart_new        (void);
/* 24 amounts in fen (NULL clears). */
void       till_hour_chart_set_values (TillHourChart *self,
                                       const gint64  *hour_fen);
gint64     till_hour_chart_get_value  (TillHourChart *self,
                                       guint          hour);
/* The hour with the largest amount, -1 when all are zero. */
int        till_hour_chart_get_peak_hour (TillHourChart *self);

G_END_DECLS
