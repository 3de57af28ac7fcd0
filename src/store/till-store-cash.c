/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cash movements, expected cash and the day close. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <string.h>

#include "till-store-private.h"
#include "till-store-cash.h"
#include "till-store-member-reports.h"
#include "till-store-reports.h"
#include "till-store-returns.h"
#include "till-store-shifts.h"

void
till_day_close_free (TillDayClose *close)
{
  if (close == NULL)
    return;
  g_free (close->date);
  g_free (close->closed_by);
  g_free (close->report_json);
  g_free (close->z_text);
  g_free (close);
}

static void
set_closed_error (GError     **error,
                  const char  *date)
{
  g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED,
               _("The day %s is closed (Z report printed). Nothing dated on it can change."),
               date);
}

gboolean
till_store_day_is_closed (TillStore   *self,
                          const char  *date,
                          gboolean    *out_closed,
                          GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (date != NULL && out_closed != NULL, FALSE);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self, "SELECT 1 FROM day_close WHERE date = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The day close could not be read"));
      return FALSE;
    }
  *out_closed = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
till_store_check_day_open_for_sales (TillStore  *self,
                                     gint64      at_us,
                                     GError    **error)
{
  g_autofree char *date = till_report_local_date (at_us);
  gboolean closed = FALSE;

  if (!till_store_day_is_closed (self, date, &closed, error))
    return FALSE;
  if (closed)
    {
      g_message ("Refused: the day %s is closed", date);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_DAY_CLOSED,
                   _("The day %s is closed: no sale can be taken on it. The next day opens "
                     "at midnight (00:00); the cart stays as it is until then."), date);
      return FALSE;
    }
  return TRUE;
}

gboolean
till_store_check_day_open (TillStore  *self,
                           gint64      at_us,
                           GError    **error)
{
  g_autofree char *date = till_report_local_date (at_us);
  gboolean closed = FALSE;

  if (!till_store_day_is_closed (self, date, &closed, error))
    return FALSE;
  if (closed)
    {
      set_closed_error (error, date);
      return FALSE;
    }
  return TRUE;
}

gboolean
till_store_cash_record (TillStore    *self,
                        TillCashKind  kind,
                        gint64        amount_fen,
                        const char   *reason,
                        const char   *actor,
                        GError      **error)
{
  return till_store_cash_record_rounded (self, kind, amount_fen, reason, actor,
                                         TILL_CASH_ROUNDING_NONE, error);
}

gboolean
till_store_cash_record_rounded (TillStore         *self,
                                TillCashKind       kind,
                                gint64             amount_fen,
                                const char        *reason,
                                const char        *actor,
                                TillCashRounding   rounding,
                                GError           **error)
{
  static const char *const kinds[] = { "float", "in", "out" };
  static const char *const actions[] = { "cash_float", "cash_in", "cash_out" };
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  g_autoptr(GString) detail = NULL;
  g_autofree char *clean_reason = NULL;
  g_autofree char *date = NULL;
  gint64 now = till_store_now_us ();

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind <= TILL_CASH_OUT, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  clean_reason = reason != NULL ? g_strstrip (g_strdup (reason)) : NULL;
  if (amount_fen < 0 || (amount_fen == 0 && kind != TILL_CASH_FLOAT))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The amount must be more than zero"));
      return FALSE;
    }
  /* The drawer holds no coin below the rule's unit: neither can a movement. */
  if (!till_store_check_cash_unit (amount_fen, rounding, error))
    return FALSE;
  if (kind != TILL_CASH_FLOAT && (clean_reason == NULL || *clean_reason == '\0'))
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Say why the cash goes in or out"));
      return FALSE;
    }

  date = till_report_local_date (now);
  locker = till_store_locker_new (self);
  if (!till_store_check_day_open (self, now, error))
    return FALSE;
  if (!till_store_begin (self, error))
    return FALSE;

  if (kind == TILL_CASH_FLOAT)
    {
      g_autoptr(TillCachedStmt) exists = till_store_prepare_cached (self,
        "SELECT 1 FROM cash_movement WHERE day = ?1 AND kind = 'float'", error);

      if (exists == NULL)
        goto fail;
      sqlite3_bind_text (exists, 1, date, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (exists) == SQLITE_ROW)
        {
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                       _("The opening float of %s is set already; use cash in or out to "
                         "correct it"), date);
          goto fail;
        }
    }

  stmt = till_store_prepare_cached (self,
    "INSERT INTO cash_movement (day, kind, amount_fen, reason, at, actor)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kinds[kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, amount_fen);
  till_stmt_bind_text_or_null (stmt, 4, clean_reason);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, actor, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The cash movement could not be saved"));
      goto fail;
    }

  detail = g_string_new (NULL);
  g_string_append_printf (detail, "{\"day\":\"%s\",\"amount_fen\":%" G_GINT64_FORMAT
                          ",\"reason\":", date, amount_fen);
  till_store_json_append_string (detail, clean_reason ? clean_reason : "");
  g_string_append_c (detail, '}');
  if (!till_store_audit_locked (self, actor, actions[kind], detail->str, error))
    goto fail;
  return till_store_commit (self, error);

fail:
  till_store_rollback (self);
  return FALSE;
}

gboolean
till_store_cash_summary (TillStore       *self,
                         const char      *date,
                         TillCashSummary *out,
                         GError         **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) moves = NULL;
  g_autoptr(TillCachedStmt) sales = NULL;
  g_autoptr(TillCachedStmt) refunds = NULL;
  gint64 from, to;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!till_report_parse_day (date, &from, &to, error))
    return FALSE;
  locker = till_store_locker_new (self);

  moves = till_store_prepare_cached (self,
    "SELECT kind, sum (amount_fen) FROM cash_movement WHERE day = ?1 GROUP BY kind", error);
  if (moves == NULL)
    return FALSE;
  sqlite3_bind_text (moves, 1, date, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (moves)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (moves, 0);
      gint64 sum = sqlite3_column_int64 (moves, 1);

      if (g_strcmp0 (kind, "float") == 0)
        out->float_fen = sum;
      else if (g_strcmp0 (kind, "in") == 0)
        out->cash_in_fen = sum;
      else if (g_strcmp0 (kind, "out") == 0)
        out->cash_out_fen = sum;
    }
  if (rc != SQLITE_DONE)
    goto failed;

  sales = till_store_prepare_cached (self,
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

  refunds = till_store_prepare_cached (self,
    "SELECT coalesce (sum (f.amount_fen), 0), coalesce (sum (f.rounding_fen), 0)"
    " FROM refund f"
    " JOIN payment p ON p.id = f.payment_id AND p.method = 'cash'"
    /* What a voided sale took and gave back cancels out: neither is counted. */
    " JOIN sale s ON s.id = p.sale_id AND s.state <> 'voided'"
    " WHERE f.state = 'success' AND f.created_at >= ?1 AND f.created_at < ?2", error);
  if (refunds == NULL)
    return FALSE;
  sqlite3_bind_int64 (refunds, 1, from);
  sqlite3_bind_int64 (refunds, 2, to);
  if (sqlite3_step (refunds) != SQLITE_ROW)
    goto failed;
  out->cash_refunds_fen = sqlite3_column_int64 (refunds, 0);
  out->cash_rounding_fen -= sqlite3_column_int64 (refunds, 1);

  /* Returns without a receipt: cash handed back, each with its rounding. */
  {
    gint64 returns_rounding = 0;

    if (!till_store_returns_cash_locked (self, date, &out->cash_returns_fen, &returns_rounding,
                                         error))
      return FALSE;
    out->cash_rounding_fen -= returns_rounding;
  }

  /* The cash received minus the cash handed back, by the rows' amounts and roundings. */
  out->expected_fen = out->float_fen + out->cash_sales_fen - out->cash_refunds_fen
                      - out->cash_returns_fen + out->cash_rounding_fen + out->cash_in_fen
                      - out->cash_out_fen;
  out->expected_count_fen = out->expected_fen;
  return TRUE;

failed:
  till_store_set_sqlite_error (self, error, _("The cash of the day could not be counted"));
  return FALSE;
}

static char *
close_json (const TillReport      *report,
            const TillCashSummary *cash,
            const guint           *counts,
            gint64                 counted,
            const char            *z_text)
{
  g_autofree char *report_json = till_report_to_json (report);
  GString *out = g_string_new ("{\"report\":");

  g_string_append (out, report_json);
  g_string_append_printf (out, ",\"cash\":{\"float_fen\":%" G_GINT64_FORMAT
                          ",\"cash_sales_fen\":%" G_GINT64_FORMAT
                          ",\"cash_refunds_fen\":%" G_GINT64_FORMAT
                          ",\"cash_in_fen\":%" G_GINT64_FORMAT
                          ",\"cash_out_fen\":%" G_GINT64_FORMAT
                          ",\"cash_returns_fen\":%" G_GINT64_FORMAT
                          ",\"cash_rounding_fen\":%" G_GINT64_FORMAT
                          ",\"expected_fen\":%" G_GINT64_FORMAT
                          ",\"expected_count_fen\":%" G_GINT64_FORMAT
                          ",\"counted_fen\":%" G_GINT64_FORMAT
                          ",\"difference_fen\":%" G_GINT64_FORMAT "},\"counts\":[",
                          cash->float_fen, cash->cash_sales_fen, cash->cash_refunds_fen,
                          cash->cash_in_fen, cash->cash_out_fen, cash->cash_returns_fen,
                          cash->cash_rounding_fen,
                          cash->expected_fen, cash->expected_count_fen, counted,
                          counted - cash->expected_count_fen);
  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    g_string_append_printf (out, "%s{\"denomination_fen\":%" G_GINT64_FORMAT ",\"count\":%u}",
                            i ? "," : "", till_denominations_fen[i], counts[i]);
  g_string_append (out, "],\"z_text\":");
  till_store_json_append_string (out, z_text);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

TillDayClose *
till_store_day_close (TillStore    *self,
                      const char   *date,
                      const guint   counts[TILL_N_DENOMINATIONS],
                      const char   *closed_by,
                      GError      **error)
{
  return till_store_day_close_rounded (self, date, counts, TILL_CASH_ROUNDING_NONE, closed_by,
                                       error);
}

TillDayClose *
till_store_day_close_rounded (TillStore         *self,
                              const char        *date,
                              const guint        counts[TILL_N_DENOMINATIONS],
                              TillCashRounding   rounding,
                              const char        *closed_by,
                              GError           **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillReport) report = NULL;
  g_autoptr(TillCachedStmt) unresolved = NULL;
  g_autoptr(TillCachedStmt) insert = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autofree char *today = NULL;
  g_autofree char *detail = NULL;
  TillCashSummary cash;
  gint64 counted = 0, from, to, now = till_store_now_us ();
  gboolean closed = FALSE;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (counts != NULL, NULL);
  g_return_val_if_fail (closed_by != NULL, NULL);

  if (!till_report_parse_day (date, &from, &to, error))
    return NULL;
  today = till_report_local_date (now);
  if (g_strcmp0 (date, today) > 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("The day %s has not begun yet"), date);
      return NULL;
    }
  for (guint i = 0; i < TILL_N_DENOMINATIONS; i++)
    counted += (gint64) counts[i] * till_denominations_fen[i];

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;
  if (!till_store_day_is_closed (self, date, &closed, error))
    goto fail;
  if (closed)
    {
      set_closed_error (error, date);
      goto fail;
    }

  /* A payment whose outcome is unknown would change the day's figures. */
  unresolved = till_store_prepare_cached (self,
    "SELECT count(*) FROM payment WHERE state IN ('submitting', 'user_paying', 'in_doubt',"
    " 'reversing') AND created_at < ?1", error);
  if (unresolved == NULL)
    goto fail;
  sqlite3_bind_int64 (unresolved, 1, to);
  if (sqlite3_step (unresolved) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The day could not be closed"));
      goto fail;
    }
  if (sqlite3_column_int64 (unresolved, 0) > 0)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("A payment is still being checked with the provider. Wait until it "
                     "is resolved, then close the day."));
      goto fail;
    }
  g_clear_pointer (&unresolved, till_cached_stmt_release);

  /* A cart with goods would be stranded: nothing can be paid or voided on a closed day. */
  {
    g_autoptr(TillCachedStmt) open_sale = till_store_prepare_cached (self,
      "SELECT s.number, s.state = 'suspended' FROM sale s"
      " WHERE (s.state = 'open' AND s.opened_at < ?1"
      "        AND EXISTS (SELECT 1 FROM sale_line l WHERE l.sale_id = s.id))"
      "    OR s.state = 'suspended'"
      " ORDER BY s.state = 'suspended', s.opened_at LIMIT 1", error);
    int rc;

    if (open_sale == NULL)
      goto fail;
    sqlite3_bind_int64 (open_sale, 1, to);
    rc = sqlite3_step (open_sale);
    if (rc == SQLITE_ROW && sqlite3_column_int (open_sale, 1))
      {
        /* A suspended sale, whatever its day: it would be stranded too. */
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                     _("Sale %s is suspended: resume it (Ctrl+Shift+H) and take its payment, "
                       "or void it, then close the day."),
                     (const char *) sqlite3_column_text (open_sale, 0));
        goto fail;
      }
    if (rc == SQLITE_ROW)
      {
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                     _("Sale %s still has goods in the cart: take its payment or void it, "
                       "then close the day."),
                     (const char *) sqlite3_column_text (open_sale, 0));
        goto fail;
      }
    if (rc != SQLITE_DONE)
      {
        till_store_set_sqlite_error (self, error, _("The day could not be closed"));
        goto fail;
      }
  }

  report = till_store_report_day (self, date, error);
  if (report == NULL || !till_store_cash_summary (self, date, &cash, error))
    goto fail;
  till_cash_summary_set_rounding (&cash, rounding);

  close = g_new0 (TillDayClose, 1);
  close->date = g_strdup (date);
  close->closed_at = now;
  close->closed_by = g_strdup (closed_by);
  close->counted_fen = counted;
  close->expected_fen = cash.expected_fen;
  close->difference_fen = counted - cash.expected_count_fen;
  close->z_text = till_report_z_text (report, &cash, counts, counted, closed_by);
  /* Stored value (issue 16) from its ledger, beside cash and codes: only on a day that has
   * some, so a till without members prints the Z it always did. */
  {
    g_autoptr(TillMemberReport) members = till_store_member_report_day (self, date, error);
    const TillMemberReportDay *day;

    if (members == NULL)
      goto fail;
    day = g_ptr_array_index (members->days, 0);
    if (till_member_report_day_has_stored_value (day))
      {
        GString *z = g_string_new (close->z_text);

        till_member_report_append_z_text (day, z);
        g_free (close->z_text);
        close->z_text = g_string_free (z, FALSE);
      }
  }
  /* The day's shifts and their over/short (issue 18), on a day that has some. */
  {
    g_autoptr(GPtrArray) shifts = till_store_shifts_of_day (self, date, error);
    GString *z;

    if (shifts == NULL)
      goto fail;
    z = g_string_new (close->z_text);
    till_shift_append_z_text (z, shifts);
    g_free (close->z_text);
    close->z_text = g_string_free (z, FALSE);
  }
  close->report_json = close_json (report, &cash, counts, counted, close->z_text);

  insert = till_store_prepare_cached (self,
    "INSERT INTO day_close (date, closed_at, counted_cash_fen, expected_cash_fen,"
    "  report_json, difference_fen, closed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_text (insert, 1, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 2, now);
  sqlite3_bind_int64 (insert, 3, counted);
  sqlite3_bind_int64 (insert, 4, cash.expected_fen);
  sqlite3_bind_text (insert, 5, close->report_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 6, close->difference_fen);
  sqlite3_bind_text (insert, 7, closed_by, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The day could not be closed"));
      goto fail;
    }
  detail = g_strdup_printf ("{\"date\":\"%s\",\"counted_fen\":%" G_GINT64_FORMAT
                            ",\"expected_fen\":%" G_GINT64_FORMAT ",\"difference_fen\":%"
                            G_GINT64_FORMAT ",\"rounding\":\"%s\"}", date, counted,
                            cash.expected_fen, close->difference_fen,
                            till_cash_rounding_to_string (rounding));
  if (!till_store_audit_locked (self, closed_by, "day_close", detail, error))
    goto fail;
  if (!till_store_commit (self, error))
    return NULL;
  g_message ("Day %s closed by %s: counted %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
             date, closed_by, counted, cash.expected_fen);
  return g_steal_pointer (&close);

fail:
  till_store_rollback (self);
  return NULL;
}

/* The z_text member of the stored JSON, written by close_json() above. */
static char *
z_text_from_json (const char *json)
{
  const char *p = json ? strstr (json, ",\"z_text\":\"") : NULL;
  GString *out;

  if (p == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (p += strlen (",\"z_text\":\""); *p && *p != '"'; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          if (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3])
              && g_ascii_isxdigit (p[4]))
            {
              g_string_append_unichar (out, (gunichar) g_ascii_strtoull (p + 1, NULL, 16)
                                            & 0xffff);
              p += 4;
            }
          break;
        case '\0': p--; break;
        default: g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

TillDayClose *
till_store_day_close_load (TillStore   *self,
                           const char  *date,
                           GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(TillCachedStmt) stmt = NULL;
  TillDayClose *close;
  int rc;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  locker = till_store_locker_new (self);
  stmt = till_store_prepare_cached (self,
    "SELECT closed_at, coalesce (closed_by, ''), counted_cash_fen, expected_cash_fen,"
    "  coalesce (difference_fen, counted_cash_fen - expected_cash_fen), report_json"
    " FROM day_close WHERE date = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                     _("The day %s has not been closed"), date);
      else
        till_store_set_sqlite_error (self, error, _("The day close could not be read"));
      return NULL;
    }
  close = g_new0 (TillDayClose, 1);
  close->date = g_strdup (date);
  close->closed_at = sqlite3_column_int64 (stmt, 0);
  close->closed_by = till_stmt_dup_text (stmt, 1);
  close->counted_fen = sqlite3_column_int64 (stmt, 2);
  close->expected_fen = sqlite3_column_int64 (stmt, 3);
  close->difference_fen = sqlite3_column_int64 (stmt, 4);
  close->report_json = till_stmt_dup_text (stmt, 5);
  close->z_text = z_text_from_json (close->report_json);
  return close;
}
