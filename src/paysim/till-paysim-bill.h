/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's trade bill (reference §6.3): the 27-column ALL layout with backtick-
 * prefixed data fields, amounts in yuan from integer fen, and the summary section. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TILL_PAYSIM_BILL_FEE_RATE_PER_MILLE 6  /* 0.60% */

/* Parses "yyyy-MM-dd" (a real calendar date) into the unix ms of that day's 00:00 in
 * Beijing time (UTC+8). */
gboolean till_paysim_bill_parse_date (const char *text,
                                      gint64     *out_start_ms);

/* Today's date "yyyy-MM-dd" in Beijing time for `now_ms`. */
char    *till_paysim_bill_format_date (gint64 now_ms);

/* Builds the bill of the Beijing day starting at day_start_ms from `orders`
 * (TillPaysimOrder) and `refunds` (TillPaysimRefund). bill_type is ALL, SUCCESS or
 * REFUND. Payment rows: orders paid that day (a paid order reversed later shows
 * 交易状态 REVOKED and 应结订单金额 0.00); refund rows: refunds applied for that day.
 * *out_rows = number of data rows (0 means "no statement"). */
GBytes  *till_paysim_bill_build (GPtrArray  *orders,
                                 GPtrArray  *refunds,
                                 gint64      day_start_ms,
                                 const char *bill_type,
                                 guint      *out_rows);

/* gzip of `data` (GZlibCompressor, G_ZLIB_COMPRESSOR_FORMAT_GZIP). */
GBytes  *till_paysim_bill_gzip (GBytes  *data,
                                GError **error);

/* Lower-case hex SHA1 of `data`. */
char    *till_paysim_bill_sha1 (GBytes *data);

G_END_DECLS
