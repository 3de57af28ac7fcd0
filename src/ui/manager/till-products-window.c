/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillProductsWindow: find, add and edit products and their categories (a manager's). */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-ui-util.h"
#include "till-money.h"
#include "till-products-window-private.h"
#include "till-scanner-hub.h"
#include "till-store-products.h"
#include "till-store-search.h"

G_DEFINE_FINAL_TYPE (TillProductsWindow, till_products_window, GTK_TYPE_WINDOW)

static TillStore *
store_of (TillProductsWindow *self)
{
  return till_context_get_store (self->context);
}

TillStore *
_till_products_window_store (TillProductsWindow *self)
{
  return store_of (self);
}

static void
set_message (TillProductsWindow *self, gboolean error, const char *text)
{
  g_free (self->message);
  self->message = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (self->message_label, self->message);
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "success");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
    }
}

void
_till_products_window_set_message (TillProductsWindow *self, gboolean error, const char *text)
{
  set_message (self, error, text);
}

/* ---- the form ------------------------------------------------------------------------ */

static guint
category_position (TillProductsWindow *self, gint64 category_id)
{
  for (guint i = 0; self->categories != NULL && i < self->categories->len; i++)
    if (((TillCategory *)g_ptr_array_index (self->categories, i))->id == category_id)
      return i + 1;
  return 0;
}

static void
weighed_toggled_cb (GtkCheckButton *check, TillProductsWindow *self);

static void
editor_loaded_cb (TillProductEditor *editor, TillProductsWindow *self)
{
  gint64 id = till_product_editor_get_product_id (editor);

  gtk_label_set_text (self->form_heading, id == 0 ? _ ("New product") : _ ("Edit product"));
  gtk_editable_set_text (GTK_EDITABLE (self->barcode_entry),
                         till_product_editor_get_barcode (editor));
  gtk_editable_set_text (GTK_EDITABLE (self->plu_entry), till_product_editor_get_plu (editor));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), till_product_editor_get_name (editor));
  gtk_editable_set_text (GTK_EDITABLE (self->price_entry),
                         till_product_editor_get_price_text (editor));
  gtk_editable_set_text (GTK_EDITABLE (self->unit_entry), till_product_editor_get_unit (editor));
  gtk_drop_down_set_selected (
      self->category_dropdown,
      category_position (self, till_product_editor_get_category_id (editor)));
  gtk_check_button_set_active (self->open_price_check, till_product_editor_get_open_price (editor));
  /* The unit loaded stays as it is. */
  g_signal_handlers_block_by_func (self->weighed_check, weighed_toggled_cb, self);
  gtk_check_button_set_active (self->weighed_check, till_product_editor_get_weighed (editor));
  g_signal_handlers_unblock_by_func (self->weighed_check, weighed_toggled_cb, self);
  gtk_check_button_set_active (self->active_check, till_product_editor_get_active (editor));
  _till_products_window_stock_loaded (self);
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
form_to_editor (TillProductsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->category_dropdown);
  gint64 category_id = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->categories != NULL
      && selected <= self->categories->len)
    category_id = ((TillCategory *)g_ptr_array_index (self->categories, selected - 1))->id;
  till_product_editor_set_barcode (self->editor,
                                   gtk_editable_get_text (GTK_EDITABLE (self->barcode_entry)));
  till_product_editor_set_plu (self->editor,
                               gtk_editable_get_text (GTK_EDITABLE (self->plu_entry)));
  till_product_editor_set_name (self->editor,
                                gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  till_product_editor_set_price_text (self->editor,
                                      gtk_editable_get_text (GTK_EDITABLE (self->price_entry)));
  till_product_editor_set_unit (self->editor,
                                gtk_editable_get_text (GTK_EDITABLE (self->unit_entry)));
  till_product_editor_set_category_id (self->editor, category_id);
  till_product_editor_set_open_price (self->editor,
                                      gtk_check_button_get_active (self->open_price_check));
  till_product_editor_set_weighed (self->editor, gtk_check_button_get_active (self->weighed_check));
  till_product_editor_set_active (self->editor, gtk_check_button_get_active (self->active_check));
  _till_products_window_stock_to_editor (self);
}

/* ---- categories ---------------------------------------------------------------------- */

static void
categories_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillProductsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkStringList) names = NULL;
  GPtrArray *categories = till_store_run_finish (TILL_STORE (object), result, &error);

  if (categories == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, TRUE, error->message);
      return;
    }
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  self->categories = categories;
  names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, _ ("No category"));
  for (guint i = 0; i < categories->len; i++)
    gtk_string_list_append (names, ((TillCategory *)g_ptr_array_index (categories, i))->name);
  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (
      self->category_dropdown,
      category_position (self, till_product_editor_get_category_id (self->editor)));
}

static gpointer
list_categories_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_list_categories (store, error);
}

static void
reload_categories (TillProductsWindow *self)
{
  till_store_run_async (store_of (self), list_categories_job, NULL, NULL,
                        (GDestroyNotify)g_ptr_array_unref, self->cancellable, categories_loaded_cb,
                        g_object_ref (self));
}

typedef struct
{
  gint64 id; /* 0: add */
  char *name;
  char *actor;
} CategoryJob;

static void
category_job_free (gpointer data)
{
  CategoryJob *job = data;

  g_free (job->name);
  g_free (job->actor);
  g_free (job);
}

static gpointer
category_job (TillStore *store, gpointer data, GError **error)
{
  CategoryJob *job = data;
  gint64 id = job->id;

  if (id == 0)
    id = till_store_add_category (store, job->name, job->actor, error);
  else if (!till_store_rename_category (store, id, job->name, job->actor, error))
    id = 0;
  return id == 0 ? NULL : g_memdup2 (&id, sizeof id);
}

static void
category_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillProductsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *id = till_store_run_finish (TILL_STORE (object), result, &error);

  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, TRUE, error->message);
      return;
    }
  set_message (self, FALSE, _ ("Category saved"));
  gtk_editable_set_text (GTK_EDITABLE (self->category_entry), "");
  till_product_editor_set_category_id (self->editor, *id);
  reload_categories (self);
}

static void
save_category (TillProductsWindow *self, gboolean rename)
{
  CategoryJob *job = g_new0 (CategoryJob, 1);
  guint selected = gtk_drop_down_get_selected (self->category_dropdown);

  if (rename)
    {
      if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || self->categories == NULL
          || selected > self->categories->len)
        {
          set_message (self, TRUE, _ ("Choose the category to rename first"));
          category_job_free (job);
          return;
        }
      job->id = ((TillCategory *)g_ptr_array_index (self->categories, selected - 1))->id;
    }
  form_to_editor (self);
  job->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->category_entry)));
  job->actor = g_strdup (self->actor);
  till_store_run_async (store_of (self), category_job, job, category_job_free, g_free,
                        self->cancellable, category_saved_cb, g_object_ref (self));
}

static void
add_category_clicked_cb (GtkButton *button, TillProductsWindow *self)
{
  save_category (self, FALSE);
}

static void
rename_category_clicked_cb (GtkButton *button, TillProductsWindow *self)
{
  save_category (self, TRUE);
}

/* ---- search and codes ---------------------------------------------------------------- */

static void
load_product (TillProductsWindow *self, gint64 id);

static void
results_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillProductsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *hits = till_store_find_products_finish (TILL_STORE (object), result, &error);

  if (hits == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, TRUE, error->message);
      return;
    }
  /* The low-stock list was asked for meanwhile: it keeps the list. */
  if (_till_products_window_low_stock_shown (self))
    {
      g_ptr_array_unref (hits);
      return;
    }
  /* Rows only: the placeholder stays. */
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = hits;
  till_ui_show_product_hits (self->results_list, hits, TRUE);
}

static void
search_changed_cb (GtkSearchEntry *entry, TillProductsWindow *self)
{
  /* Typing a search leaves the low-stock list. */
  if (_till_products_window_low_stock_shown (self))
    gtk_toggle_button_set_active (self->low_stock_toggle, FALSE);
  till_store_find_products_async (store_of (self), gtk_editable_get_text (GTK_EDITABLE (entry)), 20,
                                  self->cancellable, results_found_cb, g_object_ref (self));
}

/* Enter in the search: the first result. */
static void
search_activate_cb (GtkSearchEntry *entry, TillProductsWindow *self)
{
  if (self->results != NULL && self->results->len > 0)
    load_product (self, ((TillSearchHit *)g_ptr_array_index (self->results, 0))->product->id);
}

static void
result_activated_cb (GtkListBox *list, GtkListBoxRow *row, TillProductsWindow *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (_till_products_window_low_stock_shown (self))
    {
      _till_products_window_low_stock_activated (self, index);
      return;
    }
  if (self->results != NULL && index >= 0 && (guint)index < self->results->len)
    load_product (self, ((TillSearchHit *)g_ptr_array_index (self->results, index))->product->id);
}

static void
loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillProductsWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!till_product_editor_load_finish (TILL_PRODUCT_EDITOR (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, TRUE, error->message);
      return;
    }
  set_message (self, FALSE, "");
}

static void
load_product (TillProductsWindow *self, gint64 id)
{
  till_product_editor_load_async (self->editor, id, self->cancellable, loaded_cb,
                                  g_object_ref (self));
}

void
_till_products_window_load_product (TillProductsWindow *self, gint64 id)
{
  load_product (self, id);
}

void
_till_products_window_search_again (TillProductsWindow *self)
{
  search_changed_cb (self->search_entry, self);
}

static gpointer
find_code_job (TillStore *store, gpointer data, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  TillProduct *product = till_store_find_product (store, data, NULL, &local_error);

  if (product == NULL && local_error == NULL)
    product = till_store_find_product (store, NULL, data, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Nothing found is an answer too: an empty product. */
  return product != NULL ? product : g_new0 (TillProduct, 1);
}

typedef struct
{
  TillProductsWindow *self;
  char *code;
} CodeRequest;

static void
code_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CodeRequest *request = user_data;
  g_autoptr (TillProductsWindow) self = request->self;
  g_autofree char *code = request->code;
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) product = till_store_run_finish (TILL_STORE (object), result, &error);

  g_free (request);
  if (product == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, TRUE, error->message);
      return;
    }
  if (product->id != 0)
    {
      load_product (self, product->id);
      return;
    }
  till_product_editor_start_new (self->editor, code);
  {
    g_autofree char *text = g_strdup_printf (_ ("No product has the code %s: a new product"), code);

    set_message (self, FALSE, text);
  }
}

void
till_products_window_enter_code (TillProductsWindow *self, const char *code)
{
  CodeRequest *request;

  g_return_if_fail (TILL_IS_PRODUCTS_WINDOW (self));
  g_return_if_fail (code != NULL);

  request = g_new0 (CodeRequest, 1);
  request->self = g_object_ref (self);
  request->code = g_strstrip (g_strdup (code));
  till_store_run_async (store_of (self), find_code_job, g_strdup (request->code), g_free,
                        (GDestroyNotify)till_product_free, self->cancellable, code_found_cb,
                        request);
}

static void
code_scanned_cb (TillScannerHub *hub, const char *code, int source, TillProductsWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    till_products_window_enter_code (self, code);
}

/* ---- actions ------------------------------------------------------------------------- */

static void
saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillProductsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (till_product_editor_save_finish (TILL_PRODUCT_EDITOR (object), result, &error) == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("Product not saved: %s", error->message);
          set_message (self, TRUE, error->message);
        }
      return;
    }
  text = g_strdup_printf (_ ("Saved “%s”"), till_product_editor_get_name (self->editor));
  set_message (self, FALSE, text);
  gtk_label_set_text (self->form_heading, _ ("Edit product"));
  if (_till_products_window_low_stock_shown (self))
    _till_products_window_reload_low_stock (self);
  else
    search_changed_cb (self->search_entry, self);
}

static void
save_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (widget);

  if (till_product_editor_get_busy (self->editor))
    return;
  form_to_editor (self);
  till_product_editor_save_async (self->editor, self->cancellable, saved_cb, g_object_ref (self));
}

static void
new_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (widget);

  till_product_editor_start_new (self->editor, NULL);
  set_message (self, FALSE, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->barcode_entry));
}

static void
find_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
close_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Ticking "sold by weight" makes the unit kg (the price is per kg). */
static void
weighed_toggled_cb (GtkCheckButton *check, TillProductsWindow *self)
{
  if (gtk_check_button_get_active (check))
    gtk_editable_set_text (GTK_EDITABLE (self->unit_entry), "kg");
}

/* Enter in a field saves, as Ctrl+S does. */
static void
entry_activate_cb (GtkEntry *entry, TillProductsWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "products.save", NULL);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
till_products_window_dispose (GObject *object)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_scanner_hub (self->context), self);
  if (self->editor != NULL)
    g_signal_handlers_disconnect_by_data (self->editor, self);
  _till_products_window_stock_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_PRODUCTS_WINDOW);
  g_clear_object (&self->editor);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  G_OBJECT_CLASS (till_products_window_parent_class)->dispose (object);
}

static void
till_products_window_finalize (GObject *object)
{
  TillProductsWindow *self = TILL_PRODUCTS_WINDOW (object);

  g_free (self->message);
  g_free (self->actor);
  G_OBJECT_CLASS (till_products_window_parent_class)->finalize (object);
}


/* Escape in the search: clears it, or closes the window when it is empty. */
static void
search_stop_cb (GtkSearchEntry *entry,
                TillProductsWindow *self)
{
  till_ui_search_escape (entry, GTK_WINDOW (self));
}

static void
till_products_window_class_init (TillProductsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_products_window_dispose;
  object_class->finalize = till_products_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-products-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, form_heading);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, barcode_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, plu_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, price_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, unit_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, category_entry);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, open_price_check);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, weighed_check);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, active_check);
  gtk_widget_class_bind_template_child (widget_class, TillProductsWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_category_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rename_category_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  _till_products_window_stock_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "products.save", NULL, save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "products.save",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "products.new", NULL, new_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "products.new",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "products.find", NULL, find_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "products.find",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "products.close", NULL, close_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "products.close", NULL);
}

static void
till_products_window_init (TillProductsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->message = g_strdup ("");
}

TillProductsWindow *
till_products_window_new (GtkWindow *parent, TillContext *context, const char *actor)
{
  TillProductsWindow *self;
  gint64 max_price;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_PRODUCTS_WINDOW, "transient-for", parent, "destroy-with-parent",
                       TRUE, NULL);
  self->context = g_object_ref (context);
  self->actor = g_strdup (actor != NULL ? actor : "");
  max_price = g_settings_get_int64 (till_context_get_settings (context), "max-price-fen");
  self->editor = till_product_editor_new (store_of (self), max_price, actor);
  g_signal_connect (self->editor, "loaded", G_CALLBACK (editor_loaded_cb), self);
  _till_products_window_stock_init (self);
  g_signal_connect (self->weighed_check, "toggled", G_CALLBACK (weighed_toggled_cb), self);
  g_signal_connect (till_context_get_scanner_hub (context), "code-scanned",
                    G_CALLBACK (code_scanned_cb), self);
  reload_categories (self);
  {
    GtkWidget *placeholder = gtk_label_new (_ ("Scan a barcode, or type a name, pinyin, PLU or "
                                               "barcode above"));

    gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
    gtk_widget_set_margin_start (placeholder, 12);
    gtk_widget_set_margin_end (placeholder, 12);
    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_list_box_set_placeholder (self->results_list, placeholder);
  }
  till_product_editor_start_new (self->editor, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

TillProductEditor *
till_products_window_get_editor (TillProductsWindow *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCTS_WINDOW (self), NULL);
  return self->editor;
}

const char *
till_products_window_get_message (TillProductsWindow *self)
{
  g_return_val_if_fail (TILL_IS_PRODUCTS_WINDOW (self), "");
  return self->message;
}
