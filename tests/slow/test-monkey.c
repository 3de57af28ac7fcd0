/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The randomized cashier: thousands of moves a cashier, a customer and the world make
 * around payments in flight — scans (goods, PLUs, weighed goods, scale labels, garbled and
 * unknown codes), products found by search (Ctrl+F: typed, chosen, Enter), quantities,
 * line and sale voids, cash and part cash, WeChat Pay and Alipay payment codes with every
 * ending the simulator knows, the customer-scans QR of either provider (F7: WeChat Pay's
 * Native, Shift+F7: Alipay's precreate) paid, paid after the password, declined or never
 * scanned, cancels, the next sale, the network going and coming back (both gateways), the
 * providers' clock going wrong, restarts of the till as a crash would (services stop
 * mid-flight), quitting, returns without a receipt (goods brought back and cash handed
 * out, approved by a manager), goods received (进货) and stocktakes (盘点) through the
 * receiving and stocktake drafts the windows use, quick keys pressed (pieces, goods by kg,
 * one made inactive now and then) and rearranged, members (a member code scanned, a phone
 * typed, top-ups, payments from the card with right and wrong digits, the member taken
 * off) — on a TillCheckout (no display) with a
 * real SQLite file and the real simulator on 127.0.0.1.
 *
 * After every move the till's books are checked against themselves (a sale never takes
 * more than its total, a paid sale's tenders equal its total, a voided sale gave back what
 * it took, one payment in doubt per sale at most, cash is never refused while no payment's
 * outcome is open, a suspended sale holds no payment, one open sale per till at most; the
 * drawer's expected cash of today and of every closed day is cash in minus cash out
 * counted from the rows, returns without a receipt included; a return is never taken
 * while a payment is in progress; the moves include suspend and resume, 挂单 / 取单); at
 * checkpoints, with the network back and everything settled, against the simulator's
 * ledgers (every charged order is attached to a paid sale — or to an open one it does not
 * cover, a QR paid as the cashier gave up and the cart grew — or was given back; no order
 * still payable; each provider's takings are its ledger's).
 *
 * TILL_MONKEY_SEED (default: from the clock; always printed) and TILL_MONKEY_STEPS (default
 * 3000) come from the environment, so that any run can be replayed (TILL_MONKEY_TRACE set
 * prints every move with the cart's sale, total and amount due on stderr):
 *   TILL_MONKEY_SEED=1234 TILL_MONKEY_STEPS=100000 meson test -C _build monkey --verbose
 */
#define _GNU_SOURCE /* posix_openpt, ptsname_r: the scale on a pseudo-terminal */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "till-barcode.h"
#include "till-clock.h"
#include "till-people.h"
#include "till-report.h"
#include "till-store-cash.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"
#include "till-payment-runtime.h"
#include "till-product-search.h"
#include "till-receiving-draft.h"
#include "till-store-payments.h"
#include "till-store-products.h"
#include "till-store-quickkeys.h"
#include "till-store-returns.h"
#include "till-store-stock.h"
#include "till-store-suspend.h"
#include "till-stocktake-draft.h"
#include "till-scale.h"
#include "till-shift.h"
#include "till-store-hq.h"
#include "till-store-shifts.h"
#include "till-test-app.h"

/* ---- the catalog the moves use (the demo catalog) ---- */

static const char *const goods[] = {
  "6954767002057",   /* 可口可乐 500ml ¥3.50 */
  "6924678006079",   /* 乐事薯片原味 ¥7.50 */
  "6902483101257",   /* 康师傅红烧牛肉面 ¥4.50 */
  "8001",            /* 茶叶蛋 PLU ¥2.00 */
  "2100001005009",   /* 香蕉 scale label 500 g */
};
static const char *const junk[] = {
  "6900000000000",             /* a valid EAN-13 not in the catalog */
  "6954767002058",             /* a wrong check digit */
  "12345678901234567890abc",   /* garbled */
  "6212345678901234567",       /* a UnionPay code */
  "TILLPOINT-SALE-19991231-0001",
};
static const char *const endings[] = {
  "0000", "0000", "0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888",
  "9999",
};

typedef struct
{
  TillTestApp *app;
  GRand       *rand;
  guint        steps;
  guint        step;
  gboolean     network_down;
  gboolean     clock_off;
  gint64       day_offset_s;  /* the next day: the till's and the provider's clocks moved */
  guint        days_closed;
  GHashTable  *moves;         /* move name -> count */
  GHashTable  *move_ms;       /* move name -> wall ms of its steps (move, world, checks) */
  const char  *move_name;     /* the last move counted in this step */
  sqlite3     *db;            /* a read-only connection of the test's own to the till's file */
  gint64       checks_us;     /* wall time of the checks after every move */
  guint        checkpoints;
  guint        restarts;
  guint        returns;       /* returns without a receipt recorded */
  guint        receivings;    /* goods received (进货) */
  guint        stocktakes;    /* stocktakes (盘点) */
  TillPerson  *manager;       /* approved once with a real PIN: discounts and overrides */
  gint64       bread_id;      /* a quick key's product of its own, made inactive at times */
  gint64       member_ids[2]; /* two members (issue 16) with their codes and phones */
  char        *member_codes[2];
  int          scale_master;  /* a counter scale on a pseudo-terminal (issue 18) */
  char        *scale_port;
  gboolean     weigh_on_scale; /* the weighed PLU's weight comes from the scale */
  TillSaleLine *weigh_line;   /* ... for this line */
  guint        scale_weighed; /* lines weighed on the scale */
  guint        scale_refused; /* weights the scale refused (moving, zero, below zero) */
} Monkey;

static void
count_move (Monkey     *m,
            const char *name)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (m->moves, name));

  g_hash_table_replace (m->moves, (gpointer) name, GUINT_TO_POINTER (n + 1));
  m->move_name = name;
  if (g_getenv ("TILL_MONKEY_TRACE") != NULL)
    {
      TillSale *sale = till_checkout_get_sale (m->app->checkout);

      g_printerr ("monkey step %u: %s (sale %" G_GINT64_FORMAT ", total %" G_GINT64_FORMAT
                  ", due %" G_GINT64_FORMAT ")\n", m->step, name,
                  sale != NULL ? till_sale_get_id (sale) : 0,
                  sale != NULL ? till_sale_get_total_fen (sale) : 0,
                  till_checkout_get_due_fen (m->app->checkout));
    }
}

/* ---- the database, read directly ---- */

/* The test's own read-only connection to the till's file, opened once (the file stays the
 * same across the till's restarts): opening one per query read the whole schema each time,
 * which was most of the run's time. Each statement reads the newest committed state. */
static sqlite3 *
monkey_db (Monkey *m)
{
  if (m->db == NULL)
    {
      g_assert_cmpint (sqlite3_open_v2 (m->app->db_path, &m->db, SQLITE_OPEN_READONLY, NULL), ==,
                       SQLITE_OK);
      sqlite3_busy_timeout (m->db, 5000);
    }
  return m->db;
}

static gint64
db_int (Monkey     *m,
        const char *sql)
{
  sqlite3 *db = monkey_db (m);
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The newest sales as the file holds them, for the failure's message. */
static void
dump_sales (Monkey *m)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (monkey_db (m),
                          "SELECT id, number, state, till_id, total_fen, opened_at, closed_at,"
                          " (SELECT count (*) FROM sale_line l WHERE l.sale_id = sale.id),"
                          " (SELECT group_concat (p.id || ':' || p.method || ':' || p.state, ' ')"
                          "  FROM payment p WHERE p.sale_id = sale.id)"
                          " FROM sale ORDER BY id DESC LIMIT 10", -1, &stmt, NULL) != SQLITE_OK)
    return;
  g_printerr ("monkey: the newest sales (id number state till total opened closed lines payments):\n");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_printerr ("  %s %s %s %s %s %s %s %s [%s]\n", sqlite3_column_text (stmt, 0),
                sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                sqlite3_column_text (stmt, 3), sqlite3_column_text (stmt, 4),
                sqlite3_column_text (stmt, 5), sqlite3_column_text (stmt, 6),
                sqlite3_column_text (stmt, 7), sqlite3_column_text (stmt, 8));
  sqlite3_finalize (stmt);
  {
    TillSale *sale = till_checkout_get_sale (m->app->checkout);

    g_printerr ("monkey: the checkout's sale: %" G_GINT64_FORMAT " %s state %d\n",
                sale != NULL ? till_sale_get_id (sale) : 0,
                sale != NULL ? till_sale_get_number (sale) : "(none)",
                sale != NULL ? (int) till_sale_get_state (sale) : -1);
  }
}

static void
fail (Monkey     *m,
      const char *what,
      gint64      count)
{
  dump_sales (m);
  g_error ("monkey: seed %s, step %u: %s (%" G_GINT64_FORMAT ")",
           g_getenv ("TILL_MONKEY_SEED_USED"), m->step, what, count);
}

/* The books agree with themselves (cheap: after every move). */
static void
check_books (Monkey *m)
{
  static const struct
  {
    const char *what;
    const char *sql;
  } rules[] = {
    { "a sale took more than its total",
      "SELECT count (*) FROM sale s WHERE (SELECT coalesce (sum (amount_fen), 0) FROM payment p"
      "  WHERE p.sale_id = s.id AND p.state = 'paid' AND p.unattached = 0) > s.total_fen" },
    { "a paid sale's tenders are not its total",
      "SELECT count (*) FROM sale s WHERE s.state = 'paid' AND (SELECT coalesce (sum (amount_fen),"
      "  0) FROM payment p WHERE p.sale_id = s.id AND p.state = 'paid' AND p.unattached = 0)"
      "  <> s.total_fen" },
    { "a voided sale kept money it took",
      "SELECT count (*) FROM sale s JOIN payment p ON p.sale_id = s.id AND p.state = 'paid'"
      "  AND p.unattached = 0 WHERE s.state = 'voided' AND p.amount_fen > (SELECT coalesce ("
      "  sum (f.amount_fen), 0) FROM refund f WHERE f.payment_id = p.id"
      "  AND f.state NOT IN ('failed', 'closed'))" },
    { "a payment paid too late was not given back",
      "SELECT count (*) FROM payment p WHERE p.unattached = 1 AND p.amount_fen > (SELECT"
      "  coalesce (sum (f.amount_fen), 0) FROM refund f WHERE f.payment_id = p.id"
      "  AND f.state NOT IN ('failed', 'closed'))" },
    { "two payments of one sale in doubt at once",
      "SELECT count (*) FROM (SELECT sale_id FROM payment WHERE state IN ('submitting',"
      "  'user_paying', 'in_doubt') GROUP BY sale_id HAVING count (*) > 1)" },
    { "a cash payment not paid",
      "SELECT count (*) FROM payment WHERE method = 'cash' AND state <> 'paid'" },
    /* 挂单: a suspended sale holds no payment (none paid for it, none under way). */
    { "a suspended sale holds a payment",
      "SELECT count (*) FROM payment p JOIN sale s ON s.id = p.sale_id"
      "  WHERE s.state = 'suspended' AND p.unattached = 0"
      "  AND p.state IN ('paid', 'submitting', 'user_paying', 'in_doubt')" },
    { "two sales open at one till",
      "SELECT count (*) FROM (SELECT till_id FROM sale WHERE state = 'open'"
      "  GROUP BY till_id HAVING count (*) > 1)" },
    { "a sale's lines do not add up to its total",
      "SELECT count (*) FROM sale s WHERE s.total_fen <> (SELECT coalesce (sum (l.final_fen), 0)"
      "  FROM sale_line l WHERE l.sale_id = s.id)" },
    /* Stock (issue 15): every document's moves are there, and each sale's moves are its
     * lines; a sale refunded in full or voided has given back all it took. */
    { "a received line without its stock move",
      "SELECT (SELECT count (*) FROM receiving_line)"
      "  - (SELECT count (*) FROM stock_move WHERE kind = 'receiving')" },
    { "a stocktake's variance not moved",
      "SELECT (SELECT count (*) FROM stocktake_line WHERE variance_milli <> 0)"
      "  - (SELECT count (*) FROM stock_move WHERE kind = 'stocktake')" },
    { "a stocktake's variance is not counted minus expected",
      "SELECT count (*) FROM stocktake_line WHERE variance_milli <> counted_milli - expected_milli" },
    { "a sale's stock move is not its lines",
      "SELECT count (*) FROM stock_move m JOIN sale s ON s.number = m.reference"
      "  WHERE m.kind = 'sale' AND -m.qty_milli <> (SELECT coalesce (sum (l.qty_milli), 0)"
      "  FROM sale_line l WHERE l.sale_id = s.id AND l.product_id = m.product_id)" },
    { "a sale moved stock but is not paid",
      "SELECT count (*) FROM stock_move m JOIN sale s ON s.number = m.reference"
      "  WHERE m.kind = 'sale' AND s.state NOT IN ('paid', 'refunded')" },
    { "a refunded sale kept goods out",
      "SELECT count (*) FROM sale s WHERE s.state = 'refunded' AND (SELECT coalesce ("
      "  sum (qty_milli), 0) FROM stock_move WHERE reference = s.number"
      "  AND kind IN ('sale', 'refund', 'void')) <> 0" },
    /* Members (issue 16): a top-up is credited iff its sale is paid, with its bonus; a
     * payment from a card has its one spend, a refund of one its one give-back. */
    { "a top-up credited without being paid, or paid without its credit",
      "SELECT count (*) FROM sale s WHERE s.kind = 'topup' AND (s.state = 'paid') <> EXISTS"
      "  (SELECT 1 FROM stored_value_move v WHERE v.reference = s.number AND v.kind = 'topup'"
      "   AND v.paid_fen = s.total_fen)" },
    { "a top-up's bonus is not the one it was rung up with",
      "SELECT count (*) FROM sale s WHERE s.kind = 'topup' AND s.state = 'paid'"
      "  AND coalesce ((SELECT sum (bonus_fen) FROM stored_value_move v"
      "   WHERE v.reference = s.number AND v.kind = 'bonus'), 0) <> s.topup_bonus_fen" },
    { "a payment from a card without its spend",
      "SELECT count (*) FROM payment p WHERE p.method = 'stored_value' AND (p.state <> 'paid'"
      "  OR (SELECT count (*) FROM stored_value_move v WHERE v.payment_id = p.id"
      "   AND v.kind = 'spend' AND -(v.paid_fen + v.bonus_fen) = p.amount_fen) <> 1)" },
    { "a spend from a card without its payment",
      "SELECT count (*) FROM stored_value_move v WHERE v.kind = 'spend' AND NOT EXISTS"
      "  (SELECT 1 FROM payment p WHERE p.id = v.payment_id AND p.method = 'stored_value')" },
    { "a refund to a card not given back",
      "SELECT count (*) FROM refund f JOIN payment p ON p.id = f.payment_id"
      "  WHERE p.method = 'stored_value' AND (f.state <> 'success' OR (SELECT count (*)"
      "   FROM stored_value_move v WHERE v.refund_id = f.id"
      "   AND v.paid_fen + v.bonus_fen = f.amount_fen) <> 1)" },
    { "a card or points below zero",
      "SELECT (SELECT count (*) FROM (SELECT member_id FROM stored_value_move GROUP BY member_id"
      "  HAVING sum (paid_fen) < 0 OR sum (bonus_fen) < 0))"
      " + (SELECT count (*) FROM (SELECT member_id FROM points_move GROUP BY member_id"
      "  HAVING sum (points) < 0))" },
    { "a sale's points earned are not its level's per whole yuan",
      "SELECT count (*) FROM sale s WHERE s.kind = 'goods' AND s.member_id IS NOT NULL"
      "  AND s.state IN ('paid', 'refunded') AND coalesce ((SELECT sum (points) FROM points_move"
      "   WHERE reference = s.number AND kind = 'earn'), 0) <> s.total_fen / 100" },
    /* Points redeemed (schema 19): a sale's redemption moves add up to what it still
     * takes — all it holds while open or suspended, nothing once voided, once paid what it
     * holds less the part refunds gave back in proportion; the discount is their value. */
    { "a sale's redemption moves are not the points it holds",
      "SELECT count (*) FROM sale s WHERE (SELECT coalesce (sum (v.points), 0) FROM points_move v"
      "  WHERE v.sale_id = s.id AND v.kind IN ('redeem', 'release', 'return')) <> CASE"
      "   WHEN s.state = 'voided' OR s.points_redeemed = 0 THEN 0"
      "   WHEN s.state IN ('open', 'suspended') OR s.total_fen <= 0 THEN -s.points_redeemed"
      "   ELSE -(s.points_redeemed - s.points_redeemed * (SELECT coalesce (sum (r.amount_fen), 0)"
      "     FROM refund r JOIN payment q ON q.id = r.payment_id WHERE q.sale_id = s.id"
      "      AND q.unattached = 0 AND r.state = 'success') / s.total_fen) END" },
    { "points redeemed from another member than the sale's, or not given back",
      "SELECT count (*) FROM (SELECT v.sale_id FROM points_move v JOIN sale s ON s.id = v.sale_id"
      "  WHERE v.member_id IS NOT s.member_id GROUP BY v.sale_id, v.member_id"
      "  HAVING sum (v.points) <> 0)" },
    { "a sale's points discount is not the value of its points",
      "SELECT count (*) FROM sale WHERE points_redeemed > 0 AND (points_per_yuan <= 0"
      "  OR points_fen <> points_redeemed * 100 / points_per_yuan"
      "  OR points_fen * 100 > (total_fen + points_fen + rounding_fen) * points_max_percent)"
      "  OR (points_redeemed = 0 AND points_fen <> 0)" },
    /* Shifts (issue 18): one open at most, windows never overlap, and everything paid or
     * refunded since the first shift began is in exactly one shift. */
    { "more than one shift open",
      "SELECT count (*) - 1 FROM shift WHERE closed_at IS NULL HAVING count (*) > 1" },
    { "two shifts' windows overlap",
      "SELECT count (*) FROM shift a JOIN shift b ON a.id < b.id AND a.till_id = b.till_id"
      "  AND b.opened_at < coalesce (a.closed_at, 9000000000000000000)"
      "  AND a.opened_at < coalesce (b.closed_at, 9000000000000000000)" },
    { "a sale paid while a shift was open is not in exactly one shift",
      "SELECT count (*) FROM sale s WHERE s.state IN ('paid', 'refunded')"
      "  AND EXISTS (SELECT 1 FROM shift h WHERE s.closed_at >= h.opened_at"
      "   AND s.closed_at < coalesce (h.closed_at, 9000000000000000000))"
      "  AND (SELECT count (*) FROM shift h WHERE s.closed_at >= h.opened_at"
      "   AND s.closed_at < coalesce (h.closed_at, 9000000000000000000)) <> 1" },
    /* The head office (issue 19, schema 21): every booked row has its job, queued in the
     * transaction that booked it. */
    { "a closed sale, a payment or a refund without its head-office job",
      "SELECT (SELECT count (*) FROM sale WHERE state NOT IN ('open', 'suspended')"
      "  AND 'hq:sale:' || id NOT IN (SELECT key FROM outbox WHERE kind = 'hq_sync'))"
      " + (SELECT count (*) FROM payment WHERE 'hq:payment:' || id NOT IN"
      "  (SELECT key FROM outbox WHERE kind = 'hq_sync'))"
      " + (SELECT count (*) FROM refund WHERE 'hq:refund:' || id NOT IN"
      "  (SELECT key FROM outbox WHERE kind = 'hq_sync'))"
      " + (SELECT count (*) FROM points_move WHERE 'hq:points_move:' || id NOT IN"
      "  (SELECT key FROM outbox WHERE kind = 'hq_sync'))" },
    { "a line's amounts do not add up or went below zero",
      "SELECT count (*) FROM sale_line WHERE final_fen <> line_total_fen - discount_fen"
      "  - sale_discount_fen OR (line_total_fen >= 0 AND (final_fen < 0"
      "  OR final_fen > line_total_fen))" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      gint64 n = db_int (m, rules[i].sql);

      if (n != 0)
        fail (m, rules[i].what, n);
    }
}

/* Every product's stock level as the store gives it is the sum of its ledger, read here
 * on a connection of our own. */
static void
check_stock (Monkey *m)
{
  for (gint64 id = 1; id <= 12; id++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = g_strdup_printf ("SELECT coalesce (sum (qty_milli), 0) FROM"
                                              " stock_move WHERE product_id = %" G_GINT64_FORMAT,
                                              id);
      gint64 level = G_MININT64;

      if (!till_store_stock_level (m->app->store, id, &level, &error))
        g_error ("monkey: the stock level could not be read: %s", error->message);
      if (level != db_int (m, sql))
        fail (m, "a stock level is not the sum of its ledger", level);
    }
}

static void
stock_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
stock_result_cond (TillTestApp *app,
                   gpointer     data)
{
  return *(GAsyncResult **) data != NULL;
}

/* 进货 or 盘点 (Ctrl+Shift+I / Ctrl+Shift+K) through the drafts the windows use, on the
 * store thread while a payment may be in flight: 1-3 of the first products, picked by id,
 * received at a random cost or counted (approved by the manager); refused on nothing. */
static void
stock_move (Monkey *m)
{
  g_autoptr(GError) error = NULL;
  guint n = g_rand_int_range (m->rand, 1, 4);
  gint64 first = g_rand_int_range (m->rand, 1, 10);

  if (g_rand_boolean (m->rand))
    {
      g_autoptr(TillReceivingDraft) draft = till_receiving_draft_new (m->app->store, "monkey");
      g_autoptr(GAsyncResult) committed = NULL;

      count_move (m, "receiving (Ctrl+Shift+I)");
      till_receiving_draft_set_supplier (draft, "Monkey Trading");
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GAsyncResult) added = NULL;
          g_autofree char *qty = g_strdup_printf ("%d", g_rand_int_range (m->rand, 1, 50));
          g_autofree char *cost = g_strdup_printf ("%d.%02d", g_rand_int_range (m->rand, 0, 8),
                                                   g_rand_int_range (m->rand, 0, 100));
          int index;

          till_receiving_draft_add_async (draft, NULL, first + i, NULL, stock_result_cb, &added);
          till_test_app_wait (m->app, stock_result_cond, &added, 10000, "a receiving's line");
          index = till_receiving_draft_add_finish (draft, added, &error);
          if (index < 0)
            g_error ("monkey: receiving line refused: %s", error->message);
          till_receiving_draft_set_qty_text (draft, index, qty);
          till_receiving_draft_set_cost_text (draft, index, cost);
        }
      till_receiving_draft_commit_async (draft, NULL, stock_result_cb, &committed);
      till_test_app_wait (m->app, stock_result_cond, &committed, 10000, "a receiving");
      if (till_receiving_draft_commit_finish (draft, committed, &error) <= 0)
        g_error ("monkey: receiving refused: %s", error->message);
      m->receivings++;
    }
  else
    {
      g_autoptr(TillStocktakeDraft) draft = till_stocktake_draft_new (m->app->store, "monkey");
      g_autoptr(GAsyncResult) committed = NULL;

      count_move (m, "stocktake (Ctrl+Shift+K)");
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GAsyncResult) added = NULL;
          g_autofree char *counted = g_strdup_printf ("%d", g_rand_int_range (m->rand, 0, 40));
          int index;

          till_stocktake_draft_add_async (draft, NULL, first + i, NULL, stock_result_cb, &added);
          till_test_app_wait (m->app, stock_result_cond, &added, 10000, "a stocktake's line");
          index = till_stocktake_draft_add_finish (draft, added, &error);
          if (index < 0)
            g_error ("monkey: stocktake line refused: %s", error->message);
          till_stocktake_draft_set_counted_text (draft, index, counted);
        }
      till_stocktake_draft_commit_async (draft, "店长", NULL, stock_result_cb, &committed);
      till_test_app_wait (m->app, stock_result_cond, &committed, 10000, "a stocktake");
      if (till_stocktake_draft_commit_finish (draft, committed, &error) <= 0)
        g_error ("monkey: stocktake refused: %s", error->message);
      m->stocktakes++;
    }
}

/* Two pages of quick keys (issue 15) from the demo catalog: pieces, goods by kg (香蕉
 * asks for its weight) and a can; arranged once, kept across restarts (the file). */
static void
arrange_quick_keys (Monkey *m)
{
  static const char *const codes[][3] = {
    { "8001", "6954767002057", "6924678006079" },
    { "100001", "6902483101257", NULL },
  };
  static const char *const pages[] = { "Quick 1", "Quick 2" };
  TillProduct bread = { .plu = (char *) "9101", .name = (char *) "面包", .price_fen = 650,
                        .unit = (char *) "个", .active = TRUE };
  g_autoptr(GError) error = NULL;

  /* Only this one is made inactive: the other moves count on the catalog's goods. */
  m->bread_id = till_store_upsert_product (m->app->store, &bread, &error);
  g_assert_no_error (error);
  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      gint64 page = till_store_add_category (m->app->store, pages[p], "monkey", &error);

      g_assert_no_error (error);
      for (guint i = 0; i < 3 && codes[p][i] != NULL; i++)
        {
          g_autoptr(TillProduct) product = till_store_find_product (
            m->app->store, strlen (codes[p][i]) > 6 ? codes[p][i] : NULL,
            strlen (codes[p][i]) > 6 ? NULL : codes[p][i], &error);

          g_assert_no_error (error);
          g_assert_nonnull (product);
          g_assert_cmpint (till_store_place_quick_key (m->app->store, page, product->id, NULL,
                                                       NULL, "monkey", &error), >, 0);
          g_assert_no_error (error);
        }
      if (p == 0)
        g_assert_cmpint (till_store_place_quick_key (m->app->store, page, m->bread_id, NULL,
                                                     "#f6d32d", "monkey", &error), >, 0);
    }
}

/* A quick key pressed (Alt+N, or a touch) in the middle of whatever else happens — during
 * a payment it is refused —, now and then a key moved on its page, or its product made
 * inactive (its key hidden, pressing the keys left still works) and active again. */
static void
quick_key_move (Monkey *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = till_store_list_quick_keys (m->app->store, TRUE, &error);
  TillQuickKey *key;
  guint pick = g_rand_int_range (m->rand, 0, 10);

  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, >, 0);
  key = g_ptr_array_index (keys, g_rand_int_range (m->rand, 0, keys->len));
  if (pick == 0)
    {
      count_move (m, "quick key moved");
      if (!till_store_move_quick_key (m->app->store, key->id, g_rand_boolean (m->rand) ? 1 : -1,
                                      &error))
        g_error ("monkey: quick key not moved: %s", error->message);
    }
  else if (pick == 1)
    {
      g_autoptr(TillProduct) p = till_store_get_product (m->app->store, m->bread_id, NULL,
                                                         &error);

      g_assert_no_error (error);
      count_move (m, p->active ? "quick key's product inactive"
                               : "quick key's product active again");
      p->active = !p->active;
      if (till_store_save_product (m->app->store, p, 0, 0, "monkey", &error) != p->id)
        g_error ("monkey: product not saved: %s", error->message);
    }
  else
    {
      count_move (m, key->product->active ? "quick key" : "quick key of an inactive product");
      till_checkout_add_product_id (m->app->checkout, key->product->id, NULL);
    }
}

/* The drawer of local day `day` counted from the rows: cash in (the float, cash in, cash
 * payments of the sales closed that day, each with its rounding) minus cash out (cash out,
 * cash refunds, returns without a receipt, each with its rounding). */
static gint64
drawer_from_rows (Monkey     *m,
                  const char *day)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT (SELECT coalesce (sum (CASE kind WHEN 'out' THEN -amount_fen ELSE amount_fen END),"
    "   0) FROM cash_movement WHERE day = '%1$s')"
    " + (SELECT coalesce (sum (p.amount_fen + p.rounding_fen), 0) FROM sale s JOIN payment p"
    "   ON p.sale_id = s.id AND p.state = 'paid' AND p.method = 'cash'"
    "   WHERE s.state IN ('paid', 'refunded')"
    "   AND date (s.closed_at / 1000000, 'unixepoch', 'localtime') = '%1$s')"
    " - (SELECT coalesce (sum (f.amount_fen + f.rounding_fen), 0) FROM refund f"
    "   JOIN payment p ON p.id = f.payment_id AND p.method = 'cash'"
    "   JOIN sale s ON s.id = p.sale_id AND s.state <> 'voided' WHERE f.state = 'success'"
    "   AND date (f.created_at / 1000000, 'unixepoch', 'localtime') = '%1$s')"
    " - (SELECT coalesce (sum (amount_fen + rounding_fen), 0) FROM goods_return"
    "   WHERE day = '%1$s')", day);

  return db_int (m, sql);
}

/* The drawer's expected cash (the day close's) is cash in − cash out, returns included:
 * today's as the store computes it, and every closed day's as it was closed. */
static void
check_drawer (Monkey *m)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *today = till_report_local_date (till_clock_now_us ());
  TillCashSummary cash;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (till_store_cash_summary (m->app->store, today, &cash, &error));
  g_assert_no_error (error);
  if (cash.expected_fen != drawer_from_rows (m, today))
    fail (m, "the drawer's expected cash is not cash in − cash out",
          cash.expected_fen - drawer_from_rows (m, today));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT coalesce (sum (amount_fen), 0)"
                                            " FROM goods_return WHERE day = '%s'", today);

    if (cash.cash_returns_fen != db_int (m, sql))
      fail (m, "the day's returns are not the day close's returns line", cash.cash_returns_fen);
  }

  db = monkey_db (m);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT date, expected_cash_fen FROM day_close", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *day = (const char *) sqlite3_column_text (stmt, 0);
      gint64 closed = sqlite3_column_int64 (stmt, 1);

      if (closed != drawer_from_rows (m, day))
        fail (m, "a closed day's expected cash changed", closed - drawer_from_rows (m, day));
    }
  sqlite3_finalize (stmt);
}

/* The cashier is never locked out of cash while no payment's outcome is open. */
static void
check_not_locked (Monkey *m)
{
  TillCheckout *checkout = m->app->checkout;
  TillSale *sale = till_checkout_get_sale (checkout);
  g_autofree char *sql = NULL;

  if (sale == NULL || till_sale_get_state (sale) != TILL_SALE_STATE_OPEN
      || g_list_model_get_n_items (G_LIST_MODEL (sale)) == 0
      || !till_checkout_is_idle (checkout))
    return;
  if (till_sale_get_id (sale) != 0)
    {
      sql = g_strdup_printf ("SELECT count (*) FROM payment WHERE sale_id = %" G_GINT64_FORMAT
                             " AND state IN ('submitting', 'user_paying', 'in_doubt')",
                             till_sale_get_id (sale));
      if (db_int (m, sql) > 0)
        return;
    }
  /* The checkout hears of a payment's end a moment after the store has it: allow that
   * moment before calling it a lock. */
  for (guint tries = 0; tries < 50; tries++)
    {
      if (till_checkout_can (checkout, TILL_CHECKOUT_CMD_CASH))
        return;
      till_test_app_spin (20);
      sale = till_checkout_get_sale (checkout);
      if (sale == NULL || till_sale_get_state (sale) != TILL_SALE_STATE_OPEN
          || g_list_model_get_n_items (G_LIST_MODEL (sale)) == 0)
        return;
    }
  fail (m, "cash refused for a second while no payment's outcome is open", 0);
}

/* ---- settling and the ledger ---- */

static gboolean
settled_cond (TillTestApp *app,
              gpointer     data)
{
  Monkey *m = data;

  return till_checkout_is_idle (app->checkout)
         && db_int (m, "SELECT count (*) FROM payment WHERE state IN ('submitting',"
                       " 'user_paying', 'in_doubt', 'reversing')") == 0
         && db_int (m, "SELECT count (*) FROM refund WHERE state IN ('submitting', 'processing',"
                       " 'in_doubt')") == 0
         && db_int (m, "SELECT count (*) FROM outbox WHERE state IN ('pending', 'running')"
                       " AND kind NOT IN ('fetch_bill', 'hq_sync')") == 0;
}

static void
network_up (Monkey *m)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (till_test_paysim_clear_faults (m->app->sim, &error));
  g_assert_no_error (error);
  if (m->clock_off)
    {
      g_assert_true (till_test_paysim_set_clock (m->app->sim, m->day_offset_s, &error));
      g_assert_no_error (error);
    }
  m->network_down = FALSE;
  m->clock_off = FALSE;
}

/* Every order the simulator kept money for (WeChat Pay's and Alipay's) is a paid payment
 * of a paid sale of the till, of that provider's methods; every electronic payment the till
 * counts is money the simulator kept; per provider. */
static void
check_ledger (Monkey *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ledger = till_test_paysim_get_ledger (m->app->sim, &error);
  JsonArray *orders;
  gint64 counted = 0, kept = 0, kept_alipay = 0;

  g_assert_no_error (error);
  orders = json_object_get_array_member (json_node_get_object (ledger), "orders");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);
      const char *otn = json_object_get_string_member (o, "out_trade_no");
      gint64 net = json_object_get_int_member (o, "net");
      g_autoptr(TillPaymentRecord) p = till_store_get_payment_by_out_trade_no (m->app->store,
                                                                               otn, NULL);

      gboolean alipay = g_strcmp0 (json_object_get_string_member (o, "provider"), "alipay") == 0;

      if (p == NULL)
        fail (m, "the simulator has an order the till never recorded", 0);
      if (alipay != (p->method == TILL_PAYMENT_METHOD_ALIPAY_CODE
                     || p->method == TILL_PAYMENT_METHOD_ALIPAY_QR))
        fail (m, "an order at one provider is a payment of the other's method", p->id);
      if (g_strcmp0 (json_object_get_string_member (o, "state"), "WAIT_BUYER_PAY") == 0
          || g_strcmp0 (json_object_get_string_member (o, "state"), "NOTPAY") == 0
          || g_strcmp0 (json_object_get_string_member (o, "state"), "USERPAYING") == 0
          || (g_strcmp0 (json_object_get_string_member (o, "state"), "NOT_SCANNED") == 0
              && json_object_get_int_member (o, "ended_ms") == 0))
        fail (m, "an order is still payable with every payment settled", p->id);
      if (net > 0)
        {
          TillSaleState state = TILL_SALE_STATE_OPEN;

          if (p->state != TILL_PAYMENT_STATE_PAID || p->unattached || p->amount_fen != net)
            fail (m, "money kept by the provider is not a paid payment of a sale", net);
          g_assert_true (till_store_sale_get_state (m->app->store, p->sale_id, &state, NULL));
          if (state == TILL_SALE_STATE_OPEN)
            {
              /* A QR the customer paid as the cashier gave up, found paid after the cart
               * grew: the open sale took it as part of its total (till_store_payment_
               * mark_paid_full); the rest is still due. Never a covered sale left open. */
              g_autofree char *sql = g_strdup_printf (
                "SELECT count (*) FROM sale s WHERE s.id = %" G_GINT64_FORMAT " AND (SELECT"
                " coalesce (sum (amount_fen), 0) FROM payment q WHERE q.sale_id = s.id AND"
                " q.state = 'paid' AND q.unattached = 0) < s.total_fen", p->sale_id);

              if (db_int (m, sql) != 1)
                fail (m, "an open sale is covered by what the provider kept", p->sale_id);
            }
          else if (state != TILL_SALE_STATE_PAID)
            fail (m, "money kept by the provider for a sale that is not paid", state);
          kept += net;
          if (alipay)
            kept_alipay += net;
        }
      else if (p->state == TILL_PAYMENT_STATE_PAID && !p->unattached)
        {
          TillSaleState state = TILL_SALE_STATE_OPEN;

          g_assert_true (till_store_sale_get_state (m->app->store, p->sale_id, &state, NULL));
          /* Paid and given back: only a voided sale's payment. */
          if (state != TILL_SALE_STATE_VOIDED)
            fail (m, "a payment the till counts was not kept by the provider", p->id);
        }
    }
  counted = db_int (m, "SELECT coalesce (sum (p.amount_fen), 0) FROM payment p JOIN sale s"
                       " ON s.id = p.sale_id WHERE p.method NOT IN ('cash', 'stored_value')"
                       " AND p.state = 'paid'"
                       " AND p.unattached = 0 AND s.state IN ('paid', 'open')");
  if (counted != kept)
    fail (m, "the till's electronic takings differ from the provider's", counted - kept);
  counted = db_int (m, "SELECT coalesce (sum (p.amount_fen), 0) FROM payment p JOIN sale s"
                       " ON s.id = p.sale_id WHERE p.method IN ('alipay_code', 'alipay_qr')"
                       " AND p.state = 'paid' AND p.unattached = 0"
                       " AND s.state IN ('paid', 'open')");
  if (counted != kept_alipay)
    fail (m, "the till's Alipay takings differ from Alipay's", counted - kept_alipay);
}

static void
checkpoint (Monkey *m)
{
  network_up (m);
  till_test_app_wait (m->app, settled_cond, m, 90000,
                      "every payment, refund and job to settle with the network back");
  check_books (m);
  check_ledger (m);
  m->checkpoints++;
}

/* The manager closes the day (after the cart is paid or voided and every payment is
 * settled); nothing more is sold on it; then the night passes: the till's clock and the
 * provider's move to the next day. */
static void
close_day (Monkey *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillDayClose) close = NULL;
  g_autofree char *today = till_report_local_date (till_clock_now_us ());
  const guint counts[TILL_N_DENOMINATIONS] = { 0 };
  TillSale *sale;
  guint since;

  checkpoint (m);
  sale = till_checkout_get_sale (m->app->checkout);
  if (sale != NULL && till_sale_get_state (sale) == TILL_SALE_STATE_OPEN
      && g_list_model_get_n_items (G_LIST_MODEL (sale)) > 0)
    {
      till_checkout_void_sale (m->app->checkout, NULL);
      checkpoint (m);
    }
  /* A suspended sale would be stranded: the close refuses while one is left. */
  {
    g_autoptr(GPtrArray) suspended = till_store_list_suspended (m->app->store, NULL, &error);

    g_assert_no_error (error);
    if (suspended->len > 0)
      {
        g_autoptr(TillDayClose) refused = till_store_day_close (m->app->store, today, counts,
                                                                "店长", &error);

        if (refused != NULL)
          fail (m, "the day closed with a sale suspended", suspended->len);
        g_clear_error (&error);
      }
    for (guint i = 0; i < suspended->len; i++)
      till_checkout_void_suspended (m->app->checkout,
                                    ((TillSuspendedSale *) g_ptr_array_index (suspended, i))->id,
                                    NULL);
    till_test_app_settle (m->app);
    if (till_store_count_suspended (m->app->store, NULL, NULL) != 0)
      fail (m, "a suspended sale could not be voided", 0);
  }
  close = till_store_day_close (m->app->store, today, counts, "店长", &error);
  if (close == NULL)
    fail (m, error->message, 0);
  m->days_closed++;

  /* The closed day takes nothing more. */
  since = m->app->messages->len;
  till_checkout_enter_code (m->app->checkout, goods[0]);
  till_test_app_settle (m->app);
  if (!till_test_app_said_since (m->app, since, "midnight"))
    fail (m, "goods were not refused on a closed day", 0);
  check_books (m);

  /* The next morning. */
  m->day_offset_s += 24 * 3600;
  till_clock_set_offset_for_testing (m->day_offset_s * G_USEC_PER_SEC);
  g_assert_true (till_test_paysim_set_clock (m->app->sim,
                                             m->day_offset_s + (m->clock_off ? 900 : 0),
                                             &error));
  g_assert_no_error (error);
}

/* ---- the moves ---- */

static TillSaleLine *
random_line (Monkey *m)
{
  TillSale *sale = till_checkout_get_sale (m->app->checkout);
  guint n = sale != NULL ? g_list_model_get_n_items (G_LIST_MODEL (sale)) : 0;

  if (n == 0)
    return NULL;
  return till_sale_get_line (sale, g_rand_int_range (m->rand, 0, n));
}

static void
weight_needed_cb (TillCheckout *checkout,
                  TillSaleLine *line,
                  Monkey       *m)
{
  /* The goods go on the scale (weighed by the move, after this signal), the cashier
   * types a weight, or scans something else first. */
  if (m->weigh_on_scale)
    g_set_object (&m->weigh_line, line);
  else if (g_rand_boolean (m->rand))
    till_checkout_give_weight (checkout, line, g_rand_int_range (m->rand, 1, 3000), NULL);
}

/* ---- the counter scale (issue 18): an ACLAS OS2 scale on a pseudo-terminal ---- */

static void
scale_open (Monkey *m)
{
  char name[128];

  m->scale_master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  g_assert_cmpint (m->scale_master, >=, 0);
  g_assert_cmpint (grantpt (m->scale_master), ==, 0);
  g_assert_cmpint (unlockpt (m->scale_master), ==, 0);
  g_assert_cmpint (ptsname_r (m->scale_master, name, sizeof name), ==, 0);
  m->scale_port = g_strdup (name);
  g_settings_set_string (m->app->settings, "scale-port", m->scale_port);
  g_settings_set_string (m->app->settings, "scale-protocol", "aclas-os2");
}

/* The scale sends `grams` (stable or moving) a few times, as it does continuously, and
 * the till reads it. */
static void
scale_shows (Monkey  *m,
             gint64   grams,
             gboolean stable)
{
  char digits[8];
  guint8 frame[16] = { 0x01, 0x02, stable ? 'S' : 'U', grams < 0 ? '-' : ' ' };
  guint8 bcc = 0;

  g_snprintf (digits, sizeof digits, "%6.3f", (double) ABS (grams) / 1000.0);
  memcpy (frame + 4, digits, 6);
  memcpy (frame + 10, "kg", 2);
  for (int i = 0; i < 12; i++)
    bcc ^= frame[i];
  frame[12] = bcc;
  frame[13] = 0x03;
  frame[14] = 0x04;
  frame[15] = 0x00;
  for (int k = 0; k < 3; k++)
    {
      /* a full pty buffer (the till not reading: restarting) loses frames, as a wire does */
      if (write (m->scale_master, frame, sizeof frame) < 0 && errno != EAGAIN)
        g_error ("writing to the scale's pty: %s", g_strerror (errno));
      till_test_app_spin (40);
    }
}

static TillScale *
monkey_scale (Monkey *m)
{
  return till_context_get_scale (m->app->context);
}

/* Goods by kg on the scale: stable, moving, nothing or taken off; the line gets the
 * scale's stable net weight or nothing at all. */
static void
scale_weigh_move (Monkey *m)
{
  TillCheckout *c = m->app->checkout;
  TillSale *sale;
  gint64 grams = g_rand_int_range (m->rand, -200, 3000), milli = 0;
  gboolean stable = g_rand_int_range (m->rand, 0, 4) > 0;
  guint lines_before;
  g_autoptr(GError) error = NULL;

  count_move (m, "weighed PLU on the scale");
  scale_shows (m, grams, stable);
  m->weigh_on_scale = TRUE;
  till_checkout_enter_code (c, "100001");
  till_test_app_settle (m->app);
  m->weigh_on_scale = FALSE;
  if (m->weigh_line == NULL)
    return;
  sale = till_checkout_get_sale (c);
  lines_before = sale != NULL ? g_list_model_get_n_items (G_LIST_MODEL (sale)) : 0;
  if (till_scale_take_weight (monkey_scale (m), &milli, &error))
    {
      gint64 net = till_scale_get_weight_milli (monkey_scale (m));

      if (!stable || milli <= 0 || milli != net)
        fail (m, "the scale gave a weight that is not its stable net weight", milli);
      if (till_checkout_give_weight (c, m->weigh_line, milli, NULL))
        {
          m->scale_weighed++;
          if (till_sale_line_get_qty_milli (m->weigh_line) != milli)
            fail (m, "a weighed line's weight is not the scale's", milli);
        }
    }
  else
    {
      m->scale_refused++;
      if (sale != NULL && g_list_model_get_n_items (G_LIST_MODEL (sale)) != lines_before)
        fail (m, "a refused weight added a line", lines_before);
    }
  g_clear_object (&m->weigh_line);
}

/* Ctrl+Shift+Z: the tare set to what is on the scale, or cleared at zero. */
static void
scale_tare_move (Monkey *m)
{
  TillScale *scale = monkey_scale (m);
  g_autoptr(GError) error = NULL;
  gint64 tare = -1, grams = g_rand_int_range (m->rand, 0, 4) == 0 ? 0
                                                                   : g_rand_int_range (m->rand, 1, 800);

  count_move (m, "scale tare (Ctrl+Shift+Z)");
  scale_shows (m, grams, TRUE);
  if (till_scale_press_tare (scale, &tare, &error)
      && !(till_scale_get_tare_milli (scale) == tare
           && (tare == 0 || till_scale_get_weight_milli (scale) == 0)))
    fail (m, "the tare is neither cleared nor what the scale showed", tare);
}

/* The customer scans a live Alipay QR: pays, types the password, or declines. */
static void
alipay_scan (Monkey     *m,
             const char *out_trade_no)
{
  static const char *const outcomes[] = { "pay", "pay", "password", "decline" };
  static const char *const names[] = {
    "Alipay QR scanned: pay", "Alipay QR scanned: pay", "Alipay QR scanned: password",
    "Alipay QR scanned: decline",
  };
  g_autoptr(GError) error = NULL;
  guint k = (guint) g_rand_int_range (m->rand, 0, G_N_ELEMENTS (outcomes));

  count_move (m, names[k]);
  /* Refused when the QR is dead already (closed, or cancelled before the scan). */
  till_test_paysim_alipay_scan (m->app->sim, out_trade_no, outcomes[k], &error);
}

/* The live payments of the checkout's sale of `method` (the ones whose QR is shown). */
static GPtrArray *
live_payments (Monkey           *m,
               TillPaymentMethod method)
{
  TillSale *sale = till_checkout_get_sale (m->app->checkout);
  GPtrArray *live = g_ptr_array_new_with_free_func ((GDestroyNotify) till_payment_record_free);
  g_autoptr(GPtrArray) payments = NULL;

  if (sale == NULL || till_sale_get_id (sale) == 0)
    return live;
  payments = till_store_list_sale_payments (m->app->store, till_sale_get_id (sale), NULL);
  for (guint i = 0; payments != NULL && i < payments->len; i++)
    {
      TillPaymentRecord *p = g_ptr_array_index (payments, i);

      if (p->method == method && !till_payment_state_is_final (p->state))
        g_ptr_array_add (live, till_payment_record_copy (p));
    }
  return live;
}

typedef struct
{
  gboolean    done;
  TillReturn *ret;
  GError     *error;
} ReturnResult;

static void
return_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ReturnResult *r = user_data;

  r->ret = till_checkout_return_lookup_finish (TILL_CHECKOUT (object), result, &r->error);
  r->done = TRUE;
}

static void
return_record_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ReturnResult *r = user_data;

  r->ret = till_checkout_record_return_finish (TILL_CHECKOUT (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
return_done_cond (TillTestApp *app,
                  gpointer     data)
{
  return ((ReturnResult *) data)->done;
}

/* Ctrl+Shift+G: a customer brings one or two goods back without a receipt; sometimes the
 * manager lowers a price. Refused while a payment is in progress (and then nothing is
 * written); otherwise one more return with its cash out. */
static void
return_without_receipt (Monkey *m)
{
  TillCheckout *c = m->app->checkout;
  g_autoptr(TillReturn) draft = till_return_new ();
  guint n = g_rand_int_range (m->rand, 1, 3);
  gint64 before = db_int (m, "SELECT count (*) FROM goods_return");
  gboolean paying;
  ReturnResult r = { 0 };

  for (guint i = 0; i < n; i++)
    {
      const char *code = goods[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (goods))];
      const TillReturnLine *l;
      guint index;

      r = (ReturnResult) { 0 };
      till_checkout_return_lookup_async (c, code, NULL, return_lookup_cb, &r);
      till_test_app_wait (m->app, return_done_cond, &r, 10000, "a return's lookup");
      if (r.ret == NULL)
        fail (m, "goods of the catalog not found for a return", 0);
      l = g_ptr_array_index (r.ret->lines, 0);
      g_assert_true (till_return_add_line (draft, l->product_id, l->barcode, l->name, l->unit,
                                           l->weighed, l->qty_milli, l->list_price_fen, &index,
                                           NULL));
      if (g_rand_int_range (m->rand, 0, 4) == 0)
        g_assert_true (till_return_set_price (draft, index, l->list_price_fen / 2, NULL));
      till_return_free (r.ret);
    }
  draft->reason = g_strdup ("Faulty or damaged");

  paying = till_checkout_get_payment_in_progress (c);
  r = (ReturnResult) { 0 };
  till_checkout_record_return_async (c, draft, "店长", NULL, return_record_cb, &r);
  till_test_app_wait (m->app, return_done_cond, &r, 10000, "a return");
  if (r.ret != NULL)
    {
      if (paying)
        fail (m, "a return was taken while a payment was in progress", r.ret->id);
      if (r.ret->amount_fen != draft->amount_fen)
        fail (m, "a return's amount is not the sum of its lines", r.ret->amount_fen);
      m->returns++;
      till_return_free (r.ret);
    }
  else
    {
      /* Refused: a payment in progress (or one the store still holds open) or a closed
       * day; nothing written. */
      if (db_int (m, "SELECT count (*) FROM goods_return") != before)
        fail (m, "a refused return was written", 0);
      g_clear_error (&r.error);
    }
}

/* Ctrl+F: a query typed as a cashier types it (pinyin initials, full pinyin, a barcode's
 * start or end, a PLU, nothing), Up/Down, Enter: whatever it finds goes into the sale as a
 * scan of its code, weighed goods asking for their weight. */
static void
search_and_add (Monkey *m)
{
  static const char *const queries[] = {
    "kkkl", "kekou", "lssp", "ksf", "cyd", "xj", "02057", "6954", "8001", "qqzzx",
  };
  const char *query = queries[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (queries))];
  g_autoptr(TillProductSearch) search = till_product_search_new (m->app->checkout);
  guint len = strlen (query);

  g_object_set (search, "delay-ms", 20, NULL);
  /* typed a key at a time */
  for (guint i = 1; i <= len; i++)
    {
      g_autofree char *typed = g_strndup (query, i);

      till_product_search_set_query (search, typed);
      till_test_app_spin (g_rand_int_range (m->rand, 0, 30));
    }
  for (guint i = 0; i < 300 && till_product_search_get_searching (search); i++)
    till_test_app_spin (10);
  if (till_product_search_get_n_results (search) > 0)
    till_product_search_move (search, g_rand_int_range (m->rand, 0, 3));
  till_product_search_activate (search, NULL);
}

/* Discounts and prices as a cashier gives them, with or without the manager, in the
 * middle of whatever else happens (refused while the cart is locked). */
static void
discount_move (Monkey *m)
{
  TillCheckout *c = m->app->checkout;
  TillSaleLine *line = random_line (m);
  const TillPerson *manager = g_rand_boolean (m->rand) ? m->manager : NULL;
  gint64 line_total = line != NULL ? till_sale_line_get_line_total_fen (line) : 0;

  switch (g_rand_int_range (m->rand, 0, 6))
    {
    case 0:
      count_move (m, "line discount percent");
      till_checkout_discount_line (c, line, TILL_DISCOUNT_PERCENT,
                                   g_rand_int_range (m->rand, 0, 3001), manager, NULL);
      break;
    case 1:
      count_move (m, "line discount amount");
      till_checkout_discount_line (c, line, TILL_DISCOUNT_AMOUNT,
                                   g_rand_int_range (m->rand, 0, (gint32) MIN (MAX (line_total, 0),
                                                                               100000) + 1),
                                   manager, NULL);
      break;
    case 2:
      count_move (m, "sale discount percent");
      till_checkout_discount_sale (c, TILL_DISCOUNT_PERCENT, g_rand_int_range (m->rand, 0, 5001),
                                   manager, NULL);
      break;
    case 3:
      count_move (m, "sale discount amount");
      till_checkout_discount_sale (c, TILL_DISCOUNT_AMOUNT, g_rand_int_range (m->rand, 0, 2000),
                                   manager, NULL);
      break;
    case 4:
      count_move (m, "price override");
      till_checkout_override_price (c, line, g_rand_int_range (m->rand, 0, 2000), manager, NULL);
      break;
    default:
      count_move (m, "discount off");
      if (g_rand_boolean (m->rand))
        till_checkout_discount_line (c, line, TILL_DISCOUNT_NONE, 0, NULL, NULL);
      else
        till_checkout_discount_sale (c, TILL_DISCOUNT_NONE, 0, NULL, NULL);
      break;
    }
}

/* Members (issue 16): two members (no level: a point per whole yuan), one of them
 * scanned by their code, the other's phone typed; a top-up rung up on an empty sale (the
 * money then comes by the other moves: cash, a code, a QR, or a void); a part or all of
 * what is due paid from the card — now and then with the wrong digits —; the member taken
 * off. Whatever a payment in flight is doing. */
static void
make_members (Monkey *m)
{
  static const char *const phones[] = { "13800138000", "13900139000" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      TillMemberFields f = { i == 0 ? "张伟" : "李娜", phones[i], NULL, 0, NULL, TRUE };
      g_autoptr(TillMember) member = NULL;

      m->member_ids[i] = till_store_add_member (m->app->store, &f, NULL, "monkey", &error);
      g_assert_no_error (error);
      member = till_store_get_member (m->app->store, m->member_ids[i], &error);
      g_assert_no_error (error);
      m->member_codes[i] = g_strdup (member->code);
    }
  g_assert_cmpint (till_store_add_topup_rule (m->app->store, 10000, 1000, "monkey", &error), >,
                   0);
  g_assert_no_error (error);
  /* points to redeem from the start (more are earned by every member's sale) */
  for (guint i = 0; i < G_N_ELEMENTS (m->member_ids); i++)
    {
      g_assert_cmpint (till_store_points_earn (m->app->store, m->member_ids[i], 3000, "MONKEY",
                                               "monkey", &error), >, 0);
      g_assert_no_error (error);
    }
}

static void
member_move (Monkey *m)
{
  TillCheckout *c = m->app->checkout;
  guint which = (guint) g_rand_int_range (m->rand, 0, 2);

  switch (g_rand_int_range (m->rand, 0, 9))
    {
    case 6:
    case 8:
      {
        /* Points off the sale (Ctrl+M, Alt+E): the most there is room for, a few, too
         * many, with the right or the wrong digits; the member scanned first if need be. */
        TillSale *sale = till_checkout_get_sale (c);
        const TillSaleMember *member = sale != NULL ? till_sale_get_member (sale) : NULL;
        const char *digits;
        gint64 most = 0, points;

        if (sale == NULL || member == NULL)
          {
            till_checkout_enter_code (c, m->member_codes[which]);
            till_test_app_settle (m->app);
          }
        if (till_checkout_get_due_fen (c) == 0)
          {
            till_checkout_enter_code (c, goods[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (goods))]);
            till_test_app_settle (m->app);
          }
        sale = till_checkout_get_sale (c);
        member = sale != NULL ? till_sale_get_member (sale) : NULL;
        digits = member != NULL && member->id == m->member_ids[1] ? "9000" : "8000";
        if (g_rand_int_range (m->rand, 0, 6) == 0)
          digits = "0000";
        most = till_checkout_get_points_redeemable (c, NULL);
        switch (g_rand_int_range (m->rand, 0, 4))
          {
          case 0:
            points = most;
            break;
          case 1:
            points = most + 1 + g_rand_int_range (m->rand, 0, 500);
            break;
          default:
            points = g_rand_int_range (m->rand, 1, 300);
            break;
          }
        count_move (m, "points redeemed (Ctrl+M, Alt+E)");
        till_checkout_redeem_points (c, points, digits, NULL);
      }
      break;
    case 7:
      count_move (m, "points given back (Ctrl+M, 0, Alt+E)");
      till_checkout_redeem_points (c, 0, NULL, NULL);
      break;
    case 0:
      count_move (m, "member code scanned");
      till_checkout_enter_code (c, m->member_codes[which]);
      break;
    case 1:
      count_move (m, "member phone typed (Ctrl+M)");
      till_checkout_find_member (c, which == 0 ? "138 0013 8000" : "+86 139-0013-9000", NULL);
      break;
    case 2:
      /* A member comes to put money on the card: scanned (the next sale opens when the
       * counter shows a closed one), then the amount. */
      count_move (m, "top-up (Ctrl+M, Alt+T)");
      if (till_checkout_get_sale (c) == NULL
          || till_sale_get_member (till_checkout_get_sale (c)) == NULL)
        {
          till_checkout_enter_code (c, m->member_codes[which]);
          till_test_app_settle (m->app);
        }
      till_checkout_begin_topup (c, g_rand_int_range (m->rand, 1, 30) * 1000, NULL);
      break;
    case 3:
    case 4:
      /* A member pays from the card: scanned when the sale has none, goods when there is
       * nothing to pay yet. */
      if (till_checkout_get_sale (c) != NULL
          && till_sale_get_member (till_checkout_get_sale (c)) == NULL)
        {
          till_checkout_enter_code (c, m->member_codes[which]);
          till_test_app_settle (m->app);
        }
      if (till_checkout_get_due_fen (c) == 0)
        {
          till_checkout_enter_code (c, goods[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (goods))]);
          till_test_app_settle (m->app);
        }
      {
        gint64 due = till_checkout_get_due_fen (c);
        TillSale *sale = till_checkout_get_sale (c);
        const TillSaleMember *member = sale != NULL ? till_sale_get_member (sale) : NULL;
        const char *digits = member != NULL && member->id == m->member_ids[1] ? "9000" : "8000";

        count_move (m, "pay from the card (Ctrl+M, Alt+S)");
        if (g_rand_int_range (m->rand, 0, 5) == 0)
          digits = "0000";
        if (due > 0)
          till_checkout_pay_stored_value (c, due,
                                          MAX (1, MIN (due, g_rand_int_range (m->rand, 0, 2) == 0
                                                              ? due : due / 2 + 1)),
                                          digits, NULL);
      }
      break;
    default:
      count_move (m, "member taken off (Ctrl+M, Alt+R)");
      till_checkout_detach_member (c, NULL);
      break;
    }
}

/* ---- shifts (issue 18): the handover (Ctrl+Shift+O) around payments in flight ---- */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

static void
async_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

static gboolean
async_done_cond (TillTestApp *app,
                 gpointer     data)
{
  return ((AsyncWait *) data)->done;
}

/* Opens a shift when none is open; else hands the open one over with a count a little
 * over or short of what is expected (refused while a payment's outcome is open: then the
 * shift stays open) and opens the next with the counted drawer as its float. */
static void
shift_move (Monkey *m)
{
  TillShift *shift = till_context_get_shift (m->app->context);
  const char *till_id = till_context_get_till_id (m->app->context);
  g_autoptr(GError) error = NULL;
  gint64 next_float = g_rand_int_range (m->rand, 0, 50) * 1000;

  if (till_shift_get_open_shift_id (shift) > 0)
    {
      AsyncWait w = { 0 };
      g_autoptr(TillShiftReport) report = NULL;
      g_autoptr(TillShiftReport) closed = NULL;
      gint64 counted;

      count_move (m, "shift handed over (Ctrl+Shift+O)");
      till_shift_report_async (shift, NULL, async_wait_cb, &w);
      till_test_app_wait (m->app, async_done_cond, &w, 20000, "the shift's figures");
      report = till_shift_report_finish (shift, w.result, &error);
      g_clear_object (&w.result);
      if (report == NULL)
        {
          g_test_message ("monkey step %u: no figures: %s", m->step, error->message);
          return;
        }
      counted = MAX (0, report->summary.cash.expected_fen + g_rand_int_range (m->rand, -200, 201));
      w.done = FALSE;
      till_shift_hand_over_async (shift, report->shift->id, counted, NULL, async_wait_cb, &w);
      till_test_app_wait (m->app, async_done_cond, &w, 20000, "the handover");
      closed = till_shift_hand_over_finish (shift, w.result, &error);
      g_clear_object (&w.result);
      if (closed == NULL)
        {
          /* a payment's outcome is open: the shift stays */
          g_clear_error (&error);
          return;
        }
      if (TILL_SHIFT_OVER_SHORT (closed->shift) != counted - report->summary.cash.expected_fen
          && closed->shift->expected_fen == report->summary.cash.expected_fen)
        fail (m, "a handover's over/short is not counted minus expected", 1);
      next_float = counted;
    }
  else
    count_move (m, "shift opened (sign in with a float)");
  {
    AsyncWait w = { 0 };
    g_autoptr(TillShiftRecord) opened = NULL;

    till_shift_begin_async (shift, till_id, next_float, NULL, async_wait_cb, &w);
    till_test_app_wait (m->app, async_done_cond, &w, 20000, "the next shift");
    opened = till_shift_begin_finish (shift, w.result, &error);
    g_clear_object (&w.result);
    if (opened == NULL)
      g_test_message ("monkey step %u: no shift opened: %s", m->step, error->message);
  }
}

static void
move (Monkey *m)
{
  TillCheckout *c = m->app->checkout;
  guint pick = g_rand_int_range (m->rand, 0, 100);

  if (pick < 2)
    {
      /* Shift+F7 (cashier.customer-scans-other): the other provider's QR, Alipay's. */
      count_move (m, "Alipay QR (Shift+F7)");
      if (till_checkout_pay_qr (c, till_checkout_get_other_qr_provider (c), NULL)
          && g_rand_int_range (m->rand, 0, 3) > 0)
        {
          g_autoptr(GPtrArray) live = NULL;

          /* The QR is shown (or the network is down); the customer takes the phone out
           * and scans it a moment later — or walks away. */
          for (guint i = 0; i < 20 && till_checkout_get_code_url (c) == NULL; i++)
            till_test_app_spin (50);
          till_test_app_spin (g_rand_int_range (m->rand, 0, 400));
          live = live_payments (m, TILL_PAYMENT_METHOD_ALIPAY_QR);
          for (guint i = 0; i < live->len; i++)
            {
              TillPaymentRecord *p = g_ptr_array_index (live, i);

              alipay_scan (m, p->out_trade_no);
            }
        }
    }
  else if (pick < 4)
    {
      count_move (m, "return without receipt");
      return_without_receipt (m);
    }
  else if (pick < 24 && g_rand_int_range (m->rand, 0, 5) == 0)
    discount_move (m);
  else if (pick < 24 && g_rand_int_range (m->rand, 0, 8) == 0)
    shift_move (m);
  else if (pick < 24 && g_rand_int_range (m->rand, 0, 3) == 0)
    member_move (m);
  else if (pick < 24 && g_rand_int_range (m->rand, 0, 8) == 0)
    stock_move (m);
  else if (pick < 24 && g_rand_int_range (m->rand, 0, 4) == 0)
    quick_key_move (m);
  else if (pick < 24)
    {
      count_move (m, "scan goods");
      till_checkout_enter_code (c, goods[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (goods))]);
    }
  else if (pick < 26)
    {
      count_move (m, "search and add (Ctrl+F)");
      search_and_add (m);
    }
  else if (pick < 28)
    {
      count_move (m, "suspend (Ctrl+H)");
      till_checkout_suspend_sale (c, NULL);
    }
  else if (pick < 30)
    {
      g_autoptr(GPtrArray) suspended = till_store_list_suspended (
        m->app->store, till_context_get_till_id (m->app->context), NULL);

      /* Ctrl+Shift+H: Enter on one of them, or Delete (void) now and then. */
      if (suspended != NULL && suspended->len > 0)
        {
          TillSuspendedSale *s = g_ptr_array_index (suspended,
                                                    g_rand_int_range (m->rand, 0,
                                                                      suspended->len));

          if (g_rand_int_range (m->rand, 0, 4) == 0)
            {
              count_move (m, "void suspended");
              till_checkout_void_suspended (c, s->id, NULL);
            }
          else
            {
              count_move (m, "resume (Ctrl+Shift+H)");
              till_checkout_resume_sale (c, s->id, NULL);
            }
        }
      else
        count_move (m, "resume, none suspended");
    }
  else if (pick < 33)
    {
      if (g_rand_boolean (m->rand))
        scale_weigh_move (m);
      else if (g_rand_int_range (m->rand, 0, 4) == 0)
        scale_tare_move (m);
      else
        {
          count_move (m, "weighed PLU");
          till_checkout_enter_code (c, "100001");
        }
    }
  else if (pick < 36)
    {
      count_move (m, "junk code");
      till_checkout_enter_code (c, junk[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (junk))]);
    }
  else if (pick < 40)
    {
      count_move (m, "quantity");
      till_checkout_set_line_qty (c, random_line (m), g_rand_int_range (m->rand, 1, 6) * 1000,
                                  NULL);
    }
  else if (pick < 43)
    {
      count_move (m, "void line");
      till_checkout_void_line (c, random_line (m), NULL);
    }
  else if (pick < 51)
    {
      gint64 due = till_checkout_get_due_fen (c);

      count_move (m, "cash");
      /* Sometimes the cashier read an old amount. */
      if (g_rand_int_range (m->rand, 0, 10) == 0)
        due += 10;
      till_checkout_pay_cash (c, due, ((due + 999) / 1000 + g_rand_int_range (m->rand, 0, 3))
                                      * 1000, NULL);
    }
  else if (pick < 55)
    {
      gint64 due = till_checkout_get_due_fen (c);

      count_move (m, "part cash");
      if (due > 100)
        till_checkout_pay_part_cash (c, due, (due / 2 / 10) * 10, NULL);
    }
  else if (pick < 70)
    {
      const char *ending = endings[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (endings))];

      /* The customer's wallet: WeChat Pay's or Alipay's code. */
      if (g_rand_int_range (m->rand, 0, 5) < 2)
        {
          g_autofree char *code = till_test_paysim_alipay_auth_code (ending);

          count_move (m, "Alipay payment code");
          till_checkout_enter_code (c, code);
        }
      else
        {
          g_autofree char *code = till_test_app_wechat_code (ending);

          count_move (m, "payment code");
          till_checkout_enter_code (c, code);
        }
    }
  else if (pick < 73)
    {
      count_move (m, "customer scans (F7)");
      till_checkout_pay_native (c, NULL);
    }
  else if (pick < 76)
    {
      const char *url = till_checkout_get_code_url (c);

      count_move (m, "customer pays the QR");
      if (url != NULL)
        {
          g_autoptr(GPtrArray) native = live_payments (m, TILL_PAYMENT_METHOD_WECHAT_NATIVE);
          g_autoptr(GPtrArray) alipay = live_payments (m, TILL_PAYMENT_METHOD_ALIPAY_QR);

          for (guint i = 0; i < native->len; i++)
            {
              TillPaymentRecord *p = g_ptr_array_index (native, i);
              g_autoptr(GError) error = NULL;

              till_test_paysim_native_pay (m->app->sim, p->out_trade_no, &error);
            }
          for (guint i = 0; i < alipay->len; i++)
            {
              TillPaymentRecord *p = g_ptr_array_index (alipay, i);

              alipay_scan (m, p->out_trade_no);
            }
        }
    }
  else if (pick < 80)
    {
      count_move (m, "cancel");
      till_checkout_cancel_payment (c, NULL);
    }
  else if (pick < 84)
    {
      count_move (m, "void sale");
      till_checkout_void_sale (c, NULL);
    }
  else if (pick < 89)
    {
      count_move (m, "next sale");
      till_checkout_new_sale (c, NULL);
    }
  else if (pick < 93)
    {
      g_autoptr(GError) error = NULL;

      if (m->network_down)
        {
          count_move (m, "network back");
          network_up (m);
        }
      else
        {
          count_move (m, "network down");
          g_assert_true (till_test_paysim_arm_fault (m->app->sim, "/v3/", "drop", 0, 0, 100000,
                                                     &error));
          g_assert_true (till_test_paysim_arm_alipay_fault (m->app->sim, NULL, "drop", 0, 0,
                                                            100000, &error));
          m->network_down = TRUE;
        }
    }
  else if (pick < 95)
    {
      g_autoptr(GError) error = NULL;

      count_move (m, "provider clock off");
      m->clock_off = !m->clock_off;
      g_assert_true (till_test_paysim_set_clock (m->app->sim,
                                                 m->day_offset_s + (m->clock_off ? 900 : 0),
                                                 &error));
    }
  else if (pick < 97)
    {
      count_move (m, "restart (as a crash)");
      m->restarts++;
      till_test_app_restart (m->app);
      g_signal_connect (m->app->checkout, "weight-needed", G_CALLBACK (weight_needed_cb), m);
    }
  else if (g_rand_int_range (m->rand, 0, 3) == 0)
    {
      count_move (m, "day close, next day");
      close_day (m);
    }
  else
    {
      count_move (m, "checkpoint");
      checkpoint (m);
    }
}

static void
test_monkey (void)
{
  const char *const sim_args[] = { "--password-delay-ms", "1500", NULL };
  const char *seed_env = g_getenv ("TILL_MONKEY_SEED");
  const char *steps_env = g_getenv ("TILL_MONKEY_STEPS");
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10)
                                  : (guint32) g_get_real_time ();
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  Monkey m = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  gint64 started = g_get_monotonic_time ();

  m.steps = steps_env != NULL ? (guint) g_ascii_strtoull (steps_env, NULL, 10) : 3000;
  g_setenv ("TILL_MONKEY_SEED_USED", seed_text, TRUE);
  g_test_message ("monkey: TILL_MONKEY_SEED=%u TILL_MONKEY_STEPS=%u", seed, m.steps);
  g_printerr ("monkey: TILL_MONKEY_SEED=%u TILL_MONKEY_STEPS=%u\n", seed, m.steps);

  m.rand = g_rand_new_with_seed (seed);
  m.moves = g_hash_table_new (g_str_hash, g_str_equal);
  m.app = till_test_app_new_full (TRUE, sim_args, NULL);
  g_signal_connect (m.app->checkout, "weight-needed", G_CALLBACK (weight_needed_cb), &m);
  arrange_quick_keys (&m);
  make_members (&m);
  scale_open (&m);
  {
    g_autoptr(GError) error = NULL;

    /* the head office's jobs queued (no sender here: they stay pending, and the books
     * are checked to have every booked row's job after every move) */
    g_assert_true (till_store_hq_set_enabled (m.app->store, TRUE, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(TillPeople) people = till_people_new (m.app->store);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (till_people_add (people, "店长", TILL_ROLE_MANAGER, "8642", "monkey",
                                      &error), >, 0);
    m.manager = till_people_approve (people, "8642", TILL_APPROVAL_DISCOUNT, NULL, NULL,
                                     &error);
    g_assert_no_error (error);
  }
  /* Both providers are set up: F7 is WeChat Pay's QR, Shift+F7 Alipay's. */
  g_assert_cmpstr (till_checkout_get_qr_provider (m.app->checkout), ==, "wechat");
  g_assert_cmpstr (till_checkout_get_other_qr_provider (m.app->checkout), ==, "alipay");

  m.move_ms = g_hash_table_new (g_str_hash, g_str_equal);
  for (m.step = 1; m.step <= m.steps; m.step++)
    {
      gint64 step_started = g_get_monotonic_time (), checks_started;

      m.move_name = "(none)";
      move (&m);
      /* The world goes on for a moment: answers arrive, timers fire. */
      till_test_app_spin (g_rand_int_range (m.rand, 0, 60));
      checks_started = g_get_monotonic_time ();
      check_books (&m);
      check_stock (&m);
      check_drawer (&m);
      check_not_locked (&m);
      if (m.step % 250 == 0)
        checkpoint (&m);
      m.checks_us += g_get_monotonic_time () - checks_started;
      g_hash_table_replace (m.move_ms, (gpointer) m.move_name,
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (m.move_ms, m.move_name))
                                              + (guint) ((g_get_monotonic_time () - step_started) / 1000)));
    }
  checkpoint (&m);

  till_clock_set_offset_for_testing (0);
  g_test_message ("monkey: %u steps, %u checkpoints, %u restarts, %u days closed, %u returns"
                  " without receipt, %u receivings, %u stocktakes in %.0f s",
                  m.steps, m.checkpoints, m.restarts, m.days_closed, m.returns, m.receivings,
                  m.stocktakes,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_hash_table_iter_init (&iter, m.moves);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_test_message ("monkey:   %-22s %5u  %6.1f s", (const char *) key, GPOINTER_TO_UINT (value),
                    GPOINTER_TO_UINT (g_hash_table_lookup (m.move_ms, key)) / 1000.0);
  g_test_message ("monkey: the checks after every move took %.1f s in all",
                  m.checks_us / (double) G_USEC_PER_SEC);
  g_test_message ("monkey: %" G_GINT64_FORMAT " sales, %" G_GINT64_FORMAT
                  " payments (%" G_GINT64_FORMAT " electronic, %" G_GINT64_FORMAT " Alipay: %"
                  G_GINT64_FORMAT " paid; %" G_GINT64_FORMAT " Alipay QR: %" G_GINT64_FORMAT
                  " paid), %" G_GINT64_FORMAT " refunds",
                  db_int (&m, "SELECT count (*) FROM sale"),
                  db_int (&m, "SELECT count (*) FROM payment"),
                  db_int (&m, "SELECT count (*) FROM payment"
                              " WHERE method NOT IN ('cash', 'stored_value')"),
                  db_int (&m, "SELECT count (*) FROM payment WHERE method LIKE 'alipay_%'"),
                  db_int (&m, "SELECT count (*) FROM payment WHERE method LIKE 'alipay_%'"
                              " AND state = 'paid'"),
                  db_int (&m, "SELECT count (*) FROM payment WHERE method = 'alipay_qr'"),
                  db_int (&m, "SELECT count (*) FROM payment WHERE method = 'alipay_qr'"
                              " AND state = 'paid'"),
                  db_int (&m, "SELECT count (*) FROM refund"));

  g_test_message ("monkey: members: %" G_GINT64_FORMAT " sales with a member, %" G_GINT64_FORMAT
                  " top-ups rung up (%" G_GINT64_FORMAT " paid and credited), %" G_GINT64_FORMAT
                  " payments from a card, %" G_GINT64_FORMAT " given back; cards hold %"
                  G_GINT64_FORMAT " fen, %" G_GINT64_FORMAT " points",
                  db_int (&m, "SELECT count (*) FROM sale WHERE member_id IS NOT NULL"),
                  db_int (&m, "SELECT count (*) FROM sale WHERE kind = 'topup'"),
                  db_int (&m, "SELECT count (*) FROM stored_value_move WHERE kind = 'topup'"),
                  db_int (&m, "SELECT count (*) FROM payment WHERE method = 'stored_value'"),
                  db_int (&m, "SELECT count (*) FROM stored_value_move WHERE kind = 'refund'"),
                  db_int (&m, "SELECT coalesce (sum (paid_fen + bonus_fen), 0)"
                              " FROM stored_value_move"),
                  db_int (&m, "SELECT coalesce (sum (points), 0) FROM points_move"));
  g_test_message ("monkey: scale: %u lines weighed on it, %u weights refused", m.scale_weighed,
                  m.scale_refused);
  g_test_message ("monkey: points: %" G_GINT64_FORMAT " sales with points redeemed (%"
                  G_GINT64_FORMAT " paid, %" G_GINT64_FORMAT " voided), %" G_GINT64_FORMAT
                  " redemption moves, %" G_GINT64_FORMAT " points given back",
                  db_int (&m, "SELECT count (*) FROM sale WHERE points_redeemed > 0"),
                  db_int (&m, "SELECT count (*) FROM sale WHERE points_redeemed > 0"
                              " AND state IN ('paid', 'refunded')"),
                  db_int (&m, "SELECT count (*) FROM sale WHERE points_redeemed > 0"
                              " AND state = 'voided'"),
                  db_int (&m, "SELECT count (*) FROM points_move WHERE sale_id IS NOT NULL"),
                  db_int (&m, "SELECT coalesce (sum (points), 0) FROM points_move"
                              " WHERE kind IN ('release', 'return')"));
  g_test_message ("monkey: %" G_GINT64_FORMAT " sales suspended, %" G_GINT64_FORMAT
                  " resumed, %" G_GINT64_FORMAT " still suspended",
                  db_int (&m, "SELECT count (*) FROM audit WHERE action = 'suspend_sale'"),
                  db_int (&m, "SELECT count (*) FROM audit WHERE action = 'resume_sale'"),
                  db_int (&m, "SELECT count (*) FROM sale WHERE state = 'suspended'"));

  g_hash_table_unref (m.moves);
  g_hash_table_unref (m.move_ms);
  g_clear_pointer (&m.db, sqlite3_close);
  g_clear_pointer (&m.manager, till_person_free);
  g_rand_free (m.rand);
  g_free (m.member_codes[0]);
  g_free (m.member_codes[1]);
  g_clear_object (&m.weigh_line);
  till_test_app_free (m.app);
  close (m.scale_master);
  g_free (m.scale_port);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/slow/monkey", test_monkey);
  return g_test_run ();
}
