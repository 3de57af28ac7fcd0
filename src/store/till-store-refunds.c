/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Refund rows: begin (never more than paid, in one transaction with the outbox job and
 * the audit row), state moves with their outbox job, the sale becoming refunded, and
 * listings. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "till-store-private.h"
#include "till-store-stored-value-private.h"
#include "till-store-cash.h"
#include "till-store-outbox.h"
#include "till-store-refunds.h"

/* ---------------------------------------------------------------- records */

G_DEFINE_BOXED_TYPE (TillRefundRecord, till_refund_record, till_refund_record_copy,
                     till_refund_record_free)

TillRefundRecord *
till_refund_record_copy (const TillRefundRecord *record)
{
  TillRefundRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);
  copy = g_memdup2 (record, sizeof *record);
  copy->out_refund_no = g_strdup (record->out_refund_no);
  copy->out_trade_no = g_strdup (record->out_trade_no);
  copy->transaction_id = g_strdup (record->transaction_id);
  copy->reason = g_strdup (record->reason);
  copy->refund_id = g_strdup (record->refund_id);
  copy->last_error = g_strdup (record->last_error);
  return copy;
}

void
till_refund_record_free (TillRefundRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->out_refund_no);
  g_free (record->out_trade_no);
  g_free (record->transaction_id);
  g_free (record->reason);
  g_free (record->refund_id);
  g_free (record->last_error);
  g_free (record);
}

void
till_refund_summary_clear (TillRefundSummary *summary)
{
  g_clear_pointer (&summary->sale_number, g_free);
}

#define REFUND_COLUMNS \
  "f.id, f.payment_id, p.sale_id, p.method, f.out_refund_no, p.out_trade_no," \
  " p.transaction_id, f.amount_fen, p.amount_fen, f.reason, f.state, f.refund_id," \
  " f.created_at, f.updated_at, f.last_error, f.rounding_fen" \
  " FROM refund f JOIN payment p ON p.id = f.payment_id"

static TillRefundRecord *
refund_from_row (sqlite3_stmt *stmt)
{
  TillRefundRecord *r = g_new0 (TillRefundRecord, 1);
  const char *method = (const char *) sqlite3_column_text (stmt, 3);
  const char *state = (const char *) sqlite3_column_text (stmt, 10);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->payment_id = sqlite3_column_int64 (stmt, 1);
  r->sale_id = sqlite3_column_int64 (stmt, 2);
  if (!till_payment_method_from_string (method, &r->method))
    g_warning ("Refund %" G_GINT64_FORMAT ": unknown payment method %s", r->id, method);
  r->out_refund_no = till_stmt_dup_text (stmt, 4);
  r->out_trade_no = till_stmt_dup_text (stmt, 5);
  r->transaction_id = till_stmt_dup_text (stmt, 6);
  r->amount_fen = sqlite3_column_int64 (stmt, 7);
  r->payment_amount_fen = sqlite3_column_int64 (stmt, 8);
  r->reason = till_stmt_dup_text (stmt, 9);
  if (!till_refund_state_from_string (state, &r->state))
    {
      /* The schema's CHECK makes this impossible; never treat it as final. */
      g_warning ("Refund %" G_GINT64_FORMAT " has an unknown state %s", r->id, state);
      r->state = TILL_REFUND_STATE_IN_DOUBT;
    }
  r->refund_id = till_stmt_dup_text (stmt, 11);
  r->created_at = sqlite3_column_int64 (stmt, 12);
  r->updated_at = sqlite3_column_int64 (stmt, 13);
  r->last_error = till_stmt_dup_text (stmt, 14);
  r->rounding_fen = sqlite3_column_int64 (stmt, 15);
  return r;
}

static TillRefundRecord *
get_refund_locked (TillStore  *self,
                   const char *sql,
                   gint64      id,
                   const char *out_refund_no,
                   GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (out_refund_no != NULL)
    sqlite3_bind_text (stmt, 1, out_refund_no, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return refund_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                         _("This refund does not exist"));
  else
    till_store_set_sqlite_error (self, error, _("The refund could not be read"));
  return NULL;
}

#define GET_BY_ID "SELECT " REFUND_COLUMNS " WHERE f.id = ?1"
#define GET_BY_NO "SELECT " REFUND_COLUMNS " WHERE f.out_refund_no = ?1"

TillRefundRecord *
till_store_get_refund (TillStore  *self,
                       gint64      refund_id,
                       GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  return get_refund_locked (self, GET_BY_ID, refund_id, NULL, error);
}

TillRefundRecord *
till_store_get_refund_by_out_refund_no (TillStore  *self,
                                        const char *out_refund_no,
                                        GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (out_refund_no != NULL, NULL);
  locker = till_store_locker_new (self);
  return get_refund_locked (self, GET_BY_NO, 0, out_refund_no, error);
}

static GPtrArray *
list_locked (TillStore  *self,
             const char *sql,
             gint64      param,
             gboolean    bind,
             GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self, sql, error);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) till_refund_record_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (bind)
    sqlite3_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, refund_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The refunds could not be read"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
till_store_list_sale_refunds (TillStore *self,
                              gint64     sale_id,
                              GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  return list_locked (self, "SELECT " REFUND_COLUMNS " WHERE p.sale_id = ?1 ORDER BY f.id",
                      sale_id, TRUE, error);
}

GPtrArray *
till_store_list_unfinished_refunds (TillStore *self,
                                    GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  return list_locked (self, "SELECT " REFUND_COLUMNS
                      " WHERE f.state IN ('submitting', 'processing', 'in_doubt') ORDER BY f.id",
                      0, FALSE, error);
}

/* ---------------------------------------------------------------- summary */

static gboolean
summary_locked (TillStore         *self,
                gint64             sale_id,
                TillRefundSummary *out,
                GError           **error)
{
  g_autoptr(TillCachedStmt) sale = NULL;
  g_autoptr(TillCachedStmt) sums = NULL;
  g_autofree char *state = NULL;
  int rc;

  memset (out, 0, sizeof *out);
  sale = till_store_prepare_cached (self,
    "SELECT number, state, total_fen, kind FROM sale WHERE id = ?1", error);
  if (sale == NULL)
    return FALSE;
  sqlite3_bind_int64 (sale, 1, sale_id);
  rc = sqlite3_step (sale);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                   _("Sale %" PRId64 " does not exist"), sale_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be read"));
      return FALSE;
    }
  out->sale_id = sale_id;
  out->sale_number = till_stmt_dup_text (sale, 0);
  state = till_stmt_dup_text (sale, 1);
  if (!till_sale_state_from_string (state, &out->sale_state))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("Sale %" PRId64 " has an unknown state"), sale_id);
      till_refund_summary_clear (out);
      return FALSE;
    }
  out->total_fen = sqlite3_column_int64 (sale, 2);
  if (!till_sale_kind_from_string ((const char *) sqlite3_column_text (sale, 3), &out->kind))
    out->kind = TILL_SALE_KIND_GOODS;

  sums = till_store_prepare_cached (self,
    "SELECT"
    " (SELECT coalesce (sum (amount_fen), 0) FROM payment WHERE sale_id = ?1 AND state = 'paid'"
    "   AND unattached = 0),"
    " coalesce (sum (CASE WHEN f.state NOT IN ('failed', 'closed') THEN f.amount_fen END), 0),"
    " coalesce (sum (CASE WHEN f.state = 'success' THEN f.amount_fen END), 0),"
    " count (CASE WHEN f.state IN ('submitting', 'processing', 'in_doubt') THEN 1 END)"
    " FROM refund f JOIN payment p ON p.id = f.payment_id WHERE p.sale_id = ?1"
    "  AND p.unattached = 0", error);
  if (sums == NULL)
    {
      till_refund_summary_clear (out);
      return FALSE;
    }
  sqlite3_bind_int64 (sums, 1, sale_id);
  if (sqlite3_step (sums) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale’s refunds could not be read"));
      till_refund_summary_clear (out);
      return FALSE;
    }
  out->paid_fen = sqlite3_column_int64 (sums, 0);
  out->refunded_fen = sqlite3_column_int64 (sums, 1);
  out->succeeded_fen = sqlite3_column_int64 (sums, 2);
  out->n_in_progress = sqlite3_column_int64 (sums, 3);
  return TRUE;
}

gboolean
till_store_refund_summary (TillStore         *self,
                           gint64             sale_id,
                           TillRefundSummary *out,
                           GError           **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  locker = till_store_locker_new (self);
  return summary_locked (self, sale_id, out, error);
}

/* The sale becomes refunded when its successful refunds cover its total. */
static gboolean
mark_sale_refunded_if_covered_locked (TillStore *self,
                                      gint64     sale_id,
                                      gboolean  *out_refunded,
                                      GError   **error)
{
  TillRefundSummary s;
  gboolean covered;

  if (!summary_locked (self, sale_id, &s, error))
    return FALSE;
  covered = s.sale_state == TILL_SALE_STATE_PAID && s.total_fen > 0
            && s.succeeded_fen >= s.total_fen;
  if (covered)
    {
      if (!till_store_exec_for_id (self,
                                   "UPDATE sale SET state = 'refunded'"
                                   " WHERE id = ?1 AND state = 'paid'", sale_id, 0,
                                   _("The sale could not be marked refunded"), error))
        {
          till_refund_summary_clear (&s);
          return FALSE;
        }
      g_message ("Sale %" G_GINT64_FORMAT " (%s) refunded in full", sale_id, s.sale_number);
    }
  if (out_refunded != NULL)
    *out_refunded = covered || s.sale_state == TILL_SALE_STATE_REFUNDED;
  till_refund_summary_clear (&s);
  return TRUE;
}

/* ---------------------------------------------------------------- begin */

typedef struct
{
  gint64            payment_id;
  TillPaymentMethod method;
  gint64            amount;
  gint64            refundable;
  gint64            cash_left;     /* cash: received minus handed back by earlier refunds */
  char             *out_trade_no;
} PaidPayment;

static void
paid_payment_free (PaidPayment *p)
{
  g_free (p->out_trade_no);
  g_free (p);
}

static gboolean
audit_refund_locked (TillStore              *self,
                     const char             *manager,
                     const TillRefundRecord *r,
                     const char             *sale_number,
                     GError                **error)
{
  g_autoptr(GString) detail = g_string_new ("{\"sale\":");

  till_store_json_append_string (detail, sale_number);
  g_string_append_printf (detail, ",\"sale_id\":%" G_GINT64_FORMAT ",\"payment_id\":%"
                          G_GINT64_FORMAT ",\"method\":\"%s\",\"amount_fen\":%" G_GINT64_FORMAT
                          ",\"rounding_fen\":%" G_GINT64_FORMAT ",\"out_refund_no\":",
                          r->sale_id, r->payment_id,
                          till_payment_method_to_string (r->method), r->amount_fen,
                          r->rounding_fen);
  till_store_json_append_string (detail, r->out_refund_no);
  g_string_append (detail, ",\"reason\":");
  if (r->reason != NULL)
    till_store_json_append_string (detail, r->reason);
  else
    g_string_append (detail, "null");
  g_string_append_c (detail, '}');
  return till_store_audit_locked (self, manager, "refund", detail->str, error);
}

/* The give-back of a refund of a stored-value payment: the part of the payment's spend,
 * split as it was taken, back on the member's card, naming the refund row. */
static gboolean
give_back_stored_value_locked (TillStore  *self,
                               gint64      payment_id,
                               gint64      refund_id,
                               gint64      amount,
                               const char *who,
                               GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
    "SELECT m.id, s.number FROM stored_value_move m JOIN payment p ON p.id = m.payment_id"
    "  JOIN sale s ON s.id = p.sale_id WHERE m.payment_id = ?1 AND m.kind = 'spend'", error);
  g_autofree char *number = NULL;
  gint64 spend_id;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_warning ("Stored-value payment %" G_GINT64_FORMAT " has no spend", payment_id);
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                           _("A payment by stored value has no record on the member’s card"));
      return FALSE;
    }
  spend_id = sqlite3_column_int64 (stmt, 0);
  number = till_stmt_dup_text (stmt, 1);
  return _till_store_stored_value_refund_locked (self, spend_id, amount, number,
                                                 who != NULL && *who != '\0' ? who : "system",
                                                 refund_id, NULL, NULL, error) > 0;
}

/* Inserts one refund row of `amount` for the payment: electronic ones in state submitting
 * with a new out_refund_no (the payment's out_trade_no + "R" + the row id) and their
 * outbox "refund" job due at job_due_at_us (<= 0: now_us); cash and stored-value ones
 * success at once, a stored-value one given back to the member's card by `who` in the
 * same transaction. Within the caller's lock and transaction. Returns the row id, 0 on
 * error. */
static gint64
insert_refund_locked (TillStore         *self,
                      gint64             payment_id,
                      TillPaymentMethod  method,
                      const char        *who,
                      const char        *out_trade_no,
                      gint64      amount,
                      gint64      rounding,
                      const char *reason,
                      gint64      now_us,
                      gint64      job_due_at_us,
                      GError    **error)
{
  g_autofree char *number = NULL;
  g_autoptr(TillCachedStmt) insert = NULL;
  gboolean at_once = !till_payment_method_is_electronic (method);
  gint64 id;

  /* The new row's id: ids only grow (rows are never deleted) and this transaction
   * holds the write lock. */
  {
    g_autoptr(TillCachedStmt) next = till_store_prepare_cached (self,
      "SELECT coalesce (max (id), 0) + 1 FROM refund", error);

    if (next == NULL || sqlite3_step (next) != SQLITE_ROW)
      {
        if (next != NULL)
          till_store_set_sqlite_error (self, error, _("The refund could not be recorded"));
        return 0;
      }
    id = sqlite3_column_int64 (next, 0);
  }
  /* Electronic: the payment's order number (unique at the merchant forever, ≤ 32) +
   * "R" + the row id: unique forever, ≤ 64 of [0-9A-Za-z_-]. Cash and stored value never
   * leave the till. */
  if (method == TILL_PAYMENT_METHOD_CASH)
    number = g_strdup_printf ("CASH-R%04" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, id, now_us);
  else if (at_once)
    number = g_strdup_printf ("SV-R%04" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, id, now_us);
  else
    number = g_strdup_printf ("%sR%04" G_GINT64_FORMAT, out_trade_no, id);
  g_assert (strlen (number) <= 64);

  insert = till_store_prepare_cached (self,
    "INSERT INTO refund (id, payment_id, out_refund_no, amount_fen, reason, state,"
    "  created_at, updated_at, rounding_fen)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_int64 (insert, 1, id);
  sqlite3_bind_int64 (insert, 2, payment_id);
  sqlite3_bind_text (insert, 3, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 4, amount);
  till_stmt_bind_text_or_null (insert, 5, reason);
  sqlite3_bind_text (insert, 6, at_once ? "success" : "submitting", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 7, now_us);
  sqlite3_bind_int64 (insert, 8, rounding);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      sqlite3 *db = till_store_get_db (self);

      if (strstr (sqlite3_errmsg (db), "the day is closed") != NULL)
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED,
                             _("Today is closed: no refund can be recorded"));
      else
        till_store_set_sqlite_error (self, error, _("The refund could not be recorded"));
      return 0;
    }

  if (method == TILL_PAYMENT_METHOD_STORED_VALUE
      && !give_back_stored_value_locked (self, payment_id, id, amount, who, error))
    return 0;
  if (!at_once)
    {
      g_autoptr(GString) payload = g_string_new (NULL);
      g_autoptr(TillOutboxJob) job = NULL;

      g_string_append_printf (payload, "{\"refund_id\":%" G_GINT64_FORMAT
                              ",\"out_refund_no\":\"%s\"}", id, number);
      job = till_store_outbox_enqueue (self, TILL_OUTBOX_KIND_REFUND, number, payload->str,
                                       job_due_at_us > 0 ? job_due_at_us : now_us, NULL, error);
      if (job == NULL)
        return 0;
    }
  return id;
}

/* Refunds amount_fen of the sale's paid (attached) payments: electronic first, newest
 * first, then cash, each at most what it can still give back; cash rounded by `rounding`.
 * Appends the new rows to `out`. Within the caller's lock and transaction. */
static gboolean
refund_payments_locked (TillStore        *self,
                        gint64            sale_id,
                        const char       *sale_number,
                        gint64            amount_fen,
                        const char       *reason,
                        const char       *manager,
                        guint             electronic_methods,
                        TillCashRounding  rounding,
                        gint64            now_us,
                        gint64            job_due_at_us,
                        GPtrArray        *out,
                        GError          **error)
{
  g_autoptr(GPtrArray) paid = g_ptr_array_new_with_free_func ((GDestroyNotify) paid_payment_free);
  gint64 left;
  int rc;

  /* The paid payments and what each can still refund: electronic first, newest first. */
  {
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
      "SELECT p.id, p.method, p.amount_fen, p.out_trade_no,"
      "  p.amount_fen - coalesce ((SELECT sum (f.amount_fen) FROM refund f"
      "    WHERE f.payment_id = p.id AND f.state NOT IN ('failed', 'closed')), 0),"
      "  p.amount_fen + p.rounding_fen"
      "   - coalesce ((SELECT sum (f.amount_fen + f.rounding_fen) FROM refund f"
      "    WHERE f.payment_id = p.id AND f.state NOT IN ('failed', 'closed')), 0)"
      " FROM payment p WHERE p.sale_id = ?1 AND p.state = 'paid' AND p.unattached = 0"
      " ORDER BY (p.method = 'cash'), p.id DESC", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, sale_id);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        PaidPayment *p = g_new0 (PaidPayment, 1);

        p->payment_id = sqlite3_column_int64 (stmt, 0);
        if (!till_payment_method_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                              &p->method))
          p->method = TILL_PAYMENT_METHOD_WECHAT_CODE;   /* never treated as cash */
        p->amount = sqlite3_column_int64 (stmt, 2);
        p->out_trade_no = till_stmt_dup_text (stmt, 3);
        p->refundable = sqlite3_column_int64 (stmt, 4);
        p->cash_left = sqlite3_column_int64 (stmt, 5);
        g_ptr_array_add (paid, p);
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _("The sale’s payments could not be read"));
        return FALSE;
      }
  }

  left = amount_fen;
  for (guint i = 0; i < paid->len && left > 0; i++)
    {
      PaidPayment *p = g_ptr_array_index (paid, i);
      gboolean cash = p->method == TILL_PAYMENT_METHOD_CASH;
      gint64 part = MIN (left, p->refundable);
      gint64 handed = 0;
      gint64 id;
      g_autoptr(TillRefundRecord) row = NULL;

      if (part <= 0)
        continue;
      gboolean electronic = till_payment_method_is_electronic (p->method);

      if (electronic && (electronic_methods & TILL_PAYMENT_METHOD_BIT (p->method)) == 0)
        {
          g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                               _("Electronic payment is not set up on this till: this sale "
                                 "was paid electronically and cannot be refunded here"));
          return FALSE;
        }
      if (electronic && p->out_trade_no == NULL)
        {
          g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                               _("A paid electronic payment has no order number"));
          return FALSE;
        }

      /* Cash goes back rounded by the rule; the row keeps the part of the payment it
       * refunds, to the fen, and the rounding (see till_money_cash_refund()). */
      if (cash)
        handed = till_money_cash_refund (part, part == p->refundable, p->cash_left, rounding);
      id = insert_refund_locked (self, p->payment_id, p->method, manager, p->out_trade_no, part,
                                 cash ? handed - part : 0, reason, now_us, job_due_at_us,
                                 error);
      if (id <= 0)
        return FALSE;

      row = get_refund_locked (self, GET_BY_ID, id, NULL, error);
      if (row == NULL || !audit_refund_locked (self, manager, row, sale_number, error))
        return FALSE;
      g_ptr_array_add (out, g_steal_pointer (&row));
      left -= part;
    }
  if (left > 0)
    {
      /* The sums above and the per-payment amounts disagree: refuse rather than guess. */
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("The sale’s payments do not add up: nothing was refunded"));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
till_store_refund_begin (TillStore  *self,
                         gint64      sale_id,
                         gint64      amount_fen,
                         const char *reason,
                         const char *manager,
                         gboolean    allow_electronic,
                         gint64      now_us,
                         gint64      job_due_at_us,
                         GError    **error)
{
  return till_store_refund_begin_rounded (self, sale_id, amount_fen, reason, manager,
                                          allow_electronic ? ~0u : 0u,
                                          TILL_CASH_ROUNDING_NONE, now_us,
                                          job_due_at_us, error);
}

GPtrArray *
till_store_refund_begin_rounded (TillStore        *self,
                                 gint64            sale_id,
                                 gint64            amount_fen,
                                 const char       *reason,
                                 const char       *manager,
                                 guint             electronic_methods,
                                 TillCashRounding  rounding,
                                 gint64            now_us,
                                 gint64            job_due_at_us,
                                 GError          **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) till_refund_record_free);
  TillRefundSummary s = { 0 };
  gint64 unfinished_payments = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (manager != NULL && *manager != '\0', NULL);

  if (amount_fen <= 0)
    {
      g_autoptr(GError) rule = NULL;

      till_refund_check_amount (amount_fen, amount_fen, 0, &rule);
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           rule->message);
      return NULL;
    }
  if (reason != NULL && g_utf8_strlen (reason, -1) > 80)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("The refund reason is too long (80 characters at most)"));
      return NULL;
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;

  /* Everything below is read and written in this one write transaction: two refunds of
   * the same sale cannot both see the same refundable amount. */
  if (!till_store_check_day_open (self, now_us, error)
      || !summary_locked (self, sale_id, &s, error))
    goto fail;
  if (s.sale_state == TILL_SALE_STATE_REFUNDED)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("This sale has already been refunded in full"));
      goto fail;
    }
  if (s.sale_state != TILL_SALE_STATE_PAID)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("Only a paid sale can be refunded"));
      goto fail;
    }
  if (s.kind == TILL_SALE_KIND_TOPUP)
    {
      g_message ("Refund of sale %s refused: a top-up", s.sale_number);
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("A top-up is not refunded at the till: a manager adjusts the "
                             "member’s stored value"));
      goto fail;
    }
  {
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
      "SELECT count (*) FROM payment WHERE sale_id = ?1"
      " AND state IN ('submitting', 'user_paying', 'in_doubt', 'reversing')", error);

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, sale_id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        till_store_set_sqlite_error (self, error, _("The sale’s payments could not be read"));
        goto fail;
      }
    unfinished_payments = sqlite3_column_int64 (stmt, 0);
  }
  if (unfinished_payments > 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("A payment for this sale is still in progress — wait for it"));
      goto fail;
    }
  /* Never more than was paid (core's rule), read in this one write transaction. */
  {
    g_autoptr(GError) rule = NULL;

    if (!till_refund_check_amount (amount_fen, s.paid_fen, s.refunded_fen, &rule))
      {
        g_message ("Refund of sale %" G_GINT64_FORMAT " refused: %" G_GINT64_FORMAT " fen asked, %"
                   G_GINT64_FORMAT " paid, %" G_GINT64_FORMAT " refunded", sale_id, amount_fen,
                   s.paid_fen, s.refunded_fen);
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                             rule->message);
        goto fail;
      }
  }

  if (!refund_payments_locked (self, sale_id, s.sale_number, amount_fen, reason, manager,
                               electronic_methods, rounding, now_us, job_due_at_us, out,
                               error))
    goto fail;
  if (!mark_sale_refunded_if_covered_locked (self, sale_id, NULL, error))
    goto fail;
  if (!till_store_commit (self, error))
    {
      till_refund_summary_clear (&s);
      return NULL;
    }
  for (guint i = 0; i < out->len; i++)
    {
      TillRefundRecord *r = g_ptr_array_index (out, i);
      g_message ("Refund %" G_GINT64_FORMAT " (%s) of sale %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
                 " fen, %s, by %s", r->id, r->out_refund_no, sale_id, r->amount_fen,
                 till_refund_state_to_string (r->state), manager);
    }
  till_refund_summary_clear (&s);
  return g_steal_pointer (&out);

fail:
  till_store_rollback (self);
  till_refund_summary_clear (&s);
  return NULL;
}

/* ---------------------------------------------------------------- void */

GPtrArray *
till_store_void_sale_refunding (TillStore        *self,
                                gint64            sale_id,
                                const char       *actor,
                                TillCashRounding  rounding,
                                gint64            now_us,
                                GError          **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) till_refund_record_free);
  g_autoptr(GString) detail = NULL;
  TillRefundSummary s = { 0 };
  gint64 refund_fen;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (actor != NULL && *actor != '\0', NULL);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  if (!till_store_check_day_open_for_sales (self, now_us, error)
      || !summary_locked (self, sale_id, &s, error)
      /* Nothing while a payment's outcome is open: it may still take money. */
      || !till_store_check_sale_payments_locked (self, sale_id, TILL_PAID_CHECK_NONE, error))
    goto fail;
  if (s.sale_state != TILL_SALE_STATE_OPEN && s.sale_state != TILL_SALE_STATE_SUSPENDED)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is closed and cannot be voided"), s.sale_number);
      goto fail;
    }

  /* Everything the customer paid goes back: cash handed back now, codes refunded. */
  refund_fen = s.paid_fen - s.refunded_fen;
  if (refund_fen > 0
      && !refund_payments_locked (self, sale_id, s.sale_number, refund_fen, "void", actor, ~0u,
                                  rounding, now_us, now_us, out, error))
    goto fail;

  if (!till_store_exec_for_id (self,
                               "UPDATE sale SET state = 'voided', closed_at = ?2"
                               " WHERE id = ?1 AND state IN ('open', 'suspended')",
                               sale_id, now_us, _("The sale could not be voided"), error))
    goto fail;

  detail = g_string_new ("{\"sale_id\":");
  g_string_append_printf (detail, "%" G_GINT64_FORMAT ",\"number\":", sale_id);
  till_store_json_append_string (detail, s.sale_number);
  g_string_append_printf (detail, ",\"total_fen\":%" G_GINT64_FORMAT ",\"refunded_fen\":%"
                          G_GINT64_FORMAT ",\"refunds\":%u}", s.total_fen, refund_fen, out->len);
  if (!till_store_audit_locked (self, actor, "void_sale", detail->str, error))
    goto fail;
  if (!till_store_commit (self, error))
    {
      till_refund_summary_clear (&s);
      return NULL;
    }

  g_message ("Sale %s voided by %s, %" G_GINT64_FORMAT " fen given back in %u refund(s)",
             s.sale_number, actor, refund_fen, out->len);
  till_refund_summary_clear (&s);
  return g_steal_pointer (&out);

fail:
  till_store_rollback (self);
  till_refund_summary_clear (&s);
  return NULL;
}

/* ---------------------------------------------------------------- late payments */

/* The reason sent with the refund (the customer may see it in WeChat or Alipay). */
#define UNATTACHED_REFUND_REASON "订单已取消，自动退款"

gint64
till_store_refund_unattached_locked (TillStore               *self,
                                     const TillPaymentRecord *payment,
                                     const char              *sale_state,
                                     gint64                   now_us,
                                     GError                 **error)
{
  g_autoptr(TillRefundRecord) row = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *sale_number = NULL;
  gint64 id;

  g_return_val_if_fail (till_payment_method_is_electronic (payment->method), 0);
  g_return_val_if_fail (payment->out_trade_no != NULL, 0);

  id = insert_refund_locked (self, payment->id, payment->method, "system", payment->out_trade_no,
                             payment->amount_fen, 0, UNATTACHED_REFUND_REASON, now_us, now_us,
                             error);
  if (id <= 0)
    return 0;
  row = get_refund_locked (self, GET_BY_ID, id, NULL, error);
  if (row == NULL)
    return 0;
  {
    g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
      "SELECT number FROM sale WHERE id = ?1", error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, payment->sale_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      sale_number = till_stmt_dup_text (stmt, 0);
  }
  g_string_append (detail, "{\"sale\":");
  if (sale_number != NULL)
    till_store_json_append_string (detail, sale_number);
  else
    g_string_append (detail, "null");
  g_string_append_printf (detail, ",\"sale_id\":%" G_GINT64_FORMAT ",\"sale_state\":",
                          payment->sale_id);
  till_store_json_append_string (detail, sale_state);
  g_string_append_printf (detail, ",\"payment_id\":%" G_GINT64_FORMAT ",\"method\":\"%s\""
                          ",\"out_trade_no\":", payment->id,
                          till_payment_method_to_string (payment->method));
  till_store_json_append_string (detail, payment->out_trade_no);
  g_string_append (detail, ",\"transaction_id\":");
  if (payment->transaction_id != NULL)
    till_store_json_append_string (detail, payment->transaction_id);
  else
    g_string_append (detail, "null");
  g_string_append_printf (detail, ",\"amount_fen\":%" G_GINT64_FORMAT ",\"refund_id\":%"
                          G_GINT64_FORMAT ",\"out_refund_no\":", payment->amount_fen, id);
  till_store_json_append_string (detail, row->out_refund_no);
  g_string_append_c (detail, '}');
  if (!till_store_audit_locked (self, "system", "late_payment_refund", detail->str, error))
    return 0;
  return id;
}

/* ---------------------------------------------------------------- moves */

TillRefundRecord *
till_store_refund_update (TillStore       *self,
                          gint64           refund_id,
                          TillRefundState  new_state,
                          const char      *provider_refund_id,
                          const char      *last_error,
                          gint64           job_due_at_us,
                          gboolean        *out_changed,
                          gboolean        *out_sale_refunded,
                          GError         **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillRefundRecord) before = NULL;
  gboolean changed = FALSE, sale_refunded = FALSE;
  gint64 now = till_store_now_us ();

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  before = get_refund_locked (self, GET_BY_ID, refund_id, NULL, error);
  if (before == NULL)
    goto fail;

  if (till_refund_state_can_move (before->state, new_state))
    {
      g_autoptr(TillCachedStmt) stmt = till_store_prepare_cached (self,
        "UPDATE refund SET state = ?2, refund_id = coalesce (?3, refund_id),"
        "  last_error = coalesce (?4, last_error), updated_at = ?5 WHERE id = ?1", error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, refund_id);
      sqlite3_bind_text (stmt, 2, till_refund_state_to_string (new_state), -1, SQLITE_STATIC);
      till_stmt_bind_text_or_null (stmt, 3, provider_refund_id);
      till_stmt_bind_text_or_null (stmt, 4, last_error);
      sqlite3_bind_int64 (stmt, 5, now);
      if (!till_store_step_done (self, stmt, _("The refund could not be updated"), error))
        goto fail;
      changed = before->state != new_state;

      /* Its outbox job follows (never touched while the worker runs it: the worker's
       * own outcome then decides, and the job looks at the stored row again). */
      if (till_refund_state_is_final (new_state))
        {
          g_autoptr(TillCachedStmt) job = till_store_prepare_cached (self,
            "UPDATE outbox SET state = 'done', last_error = NULL"
            " WHERE key = ?1 AND state IN ('pending', 'dead')", error);

          if (job == NULL)
            goto fail;
          sqlite3_bind_text (job, 1, before->out_refund_no, -1, SQLITE_TRANSIENT);
          if (!till_store_step_done (self, job, _("The refund could not be updated"), error))
            goto fail;
        }
      else if (new_state == TILL_REFUND_STATE_PROCESSING
               || new_state == TILL_REFUND_STATE_IN_DOUBT)
        {
          g_autoptr(TillCachedStmt) job = till_store_prepare_cached (self,
            "UPDATE outbox SET kind = CASE WHEN ?2 THEN 'refund_query' ELSE kind END,"
            "  state = 'pending', attempts = CASE WHEN state = 'pending' THEN attempts ELSE 0 END,"
            "  next_attempt_at = CASE WHEN ?3 > 0 THEN ?3 ELSE next_attempt_at END"
            " WHERE key = ?1 AND state <> 'running'", error);

          if (job == NULL)
            goto fail;
          sqlite3_bind_text (job, 1, before->out_refund_no, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int (job, 2, new_state == TILL_REFUND_STATE_PROCESSING);
          sqlite3_bind_int64 (job, 3, job_due_at_us);
          if (!till_store_step_done (self, job, _("The refund could not be updated"), error))
            goto fail;
          if (new_state == TILL_REFUND_STATE_PROCESSING)
            {
              /* The kind of a running job changes too: it is only a label. */
              g_autoptr(TillCachedStmt) kind = till_store_prepare_cached (self,
                "UPDATE outbox SET kind = 'refund_query' WHERE key = ?1", error);

              if (kind == NULL)
                goto fail;
              sqlite3_bind_text (kind, 1, before->out_refund_no, -1, SQLITE_TRANSIENT);
              if (!till_store_step_done (self, kind, _("The refund could not be updated"), error))
                goto fail;
            }
        }
      if (new_state == TILL_REFUND_STATE_SUCCESS
          && !mark_sale_refunded_if_covered_locked (self, before->sale_id, &sale_refunded, error))
        goto fail;
    }
  else
    g_message ("Refund %" G_GINT64_FORMAT " (%s) stays %s (not %s)", refund_id,
               before->out_refund_no, till_refund_state_to_string (before->state),
               till_refund_state_to_string (new_state));

  if (!till_store_commit (self, error))
    return NULL;
  if (changed)
    g_message ("Refund %" G_GINT64_FORMAT " (%s): %s -> %s%s%s", refund_id, before->out_refund_no,
               till_refund_state_to_string (before->state), till_refund_state_to_string (new_state),
               last_error != NULL ? ": " : "", last_error != NULL ? last_error : "");
  if (out_changed != NULL)
    *out_changed = changed;
  if (out_sale_refunded != NULL)
    *out_sale_refunded = sale_refunded;
  return get_refund_locked (self, GET_BY_ID, refund_id, NULL, error);

fail:
  till_store_rollback (self);
  return NULL;
}

gint64
till_store_refunds_requeue_unfinished (TillStore *self,
                                       gint64     now_us,
                                       GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return -1;
  rows = list_locked (self, "SELECT " REFUND_COLUMNS
                      " WHERE f.state IN ('submitting', 'processing', 'in_doubt') ORDER BY f.id",
                      0, FALSE, error);
  if (rows == NULL)
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    {
      TillRefundRecord *r = g_ptr_array_index (rows, i);
      g_autoptr(GString) payload = g_string_new (NULL);
      g_autoptr(TillOutboxJob) job = NULL;
      g_autoptr(TillCachedStmt) due = NULL;
      const char *kind = r->state == TILL_REFUND_STATE_PROCESSING ? TILL_OUTBOX_KIND_REFUND_QUERY
                                                                  : TILL_OUTBOX_KIND_REFUND;

      if (!till_payment_method_is_electronic (r->method))
        continue;   /* cannot happen: cash and stored-value refunds are success at once */
      g_string_append_printf (payload, "{\"refund_id\":%" G_GINT64_FORMAT
                              ",\"out_refund_no\":\"%s\"}", r->id, r->out_refund_no);
      job = till_store_outbox_enqueue (self, kind, r->out_refund_no, payload->str, now_us, NULL,
                                       error);
      if (job == NULL)
        goto fail;
      due = till_store_prepare_cached (self,
        "UPDATE outbox SET state = 'pending', next_attempt_at = min (next_attempt_at, ?2),"
        "  attempts = CASE WHEN state = 'pending' THEN attempts ELSE 0 END"
        " WHERE id = ?1 AND state IN ('pending', 'dead', 'done')", error);
      if (due == NULL)
        goto fail;
      sqlite3_bind_int64 (due, 1, job->id);
      sqlite3_bind_int64 (due, 2, now_us);
      if (!till_store_step_done (self, due, _("The refund could not be queued"), error))
        goto fail;
    }
  if (!till_store_commit (self, error))
    return -1;
  return rows->len;

fail:
  till_store_rollback (self);
  return -1;
}
