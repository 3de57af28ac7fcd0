/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Payments against a sale: the checks on what a sale may still take, begin (committed
 * before the request leaves), split tender with cash and the sale's completion. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "till-store-private.h"
#include "till-store-stored-value-private.h"
#include "till-store-cash.h"
#include "till-store-payments.h"

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

/* Sum of the sale's paid payments (those it took), and the number of its payments whose
 * outcome is still open (submitting, user_paying, in_doubt). A payment being reversed is
 * not one of them: its money is going back (the outbox finishes the reverse), so the sale
 * may take cash, another payment or a void meanwhile; should the reverse fail and the
 * order turn out paid after all, it is refunded by itself (mark_paid, unattached). */
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
    "SELECT coalesce (sum (CASE WHEN state = 'paid' AND unattached = 0 THEN amount_fen END), 0),"
    "       count (CASE WHEN state IN ('submitting', 'user_paying', 'in_doubt')"
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
    "SELECT count (*) FROM payment WHERE sale_id = ?1 AND state = 'paid' AND unattached = 0"
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

gboolean
till_store_complete_sale_if_covered_locked (TillStore *self,
                                            gint64     sale_id,
                                            gint64     now,
                                            gboolean  *out_sale_paid,
                                            GError   **error)
{
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

  if (!till_store_exec_for_id (self,
                               "UPDATE sale SET state = 'paid', closed_at = ?2"
                               " WHERE id = ?1 AND state = 'open'", sale_id, now,
                               _("The sale could not be completed"), error))
    return FALSE;
  *out_sale_paid = TRUE;
  return TRUE;
}

gboolean
till_store_sale_complete_if_covered (TillStore *self,
                                     gint64     sale_id,
                                     gboolean  *out_sale_paid,
                                     GError   **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  gboolean paid = FALSE;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!till_store_complete_sale_if_covered_locked (self, sale_id, till_store_now_us (), &paid,
                                                   error)
      || !till_store_commit (self, error))
    {
      till_store_rollback (self);
      return FALSE;
    }
  if (out_sale_paid != NULL)
    *out_sale_paid = paid;
  return TRUE;
}

gboolean
till_store_sale_can_take_locked (TillStore     *self,
                                 gint64         sale_id,
                                 gint64         amount_fen,
                                 gboolean      *out_takes,
                                 TillSaleState *out_state,
                                 GError       **error)
{
  gint64 total = 0, paid = 0;

  if (!sale_row_locked (self, sale_id, out_state, &total, error)
      || !sale_payment_sums_locked (self, sale_id, &paid, NULL, NULL, error))
    return FALSE;
  /* A suspended sale holds no payment: one paid late for it is refunded by itself. */
  *out_takes = *out_state == TILL_SALE_STATE_OPEN && paid + amount_fen <= total;
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
  /* Nothing is sent for a day that is closed: the sale could never take the money. */
  if (!till_store_check_day_open_for_sales (self, now_us, error))
    goto fail;
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

/* ---------------------------------------------------------------- split tender */

gboolean
till_store_add_cash_payment (TillStore  *self,
                             TillSale   *sale,
                             gint64      amount_fen,
                             gint64      tendered_fen,
                             GError    **error)
{
  return till_store_add_cash_payment_rounded (self, sale, amount_fen, tendered_fen,
                                              TILL_CASH_ROUNDING_NONE, NULL, error);
}

/* Before a payment taken at the till (cash, stored value), within the caller's lock and
 * transaction: the sale saved as it is when it has no payment yet (the cart may have
 * changed until then), open, no payment of it in progress, its day open. */
static gboolean
prepare_local_payment_locked (TillStore        *self,
                              TillSaleSnapshot *snapshot,
                              gint64            now,
                              gint64           *out_sale_id,
                              gint64           *out_total,
                              gint64           *out_paid,
                              GError          **error)
{
  TillSaleState state;
  gint64 sale_id = snapshot->id, unfinished = 0, count = 0;

  *out_paid = 0;
  if (sale_id != 0
      && !sale_payment_sums_locked (self, sale_id, out_paid, &unfinished, &count, error))
    return FALSE;
  if ((sale_id == 0 || count == 0)
      && !till_store_save_snapshot (self, snapshot, &sale_id, error))
    return FALSE;
  if (!sale_row_locked (self, sale_id, &state, out_total, error))
    return FALSE;
  if (unfinished > 0)
    {
      set_in_progress_error (error);
      return FALSE;
    }
  if (state != TILL_SALE_STATE_OPEN)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("This sale is closed and cannot be paid"));
      return FALSE;
    }
  if (!till_store_check_day_open_for_sales (self, now, error))
    return FALSE;
  *out_sale_id = sale_id;
  return TRUE;
}

gboolean
till_store_add_cash_payment_rounded (TillStore         *self,
                                     TillSale          *sale,
                                     gint64             amount_fen,
                                     gint64             tendered_fen,
                                     TillCashRounding   rounding,
                                     gint64            *out_received_fen,
                                     GError           **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) pay = NULL;
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  g_autofree char *detail = NULL;
  gint64 sale_id = 0, total = 0, paid = 0, due, cash_due;
  gint64 settled_fen, received_fen;
  gint64 now = till_store_now_us ();
  gboolean sale_paid = FALSE;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE (sale), FALSE);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, FALSE);

  if (!till_store_check_cash_unit (tendered_fen, rounding, error))
    return FALSE;
  snapshot = till_sale_snapshot_new (sale, NULL, NULL);

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return FALSE;
  if (!prepare_local_payment_locked (self, snapshot, now, &sale_id, &total, &paid, error))
    goto fail;

  /* What is due settled in cash is the rounded amount (the payment keeps the amount due,
   * to the fen, and the rounding); any other amount is part cash, taken as it is, and must
   * be cash the rule can take. */
  due = total - paid;
  cash_due = till_money_round_cash (due, rounding);
  if (due > 0 && (amount_fen == due || amount_fen == cash_due))
    {
      settled_fen = due;
      received_fen = cash_due;
    }
  else
    {
      if (amount_fen <= 0 || amount_fen > due)
        {
          g_autofree char *amount = till_money_format (amount_fen);
          g_autofree char *shown_due = till_money_format (MAX (due, 0));

          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                       _("The amount %s is not within the amount due (%s)"), amount,
                       shown_due);
          goto fail;
        }
      if (!till_store_check_cash_unit (amount_fen, rounding, error))
        goto fail;
      settled_fen = received_fen = amount_fen;
    }
  if (tendered_fen < received_fen)
    {
      g_autofree char *tendered = till_money_format (tendered_fen);
      g_autofree char *amount = till_money_format (received_fen);

      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The cash given (%s) is less than the amount (%s)"), tendered, amount);
      goto fail;
    }

  detail = g_strdup_printf ("{\"tendered_fen\":%" G_GINT64_FORMAT ",\"change_fen\":%"
                            G_GINT64_FORMAT "}", tendered_fen, tendered_fen - received_fen);
  pay = till_store_prepare_cached (self,
    "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state, created_at,"
    "  updated_at, detail_json, rounding_fen)"
    " VALUES (?1, 'cash', ?2, NULL, 'paid', ?3, ?3, ?4, ?5)", error);
  if (pay == NULL)
    goto fail;
  sqlite3_bind_int64 (pay, 1, sale_id);
  sqlite3_bind_int64 (pay, 2, settled_fen);
  sqlite3_bind_int64 (pay, 3, now);
  sqlite3_bind_text (pay, 4, detail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (pay, 5, received_fen - settled_fen);
  if (sqlite3_step (pay) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The cash payment could not be recorded"));
      goto fail;
    }
  if (!till_store_complete_sale_if_covered_locked (self, sale_id, now, &sale_paid, error))
    goto fail;
  if (!till_store_commit (self, error))
    return FALSE;

  g_message ("Sale %s: %" G_GINT64_FORMAT " fen in cash, %" G_GINT64_FORMAT
             " fen received%s", snapshot->number, settled_fen, received_fen,
             sale_paid ? ", sale paid" : "");
  if (till_sale_get_id (sale) != sale_id)
    till_sale_set_id (sale, sale_id);
  if (sale_paid)
    till_sale_set_state (sale, TILL_SALE_STATE_PAID);
  if (out_received_fen != NULL)
    *out_received_fen = received_fen;
  return TRUE;

fail:
  till_store_rollback (self);
  return FALSE;
}

gint64
till_store_add_stored_value_payment (TillStore  *self,
                                     TillSale   *sale,
                                     gint64      amount_fen,
                                     const char *who,
                                     gint64     *out_paid_fen,
                                     gint64     *out_bonus_fen,
                                     GError    **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) pay = NULL;
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  gint64 sale_id = 0, total = 0, paid = 0, payment_id;
  gint64 now = till_store_now_us ();
  gboolean sale_paid = FALSE;

  g_return_val_if_fail (TILL_IS_STORE (self), 0);
  g_return_val_if_fail (TILL_IS_SALE (sale), 0);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, 0);

  snapshot = till_sale_snapshot_new (sale, NULL, NULL);
  if (snapshot->member_id <= 0)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("Stored value pays a member’s sale: find the member first"));
      return 0;
    }
  if (snapshot->kind == TILL_SALE_KIND_TOPUP)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("A top-up is not paid with stored value"));
      return 0;
    }

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return 0;
  if (!prepare_local_payment_locked (self, snapshot, now, &sale_id, &total, &paid, error))
    goto fail;
  if (amount_fen <= 0 || amount_fen > total - paid)
    {
      g_autofree char *amount = till_money_format (amount_fen);
      g_autofree char *due = till_money_format (MAX (total - paid, 0));

      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The amount %s is not within the amount due (%s)"), amount, due);
      goto fail;
    }
  pay = till_store_prepare_cached (self,
    "INSERT INTO payment (sale_id, method, amount_fen, out_trade_no, state, created_at,"
    "  updated_at)"
    " VALUES (?1, 'stored_value', ?2, NULL, 'paid', ?3, ?3)", error);
  if (pay == NULL)
    goto fail;
  sqlite3_bind_int64 (pay, 1, sale_id);
  sqlite3_bind_int64 (pay, 2, amount_fen);
  sqlite3_bind_int64 (pay, 3, now);
  if (sqlite3_step (pay) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The payment could not be recorded"));
      goto fail;
    }
  payment_id = sqlite3_last_insert_rowid (till_store_get_db (self));
  /* The money leaves the card in the same transaction as the payment is recorded: never
   * one without the other. */
  if (_till_store_stored_value_spend_locked (self, snapshot->member_id, amount_fen,
                                             snapshot->number, who, payment_id, out_paid_fen,
                                             out_bonus_fen, error) == 0
      || !till_store_complete_sale_if_covered_locked (self, sale_id, now, &sale_paid, error)
      || !till_store_commit (self, error))
    goto fail;

  g_message ("Sale %s: %" G_GINT64_FORMAT " fen from member %" G_GINT64_FORMAT
             "'s stored value%s", snapshot->number, amount_fen, snapshot->member_id,
             sale_paid ? ", sale paid" : "");
  if (till_sale_get_id (sale) != sale_id)
    till_sale_set_id (sale, sale_id);
  if (sale_paid)
    till_sale_set_state (sale, TILL_SALE_STATE_PAID);
  return payment_id;

fail:
  till_store_rollback (self);
  return 0;
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
