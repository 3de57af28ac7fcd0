/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Compares the provider's bill with the till's payments and refunds. */
#define G_LOG_DOMAIN "till-reconcile"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-json-private.h"
#include "till-money.h"
#include "till-reconcile.h"

TillReconcileItem *
till_reconcile_item_new (gboolean    is_refund,
                         const char *key,
                         const char *trade_key,
                         const char *method,
                         gint64      amount_fen,
                         const char *state,
                         const char *sale_number,
                         gint64      at)
{
  TillReconcileItem *item = g_new0 (TillReconcileItem, 1);

  item->is_refund = is_refund;
  item->key = g_strdup (key);
  item->trade_key = g_strdup (trade_key);
  item->method = g_strdup (method);
  item->amount_fen = amount_fen;
  item->state = g_strdup (state);
  item->sale_number = g_strdup (sale_number);
  item->at = at;
  return item;
}

void
till_reconcile_item_free (TillReconcileItem *item)
{
  if (item == NULL)
    return;
  g_free (item->key);
  g_free (item->trade_key);
  g_free (item->method);
  g_free (item->state);
  g_free (item->sale_number);
  g_free (item);
}

static void
diff_free (TillReconcileDiff *diff)
{
  g_free (diff->key);
  g_free (diff->bill_state);
  g_free (diff->till_state);
  g_free (diff->sale_number);
  g_free (diff->time);
  g_free (diff);
}

void
till_reconciliation_free (TillReconciliation *result)
{
  if (result == NULL)
    return;
  g_free (result->date);
  g_clear_pointer (&result->differences, g_ptr_array_unref);
  g_free (result);
}

const char *
till_reconcile_kind_to_string (TillReconcileKind kind)
{
  switch (kind)
    {
    case TILL_RECONCILE_MISSING_AT_TILL: return "missing_at_till";
    case TILL_RECONCILE_MISSING_AT_PROVIDER: return "missing_at_provider";
    case TILL_RECONCILE_AMOUNT: return "amount";
    case TILL_RECONCILE_STATE: return "state";
    default: g_return_val_if_reached (NULL);
    }
}

static gboolean
till_counts (const TillReconcileItem *item)
{
  return g_strcmp0 (item->state, item->is_refund ? "success" : "paid") == 0;
}

static gboolean
bill_counts (const TillBillRow *row)
{
  return row->state == TILL_BILL_ROW_DONE;
}

/* Do both sides tell the same story about whether money moved? */
static gboolean
states_agree (const TillBillRow       *row,
              const TillReconcileItem *item)
{
  if (row->kind == TILL_BILL_ROW_REFUND)
    {
      if (row->state == TILL_BILL_ROW_PROCESSING)
        return g_strcmp0 (item->state, "processing") == 0
               || g_strcmp0 (item->state, "submitting") == 0
               || g_strcmp0 (item->state, "in_doubt") == 0;
      return bill_counts (row) == till_counts (item);
    }
  if (row->state == TILL_BILL_ROW_REVERSED)
    return g_strcmp0 (item->state, "reversed") == 0
           || g_strcmp0 (item->state, "closed") == 0
           || g_strcmp0 (item->state, "failed") == 0;
  return bill_counts (row) == till_counts (item);
}

static char *
local_time (gint64 at)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static void
add_diff (TillReconciliation      *result,
          TillReconcileKind        kind,
          const TillBillRow       *row,
          const TillReconcileItem *item)
{
  TillReconcileDiff *diff = g_new0 (TillReconcileDiff, 1);

  diff->kind = kind;
  diff->is_refund = row != NULL ? row->kind == TILL_BILL_ROW_REFUND : item->is_refund;
  if (row != NULL)
    {
      diff->key = g_strdup (diff->is_refund ? row->out_refund_no : row->out_trade_no);
      diff->bill_amount_fen = diff->is_refund ? row->refund_fen : row->order_fen;
      diff->bill_state = g_strdup (diff->is_refund ? row->refund_state : row->trade_state);
      diff->time = g_strdup (row->trade_time);
    }
  if (item != NULL)
    {
      if (diff->key == NULL)
        diff->key = g_strdup (item->key);
      diff->till_amount_fen = item->amount_fen;
      diff->till_state = g_strdup (item->state);
      diff->sale_number = g_strdup (item->sale_number);
      if (diff->time == NULL)
        diff->time = local_time (item->at);
    }
  g_ptr_array_add (result->differences, diff);

  switch (kind)
    {
    case TILL_RECONCILE_MISSING_AT_TILL: result->n_missing_at_till++; break;
    case TILL_RECONCILE_MISSING_AT_PROVIDER: result->n_missing_at_provider++; break;
    case TILL_RECONCILE_AMOUNT: result->n_amount++; break;
    case TILL_RECONCILE_STATE: result->n_state++; break;
    default: g_assert_not_reached ();
    }
}

TillReconciliation *
till_reconcile (const char     *date,
                const TillBill *bill,
                GPtrArray      *till_items)
{
  TillReconciliation *result = g_new0 (TillReconciliation, 1);
  /* key -> item, payments and refunds apart (the two number spaces may overlap) */
  g_autoptr(GHashTable) payments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) refunds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (bill != NULL, NULL);
  g_return_val_if_fail (till_items != NULL, NULL);

  result->date = g_strdup (date);
  result->differences = g_ptr_array_new_with_free_func ((GDestroyNotify) diff_free);
  result->n_bill_rows = bill->rows->len;
  result->n_till_items = till_items->len;

  for (guint i = 0; i < till_items->len; i++)
    {
      TillReconcileItem *item = g_ptr_array_index (till_items, i);

      g_hash_table_insert (item->is_refund ? refunds : payments, item->key, item);
    }

  for (guint i = 0; i < bill->rows->len; i++)
    {
      const TillBillRow *row = g_ptr_array_index (bill->rows, i);
      gboolean is_refund = row->kind == TILL_BILL_ROW_REFUND;
      TillReconcileItem *item = g_hash_table_lookup (is_refund ? refunds : payments,
                                                     is_refund ? row->out_refund_no
                                                               : row->out_trade_no);
      gint64 bill_amount = is_refund ? row->refund_fen : row->order_fen;

      if (bill_counts (row))
        {
          if (is_refund)
            result->bill_refunded_fen += row->refund_fen;
          else
            result->bill_paid_fen += row->order_fen;
        }

      if (item == NULL)
        {
          add_diff (result, TILL_RECONCILE_MISSING_AT_TILL, row, NULL);
          continue;
        }
      g_hash_table_add (seen, item);
      if (!states_agree (row, item))
        add_diff (result, TILL_RECONCILE_STATE, row, item);
      else if (bill_amount != item->amount_fen)
        add_diff (result, TILL_RECONCILE_AMOUNT, row, item);
      else
        result->n_matched++;
    }

  for (guint i = 0; i < till_items->len; i++)
    {
      TillReconcileItem *item = g_ptr_array_index (till_items, i);

      if (till_counts (item))
        {
          if (item->is_refund)
            result->till_refunded_fen += item->amount_fen;
          else
            result->till_paid_fen += item->amount_fen;
        }
      if (g_hash_table_contains (seen, item))
        continue;
      /* Only money the till counts must appear at the provider: a failed or reversed
       * attempt leaves no row in the bill. */
      if (till_counts (item))
        add_diff (result, TILL_RECONCILE_MISSING_AT_PROVIDER, NULL, item);
    }
  return result;
}

gboolean
till_reconciliation_is_balanced (const TillReconciliation *result)
{
  g_return_val_if_fail (result != NULL, FALSE);
  return result->differences->len == 0;
}

char *
till_reconciliation_to_json (const TillReconciliation *r)
{
  GString *out = g_string_new ("{\"date\":");

  g_return_val_if_fail (r != NULL, NULL);

  _till_json_append_string (out, r->date);
  g_string_append_printf (out, ",\"balanced\":%s,\"counts\":{\"bill_rows\":%u,"
                          "\"till_items\":%u,\"matched\":%u,\"missing_at_till\":%u,"
                          "\"missing_at_provider\":%u,\"amount\":%u,\"state\":%u},",
                          till_reconciliation_is_balanced (r) ? "true" : "false",
                          r->n_bill_rows, r->n_till_items, r->n_matched,
                          r->n_missing_at_till, r->n_missing_at_provider, r->n_amount,
                          r->n_state);
  g_string_append_printf (out, "\"totals\":{\"bill_paid_fen\":%" G_GINT64_FORMAT
                          ",\"bill_refunded_fen\":%" G_GINT64_FORMAT
                          ",\"till_paid_fen\":%" G_GINT64_FORMAT
                          ",\"till_refunded_fen\":%" G_GINT64_FORMAT "},\"differences\":[",
                          r->bill_paid_fen, r->bill_refunded_fen, r->till_paid_fen,
                          r->till_refunded_fen);
  for (guint i = 0; i < r->differences->len; i++)
    {
      const TillReconcileDiff *d = g_ptr_array_index (r->differences, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"kind\":");
      _till_json_append_string (out, till_reconcile_kind_to_string (d->kind));
      g_string_append_printf (out, ",\"refund\":%s,\"key\":", d->is_refund ? "true" : "false");
      _till_json_append_string (out, d->key);
      g_string_append_printf (out, ",\"bill_amount_fen\":%" G_GINT64_FORMAT
                              ",\"till_amount_fen\":%" G_GINT64_FORMAT ",\"bill_state\":",
                              d->bill_amount_fen, d->till_amount_fen);
      _till_json_append_string (out, d->bill_state);
      g_string_append (out, ",\"till_state\":");
      _till_json_append_string (out, d->till_state);
      g_string_append (out, ",\"sale\":");
      _till_json_append_string (out, d->sale_number);
      g_string_append (out, ",\"time\":");
      _till_json_append_string (out, d->time);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static const char *
kind_label (TillReconcileKind kind)
{
  switch (kind)
    {
    case TILL_RECONCILE_MISSING_AT_TILL: return _("Missing at the till");
    case TILL_RECONCILE_MISSING_AT_PROVIDER: return _("Missing in the bill");
    case TILL_RECONCILE_AMOUNT: return _("Amount differs");
    case TILL_RECONCILE_STATE: return _("State differs");
    default: g_return_val_if_reached ("");
    }
}

char *
till_reconciliation_to_text (const TillReconciliation *r)
{
  GString *out = g_string_new (NULL);
  g_autofree char *bill_paid = NULL, *bill_refunded = NULL;
  g_autofree char *till_paid = NULL, *till_refunded = NULL;

  g_return_val_if_fail (r != NULL, NULL);

  bill_paid = till_money_format_plain (r->bill_paid_fen);
  bill_refunded = till_money_format_plain (r->bill_refunded_fen);
  till_paid = till_money_format_plain (r->till_paid_fen);
  till_refunded = till_money_format_plain (r->till_refunded_fen);

  g_string_append_printf (out, _("Reconciliation %s\n"), r->date);
  g_string_append_printf (out, _("Result: %s\n"),
                          till_reconciliation_is_balanced (r) ? _("balanced")
                                                              : _("differences"));
  g_string_append_printf (out, _("Bill rows: %u   Till records: %u\n"),
                          r->n_bill_rows, r->n_till_items);
  g_string_append_printf (out, _("Matched: %u\n"), r->n_matched);
  g_string_append_printf (out, "%s: %u\n", kind_label (TILL_RECONCILE_MISSING_AT_TILL),
                          r->n_missing_at_till);
  g_string_append_printf (out, "%s: %u\n", kind_label (TILL_RECONCILE_MISSING_AT_PROVIDER),
                          r->n_missing_at_provider);
  g_string_append_printf (out, "%s: %u\n", kind_label (TILL_RECONCILE_AMOUNT), r->n_amount);
  g_string_append_printf (out, "%s: %u\n", kind_label (TILL_RECONCILE_STATE), r->n_state);
  g_string_append_printf (out, _("Paid: bill %s / till %s\n"), bill_paid, till_paid);
  g_string_append_printf (out, _("Refunded: bill %s / till %s\n"), bill_refunded,
                          till_refunded);
  for (guint i = 0; i < r->differences->len; i++)
    {
      const TillReconcileDiff *d = g_ptr_array_index (r->differences, i);
      g_autofree char *bill_amount = till_money_format_plain (d->bill_amount_fen);
      g_autofree char *till_amount = till_money_format_plain (d->till_amount_fen);

      g_string_append_printf (out, "- %s %s %s%s | bill %s %s | till %s %s%s%s\n",
                              d->time ? d->time : "", kind_label (d->kind),
                              d->is_refund ? _("refund ") : "", d->key,
                              d->bill_state ? d->bill_state : "-",
                              d->bill_state ? bill_amount : "",
                              d->till_state ? d->till_state : "-",
                              d->till_state ? till_amount : "",
                              d->sale_number ? " | " : "",
                              d->sale_number ? d->sale_number : "");
    }
  return g_string_free (out, FALSE);
}
