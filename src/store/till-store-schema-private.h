/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The schema's migration steps kept outside till-store-schema.c (the members' steps,
 * till-store-schema-members.c) and what they share with it. Within the store only. */
#pragma once

#include <sqlite3.h>
#include <glib.h>

G_BEGIN_DECLS

/* The payment methods' CHECK as steps 3 to 6 wrote it, as step 7 wrote it, and as step 18
 * writes it. */
#define TILL_STORE_METHOD_CHECK_6 \
  "CHECK (method IN ('cash', 'wechat_code', 'wechat_native', 'alipay_code'))"
#define TILL_STORE_METHOD_CHECK_7 \
  "CHECK (method IN ('cash', 'wechat_code', 'wechat_native', 'alipay_code', 'alipay_qr'))"
#define TILL_STORE_METHOD_CHECK_18 \
  "CHECK (method IN ('cash', 'wechat_code', 'wechat_native', 'alipay_code', 'alipay_qr'," \
  " 'stored_value'))"

gboolean _till_store_migration_fail        (GError    **error,
                                            const char *what);
/* Builds the payment table again with `new_check` for exactly one `old_check` (SQLite
 * changes a CHECK no other way), its rows, indexes and triggers kept. Run with foreign
 * keys off (the step is marked as rebuilding). */
gboolean _till_store_rebuild_payment_check (sqlite3    *db,
                                            const char *old_check,
                                            const char *new_check,
                                            GError    **error);

/* The same for any table of the schema: `changes` holds pairs (old text, new text) ended by
 * NULL, each old text found exactly once in the table's CREATE statement. */
gboolean _till_store_rebuild_table_checks  (sqlite3            *db,
                                            const char         *table,
                                            const char *const  *changes,
                                            GError            **error);

gboolean _till_store_migrate_to_16 (sqlite3 *db, GError **error);
gboolean _till_store_migrate_to_17 (sqlite3 *db, GError **error);
gboolean _till_store_migrate_to_18 (sqlite3 *db, GError **error);
gboolean _till_store_migrate_to_19 (sqlite3 *db, GError **error);
gboolean _till_store_migrate_to_20 (sqlite3 *db, GError **error);
gboolean _till_store_migrate_to_21 (sqlite3 *db, GError **error);

G_END_DECLS
