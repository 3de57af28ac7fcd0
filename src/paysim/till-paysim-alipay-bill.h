/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Alipay trade bill (alipay.md §5.7): the ZIP `<account>_<yyyyMMdd>.csv.zip`
 * (<account> = the pid + "0156") with the 业务明细 and 业务明细(汇总) files, entry names and
 * contents in GBK (names without the UTF-8 flag), CRLF lines, identifier cells guarded with
 * a TAB, amounts in yuan from integer fen. Rows by 完成时间 in GMT+8: a 交易 row for every
 * trade paid that day, a 退款 row for every refund of that day (negative amounts, the
 * request number; a cancel that refunded a paid trade has none). */
#pragma once

#include <glib.h>

#include "till-paysim-alipay-ledger.h"

G_BEGIN_DECLS

/* The bill of the GMT+8 day starting at day_start_ms from `trades` (TillPaysimAliTrade)
 * and `refunds` (TillPaysimAliRefund), exported at now_ms; *out_rows = the detail rows
 * (0: no activity that day). *out_name = the ZIP's file name. */
GBytes *till_paysim_alipay_bill_build (const char *pid,
                                       gint64      day_start_ms,
                                       gint64      now_ms,
                                       GPtrArray  *trades,
                                       GPtrArray  *refunds,
                                       guint      *out_rows,
                                       char      **out_name,
                                       GError    **error);

/* A ZIP of (name, content) pairs, deflated; names are written as given (bytes) without
 * the UTF-8 flag. For the bill, and for tests. */
GBytes *till_paysim_zip_build         (const char *const *names,
                                       GBytes    *const *contents,
                                       guint              n,
                                       gint64             mtime_ms,
                                       GError           **error);

G_END_DECLS
