/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout and members (issue 16): a member found by a scanned member code or a
 * typed mobile number is put on the sale at the counter; a top-up (money put on the card)
 * is a sale of its own kind, paid like any other and credited by the store when it is
 * paid; stored value is a tender, confirmed by the member. The member's balances on show
 * are read again after every change. Phone numbers never reach a log or a message: the
 * sale carries the masked form. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"
#include "till-member-code.h"
#include "till-member-pin.h"
#include "till-money.h"
#include "till-phone.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"

/* ------------------------------------------------------------------------------------ */
/* Finding the member                                                                    */

typedef struct
{
  char    *query;        /* a member code or a mobile number, as scanned or typed */
  gint64   member_id;    /* or this member (a pick from a list) */
  char    *till_id;
  gboolean need_number;  /* the counter shows a closed sale: open the next one */
} FindData;

typedef struct
{
  TillSaleMember   *member;
  TillMemberBalance balance;
  TillSale         *new_sale;
  GHashTable       *prices;        /* of the member's level, NULL without one */
  gint64            discount_bp;
} FindResult;

static void
find_data_free (gpointer data)
{
  FindData *fd = data;

  g_free (fd->query);
  g_free (fd->till_id);
  g_free (fd);
}

static void
find_result_free (gpointer data)
{
  FindResult *fr = data;

  g_clear_pointer (&fr->member, till_sale_member_free);
  g_clear_object (&fr->new_sale);
  g_clear_pointer (&fr->prices, g_hash_table_unref);
  g_free (fr);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FindResult, find_result_free)

static TillSaleMember *
sale_member_of (const TillMember *m)
{
  g_autofree char *masked = m->phone != NULL ? till_phone_mask (m->phone) : NULL;

  return till_sale_member_new (m->id, m->code, m->name, masked, m->level_id, m->level_name);
}

static gpointer
find_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  FindData *fd = data;
  g_autoptr(FindResult) fr = g_new0 (FindResult, 1);
  g_autoptr(TillMember) m = NULL;
  g_autofree char *code = NULL;

  if (fd->member_id > 0)
    m = till_store_get_member (store, fd->member_id, error);
  else if ((code = till_member_code_normalize (fd->query)) != NULL)
    m = till_store_find_member_by_code (store, code, error);
  else
    m = till_store_find_member_by_phone (store, fd->query, error);
  if (m == NULL)
    return NULL;
  if (!m->active)
    {
      g_set_error_literal (error, TILL_STORE_ERROR, TILL_STORE_ERROR_INVALID_STATE,
                           _("This member's card is no longer active"));
      return NULL;
    }
  if (!till_store_member_balance (store, m->id, &fr->balance, error))
    return NULL;
  if (m->level_id > 0
      && (fr->prices = till_store_member_pricing (store, m->level_id, &fr->discount_bp,
                                                  error)) == NULL)
    return NULL;
  fr->member = sale_member_of (m);
  if (fd->need_number)
    {
      fr->new_sale = _till_checkout_make_new_sale (store, fd->till_id, error);
      if (fr->new_sale == NULL)
        return NULL;
    }
  return g_steal_pointer (&fr);
}

/* ------------------------------------------------------------------------------------ */
/* Member prices (stated order: the member price replaces the catalog's, then the line's
 * own discount, the sale's discount and 抹零 apply to it as to any price)                */

static void
set_pricing (TillCheckout *self,
             GHashTable   *prices,
             gint64        discount_bp)
{
  g_clear_pointer (&self->member_prices, g_hash_table_unref);
  self->member_prices = prices != NULL ? g_hash_table_ref (prices) : NULL;
  self->member_discount_bp = CLAMP (discount_bp, 0, 10000);
}

/* The member price of the line's goods, or -1: none, or not below the catalog's. */
static gint64
member_price_for (TillCheckout *self,
                  TillSaleLine *line)
{
  gint64 product = till_sale_line_get_product_id (line);
  gint64 original = till_sale_line_get_original_unit_price_fen (line);
  gint64 *price = NULL;
  gint64 member_price = -1;

  if (product <= 0 || till_sale_line_get_fixed_total (line) || original <= 0)
    return -1;
  if (self->member_prices != NULL)
    price = g_hash_table_lookup (self->member_prices, &product);
  if (price != NULL)
    member_price = *price;
  else if (self->member_discount_bp > 0)
    member_price = (original * (10000 - self->member_discount_bp) + 5000) / 10000;
  return member_price >= 0 && member_price < original ? member_price : -1;
}

void
_till_checkout_member_price_line (TillCheckout *self,
                                  TillSaleLine *line)
{
  gint64 price;

  if (self->sale == NULL || till_sale_get_member (self->sale) == NULL
      || till_sale_line_get_price_overridden (line))
    return;
  price = member_price_for (self, line);
  if (price >= 0 && !till_sale_line_set_unit_price (line, price, NULL))
    g_message ("Member price %" G_GINT64_FORMAT " not applied to product %" G_GINT64_FORMAT,
               price, till_sale_line_get_product_id (line));
}

/* The lines of the open sale at the member's prices (`on`), or back at the catalog's. A
 * price the cashier changed by hand stays. */
static void
reprice_sale (TillCheckout *self,
              gboolean      on)
{
  guint n;

  if (!_till_checkout_sale_open (self) || till_checkout_get_cart_locked (self))
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sale));
  for (guint i = 0; i < n; i++)
    {
      TillSaleLine *line = till_sale_get_line (self->sale, i);
      gint64 price = member_price_for (self, line);
      gint64 unit = till_sale_line_get_unit_price_fen (line);
      gint64 original = till_sale_line_get_original_unit_price_fen (line);

      if (price < 0)
        continue;
      if (on && unit == original)
        till_sale_set_line_price (self->sale, i, price, NULL);
      else if (!on && unit == price)
        till_sale_set_line_price (self->sale, i, original, NULL);
    }
}

void
_till_checkout_member_dispose (TillCheckout *self)
{
  g_clear_pointer (&self->member_prices, g_hash_table_unref);
}

static void
set_balance (TillCheckout            *self,
             const TillMemberBalance *balance)
{
  gint64 stored = balance != NULL ? balance->paid_fen + balance->bonus_fen : -1;
  gint64 points = balance != NULL ? balance->points : -1;

  if (self->member_stored_value_fen == stored && self->member_points == points)
    return;
  self->member_stored_value_fen = stored;
  self->member_points = points;
  _till_checkout_notify_member (self);
}

static void
say_member (TillCheckout         *self,
            const TillSaleMember *member)
{
  g_autofree char *label = till_sale_member_dup_label (member);
  g_autofree char *stored = till_money_format (MAX (self->member_stored_value_fen, 0));
  g_autofree char *points = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (self->member_points, 0));
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("Member %s — stored value %s, %s points"), label, stored, points);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
}

static void
find_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(FindResult) fr = NULL;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  fr = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (fr == NULL)
    {
      self->number_requested = FALSE;
      if (g_error_matches (error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        _till_checkout_say (self, TILL_MESSAGE_ERROR,
                            _("No member with that code or phone number — nothing changed"));
      else
        _till_checkout_say_error (self, _("Member lookup failed"), error);
      return;
    }
  if (fr->new_sale != NULL)
    {
      self->number_requested = FALSE;
      _till_checkout_open_sale (self, fr->new_sale);
    }
  if (!_till_checkout_sale_open (self) || self->paid_fen > 0 || _till_checkout_payment_live (self)
      || self->busy)
    {
      _till_checkout_say (self, TILL_MESSAGE_ERROR,
                          _("Money is being taken for this sale: the member goes on the next "
                            "one"));
      return;
    }
  if (till_sale_get_member (self->sale) != NULL)
    reprice_sale (self, FALSE);   /* another member: the first one's prices go */
  set_pricing (self, fr->prices, fr->discount_bp);
  till_sale_set_member (self->sale, fr->member);
  if (till_sale_get_kind (self->sale) == TILL_SALE_KIND_GOODS)
    reprice_sale (self, TRUE);
  set_balance (self, &fr->balance);
  say_member (self, fr->member);
}

static gboolean
find_member (TillCheckout *self,
             const char   *query,
             gint64        member_id,
             GError      **error)
{
  FindData *fd;

  if (self->sale == NULL || self->number_requested)
    return _till_checkout_refuse (self, error, _("Please wait — the next sale is being opened"));
  if (_till_checkout_sale_open (self)
      && (self->paid_fen > 0 || _till_checkout_payment_live (self) || self->busy))
    return _till_checkout_refuse (self, error,
                                  _("Money is being taken for this sale: the member goes on "
                                    "the next one"));

  fd = g_new0 (FindData, 1);
  fd->query = g_strdup (query);
  fd->member_id = member_id;
  fd->till_id = g_strdup (till_context_get_till_id (self->context));
  fd->need_number = !_till_checkout_sale_open (self);
  if (fd->need_number)
    self->number_requested = TRUE;
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), find_job, fd, find_data_free,
                        find_result_free, self->cancellable, find_cb, g_object_ref (self));
  return TRUE;
}

gboolean
till_checkout_find_member (TillCheckout *self,
                           const char   *code_or_phone,
                           GError      **error)
{
  g_autofree char *code = NULL;
  g_autofree char *phone = NULL;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  code = till_member_code_normalize (code_or_phone);
  phone = code == NULL ? till_phone_normalize (code_or_phone) : NULL;
  if (code == NULL && phone == NULL)
    return _till_checkout_refuse (self, error,
                                  _("Type the member’s mobile number (11 digits) or scan the "
                                    "member code"));
  return find_member (self, code != NULL ? code : phone, 0, error);
}

gboolean
till_checkout_attach_member_id (TillCheckout *self,
                                gint64        member_id,
                                GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (member_id <= 0)
    return _till_checkout_refuse (self, error, _("No member chosen"));
  return find_member (self, NULL, member_id, error);
}

gboolean
till_checkout_detach_member (TillCheckout *self,
                             GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!_till_checkout_sale_open (self) || till_sale_get_member (self->sale) == NULL)
    return _till_checkout_refuse (self, error, _("There is no member on this sale"));
  if (self->paid_fen > 0 || _till_checkout_payment_live (self) || self->busy)
    return _till_checkout_refuse (self, error,
                                  _("Money is being taken for this sale: the member stays"));
  if (till_sale_get_kind (self->sale) == TILL_SALE_KIND_TOPUP)
    return _till_checkout_refuse (self, error,
                                  _("A top-up needs its member: void it instead"));
  reprice_sale (self, FALSE);
  set_pricing (self, NULL, 0);
  till_sale_set_member (self->sale, NULL);
  set_balance (self, NULL);
  _till_checkout_say (self, TILL_MESSAGE_INFO, _("Member taken off this sale"));
  return TRUE;
}

gint64
till_checkout_get_member_stored_value_fen (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), -1);
  return self->member_stored_value_fen;
}

gint64
till_checkout_get_member_points (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), -1);
  return self->member_points;
}

/* ------------------------------------------------------------------------------------ */
/* Balances on show                                                                      */

typedef struct
{
  TillMemberBalance balance;
  GHashTable       *prices;
  gint64            discount_bp;
} BalanceResult;

static void
balance_result_free (gpointer data)
{
  BalanceResult *r = data;

  g_clear_pointer (&r->prices, g_hash_table_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BalanceResult, balance_result_free)

static gpointer
balance_job (TillStore *store,
             gpointer   data,
             GError   **error)
{
  g_autoptr(BalanceResult) r = g_new0 (BalanceResult, 1);
  g_autoptr(TillMember) m = till_store_get_member (store, *(gint64 *) data, error);

  if (m == NULL || !till_store_member_balance (store, m->id, &r->balance, error))
    return NULL;
  if (m->level_id > 0
      && (r->prices = till_store_member_pricing (store, m->level_id, &r->discount_bp,
                                                 error)) == NULL)
    return NULL;
  return g_steal_pointer (&r);
}

typedef struct
{
  TillCheckout *self;
  gint64        member_id;
} BalanceRequest;

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  BalanceRequest *request = user_data;
  g_autoptr(TillCheckout) self = request->self;
  g_autoptr(BalanceResult) r = NULL;
  g_autoptr(GError) error = NULL;

  _till_checkout_job_ended (self);
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (r == NULL)
    g_message ("Member balance not read: %s", error->message);
  else if (self->sale != NULL && till_sale_get_member_id (self->sale) == request->member_id)
    {
      set_pricing (self, r->prices, r->discount_bp);
      set_balance (self, &r->balance);
    }
  g_free (request);
}

void
_till_checkout_member_refresh (TillCheckout *self)
{
  gint64 member_id = self->sale != NULL ? till_sale_get_member_id (self->sale) : 0;
  BalanceRequest *request;
  gint64 *id;

  if (member_id <= 0)
    {
      set_pricing (self, NULL, 0);
      set_balance (self, NULL);
      return;
    }
  request = g_new0 (BalanceRequest, 1);
  request->self = g_object_ref (self);
  request->member_id = member_id;
  id = g_new (gint64, 1);
  *id = member_id;
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), balance_job, id, g_free,
                        balance_result_free, NULL, balance_cb, request);
}

/* ------------------------------------------------------------------------------------ */
/* Top-ups                                                                               */

typedef struct
{
  gint64 amount_fen;
} TopupData;

static gpointer
rules_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  return till_store_list_topup_rules (store, error);
}

static gboolean
topup_refused (TillCheckout *self,
               GError      **error)
{
  if (!_till_checkout_sale_open (self) || till_sale_get_member (self->sale) == NULL)
    return !_till_checkout_refuse (self, error,
                                   _("Find the member first (scan the member code or type the "
                                     "phone number)"));
  if (_till_checkout_has_lines (self) || self->paid_fen > 0 || _till_checkout_payment_live (self)
      || self->busy)
    return !_till_checkout_refuse (self, error,
                                   _("A top-up is a sale of its own: finish or suspend this "
                                     "sale first"));
  return FALSE;
}

static void
rules_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillCheckoutSaleRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(GArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSaleLine) line = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;
  const TillTopupRule *rule;
  gint64 bonus = 0;

  _till_checkout_job_ended (self);
  rules = till_store_run_finish (TILL_STORE (object), result, &error);
  if (rules == NULL)
    {
      _till_checkout_say_error (self, _("Could not read the top-up offers"), error);
      return;
    }
  if (self->sale != request->sale || topup_refused (self, NULL))
    return;
  rule = till_stored_value_best_rule ((const TillTopupRule *) (gpointer) rules->data, rules->len,
                                      request->value);
  if (rule != NULL)
    bonus = rule->bonus_fen;
  line = till_sale_line_new (0, NULL, _("Stored value top-up"), NULL, request->value, 1000,
                             FALSE);
  till_sale_set_kind (self->sale, TILL_SALE_KIND_TOPUP);
  till_sale_set_topup_bonus_fen (self->sale, bonus);
  _till_checkout_add_line (self, line);
  amount = till_money_format (request->value);
  if (bonus > 0)
    {
      g_autofree char *extra = till_money_format (bonus);

      text = g_strdup_printf (_("Top-up of %s with %s bonus — take the money: cash, a payment "
                                "code or the QR"), amount, extra);
    }
  else
    text = g_strdup_printf (_("Top-up of %s — take the money: cash, a payment code or the QR"),
                            amount);
  _till_checkout_say (self, TILL_MESSAGE_INFO, text);
}

gboolean
till_checkout_begin_topup (TillCheckout *self,
                           gint64        amount_fen,
                           GError      **error)
{

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (topup_refused (self, error))
    return FALSE;
  if (amount_fen <= 0 || amount_fen > TILL_CHECKOUT_MAX_TOPUP_FEN)
    {
      g_autofree char *most = till_money_format (TILL_CHECKOUT_MAX_TOPUP_FEN);
      g_autofree char *text = g_strdup_printf (_("A top-up is between ¥0.01 and %s"), most);

      return _till_checkout_refuse (self, error, text);
    }
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), rules_job, NULL, NULL,
                        (GDestroyNotify) g_array_unref, self->cancellable, rules_cb,
                        _till_checkout_sale_request_new (self, amount_fen));
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Stored value as a tender                                                              */

typedef struct
{
  TillSale *snapshot;
  gint64    member_id;
  gint64    amount_fen;
  char     *digits; /* the phone's last four digits or the member's PIN, by `confirm` */
  char     *who;
  TillMemberConfirm confirm;
} SpendData;

typedef struct
{
  gint64            sale_id;
  gboolean          sale_paid;
  TillMemberBalance balance;
} SpendResult;

static void
spend_data_free (gpointer data)
{
  SpendData *sd = data;

  g_clear_object (&sd->snapshot);
  g_free (sd->digits);
  g_free (sd->who);
  g_free (sd);
}

static gpointer
spend_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  SpendData *sd = data;
  g_autofree SpendResult *r = g_new0 (SpendResult, 1);

  if (!till_member_confirm (store, sd->confirm, sd->member_id, sd->digits, error)
      || till_store_add_stored_value_payment (store, sd->snapshot, sd->amount_fen, sd->who,
                                              NULL, NULL, error) == 0)
    return NULL;
  r->sale_id = till_sale_get_id (sd->snapshot);
  r->sale_paid = till_sale_get_state (sd->snapshot) == TILL_SALE_STATE_PAID;
  /* what is left on the card, for the screen (a failure here changes nothing paid) */
  if (!till_store_member_balance (store, sd->member_id, &r->balance, NULL))
    r->balance.paid_fen = r->balance.bonus_fen = r->balance.points = -1;
  return g_steal_pointer (&r);
}

static void
spend_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillCheckoutSaleRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autofree SpendResult *r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *amount = till_money_format (request->value);

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  r = till_store_run_finish (TILL_STORE (object), result, &error);
  if (r == NULL)
    {
      _till_checkout_say_member_error (self, _("Could not take the stored value"), error);
      return;
    }
  if (self->sale != request->sale)
    return;
  if (till_sale_get_id (self->sale) == 0)
    till_sale_set_id (self->sale, r->sale_id);
  if (r->balance.paid_fen >= 0)
    set_balance (self, &r->balance);
  if (r->sale_paid)
    {
      g_autofree char *text = g_strdup_printf (_("%s from the member’s stored value — Paid. "
                                                 "Scan or F12 for the next sale"), amount);

      _till_checkout_paid (self, -1, 0);
      _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("%s from the member’s stored value — take the "
                                                 "rest: cash, a payment code or the QR"), amount);

      self->due_fen = till_checkout_get_due_fen (self) - request->value;
      self->paid_fen += request->value;
      _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
      _till_checkout_notify_payment (self);
    }
  _till_checkout_payments_refresh (self);
}

gboolean
till_checkout_pay_stored_value (TillCheckout *self,
                                gint64        due_fen,
                                gint64        amount_fen,
                                const char   *confirmation,
                                GError      **error)
{
  const TillSaleMember *member;
  g_autofree char *how = NULL;
  SpendData *sd;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!_till_checkout_sale_open (self) || !_till_checkout_has_lines (self))
    return _till_checkout_refuse (self, error, _("There is nothing to pay"));
  member = till_sale_get_member (self->sale);
  if (member == NULL)
    return _till_checkout_refuse (self, error,
                                  _("Stored value pays a member’s sale: find the member first"));
  if (till_sale_get_kind (self->sale) == TILL_SALE_KIND_TOPUP)
    return _till_checkout_refuse (self, error, _("A top-up is not paid with stored value"));
  if (self->busy || _till_checkout_payment_live (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment for this sale is in progress — wait for its "
                                    "result"));
  if (due_fen != till_checkout_get_due_fen (self))
    return _till_checkout_refuse (self, error,
                                  _("The amount due has changed — check it and try again"));
  if (amount_fen <= 0 || amount_fen > due_fen)
    {
      g_autofree char *due = till_money_format (due_fen);
      g_autofree char *text = g_strdup_printf (_("Stored value pays between ¥0.01 and what is "
                                                 "due (%s)"), due);

      return _till_checkout_refuse (self, error, text);
    }

  sd = g_new0 (SpendData, 1);
  sd->snapshot = till_sale_copy (self->sale);
  sd->member_id = member->id;
  sd->amount_fen = amount_fen;
  sd->digits = g_strdup (confirmation);
  how = g_settings_get_string (till_context_get_settings (self->context), "member-confirm");
  sd->confirm = till_member_confirm_from_string (how);
  sd->who = g_strdup (till_context_get_cashier (self->context));
  if (sd->who == NULL || *sd->who == '\0')
    {
      g_free (sd->who);
      sd->who = g_strdup (till_context_get_till_id (self->context));
    }
  _till_checkout_set_busy (self, TRUE);
  if (self->paid_fen == 0)
    _till_checkout_save_now (self);
  _till_checkout_job_started (self);
  /* Not cancellable: once asked, the store either records the payment and its spend or
   * neither. */
  till_store_run_async (till_context_get_store (self->context), spend_job, sd, spend_data_free,
                        g_free, NULL, spend_cb, _till_checkout_sale_request_new (self, amount_fen));
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Shared by the member's commands (here and till-checkout-points.c)                    */

TillCheckoutSaleRequest *
_till_checkout_sale_request_new (TillCheckout *self,
                                 gint64        value)
{
  TillCheckoutSaleRequest *request = g_new0 (TillCheckoutSaleRequest, 1);

  request->self = g_object_ref (self);
  request->sale = g_object_ref (self->sale);
  request->value = value;
  return request;
}

void
_till_checkout_sale_request_free (TillCheckoutSaleRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request);
}

void
_till_checkout_say_member_error (TillCheckout *self,
                                 const char   *prefix,
                                 const GError *error)
{
  if (error != NULL && error->domain == TILL_STORE_ERROR
      && (error->code == TILL_STORE_ERROR_DENIED || error->code == TILL_STORE_ERROR_INVALID_STATE
          || error->code == TILL_STORE_ERROR_LOCKED))
    _till_checkout_say (self, TILL_MESSAGE_ERROR, error->message);
  else
    _till_checkout_say_error (self, prefix, error);
}
