/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shifts and their handover (交班): open, the open one, a shift's figures by its time
 * window, close with the counted drawer, the shifts of a day, the handover report text. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-cash.h"
#include "till-store-reports.h"
#include "till-store-shifts.h"

#define SHIFT_COLUMNS                                                                              \
  "id, day, till_id, coalesce (person_id, 0), cashier, opened_at, float_fen,"                      \
  " coalesce (closed_at, 0), coalesce (counted_fen, 0), coalesce (expected_fen, 0),"               \
  " closed_by, summary_json"

void
till_shift_record_free (TillShiftRecord *shift)
{
  if (shift == NULL)
    return;
  g_free (shift->day);
  g_free (shift->till_id);
  g_free (shift->cashier);
  g_free (shift->closed_by);
  g_free (shift->summary_json);
  g_free (shift);
}

static TillShiftRecord *
record_from_row (sqlite3_stmt *stmt)
{
  TillShiftRecord *shift = g_new0 (TillShiftRecord, 1);

  shift->id = sqlite3_column_int64 (stmt, 0);
  shift->day = till_stmt_dup_text (stmt, 1);
  shift->till_id = till_stmt_dup_text (stmt, 2);
  shift->person_id = sqlite3_column_int64 (stmt, 3);
  shift->cashier = till_stmt_dup_text (stmt, 4);
  shift->opened_at = sqlite3_column_int64 (stmt, 5);
  shift->float_fen = sqlite3_column_int64 (stmt, 6);
  shift->closed_at = sqlite3_column_int64 (stmt, 7);
  shift->counted_fen = sqlite3_column_int64 (stmt, 8);
  shift->expected_fen = sqlite3_column_int64 (stmt, 9);
  shift->closed_by = till_stmt_dup_text (stmt, 10);
  shift->summary_json = till_stmt_dup_text (stmt, 11);
  return shift;
}

static TillShiftRecord *
get_open_locked (TillStore *self, gboolean *out_failed, GError **error)
{
  g_autoptr (TillCachedStmt) stmt = till_store_prepare_cached (
      self,
      "SELECT " SHIFT_COLUMNS " FROM shift WHERE closed_at IS NULL ORDER BY opened_at LIMIT 1",
      error);
  int rc;

  *out_failed = TRUE;
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_failed = FALSE;
      return record_from_row (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The shift could not be read"));
      return NULL;
    }
  *out_failed = FALSE;
  return NULL;
}

TillShiftRecord *
till_store_shift_get_open (TillStore *self, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  gboolean failed;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  return get_open_locked (self, &failed, error);
}

TillShiftRecord *
till_store_shift_load (TillStore *self, gint64 id, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, "SELECT " SHIFT_COLUMNS " FROM shift WHERE id = ?1",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                         _ ("The shift could not be found"));
  else
    till_store_set_sqlite_error (self, error, _ ("The shift could not be read"));
  return NULL;
}

GPtrArray *
till_store_shifts_of_day (TillStore *self, const char *date, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillCachedStmt) stmt = NULL;
  g_autoptr (GPtrArray) shifts = NULL;
  gint64 from, to;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  if (!till_report_parse_day (date, &from, &to, error))
    return NULL;
  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (
      self,
      "SELECT " SHIFT_COLUMNS " FROM shift WHERE opened_at < ?2"
      " AND (closed_at IS NULL OR closed_at > ?1 OR day = ?3) ORDER BY opened_at, id",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  sqlite3_bind_text (stmt, 3, date, -1, SQLITE_TRANSIENT);
  shifts = g_ptr_array_new_with_free_func ((GDestroyNotify)till_shift_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shifts, record_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _ ("The shifts could not be read"));
      return NULL;
    }
  return g_steal_pointer (&shifts);
}

/* The cash of [from, to): as till_store_cash_summary() of a day, by the rows' times. */
static gboolean
cash_of_window_locked (TillStore *self, gint64 from, gint64 to, TillCashSummary *out,
                       GError **error)
{
  g_autoptr (TillCachedStmt) moves = NULL;
  g_autoptr (TillCachedStmt) sales = NULL;
  g_autoptr (TillCachedStmt) refunds = NULL;
  g_autoptr (TillCachedStmt) returns = NULL;
  int rc;

  moves = till_store_prepare_cached (
      self,
      "SELECT kind, sum (amount_fen) FROM cash_movement WHERE at >= ?1 AND at < ?2"
      " AND kind IN ('in', 'out') GROUP BY kind",
      error);
  if (moves == NULL)
    return FALSE;
  sqlite3_bind_int64 (moves, 1, from);
  sqlite3_bind_int64 (moves, 2, to);
  while ((rc = sqlite3_step (moves)) == SQLITE_ROW)
    {
      const char *kind = (const char *)sqlite3_column_text (moves, 0);

      if (g_strcmp0 (kind, "in") == 0)
        out->cash_in_fen = sqlite3_column_int64 (moves, 1);
      else
        out->cash_out_fen = sqlite3_column_int64 (moves, 1);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  sales = till_store_prepare_cached (
      self,
      "SELECT coalesce (sum (p.amount_fen), 0), coalesce (sum (p.rounding_fen), 0) FROM sale s"
      " JOIN payment p ON p.sale_id = s.id AND p.state = 'paid' AND p.method = 'cash'"
      " WHERE s.state IN ('paid', 'refunded') AND s.closed_at >= ?1 AND s.closed_at < ?2",
      error);
  if (sales == NULL)
    return FALSE;
  sqlite3_bind_int64 (sales, 1, from);
  sqlite3_bind_int64 (sales, 2, to);
  if (sqlite3_step (sales) != SQLITE_ROW)
    goto failed;
  out->cash_sales_fen = sqlite3_column_int64 (sales, 0);
  out->cash_rounding_fen = sqlite3_column_int64 (sales, 1);

  refunds = till_store_prepare_cached (
      self,
      "SELECT coalesce (sum (f.amount_fen), 0), coalesce (sum (f.rounding_fen), 0)"
      " FROM refund f"
      " JOIN payment p ON p.id = f.payment_id AND p.method = 'cash'"
      " JOIN sale s ON s.id = p.sale_id AND s.state <> 'voided'"
      " WHERE f.state = 'success' AND f.created_at >= ?1 AND f.created_at < ?2",
      error);
  if (refunds == NULL)
    return FALSE;
  sqlite3_bind_int64 (refunds, 1, from);
  sqlite3_bind_int64 (refunds, 2, to);
  if (sqlite3_step (refunds) != SQLITE_ROW)
    goto failed;
  out->cash_refunds_fen = sqlite3_column_int64 (refunds, 0);
  out->cash_rounding_fen -= sqlite3_column_int64 (refunds, 1);

  returns = till_store_prepare_cached (
      self,
      "SELECT coalesce (sum (amount_fen), 0), coalesce (sum (rounding_fen), 0)"
      " FROM goods_return WHERE at >= ?1 AND at < ?2",
      error);
  if (returns == NULL)
    return FALSE;
  sqlite3_bind_int64 (returns, 1, from);
  sqlite3_bind_int64 (returns, 2, to);
  if (sqlite3_step (returns) != SQLITE_ROW)
    goto failed;
  out->cash_returns_fen = sqlite3_column_int64 (returns, 0);
  out->cash_rounding_fen -= sqlite3_column_int64 (returns, 1);

  out->expected_fen = out->float_fen + out->cash_sales_fen - out->cash_refunds_fen
                      - out->cash_returns_fen + out->cash_rounding_fen + out->cash_in_fen
                      - out->cash_out_fen;
  out->expected_count_fen = out->expected_fen;
  return TRUE;

failed:
  till_store_set_sqlite_error (self, error, _ ("The cash of the shift could not be counted"));
  return FALSE;
}

static gboolean
summary_locked (TillStore *self, const TillShiftRecord *shift, gint64 clip_from, gint64 clip_to,
                gint64 open_end, TillShiftSummary *out, GError **error)
{
  g_autoptr (TillReport) report = NULL;
  /* An open shift's window ends at `open_end` (exclusive). */
  gint64 end = shift->closed_at != 0 ? shift->closed_at : MAX (open_end, shift->opened_at);

  memset (out, 0, sizeof *out);
  out->from_us = MAX (shift->opened_at, clip_from);
  out->to_us = MIN (end, clip_to);
  if (out->to_us < out->from_us)
    out->to_us = out->from_us;
  if (shift->opened_at >= clip_from && shift->opened_at < clip_to)
    out->cash.float_fen = shift->float_fen;

  report = till_store_report_period (self, out->from_us, out->to_us, shift->day, 1, error);
  if (report == NULL)
    return FALSE;
  out->n_sales = report->n_sales;
  out->gross_fen = report->gross_fen;
  out->refunds_fen = report->refunds_fen;
  out->n_refunds = report->n_refunds;
  out->returns_fen = report->returns_fen;
  out->discounts_fen = report->discounts_fen;
  out->topups_fen = report->topups_fen;
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    {
      out->method_fen[m] = report->method_fen[m];
      out->method_refund_fen[m] = report->method_refund_fen[m];
      out->topup_method_fen[m] = report->topup_method_fen[m];
    }
  return cash_of_window_locked (self, out->from_us, out->to_us, &out->cash, error);
}

gboolean
till_store_shift_summary (TillStore *self, const TillShiftRecord *shift, gint64 from_us,
                          gint64 to_us, TillShiftSummary *out, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (shift != NULL && out != NULL, FALSE);

  locker = till_store_locker_new (self);
  return summary_locked (self, shift, from_us, to_us, till_store_now_us () + 1, out, error);
}

TillShiftRecord *
till_store_shift_open (TillStore *self, const char *till_id, gint64 person_id, const char *cashier,
                       gint64 float_fen, GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillShiftRecord) open = NULL;
  g_autoptr (TillCachedStmt) insert = NULL;
  g_autoptr (TillCachedStmt) has_float = NULL;
  g_autoptr (GString) detail = NULL;
  g_autofree char *day = NULL;
  gint64 now = till_store_now_us (), id;
  gboolean failed;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (till_id != NULL && cashier != NULL, NULL);

  if (*cashier == '\0')
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("A shift needs a cashier"));
      return NULL;
    }
  if (float_fen < 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("The float cannot be below zero"));
      return NULL;
    }
  day = till_report_local_date (now);
  locker = till_store_locker_new (self);
  if (!till_store_check_day_open (self, now, error))
    return NULL;
  if (!till_store_begin (self, error))
    return NULL;
  open = get_open_locked (self, &failed, error);
  if (failed)
    goto fail;
  if (open != NULL)
    {
      g_message ("Refused: shift %" G_GINT64_FORMAT " is open", open->id);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("The shift of %s is still open: hand it over (Ctrl+Shift+O) first."),
                   open->cashier);
      goto fail;
    }

  insert = till_store_prepare_cached (
      self,
      "INSERT INTO shift (day, till_id, person_id, cashier, opened_at, float_fen)"
      " VALUES (?1, ?2, nullif (?3, 0), ?4, ?5, ?6)",
      error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_text (insert, 1, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, till_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 3, person_id);
  sqlite3_bind_text (insert, 4, cashier, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 5, now);
  sqlite3_bind_int64 (insert, 6, float_fen);
  if (!till_store_step_done (self, insert, _ ("The shift could not be opened"), error))
    goto fail;
  id = sqlite3_last_insert_rowid (till_store_get_db (self));

  /* The day's first float: the drawer the first shift starts with. */
  has_float = till_store_prepare_cached (
      self, "SELECT 1 FROM cash_movement WHERE day = ?1 AND kind = 'float'", error);
  if (has_float == NULL)
    goto fail;
  sqlite3_bind_text (has_float, 1, day, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (has_float) != SQLITE_ROW)
    {
      g_autoptr (TillCachedStmt) add = till_store_prepare_cached (
          self,
          "INSERT INTO cash_movement (day, kind, amount_fen, reason, at, actor)"
          " VALUES (?1, 'float', ?2, NULL, ?3, ?4)",
          error);

      if (add == NULL)
        goto fail;
      sqlite3_bind_text (add, 1, day, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (add, 2, float_fen);
      sqlite3_bind_int64 (add, 3, now);
      sqlite3_bind_text (add, 4, cashier, -1, SQLITE_TRANSIENT);
      if (!till_store_step_done (self, add, _ ("The float could not be saved"), error))
        goto fail;
    }

  detail = g_string_new (NULL);
  g_string_append_printf (detail,
                          "{\"shift_id\":%" G_GINT64_FORMAT ",\"float_fen\":%" G_GINT64_FORMAT "}",
                          id, float_fen);
  if (!till_store_audit_locked (self, cashier, "shift_open", detail->str, error))
    goto fail;
  if (!till_store_commit (self, error))
    return NULL;
  g_message ("Shift %" G_GINT64_FORMAT " opened with a float of %" G_GINT64_FORMAT, id, float_fen);
  g_clear_pointer (&locker, till_store_locker_free);
  return till_store_shift_load (self, id, error);

fail:
  till_store_rollback (self);
  return NULL;
}

char *
till_shift_summary_to_json (const TillShiftSummary *s)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (s != NULL, NULL);

  g_string_append_printf (out,
                          "{\"from_us\":%" G_GINT64_FORMAT ",\"to_us\":%" G_GINT64_FORMAT
                          ",\"n_sales\":%u,\"gross_fen\":%" G_GINT64_FORMAT
                          ",\"refunds_fen\":%" G_GINT64_FORMAT ",\"n_refunds\":%u"
                          ",\"returns_fen\":%" G_GINT64_FORMAT
                          ",\"discounts_fen\":%" G_GINT64_FORMAT ",\"topups_fen\":%" G_GINT64_FORMAT
                          ",\"methods\":{",
                          s->from_us, s->to_us, s->n_sales, s->gross_fen, s->refunds_fen,
                          s->n_refunds, s->returns_fen, s->discounts_fen, s->topups_fen);
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    g_string_append_printf (out,
                            "%s\"%s\":{\"paid_fen\":%" G_GINT64_FORMAT
                            ",\"refund_fen\":%" G_GINT64_FORMAT ",\"topup_fen\":%" G_GINT64_FORMAT
                            "}",
                            m ? "," : "", till_report_method_id (m), s->method_fen[m],
                            s->method_refund_fen[m], s->topup_method_fen[m]);
  g_string_append_printf (
      out,
      "},\"cash\":{\"float_fen\":%" G_GINT64_FORMAT ",\"cash_sales_fen\":%" G_GINT64_FORMAT
      ",\"cash_refunds_fen\":%" G_GINT64_FORMAT ",\"cash_returns_fen\":%" G_GINT64_FORMAT
      ",\"cash_rounding_fen\":%" G_GINT64_FORMAT ",\"cash_in_fen\":%" G_GINT64_FORMAT
      ",\"cash_out_fen\":%" G_GINT64_FORMAT ",\"expected_fen\":%" G_GINT64_FORMAT "}}",
      s->cash.float_fen, s->cash.cash_sales_fen, s->cash.cash_refunds_fen, s->cash.cash_returns_fen,
      s->cash.cash_rounding_fen, s->cash.cash_in_fen, s->cash.cash_out_fen, s->cash.expected_fen);
  return g_string_free (out, FALSE);
}

TillShiftRecord *
till_store_shift_close (TillStore *self, gint64 shift_id, gint64 counted_fen, const char *closed_by,
                        GError **error)
{
  g_autoptr (TillStoreLocker) locker = NULL;
  g_autoptr (TillShiftRecord) open = NULL;
  g_autoptr (TillCachedStmt) unresolved = NULL;
  g_autoptr (TillCachedStmt) update = NULL;
  g_autofree char *json = NULL;
  g_autofree char *detail = NULL;
  TillShiftSummary summary;
  gint64 now = till_store_now_us ();
  gboolean failed;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (closed_by != NULL, NULL);

  if (counted_fen < 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("The counted cash cannot be below zero"));
      return NULL;
    }
  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  open = get_open_locked (self, &failed, error);
  if (failed)
    goto fail;
  if (open == NULL || open->id != shift_id)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("This shift is not open: it was handed over already."));
      goto fail;
    }

  /* A payment whose outcome is open would be paid between two shifts. */
  unresolved = till_store_prepare_cached (
      self,
      "SELECT count(*) FROM payment WHERE state IN ('submitting', 'user_paying', 'in_doubt',"
      " 'reversing')",
      error);
  if (unresolved == NULL)
    goto fail;
  if (sqlite3_step (unresolved) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _ ("The shift could not be handed over"));
      goto fail;
    }
  if (sqlite3_column_int64 (unresolved, 0) > 0)
    {
      g_message ("Refused: handover while a payment is unresolved");
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _ ("A payment is still being checked with the provider. Wait until it is "
                      "resolved, then hand over."));
      goto fail;
    }
  g_clear_pointer (&unresolved, till_cached_stmt_release);

  /* The window ends now (exclusive): what happens from this instant is the next shift's. */
  if (!summary_locked (self, open, 0, G_MAXINT64, now, &summary, error))
    goto fail;
  json = till_shift_summary_to_json (&summary);

  update = till_store_prepare_cached (
      self,
      "UPDATE shift SET closed_at = ?2, counted_fen = ?3, expected_fen = ?4, summary_json = ?5,"
      " closed_by = ?6 WHERE id = ?1 AND closed_at IS NULL",
      error);
  if (update == NULL)
    goto fail;
  sqlite3_bind_int64 (update, 1, shift_id);
  sqlite3_bind_int64 (update, 2, now);
  sqlite3_bind_int64 (update, 3, counted_fen);
  sqlite3_bind_int64 (update, 4, summary.cash.expected_fen);
  sqlite3_bind_text (update, 5, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update, 6, closed_by, -1, SQLITE_TRANSIENT);
  if (!till_store_step_done (self, update, _ ("The shift could not be handed over"), error))
    goto fail;

  detail = g_strdup_printf (
      "{\"shift_id\":%" G_GINT64_FORMAT ",\"counted_fen\":%" G_GINT64_FORMAT
      ",\"expected_fen\":%" G_GINT64_FORMAT ",\"difference_fen\":%" G_GINT64_FORMAT "}",
      shift_id, counted_fen, summary.cash.expected_fen, counted_fen - summary.cash.expected_fen);
  if (!till_store_audit_locked (self, closed_by, "shift_close", detail, error))
    goto fail;
  if (!till_store_commit (self, error))
    return NULL;
  g_message ("Shift %" G_GINT64_FORMAT " handed over: counted %" G_GINT64_FORMAT
             ", expected %" G_GINT64_FORMAT,
             shift_id, counted_fen, summary.cash.expected_fen);
  g_clear_pointer (&locker, till_store_locker_free);
  return till_store_shift_load (self, shift_id, error);

fail:
  till_store_rollback (self);
  return NULL;
}

/* ---- the handover report ---- */

static void
row (GString *out, const char *label, gint64 fen)
{
  g_autofree char *amount = till_money_format (fen);

  till_text_pad (out, label, 20, FALSE);
  till_text_pad (out, amount, 12, TRUE);
  g_string_append_c (out, '\n');
}

static char *
local_time (gint64 at_us)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

char *
till_shift_report_text (const TillShiftRecord *shift, const TillShiftSummary *s, gint64 counted_fen)
{
  GString *out = g_string_new (NULL);
  g_autofree char *opened = NULL;
  g_autofree char *closed = NULL;

  g_return_val_if_fail (shift != NULL && s != NULL, NULL);

  opened = local_time (shift->opened_at);
  closed = local_time (shift->closed_at != 0 ? shift->closed_at : s->to_us);
  g_string_append_printf (out, _ ("Shift handover  %s\n"), shift->day);
  g_string_append_printf (out, _ ("Cashier: %s\n"), shift->cashier);
  g_string_append_printf (out, _ ("From %s to %s\n"), opened, closed);
  g_string_append (out, "--------------------------------\n");
  {
    g_autofree char *n = g_strdup_printf (_ ("Sales (%u)"), s->n_sales);

    row (out, n, s->gross_fen);
  }
  for (guint m = 0; m < TILL_REPORT_N_METHODS; m++)
    if (s->method_fen[m] != 0 || m == TILL_REPORT_CASH)
      row (out, till_report_method_label (m), s->method_fen[m]);
  row (out, _ ("Refunds"), -s->refunds_fen);
  if (s->returns_fen != 0)
    row (out, _ ("Returns without receipt"), -s->returns_fen);
  row (out, _ ("Discounts"), s->discounts_fen);
  if (s->topups_fen != 0)
    row (out, _ ("Top-ups"), s->topups_fen);
  g_string_append (out, "--------------------------------\n");
  row (out, _ ("Float"), s->cash.float_fen);
  row (out, _ ("Cash sales"), s->cash.cash_sales_fen);
  row (out, _ ("Cash refunds"), -s->cash.cash_refunds_fen);
  if (s->cash.cash_returns_fen != 0)
    row (out, _ ("Returns without receipt"), -s->cash.cash_returns_fen);
  if (s->cash.cash_rounding_fen != 0)
    row (out, _ ("Cash rounding"), s->cash.cash_rounding_fen);
  row (out, _ ("Cash in"), s->cash.cash_in_fen);
  row (out, _ ("Cash out"), -s->cash.cash_out_fen);
  row (out, _ ("Expected"), s->cash.expected_fen);
  row (out, _ ("Counted"), counted_fen);
  row (out, _ ("Over/short"), counted_fen - s->cash.expected_fen);
  if (shift->closed_by != NULL)
    g_string_append_printf (out, _ ("Handed over by: %s\n"), shift->closed_by);
  return g_string_free (out, FALSE);
}

void
till_shift_append_z_text (GString *z, const GPtrArray *shifts)
{
  g_return_if_fail (z != NULL && shifts != NULL);

  if (shifts->len == 0)
    return;
  g_string_append_printf (z, "\n%s\n", _ ("Shifts (handovers)"));
  for (guint i = 0; i < shifts->len; i++)
    {
      const TillShiftRecord *shift = g_ptr_array_index ((GPtrArray *)shifts, i);
      g_autofree char *from = local_time (shift->opened_at);
      g_autofree char *label
          = g_strdup_printf ("%s %s", shift->cashier, strlen (from) > 11 ? from + 11 : from);

      if (shift->closed_at == 0)
        {
          till_text_pad (z, label, 20, FALSE);
          till_text_pad (z, _ ("open"), 12, TRUE);
          g_string_append_c (z, '\n');
        }
      else
        row (z, label, TILL_SHIFT_OVER_SHORT (shift));
    }
}
