/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCheckout's 挂单 / 取单: suspending the sale at the counter, resuming a suspended one,
 * voiding one, and the count of them for the status bar. */
#define G_LOG_DOMAIN "till-checkout"
#include "config.h"

#include "till-checkout-private.h"

typedef struct
{
  TillCheckout *self;      /* owned */
  TillSale     *sale;      /* the sale at the counter when the command was given */
  gint64        sale_id;
} SuspendRequest;

static void
suspend_request_free (SuspendRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->sale);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SuspendRequest, suspend_request_free)

static SuspendRequest *
suspend_request_new (TillCheckout *self,
                     gint64        sale_id)
{
  SuspendRequest *request = g_new0 (SuspendRequest, 1);

  request->self = g_object_ref (self);
  request->sale = self->sale != NULL ? g_object_ref (self->sale) : NULL;
  request->sale_id = sale_id;
  return request;
}

/* ------------------------------------------------------------------------------------ */
/* The count                                                                             */

static gpointer
count_job (TillStore *store,
           gpointer   data,
           GError   **error)
{
  gint64 n = till_store_count_suspended (store, data, error);

  if (n < 0)
    return NULL;
  return g_memdup2 (&n, sizeof n);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TillCheckout) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *n = NULL;

  _till_checkout_job_ended (self);
  n = till_store_run_finish (TILL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n == NULL)
    {
      g_warning ("The suspended sales could not be counted: %s", error->message);
      return;
    }
  _till_checkout_set_suspended_count (self, (guint) *n);
}

void
_till_checkout_suspend_refresh (TillCheckout *self)
{
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), count_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free, g_free,
                        self->cancellable, count_cb, g_object_ref (self));
}

guint
till_checkout_get_suspended_count (TillCheckout *self)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), 0);
  return self->n_suspended;
}

gboolean
_till_checkout_suspend_can (TillCheckout       *self,
                            TillCheckoutCommand command)
{
  gboolean idle = !self->busy && !_till_checkout_payment_live (self) && !self->number_requested;

  if (command == TILL_CHECKOUT_CMD_SUSPEND)
    return idle && _till_checkout_sale_open (self) && _till_checkout_has_lines (self)
           && self->paid_fen == 0;
  /* Resume: money taken for the open sale stays with it, at the counter. */
  return idle && !(_till_checkout_sale_open (self) && self->paid_fen > 0);
}

/* ------------------------------------------------------------------------------------ */
/* Suspend                                                                               */

static void
suspend_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SuspendRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  if (!till_store_suspend_sale_finish (TILL_STORE (object), result, &error))
    {
      _till_checkout_say_error (self, _("The sale was not suspended"), error);
      return;
    }
  _till_checkout_suspend_refresh (self);
  if (self->sale != request->sale)
    return;

  total = till_money_format (till_sale_get_total_fen (request->sale));
  text = g_strdup_printf (_("Sale %s suspended (%s)"),
                          till_sale_get_number (request->sale), total);
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
  _till_checkout_next_sale_quietly (self);
}

gboolean
till_checkout_suspend_sale (TillCheckout *self,
                            GError      **error)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (!_till_checkout_sale_open (self) || !_till_checkout_has_lines (self))
    return _till_checkout_refuse (self, error,
                                  _("The cart is empty: there is nothing to suspend"));
  if (self->busy || _till_checkout_payment_live (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment for this sale is in progress — it cannot be "
                                    "suspended now"));
  if (self->paid_fen > 0)
    return _till_checkout_refuse (self, error,
                                  _("Part of this sale is paid — take the rest, or void it "
                                    "(the money goes back); it cannot be suspended"));
  if (self->number_requested)
    return _till_checkout_refuse (self, error, _("The next sale is being opened — try again"));

  /* Busy until it is written: the cart cannot change under the suspend. */
  _till_checkout_set_busy (self, TRUE);
  _till_checkout_job_started (self);
  till_store_suspend_sale_async (till_context_get_store (self->context), self->sale,
                                 till_context_get_cashier (self->context),
                                 till_context_get_till_id (self->context), NULL, suspend_cb,
                                 suspend_request_new (self, till_sale_get_id (self->sale)));
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Resume                                                                                */

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SuspendRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *suspended = NULL;
  g_autofree char *text = NULL;

  _till_checkout_job_ended (self);
  _till_checkout_set_busy (self, FALSE);
  self->resuming = FALSE;
  sale = till_store_resume_sale_finish (TILL_STORE (object), result, &suspended, &error);
  _till_checkout_suspend_refresh (self);
  if (sale == NULL)
    {
      /* The cart stays: what changed in it meanwhile is saved now. */
      if (self->resume_unsaved)
        _till_checkout_save_now (self);
      self->resume_unsaved = FALSE;
      _till_checkout_say_error (self, _("The sale was not resumed"), error);
      return;
    }
  self->resume_unsaved = FALSE;

  _till_checkout_put_sale (self, sale);
  if (suspended != NULL)
    text = g_strdup_printf (_("Sale %s resumed; sale %s is suspended in its place."),
                            till_sale_get_number (sale), suspended);
  else
    text = g_strdup_printf (_("Sale %s resumed"), till_sale_get_number (sale));
  _till_checkout_say (self, TILL_MESSAGE_SUCCESS, text);
}

gboolean
till_checkout_resume_sale (TillCheckout *self,
                           gint64        sale_id,
                           GError      **error)
{
  TillSale *current;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (self->busy || _till_checkout_payment_live (self))
    return _till_checkout_refuse (self, error,
                                  _("A payment is in progress — wait for its result, then "
                                    "resume the sale"));
  if (_till_checkout_sale_open (self) && self->paid_fen > 0)
    return _till_checkout_refuse (self, error,
                                  _("Part of the sale at the counter is paid — finish it "
                                    "first, then resume the other sale"));
  if (self->number_requested)
    return _till_checkout_refuse (self, error, _("The next sale is being opened — try again"));

  current = _till_checkout_sale_open (self) ? self->sale : NULL;
  _till_checkout_set_busy (self, TRUE);
  self->resuming = TRUE;
  self->resume_unsaved = FALSE;
  _till_checkout_job_started (self);
  till_store_resume_sale_async (till_context_get_store (self->context), sale_id, current,
                                till_context_get_cashier (self->context),
                                till_context_get_till_id (self->context), NULL, resume_cb,
                                suspend_request_new (self, sale_id));
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Void, list                                                                            */

typedef struct
{
  gint64  sale_id;
  char   *actor;
} VoidSuspended;

static void
void_suspended_free (gpointer data)
{
  VoidSuspended *v = data;

  g_free (v->actor);
  g_free (v);
}

static gpointer
void_suspended_job (TillStore *store,
                    gpointer   data,
                    GError   **error)
{
  VoidSuspended *v = data;
  TillSale *sale = till_store_load_sale (store, v->sale_id, error);

  if (sale == NULL)
    return NULL;
  if (!till_store_void_suspended_sale (store, v->sale_id, v->actor, error))
    {
      g_object_unref (sale);
      return NULL;
    }
  return sale;
}

static void
void_suspended_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SuspendRequest) request = user_data;
  TillCheckout *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TillSale) sale = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;

  _till_checkout_job_ended (self);
  sale = till_store_run_finish (TILL_STORE (object), result, &error);
  _till_checkout_suspend_refresh (self);
  if (sale == NULL)
    {
      _till_checkout_say_error (self, _("Could not void the sale"), error);
      return;
    }
  total = till_money_format (till_sale_get_total_fen (sale));
  text = g_strdup_printf (_("Suspended sale %s (%s) voided"), till_sale_get_number (sale), total);
  _till_checkout_say (self, TILL_MESSAGE_INFO, text);
}

gboolean
till_checkout_void_suspended (TillCheckout *self,
                              gint64        sale_id,
                              GError      **error)
{
  VoidSuspended *v;

  g_return_val_if_fail (TILL_IS_CHECKOUT (self), FALSE);

  if (sale_id <= 0)
    return _till_checkout_refuse (self, error, _("Select a suspended sale first"));
  v = g_new0 (VoidSuspended, 1);
  v->sale_id = sale_id;
  v->actor = g_strdup (till_context_get_cashier (self->context));
  _till_checkout_job_started (self);
  till_store_run_async (till_context_get_store (self->context), void_suspended_job, v,
                        void_suspended_free, g_object_unref, NULL, void_suspended_cb,
                        suspend_request_new (self, sale_id));
  return TRUE;
}

static gpointer
list_job (TillStore *store,
          gpointer   data,
          GError   **error)
{
  return till_store_list_suspended (store, data, error);
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *list = till_store_run_finish (TILL_STORE (object), result, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

void
till_checkout_list_suspended_async (TillCheckout       *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (TILL_IS_CHECKOUT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_checkout_list_suspended_async);
  till_store_run_async (till_context_get_store (self->context), list_job,
                        g_strdup (till_context_get_till_id (self->context)), g_free,
                        (GDestroyNotify) g_ptr_array_unref, cancellable, list_done_cb, task);
}

GPtrArray *
till_checkout_list_suspended_finish (TillCheckout  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
