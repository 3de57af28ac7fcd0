/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillTextRow: rows of text for the managers' column views. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-text-row.h"

struct _TillTextRow
{
  GObject   parent_instance;

  gint64    id;
  GStrv     cells;
};

G_DEFINE_FINAL_TYPE (TillTextRow, till_text_row, G_TYPE_OBJECT)

static void
till_text_row_finalize (GObject *object)
{
  TillTextRow *self = TILL_TEXT_ROW (object);

  g_strfreev (self->cells);
  G_OBJECT_CLASS (till_text_row_parent_class)->finalize (object);
}

static void
till_text_row_class_init (TillTextRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = till_text_row_finalize;
}

static void
till_text_row_init (TillTextRow *self)
{
}

TillTextRow *
till_text_row_new (gint64              id,
                   const char * const *cells)
{
  TillTextRow *self = g_object_new (TILL_TYPE_TEXT_ROW, NULL);

  self->id = id;
  self->cells = g_strdupv ((char **) cells);
  if (self->cells == NULL)
    self->cells = g_new0 (char *, 1);
  return self;
}

TillTextRow *
till_text_row_new_va (gint64      id,
                      const char *first_cell,
                      ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) cells = NULL;
  const char *cell;
  va_list args;

  va_start (args, first_cell);
  for (cell = first_cell; cell != NULL; cell = va_arg (args, const char *))
    g_strv_builder_add (builder, cell);
  va_end (args);
  cells = g_strv_builder_end (builder);
  return till_text_row_new (id, (const char * const *) cells);
}

gint64
till_text_row_get_id (TillTextRow *self)
{
  g_return_val_if_fail (TILL_IS_TEXT_ROW (self), 0);
  return self->id;
}

guint
till_text_row_get_n_cells (TillTextRow *self)
{
  g_return_val_if_fail (TILL_IS_TEXT_ROW (self), 0);
  return g_strv_length (self->cells);
}

const char *
till_text_row_get_cell (TillTextRow *self,
                        guint        index)
{
  g_return_val_if_fail (TILL_IS_TEXT_ROW (self), "");
  if (index >= g_strv_length (self->cells))
    return "";
  return self->cells[index];
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "numeric"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  guint index = GPOINTER_TO_UINT (user_data);
  TillTextRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), till_text_row_get_cell (row, index));
}

GtkColumnViewColumn *
till_text_column_add (GtkColumnView *view,
                      const char    *title,
                      guint          index,
                      gboolean       numeric,
                      gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  g_object_set_data (G_OBJECT (factory), "numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (index));

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  return column;
}
