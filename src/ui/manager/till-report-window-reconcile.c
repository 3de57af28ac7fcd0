/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReportWindow: the reconciliation tab — each provider's stored result, fetching a
 * provider's bill now, and following the bill jobs' signals. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-alipay-provider.h"
#include "till-pay-error.h"
#include "till-report-window-private.h"
#include "till-store-reports.h"
#include "till-wxpay-provider.h"

/* The providers the tab knows, in the order it shows them. */
static const struct
{
  const char *name;
  const char *title;
} known[] = {
  { TILL_WXPAY_PROVIDER_NAME, N_("WeChat Pay") },
  { TILL_ALIPAY_PROVIDER_NAME, N_("Alipay") },
};

static TillBillService *
bill_service (TillReportWindow *self)
{
  if (self->context == NULL)
    return NULL;
  return till_payment_runtime_get_bill_service (till_context_get_payment_runtime (self->context));
}

static gboolean
provider_set_up (TillReportWindow *self,
                 const char       *name)
{
  TillBillService *bills = bill_service (self);

  return bills != NULL && till_bill_service_get_provider (bills, name) != NULL;
}

static TillReconcileSection *
section_for (TillReportWindow *self,
             const char       *provider)
{
  for (guint i = 0; provider != NULL && self->recon_sections != NULL
                    && i < self->recon_sections->len; i++)
    {
      TillReconcileSection *section = g_ptr_array_index (self->recon_sections, i);

      if (g_strcmp0 (till_reconcile_section_get_provider (section), provider) == 0)
        return section;
    }
  return NULL;
}

/* The tab's own line (a period that is not a day, nothing set up); NULL hides it. */
static void
set_note (TillReportWindow *self,
          const char       *text)
{
  g_free (self->recon_note);
  self->recon_note = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (self->recon_note_label, self->recon_note);
  gtk_widget_set_visible (GTK_WIDGET (self->recon_note_label), self->recon_note[0] != '\0');
}

static char *
next_try_text (const char *date,
               gint64      next_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (next_us / G_USEC_PER_SEC);
  g_autofree char *when = dt != NULL ? g_date_time_format (dt, "%m-%d %H:%M") : g_strdup ("");

  return g_strdup_printf (_("The bill of %1$s is not made yet; it is tried again at %2$s"),
                          date, when);
}

static void
update_fetching (TillReportWindow *self)
{
  gboolean any = FALSE;

  if (self->recon_sections == NULL)   /* the window is gone */
    return;
  for (guint i = 0; i < self->recon_sections->len; i++)
    any = any || till_reconcile_section_get_fetching (g_ptr_array_index (self->recon_sections, i));
  if (any != self->fetching)
    _till_report_window_set_fetching (self, any);
}

void
_till_report_window_recon_init (TillReportWindow *self)
{
  self->recon_sections = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      TillReconcileSection *section = till_reconcile_section_new (known[i].name,
                                                                  _(known[i].title));

      gtk_widget_set_visible (GTK_WIDGET (section), FALSE);
      gtk_box_append (self->recon_box, GTK_WIDGET (section));
      g_ptr_array_add (self->recon_sections, section);   /* the box holds it */
    }
}

/* ---- loading and showing ---- */

typedef struct
{
  char   *provider;
  char   *json;     /* NULL: see error */
  GError *error;
} Loaded;

static void
loaded_free (Loaded *l)
{
  g_free (l->provider);
  g_free (l->json);
  g_clear_error (&l->error);
  g_free (l);
}

GPtrArray *
_till_report_window_recon_load (TillStore  *store,
                                const char *date)
{
  GPtrArray *loaded = g_ptr_array_new_with_free_func ((GDestroyNotify) loaded_free);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      Loaded *l = g_new0 (Loaded, 1);

      l->provider = g_strdup (known[i].name);
      l->json = till_store_reconcile_load (store, date, known[i].name, NULL, &l->error);
      g_ptr_array_add (loaded, l);
    }
  return loaded;
}

void
_till_report_window_recon_fill (TillReportWindow *self,
                                const char       *date,
                                GPtrArray        *loaded)
{
  TillBillService *bills = bill_service (self);
  guint n_shown = 0;

  if (loaded == NULL)
    {
      for (guint i = 0; i < self->recon_sections->len; i++)
        gtk_widget_set_visible (g_ptr_array_index (self->recon_sections, i), FALSE);
      set_note (self, _("Reconciliation is per day: pick a day"));
      return;
    }
  for (guint i = 0; i < loaded->len; i++)
    {
      Loaded *l = g_ptr_array_index (loaded, i);
      TillReconcileSection *section = section_for (self, l->provider);
      gboolean set_up = provider_set_up (self, l->provider);
      gint64 next;

      if (section == NULL)
        continue;
      /* A provider not set up is shown only for a result stored while it was. */
      gtk_widget_set_visible (GTK_WIDGET (section), set_up || l->json != NULL);
      till_reconcile_section_set_can_fetch (section, set_up);
      if (!set_up && l->json == NULL)
        continue;
      n_shown++;
      if (l->json != NULL)
        till_reconcile_section_show_result (section, l->json);
      else if (g_error_matches (l->error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        till_reconcile_section_show_message (section, _("The provider's bill has not been "
                                                        "fetched yet"));
      else
        {
          g_autofree char *text = g_strdup_printf (_("Cannot read the reconciliation: %s"),
                                                   l->error != NULL ? l->error->message : "");

          till_reconcile_section_show_message (section, text);
        }
      next = bills != NULL && set_up ? till_bill_service_get_next_try (bills, date, l->provider)
                                     : 0;
      if (!till_reconcile_section_get_fetching (section) && next > 0)
        {
          g_autofree char *text = next_try_text (date, next);

          till_reconcile_section_set_job (section, text, date, FALSE);
        }
    }
  set_note (self, n_shown == 0 ? _("Electronic payment is not configured: there is no bill to "
                                   "fetch")
                               : NULL);
}

void
_till_report_window_recon_reloading (TillReportWindow *self,
                                     gboolean          day)
{
  /* What a fetch or a bill job did is about one day. */
  for (guint i = 0; i < self->recon_sections->len; i++)
    {
      TillReconcileSection *section = g_ptr_array_index (self->recon_sections, i);

      if (!till_reconcile_section_get_fetching (section)
          && (!day || g_strcmp0 (till_reconcile_section_get_job_date (section), self->date) != 0))
        till_reconcile_section_set_job (section, NULL, NULL, FALSE);
    }
}

/* ---- fetch now ---- */

typedef struct
{
  TillReportWindow     *self;
  TillReconcileSection *section;
  char                 *date;
} FetchRun;

static void
fetch_run_free (FetchRun *run)
{
  g_object_unref (run->section);
  g_object_unref (run->self);
  g_free (run->date);
  g_free (run);
}

static void
reconcile_now_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FetchRun *run = user_data;
  TillReportWindow *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillReconciliation) recon = NULL;

  recon = till_bill_service_reconcile_now_finish (TILL_BILL_SERVICE (object), result, &error);
  till_reconcile_section_set_fetching (run->section, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->recon_sections == NULL)
    {
      fetch_run_free (run);
      return;
    }
  if (recon == NULL)
    {
      g_autofree char *text = NULL;

      if (till_pay_error_get_failure (error) == TILL_PAY_FAILURE_NOT_READY)
        text = g_strdup_printf (_("The bill of %s is not ready yet: the provider is still making "
                                  "it. Try again later."),
                                run->date);
      else
        text = g_strdup_printf (_("The bill could not be fetched: %s"),
                                error->message);
      till_reconcile_section_set_job (run->section, text, run->date, TRUE);
    }
  else
    till_reconcile_section_set_job (run->section,
                                    _("The bill was fetched and reconciled just now"),
                                    run->date, FALSE);
  update_fetching (self);
  if (recon != NULL)
    _till_report_window_reload (self);
  fetch_run_free (run);
}

static void
start_fetch (TillReportWindow     *self,
             TillBillService      *bills,
             TillReconcileSection *section)
{
  FetchRun *run = g_new0 (FetchRun, 1);

  run->self = g_object_ref (self);
  run->section = g_object_ref (section);
  run->date = g_strdup (self->date);
  till_reconcile_section_set_fetching (section, TRUE);
  till_reconcile_section_set_job (section, _("Fetching the bill…"), self->date,
                                  FALSE);
  till_bill_service_reconcile_now_async (bills, self->date,
                                         till_reconcile_section_get_provider (section),
                                         self->fetch_cancellable, reconcile_now_cb, run);
}

void
_till_report_window_fetch_bill_action_cb (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  TillReportWindow *self = TILL_REPORT_WINDOW (widget);
  TillBillService *bills = bill_service (self);
  const char *provider = parameter != NULL ? g_variant_get_string (parameter, NULL) : "";

  if (bills == NULL)
    {
      set_note (self, _("Electronic payment is not configured: there is no bill to fetch"));
      return;
    }
  if (self->period != TILL_REPORT_PERIOD_DAY || self->date == NULL)
    return;
  /* One cancellable for the fetches that run together (the window going cancels them). */
  if (!self->fetching || self->fetch_cancellable == NULL)
    {
      g_clear_object (&self->fetch_cancellable);
      self->fetch_cancellable = g_cancellable_new ();
    }
  for (guint i = 0; i < self->recon_sections->len; i++)
    {
      TillReconcileSection *section = g_ptr_array_index (self->recon_sections, i);
      const char *name = till_reconcile_section_get_provider (section);

      if ((provider[0] != '\0' && !g_str_equal (provider, name))
          || till_reconcile_section_get_fetching (section))
        continue;
      if (!provider_set_up (self, name))
        {
          if (provider[0] != '\0')
            till_reconcile_section_set_job (section, _("Not set up: set it up in the preferences "
                                                       "to fetch its bill"),
                                            self->date, TRUE);
          continue;
        }
      start_fetch (self, bills, section);
    }
  update_fetching (self);
}

void
till_report_window_fetch_bill (TillReportWindow *self,
                               const char       *provider)
{
  g_autoptr(GVariant) parameter = NULL;

  g_return_if_fail (TILL_IS_REPORT_WINDOW (self));

  parameter = g_variant_ref_sink (g_variant_new_string (provider != NULL ? provider : ""));
  _till_report_window_fetch_bill_action_cb (GTK_WIDGET (self), "report.fetch-bill", parameter);
}

/* ---- the bill jobs' signals ---- */

static void
bills_reconciled_cb (TillBillService  *bills,
                     const char       *date,
                     const char       *status,
                     const char       *provider,
                     TillReportWindow *self)
{
  TillReconcileSection *section = section_for (self, provider);
  g_autofree char *text = NULL;

  /* A fetch of this window reports through its own callback. */
  if (section == NULL || till_reconcile_section_get_fetching (section)
      || self->period != TILL_REPORT_PERIOD_DAY || g_strcmp0 (date, self->date) != 0)
    return;
  text = g_strdup_printf (g_strcmp0 (status, "balanced") == 0
                          ? _("The day %1$s was reconciled: balanced")
                          : _("The day %1$s was reconciled: differences"),
                          date);
  till_reconcile_section_set_job (section, text, date, FALSE);
  _till_report_window_reload (self);
}

static void
bills_not_ready_cb (TillBillService  *bills,
                    const char       *date,
                    gint64            next_us,
                    const char       *provider,
                    TillReportWindow *self)
{
  TillReconcileSection *section = section_for (self, provider);
  g_autofree char *text = NULL;

  if (section == NULL || till_reconcile_section_get_fetching (section)
      || self->period != TILL_REPORT_PERIOD_DAY || g_strcmp0 (date, self->date) != 0)
    return;
  text = next_try_text (date, next_us);
  till_reconcile_section_set_job (section, text, date, FALSE);
}

/* The context makes a new bill service when the payment settings change. */
void
_till_report_window_context_bills_cb (TillContext      *context,
                                      GParamSpec       *pspec,
                                      TillReportWindow *self)
{
  TillBillService *bills =
    till_payment_runtime_get_bill_service (till_context_get_payment_runtime (context));

  if (bills != self->bills)
    {
      if (self->bills != NULL)
        g_signal_handlers_disconnect_by_data (self->bills, self);
      g_set_object (&self->bills, bills);
      if (bills != NULL)
        {
          g_signal_connect (bills, "reconciled", G_CALLBACK (bills_reconciled_cb), self);
          g_signal_connect (bills, "not-ready", G_CALLBACK (bills_not_ready_cb), self);
        }
      /* Which providers are shown follows the settings. */
      if (pspec != NULL && self->date != NULL && !self->loading)
        _till_report_window_reload (self);
    }
  _till_report_window_update_fetch_action (self);
}

/* ---- accessors ---- */

gboolean
till_report_window_get_reconcile_shown (TillReportWindow *self,
                                        const char       *provider)
{
  TillReconcileSection *section;

  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), FALSE);
  section = section_for (self, provider);
  return section != NULL && gtk_widget_get_visible (GTK_WIDGET (section));
}

const char *
till_report_window_get_reconcile_status (TillReportWindow *self,
                                         const char       *provider)
{
  TillReconcileSection *section;

  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), "");
  section = section_for (self, provider);
  return section != NULL ? till_reconcile_section_get_status (section) : "";
}

const char *
till_report_window_get_reconcile_counts (TillReportWindow *self,
                                         const char       *provider)
{
  TillReconcileSection *section;

  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), "");
  section = section_for (self, provider);
  return section != NULL ? till_reconcile_section_get_counts (section) : "";
}

const char *
till_report_window_get_reconcile_job (TillReportWindow *self,
                                      const char       *provider)
{
  TillReconcileSection *section;

  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), "");
  if (provider == NULL)
    return self->recon_note != NULL ? self->recon_note : "";
  section = section_for (self, provider);
  return section != NULL ? till_reconcile_section_get_job (section) : "";
}

GListModel *
till_report_window_get_reconcile_rows (TillReportWindow *self,
                                       const char       *provider)
{
  TillReconcileSection *section;

  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), NULL);
  section = section_for (self, provider);
  g_return_val_if_fail (section != NULL, NULL);
  return till_reconcile_section_get_rows (section);
}

gboolean
till_report_window_get_fetching (TillReportWindow *self)
{
  g_return_val_if_fail (TILL_IS_REPORT_WINDOW (self), FALSE);
  return self->fetching;
}
