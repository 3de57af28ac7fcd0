/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sales: snapshots, numbering, saving the open sale on every change, loading, and the
 * audit log. Cash completion and voids are in till-store-sales-close.c. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <inttypes.h>

#include "till-phone.h"
#include "till-store-private.h"
#include "till-store-payments.h"

/* The sequence of till_store_next_sale_number(). */
#define DEFAULT_SEQUENCE ""

/* ---------------------------------------------------------------- snapshots */

TillSaleSnapshot *
till_sale_snapshot_new (TillSale   *sale,
                        const char *cashier,
                        const char *till_id)
{
  TillSaleSnapshot *snapshot = g_new0 (TillSaleSnapshot, 1);
  guint n_lines = g_list_model_get_n_items (G_LIST_MODEL (sale));

  snapshot->id = till_sale_get_id (sale);
  snapshot->number = g_strdup (till_sale_get_number (sale));
  snapshot->state = till_sale_get_state (sale);
  snapshot->opened_at = till_sale_get_opened_at (sale);
  snapshot->total_fen = till_sale_get_total_fen (sale);
  snapshot->cashier = g_strdup (cashier);
  snapshot->till_id = g_strdup (till_id);
  snapshot->lines = g_array_sized_new (FALSE, TRUE, sizeof (TillLineSnapshot), n_lines);
  snapshot->discount_kind = till_sale_get_discount_kind (sale);
  snapshot->discount_value = till_sale_get_discount_value (sale);
  snapshot->discount_fen = till_sale_get_discount_fen (sale);
  snapshot->total_rounding = till_sale_get_total_rounding (sale);
  snapshot->rounding_fen = till_sale_get_rounding_fen (sale);
  snapshot->kind = till_sale_get_kind (sale);
  snapshot->member_id = till_sale_get_member_id (sale);
  snapshot->topup_bonus_fen = till_sale_get_topup_bonus_fen (sale);
  snapshot->points_redeemed = till_sale_get_points_redeemed (sale);
  snapshot->points_fen = till_sale_get_points_fen (sale);
  snapshot->points_per_yuan = till_sale_get_points_per_yuan (sale);
  snapshot->points_max_percent = till_sale_get_points_max_percent (sale);

  for (guint i = 0; i < n_lines; i++)
    {
      TillSaleLine *line = till_sale_get_line (sale, i);
      TillLineSnapshot snap = {
        .product_id = till_sale_line_get_product_id (line),
        .barcode = g_strdup (till_sale_line_get_barcode (line)),
        .name = g_strdup (till_sale_line_get_name (line)),
        .unit = g_strdup (till_sale_line_get_unit (line)),
        .qty_milli = till_sale_line_get_qty_milli (line),
        .unit_price_fen = till_sale_line_get_unit_price_fen (line),
        .line_total_fen = till_sale_line_get_line_total_fen (line),
        .weighed = till_sale_line_get_weighed (line),
        .fixed_total = till_sale_line_get_fixed_total (line),
        .original_price_fen = till_sale_line_get_original_unit_price_fen (line),
        .discount_kind = till_sale_line_get_discount_kind (line),
        .discount_value = till_sale_line_get_discount_value (line),
        .discount_fen = till_sale_line_get_discount_fen (line),
        .sale_discount_fen = till_sale_line_get_sale_discount_fen (line),
        .final_fen = till_sale_line_get_final_fen (line),
      };

      g_array_append_val (snapshot->lines, snap);
    }
  return snapshot;
}

void
till_sale_snapshot_free (TillSaleSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  for (guint i = 0; i < snapshot->lines->len; i++)
    {
      TillLineSnapshot *line = &g_array_index (snapshot->lines, TillLineSnapshot, i);

      g_free (line->barcode);
      g_free (line->name);
      g_free (line->unit);
    }
  g_array_unref (snapshot->lines);
  g_free (snapshot->number);
  g_free (snapshot->cashier);
  g_free (snapshot->till_id);
  g_free (snapshot);
}

/* ---------------------------------------------------------------- numbering */

char *
till_store_next_sale_number_for_till (TillStore   *self,
                                      const char  *till_id,
                                      gint64       now_us,
                                      GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;
  char *number = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  local = g_date_time_new_from_unix_local (now_us >= 0 ? now_us / G_USEC_PER_SEC
                                                       : (now_us - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC);
  if (local == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("The clock of this till is wrong; no sale number can be made"));
      return NULL;
    }
  day = g_date_time_format (local, "%Y%m%d");

  locker = till_store_locker_new (self);
  if (!till_store_begin (self, error))
    return NULL;

  /* Skips numbers already taken (a sequence row lost with a restored backup, two tills
   * on one database): a number is never given twice. */
  for (guint attempt = 0; attempt < 100000 && number == NULL; attempt++)
    {
      g_autoptr(TillCachedStmt) next = NULL;
      g_autoptr(TillCachedStmt) taken = NULL;
      g_autofree char *candidate = NULL;
      gint64 seq;
      int rc;

      next = till_store_prepare_cached (self,
        "INSERT INTO sale_seq (till_id, day, last) VALUES (?1, ?2, 1)"
        " ON CONFLICT (till_id, day) DO UPDATE SET last = last + 1"
        " RETURNING last", error);
      if (next == NULL)
        goto fail;
      sqlite3_bind_text (next, 1, till_id ? till_id : DEFAULT_SEQUENCE, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (next, 2, day, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (next) != SQLITE_ROW)
        {
          till_store_set_sqlite_error (self, error, _("No sale number could be made"));
          goto fail;
        }
      seq = sqlite3_column_int64 (next, 0);
      while (sqlite3_step (next) == SQLITE_ROW)
        ;
      candidate = g_strdup_printf ("%s-%04" G_GINT64_FORMAT, day, seq);

      taken = till_store_prepare_cached (self, "SELECT 1 FROM sale WHERE number = ?1", error);
      if (taken == NULL)
        goto fail;
      sqlite3_bind_text (taken, 1, candidate, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (taken);
      if (rc == SQLITE_DONE)
        number = g_steal_pointer (&candidate);
      else if (rc != SQLITE_ROW)
        {
          till_store_set_sqlite_error (self, error, _("No sale number could be made"));
          goto fail;
        }
      else
        g_message ("Sale number %s is taken already; skipping it", candidate);
    }

  if (number == NULL)
    {
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                   _("No free sale number is left for today"));
      goto fail;
    }
  if (!till_store_commit (self, error))
    {
      g_free (number);
      return NULL;
    }
  return number;

fail:
  g_free (number);
  till_store_rollback (self);
  return NULL;
}

char *
till_store_next_sale_number (TillStore   *self,
                             gint64       now_us,
                             GError     **error)
{
  return till_store_next_sale_number_for_till (self, NULL, now_us, error);
}

/* ---------------------------------------------------------------- saving */

gboolean
till_store_save_snapshot_locked (TillStore        *self,
                                 TillSaleSnapshot *snapshot,
                                 gint64           *out_id,
                                 GError          **error)
{
  g_autoptr(TillCachedStmt) upsert = NULL;
  g_autoptr(TillCachedStmt) clear = NULL;
  gint64 now = till_store_now_us ();
  gint64 sale_id, lines_total = 0;
  int rc;

  upsert = till_store_prepare_cached (self,
    "INSERT INTO sale (number, opened_at, closed_at, state, total_fen, cashier, till_id,"
    "  discount_kind, discount_value, discount_fen, total_rounding, rounding_fen, kind,"
    "  member_id, topup_bonus_fen, points_redeemed, points_fen, points_per_yuan,"
    "  points_max_percent)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce (?7, ''), ?8, ?9, ?10, ?11, ?12, ?13,"
    "  NULLIF (?14, 0), ?15, ?16, ?17, ?18, ?19)"
    " ON CONFLICT (number) DO UPDATE SET closed_at = excluded.closed_at,"
    "  state = excluded.state, total_fen = excluded.total_fen,"
    "  discount_kind = excluded.discount_kind, discount_value = excluded.discount_value,"
    "  discount_fen = excluded.discount_fen, total_rounding = excluded.total_rounding,"
    "  rounding_fen = excluded.rounding_fen, kind = excluded.kind,"
    "  member_id = excluded.member_id, topup_bonus_fen = excluded.topup_bonus_fen,"
    "  points_redeemed = excluded.points_redeemed, points_fen = excluded.points_fen,"
    "  points_per_yuan = excluded.points_per_yuan,"
    "  points_max_percent = excluded.points_max_percent,"
    "  cashier = coalesce (?6, sale.cashier), till_id = coalesce (?7, sale.till_id)"
    " WHERE sale.state IN ('open', 'suspended')"
    " RETURNING id", error);
  if (upsert == NULL)
    return FALSE;

  sqlite3_bind_text (upsert, 1, snapshot->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (upsert, 2, snapshot->opened_at > 0 ? snapshot->opened_at : now);
  if (till_sale_snapshot_is_final (snapshot))
    sqlite3_bind_int64 (upsert, 3, now);
  else
    sqlite3_bind_null (upsert, 3);
  sqlite3_bind_text (upsert, 4, till_sale_state_to_string (snapshot->state), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 5, snapshot->total_fen);
  till_stmt_bind_text_or_null (upsert, 6, snapshot->cashier);
  till_stmt_bind_text_or_null (upsert, 7, snapshot->till_id);
  sqlite3_bind_text (upsert, 8, till_discount_kind_to_string (snapshot->discount_kind), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 9, snapshot->discount_value);
  sqlite3_bind_int64 (upsert, 10, snapshot->discount_fen);
  sqlite3_bind_text (upsert, 11, till_total_rounding_to_string (snapshot->total_rounding), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 12, snapshot->rounding_fen);
  sqlite3_bind_text (upsert, 13, till_sale_kind_to_string (snapshot->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 14, snapshot->member_id);
  sqlite3_bind_int64 (upsert, 15, snapshot->topup_bonus_fen);
  sqlite3_bind_int64 (upsert, 16, snapshot->points_redeemed);
  sqlite3_bind_int64 (upsert, 17, snapshot->points_fen);
  sqlite3_bind_int64 (upsert, 18, snapshot->points_per_yuan);
  sqlite3_bind_int64 (upsert, 19, snapshot->points_max_percent);

  rc = sqlite3_step (upsert);
  if (rc == SQLITE_DONE)
    {
      g_message ("Refusing to save sale %s: it is closed already", snapshot->number);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                   _("Sale %s is already closed and can no longer be changed"),
                   snapshot->number);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be saved"));
      return FALSE;
    }
  sale_id = sqlite3_column_int64 (upsert, 0);
  while (sqlite3_step (upsert) == SQLITE_ROW)
    ;

  clear = till_store_prepare_cached (self, "DELETE FROM sale_line WHERE sale_id = ?1", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, sale_id);
  if (sqlite3_step (clear) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be saved"));
      return FALSE;
    }

  for (guint i = 0; i < snapshot->lines->len; i++)
    {
      TillLineSnapshot *line = &g_array_index (snapshot->lines, TillLineSnapshot, i);
      g_autoptr(TillCachedStmt) insert = NULL;

      insert = till_store_prepare_cached (self,
        "INSERT INTO sale_line (sale_id, position, product_id, barcode, name, unit,"
        "  qty_milli, unit_price_fen, line_total_fen, weighed, fixed_total,"
        "  original_price_fen, discount_kind, discount_value, discount_fen, sale_discount_fen,"
        "  final_fen)"
        /* A product deleted since it was scanned must not stop the cart from being
         * saved: the line keeps its copied name and price, without the reference. */
        " VALUES (?1, ?2, (SELECT id FROM product WHERE id = ?3), ?4, ?5, ?6, ?7, ?8, ?9,"
        "  ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, sale_id);
      sqlite3_bind_int (insert, 2, (int) i);
      if (line->product_id > 0)
        sqlite3_bind_int64 (insert, 3, line->product_id);
      else
        sqlite3_bind_null (insert, 3);
      till_stmt_bind_text_or_null (insert, 4, line->barcode);
      sqlite3_bind_text (insert, 5, line->name ? line->name : "", -1, SQLITE_TRANSIENT);
      till_stmt_bind_text_or_null (insert, 6, line->unit);
      sqlite3_bind_int64 (insert, 7, line->qty_milli);
      sqlite3_bind_int64 (insert, 8, line->unit_price_fen);
      sqlite3_bind_int64 (insert, 9, line->line_total_fen);
      sqlite3_bind_int (insert, 10, line->weighed ? 1 : 0);
      sqlite3_bind_int (insert, 11, line->fixed_total ? 1 : 0);
      sqlite3_bind_int64 (insert, 12, line->original_price_fen);
      sqlite3_bind_text (insert, 13, till_discount_kind_to_string (line->discount_kind), -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 14, line->discount_value);
      sqlite3_bind_int64 (insert, 15, line->discount_fen);
      sqlite3_bind_int64 (insert, 16, line->sale_discount_fen);
      sqlite3_bind_int64 (insert, 17, line->final_fen);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          till_store_set_sqlite_error (self, error, _("A line of the sale could not be saved"));
          return FALSE;
        }
      lines_total += line->final_fen;
    }

  if (lines_total != snapshot->total_fen)
    g_message ("Sale %s: total %" G_GINT64_FORMAT " differs from its lines' final amounts' %"
               G_GINT64_FORMAT,
               snapshot->number, snapshot->total_fen, lines_total);

  if (out_id != NULL)
    *out_id = sale_id;
  return TRUE;
}

gboolean
till_store_save_snapshot (TillStore        *self,
                          TillSaleSnapshot *snapshot,
                          gint64           *out_id,
                          GError          **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);

  if (!till_store_begin (self, error))
    return FALSE;
  if (!till_store_save_snapshot_locked (self, snapshot, out_id, error))
    {
      till_store_rollback (self);
      return FALSE;
    }
  return till_store_commit (self, error);
}

gboolean
till_store_save_sale (TillStore   *self,
                      TillSale    *sale,
                      const char  *cashier,
                      const char  *till_id,
                      GError     **error)
{
  g_autoptr(TillSaleSnapshot) snapshot = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (TILL_IS_SALE (sale), FALSE);
  g_return_val_if_fail (till_sale_get_number (sale) != NULL, FALSE);

  snapshot = till_sale_snapshot_new (sale, cashier, till_id);
  if (!till_store_save_snapshot (self, snapshot, &id, error))
    return FALSE;
  if (till_sale_get_id (sale) != id)
    till_sale_set_id (sale, id);
  return TRUE;
}

/* ---------------------------------------------------------------- loading */

/* The sale's kind, member (phone masked: the full number never leaves the members'
 * screens) and top-up bonus. */
static gboolean
load_sale_member_locked (TillStore  *self,
                         TillSale   *sale,
                         GError    **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;
  TillSaleKind kind = TILL_SALE_KIND_GOODS;

  stmt = till_store_prepare_cached (self,
    "SELECT s.kind, s.topup_bonus_fen, m.id, m.code, m.name, m.phone, m.level_id, l.name,"
    "  s.points_redeemed, s.points_per_yuan, s.points_max_percent"
    "  FROM sale s LEFT JOIN member m ON m.id = s.member_id"
    "  LEFT JOIN member_level l ON l.id = m.level_id WHERE s.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, till_sale_get_id (sale));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be read"));
      return FALSE;
    }
  if (!till_sale_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &kind))
    {
      g_warning ("Sale %" G_GINT64_FORMAT " has an unknown kind", till_sale_get_id (sale));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("Sale %s is damaged in the database"), till_sale_get_number (sale));
      return FALSE;
    }
  till_sale_set_kind (sale, kind);
  till_sale_set_topup_bonus_fen (sale, MAX (sqlite3_column_int64 (stmt, 1), 0));
  if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
    {
      g_autofree char *masked = NULL;
      g_autoptr(TillSaleMember) member = NULL;

      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        masked = till_phone_mask ((const char *) sqlite3_column_text (stmt, 5));
      member = till_sale_member_new (sqlite3_column_int64 (stmt, 2),
                                     (const char *) sqlite3_column_text (stmt, 3),
                                     (const char *) sqlite3_column_text (stmt, 4), masked,
                                     sqlite3_column_int64 (stmt, 6),
                                     (const char *) sqlite3_column_text (stmt, 7));
      till_sale_set_member (sale, member);
    }
  /* after the lines and the member: the points' cap is taken from what the lines come to */
  if (sqlite3_column_int64 (stmt, 8) > 0
      && !till_sale_set_points (sale, sqlite3_column_int64 (stmt, 8),
                                sqlite3_column_int64 (stmt, 9), sqlite3_column_int64 (stmt, 10),
                                NULL))
    {
      g_warning ("Sale %" G_GINT64_FORMAT " has points it cannot redeem", till_sale_get_id (sale));
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("Sale %s is damaged in the database"), till_sale_get_number (sale));
      return FALSE;
    }
  return TRUE;
}

static TillSale *
load_sale_where (TillStore   *self,
                 const char  *sql,
                 gboolean     by_id,
                 gint64       id,
                 const char  *text,
                 gboolean     missing_is_error,
                 GError     **error)
{
  g_autoptr(TillStoreLocker) locker = till_store_locker_new (self);
  g_autoptr(TillCachedStmt) head = NULL;
  g_autoptr(TillCachedStmt) lines = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *state_text = NULL;
  TillSaleState state = TILL_SALE_STATE_OPEN;
  TillDiscountKind discount_kind = TILL_DISCOUNT_NONE;
  TillTotalRounding rounding = TILL_TOTAL_ROUNDING_NONE;
  g_autoptr(GArray) stored_finals = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 sale_id, stored_total;
  int rc;

  head = till_store_prepare_cached (self, sql, error);
  if (head == NULL)
    return NULL;
  if (by_id)
    sqlite3_bind_int64 (head, 1, id);
  else
    sqlite3_bind_text (head, 1, text, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (head);
  if (rc == SQLITE_DONE)
    {
      if (missing_is_error)
        {
          if (by_id)
            g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                         _("There is no sale %" PRId64), id);
          else
            g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND,
                         _("There is no sale %s"), text);
        }
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be read"));
      return NULL;
    }

  /* id, number, opened_at, state, total_fen, discount_kind, discount_value, total_rounding */
  sale_id = sqlite3_column_int64 (head, 0);
  sale = till_sale_new ((const char *) sqlite3_column_text (head, 1));
  till_sale_set_id (sale, sale_id);
  till_sale_set_opened_at (sale, sqlite3_column_int64 (head, 2));
  state_text = till_stmt_dup_text (head, 3);
  stored_total = sqlite3_column_int64 (head, 4);
  if (!till_discount_kind_from_string ((const char *) sqlite3_column_text (head, 5),
                                       &discount_kind)
      || !till_total_rounding_from_string ((const char *) sqlite3_column_text (head, 7),
                                           &rounding)
      || !till_sale_set_discount (sale, discount_kind, sqlite3_column_int64 (head, 6), NULL))
    {
      g_warning ("Sale %" G_GINT64_FORMAT " has an unknown discount", sale_id);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("Sale %s is damaged in the database"), till_sale_get_number (sale));
      return NULL;
    }
  till_sale_set_total_rounding (sale, rounding);
  if (!till_sale_state_from_string (state_text, &state))
    {
      g_warning ("Sale %" G_GINT64_FORMAT " has an unknown state %s", sale_id, state_text);
      g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                   _("Sale %s is damaged in the database"), till_sale_get_number (sale));
      return NULL;
    }

  lines = till_store_prepare_cached (self,
    "SELECT product_id, barcode, name, unit, qty_milli, unit_price_fen, line_total_fen,"
    "  weighed, fixed_total, coalesce (original_price_fen, unit_price_fen), discount_kind,"
    "  discount_value, final_fen FROM sale_line WHERE sale_id = ?1 ORDER BY position", error);
  if (lines == NULL)
    return NULL;
  sqlite3_bind_int64 (lines, 1, sale_id);

  while ((rc = sqlite3_step (lines)) == SQLITE_ROW)
    {
      g_autoptr(TillSaleLine) line = NULL;
      g_autoptr(GError) line_error = NULL;
      gint64 product_id = sqlite3_column_int64 (lines, 0);
      const char *barcode = (const char *) sqlite3_column_text (lines, 1);
      const char *name = (const char *) sqlite3_column_text (lines, 2);
      const char *unit = (const char *) sqlite3_column_text (lines, 3);
      gint64 qty = sqlite3_column_int64 (lines, 4);
      gint64 price = sqlite3_column_int64 (lines, 5);
      gint64 line_total = sqlite3_column_int64 (lines, 6);
      gboolean weighed = sqlite3_column_int (lines, 7) != 0;
      gboolean fixed = sqlite3_column_int (lines, 8) != 0;
      gint64 original_price = sqlite3_column_int64 (lines, 9);
      TillDiscountKind kind = TILL_DISCOUNT_NONE;
      gint64 kind_value = sqlite3_column_int64 (lines, 11);
      gint64 stored_final = sqlite3_column_int64 (lines, 12);

      if (fixed)
        line = till_sale_line_new_fixed_total (product_id, barcode, name ? name : "", unit,
                                               price, line_total);
      else
        line = till_sale_line_new (product_id, barcode, name ? name : "", unit, price, qty,
                                   weighed);
      if (!till_discount_kind_from_string ((const char *) sqlite3_column_text (lines, 10), &kind)
          || !till_discount_check (kind, kind_value, &line_error))
        {
          g_warning ("Sale %" G_GINT64_FORMAT ": a line has an unknown discount", sale_id);
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                       _("Sale %s is damaged in the database"), till_sale_get_number (sale));
          return NULL;
        }
      till_sale_line_restore_pricing (line, original_price, kind, kind_value);
      if (line == NULL
          || till_sale_add_line (sale, line, &line_error) == G_MAXUINT)
        {
          g_warning ("Sale %" G_GINT64_FORMAT ": a line cannot be rebuilt: %s", sale_id,
                     line_error ? line_error->message : "invalid line");
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_CORRUPT,
                       _("Sale %s is damaged in the database"), till_sale_get_number (sale));
          return NULL;
        }
      if (till_sale_line_get_line_total_fen (line) != line_total)
        g_message ("Sale %" G_GINT64_FORMAT ": stored line total %" G_GINT64_FORMAT
                   " recomputed as %" G_GINT64_FORMAT, sale_id, line_total,
                   till_sale_line_get_line_total_fen (line));
      g_array_append_val (stored_finals, stored_final);
    }
  if (rc != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The sale could not be read"));
      return NULL;
    }

  if (!load_sale_member_locked (self, sale, error))
    return NULL;
  /* a line merged on the way in (two plain lines of the same goods) has no stored twin */
  for (guint i = 0; i < stored_finals->len
                    && stored_finals->len == g_list_model_get_n_items (G_LIST_MODEL (sale)); i++)
    if (till_sale_line_get_final_fen (till_sale_get_line (sale, i))
        != g_array_index (stored_finals, gint64, i))
      g_message ("Sale %" G_GINT64_FORMAT ": line %u stored final amount %" G_GINT64_FORMAT
                 " recomputed as %" G_GINT64_FORMAT, sale_id, i,
                 g_array_index (stored_finals, gint64, i),
                 till_sale_line_get_final_fen (till_sale_get_line (sale, i)));

  if (till_sale_get_total_fen (sale) != stored_total)
    g_message ("Sale %" G_GINT64_FORMAT ": stored total %" G_GINT64_FORMAT
               ", lines add up to %" G_GINT64_FORMAT, sale_id, stored_total,
               till_sale_get_total_fen (sale));
  if (state != TILL_SALE_STATE_OPEN)
    till_sale_set_state (sale, state);
  return g_steal_pointer (&sale);
}

TillSale *
till_store_load_open_sale (TillStore   *self,
                           const char  *till_id,
                           GError     **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (till_id != NULL, NULL);

  return load_sale_where (self,
                          "SELECT id, number, opened_at, state, total_fen, discount_kind, discount_value,"
                          "  total_rounding FROM sale"
                          " WHERE till_id = ?1 AND state = 'open'"
                          " ORDER BY opened_at DESC, id DESC LIMIT 1",
                          FALSE, 0, till_id, FALSE, error);
}

TillSale *
till_store_load_sale (TillStore   *self,
                      gint64       sale_id,
                      GError     **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);

  return load_sale_where (self,
                          "SELECT id, number, opened_at, state, total_fen, discount_kind, discount_value,"
                          "  total_rounding FROM sale"
                          " WHERE id = ?1",
                          TRUE, sale_id, NULL, TRUE, error);
}

TillSale *
till_store_load_sale_by_number (TillStore   *self,
                                const char  *number,
                                GError     **error)
{
  g_return_val_if_fail (TILL_IS_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  return load_sale_where (self,
                          "SELECT id, number, opened_at, state, total_fen, discount_kind, discount_value,"
                          "  total_rounding FROM sale"
                          " WHERE number = ?1",
                          FALSE, 0, number, TRUE, error);
}

/* ---------------------------------------------------------------- audit */

gboolean
till_store_audit_locked (TillStore   *self,
                         const char  *actor,
                         const char  *action,
                         const char  *detail_json,
                         GError     **error)
{
  g_autoptr(TillCachedStmt) stmt = NULL;

  stmt = till_store_prepare_cached (self,
    "INSERT INTO audit (at, actor, action, detail_json) VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, till_store_now_us ());
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  till_stmt_bind_text_or_null (stmt, 4, detail_json);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      till_store_set_sqlite_error (self, error, _("The audit log could not be written"));
      return FALSE;
    }
  return TRUE;
}

gboolean
till_store_audit (TillStore   *self,
                  const char  *actor,
                  const char  *action,
                  const char  *detail_json,
                  GError     **error)
{
  g_autoptr(TillStoreLocker) locker = NULL;

  g_return_val_if_fail (TILL_IS_STORE (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (action != NULL && *action != '\0', FALSE);

  locker = till_store_locker_new (self);
  return till_store_audit_locked (self, actor, action, detail_json, error);
}
