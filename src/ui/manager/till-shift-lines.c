/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillShiftLines: the shifts of a day as lines. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-shift-lines.h"
#include "till-shift.h"

#define N_COLUMNS 6

struct _TillShiftLines
{
  GtkBox parent_instance;

  TillContext *context;
  GCancellable *cancellable;
  GtkGrid *grid;
  GPtrArray *lines; /* char*: each line's cells joined by " | " */
  gboolean loading;
};

G_DEFINE_FINAL_TYPE (TillShiftLines, till_shift_lines, GTK_TYPE_BOX)

static char *
local_hm (gint64 at_us)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%H:%M") : g_strdup ("?");
}

static void
cell (TillShiftLines *self, const char *text, int column, int row, gboolean numeric,
      gboolean strong)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    {
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_set_hexpand (label, TRUE);
    }
  if (strong)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (self->grid, label, column, row, 1, 1);
}

static void
clear (TillShiftLines *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_ptr_array_set_size (self->lines, 0);
}

static void
loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillShiftLines) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) reports = till_shift_list_day_finish (TILL_SHIFT (object), result, &error);
  const char *titles[N_COLUMNS] = { _ ("Cashier"),       _ ("Time"),    _ ("Sales"),
                                    _ ("Expected cash"), _ ("Counted"), _ ("Over/short") };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  clear (self);
  if (reports == NULL)
    {
      g_warning ("The shifts could not be read: %s", error->message);
      cell (self, error->message, 0, 0, FALSE, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), reports->len > 0);
  for (int c = 0; c < N_COLUMNS; c++)
    cell (self, titles[c], c, 0, c >= 2, TRUE);
  for (guint i = 0; i < reports->len; i++)
    {
      TillShiftReport *r = g_ptr_array_index (reports, i);
      gboolean open = r->shift->closed_at == 0;
      g_autofree char *from = local_hm (r->shift->opened_at);
      g_autofree char *to = open ? g_strdup (_ ("open")) : local_hm (r->shift->closed_at);
      g_autofree char *time = g_strdup_printf ("%s–%s", from, to);
      g_autofree char *sales = till_money_format (r->summary.gross_fen);
      g_autofree char *expected
          = till_money_format (open ? r->summary.cash.expected_fen : r->shift->expected_fen);
      g_autofree char *counted = open ? g_strdup ("—") : till_money_format (r->shift->counted_fen);
      g_autofree char *diff
          = open ? g_strdup ("—") : till_money_format (TILL_SHIFT_OVER_SHORT (r->shift));
      const char *cells[N_COLUMNS + 1]
          = { r->shift->cashier, time, sales, expected, counted, diff, NULL };

      for (int c = 0; c < N_COLUMNS; c++)
        cell (self, cells[c], c, (int)i + 1, c >= 2, FALSE);
      g_ptr_array_add (self->lines, g_strjoinv (" | ", (char **)cells));
    }
}

void
till_shift_lines_set_date (TillShiftLines *self, const char *date)
{
  g_return_if_fail (TILL_IS_SHIFT_LINES (self));
  g_return_if_fail (date != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  till_shift_list_day_async (till_context_get_shift (self->context), date, self->cancellable,
                             loaded_cb, g_object_ref (self));
}

gboolean
till_shift_lines_get_loading (TillShiftLines *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT_LINES (self), FALSE);
  return self->loading;
}

guint
till_shift_lines_get_n_lines (TillShiftLines *self)
{
  g_return_val_if_fail (TILL_IS_SHIFT_LINES (self), 0);
  return self->lines->len;
}

char *
till_shift_lines_get_line (TillShiftLines *self, guint i)
{
  g_return_val_if_fail (TILL_IS_SHIFT_LINES (self), NULL);
  g_return_val_if_fail (i < self->lines->len, NULL);
  return g_strdup (g_ptr_array_index (self->lines, i));
}

static void
till_shift_lines_dispose (GObject *object)
{
  TillShiftLines *self = TILL_SHIFT_LINES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_shift_lines_parent_class)->dispose (object);
}

static void
till_shift_lines_finalize (GObject *object)
{
  g_ptr_array_unref (TILL_SHIFT_LINES (object)->lines);
  G_OBJECT_CLASS (till_shift_lines_parent_class)->finalize (object);
}

static void
till_shift_lines_class_init (TillShiftLinesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_shift_lines_dispose;
  object_class->finalize = till_shift_lines_finalize;
}

static void
till_shift_lines_init (TillShiftLines *self)
{
  GtkWidget *heading = gtk_label_new (_ ("Shifts (handovers)"));

  self->lines = g_ptr_array_new_with_free_func (g_free);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 4);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "section-heading");
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self), heading);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_grid_set_column_spacing (self->grid, 16);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->grid));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

TillShiftLines *
till_shift_lines_new (TillContext *context)
{
  TillShiftLines *self;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_SHIFT_LINES, NULL);
  self->context = g_object_ref (context);
  return self;
}
