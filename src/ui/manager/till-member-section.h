/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMemberSection: the reports' Stored value tab (issue 16) — what the shop owes its
 * members at the period's end (paid and bonus money apart), the period's top-ups and
 * spends, then per day top-ups, spends, refunds back to stored value, managers'
 * adjustments and what was owed at the day's end, and the points per day. It only shows
 * the TillMemberReport it is given: the report window loads it. */
#pragma once

#include <gtk/gtk.h>

#include "till-member-report.h"

G_BEGIN_DECLS

#define TILL_TYPE_MEMBER_SECTION (till_member_section_get_type ())
G_DECLARE_FINAL_TYPE (TillMemberSection, till_member_section, TILL, MEMBER_SECTION, GtkBox)

TillMemberSection *
till_member_section_new (void);
/* Shows `report` (read now, not kept); a till whose members have no moves shows a status
 * page saying so. */
void
till_member_section_show (TillMemberSection *self, const TillMemberReport *report);
/* No report to show: `text` says why (it could not be read). */
void
till_member_section_show_message (TillMemberSection *self, const char *text);

/* For tests: a figure as shown ("owed-paid", "owed-bonus", "taken-in", "spent",
 * "points"), the members line, the rows of a table ("days", "points"; of TillTextRow, cells
 * as shown), and whether the status page is shown. */
const char *
till_member_section_get_figure (TillMemberSection *self, const char *name);
const char *
till_member_section_get_members_text (TillMemberSection *self);
GListModel *
till_member_section_get_rows (TillMemberSection *self, const char *table);
gboolean
till_member_section_get_empty (TillMemberSection *self);

G_END_DECLS
