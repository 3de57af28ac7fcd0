/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillQuickKeysWindow: pages (categories) of quick keys, their keys in order, products
 * added by search; every read and change on the store thread. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-ui-util.h"
#include "till-quick-keys-window.h"
#include "till-store-products.h"
#include "till-store-quickkeys.h"
#include "till-store-search.h"

struct _TillQuickKeysWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  char *actor;
  gint64 current_product_id;
  GCancellable *cancellable;
  GPtrArray *categories; /* of TillCategory, the dropdown's order */
  GPtrArray *keys;       /* of TillQuickKey, every page, hidden ones too */
  GPtrArray *page_keys;  /* borrowed from keys: the page shown, in order */
  GPtrArray *results;    /* of TillSearchHit */
  gint64 page_id;
  gint64 selected_key;
  guint jobs;
  gboolean filling; /* the dropdown is being refilled by the code */
  char *message;

  /* Template widgets */
  GtkDropDown *page_dropdown;
  GtkEntry *new_page_entry;
  GtkListBox *keys_list;
  GtkSearchEntry *search_entry;
  GtkListBox *results_list;
  GtkButton *current_button;
  GtkLabel *message_label;
};

G_DEFINE_FINAL_TYPE (TillQuickKeysWindow, till_quick_keys_window, GTK_TYPE_WINDOW)

static TillStore *
store_of (TillQuickKeysWindow *self)
{
  return till_context_get_store (self->context);
}

static void
set_message (TillQuickKeysWindow *self, gboolean error, const char *text)
{
  g_free (self->message);
  self->message = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (self->message_label, self->message);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), error ? "success" : "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), error ? "error" : "success");
}

/* ---- what the window shows ----------------------------------------------------------- */

static TillQuickKey *
selected_key (TillQuickKeysWindow *self)
{
  for (guint i = 0; self->page_keys != NULL && i < self->page_keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (self->page_keys, i);

      if (key->id == self->selected_key)
        return key;
    }
  return NULL;
}

static void
update_actions (TillQuickKeysWindow *self)
{
  gboolean idle = self->jobs == 0;
  gboolean has_key = selected_key (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quickkeys.move-left", idle && has_key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quickkeys.move-right", idle && has_key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quickkeys.remove", idle && has_key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quickkeys.add-current",
                                 idle && self->page_id > 0 && self->current_product_id > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quickkeys.add-page", idle);
}

static void
show_keys (TillQuickKeysWindow *self)
{
  GtkListBoxRow *row;
  guint n = 0;

  while ((row = gtk_list_box_get_row_at_index (self->keys_list, 0)) != NULL)
    gtk_list_box_remove (self->keys_list, GTK_WIDGET (row));
  g_ptr_array_set_size (self->page_keys, 0);
  for (guint i = 0; self->keys != NULL && i < self->keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (self->keys, i);
      g_autofree char *price = NULL;
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (key->category_id != self->page_id)
        continue;
      price = till_money_format (key->product->price_fen);
      /* The digit is Alt+N at the counter; a key of a product no longer sold is hidden
       * there (and takes no digit). */
      if (!key->product->active)
        text = g_strdup_printf (_ ("%s · %s · not sold: hidden at the counter"),
                                till_quick_key_get_label (key), price);
      else if (n < 9)
        text = g_strdup_printf (_ ("Alt+%u · %s · %s"), n + 1, till_quick_key_get_label (key),
                                price);
      else
        text = g_strdup_printf ("%s · %s", till_quick_key_get_label (key), price);
      if (key->product->active)
        n++;
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 10);
      gtk_widget_set_margin_bottom (label, 10);
      if (!key->product->active)
        gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->keys_list, label);
      g_ptr_array_add (self->page_keys, key);
      if (key->id == self->selected_key)
        gtk_list_box_select_row (self->keys_list, gtk_list_box_get_row_at_index (
                                                      self->keys_list, self->page_keys->len - 1));
    }
  if (self->page_keys->len == 0)
    {
      GtkWidget *label
          = gtk_label_new (self->page_id > 0 ? _ ("No keys on this page yet: find a product and "
                                                  "press Enter")
                                             : _ ("Add a page first: a category of goods"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 24);
      gtk_widget_set_margin_bottom (label, 24);
      gtk_list_box_set_placeholder (self->keys_list, label);
    }
  update_actions (self);
}

static void
fill_pages (TillQuickKeysWindow *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < self->categories->len; i++)
    {
      TillCategory *category = g_ptr_array_index (self->categories, i);

      gtk_string_list_append (names, category->name);
      if (category->id == self->page_id)
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION && self->categories->len > 0)
    {
      selected = 0;
      self->page_id = ((TillCategory *)g_ptr_array_index (self->categories, 0))->id;
    }
  if (self->categories->len == 0)
    self->page_id = 0;
  self->filling = TRUE;
  gtk_drop_down_set_model (self->page_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->page_dropdown, selected);
  self->filling = FALSE;
}

static void
page_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, TillQuickKeysWindow *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->filling || self->categories == NULL || selected >= self->categories->len)
    return;
  self->page_id = ((TillCategory *)g_ptr_array_index (self->categories, selected))->id;
  self->selected_key = 0;
  show_keys (self);
}

static void
key_selected_cb (GtkListBox *list, GtkListBoxRow *row, TillQuickKeysWindow *self)
{
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (self->page_keys == NULL) /* the rows go as the window goes */
    return;
  if (index >= 0 && (guint)index < self->page_keys->len)
    self->selected_key = ((TillQuickKey *)g_ptr_array_index (self->page_keys, index))->id;
  update_actions (self);
}

/* ---- store jobs: a change (or none), then the pages and keys read again ---------------- */

typedef enum
{
  JOB_READ,
  JOB_PLACE,
  JOB_MOVE,
  JOB_REMOVE,
  JOB_ADD_PAGE,
} JobKind;

typedef struct
{
  JobKind kind;
  gint64 category_id;
  gint64 product_id;
  gint64 key_id;
  int delta;
  char *name;
  char *actor;
} Job;

typedef struct
{
  JobKind kind;
  GPtrArray *categories;
  GPtrArray *keys;
  gint64 new_id;        /* the key placed, the page added */
  GError *error;        /* the change refused (the reading went on) */
  TillProduct *current; /* the current product (JOB_READ with one) */
} JobResult;

static void
job_free (Job *job)
{
  g_free (job->name);
  g_free (job->actor);
  g_free (job);
}

static void
job_result_free (JobResult *result)
{
  g_clear_pointer (&result->categories, g_ptr_array_unref);
  g_clear_pointer (&result->keys, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_clear_pointer (&result->current, till_product_free);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobResult, job_result_free)

static gpointer
run_job (TillStore *store, gpointer data, GError **error)
{
  Job *job = data;
  g_autoptr (JobResult) result = g_new0 (JobResult, 1);

  result->kind = job->kind;
  switch (job->kind)
    {
    case JOB_READ:
      if (job->product_id > 0)
        result->current = till_store_get_product (store, job->product_id, NULL, NULL);
      break;
    case JOB_PLACE:
      result->new_id = till_store_place_quick_key (store, job->category_id, job->product_id, NULL,
                                                   NULL, job->actor, &result->error);
      break;
    case JOB_MOVE:
      till_store_move_quick_key (store, job->key_id, job->delta, &result->error);
      break;
    case JOB_REMOVE:
      till_store_remove_quick_key (store, job->key_id, job->actor, &result->error);
      break;
    case JOB_ADD_PAGE:
      result->new_id = till_store_add_category (store, job->name, job->actor, &result->error);
      break;
    default:
      g_assert_not_reached ();
    }
  result->categories = till_store_list_categories (store, error);
  if (result->categories == NULL)
    return NULL;
  result->keys = till_store_list_quick_keys (store, TRUE, error);
  if (result->keys == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

static void
job_done_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (TillQuickKeysWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JobResult) result = till_store_run_finish (TILL_STORE (object), res, &error);
  JobKind kind;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->jobs--;
  if (result == NULL)
    {
      set_message (self, TRUE, error->message);
      update_actions (self);
      return;
    }
  kind = result->kind;
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  self->categories = g_steal_pointer (&result->categories);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  self->keys = g_steal_pointer (&result->keys);
  if (result->error != NULL)
    set_message (self, TRUE, result->error->message);
  else if (result->current != NULL)
    {
      g_autofree char *label = g_strdup_printf (_ ("Add “%s” to this page (Alt+Insert)"), result->current->name);

      gtk_button_set_label (self->current_button, label);
      gtk_widget_set_visible (GTK_WIDGET (self->current_button), TRUE);
    }
  if (result->error == NULL)
    {
      if (result->new_id > 0 && kind == JOB_ADD_PAGE)
        {
          self->page_id = result->new_id;
          gtk_editable_set_text (GTK_EDITABLE (self->new_page_entry), "");
          set_message (self, FALSE, _ ("Page added"));
        }
      else if (result->new_id > 0)
        {
          self->selected_key = result->new_id;
          set_message (self, FALSE, _ ("Key added"));
        }
      else if (kind == JOB_MOVE)
        set_message (self, FALSE, _ ("Key moved"));
      else if (kind == JOB_REMOVE)
        {
          self->selected_key = 0;
          set_message (self, FALSE, _ ("Key removed"));
        }
    }
  fill_pages (self);
  show_keys (self);
}

static void
submit (TillQuickKeysWindow *self, Job *job)
{
  job->actor = g_strdup (self->actor);
  self->jobs++;
  update_actions (self);
  till_store_run_async (store_of (self), run_job, job, (GDestroyNotify)job_free,
                        (GDestroyNotify)job_result_free, self->cancellable, job_done_cb,
                        g_object_ref (self));
}

static void
submit_kind (TillQuickKeysWindow *self, JobKind kind, gint64 product_id, gint64 key_id, int delta)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->category_id = self->page_id;
  job->product_id = product_id;
  job->key_id = key_id;
  job->delta = delta;
  submit (self, job);
}

/* ---- search ------------------------------------------------------------------------- */

static void
results_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillQuickKeysWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *hits = till_store_find_products_finish (TILL_STORE (object), result, &error);

  if (hits == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, TRUE, error->message);
      return;
    }
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = hits;
  till_ui_show_product_hits (self->results_list, hits, TRUE);
}

static void
search_changed_cb (GtkSearchEntry *entry, TillQuickKeysWindow *self)
{
  till_store_find_products_async (store_of (self), gtk_editable_get_text (GTK_EDITABLE (entry)), 20,
                                  self->cancellable, results_found_cb, g_object_ref (self));
}

static void
add_product (TillQuickKeysWindow *self, gint64 product_id)
{
  if (self->jobs > 0)
    return;
  if (self->page_id <= 0)
    {
      set_message (self, TRUE, _ ("Add a page first: a category of goods"));
      return;
    }
  submit_kind (self, JOB_PLACE, product_id, 0, 0);
}

/* Enter in the search: the first result goes on the page. */
static void
search_activate_cb (GtkSearchEntry *entry, TillQuickKeysWindow *self)
{
  if (self->results != NULL && self->results->len > 0)
    add_product (self, ((TillSearchHit *)g_ptr_array_index (self->results, 0))->product->id);
}

/* Escape in the search closes the window, as the button says. */
static void
search_stop_cb (GtkSearchEntry *entry, TillQuickKeysWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
result_activated_cb (GtkListBox *list, GtkListBoxRow *row, TillQuickKeysWindow *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->results != NULL && index >= 0 && (guint)index < self->results->len)
    add_product (self, ((TillSearchHit *)g_ptr_array_index (self->results, index))->product->id);
}

/* ---- actions ------------------------------------------------------------------------ */

static void
move_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillQuickKeysWindow *self = TILL_QUICK_KEYS_WINDOW (widget);
  TillQuickKey *key = selected_key (self);

  if (key == NULL || self->jobs > 0)
    return;
  submit_kind (self, JOB_MOVE, 0, key->id,
               g_str_equal (action_name, "quickkeys.move-left") ? -1 : 1);
}

static void
remove_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillQuickKeysWindow *self = TILL_QUICK_KEYS_WINDOW (widget);
  TillQuickKey *key = selected_key (self);

  if (key == NULL || self->jobs > 0)
    return;
  submit_kind (self, JOB_REMOVE, 0, key->id, 0);
}

static void
add_current_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillQuickKeysWindow *self = TILL_QUICK_KEYS_WINDOW (widget);

  if (self->current_product_id > 0)
    add_product (self, self->current_product_id);
}

static void
add_page_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillQuickKeysWindow *self = TILL_QUICK_KEYS_WINDOW (widget);
  Job *job;

  if (self->jobs > 0)
    return;
  job = g_new0 (Job, 1);
  job->kind = JOB_ADD_PAGE;
  job->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_page_entry)));
  submit (self, job);
}

static void
new_page_activate_cb (GtkEntry *entry, TillQuickKeysWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "quickkeys.add-page", NULL);
}

static void
close_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* ---- for tests ---------------------------------------------------------------------- */

const char *
till_quick_keys_window_get_message (TillQuickKeysWindow *self)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEYS_WINDOW (self), NULL);

  return self->message != NULL ? self->message : "";
}

gboolean
till_quick_keys_window_get_busy (TillQuickKeysWindow *self)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEYS_WINDOW (self), FALSE);

  return self->jobs > 0;
}

gint64
till_quick_keys_window_get_page (TillQuickKeysWindow *self)
{
  g_return_val_if_fail (TILL_IS_QUICK_KEYS_WINDOW (self), 0);

  return self->page_id;
}

char *
till_quick_keys_window_dup_keys_text (TillQuickKeysWindow *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TILL_IS_QUICK_KEYS_WINDOW (self), NULL);

  for (guint i = 0; i < self->page_keys->len; i++)
    {
      TillQuickKey *key = g_ptr_array_index (self->page_keys, i);

      g_string_append_printf (out, "%s%s%s", i > 0 ? ", " : "", till_quick_key_get_label (key),
                              key->product->active ? "" : " (hidden)");
    }
  return g_string_free (out, FALSE);
}

void
till_quick_keys_window_set_page (TillQuickKeysWindow *self, gint64 category_id)
{
  g_return_if_fail (TILL_IS_QUICK_KEYS_WINDOW (self));

  for (guint i = 0; self->categories != NULL && i < self->categories->len; i++)
    if (((TillCategory *)g_ptr_array_index (self->categories, i))->id == category_id)
      gtk_drop_down_set_selected (self->page_dropdown, i);
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
till_quick_keys_window_dispose (GObject *object)
{
  TillQuickKeysWindow *self = TILL_QUICK_KEYS_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_QUICK_KEYS_WINDOW);
  g_clear_pointer (&self->page_keys, g_ptr_array_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (till_quick_keys_window_parent_class)->dispose (object);
}

static void
till_quick_keys_window_finalize (GObject *object)
{
  TillQuickKeysWindow *self = TILL_QUICK_KEYS_WINDOW (object);

  g_free (self->actor);
  g_free (self->message);
  G_OBJECT_CLASS (till_quick_keys_window_parent_class)->finalize (object);
}

static void
till_quick_keys_window_class_init (TillQuickKeysWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_quick_keys_window_dispose;
  object_class->finalize = till_quick_keys_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-quick-keys-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, page_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, new_page_entry);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, keys_list);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, current_button);
  gtk_widget_class_bind_template_child (widget_class, TillQuickKeysWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, key_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_page_activate_cb);

  gtk_widget_class_install_action (widget_class, "quickkeys.move-left", NULL, move_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "quickkeys.move-left", NULL);
  gtk_widget_class_install_action (widget_class, "quickkeys.move-right", NULL, move_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "quickkeys.move-right", NULL);
  gtk_widget_class_install_action (widget_class, "quickkeys.remove", NULL, remove_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_ALT_MASK,
                                       "quickkeys.remove", NULL);
  gtk_widget_class_install_action (widget_class, "quickkeys.add-current", NULL,
                                   add_current_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_ALT_MASK,
                                       "quickkeys.add-current", NULL);
  gtk_widget_class_install_action (widget_class, "quickkeys.add-page", NULL, add_page_action_cb);
  gtk_widget_class_install_action (widget_class, "quickkeys.close", NULL, close_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "quickkeys.close", NULL);
}

static void
till_quick_keys_window_init (TillQuickKeysWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->page_keys = g_ptr_array_new ();
  g_signal_connect (self->page_dropdown, "notify::selected", G_CALLBACK (page_selected_cb), self);
}

TillQuickKeysWindow *
till_quick_keys_window_new (GtkWindow *parent, TillContext *context, const char *actor,
                            gint64 current_product_id)
{
  TillQuickKeysWindow *self;
  Job *job;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_QUICK_KEYS_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->actor = g_strdup (actor != NULL ? actor : "");
  self->current_product_id = current_product_id;
  job = g_new0 (Job, 1);
  job->kind = JOB_READ;
  job->product_id = current_product_id;
  submit (self, job);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}
