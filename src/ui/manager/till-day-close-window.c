/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDayCloseWindow: count the drawer, the day's takings by payment method, close the day,
 * reprint the Z report. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-backup-schedule.h"
#include "till-day-close-window.h"
#include "till-shift-lines.h"
#include "till-pin-window.h"
#include "till-system-printer.h"
#include "till-store-cash.h"
#include "till-store-member-reports.h"
#include "till-store-reports.h"
#include "till-store-suspend.h"
#include "till-ui-util.h"
#include "till-clock.h"

struct _TillDayCloseWindow
{
  GtkWindow        parent_instance;

  TillContext     *context;
  GCancellable    *cancellable;
  char            *date;
  gboolean         loading;
  gboolean         closed;
  gboolean         have_summary;
  TillCashSummary  cash;
  char            *z_text;
  char            *message;
  char            *difference_text;
  const char      *difference_state;

  TillCashRounding rounding;      /* the till's cash rule when the window opened */
  GtkSpinButton   *spins[TILL_N_DENOMINATIONS];
  GtkLabel        *line_labels[TILL_N_DENOMINATIONS];
  GtkLabel        *summary_values[9];
  GtkLabel        *summary_titles[9];
  /* by payment method: one row per method and the total; columns method, payments,
   * amount, refunds */
  GtkLabel        *method_cells[TILL_REPORT_N_METHODS + 1][4];
  /* Top-ups by method, then their total: not sales, but cash and codes taken in (the
   * cash one is in the expected cash); shown when there are any. */
  GtkLabel        *topup_cells[TILL_REPORT_N_METHODS + 1][4];

  GtkLabel        *heading_label;
  GtkGrid         *count_grid;
  GtkGrid         *summary_grid;
  GtkGrid         *methods_grid;
  GtkBox          *stored_value_box;
  GtkGrid         *stored_value_grid;
  /* the day's stored value: taken in, of which bonus, spent, given back, adjusted */
  GtkLabel        *stored_value_cells[5];
  GtkBox          *difference_box;
  GtkLabel        *difference_label;
  GtkTextView     *z_view;
  GtkLabel        *message_label;
  GtkButton       *close_day_button;
  TillShiftLines  *shift_lines;   /* the day's shifts (issue 18), after the stored value */
  GtkBox          *suspended_box;
  GtkLabel        *suspended_heading;
  GtkGrid         *suspended_grid;
  guint            n_suspended;    /* the day cannot be closed while one is left */
};

G_DEFINE_FINAL_TYPE (TillDayCloseWindow, till_day_close_window, GTK_TYPE_WINDOW)

static GtkLabel *grid_label (GtkGrid *grid, const char *text, int column, int row,
                             gboolean numeric);

enum { ROW_FLOAT, ROW_SALES, ROW_REFUNDS, ROW_RETURNS, ROW_ROUNDING, ROW_IN, ROW_OUT, ROW_EXPECTED,
       ROW_COUNTED };

static void stored_value_rows_init (TillDayCloseWindow *self);

static void
show_message (TillDayCloseWindow *self,
              const char         *text,
              gboolean            error)
{
  till_ui_show_message (self->message_label, &self->message, text, error);
}

static void
update_actions (TillDayCloseWindow *self)
{
  gboolean can_close = !self->loading && !self->closed && self->have_summary
                       && self->n_suspended == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dayclose.close-day", can_close);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dayclose.reprint", self->z_text != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dayclose.print", self->z_text != NULL);
  if (self->closed || self->loading)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);  /* no focus-out for insensitive entries */
  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    gtk_widget_set_sensitive (GTK_WIDGET (self->spins[i]), !self->closed && !self->loading);
}

gint64
till_day_close_window_get_counted_fen (TillDayCloseWindow *self)
{
  gint64 total = 0;

  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), 0);
  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    total += (gint64) gtk_spin_button_get_value_as_int (self->spins[i]) * till_denominations_fen[i];
  return total;
}

gint64
till_day_close_window_get_expected_fen (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), 0);
  return self->cash.expected_count_fen;
}

gint64
till_day_close_window_get_rounding_fen (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), 0);
  return self->cash.cash_rounding_fen;
}

static void
set_value (GtkLabel *label,
           gint64    fen)
{
  g_autofree char *text = till_money_format (fen);

  gtk_label_set_text (label, text);
}

static void
update_totals (TillDayCloseWindow *self)
{
  gint64 counted = till_day_close_window_get_counted_fen (self);
  /* The count compares in the cash unit: the drawer holds no smaller coin. */
  gint64 difference = counted - self->cash.expected_count_fen;
  g_autofree char *amount = till_money_format (ABS (difference));
  GtkWidget *box = GTK_WIDGET (self->difference_box);

  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    set_value (self->line_labels[i],
               (gint64) gtk_spin_button_get_value_as_int (self->spins[i]) * till_denominations_fen[i]);
  set_value (self->summary_values[ROW_FLOAT], self->cash.float_fen);
  set_value (self->summary_values[ROW_SALES], self->cash.cash_sales_fen);
  set_value (self->summary_values[ROW_REFUNDS], self->cash.cash_refunds_fen);
  set_value (self->summary_values[ROW_RETURNS], self->cash.cash_returns_fen);
  set_value (self->summary_values[ROW_ROUNDING], self->cash.cash_rounding_fen);
  set_value (self->summary_values[ROW_IN], self->cash.cash_in_fen);
  set_value (self->summary_values[ROW_OUT], self->cash.cash_out_fen);
  set_value (self->summary_values[ROW_EXPECTED], self->cash.expected_count_fen);
  /* Cash taken to the fen earlier that day: the expected cash as a count can hold it. */
  gtk_label_set_text (self->summary_titles[ROW_EXPECTED],
                      self->cash.expected_count_fen != self->cash.expected_fen
                        ? _("Expected in cash unit") : _("Expected cash"));
  set_value (self->summary_values[ROW_COUNTED], counted);

  g_free (self->difference_text);
  gtk_widget_remove_css_class (box, "short");
  gtk_widget_remove_css_class (box, "over");
  gtk_widget_remove_css_class (box, "even");
  if (difference < 0)
    {
      self->difference_text = g_strdup_printf (_("Short -%s"), amount);
      self->difference_state = "short";
    }
  else if (difference > 0)
    {
      self->difference_text = g_strdup_printf (_("Over +%s"), amount);
      self->difference_state = "over";
    }
  else
    {
      self->difference_text = g_strdup_printf (_("Even %s"), amount);
      self->difference_state = "even";
    }
  gtk_widget_add_css_class (box, self->difference_state);
  gtk_label_set_text (self->difference_label, self->difference_text);
  {
    /* Short in red, over in orange, even in green: seen from across the counter. */
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    pango_attr_list_insert (attrs, pango_attr_scale_new (1.3));
    if (difference < 0)
      pango_attr_list_insert (attrs, pango_attr_foreground_new (0xc6c6, 0x2828, 0x2828));
    else if (difference > 0)
      pango_attr_list_insert (attrs, pango_attr_foreground_new (0xe6e6, 0x5151, 0x0000));
    else
      pango_attr_list_insert (attrs, pango_attr_foreground_new (0x2e2e, 0x7d7d, 0x3232));
    gtk_label_set_attributes (self->difference_label, attrs);
    pango_attr_list_unref (attrs);
  }
}

static void
spin_changed_cb (GtkSpinButton      *spin,
                 TillDayCloseWindow *self)
{
  update_totals (self);
}

static void
show_z_text (TillDayCloseWindow *self,
             const char         *text)
{
  g_free (self->z_text);
  self->z_text = g_strdup (text);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->z_view), text != NULL ? text : "", -1);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->z_view),
                                                   GTK_TYPE_SCROLLED_WINDOW), text != NULL);
}

/* The day's top-ups by the methods that paid them, and their total; the cash sales of the
 * drawer's summary then say they hold the top-ups' cash too. */
static void
show_topups (TillDayCloseWindow *self,
             const TillReport   *report)
{
  for (guint m = 0; m <= TILL_REPORT_N_METHODS; m++)
    {
      guint count = m < TILL_REPORT_N_METHODS ? report->topup_method_count[m] : report->n_topups;
      gint64 fen = m < TILL_REPORT_N_METHODS ? report->topup_method_fen[m] : report->topups_fen;
      g_autofree char *n = g_strdup_printf ("%u", count);

      gtk_label_set_text (self->topup_cells[m][1], n);
      set_value (self->topup_cells[m][2], fen);
      gtk_label_set_text (self->topup_cells[m][3], "");
      for (guint c = 0; c < G_N_ELEMENTS (self->topup_cells[m]); c++)
        gtk_widget_set_visible (GTK_WIDGET (self->topup_cells[m][c]), count > 0);
    }
  gtk_label_set_text (self->summary_titles[ROW_SALES],
                      report->topup_method_fen[TILL_REPORT_CASH] != 0
                        ? _("Cash sales and top-ups") : _("Cash sales"));
}

/* The day's takings by method (its paid sales' payments) and refunds: every method the
 * till knows has its row, and the total is what the rows add up to (the day's sales). */
static void
show_methods (TillDayCloseWindow *self,
              const TillReport   *report)
{
  guint total_count = 0;
  gint64 total_fen = 0, total_refund_fen = 0;

  for (guint m = 0; m <= TILL_REPORT_N_METHODS; m++)
    {
      guint count = m < TILL_REPORT_N_METHODS ? report->method_count[m] : total_count;
      gint64 fen = m < TILL_REPORT_N_METHODS ? report->method_fen[m] : total_fen;
      gint64 refund_fen = m < TILL_REPORT_N_METHODS ? report->method_refund_fen[m]
                                                    : total_refund_fen;
      g_autofree char *n = g_strdup_printf ("%u", count);

      gtk_label_set_text (self->method_cells[m][1], n);
      set_value (self->method_cells[m][2], fen);
      if (refund_fen != 0)
        set_value (self->method_cells[m][3], -refund_fen);
      else
        gtk_label_set_text (self->method_cells[m][3], "");
      if (m == TILL_REPORT_N_METHODS)
        break;
      total_count += count;
      total_fen += fen;
      total_refund_fen += refund_fen;
    }
  if (total_fen != report->gross_fen)
    g_warning ("day %s: the methods add up to %" G_GINT64_FORMAT " fen, the sales to %"
               G_GINT64_FORMAT, self->date, total_fen, report->gross_fen);
  show_topups (self, report);
}

char *
till_day_close_window_get_topup_row (TillDayCloseWindow *self,
                                     guint               method)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), NULL);
  g_return_val_if_fail (method <= TILL_REPORT_N_METHODS, NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->topup_cells[method][0])))
    return g_string_free (out, FALSE);
  for (guint c = 0; c < G_N_ELEMENTS (self->topup_cells[method]); c++)
    g_string_append_printf (out, "%s%s", c > 0 ? " | " : "",
                            gtk_label_get_text (self->topup_cells[method][c]));
  return g_string_free (out, FALSE);
}

char *
till_day_close_window_get_method_row (TillDayCloseWindow *self,
                                      guint               method)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), NULL);
  g_return_val_if_fail (method <= TILL_REPORT_N_METHODS, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (self->method_cells[method]); c++)
    g_string_append_printf (out, "%s%s", c > 0 ? " | " : "",
                            gtk_label_get_text (self->method_cells[method][c]));
  return g_string_free (out, FALSE);
}

/* The day's stored value from its ledger, beside cash and codes (issue 16): hidden on a
 * day without any. */
static void
show_stored_value (TillDayCloseWindow *self,
                   TillMemberReport   *members)
{
  const TillMemberReportDay *day = g_ptr_array_index (members->days, 0);

  set_value (self->stored_value_cells[0], till_member_report_day_taken_in_fen (day));
  set_value (self->stored_value_cells[1], day->topup_bonus_fen);
  set_value (self->stored_value_cells[2], till_member_report_day_spent_fen (day));
  set_value (self->stored_value_cells[3], day->refund_paid_fen + day->refund_bonus_fen);
  set_value (self->stored_value_cells[4], day->adjust_paid_fen + day->adjust_bonus_fen);
  gtk_widget_set_visible (GTK_WIDGET (self->stored_value_box),
                          till_member_report_day_has_stored_value (day));
}

char *
till_day_close_window_get_stored_value_text (TillDayCloseWindow *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->stored_value_box)))
    return g_string_free (out, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (self->stored_value_cells); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " | " : "",
                            gtk_label_get_text (self->stored_value_cells[i]));
  return g_string_free (out, FALSE);
}

/* ---- loading ---- */

typedef struct
{
  char            *date;
  gboolean         closed;
  TillCashSummary  cash;
  TillReport      *report;
  TillMemberReport *members;
  TillDayClose    *close;
  GPtrArray       *suspended;   /* TillSuspendedSale*, of every till */
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_free (job->date);
  g_clear_pointer (&job->report, till_report_free);
  g_clear_pointer (&job->members, till_member_report_free);
  g_clear_pointer (&job->close, till_day_close_free);
  g_clear_pointer (&job->suspended, g_ptr_array_unref);
  g_free (job);
}

static gpointer
load_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  LoadJob *job = data;

  if (!till_store_day_is_closed (store, job->date, &job->closed, error)
      || !till_store_cash_summary (store, job->date, &job->cash, error)
      || (job->report = till_store_report_day (store, job->date, error)) == NULL
      || (job->members = till_store_member_report_day (store, job->date, error)) == NULL
      || (job->closed
          && (job->close = till_store_day_close_load (store, job->date, error)) == NULL)
      || (!job->closed
          && (job->suspended = till_store_list_suspended (store, NULL, error)) == NULL))
    {
      load_job_free (job);
      return NULL;
    }
  return job;
}

static void
show_close (TillDayCloseWindow *self,
            const TillDayClose *close)
{
  g_autofree char *text = NULL;
  g_autofree char *diff = till_money_format (close->difference_fen);

  self->closed = TRUE;
  show_z_text (self, close->z_text);
  text = g_strdup_printf (_("The day %s is closed (by %s; difference %s): it cannot change any "
                            "more."),
                          close->date, close->closed_by != NULL ? close->closed_by : "",
                          diff);
  show_message (self, text, FALSE);
}

/* 挂单: the suspended sales would be stranded by the close; each with its total. */
static void
show_suspended (TillDayCloseWindow *self,
                GPtrArray          *suspended)
{
  GtkWidget *child;
  g_autofree char *heading = NULL;
  guint n = suspended != NULL ? suspended->len : 0;

  self->n_suspended = n;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suspended_grid))) != NULL)
    gtk_grid_remove (self->suspended_grid, child);
  gtk_widget_set_visible (GTK_WIDGET (self->suspended_box), n > 0);
  if (n == 0)
    return;
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u sale is suspended: resume it (Ctrl+Shift+H) and "
                                          "take its payment, or void it, before the day is "
                                          "closed.",
                                          "%u sales are suspended: resume them (Ctrl+Shift+H) "
                                          "and take their payment, or void them, before the "
                                          "day is closed.", n), n);
  gtk_label_set_text (self->suspended_heading, heading);
  for (guint i = 0; i < n; i++)
    {
      const TillSuspendedSale *sale = g_ptr_array_index (suspended, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sale->suspended_at
                                                                 / G_USEC_PER_SEC);
      g_autofree char *time = at != NULL ? g_date_time_format (at, "%m-%d %H:%M") : g_strdup ("");
      g_autofree char *total = till_money_format (sale->total_fen);
      GtkLabel *first;

      grid_label (self->suspended_grid, sale->number, 0, i, FALSE);
      grid_label (self->suspended_grid, time, 1, i, FALSE);
      grid_label (self->suspended_grid, sale->cashier != NULL ? sale->cashier : "", 2, i, FALSE);
      first = grid_label (self->suspended_grid, sale->first_item != NULL ? sale->first_item : "",
                          3, i, FALSE);
      gtk_label_set_ellipsize (first, PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (first, 24);
      grid_label (self->suspended_grid, total, 4, i, TRUE);
    }
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TillDayCloseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadJob *job;

  job = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (job == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot read the day's cash: %s"),
                                               error->message);
      show_message (self, text, TRUE);
      update_actions (self);
      return;
    }
  self->cash = job->cash;
  till_cash_summary_set_rounding (&self->cash, self->rounding);
  show_methods (self, job->report);
  show_stored_value (self, job->members);
  show_suspended (self, job->suspended);
  self->have_summary = TRUE;
  if (job->closed)
    show_close (self, job->close);
  update_totals (self);
  update_actions (self);
}

guint
till_day_close_window_get_n_suspended (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), 0);
  return self->n_suspended;
}

gboolean
till_day_close_window_get_loading (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), FALSE);
  return self->loading;
}

gboolean
till_day_close_window_get_closed (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), FALSE);
  return self->closed;
}

void
till_day_close_window_set_count (TillDayCloseWindow *self,
                                 guint               index,
                                 guint               pieces)
{
  g_return_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self));
  g_return_if_fail (index < TILL_N_DENOMINATIONS);
  gtk_spin_button_set_value (self->spins[index], pieces);
}

const char *
till_day_close_window_get_difference_text (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), "");
  return self->difference_text != NULL ? self->difference_text : "";
}

const char *
till_day_close_window_get_difference_state (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), "");
  return self->difference_state != NULL ? self->difference_state : "";
}

const char *
till_day_close_window_get_message (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), "");
  return self->message != NULL ? self->message : "";
}

TillShiftLines *
till_day_close_window_get_shift_lines (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), NULL);
  return self->shift_lines;
}

const char *
till_day_close_window_get_z_text (TillDayCloseWindow *self)
{
  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), NULL);
  return self->z_text;
}

/* ---- closing ---- */

typedef struct
{
  char            *date;
  guint            counts[TILL_N_DENOMINATIONS];
  TillCashRounding rounding;
  char            *closed_by;
} CloseJob;

static void
close_job_free (gpointer data)
{
  CloseJob *job = data;

  g_free (job->date);
  g_free (job->closed_by);
  g_free (job);
}

static gpointer
close_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  CloseJob *job = data;

  return till_store_day_close_rounded (store, job->date, job->counts, job->rounding,
                                       job->closed_by, error);
}

/* A closed day is reconciled with the provider's bill the next day (an outbox job). */
static void
schedule_reconciliation (TillDayCloseWindow *self,
                         const char         *date)
{
  TillBillService *bills =
    till_payment_runtime_get_bill_service (till_context_get_payment_runtime (self->context));
  g_autoptr(GError) error = NULL;

  if (bills == NULL)
    {
      g_message ("day %s closed without electronic payment: no reconciliation scheduled",
                 date);
      return;
    }
  if (!till_bill_service_schedule (bills, date, &error))
    {
      g_autofree char *text = g_strdup_printf (_("%s\n The reconciliation with the provider's "
                                                 "bill was not scheduled: %s"),
                                               self->message, error->message);

      g_warning ("scheduling the reconciliation of %s: %s", date, error->message);
      show_message (self, text, TRUE);
    }
}

/* After the day close's commit, a backup (in a thread of its own); a failure is said in
 * this window while it is open, and logged. */
static void
backup_made_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TillDayCloseWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = till_backup_make_finish (TILL_CONTEXT (object), result, &error);
  g_autofree char *text = NULL;

  if (path != NULL)
    {
      g_message ("backup after the day close: %s", path);
      return;
    }
  g_warning ("no backup after the day close: %s", error->message);
  if (self->message_label == NULL)
    return;  /* the window was closed meanwhile */
  text = g_strdup_printf (_("%s\n No backup was made: %s"),
                          self->message != NULL ? self->message : "", error->message);
  show_message (self, text, TRUE);
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillDayCloseWindow) self = user_data;
  g_autoptr(TillDayClose) close = NULL;
  g_autoptr(GError) error = NULL;

  close = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (close == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The day was not closed: %s"),
                                               error->message);
      show_message (self, text, TRUE);
      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED))
        self->closed = TRUE;
      update_actions (self);
      return;
    }
  show_close (self, close);
  schedule_reconciliation (self, close->date);
  till_backup_make_async (self->context, NULL, backup_made_cb, g_object_ref (self));
  update_actions (self);
}

static void
approved_cb (TillPinWindow      *pin,
             TillPerson         *manager,
             TillDayCloseWindow *self)
{
  CloseJob *job = g_new0 (CloseJob, 1);

  job->date = g_strdup (self->date);
  job->closed_by = g_strdup (manager->name);
  job->rounding = self->rounding;
  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    job->counts[i] = gtk_spin_button_get_value_as_int (self->spins[i]);
  self->loading = TRUE;
  update_actions (self);
  show_message (self, _("Closing the day…"), FALSE);
  till_store_run_async (till_context_get_store (self->context), close_job, job, close_job_free,
                        (GDestroyNotify) till_day_close_free, self->cancellable, close_cb,
                        g_object_ref (self));
}

GtkWindow *
till_day_close_window_close_day (TillDayCloseWindow *self)
{
  TillPinWindow *pin;
  g_autofree char *detail = NULL;
  g_autofree char *what = NULL;
  g_autofree char *counted = NULL;

  g_return_val_if_fail (TILL_IS_DAY_CLOSE_WINDOW (self), NULL);

  if (self->loading || self->closed || !self->have_summary)
    return NULL;

  counted = till_money_format (till_day_close_window_get_counted_fen (self));
  detail = g_strdup_printf ("{\"date\":\"%s\",\"counted_fen\":%" G_GINT64_FORMAT "}",
                            self->date, till_day_close_window_get_counted_fen (self));
  what = g_strdup_printf (_("%.0s%.0s%.0sClose %s with %s counted (%s); the day cannot change "
                            "afterwards."),
                          self->date, counted, self->difference_text, self->date, counted,
                          self->difference_text);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_DAY_CLOSE, detail,
                             what);
  g_signal_connect_object (pin, "approved", G_CALLBACK (approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
  return GTK_WINDOW (pin);
}

static void
close_day_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  till_day_close_window_close_day (TILL_DAY_CLOSE_WINDOW (widget));
}

/* ---- reprint ---- */

static void
reprinted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TillDayCloseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_receipt_printer_print_text_finish (TILL_RECEIPT_PRINTER (object), result, &error))
    show_message (self, error->message, TRUE);
  else
    show_message (self, _("Printed"), FALSE);
}

static void
reprint_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TillDayCloseWindow *self = TILL_DAY_CLOSE_WINDOW (widget);
  g_autoptr(TillReceiptPrinter) printer = till_ui_receipt_printer_new (self->context);

  if (self->z_text == NULL)
    return;
  till_receipt_printer_print_text_async (printer, self->z_text, GTK_WINDOW (self), NULL,
                                         reprinted_cb, g_object_ref (self));
}

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillDayCloseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_print_text_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (self, error->message, TRUE);
}

static void
print_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TillDayCloseWindow *self = TILL_DAY_CLOSE_WINDOW (widget);
  g_autofree char *name = g_strdup_printf ("Tillpoint Z %s", self->date);

  if (self->z_text == NULL)
    return;
  till_print_text_async (GTK_WINDOW (self), name, self->z_text, NULL, NULL, printed_cb,
                         g_object_ref (self));
}

/* ---- GObject ---- */

static void
till_day_close_window_dispose (GObject *object)
{
  TillDayCloseWindow *self = TILL_DAY_CLOSE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_DAY_CLOSE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_day_close_window_parent_class)->dispose (object);
}

static void
till_day_close_window_finalize (GObject *object)
{
  TillDayCloseWindow *self = TILL_DAY_CLOSE_WINDOW (object);

  g_free (self->date);
  g_free (self->z_text);
  g_free (self->message);
  g_free (self->difference_text);

  G_OBJECT_CLASS (till_day_close_window_parent_class)->finalize (object);
}

static void
till_day_close_window_class_init (TillDayCloseWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_day_close_window_dispose;
  object_class->finalize = till_day_close_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-day-close-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, count_grid);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, summary_grid);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, methods_grid);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, stored_value_box);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, stored_value_grid);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, difference_box);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, difference_label);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, z_view);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, close_day_button);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, suspended_box);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, suspended_heading);
  gtk_widget_class_bind_template_child (widget_class, TillDayCloseWindow, suspended_grid);

  gtk_widget_class_install_action (widget_class, "dayclose.close-day", NULL, close_day_action_cb);
  gtk_widget_class_install_action (widget_class, "dayclose.reprint", NULL, reprint_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "dayclose.reprint", NULL);
  gtk_widget_class_install_action (widget_class, "dayclose.print", NULL, print_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkLabel *
grid_label (GtkGrid    *grid,
            const char *text,
            int         column,
            int         row,
            gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    {
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_set_hexpand (label, TRUE);
    }
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

static void
till_day_close_window_init (TillDayCloseWindow *self)
{
  static const char *summary_titles[] = {
    N_("Float"), N_("Cash sales"), N_("Cash refunds"), N_("Returns without receipt"),
    N_("Cash rounding"), N_("Cash in"), N_("Cash out"), N_("Expected cash"),
    N_("Counted cash"),
  };

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    {
      g_autofree char *name = till_money_format (till_denominations_fen[i]);
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 99999, 1);

      grid_label (self->count_grid, name, 0, i, FALSE);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_widget_add_css_class (spin, "numeric");
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed_cb), self);
      gtk_grid_attach (self->count_grid, spin, 1, i, 1, 1);
      self->spins[i] = GTK_SPIN_BUTTON (spin);
      self->line_labels[i] = grid_label (self->count_grid, "", 2, i, TRUE);
      gtk_widget_set_size_request (GTK_WIDGET (self->line_labels[i]), 110, -1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (summary_titles); i++)
    {
      GtkLabel *title = grid_label (self->summary_grid, _(summary_titles[i]), 0, i, FALSE);

      self->summary_titles[i] = title;
      self->summary_values[i] = grid_label (self->summary_grid, "", 1, i, TRUE);
      if (i >= ROW_EXPECTED)
        {
          gtk_widget_add_css_class (GTK_WIDGET (title), "summary-strong");
          gtk_widget_add_css_class (GTK_WIDGET (self->summary_values[i]), "summary-strong");
        }
    }
  {
    static const char *method_headings[] = {
      N_("Method"), N_("Payments"), N_("Amount"), N_("Refunds"),
    };

    for (guint c = 0; c < G_N_ELEMENTS (method_headings); c++)
      gtk_widget_add_css_class (GTK_WIDGET (grid_label (self->methods_grid,
                                                        _(method_headings[c]), c, 0, c > 0)),
                                "dim-label");
    for (guint m = 0; m <= TILL_REPORT_N_METHODS; m++)
      for (guint c = 0; c < G_N_ELEMENTS (self->method_cells[m]); c++)
        {
          const char *text = c > 0 ? "" : m < TILL_REPORT_N_METHODS
                                            ? till_report_method_label ((TillReportMethod) m)
                                            : _("Total");

          self->method_cells[m][c] = grid_label (self->methods_grid, text, c, m + 1, c > 0);
          if (m == TILL_REPORT_N_METHODS)
            gtk_widget_add_css_class (GTK_WIDGET (self->method_cells[m][c]), "summary-strong");
        }
    for (guint m = 0; m <= TILL_REPORT_N_METHODS; m++)
      for (guint c = 0; c < G_N_ELEMENTS (self->topup_cells[m]); c++)
        {
          g_autofree char *text = NULL;

          if (c == 0)
            text = m < TILL_REPORT_N_METHODS
                     ? g_strdup_printf (_("Top-up · %s"),
                                        till_report_method_label ((TillReportMethod) m))
                     : g_strdup (_("Top-ups (not sales)"));
          self->topup_cells[m][c] = grid_label (self->methods_grid, text != NULL ? text : "", c,
                                                TILL_REPORT_N_METHODS + 2 + m, c > 0);
          gtk_widget_set_visible (GTK_WIDGET (self->topup_cells[m][c]), FALSE);
          if (m == TILL_REPORT_N_METHODS)
            gtk_widget_add_css_class (GTK_WIDGET (self->topup_cells[m][c]), "summary-strong");
        }
  }
  stored_value_rows_init (self);
}

static void
stored_value_rows_init (TillDayCloseWindow *self)
{
  static const char *titles[] = {
    N_("Stored value taken in (top-ups + bonus)"), N_("of which bonus"),
    N_("Stored value spent (not new money)"), N_("Given back by refunds"),
    N_("Adjusted by managers"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      grid_label (self->stored_value_grid, _(titles[i]), 0, i, FALSE);
      self->stored_value_cells[i] = grid_label (self->stored_value_grid, "", 1, i, TRUE);
    }
}

TillDayCloseWindow *
till_day_close_window_new (GtkWindow   *parent,
                           TillContext *context,
                           const char  *date)
{
  TillDayCloseWindow *self;
  g_autofree char *heading = NULL;
  LoadJob *job;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_DAY_CLOSE_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  self->rounding = till_context_get_cash_rounding (context);
  self->date = date != NULL ? g_strdup (date) : till_report_local_date (till_clock_now_us ());
  heading = g_strdup_printf (_("Day close %s (Z)"), self->date);
  gtk_label_set_text (self->heading_label, heading);
  gtk_window_set_title (GTK_WINDOW (self), heading);

  self->shift_lines = till_shift_lines_new (context);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->stored_value_box))),
                              GTK_WIDGET (self->shift_lines), GTK_WIDGET (self->stored_value_box));
  till_shift_lines_set_date (self->shift_lines, self->date);

  self->loading = TRUE;
  update_totals (self);
  update_actions (self);
  job = g_new0 (LoadJob, 1);
  job->date = g_strdup (self->date);
  till_store_run_async (till_context_get_store (context), load_job, job, NULL, load_job_free,
                        self->cancellable, load_cb, g_object_ref (self));
  return self;
}
