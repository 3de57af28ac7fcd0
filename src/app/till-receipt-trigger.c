/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillReceiptTrigger: prints the receipt of each sale the checkout reports paid. */
#define G_LOG_DOMAIN "till-receipt-trigger"
#include "config.h"

#include "till-receipt-trigger.h"

struct _TillReceiptTrigger
{
  GObject             parent_instance;

  TillCheckout       *checkout;
  TillReceiptPrinter *printer;
};

G_DEFINE_FINAL_TYPE (TillReceiptTrigger, till_receipt_trigger, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHECKOUT,
  PROP_PRINTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MESSAGE,
  SIGNAL_PRINTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TillReceiptTrigger) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;

  number = till_receipt_printer_print_sale_finish (TILL_RECEIPT_PRINTER (object), result, &error);
  if (number != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_PRINTED], 0, number);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The sale is done; only the paper is missing. */
  g_message ("receipt not printed: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, TILL_MESSAGE_ERROR, error->message);
}

static void
sale_paid_cb (TillCheckout       *checkout,
              TillSale           *sale,
              TillReceiptTrigger *self)
{
  g_autofree char *target = till_receipt_printer_get_target (self->printer);

  if (target == NULL)
    return;
  /* No window to name: the system printer's dialog goes over the one in use. */
  till_receipt_printer_print_sale_async (self->printer, till_sale_get_number (sale), FALSE, NULL,
                                         NULL, printed_cb, g_object_ref (self));
}

static void
till_receipt_trigger_constructed (GObject *object)
{
  TillReceiptTrigger *self = TILL_RECEIPT_TRIGGER (object);

  G_OBJECT_CLASS (till_receipt_trigger_parent_class)->constructed (object);

  g_assert (TILL_IS_CHECKOUT (self->checkout));
  g_assert (TILL_IS_RECEIPT_PRINTER (self->printer));
  g_signal_connect_object (self->checkout, "sale-paid", G_CALLBACK (sale_paid_cb), self, 0);
}

static void
till_receipt_trigger_dispose (GObject *object)
{
  TillReceiptTrigger *self = TILL_RECEIPT_TRIGGER (object);

  if (self->checkout != NULL)
    g_signal_handlers_disconnect_by_data (self->checkout, self);
  g_clear_object (&self->checkout);
  g_clear_object (&self->printer);

  G_OBJECT_CLASS (till_receipt_trigger_parent_class)->dispose (object);
}

static void
till_receipt_trigger_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TillReceiptTrigger *self = TILL_RECEIPT_TRIGGER (object);

  switch (prop_id)
    {
    case PROP_CHECKOUT:
      g_value_set_object (value, self->checkout);
      break;
    case PROP_PRINTER:
      g_value_set_object (value, self->printer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_receipt_trigger_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TillReceiptTrigger *self = TILL_RECEIPT_TRIGGER (object);

  switch (prop_id)
    {
    case PROP_CHECKOUT:
      self->checkout = g_value_dup_object (value);
      break;
    case PROP_PRINTER:
      self->printer = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_receipt_trigger_class_init (TillReceiptTriggerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = till_receipt_trigger_constructed;
  object_class->dispose = till_receipt_trigger_dispose;
  object_class->get_property = till_receipt_trigger_get_property;
  object_class->set_property = till_receipt_trigger_set_property;

  properties[PROP_CHECKOUT] =
    g_param_spec_object ("checkout", NULL, NULL, TILL_TYPE_CHECKOUT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRINTER] =
    g_param_spec_object ("printer", NULL, NULL, TILL_TYPE_RECEIPT_PRINTER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[SIGNAL_PRINTED] =
    g_signal_new ("printed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
till_receipt_trigger_init (TillReceiptTrigger *self)
{
}

TillReceiptTrigger *
till_receipt_trigger_new (TillCheckout       *checkout,
                          TillReceiptPrinter *printer)
{
  g_return_val_if_fail (TILL_IS_CHECKOUT (checkout), NULL);
  g_return_val_if_fail (TILL_IS_RECEIPT_PRINTER (printer), NULL);

  return g_object_new (TILL_TYPE_RECEIPT_TRIGGER,
                       "checkout", checkout,
                       "printer", printer,
                       NULL);
}

TillCheckout *
till_receipt_trigger_get_checkout (TillReceiptTrigger *self)
{
  g_return_val_if_fail (TILL_IS_RECEIPT_TRIGGER (self), NULL);
  return self->checkout;
}

TillReceiptPrinter *
till_receipt_trigger_get_printer (TillReceiptTrigger *self)
{
  g_return_val_if_fail (TILL_IS_RECEIPT_TRIGGER (self), NULL);
  return self->printer;
}
