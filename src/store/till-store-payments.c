/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payment rows: states and methods, the record, order numbers, state moves (paid and the
 * sale's completion in one transaction) and listings for recovery. Payments taken against
 * a sale (begin, split tender with cash) are in till-store-payments-sale.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "till-store-private.h"
#include "till-store-payments.h"


/* ---------------------------------------------------------------- record */

G_DEFINE_BOXED_TYPE (TillPaymentRecord, till_payment_record,
                     till_payment_record_copy, till_payment_record_free)

TillPaymentRecord *
till_payment_record_copy (const TillPaymentRecord *record)
{
  TillPaymentRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);
  copy = g_memdup2 (record, sizeof *record);
  copy->out_trade_no = g_strdup (record->out_trade_no);
  copy->transaction_id = g_strdup (record->transaction_id);
  copy->auth_code_last4 = g_strdup (record->auth_code_last4);
  copy->last_error = g_strdup (record->last_error);
  return copy;
}

void
till_payment_record_free (TillPaymentRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->out_trade_no);
  g_free (record->transaction_id);
  g_free (record->auth_code_last4);
  g_free (record->last_error);
  g_free (record);
}

#define RECORD_COLUMNS \
  "id, sale_id, method, amount_fen, out_trade_no, state, transaction_id," \
  " auth_code_last4, deadline_at, coalesce (json_extract (detail_json, '$.pay_call_at'), 0)," \
  " created_at, updated_at, last_error, unattached, rounding_fen"

static TillPaymentRecord *
record_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(TillPaymentRecord) record = g_new0 (TillPaymentRecord, 1);
  const char *method = (const char *) sqlite3_column_text (stmt, 2);
  const char *state = (const char *) sqlite3_column_text (stmt, 5);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->sale_id = sqlite3_column_int64 (stmt, 1);
  if (!till_payment_method_from_string (method, &record->method))
    g_warning ("Payment %" G_GINT64_FORMAT " has an unknown method %s", record->id, method);
  record->amount_fen = sqlite3_column_int64 (stmt, 3);
  record->out_trade_no = till_stmt_dup_text (stmt, 4);
  if (!till_payment_state_from_string (state, &record->state))
    {
      /* The schema's CHECK makes this impossible; never treat it as final. */
      g_warning ("Payment %" G_GINT64_FORMAT " has an unknown state %s", record->id, state);
      record->state = TILL_PAYMENT_STATE_IN_DOUBT;
    }
  record->transaction_id = till_stmt_dup_text (stmt, 6);
  record->auth_code_last4 = till_stmt_dup_text (stmt, 7);
  record->deadline_at = sqlite3_column_int64 (stmt, 8);
  record->pay_call_at = sqlite3_column_int64 (stmt, 9);
  record->created_at = sqlite3_column_int64 (stmt, 10);
  record->updated_at = sqlite3_column_int64 (stmt, 11);
  record->last_error = till_stmt_dup_text (stmt, 12);
  record->unattached = sqlite3_column_int (stmt, 13) != 0;
  record->rounding_fen = sqlite3_column_int64 (stmt, 14);
  return g_steal_pointer (&record);
}

/* ---------------------------------------------------------------- out_trade_no */

static gboolean
valid_id_part (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

char *
till_store_build_out_trade_no (const char *store_id,
                               const char *device_id,
                               gint64      now_us,
                               gint64      sequence,
                               GError    **error)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *out = NULL;

  g_return_val_if_fail (sequence >= 0, NULL);

  if (!valid_id_part (store_id) || !valid_id_part (device_id))
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("The store and till IDs may only use letters, digits, “_” and “-”"));
      return NULL;
    }
  local = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);
  if (local == NULL)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("The till’s clock is not set to a valid date"));
      return NULL;
    }
  stamp = g_date_time_format (local, "%y%m%d%H%M%S");
  out = g_strdup_printf ("T%s%s%s%04" G_GINT64_FORMAT, store_id, device_id, stamp, sequence);
  if (strlen (out) > 32)
    {
      g_message ("out_trade_no %s is %" G_GSIZE_FORMAT " characters", out, strlen (out));
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("The store and till IDs are too long for a payment order number "
                             "(32 characters at most)"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

static TillPaymentRecord *
get_payment_locked (TillStore *self,
                    gint64     payment_id,
                    GError   **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  int rc;

  stmt = till_store_prepare_cached (self,
                                    "SELECT " RECORD_COLUMNS " FROM payment WHERE id = ?1",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, payment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                 _("Payment %" PRId64 " does not exist"), payment_id);
  else
    till_store_set_sqlite_error (self, error, _("The payment could not be read"));
  return NULL;
}

/* ---------------------------------------------------------------- state moves */

static gboolean
write_state_locked (TillStore        *self,
                    gint64            payment_id,
                    TillPaymentState  new_state,
                    const char       *transaction_id,
                    const char       *last_error,
                    gint64            now,
                    GError          **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;

  stmt = till_store_prepare_cached (self,
    "UPDATE payment SET state = ?2, transaction_id = coalesce (?3, transaction_id),"
    "  last_error = coalesce (?4, last_error), updated_at = ?5"
    " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment_id);
  sqlite3_bind_text (stmt, 2, till_payment_state_to_string (new_state), -1, SQLITE_STATIC);
  till_stmt_bind_text_or_null (stmt, 3, transaction_id);
  till_stmt_bind_text_or_null (stmt, 4, last_error);
  sqlite3_bind_int64 (stmt, 5, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The payment could not be updated"));
      return FALSE;
    }
  return TRUE;
}

static void
replace_transaction_id (TillPaymentRecord *record,
                        const char        *transaction_id)
{
  g_free (record->transaction_id);
  record->transaction_id = g_strdup (transaction_id);
}

static void
set_move_error (GError            **error,
                const TillPaymentRecord *record,
                TillPaymentState    to)
{
  g_message ("Payment %" G_GINT64_FORMAT " cannot move from %s to %s", record->id,
             till_payment_state_to_string (record->state), till_payment_state_to_string (to));
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
               _("This payment is already %s and cannot become %s"),
               till_payment_state_to_string (record->state),
               till_payment_state_to_string (to));
}

gboolean
till_store_payment_update (TillStore        *self,
                           gint64            payment_id,
                           TillPaymentState  new_state,
                           const char       *transaction_id,
                           const char       *last_error,
                           GError          **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  if (new_state == TILL_PAYMENT_STATE_PAID)
    return till_store_payment_mark_paid (self, payment_id, transaction_id, NULL, error);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  record = get_payment_locked (self, payment_id, error);
  if (record == NULL)
    goto fail;
  /* The same final state again (two answers of the same end, e.g. a reverse sent twice):
   * nothing changes, and that is not an error — a final state never changes. */
  if (record->state == new_state && till_payment_state_is_final (new_state))
    {
      till_store_rollback (self);
      g_debug ("Payment %" G_GINT64_FORMAT " is %s already", payment_id,
               till_payment_state_to_string (new_state));
      return TRUE;
    }
  if (!till_payment_state_can_move (record->state, new_state))
    {
      set_move_error (error, record, new_state);
      goto fail;
    }
  if (!write_state_locked (self, payment_id, new_state, transaction_id, last_error,
                           till_store_now_us (), error))
    goto fail;
  if (!till_store_commit (self, error))
    return FALSE;
  if (record->state != new_state)
    g_message ("Payment %" G_GINT64_FORMAT " (%s): %s → %s%s%s", payment_id,
               record->out_trade_no, till_payment_state_to_string (record->state),
               till_payment_state_to_string (new_state), last_error ? ": " : "",
               last_error ? last_error : "");
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_payment_set_deadline (TillStore *self,
                                 gint64     payment_id,
                                 gint64     deadline_at_us,
                                 GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  return till_store_exec_for_id (self, "UPDATE payment SET deadline_at = ?2 WHERE id = ?1",
                                 payment_id, deadline_at_us,
                                 _("The payment could not be updated"), error);
}

gboolean
till_store_payment_mark_paid (TillStore  *self,
                              gint64      payment_id,
                              const char *transaction_id,
                              gboolean   *out_sale_paid,
                              GError    **error)
{
  return till_store_payment_mark_paid_full (self, payment_id, transaction_id, out_sale_paid, NULL,
                                            error);
}

gboolean
till_store_payment_mark_paid_full (TillStore  *self,
                                   gint64      payment_id,
                                   const char *transaction_id,
                                   gboolean   *out_sale_paid,
                                   gint64     *out_refund_id,
                                   GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;
  gboolean sale_paid = FALSE, takes = TRUE;
  TillSaleState sale_state = TILL_SALE_STATE_OPEN;
  gint64 refund_id = 0;
  gint64 now = till_store_now_us ();

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  record = get_payment_locked (self, payment_id, error);
  if (record == NULL)
    goto fail;
  if (record->state != TILL_PAYMENT_STATE_PAID)
    {
      if (!till_payment_state_can_move (record->state, TILL_PAYMENT_STATE_PAID))
        {
          set_move_error (error, record, TILL_PAYMENT_STATE_PAID);
          goto fail;
        }
      if (!till_store_sale_can_take_locked (self, record->sale_id, record->amount_fen,
                                            &takes, &sale_state, error)
          || !write_state_locked (self, payment_id, TILL_PAYMENT_STATE_PAID, transaction_id,
                                  NULL, now, error))
        goto fail;
      if (!takes)
        {
          /* Charged, but for a sale that has moved on: the money goes back. */
          if (transaction_id != NULL)
            replace_transaction_id (record, transaction_id);
          if (!till_store_exec_for_id (self, "UPDATE payment SET unattached = 1 WHERE id = ?1",
                                       payment_id, 0, _("The payment could not be updated"),
                                       error))
            goto fail;
          refund_id = till_store_refund_unattached_locked (self, record,
                                                           till_sale_state_to_string (sale_state),
                                                           now, error);
          if (refund_id <= 0)
            goto fail;
        }
    }
  else if (record->unattached)
    takes = FALSE;
  if (takes)
    {
      g_autoptr(GError) local_error = NULL;

      /* The payment is recorded whatever happens to its sale: should the sale's day be
       * closed already (the clock went back), the sale stays open, attached to this paid
       * payment, and is completed once a day is open (till_store_sale_complete_if_covered). */
      if (!till_store_begin (self, error))
        goto fail;
      if (till_store_complete_sale_if_covered_locked (self, record->sale_id, now, &sale_paid,
                                                      &local_error))
        {
          if (!till_store_commit (self, error))
            goto fail;
        }
      else if (g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED))
        {
          till_store_rollback (self);
          g_message ("Payment %" G_GINT64_FORMAT " is paid but sale %" G_GINT64_FORMAT
                     " cannot be completed on a closed day; it stays open, covered",
                     payment_id, record->sale_id);
          sale_paid = FALSE;
        }
      else
        {
          till_store_rollback (self);
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
    }
  else
    sale_paid = sale_state == TILL_SALE_STATE_PAID;
  if (!till_store_commit (self, error))
    return FALSE;

  if (record->state != TILL_PAYMENT_STATE_PAID && takes)
    g_message ("Payment %" G_GINT64_FORMAT " (%s) paid, transaction %s; sale %" G_GINT64_FORMAT
               " %s", payment_id, record->out_trade_no,
               transaction_id ? transaction_id : "(none)", record->sale_id,
               sale_paid ? "paid" : "still has an amount due");
  else if (record->state != TILL_PAYMENT_STATE_PAID)
    g_message ("Payment %" G_GINT64_FORMAT " (%s) paid, transaction %s, but sale %" G_GINT64_FORMAT
               " is %s and cannot take it: refund %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
               " fen started", payment_id, record->out_trade_no,
               transaction_id ? transaction_id : "(none)", record->sale_id,
               till_sale_state_to_string (sale_state), refund_id, record->amount_fen);
  if (out_sale_paid != NULL)
    *out_sale_paid = sale_paid;
  if (out_refund_id != NULL)
    *out_refund_id = refund_id;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

/* ---------------------------------------------------------------- listings */

static GPtrArray *
list_where (TillStore  *self,
            const char *sql,
            gint64      param,
            GError    **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
    (GDestroyNotify) till_payment_record_free);
  int rc;

  stmt = till_store_prepare_cached (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, record_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The payments could not be read"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
till_store_list_unfinished_payments (TillStore *self,
                                     GError   **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  return list_where (self,
                     "SELECT " RECORD_COLUMNS " FROM payment"
                     " WHERE state IN ('submitting', 'user_paying', 'in_doubt', 'reversing')"
                     " ORDER BY id", 0, error);
}

GPtrArray *
till_store_list_sale_payments (TillStore *self,
                               gint64     sale_id,
                               GError   **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  return list_where (self,
                     "SELECT " RECORD_COLUMNS " FROM payment WHERE sale_id = ?1 ORDER BY id",
                     sale_id, error);
}

TillPaymentRecord *
till_store_get_payment (TillStore *self,
                        gint64     payment_id,
                        GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  locker = till_store_locker_new (self);
  return get_payment_locked (self, payment_id, error);
}

TillPaymentRecord *
till_store_get_payment_by_out_trade_no (TillStore  *self,
                                        const char *out_trade_no,
                                        GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (out_trade_no != NULL, NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT " RECORD_COLUMNS " FROM payment WHERE out_trade_no = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, out_trade_no, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                 _("There is no payment with order number %s"), out_trade_no);
  else
    till_store_set_sqlite_error (self, error, _("The payment could not be read"));
  return NULL;
}
