/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReconcileSection: one provider's part of the reports' reconciliation tab — its name
 * ("微信支付 WeChat Pay", "支付宝 Alipay"), the stored result's status line, what its bill
 * job is doing, the counts and every difference (payments and refunds: missing at the
 * till, missing at the provider, amount, state), and a "立即核对 Fetch now" button bound
 * to report.fetch-bill with the provider's name as the target. It only shows what it is
 * given: the report window loads and fetches. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TILL_TYPE_RECONCILE_SECTION (till_reconcile_section_get_type ())
G_DECLARE_FINAL_TYPE (TillReconcileSection, till_reconcile_section, TILL, RECONCILE_SECTION,
                      GtkBox)

/* `provider` is the provider's name ("wechat"); `title` what the manager reads. */
TillReconcileSection *till_reconcile_section_new          (const char           *provider,
                                                           const char           *title);
const char           *till_reconcile_section_get_provider (TillReconcileSection *self);

/* No result to show: `status` says why (not fetched yet, cannot be read, …). */
void        till_reconcile_section_show_message (TillReconcileSection *self,
                                                 const char           *status);
/* A stored result (till_reconciliation_to_json()): status, counts and the differences. */
void        till_reconcile_section_show_result  (TillReconcileSection *self,
                                                 const char           *json);
/* The line under the status: what the bill job or a fetch did ("" or NULL hides it);
 * `date` is the day it is about. */
void        till_reconcile_section_set_job      (TillReconcileSection *self,
                                                 const char           *text,
                                                 const char           *date,
                                                 gboolean              error);
const char *till_reconcile_section_get_job_date (TillReconcileSection *self);
/* Whether the provider is set up here (its "Fetch now" button is shown). */
void        till_reconcile_section_set_can_fetch (TillReconcileSection *self,
                                                  gboolean              can_fetch);
/* Whether the report window is fetching this provider's bill now. */
void        till_reconcile_section_set_fetching (TillReconcileSection *self,
                                                 gboolean              fetching);
gboolean    till_reconcile_section_get_fetching (TillReconcileSection *self);

const char *till_reconcile_section_get_status   (TillReconcileSection *self);
const char *till_reconcile_section_get_counts   (TillReconcileSection *self);
const char *till_reconcile_section_get_job      (TillReconcileSection *self);
/* The differences (TillTextRow: 0 difference, 1 order number, 2 bill, 3 till, 4 sale,
 * 5 time, 6 payment or refund). */
GListModel *till_reconcile_section_get_rows     (TillReconcileSection *self);

G_END_DECLS
