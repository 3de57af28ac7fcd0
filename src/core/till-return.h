/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A return without a receipt: goods brought back with no sale to link them to, approved
 * by a manager and paid back in cash. Its lines keep the catalog price of the day (the
 * list price) and the price given back, which the manager may lower but never raise above
 * the list price; the total is the sum of the lines, to the fen, and the cash handed back
 * is that total rounded by the till's cash rule (cash = amount + rounding, as for a cash
 * refund). Plain data and its rules; the store records it (till-store-returns.h). */
#pragma once

#include <glib.h>

#include "till-money.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    product_id;
  char     *barcode;          /* may be NULL */
  char     *name;
  char     *unit;             /* may be NULL */
  gboolean  weighed;          /* qty_milli is a weight in grams */
  gint64    qty_milli;        /* > 0 */
  gint64    list_price_fen;   /* the product's price when it was returned */
  gint64    unit_price_fen;   /* what is given back per unit: 0 ≤ price ≤ list price */
  gint64    line_total_fen;   /* qty × price, rounded half away from zero */
} TillReturnLine;

typedef struct
{
  gint64     id;              /* 0 until stored */
  char      *number;          /* "R20261121-0001", NULL until stored */
  gint64     at;              /* unix µs, 0 until stored */
  char      *till_id;
  char      *cashier;
  char      *manager;         /* who approved it */
  char      *reason;
  gint64     amount_fen;      /* the sum of the lines */
  gint64     rounding_fen;    /* cash handed back = amount_fen + rounding_fen */
  GPtrArray *lines;           /* TillReturnLine* */
} TillReturn;

TillReturn *till_return_new  (void);
void        till_return_free (TillReturn *ret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillReturn, till_return_free)

/* Adds a line at the list price: qty_milli > 0 and a line total that fits (else FALSE +
 * TILL_CORE_ERROR_INVALID_ARGUMENT). Returns the line's index. */
gboolean    till_return_add_line      (TillReturn  *ret,
                                       gint64       product_id,
                                       const char  *barcode,
                                       const char  *name,
                                       const char  *unit,
                                       gboolean     weighed,
                                       gint64       qty_milli,
                                       gint64       list_price_fen,
                                       guint       *out_index,
                                       GError     **error);
/* The quantity of line `index` (> 0); the total follows. */
gboolean    till_return_set_qty       (TillReturn  *ret,
                                       guint        index,
                                       gint64       qty_milli,
                                       GError     **error);
/* The price given back for line `index`: refused above the list price or below 0
 * (TILL_CORE_ERROR_INVALID_ARGUMENT, a message for the person). */
gboolean    till_return_set_price     (TillReturn  *ret,
                                       guint        index,
                                       gint64       unit_price_fen,
                                       GError     **error);
void        till_return_remove_line   (TillReturn  *ret,
                                       guint        index);
/* Checks every line against its list price and recomputes each line total and the amount;
 * FALSE + error when a line breaks a rule or there is nothing to give back. */
gboolean    till_return_check         (TillReturn  *ret,
                                       GError     **error);
/* The cash handed back for the amount by `rule`, and so the rounding (cash − amount). */
gint64      till_return_cash_for      (gint64            amount_fen,
                                       TillCashRounding  rule);
/* amount + rounding */
gint64      till_return_get_cash_fen  (const TillReturn *ret);
/* A deep copy. */
TillReturn *till_return_copy          (const TillReturn *ret);

/* The short list of reasons, English msgids (translated with _() where shown); the last
 * is "Other", which needs words of its own. NULL-terminated. */
const char *const *till_return_reasons (void);

G_END_DECLS
