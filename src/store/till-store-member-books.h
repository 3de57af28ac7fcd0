/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the members window reads and writes beyond till-store-members.h and
 * till-store-stored-value.h (issue 16): a member's points ledger, and the members export
 * (CSV, the full phone numbers: a manager's, audit "export:members"). Logs name counts and
 * files, never a phone number. */
#pragma once

#include "till-store.h"

G_BEGIN_DECLS

/* One row of a member's points ledger. */
typedef struct
{
  gint64 id;
  char *kind; /* "earn", "reverse", "redeem", "release", "return", "adjust" */
  gint64 points;
  char *reference; /* a sale number, or "audit:<id>" */
  char *who;
  char *reason;
  gint64 at;
} TillPointsMove;

void
till_points_move_free (TillPointsMove *move);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillPointsMove, till_points_move_free)

/* A member's points moves, newest first, at most `limit` (array of TillPointsMove*). */
GPtrArray *
till_store_points_moves (TillStore *self, gint64 member_id, guint limit, GError **error);

/* Writes every member (active or not) to `path` as CSV in UTF-8 with a BOM and CRLF line
 * ends: code, name, phone (the full 11 digits), birthday, level, note, active, paid, bonus,
 * stored value, points, created. Then an audit row "export:members" by `manager` with the
 * count (written before the file). *n_exported (may be NULL) gets the number of members. */
gboolean
till_store_export_members_csv (TillStore *self, const char *path, const char *manager,
                               guint *n_exported, GError **error);

G_END_DECLS
