/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow: reports, CSV, print and reconciliation for managers. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "till-hour-chart.h"
#include "till-report-window-private.h"
#include "till-ui-util.h"
#include "till-store-reports.h"
#include "till-text-row.h"
#include "till-clock.h"

G_DEFINE_FINAL_TYPE (TillReportWindow, till_report_window, GTK_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

void
_till_report_window_set_status (TillReportWindow *self,
                                const char       *text)
{
  g_free (self->status);
  self->status = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (self->status_label, self->status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), self->status[0] != '\0');
}

void
_till_report_window_toast (TillReportWindow *self,
                           const char       *text)
{
  till_ui_show_toast (self->toast_overlay, self->status_label, &self->status, text);
}

void
_till_report_window_update_fetch_action (TillReportWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.fetch-bill",
                                 !self->loading && !self->fetching
                                 && self->period == TILL_REPORT_PERIOD_DAY
                                 && self->context != NULL
                                 && till_payment_runtime_get_bill_service (
                                      till_context_get_payment_runtime (self->context)) != NULL);
}

static void
set_loading (TillReportWindow *self,
             gboolean          loading)
{
  self->loading = loading;
  _till_report_window_update_fetch_action (self);
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-csv",
                                 !loading && self->report != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print",
                                 !loading && self->report != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- periods ---- */

static GDateTime *
parse_date (const char *date)
{
  int y, m, d;

  if (date == NULL || sscanf (date, "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;
  return g_date_time_new_local (y, m, d, 0, 0, 0);
}

/* [from, to) as dates for the period containing `date`. */
static void
period_bounds (TillReportPeriod   period,
               GDateTime         *day,
               char             **out_from,
               char             **out_to)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  switch (period)
    {
    case TILL_REPORT_PERIOD_WEEK:
      from = g_date_time_add_days (day, 1 - g_date_time_get_day_of_week (day));
      to = g_date_time_add_days (from, 7);
      break;
    case TILL_REPORT_PERIOD_MONTH:
      from = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day), 1,
                                    0, 0, 0);
      to = g_date_time_add_months (from, 1);
      break;
    case TILL_REPORT_PERIOD_DAY:
    default:
      from = g_date_time_ref (day);
      to = g_date_time_add_days (day, 1);
      break;
    }
  *out_from = g_date_time_format (from, "%Y-%m-%d");
  *out_to = g_date_time_format (to, "%Y-%m-%d");
}

/* ---- loading ---- */

typedef struct
{
  char       *from;
  char       *to;        /* excluded */
  gboolean    day;
  TillReport *report;
  GPtrArray  *recon;     /* the providers' stored reconciliations of a day */
  TillStockReport *stock;
  char       *stock_error;
  TillMemberReport *members;
  char       *members_error;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_free (job->from);
  g_free (job->to);
  g_clear_pointer (&job->report, till_report_free);
  g_clear_pointer (&job->recon, g_ptr_array_unref);
  g_clear_pointer (&job->stock, till_stock_report_free);
  g_free (job->stock_error);
  g_clear_pointer (&job->members, till_member_report_free);
  g_free (job->members_error);
  g_free (job);
}

static gpointer
load_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  LoadJob *job = g_steal_pointer (&data);

  if (job->day)
    job->report = till_store_report_day (store, job->from, error);
  else
    job->report = till_store_report_range (store, job->from, job->to, error);
  if (job->report == NULL)
    {
      load_job_free (job);
      return NULL;
    }
  if (job->day)
    job->recon = _till_report_window_recon_load (store, job->from);
  job->stock = _till_report_window_stock_load (store, job->from, job->to, &job->stock_error);
  job->members = _till_report_window_members_load (store, job->from, job->to,
                                                   &job->members_error);
  return job;
}

static char *
money (gint64 fen)
{
  return till_money_format (fen);
}

static void
fill_summary (TillReportWindow *self)
{
  const TillReport *r = self->report;
  g_autofree char *gross = money (r->gross_fen);
  g_autofree char *refunds = money (r->refunds_fen);
  g_autofree char *net = money (r->net_fen);
  g_autofree char *count = g_strdup_printf ("%u", r->n_sales);
  g_autofree char *average = money (r->average_fen);
  g_autofree char *topups = money (r->topups_fen);

  gtk_label_set_text (self->gross_label, gross);
  gtk_label_set_text (self->refunds_label, refunds);
  gtk_label_set_text (self->net_label, net);
  gtk_label_set_text (self->count_label, count);
  gtk_label_set_text (self->average_label, average);
  /* Top-ups are money owed to members, not sales: a figure of their own, when any. */
  gtk_label_set_text (self->topups_label, topups);
  gtk_widget_set_visible (self->topups_box, r->n_topups > 0);
  gtk_label_set_text (self->title_label, r->title_period);
  /* Nothing happened in the period: a status page instead of a page of zeros. */
  gtk_stack_set_visible_child_name (self->summary_stack,
                                    r->n_sales == 0 && r->n_refunds == 0 && r->n_voids == 0
                                      && r->n_returns == 0 && r->n_topups == 0
                                      ? "empty" : "report");

  g_list_store_remove_all (self->methods);
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      g_autofree char *n = g_strdup_printf ("%u", r->method_count[m]);
      g_autofree char *amount = money (r->method_fen[m]);
      g_autofree char *refunded = money (r->method_refund_fen[m]);
      g_autofree char *netm = money (r->method_fen[m] - r->method_refund_fen[m]);
      g_autoptr(TillTextRow) row =
        till_text_row_new_va (m, till_report_method_label (m), n, amount, refunded, netm, NULL);

      g_list_store_append (self->methods, row);
    }
  /* Cash rounded by the till's rule: the cash that changed hands minus the amounts. */
  if (r->cash_rounding_fen != 0)
    {
      g_autofree char *rounding = money (r->cash_rounding_fen);
      g_autoptr(TillTextRow) row = till_text_row_new_va (TILL_REPORT_N_METHODS,
                                                         _("Cash rounding"), "", rounding, "",
                                                         rounding, NULL);

      g_list_store_append (self->methods, row);
    }
  /* The top-ups by the methods that paid them (in the expected cash, not in the sales). */
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    if (r->topup_method_count[m] > 0)
      {
        g_autofree char *label = g_strdup_printf (_("Top-up · %s"), till_report_method_label (m));
        g_autofree char *n = g_strdup_printf ("%u", r->topup_method_count[m]);
        g_autofree char *amount = money (r->topup_method_fen[m]);
        g_autoptr(TillTextRow) row = till_text_row_new_va (TILL_REPORT_N_METHODS + 1 + m, label,
                                                           n, amount, "", amount, NULL);

        g_list_store_append (self->methods, row);
      }

  till_hour_chart_set_values (self->hour_chart, r->hour_fen);

  g_list_store_remove_all (self->products);
  for (guint i = 0; i < r->products->len; i++)
    {
      const TillReportProduct *p = g_ptr_array_index (r->products, i);
      g_autofree char *rank = g_strdup_printf ("%u", i + 1);
      g_autofree char *qty = till_report_format_qty (p->qty_milli);
      g_autofree char *amount = money (p->amount_fen);
      g_autoptr(TillTextRow) row = till_text_row_new_va (p->product_id, rank, p->name, qty,
                                                         amount, NULL);

      g_list_store_append (self->products, row);
    }

  g_list_store_remove_all (self->cashiers);
  for (guint i = 0; i < r->cashiers->len; i++)
    {
      const TillReportCashier *c = g_ptr_array_index (r->cashiers, i);
      g_autofree char *n = g_strdup_printf ("%u", c->n_sales);
      g_autofree char *amount = money (c->amount_fen);
      g_autoptr(TillTextRow) row =
        till_text_row_new_va (i, c->cashier[0] != '\0' ? c->cashier : _("(not recorded)"), n,
                              amount, NULL);

      g_list_store_append (self->cashiers, row);
    }

  g_list_store_remove_all (self->discounts);
  for (guint list = 0; list < 2; list++)
    {
      GPtrArray *pricing = list == 0 ? r->pricing_cashiers : r->pricing_products;

      for (guint i = 0; i < pricing->len; i++)
        {
          const TillReportPricing *p = g_ptr_array_index (pricing, i);
          g_autofree char *n_discounts = g_strdup_printf ("%u", p->n_discounts);
          g_autofree char *discounted = money (p->discount_fen);
          g_autofree char *n_overrides = g_strdup_printf ("%u", p->n_overrides);
          g_autofree char *overridden = p->n_overrides > 0 ? money (p->override_fen)
                                                           : g_strdup ("—");
          g_autoptr(TillTextRow) row =
            till_text_row_new_va (i, list == 0 ? _("Cashier") : _("Product"),
                                  p->name[0] != '\0' ? p->name : _("(not recorded)"),
                                  n_discounts, discounted, n_overrides, overridden, NULL);

          g_list_store_append (self->discounts, row);
        }
    }

  g_list_store_remove_all (self->events);
  for (guint list = 0; list < 2; list++)
    {
      GPtrArray *events = list == 0 ? r->voids : r->refunds;

      for (guint i = 0; i < events->len; i++)
        {
          const TillReportEvent *e = g_ptr_array_index (events, i);
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (e->at / G_USEC_PER_SEC);
          g_autofree char *when = g_date_time_format (dt, "%m-%d %H:%M");
          g_autofree char *amount = money (e->amount_fen);
          /* voids: the cashier; refunds: the refunded payment's method, by its name */
          int method = list == 1 ? till_report_method_from_id (e->who) : -1;
          const char *who = method >= 0 ? till_report_method_label ((TillReportMethod) method)
                                        : e->who != NULL ? e->who : "";
          g_autoptr(TillTextRow) row =
            till_text_row_new_va (i, list == 0 ? _("Void") : _("Refund"), when,
                                  e->sale_number, amount, who,
                                  e->reason != NULL ? e->reason : "", NULL);

          g_list_store_append (self->events, row);
        }
    }
  /* Returns without a receipt have no sale: one row per cashier who took them. */
  for (guint i = 0; i < r->returns->len; i++)
    {
      const TillReportCashier *c = g_ptr_array_index (r->returns, i);
      g_autofree char *amount = money (c->amount_fen);
      g_autofree char *n_text = g_strdup_printf (_("Returns: %u"), c->n_sales);
      g_autoptr(TillTextRow) row =
        till_text_row_new_va (i, _("Return without receipt"), "", "", amount,
                              c->cashier[0] != '\0' ? c->cashier : _("(not recorded)"), n_text,
                              NULL);

      g_list_store_append (self->events, row);
    }
  {
    g_autofree char *voids = money (r->voids_fen);
    g_autofree char *returns = money (r->returns_fen);
    g_autofree char *text = r->n_returns == 0
      ? g_strdup_printf (_("%u voids (%s) · %u refunds (%s)"), r->n_voids, voids, r->n_refunds,
                         refunds)
      : g_strdup_printf (_("%u voids (%s) · %u refunds (%s) · %u returns without receipt (%s)"),
                         r->n_voids, voids, r->n_refunds, refunds, r->n_returns, returns);

    gtk_label_set_text (self->events_label, text);
  }
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TillReportWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadJob *job;

  job = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The report could not be made: %s"),
                                               error->message);
      _till_report_window_set_status (self, text);
      set_loading (self, FALSE);
      return;
    }

  g_clear_pointer (&self->report, till_report_free);
  self->report = g_steal_pointer (&job->report);
  fill_summary (self);
  _till_report_window_recon_fill (self, job->from, job->day ? job->recon : NULL);
  _till_report_window_stock_fill (self, g_steal_pointer (&job->stock), job->stock_error);
  _till_report_window_members_fill (self, g_steal_pointer (&job->members), job->members_error);
  _till_report_window_set_status (self, "");
  load_job_free (job);
  set_loading (self, FALSE);
}

void
_till_report_window_reload (TillReportWindow *self)
{
  g_autoptr(GDateTime) day = parse_date (self->date);
  LoadJob *job;

  if (day == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  job = g_new0 (LoadJob, 1);
  period_bounds (self->period, day, &job->from, &job->to);
  job->day = self->period == TILL_REPORT_PERIOD_DAY;
  _till_report_window_recon_reloading (self, job->day);
  gtk_menu_button_set_label (self->date_button, self->date);
  if (self->shift_lines != NULL)
    till_shift_lines_set_date (self->shift_lines, self->date);
  _till_report_window_set_status (self, _("Computing the report…"));
  set_loading (self, TRUE);
  till_store_run_async (till_context_get_store (self->context), load_job, job,
                        NULL, load_job_free, self->cancellable, load_cb, g_object_ref (self));
}

void
till_report_window_show_period (TillReportWindow *self,
                                TillReportPeriod  period,
                                const char       *date)
{
  g_autoptr(GDateTime) day = NULL;

  g_return_if_fail (TILL_IS_REPORT_WINDOW (self));

  day = parse_date (date);
  g_return_if_fail (day != NULL);

  g_free (self->date);
  self->date = g_strdup (date);
  self->period = period;
  /* Keep the controls in step without loading twice. */
  g_signal_handlers_block_matched (self->period_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_signal_handlers_block_matched (self->calendar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_selected (self->period_dropdown, period);
  gtk_calendar_select_day (self->calendar, day);
  g_signal_handlers_unblock_matched (self->calendar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_signal_handlers_unblock_matched (self->period_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  _till_report_window_reload (self);
}

static void
period_changed_cb (GtkDropDown      *dropdown,
                   GParamSpec       *pspec,
                   TillReportWindow *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected > TILL_REPORT_PERIOD_MONTH)
    return;
  self->period = selected;
  _till_report_window_reload (self);
}

static void
calendar_day_selected_cb (GtkCalendar      *calendar,
                          TillReportWindow *self)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (calendar);

  g_free (self->date);
  self->date = g_date_time_format (dt, "%Y-%m-%d");
  gtk_popover_popdown (self->date_popover);
  _till_report_window_reload (self);
}

/* ---- accessors ---- */

gboolean
till_report_window_get_loading (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), FALSE);
  return self->loading;
}

const TillReport *
till_report_window_get_report (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);
  return self->report;
}

const char *
till_report_window_get_figure (TillReportWindow *self,
                               const char       *name)
{
  GtkLabel *label = NULL;

  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);

  if (g_strcmp0 (name, "gross") == 0)
    label = self->gross_label;
  else if (g_strcmp0 (name, "refunds") == 0)
    label = self->refunds_label;
  else if (g_strcmp0 (name, "net") == 0)
    label = self->net_label;
  else if (g_strcmp0 (name, "count") == 0)
    label = self->count_label;
  else if (g_strcmp0 (name, "average") == 0)
    label = self->average_label;
  else if (g_strcmp0 (name, "topups") == 0)
    label = self->topups_label;
  g_return_val_if_fail (label != NULL, NULL);
  return gtk_label_get_text (label);
}

GListModel *
till_report_window_get_rows (TillReportWindow *self,
                             const char       *table)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);

  if (g_strcmp0 (table, "methods") == 0)
    return G_LIST_MODEL (self->methods);
  if (g_strcmp0 (table, "products") == 0)
    return G_LIST_MODEL (self->products);
  if (g_strcmp0 (table, "cashiers") == 0)
    return G_LIST_MODEL (self->cashiers);
  if (g_strcmp0 (table, "events") == 0)
    return G_LIST_MODEL (self->events);
  if (g_strcmp0 (table, "discounts") == 0)
    return G_LIST_MODEL (self->discounts);
  g_return_val_if_reached (NULL);
}

gboolean
till_report_window_get_empty (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->summary_stack), "empty") == 0;
}

const char *
till_report_window_get_status (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), "");
  return self->status != NULL ? self->status : "";
}

void
_till_report_window_set_fetching (TillReportWindow *self,
                                  gboolean          fetching)
{
  self->fetching = fetching;
  _till_report_window_update_fetch_action (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FETCHING]);
}

/* ---- GObject ---- */

static void
till_report_window_dispose (GObject *object)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);
  if (self->bills != NULL)
    g_signal_handlers_disconnect_by_data (self->bills, self);
  g_clear_object (&self->bills);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->fetch_cancellable);
  /* An entry that goes away with the focus warns that it saw no focus-out. */
  gtk_window_set_focus (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_REPORT_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->methods);
  g_clear_object (&self->products);
  g_clear_object (&self->cashiers);
  g_clear_object (&self->discounts);
  g_clear_object (&self->events);
  g_clear_pointer (&self->recon_sections, g_ptr_array_unref);

  G_OBJECT_CLASS (till_report_window_parent_class)->dispose (object);
}

static void
till_report_window_finalize (GObject *object)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (object);

  g_clear_pointer (&self->report, till_report_free);
  g_clear_pointer (&self->stock_report, till_stock_report_free);
  g_clear_pointer (&self->member_report, till_member_report_free);
  g_free (self->date);
  g_free (self->recon_note);
  g_free (self->status);

  G_OBJECT_CLASS (till_report_window_parent_class)->finalize (object);
}

static void
till_report_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, TILL_REPORT_WINDOW (object)->loading);
      break;
    case PROP_FETCHING:
      g_value_set_boolean (value, TILL_REPORT_WINDOW (object)->fetching);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_report_window_class_init (TillReportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_report_window_dispose;
  object_class->finalize = till_report_window_finalize;
  object_class->get_property = till_report_window_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FETCHING] =
    g_param_spec_boolean ("fetching", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TILL_TYPE_HOUR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-report-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TillReportWindow, name)
  BIND (period_dropdown);
  BIND (date_button);
  BIND (date_popover);
  BIND (calendar);
  BIND (title_label);
  BIND (spinner);
  BIND (status_label);
  BIND (stack);
  BIND (summary_stack);
  BIND (gross_label);
  BIND (refunds_label);
  BIND (net_label);
  BIND (count_label);
  BIND (average_label);
  BIND (topups_box);
  BIND (topups_label);
  BIND (methods_view);
  BIND (hour_chart);
  BIND (products_view);
  BIND (cashiers_view);
  BIND (discounts_view);
  BIND (events_label);
  BIND (events_view);
  BIND (recon_note_label);
  BIND (recon_box);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "report.export-csv", NULL, _till_report_window_export_csv_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "report.export-csv", NULL);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, _till_report_window_print_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "report.print", NULL);
  /* the provider's name; "" = every provider */
  gtk_widget_class_install_action (widget_class, "report.fetch-bill", "s", _till_report_window_fetch_bill_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "report.fetch-bill", "s", "");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkColumnView *
setup_view (GtkColumnView *view,
            GListStore    *store)
{
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (store)));

  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (view, TRUE);
  return view;
}

static void
till_report_window_init (TillReportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The window's child, not bound: disposing the template would unparent it before the
   * window does. */
  self->toast_overlay = ADW_TOAST_OVERLAY (gtk_window_get_child (GTK_WINDOW (self)));

  self->methods = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->products = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->cashiers = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->discounts = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->events = g_list_store_new (TILL_TYPE_TEXT_ROW);

  setup_view (self->methods_view, self->methods);
  till_text_column_add (self->methods_view, _("Method"), 0, FALSE, TRUE);
  till_text_column_add (self->methods_view, _("Payments"), 1, TRUE, FALSE);
  till_text_column_add (self->methods_view, _("Taken"), 2, TRUE, FALSE);
  till_text_column_add (self->methods_view, _("Refunded"), 3, TRUE, FALSE);
  till_text_column_add (self->methods_view, _("Net"), 4, TRUE, FALSE);

  setup_view (self->products_view, self->products);
  till_text_column_add (self->products_view, "#", 0, TRUE, FALSE);
  till_text_column_add (self->products_view, _("Product"), 1, FALSE, TRUE);
  till_text_column_add (self->products_view, _("Qty"), 2, TRUE, FALSE);
  till_text_column_add (self->products_view, _("Amount"), 3, TRUE, FALSE);

  setup_view (self->cashiers_view, self->cashiers);
  till_text_column_add (self->cashiers_view, _("Cashier"), 0, FALSE, TRUE);
  till_text_column_add (self->cashiers_view, _("Sales"), 1, TRUE, FALSE);
  till_text_column_add (self->cashiers_view, _("Amount"), 2, TRUE, FALSE);

  setup_view (self->discounts_view, self->discounts);
  gtk_column_view_column_set_fixed_width (
    till_text_column_add (self->discounts_view, _("By"), 0, FALSE, FALSE), 120);
  till_text_column_add (self->discounts_view, _("Name"), 1, FALSE, TRUE);
  till_text_column_add (self->discounts_view, _("Discounts"), 2, TRUE, FALSE);
  till_text_column_add (self->discounts_view, _("Discounted"), 3, TRUE, FALSE);
  till_text_column_add (self->discounts_view, _("Overrides"), 4, TRUE, FALSE);
  till_text_column_add (self->discounts_view, _("Override amount"), 5, TRUE, FALSE);

  setup_view (self->events_view, self->events);
  till_text_column_add (self->events_view, _("Kind"), 0, FALSE, FALSE);
  till_text_column_add (self->events_view, _("Time"), 1, FALSE, FALSE);
  till_text_column_add (self->events_view, _("Sale no."), 2, FALSE, FALSE);
  till_text_column_add (self->events_view, _("Amount"), 3, TRUE, FALSE);
  till_text_column_add (self->events_view, _("Who"), 4, FALSE, FALSE);
  till_text_column_add (self->events_view, _("Reason"), 5, FALSE, TRUE);

  _till_report_window_recon_init (self);
  _till_report_window_stock_init (self);
  _till_report_window_members_init (self);
}

TillShiftLines *
till_report_window_get_shift_lines (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);
  return self->shift_lines;
}

TillReportWindow *
till_report_window_new (GtkWindow   *parent,
                        TillContext *context)
{
  TillReportWindow *self;
  g_autoptr(GDateTime) now = till_clock_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_REPORT_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  /* The day's handover reports under the cashiers (issue 18). */
  self->shift_lines = till_shift_lines_new (context);
  {
    GtkWidget *box = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->cashiers_view)));

    gtk_orientable_set_orientation (GTK_ORIENTABLE (box), GTK_ORIENTATION_VERTICAL);
    gtk_box_set_spacing (GTK_BOX (box), 12);
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->shift_lines));
  }
  g_signal_connect (context, "notify::bill-service", G_CALLBACK (_till_report_window_context_bills_cb), self);
  _till_report_window_context_bills_cb (context, NULL, self);
  till_report_window_show_period (self, TILL_REPORT_PERIOD_DAY, today);
  return self;
}
