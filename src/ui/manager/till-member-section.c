/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMemberSection: the reports' Stored value tab, shown from a TillMemberReport. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "till-member-section.h"
#include "till-money.h"
#include "till-text-row.h"

struct _TillMemberSection
{
  GtkBox parent_instance;

  GListStore *days;
  GListStore *points;

  GtkStack *stack;
  AdwStatusPage *empty_page;
  GtkLabel *owed_paid_label;
  GtkLabel *owed_bonus_label;
  GtkLabel *taken_in_label;
  GtkLabel *spent_label;
  GtkLabel *points_label;
  GtkLabel *note_label;
  GtkLabel *members_label;
  GtkColumnView *days_view;
  GtkColumnView *points_view;
};

G_DEFINE_FINAL_TYPE (TillMemberSection, till_member_section, GTK_TYPE_BOX)

static void
set_money (GtkLabel *label, gint64 fen)
{
  g_autofree char *text = till_money_format (fen);

  gtk_label_set_text (label, text);
}

static void
add_days (TillMemberSection *self, guint i, const char *date, const TillMemberReportDay *d)
{
  g_autofree char *tp = till_money_format (d->topup_paid_fen);
  g_autofree char *tb = till_money_format (d->topup_bonus_fen);
  g_autofree char *sp = till_money_format (d->spend_paid_fen);
  g_autofree char *sb = till_money_format (d->spend_bonus_fen);
  g_autofree char *rp = till_money_format (d->refund_paid_fen);
  g_autofree char *rb = till_money_format (d->refund_bonus_fen);
  g_autofree char *ap = till_money_format (d->adjust_paid_fen);
  g_autofree char *ab = till_money_format (d->adjust_bonus_fen);
  g_autofree char *op = till_money_format (d->owed_paid_fen);
  g_autofree char *ob = till_money_format (d->owed_bonus_fen);
  g_autoptr (TillTextRow) row
      = till_text_row_new_va (i, date, tp, tb, sp, sb, rp, rb, ap, ab, op, ob, NULL);

  g_list_store_append (self->days, row);
}

static void
add_points (TillMemberSection *self, guint i, const char *date, const TillMemberReportDay *d)
{
  g_autofree char *earned = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_earned);
  g_autofree char *reversed = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_reversed);
  g_autofree char *redeemed = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_redeemed);
  g_autofree char *adjusted = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_adjusted);
  g_autofree char *held = g_strdup_printf ("%" G_GINT64_FORMAT, d->points_held);
  g_autoptr (TillTextRow) row
      = till_text_row_new_va (i, date, earned, reversed, redeemed, adjusted, held, NULL);

  g_list_store_append (self->points, row);
}

void
till_member_section_show (TillMemberSection *self, const TillMemberReport *report)
{
  const TillMemberReportDay *t;

  g_return_if_fail (TILL_IS_MEMBER_SECTION (self));
  g_return_if_fail (report != NULL);

  g_list_store_remove_all (self->days);
  g_list_store_remove_all (self->points);
  if (!till_member_report_has_moves (report))
    {
      adw_status_page_set_title (self->empty_page, _ ("No stored value"));
      adw_status_page_set_description (
          self->empty_page,
          _ ("Members' top-ups, spends and points show here once there are any."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  t = &report->total;
  set_money (self->owed_paid_label, t->owed_paid_fen);
  set_money (self->owed_bonus_label, t->owed_bonus_fen);
  set_money (self->taken_in_label, till_member_report_day_taken_in_fen (t));
  set_money (self->spent_label, till_member_report_day_spent_fen (t));
  {
    g_autofree char *points = g_strdup_printf ("%" G_GINT64_FORMAT, t->points_held);
    g_autofree char *members
        = g_strdup_printf (_ ("Members who topped up: %u · who spent stored value: %u"),
                           t->n_topup_members, t->n_spend_members);

    gtk_label_set_text (self->points_label, points);
    gtk_label_set_text (self->members_label, members);
  }

  for (guint i = 0; i < report->days->len; i++)
    {
      const TillMemberReportDay *d = g_ptr_array_index (report->days, i);

      add_days (self, i, d->date, d);
      add_points (self, i, d->date, d);
    }
  add_days (self, report->days->len, _ ("Total"), t);
  add_points (self, report->days->len, _ ("Total"), t);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

void
till_member_section_show_message (TillMemberSection *self, const char *text)
{
  g_return_if_fail (TILL_IS_MEMBER_SECTION (self));

  g_list_store_remove_all (self->days);
  g_list_store_remove_all (self->points);
  adw_status_page_set_title (self->empty_page, _ ("The stored-value report could not be made"));
  adw_status_page_set_description (self->empty_page, text);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

const char *
till_member_section_get_figure (TillMemberSection *self, const char *name)
{
  GtkLabel *label = NULL;

  g_return_val_if_fail (TILL_IS_MEMBER_SECTION (self), NULL);
  if (g_strcmp0 (name, "owed-paid") == 0)
    label = self->owed_paid_label;
  else if (g_strcmp0 (name, "owed-bonus") == 0)
    label = self->owed_bonus_label;
  else if (g_strcmp0 (name, "taken-in") == 0)
    label = self->taken_in_label;
  else if (g_strcmp0 (name, "spent") == 0)
    label = self->spent_label;
  else if (g_strcmp0 (name, "points") == 0)
    label = self->points_label;
  g_return_val_if_fail (label != NULL, NULL);
  return gtk_label_get_text (label);
}

const char *
till_member_section_get_members_text (TillMemberSection *self)
{
  g_return_val_if_fail (TILL_IS_MEMBER_SECTION (self), NULL);
  return gtk_label_get_text (self->members_label);
}

GListModel *
till_member_section_get_rows (TillMemberSection *self, const char *table)
{
  g_return_val_if_fail (TILL_IS_MEMBER_SECTION (self), NULL);
  if (g_strcmp0 (table, "days") == 0)
    return G_LIST_MODEL (self->days);
  if (g_strcmp0 (table, "points") == 0)
    return G_LIST_MODEL (self->points);
  g_return_val_if_reached (NULL);
}

gboolean
till_member_section_get_empty (TillMemberSection *self)
{
  g_return_val_if_fail (TILL_IS_MEMBER_SECTION (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0;
}

static void
till_member_section_dispose (GObject *object)
{
  TillMemberSection *self = TILL_MEMBER_SECTION (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_MEMBER_SECTION);
  g_clear_object (&self->days);
  g_clear_object (&self->points);
  G_OBJECT_CLASS (till_member_section_parent_class)->dispose (object);
}

static void
till_member_section_class_init (TillMemberSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_member_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-member-section.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TillMemberSection, name)
  BIND (stack);
  BIND (empty_page);
  BIND (owed_paid_label);
  BIND (owed_bonus_label);
  BIND (taken_in_label);
  BIND (spent_label);
  BIND (points_label);
  BIND (note_label);
  BIND (members_label);
  BIND (days_view);
  BIND (points_view);
#undef BIND
}

static void
setup_view (GtkColumnView *view, GListStore *store)
{
  g_autoptr (GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (store)));

  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (view, TRUE);
}

static void
till_member_section_init (TillMemberSection *self)
{
  const char *money_columns[] = {
    N_ ("Top-up paid"),   N_ ("Top-up bonus"),   N_ ("Spent paid"), N_ ("Spent bonus"),
    N_ ("Refunded paid"), N_ ("Refunded bonus"), N_ ("Adj. paid"),  N_ ("Adj. bonus"),
    N_ ("Owed paid"),     N_ ("Owed bonus"),
  };
  const char *points_columns[] = {
    N_ ("Earned"), N_ ("Reversed"), N_ ("Redeemed"), N_ ("Adjusted"), N_ ("Held"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->days = g_list_store_new (TILL_TYPE_TEXT_ROW);
  self->points = g_list_store_new (TILL_TYPE_TEXT_ROW);

  gtk_label_set_text (self->note_label,
                      _ ("A top-up's money was paid in cash or by a code and is counted there: "
                         "stored value taken in is what members may now spend (with the bonus), "
                         "and stored value spent is not new money. Refunds back to stored value "
                         "are apart."));

  setup_view (self->days_view, self->days);
  till_text_column_add (self->days_view, _ ("Date"), 0, FALSE, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (money_columns); i++)
    till_text_column_add (self->days_view, _ (money_columns[i]), i + 1, TRUE, FALSE);

  setup_view (self->points_view, self->points);
  till_text_column_add (self->points_view, _ ("Date"), 0, FALSE, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (points_columns); i++)
    till_text_column_add (self->points_view, _ (points_columns[i]), i + 1, TRUE, FALSE);
}

TillMemberSection *
till_member_section_new (void)
{
  return g_object_new (TILL_TYPE_MEMBER_SECTION, NULL);
}
