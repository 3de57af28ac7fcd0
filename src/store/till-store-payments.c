/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payments: begin (committed before the request leaves), state moves, paid + sale
 * completion in one transaction, split tender with cash, listings for recovery. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "till-store-private.h"
#include "till-store-payments.h"

/* ---------------------------------------------------------------- enums */

static const char *const state_names[] = {
  "submitting", "user_paying", "in_doubt", "reversing",
  "paid", "failed", "reversed", "closed",
};

const char *
till_payment_state_to_string (TillPaymentState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
till_payment_state_from_string (const char       *text,
                                TillPaymentState *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (strcmp (text, state_names[i]) == 0)
      {
        *out = (TillPaymentState) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
till_payment_state_is_final (TillPaymentState state)
{
  return state >= TILL_PAYMENT_STATE_PAID;
}

gboolean
till_payment_state_can_move (TillPaymentState from,
                             TillPaymentState to)
{
  if (till_payment_state_is_final (from))
    return FALSE;
  if (from == to)
    return TRUE;
  switch (from)
    {
    case TILL_PAYMENT_STATE_SUBMITTING:
      return to != TILL_PAYMENT_STATE_REVERSED;
    case TILL_PAYMENT_STATE_USER_PAYING:
    case TILL_PAYMENT_STATE_IN_DOUBT:
      return to != TILL_PAYMENT_STATE_SUBMITTING;
    case TILL_PAYMENT_STATE_REVERSING:
      return till_payment_state_is_final (to);
    case TILL_PAYMENT_STATE_PAID:
    case TILL_PAYMENT_STATE_FAILED:
    case TILL_PAYMENT_STATE_REVERSED:
    case TILL_PAYMENT_STATE_CLOSED:
    default:
      return FALSE;
    }
}

static const char *const method_names[] = {
  "cash", "wechat_code", "wechat_native", "alipay_code",
};

const char *
till_payment_method_to_string (TillPaymentMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), NULL);
  return method_names[method];
}

gboolean
till_payment_method_from_string (const char        *text,
                                 TillPaymentMethod *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (method_names); i++)
    if (strcmp (text, method_names[i]) == 0)
      {
        *out = (TillPaymentMethod) i;
        return TRUE;
      }
  return FALSE;
}

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
  " created_at, updated_at, last_error"

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

/* ---------------------------------------------------------------- helpers (locked) */

/* The sale's state and total; FALSE + NOT_FOUND when missing. */
static gboolean
sale_row_locked (TillStore     *self,
                 gint64         sale_id,
                 TillSaleState *out_state,
                 gint64        *out_total,
                 GError       **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autofree char *state = NULL;
  int rc;

  stmt = till_store_prepare_cached (self, "SELECT state, total_fen FROM sale WHERE id = ?1",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  rc = sqlite3_step (stmt);
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
  state = till_stmt_dup_text (stmt, 0);
  if (!till_sale_state_from_string (state, out_state))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("Sale %" PRId64 " has an unknown state"), sale_id);
      return FALSE;
    }
  *out_total = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* Sum of the sale's paid payments, and the number of its non-final ones. */
static gboolean
sale_payment_sums_locked (TillStore *self,
                          gint64     sale_id,
                          gint64    *out_paid,
                          gint64    *out_unfinished,
                          gint64    *out_count,
                          GError   **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;

  stmt = till_store_prepare_cached (self,
    "SELECT coalesce (sum (CASE WHEN state = 'paid' THEN amount_fen END), 0),"
    "       count (CASE WHEN state IN ('submitting', 'user_paying', 'in_doubt', 'reversing')"
    "                   THEN 1 END),"
    "       count (*)"
    " FROM payment WHERE sale_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale’s payments could not be read"));
      return FALSE;
    }
  if (out_paid != NULL)
    *out_paid = sqlite3_column_int64 (stmt, 0);
  if (out_unfinished != NULL)
    *out_unfinished = sqlite3_column_int64 (stmt, 1);
  if (out_count != NULL)
    *out_count = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

static void
set_in_progress_error (GError **error)
{
  g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                       _("A payment for this sale is still in progress — wait for it"));
}

gboolean
till_store_check_sale_payments_locked (TillStore     *self,
                                       gint64         sale_id,
                                       TillPaidCheck  refuse_paid,
                                       GError       **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  gint64 unfinished = 0;

  if (!sale_payment_sums_locked (self, sale_id, NULL, &unfinished, NULL, error))
    return FALSE;
  if (unfinished > 0)
    {
      g_message ("Sale %" G_GINT64_FORMAT " refused: %" G_GINT64_FORMAT
                 " payment(s) in progress", sale_id, unfinished);
      set_in_progress_error (error);
      return FALSE;
    }
  if (refuse_paid == TILL_PAID_CHECK_NONE)
    return TRUE;

  stmt = till_store_prepare_cached (self,
    "SELECT count (*) FROM payment WHERE sale_id = ?1 AND state = 'paid'"
    " AND (?2 OR method != 'cash')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sale_id);
  sqlite3_bind_int (stmt, 2, refuse_paid == TILL_PAID_CHECK_ANY);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale’s payments could not be read"));
      return FALSE;
    }
  if (sqlite3_column_int64 (stmt, 0) > 0)
    {
      if (refuse_paid == TILL_PAID_CHECK_ANY)
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                             _("Part of this sale is already paid — take only the amount "
                               "still due"));
      else
        g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                             _("The customer has already paid part of this sale "
                               "electronically — refund that payment first"));
      return FALSE;
    }
  return TRUE;
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

/* Closes the sale (paid, closed_at) when its paid payments cover its total. */
static gboolean
complete_sale_if_covered_locked (TillStore *self,
                                 gint64     sale_id,
                                 gint64     now,
                                 gboolean  *out_sale_paid,
                                 GError   **error)
{
  g_autoptr(TillCachedStmt) close_sale = NULL;
  TillSaleState state;
  gint64 total = 0, paid = 0;

  if (!sale_row_locked (self, sale_id, &state, &total, error)
      || !sale_payment_sums_locked (self, sale_id, &paid, NULL, NULL, error))
    return FALSE;

  if (state == TILL_SALE_STATE_PAID)
    {
      *out_sale_paid = TRUE;
      return TRUE;
    }
  if (state != TILL_SALE_STATE_OPEN || paid < total)
    {
      if (state != TILL_SALE_STATE_OPEN)
        g_warning ("Sale %" G_GINT64_FORMAT " is %s but has a new paid payment", sale_id,
                   till_sale_state_to_string (state));
      *out_sale_paid = FALSE;
      return TRUE;
    }

  close_sale = till_store_prepare_cached (self,
    "UPDATE sale SET state = 'paid', closed_at = ?2 WHERE id = ?1 AND state = 'open'", error);
  if (close_sale == NULL)
    return FALSE;
  sqlite3_bind_int64 (close_sale, 1, sale_id);
  sqlite3_bind_int64 (close_sale, 2, now);
  if (sqlite3_step (close_sale) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be completed"));
      return FALSE;
    }
  *out_sale_paid = TRUE;
  return TRUE;
}

/* ---------------------------------------------------------------- begin */

gint64
till_store_payment_begin (TillStore         *self,
                          gint64             sale_id,
                          TillPaymentMethod  method,
                          gint64             amount_fen,
                          const char        *store_id,
                          const char        *device_id,
                          const char        *auth_code_last4,
                          gint64             now_us,
                          gint64             deadline_at_us,
                          char             **out_trade_no,
                          GError           **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) insert = NULL;
  g_autoptr(TillCachedStmt) number = NULL;
  g_autofree char *trade_no = NULL;
  g_autofree char *detail = NULL;
  TillSaleState state;
  gint64 total = 0, paid = 0, unfinished = 0, id;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (method != TILL_PAYMENT_METHOD_CASH, 0);
  g_return_val_if_fail (out_trade_no != NULL, 0);
  g_return_val_if_fail (auth_code_last4 == NULL || strlen (auth_code_last4) <= 4, 0);

  /* Checked once before anything is written: a bad id is a setup error. */
  trade_no = till_store_build_out_trade_no (store_id, device_id, now_us, 1, error);
  if (trade_no == NULL)
    return 0;
  g_clear_pointer (&trade_no, g_free);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;

  if (!sale_row_locked (self, sale_id, &state, &total, error)
      || !sale_payment_sums_locked (self, sale_id, &paid, &unfinished, NULL, error))
    goto fail;
  if (unfinished > 0)
    {
      g_message ("Payment of sale %" G_GINT64_FORMAT " refused: one is in progress", sale_id);
      set_in_progress_error (error);
      goto fail;
    }
  if (state != TILL_SALE_STATE_OPEN)
    {
      g_message ("Payment of sale %" G_GINT64_FORMAT " refused: the sale is %s", sale_id,
                 till_sale_state_to_string (state));
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("This sale is closed and cannot be paid"));
      goto fail;
    }
  if (amount_fen <= 0 || amount_fen > total - paid)
    {
      g_autofree char *amount = till_money_format (amount_fen);
      g_autofree char *due = till_money_format (MAX (total - paid, 0));

      g_message ("Payment of sale %" G_GINT64_FORMAT " refused: %" G_GINT64_FORMAT
                 " fen for %" G_GINT64_FORMAT " due", sale_id, amount_fen, total - paid);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The amount %s is not within the amount due (%s)"), amount, due);
      goto fail;
    }

  detail = g_strdup_printf ("{\"pay_call_at\":%" G_GINT64_FORMAT "}", now_us);
  insert = till_store_prepare_cached (self,
    "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state, auth_code_last4,"
    "  deadline_at, created_at, updated_at, detail_json)"
    " VALUES (?1, ?2, ?3, NULL, 'submitting', ?4, ?5, ?6, ?6, ?7)", error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_int64 (insert, 1, sale_id);
  sqlite3_bind_text (insert, 2, till_payment_method_to_string (method), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, amount_fen);
  till_stmt_bind_text_or_null (insert, 4, auth_code_last4);
  if (deadline_at_us > 0)
    sqlite3_bind_int64 (insert, 5, deadline_at_us);
  else
    sqlite3_bind_null (insert, 5);
  sqlite3_bind_int64 (insert, 6, now_us);
  sqlite3_bind_text (insert, 7, detail, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The payment could not be recorded"));
      goto fail;
    }
  id = sqlite3_last_insert_rowid (till_store_get_db (self));

  /* The row id is the till's sequence: INTEGER PRIMARY KEY ids only grow while rows are
   * never deleted, and the UNIQUE column refuses a repeat in any case. */
  trade_no = till_store_build_out_trade_no (store_id, device_id, now_us, id, error);
  if (trade_no == NULL)
    goto fail;
  number = till_store_prepare_cached (self,
    "UPDATE payment SET out_trade_no = ?2 WHERE id = ?1", error);
  if (number == NULL)
    goto fail;
  sqlite3_bind_int64 (number, 1, id);
  sqlite3_bind_text (number, 2, trade_no, -1, SQLITE_STATIC);
  if (sqlite3_step (number) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The payment could not be recorded"));
      goto fail;
    }

  if (!till_store_commit (self, error))
    return 0;
  g_message ("Payment %" G_GINT64_FORMAT " (%s) of sale %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
             " fen, submitting", id, trade_no, sale_id, amount_fen);
  *out_trade_no = g_steal_pointer (&trade_no);
  return id;

fail:
  till_store_rollback (self);
  return 0;
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
  g_autoptr(TillCachedStmt) stmt = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "UPDATE payment SET deadline_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment_id);
  sqlite3_bind_int64 (stmt, 2, deadline_at_us);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The payment could not be updated"));
      return FALSE;
    }
  return TRUE;
}

gboolean
till_store_payment_mark_paid (TillStore  *self,
                              gint64      payment_id,
                              const char *transaction_id,
                              gboolean   *out_sale_paid,
                              GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillPaymentRecord) record = NULL;
  gboolean sale_paid = FALSE;
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
      if (!write_state_locked (self, payment_id, TILL_PAYMENT_STATE_PAID, transaction_id,
                               NULL, now, error))
        goto fail;
    }
  if (!complete_sale_if_covered_locked (self, record->sale_id, now, &sale_paid, error))
    goto fail;
  if (!till_store_commit (self, error))
    return FALSE;

  if (record->state != TILL_PAYMENT_STATE_PAID)
    g_message ("Payment %" G_GINT64_FORMAT " (%s) paid, transaction %s; sale %" G_GINT64_FORMAT
               " %s", payment_id, record->out_trade_no,
               transaction_id ? transaction_id : "(none)", record->sale_id,
               sale_paid ? "paid" : "still has an amount due");
  if (out_sale_paid != NULL)
    *out_sale_paid = sale_paid;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

/* ---------------------------------------------------------------- split tender */

gboolean
till_store_add_cash_payment (TillStore  *self,
                             TillSale   *sale,
                             gint64      amount_fen,
                             gint64      tendered_fen,
                             GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) pay = NULL;
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  g_autofree char *detail = NULL;
  TillSaleState state;
  gint64 sale_id, total = 0, paid = 0, unfinished = 0, count = 0;
  gint64 now = till_store_now_us ();
  gboolean sale_paid = FALSE;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE (sale), FALSE);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, FALSE);

  if (tendered_fen < amount_fen)
    {
      g_autofree char *tendered = till_money_format (tendered_fen);
      g_autofree char *amount = till_money_format (amount_fen);

      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The cash given (%s) is less than the amount (%s)"), tendered, amount);
      return FALSE;
    }
  snapshot = till_sale_snapshot_new (sale, NULL, NULL);
  sale_id = snapshot->id;

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;

  if (sale_id != 0
      && !sale_payment_sums_locked (self, sale_id, &paid, &unfinished, &count, error))
    goto fail;
  /* Before the first payment the cart may still have changed: store it as it is now. */
  if ((sale_id == 0 || count == 0)
      && !till_store_save_snapshot (self, snapshot, &sale_id, error))
    goto fail;
  if (!sale_row_locked (self, sale_id, &state, &total, error))
    goto fail;
  if (unfinished > 0)
    {
      set_in_progress_error (error);
      goto fail;
    }
  if (state != TILL_SALE_STATE_OPEN)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("This sale is closed and cannot be paid"));
      goto fail;
    }
  if (amount_fen <= 0 || amount_fen > total - paid)
    {
      g_autofree char *amount = till_money_format (amount_fen);
      g_autofree char *due = till_money_format (MAX (total - paid, 0));

      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The amount %s is not within the amount due (%s)"), amount, due);
      goto fail;
    }

  detail = g_strdup_printf ("{\"tendered_fen\":%" G_GINT64_FORMAT ",\"change_fen\":%"
                            G_GINT64_FORMAT "}", tendered_fen, tendered_fen - amount_fen);
  pay = till_store_prepare_cached (self,
    "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state, created_at,"
    "  updated_at, detail_json)"
    " VALUES (?1, 'cash', ?2, NULL, 'paid', ?3, ?3, ?4)", error);
  if (pay == NULL)
    goto fail;
  sqlite3_bind_int64 (pay, 1, sale_id);
  sqlite3_bind_int64 (pay, 2, amount_fen);
  sqlite3_bind_int64 (pay, 3, now);
  sqlite3_bind_text (pay, 4, detail, -1, SQLITE_STATIC);
  if (sqlite3_step (pay) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The cash payment could not be recorded"));
      goto fail;
    }
  if (!complete_sale_if_covered_locked (self, sale_id, now, &sale_paid, error))
    goto fail;
  if (!till_store_commit (self, error))
    return FALSE;

  g_message ("Sale %s: %" G_GINT64_FORMAT " fen in cash%s", snapshot->number, amount_fen,
             sale_paid ? ", sale paid" : "");
  if (till_sale_get_id (sale) != sale_id)
    till_sale_set_id (sale, sale_id);
  if (sale_paid)
    till_sale_set_state (sale, TILL_SALE_STATE_PAID);
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gint64
till_store_sale_amount_due (TillStore *self,
                            gint64     sale_id,
                            GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  TillSaleState state;
  gint64 total = 0, paid = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), -1);

  locker = till_store_locker_new (self);
  if (!sale_row_locked (self, sale_id, &state, &total, error)
      || !sale_payment_sums_locked (self, sale_id, &paid, NULL, NULL, error))
    return -1;
  return MAX (total - paid, 0);
}

gboolean
till_store_sale_get_state (TillStore     *self,
                           gint64         sale_id,
                           TillSaleState *out_state,
                           GError       **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  gint64 total;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_state != NULL, FALSE);

  locker = till_store_locker_new (self);
  return sale_row_locked (self, sale_id, out_state, &total, error);
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
