/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillTextRow: one row of text cells for the managers' GtkColumnViews (reports, refunds,
 * reconciliation), with an optional id, and a helper that adds a text column. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TILL_TYPE_TEXT_ROW (till_text_row_get_type ())
G_DECLARE_FINAL_TYPE (TillTextRow, till_text_row, TILL, TEXT_ROW, GObject)

/* `cells` is NULL-terminated; copied. */
TillTextRow *till_text_row_new      (gint64              id,
                                     const char * const *cells);
/* Convenience: the cells as arguments, ending with NULL. */
TillTextRow *till_text_row_new_va   (gint64       id,
                                     const char  *first_cell,
                                     ...) G_GNUC_NULL_TERMINATED;
gint64       till_text_row_get_id   (TillTextRow *self);
const char  *till_text_row_get_cell (TillTextRow *self,
                                     guint        index);   /* "" past the end */
guint        till_text_row_get_n_cells (TillTextRow *self);

/* Adds a column showing cell `index` of TillTextRow items; `numeric` right-aligns it with
 * tabular figures; `expand` lets it take the spare width. */
GtkColumnViewColumn *till_text_column_add (GtkColumnView *view,
                                           const char    *title,
                                           guint          index,
                                           gboolean       numeric,
                                           gboolean       expand);

G_END_DECLS
