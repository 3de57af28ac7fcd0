/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ESC/POS receipts for thermal printers: a byte builder (init, Chinese mode with GB18030
 * text, alignment, double size, QR code, cut, cash-drawer kick), the sale receipt laid
 * out for 58 mm (32 columns) or 80 mm (48 columns) paper with CJK-aware widths, and the
 * printer outputs: a file, a device path (/dev/usb/lp0) or a network printer host:9100. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TILL_ESCPOS_COLUMNS_58MM 32
#define TILL_ESCPOS_COLUMNS_80MM 48

typedef struct _TillEscpos TillEscpos;

TillEscpos *till_escpos_new          (void);
void        till_escpos_free         (TillEscpos *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TillEscpos, till_escpos_free)

void        till_escpos_init         (TillEscpos *self);   /* ESC @, then FS & */
void        till_escpos_align        (TillEscpos *self, guint align);   /* 0 left, 1 centre, 2 right */
void        till_escpos_double_size  (TillEscpos *self, gboolean on);   /* GS ! */
void        till_escpos_bold         (TillEscpos *self, gboolean on);   /* ESC E */
/* UTF-8 text, converted to GB18030; FALSE + error for text GB18030 cannot hold. */
gboolean    till_escpos_text         (TillEscpos *self, const char *utf8, GError **error);
gboolean    till_escpos_line         (TillEscpos *self, const char *utf8, GError **error);
void        till_escpos_feed         (TillEscpos *self, guint lines);
/* QR model 2, module size 1–16, error correction M: GS ( k store + print. */
gboolean    till_escpos_qr           (TillEscpos *self, const char *data, guint module_size,
                                      GError **error);
void        till_escpos_cut          (TillEscpos *self);   /* GS V 66 0: feed and cut */
void        till_escpos_kick_drawer  (TillEscpos *self);   /* ESC p 0 25 250 */
GBytes     *till_escpos_free_to_bytes (TillEscpos *self);

/* One receipt line. */
typedef struct
{
  const char *name;
  gint64      qty_milli;
  gint64      unit_price_fen;
  gint64      amount_fen;
  gboolean    weighed;       /* quantity in kg with 3 decimals */
  gint64      original_unit_price_fen; /* before a price override; 0: not overridden */
  const char *discount_text; /* the line's own discount ("10%", "¥1.00"), NULL: none */
  gint64      discount_fen;  /* its amount */
} TillReceiptLine;

typedef struct
{
  const char            *store_name;
  const char            *sale_number;
  gint64                 at_us;          /* unix µs, printed in local time */
  const char            *cashier;        /* may be NULL */
  const TillReceiptLine *lines;
  guint                  n_lines;
  gint64                 total_fen;
  const char            *method;         /* "cash", "wechat_code", ... */
  gint64                 tendered_fen;   /* cash: given; else = total */
  const char            *transaction_id; /* may be NULL; its last 6 characters are printed */
  gint64                 cash_rounding_fen; /* the cash payments' rounding (0: none): cash
                                               received = total + rounding */
  const char            *sale_discount_text; /* "15%", NULL: no whole-sale discount */
  gint64                 sale_discount_fen;
  gint64                 total_rounding_fen; /* 抹零: cut off the total (0: none) */
  gint64                 points_redeemed;    /* a member's points taken off (0: none) */
  gint64                 points_fen;         /* ... and what they took off */
  gint64                 saved_fen;          /* original prices − total (0: nothing saved) */
  /* A member's sale (issue 16); all zero for a sale without a member. */
  const char            *member_name;         /* NULL: no member */
  const char            *member_phone_masked; /* "138****8000" (never the whole number) or NULL */
  gint64                 stored_value_fen;    /* paid from the card by this sale (0: none);
                                                 with another method, the method's line
                                                 is the rest */
  gint64                 topup_fen;           /* a top-up: money put on the card (0: not one);
                                                 its lines are not listed */
  gint64                 topup_bonus_fen;     /* a top-up's bonus */
  gboolean               show_balance;        /* print the card's balance after the sale */
  gint64                 balance_fen;         /* paid + bonus money on the card after it */
  gint64                 points_earned;       /* points the sale earned (0: none printed) */
} TillReceipt;

/* The discounts of a receipt, as (left, right) pairs of text, NULL-terminated: under a
 * line (its price before an override, its discount), and before the total (the sale's
 * discount, 抹零). The lines' amounts less these are the total. Free with g_strfreev(). */
char  **till_receipt_line_extras (const TillReceiptLine *line);
char  **till_receipt_sale_extras (const TillReceipt     *receipt);
/* A member's sale: "Member 张伟 138****8000" (the masked phone only), NULL without a
 * member. Its part paid from the card when another method paid the rest (printed as its
 * own line before the rest's method line; 0: none). Then its lines after the payment, as
 * (left, right) pairs, NULL-terminated: a top-up and its bonus, the card's balance after
 * the sale, the points earned (till-receipt-member.c). */
char   *till_receipt_member_line   (const TillReceipt     *receipt);
gint64  till_receipt_card_part     (const TillReceipt     *receipt);
char  **till_receipt_member_extras (const TillReceipt     *receipt);

/* The bytes of a receipt for `columns` (32 or 48) columns: header, lines (with their
 * discounts and overrides), the sale's discount and 抹零, total, "You saved", the cash
 * rounding and the cash received when cash was rounded ("抹零 -0.01", "收取现金 30.00"),
 * method, change (tendered - cash received), the end of the transaction id, a QR code of
 * "TILLPOINT-SALE-<number>", the cut, and for cash a drawer kick. */
GBytes *till_escpos_receipt (const TillReceipt *receipt,
                             guint              columns,
                             GError           **error);

/* Sends bytes to a printer: "host:port" (TCP, e.g. "192.168.1.50:9100"; port 9100 when
 * omitted for a "tcp://host" form), or a path (a device such as /dev/usb/lp0, or a file,
 * which is created or replaced). Gives up after `timeout_s` seconds. */
void     till_printer_send_async  (const char          *target,
                                   GBytes              *bytes,
                                   guint                timeout_s,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean till_printer_send_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
