/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReconcileSection: one provider's stored reconciliation, shown. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "till-money.h"
#include "till-reconcile-section.h"
#include "till-text-row.h"

struct _TillReconcileSection
{
  GtkBox         parent_instance;

  char          *provider;
  char          *status;
  char          *job;
  char          *job_date;
  gboolean       fetching;
  GListStore    *rows;

  GtkLabel      *title_label;
  GtkLabel      *status_label;
  GtkButton     *fetch_button;
  GtkLabel      *job_label;
  GtkLabel      *counts_label;
  GtkWidget     *scroller;      /* shown when there are differences */
  GtkColumnView *view;
};

G_DEFINE_FINAL_TYPE (TillReconcileSection, till_reconcile_section, GTK_TYPE_BOX)

static void
set_status (TillReconcileSection *self,
            const char           *status,
            const char           *counts,
            const char           *css_class)
{
  g_free (self->status);
  self->status = g_strdup (status != NULL ? status : "");
  gtk_label_set_text (self->status_label, self->status);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "difference");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "balanced");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
  gtk_label_set_text (self->counts_label, counts != NULL ? counts : "");
  gtk_widget_set_visible (GTK_WIDGET (self->counts_label), counts != NULL);
}

static void
rows_changed_cb (GListModel           *rows,
                 guint                 position,
                 guint                 removed,
                 guint                 added,
                 TillReconcileSection *self)
{
  gtk_widget_set_visible (self->scroller, g_list_model_get_n_items (rows) > 0);
}

void
till_reconcile_section_show_message (TillReconcileSection *self,
                                     const char           *status)
{
  g_return_if_fail (TILL_IS_RECONCILE_SECTION (self));

  g_list_store_remove_all (self->rows);
  set_status (self, status, NULL, NULL);
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "missing_at_till") == 0)
    return _("Missing at the till");
  if (g_strcmp0 (kind, "missing_at_provider") == 0)
    return _("Missing at the provider");
  if (g_strcmp0 (kind, "amount") == 0)
    return _("Amount differs");
  if (g_strcmp0 (kind, "state") == 0)
    return _("State differs");
  return kind;
}

/* A string member, "" when absent or null. */
static const char *
member_text (JsonObject *o,
             const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/* "12.00 SUCCESS" for a side that has the row, "—" for a side that has none. */
static char *
side_text (JsonObject *d,
           const char *amount_member,
           const char *state_member)
{
  const char *state = member_text (d, state_member);
  g_autofree char *amount = NULL;

  if (state[0] == '\0')
    return g_strdup ("—");
  amount = till_money_format (json_object_get_int_member_with_default (d, amount_member, 0));
  return g_strdup_printf ("%s %s", amount, state);
}

void
till_reconcile_section_show_result (TillReconcileSection *self,
                                    const char           *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *counts_text = NULL;
  JsonObject *root, *counts = NULL;
  JsonArray *diffs = NULL;
  guint n_diffs;

  g_return_if_fail (TILL_IS_RECONCILE_SECTION (self));

  g_list_store_remove_all (self->rows);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &error)
      || json_parser_get_root (parser) == NULL   /* white space only: no root */
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autofree char *text = g_strdup_printf (_("The stored reconciliation is damaged: %s"),
                                               error != NULL ? error->message : "");

      g_warning ("The stored reconciliation of %s cannot be read: %s", self->provider,
                 error != NULL ? error->message : "no JSON");
      set_status (self, text, NULL, NULL);
      return;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "counts")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "counts")))
    counts = json_object_get_object_member (root, "counts");
  if (json_object_has_member (root, "differences")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "differences")))
    diffs = json_object_get_array_member (root, "differences");
  n_diffs = diffs != NULL ? json_array_get_length (diffs) : 0;

  if (n_diffs == 0)
    status = g_strdup (_("Matched: the till and the provider's bill agree"));
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u difference with the provider's bill",
                                           "%u differences with the provider's bill",
                                           n_diffs), n_diffs);
  if (counts != NULL)
    {
      gint64 matched = json_object_get_int_member_with_default (counts, "matched", 0);
      gint64 at_till = json_object_get_int_member_with_default (counts, "missing_at_till", 0);
      gint64 at_provider = json_object_get_int_member_with_default (counts,
                                                                    "missing_at_provider", 0);
      gint64 amount = json_object_get_int_member_with_default (counts, "amount", 0);
      gint64 state = json_object_get_int_member_with_default (counts, "state", 0);

      counts_text = g_strdup_printf (_("Matched %" PRId64 " · Missing at the till %" PRId64
                                       " · Missing at the provider %" PRId64
                                       " · Amount differences %" PRId64 " · State differences %"
                                       PRId64),
                                     matched, at_till, at_provider, amount, state);
    }
  set_status (self, status, counts_text, n_diffs == 0 ? "balanced" : "difference");

  for (guint i = 0; i < n_diffs; i++)
    {
      JsonNode *node = json_array_get_element (diffs, i);
      JsonObject *d;
      g_autofree char *bill = NULL;
      g_autofree char *till = NULL;
      g_autoptr(TillTextRow) row = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      d = json_node_get_object (node);
      bill = side_text (d, "bill_amount_fen", "bill_state");
      till = side_text (d, "till_amount_fen", "till_state");
      row = till_text_row_new_va (i, kind_label (member_text (d, "kind")),
                                  member_text (d, "key"), bill, till,
                                  member_text (d, "sale"), member_text (d, "time"),
                                  json_object_get_boolean_member_with_default (d, "refund", FALSE)
                                    ? _("Refund")
                                    : _("Payment"),
                                  NULL);
      g_list_store_append (self->rows, row);
    }
}

void
till_reconcile_section_set_job (TillReconcileSection *self,
                                const char           *text,
                                const char           *date,
                                gboolean              error)
{
  g_return_if_fail (TILL_IS_RECONCILE_SECTION (self));

  g_free (self->job);
  self->job = g_strdup (text != NULL ? text : "");
  g_free (self->job_date);
  self->job_date = g_strdup (date);
  gtk_label_set_text (self->job_label, self->job);
  gtk_widget_set_visible (GTK_WIDGET (self->job_label), self->job[0] != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->job_label), "error-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->job_label), "error-text");
}

const char *
till_reconcile_section_get_job_date (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), NULL);
  return self->job_date;
}

void
till_reconcile_section_set_can_fetch (TillReconcileSection *self,
                                      gboolean              can_fetch)
{
  g_return_if_fail (TILL_IS_RECONCILE_SECTION (self));
  gtk_widget_set_visible (GTK_WIDGET (self->fetch_button), can_fetch);
}

void
till_reconcile_section_set_fetching (TillReconcileSection *self,
                                     gboolean              fetching)
{
  g_return_if_fail (TILL_IS_RECONCILE_SECTION (self));
  self->fetching = fetching;
}

gboolean
till_reconcile_section_get_fetching (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), FALSE);
  return self->fetching;
}

const char *
till_reconcile_section_get_provider (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), NULL);
  return self->provider;
}

const char *
till_reconcile_section_get_status (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), "");
  return self->status != NULL ? self->status : "";
}

const char *
till_reconcile_section_get_counts (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), "");
  return gtk_label_get_text (self->counts_label);
}

const char *
till_reconcile_section_get_job (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), "");
  return self->job != NULL ? self->job : "";
}

GListModel *
till_reconcile_section_get_rows (TillReconcileSection *self)
{
  g_return_val_if_fail (TILL_IS_RECONCILE_SECTION (self), NULL);
  return G_LIST_MODEL (self->rows);
}

/* ---- GObject ---- */

static void
till_reconcile_section_dispose (GObject *object)
{
  TillReconcileSection *self = TILL_RECONCILE_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_RECONCILE_SECTION);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (till_reconcile_section_parent_class)->dispose (object);
}

static void
till_reconcile_section_finalize (GObject *object)
{
  TillReconcileSection *self = TILL_RECONCILE_SECTION (object);

  g_free (self->provider);
  g_free (self->status);
  g_free (self->job);
  g_free (self->job_date);
  G_OBJECT_CLASS (till_reconcile_section_parent_class)->finalize (object);
}

static void
till_reconcile_section_class_init (TillReconcileSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_reconcile_section_dispose;
  object_class->finalize = till_reconcile_section_finalize;

  gtk_widget_class_set_template_from_resource (
    widget_class, TILL_RESOURCE_PREFIX "/ui/till-reconcile-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TillReconcileSection, name)
  BIND (title_label);
  BIND (status_label);
  BIND (fetch_button);
  BIND (job_label);
  BIND (counts_label);
  BIND (scroller);
  BIND (view);
#undef BIND
}

static void
till_reconcile_section_init (TillReconcileSection *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_list_store_new (TILL_TYPE_TEXT_ROW);
  g_signal_connect_object (self->rows, "items-changed", G_CALLBACK (rows_changed_cb), self, 0);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  till_text_column_add (self->view, _("Discrepancy"), 0, FALSE, FALSE);
  till_text_column_add (self->view, _("Kind"), 6, FALSE, FALSE);
  till_text_column_add (self->view, _("Order no."), 1, FALSE, TRUE);
  till_text_column_add (self->view, _("Bill"), 2, TRUE, FALSE);
  till_text_column_add (self->view, _("Till"), 3, TRUE, FALSE);
  till_text_column_add (self->view, _("Sale no."), 4, FALSE, FALSE);
  till_text_column_add (self->view, _("Time"), 5, FALSE, FALSE);
}

TillReconcileSection *
till_reconcile_section_new (const char *provider,
                            const char *title)
{
  TillReconcileSection *self;

  g_return_val_if_fail (provider != NULL && title != NULL, NULL);

  self = g_object_new (TILL_TYPE_RECONCILE_SECTION, NULL);
  self->provider = g_strdup (provider);
  gtk_label_set_text (self->title_label, title);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->fetch_button), "s", provider);
  return self;
}
