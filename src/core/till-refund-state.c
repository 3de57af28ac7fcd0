/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The state machine of a refund, and the rule that a sale never gives back more than it
 * took (no I/O: the store applies them in the transaction that writes the refund). */
#define G_LOG_DOMAIN "till-core"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "till-core-error.h"
#include "till-money.h"
#include "till-refund-state.h"

static int
name_index (const char *const *names,
            gsize              n,
            const char        *text)
{
  if (text == NULL)
    return -1;
  for (gsize i = 0; i < n; i++)
    if (names[i] != NULL && g_str_equal (names[i], text))
      return (int) i;
  return -1;
}

static const char *const state_names[] = {
  [TILL_REFUND_STATE_SUBMITTING] = "submitting",
  [TILL_REFUND_STATE_PROCESSING] = "processing",
  [TILL_REFUND_STATE_IN_DOUBT] = "in_doubt",
  [TILL_REFUND_STATE_SUCCESS] = "success",
  [TILL_REFUND_STATE_FAILED] = "failed",
  [TILL_REFUND_STATE_CLOSED] = "closed",
};

const char *
till_refund_state_to_string (TillRefundState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
till_refund_state_from_string (const char      *text,
                               TillRefundState *out)
{
  int i = name_index (state_names, G_N_ELEMENTS (state_names), text);

  if (i < 0)
    return FALSE;
  *out = (TillRefundState) i;
  return TRUE;
}

gboolean
till_refund_state_is_final (TillRefundState state)
{
  return state == TILL_REFUND_STATE_SUCCESS || state == TILL_REFUND_STATE_FAILED
         || state == TILL_REFUND_STATE_CLOSED;
}

gboolean
till_refund_state_can_move (TillRefundState from,
                            TillRefundState to)
{
  switch (from)
    {
    case TILL_REFUND_STATE_SUBMITTING:
      return to != TILL_REFUND_STATE_SUBMITTING;
    case TILL_REFUND_STATE_IN_DOUBT:
      return to != TILL_REFUND_STATE_SUBMITTING;
    case TILL_REFUND_STATE_PROCESSING:
      return to == TILL_REFUND_STATE_PROCESSING || to == TILL_REFUND_STATE_SUCCESS
             || to == TILL_REFUND_STATE_CLOSED;
    case TILL_REFUND_STATE_SUCCESS:
    case TILL_REFUND_STATE_FAILED:
    case TILL_REFUND_STATE_CLOSED:
    default:
      return FALSE;
    }
}

gboolean
till_refund_check_amount (gint64   amount_fen,
                          gint64   paid_fen,
                          gint64   refunded_fen,
                          GError **error)
{
  gint64 left = MAX (paid_fen - refunded_fen, 0);

  if (amount_fen <= 0)
    {
      g_set_error_literal (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
                           _("Enter an amount to refund greater than ¥0.00"));
      return FALSE;
    }
  if (amount_fen > left)
    {
      g_autofree char *amount = till_money_format (amount_fen);
      g_autofree char *can = till_money_format (left);

      g_set_error (error, TILL_CORE_ERROR, TILL_CORE_ERROR_INVALID_MONEY,
                   _("%s is more than can be refunded for this sale (%s)"), amount, can);
      return FALSE;
    }
  return TRUE;
}
