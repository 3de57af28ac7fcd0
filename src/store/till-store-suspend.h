/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 挂单 / 取单: suspending the sale at the counter and resuming it later. A suspended sale is
 * a sale row in state "suspended" with its number, lines and cashier; it holds no payment
 * (suspending is refused while one is in progress or part of the sale is paid, and a payment
 * that turns out paid late for it is unattached and refunded), is in no report until it is
 * completed, and the day cannot be closed while one is left. Each command is ONE
 * transaction: a crash leaves the sale at the counter either suspended or not, never both
 * nor lost. At most one sale per till is open (schema 9's trigger holds it). */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* One line of the list of suspended sales. */
typedef struct
{
  gint64  id;
  char   *number;
  gint64  opened_at;      /* unix µs */
  gint64  suspended_at;   /* unix µs */
  char   *cashier;        /* who suspended it (may be NULL) */
  char   *first_item;     /* the name of its first line */
  guint   n_lines;
  gint64  total_fen;
} TillSuspendedSale;

void till_suspended_sale_free (TillSuspendedSale *sale);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillSuspendedSale, till_suspended_sale_free)

/* Saves the sale as it is now and suspends it, in one transaction, with the audit row
 * "suspend_sale" (actor `cashier`). Refused (TILL_STORE_ERROR_INVALID_STATE, nothing
 * written) for a sale without lines, one that is not open, one with a payment in progress
 * or any part paid. Sets the sale's id and state (suspended). */
gboolean     till_store_suspend_sale       (TillStore   *self,
                                            TillSale    *sale,
                                            const char  *cashier,
                                            const char  *till_id,
                                            GError     **error);
/* Makes the suspended sale `sale_id` of `till_id` the open sale again, in one transaction
 * (audit "resume_sale"). `current` (may be NULL) is the sale at the counter: with lines it
 * is suspended first in the same transaction (the same refusals as above; its state is set
 * to suspended and *out_suspended_number, when given, gets its number); without lines it
 * is forgotten (an empty open row of it, never paid, is deleted). Returns the resumed sale
 * with its lines and prices as suspended. Refused when the sale is no longer suspended
 * (resumed or voided meanwhile) or another sale of the till with goods is open. */
TillSale    *till_store_resume_sale        (TillStore   *self,
                                            gint64       sale_id,
                                            TillSale    *current,
                                            const char  *cashier,
                                            const char  *till_id,
                                            char       **out_suspended_number,
                                            GError     **error);
/* Voids a suspended sale as any void is (state voided, audit "void_sale"). */
gboolean     till_store_void_suspended_sale (TillStore  *self,
                                             gint64      sale_id,
                                             const char *actor,
                                             GError    **error);
/* The suspended sales of `till_id` (NULL: of every till), newest first. Array of
 * TillSuspendedSale*, owned. */
GPtrArray   *till_store_list_suspended     (TillStore   *self,
                                            const char  *till_id,
                                            GError     **error);
/* How many (NULL: of every till); -1 on error. */
gint64       till_store_count_suspended    (TillStore   *self,
                                            const char  *till_id,
                                            GError     **error);

/* The same on the store thread, with a snapshot of the sale(s) taken now; the _finish()
 * functions set the states of `sale` / `current` on the caller's thread. */
void         till_store_suspend_sale_async (TillStore          *self,
                                            TillSale           *sale,
                                            const char         *cashier,
                                            const char         *till_id,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean     till_store_suspend_sale_finish (TillStore         *self,
                                             GAsyncResult      *result,
                                             GError           **error);
void         till_store_resume_sale_async  (TillStore          *self,
                                            gint64              sale_id,
                                            TillSale           *current,
                                            const char         *cashier,
                                            const char         *till_id,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
/* The resumed sale (owned); *out_suspended_number: the number of `current` when it was
 * suspended by the resume, else NULL. */
TillSale    *till_store_resume_sale_finish (TillStore          *self,
                                            GAsyncResult       *result,
                                            char              **out_suspended_number,
                                            GError            **error);

G_END_DECLS
