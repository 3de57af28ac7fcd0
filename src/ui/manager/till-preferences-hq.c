/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPreferencesHq: the preferences' Head office page: its settings, the sender's state,
 * the connection test and the rows head office refused. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-hq-settings.h"
#include "till-hq-sync.h"
#include "till-preferences-hq.h"
#include "till-store-hq.h"
#include "till-store-outbox.h"

#define DEAD_SHOWN 500 /* jobs listed at most; the summary counts them all */

struct _TillPreferencesHq
{
  AdwPreferencesPage parent_instance;

  TillContext *context;
  AdwEntryRow *url_row;
  AdwEntryRow *store_row;
  AdwEntryRow *password_row;
  AdwActionRow *message_row;
  AdwActionRow *status_row;
  AdwActionRow *test_row;
  GtkButton *test_button;
  AdwActionRow *dead_summary_row;
  GtkWidget *dead_scroller;
  GtkColumnView *dead_view;
  GtkStringList *dead_model; /* each item: its index in `dead` */
  GPtrArray *dead;           /* TillOutboxJob* */
  gint64 n_dead;             /* all of them, as the sender last counted */
  GCancellable *cancellable;
  gboolean testing;
};

G_DEFINE_FINAL_TYPE (TillPreferencesHq, till_preferences_hq, ADW_TYPE_PREFERENCES_PAGE)

static void
toast (TillPreferencesHq *self, const char *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

static void
set_style (GtkWidget *widget, const char *style)
{
  const char *styles[] = { "error", "success", "warning" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_strcmp0 (style, styles[i]) != 0)
      gtk_widget_remove_css_class (widget, styles[i]);
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

/* ---------------------------------------------------------------- the settings */

static void
show_message (TillPreferencesHq *self, AdwEntryRow *row, const GError *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->message_row), error != NULL);
  adw_action_row_set_subtitle (self->message_row, error != NULL ? error->message : "");
  if (row != NULL)
    set_style (GTK_WIDGET (row), error != NULL ? "error" : NULL);
}

/* Text set by the page, not typed: no apply button for it (the row shows one for a text
 * changed while it is on). */
static void
set_row_text (AdwEntryRow *row, const char *text)
{
  adw_entry_row_set_show_apply_button (row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_entry_row_set_show_apply_button (row, TRUE);
}

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The store ID the sender would use: hq-store-id, else store-id. */
static char *
effective_store_id (TillPreferencesHq *self, const char *typed)
{
  if (typed != NULL && *typed != '\0')
    return g_strdup (typed);
  return g_settings_get_string (till_context_get_settings (self->context), "store-id");
}

static void
apply_cb (AdwEntryRow *row, TillPreferencesHq *self)
{
  GSettings *settings = till_context_get_settings (self->context);
  g_autofree char *text = entry_text (row);
  g_autoptr (GError) error = NULL;
  const char *key;
  gboolean ok;

  if (row == self->url_row)
    {
      key = "hq-url";
      ok = till_hq_check_uri (text, &error);
    }
  else if (row == self->store_row)
    {
      key = "hq-store-id";
      ok = *text == '\0' || till_hq_check_store_id (text, &error);
    }
  else
    {
      key = "hq-password-file";
      ok = *text == '\0' || till_hq_check_password_file (text, &error);
    }
  show_message (self, row, ok ? NULL : error);
  if (!ok)
    return;
  /* the sender follows the settings (TillHqSync: hq_config, then a round) */
  g_settings_set_string (settings, key, text);
  if (!g_str_equal (gtk_editable_get_text (GTK_EDITABLE (row)), text))
    set_row_text (row, text);
}

static AdwEntryRow *
add_entry_row (TillPreferencesHq *self, AdwPreferencesGroup *group, const char *key,
               const char *title)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  g_autofree char *value = g_settings_get_string (till_context_get_settings (self->context), key);

  gtk_widget_set_name (GTK_WIDGET (row), key);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  set_row_text (row, value);
  g_signal_connect_object (row, "apply", G_CALLBACK (apply_cb), self, 0);
  /* Enter applies too, as in the scale's port */
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (apply_cb), self, 0);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

/* ---------------------------------------------------------------- the sender's state */

static void
update_status (TillPreferencesHq *self)
{
  TillHqSync *sync = till_context_get_hq_sync (self->context);
  g_autofree char *text = sync != NULL ? till_hq_sync_dup_status_text (sync) : NULL;
  TillHqSyncState state = sync != NULL ? till_hq_sync_get_state (sync) : TILL_HQ_SYNC_OFF;

  adw_action_row_set_subtitle (
      self->status_row,
      text != NULL ? text : _ ("Off: set the head-office database to send the books"));
  set_style (GTK_WIDGET (self->status_row),
             sync != NULL && till_hq_sync_get_dead (sync) > 0 ? "error"
             : state == TILL_HQ_SYNC_OFFLINE                  ? "warning"
                                                              : NULL);
}

static void
sync_notify_cb (TillHqSync *sync, GParamSpec *pspec, TillPreferencesHq *self)
{
  update_status (self);
  if (g_str_equal (pspec->name, "dead") && till_hq_sync_get_dead (sync) != self->n_dead)
    till_preferences_hq_refresh (self);
}

/* ---------------------------------------------------------------- the test */

static void
test_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillPreferencesHq) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *answer = till_hq_test_connection_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->testing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hq.test-connection", TRUE);
  if (answer != NULL)
    {
      adw_action_row_set_subtitle (self->test_row, answer);
      set_style (GTK_WIDGET (self->test_row), "success");
      toast (self, _ ("The head office’s connection works"));
      return;
    }
  {
    /* libpq's messages run over lines, indented: one line here */
    g_auto (GStrv) words = g_strsplit_set (error->message, " \t\r\n", -1);
    g_autoptr (GString) message = g_string_new (NULL);
    g_autofree char *text = NULL;

    for (guint i = 0; words[i] != NULL; i++)
      if (*words[i] != '\0')
        g_string_append_printf (message, "%s%s", message->len > 0 ? " " : "", words[i]);
    text = g_strdup_printf (_ ("Connection failed: %s"), message->str);

    adw_action_row_set_subtitle (self->test_row, text);
    set_style (GTK_WIDGET (self->test_row), "error");
  }
}

/* Tests what the rows hold now (applied or not): a manager may try before saving. */
static void
test_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillPreferencesHq *self = TILL_PREFERENCES_HQ (widget);
  g_autofree char *uri = entry_text (self->url_row);
  g_autofree char *typed_store = entry_text (self->store_row);
  g_autofree char *password_file = entry_text (self->password_row);
  g_autofree char *store_id = effective_store_id (self, typed_store);

  if (self->testing)
    return;
  self->testing = TRUE;
  gtk_widget_action_set_enabled (widget, "hq.test-connection", FALSE);
  adw_action_row_set_subtitle (self->test_row, _ ("Testing…"));
  set_style (GTK_WIDGET (self->test_row), NULL);
  till_hq_test_connection_async (uri, password_file, store_id, self->cancellable, test_done_cb,
                                 g_object_ref (self));
}

/* ---------------------------------------------------------------- the dead jobs */

static TillOutboxJob *
item_job (TillPreferencesHq *self, GtkListItem *item)
{
  GtkStringObject *object = gtk_list_item_get_item (item);
  guint64 index;

  if (object == NULL || self->dead == NULL)
    return NULL;
  index = g_ascii_strtoull (gtk_string_object_get_string (object), NULL, 10);
  return index < self->dead->len ? g_ptr_array_index (self->dead, index) : NULL;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

enum
{
  COLUMN_ROW,
  COLUMN_AT,
  COLUMN_TRIES,
  COLUMN_ERROR
};

static void
cell_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, TillPreferencesHq *self)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  TillOutboxJob *job = item_job (self, item);
  int column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "till-column"));
  g_autofree char *text = NULL;

  if (job == NULL)
    {
      gtk_label_set_text (label, "");
      return;
    }
  switch (column)
    {
    case COLUMN_ROW:
      {
        /* "hq:sale:12" -> "sale 12" (the table as the head office names it) */
        g_auto (GStrv) parts = g_strsplit (job->key, ":", 3);

        text = g_strv_length (parts) == 3 ? g_strdup_printf ("%s %s", parts[1], parts[2])
                                          : g_strdup (job->key);
        break;
      }
    case COLUMN_AT:
      {
        g_autoptr (GDateTime) at
            = g_date_time_new_from_unix_local (job->next_attempt_at / G_USEC_PER_SEC);

        text = at != NULL ? g_date_time_format (at, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
        break;
      }
    case COLUMN_TRIES:
      text = g_strdup_printf ("%d", job->attempts);
      break;
    default:
      text = g_strdup (job->last_error != NULL ? job->last_error : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
      break;
    }
  gtk_label_set_text (label, text);
}

static void
add_column (TillPreferencesHq *self, const char *title, int column, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkColumnViewColumn) view_column = NULL;

  g_object_set_data (G_OBJECT (factory), "till-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (cell_bind_cb), self, 0);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->dead_view, view_column);
}

static void
show_dead (TillPreferencesHq *self, GPtrArray *jobs)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->dead_model));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;
  TillHqSync *sync = till_context_get_hq_sync (self->context);
  gint64 total;

  g_clear_pointer (&self->dead, g_ptr_array_unref);
  self->dead = g_ptr_array_ref (jobs);
  for (guint i = 0; i < jobs->len; i++)
    g_ptr_array_add (strings, g_strdup_printf ("%u", i));
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->dead_model, 0, n_old, (const char *const *)strings->pdata);

  /* the sender counts them all; the list shows DEAD_SHOWN at most */
  total = jobs->len < DEAD_SHOWN || sync == NULL ? (gint64)jobs->len
                                                 : MAX (till_hq_sync_get_dead (sync), jobs->len);
  self->n_dead = total;
  if (total == 0)
    summary = g_strdup (_ ("None: head office took every row sent"));
  else
    {
      int n = (int)MIN (total, G_MAXINT);

      summary = g_strdup_printf (
          ngettext ("%d row refused: fix the cause the last error gives, then retry",
                    "%d rows refused: fix the cause the last error gives, then retry", n),
          n);
    }
  adw_action_row_set_subtitle (self->dead_summary_row, summary);
  set_style (GTK_WIDGET (self->dead_summary_row), total > 0 ? "error" : NULL);
  gtk_widget_set_visible (self->dead_scroller, jobs->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hq.retry-all", jobs->len > 0);
}

static gpointer
list_dead_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_hq_list_dead (store, DEAD_SHOWN, error);
}

static void
list_dead_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillPreferencesHq) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = till_store_run_finish (TILL_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (jobs == NULL)
    {
      g_warning ("Head office: the refused rows could not be listed: %s", error->message);
      adw_action_row_set_subtitle (self->dead_summary_row, error->message);
      set_style (GTK_WIDGET (self->dead_summary_row), "error");
      return;
    }
  show_dead (self, jobs);
}

void
till_preferences_hq_refresh (TillPreferencesHq *self)
{
  g_return_if_fail (TILL_IS_PREFERENCES_HQ (self));
  till_store_run_async (till_context_get_store (self->context), list_dead_job, NULL, NULL,
                        (GDestroyNotify)g_ptr_array_unref, self->cancellable, list_dead_done_cb,
                        g_object_ref (self));
}

guint
till_preferences_hq_get_n_dead (TillPreferencesHq *self)
{
  g_return_val_if_fail (TILL_IS_PREFERENCES_HQ (self), 0);
  return self->dead != NULL ? self->dead->len : 0;
}

static gpointer
revive_job (TillStore *store, gpointer data, GError **error)
{
  gint64 n = till_store_hq_revive_dead (store, g_get_real_time (), error);

  return n < 0 ? NULL : g_memdup2 (&n, sizeof n);
}

static void
revive_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillPreferencesHq) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *n = till_store_run_finish (TILL_STORE (source), result, &error);
  TillHqSync *sync;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (n == NULL)
    {
      g_warning ("Head office: the refused rows could not be retried: %s", error->message);
      adw_action_row_set_subtitle (self->dead_summary_row, error->message);
      set_style (GTK_WIDGET (self->dead_summary_row), "error");
      return;
    }
  {
    int count = (int)MIN (*n, G_MAXINT);
    g_autofree char *text = g_strdup_printf (
        ngettext ("%d row will be sent again", "%d rows will be sent again", count), count);

    toast (self, text);
  }
  sync = till_context_get_hq_sync (self->context);
  if (sync != NULL)
    till_hq_sync_kick (sync);
  till_preferences_hq_refresh (self);
}

static void
retry_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillPreferencesHq *self = TILL_PREFERENCES_HQ (widget);

  g_message ("Head office: a manager retries the refused rows");
  gtk_widget_action_set_enabled (widget, "hq.retry-all", FALSE);
  till_store_run_async (till_context_get_store (self->context), revive_job, NULL, NULL, g_free,
                        self->cancellable, revive_done_cb, g_object_ref (self));
}

/* ---------------------------------------------------------------- building */

static void
build_settings_group (TillPreferencesHq *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *button;

  adw_preferences_group_set_title (group, _ ("Head office"));
  adw_preferences_group_set_description (
      group, _ ("The till sends its books to the head office’s PostgreSQL and pulls the catalog"
                " and prices from it. Nothing at the counter waits for it: offline, the till"
                " keeps selling and catches up later. Each entry is saved with its button or"
                " Enter."));

  self->url_row = add_entry_row (self, group, "hq-url",
                                 _ ("Database: a libpq URI, such as postgresql://till@hq/shop"));
  self->store_row = add_entry_row (self, group, "hq-store-id",
                                   _ ("Store ID at head office (empty: the till’s store ID)"));
  self->password_row = add_entry_row (
      self, group, "hq-password-file",
      _ ("Password file, readable by you only (empty: ~/.pgpass)"));

  self->message_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->message_row), "hq-message");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->message_row), _ ("Not saved"));
  gtk_widget_add_css_class (GTK_WIDGET (self->message_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message_row), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (self->message_row));

  self->status_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->status_row), "hq-status");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _ ("Status"));
  adw_preferences_group_add (group, GTK_WIDGET (self->status_row));

  self->test_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->test_row), "hq-test");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row),
                                 _ ("Test the connection (Ctrl+Shift+H)"));
  button = gtk_button_new_with_mnemonic (_ ("_Test Connection"));
  gtk_widget_set_name (button, "hq-test-button");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "hq.test-connection");
  adw_action_row_add_suffix (self->test_row, button);
  self->test_button = GTK_BUTTON (button);
  adw_preferences_group_add (group, GTK_WIDGET (self->test_row));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
}

static void
build_dead_group (TillPreferencesHq *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Retry All"));
  GtkNoSelection *selection;

  adw_preferences_group_set_title (group, _ ("Refused by head office"));
  adw_preferences_group_set_description (
      group, _ ("Rows head office refused (a store it does not know, a value it cannot take)"
                " are not sent again by themselves. Fix the cause, then Retry All"
                " (Ctrl+Shift+E)."));
  gtk_widget_set_name (button, "hq-retry-all");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "hq.retry-all");
  adw_preferences_group_set_header_suffix (group, button);

  self->dead_summary_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->dead_summary_row), "hq-dead-summary");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->dead_summary_row),
                                 _ ("Refused rows"));
  adw_action_row_set_subtitle (self->dead_summary_row, "…");
  adw_preferences_group_add (group, GTK_WIDGET (self->dead_summary_row));

  self->dead_model = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->dead_model)));
  self->dead_view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (selection)));
  gtk_widget_set_name (GTK_WIDGET (self->dead_view), "hq-dead");
  gtk_column_view_set_show_row_separators (self->dead_view, TRUE);
  add_column (self, _ ("Row"), COLUMN_ROW, FALSE);
  add_column (self, _ ("Refused at"), COLUMN_AT, FALSE);
  add_column (self, _ ("Tries"), COLUMN_TRIES, FALSE);
  add_column (self, _ ("Last error"), COLUMN_ERROR, TRUE);
  self->dead_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->dead_scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->dead_scroller), 220);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->dead_scroller),
                                 GTK_WIDGET (self->dead_view));
  gtk_widget_add_css_class (self->dead_scroller, "card");
  gtk_widget_set_margin_top (self->dead_scroller, 12);
  gtk_widget_set_visible (self->dead_scroller, FALSE);
  adw_preferences_group_add (group, self->dead_scroller);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
}

/* ---------------------------------------------------------------- object */

static void
till_preferences_hq_dispose (GObject *object)
{
  TillPreferencesHq *self = TILL_PREFERENCES_HQ (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL && till_context_get_hq_sync (self->context) != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_hq_sync (self->context), self);
  g_clear_object (&self->context);
  g_clear_object (&self->dead_model);
  g_clear_pointer (&self->dead, g_ptr_array_unref);
  G_OBJECT_CLASS (till_preferences_hq_parent_class)->dispose (object);
}

static void
till_preferences_hq_finalize (GObject *object)
{
  TillPreferencesHq *self = TILL_PREFERENCES_HQ (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (till_preferences_hq_parent_class)->finalize (object);
}

static void
till_preferences_hq_class_init (TillPreferencesHqClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_preferences_hq_dispose;
  object_class->finalize = till_preferences_hq_finalize;

  gtk_widget_class_install_action (widget_class, "hq.test-connection", NULL, test_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "hq.test-connection",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "hq.retry-all", NULL, retry_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "hq.retry-all", NULL);
}

static void
till_preferences_hq_init (TillPreferencesHq *self)
{
  self->cancellable = g_cancellable_new ();
}

TillPreferencesHq *
till_preferences_hq_new (TillContext *context)
{
  TillPreferencesHq *self;
  TillHqSync *sync;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_PREFERENCES_HQ, "name", "head-office", "title",
                       _ ("Head Office"), "icon-name", "network-server-symbolic", NULL);
  self->context = g_object_ref (context);
  build_settings_group (self);
  build_dead_group (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hq.retry-all", FALSE);

  sync = till_context_get_hq_sync (context);
  if (sync != NULL)
    {
      const char *signals[] = { "notify::state", "notify::waiting", "notify::dead" };

      for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
        g_signal_connect_object (sync, signals[i], G_CALLBACK (sync_notify_cb), self, 0);
    }
  update_status (self);
  till_preferences_hq_refresh (self);
  return self;
}
