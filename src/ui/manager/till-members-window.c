/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMembersWindow: find a member (code, phone, name), add and edit members. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-member-code.h"
#include "till-members-window-private.h"
#include "till-money.h"
#include "till-phone.h"
#include "till-scanner-hub.h"
#include "till-ui-util.h"

G_DEFINE_FINAL_TYPE (TillMembersWindow, till_members_window, GTK_TYPE_WINDOW)

#define MAX_RESULTS 30
#define QR_MODULE_PX 5

TillStore *
_till_members_window_store (TillMembersWindow *self)
{
  return till_context_get_store (self->context);
}

void
_till_members_window_set_message (TillMembersWindow *self, gboolean error, const char *text)
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
_till_members_window_job_started (TillMembersWindow *self)
{
  self->jobs++;
}

void
_till_members_window_job_done (TillMembersWindow *self)
{
  g_return_if_fail (self->jobs > 0);
  self->jobs--;
}

void
_till_member_hit_free (TillMemberHit *hit)
{
  if (hit == NULL)
    return;
  till_member_free (hit->member);
  g_free (hit);
}

/* A job's answer on the UI thread, with the window it was asked for. */
static TillMembersWindow *
job_finish (gpointer user_data)
{
  TillMembersWindow *self = user_data;

  _till_members_window_job_done (self);
  return self;
}

/* ---- the search ---------------------------------------------------------------------- */

/* A member code (scanned or typed) or a full mobile number finds that member; anything
 * else is a name search (text, pinyin, initials). */
static gpointer
search_job (TillStore *store, gpointer data, GError **error)
{
  const char *text = data;
  g_autofree char *code = till_member_code_normalize (text);
  g_autofree char *phone = code == NULL ? till_phone_normalize (text) : NULL;
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GPtrArray) hits
      = g_ptr_array_new_with_free_func ((GDestroyNotify)_till_member_hit_free);

  if (code != NULL || phone != NULL)
    {
      g_autoptr (GError) local_error = NULL;
      TillMember *member = code != NULL
                               ? till_store_find_member_by_code (store, code, &local_error)
                               : till_store_find_member_by_phone (store, phone, &local_error);

      members = g_ptr_array_new_with_free_func ((GDestroyNotify)till_member_free);
      if (member != NULL)
        g_ptr_array_add (members, member);
      else if (!g_error_matches (local_error, TILL_STORE_ERROR, TILL_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  else if (*text != '\0')
    {
      members = till_store_search_members (store, text, MAX_RESULTS, error);
      if (members == NULL)
        return NULL;
    }
  while (members != NULL && members->len > 0)
    {
      TillMemberHit *hit = g_new0 (TillMemberHit, 1);

      hit->member = g_ptr_array_steal_index (members, 0);
      g_ptr_array_add (hits, hit);
      if (!till_store_member_balance (store, hit->member->id, &hit->balance, error))
        return NULL;
    }
  return g_steal_pointer (&hits);
}

static GtkWidget *
hit_row (const TillMemberHit *hit)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (hit->member->name);
  GtkWidget *detail;
  g_autofree char *phone = hit->member->phone != NULL ? till_phone_mask (hit->member->phone)
                                                      : g_strdup (_ ("no phone"));
  g_autofree char *stored = till_money_format (hit->balance.paid_fen + hit->balance.bonus_fen);
  g_autofree char *points = g_strdup_printf ("%" G_GINT64_FORMAT, hit->balance.points);
  /* Translators: the masked phone, the level, the stored value, the points. */
  g_autofree char *text = g_strdup_printf (
      _ ("%s · %s · stored value %s · points %s"), phone,
      hit->member->level_name != NULL ? hit->member->level_name : _ ("no level"), stored, points);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  detail = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  return box;
}

static void
show_results (TillMembersWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL
         && GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (self->results_list, child);
  for (guint i = 0; self->results != NULL && i < self->results->len; i++)
    gtk_list_box_append (self->results_list, hit_row (g_ptr_array_index (self->results, i)));
}

typedef struct
{
  TillMembersWindow *self;
  guint serial;
} SearchRequest;

static void
searched_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SearchRequest *request = user_data;
  g_autoptr (TillMembersWindow) self = job_finish (request->self);
  g_autoptr (GError) error = NULL;
  GPtrArray *hits = till_store_run_finish (TILL_STORE (object), result, &error);
  guint serial = request->serial;

  g_free (request);
  if (hits == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _till_members_window_set_message (self, TRUE, error->message);
      if (serial == self->search_serial)
        self->open_first = FALSE;
      return;
    }
  /* Only the answer to the latest search counts (the entry's delayed "search-changed" may
   * follow Enter); Enter's wish to open the first member waits for it. */
  if (serial != self->search_serial)
    {
      g_ptr_array_unref (hits);
      return;
    }
  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = hits;
  show_results (self);
  if (!self->open_first)
    return;
  self->open_first = FALSE;
  if (hits->len > 0)
    _till_members_window_open_member (self,
                                      ((TillMemberHit *)g_ptr_array_index (hits, 0))->member->id);
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    _till_members_window_set_message (self, TRUE, _ ("No member found"));
}

static void
search (TillMembersWindow *self, gboolean open_first)
{
  SearchRequest *request = g_new0 (SearchRequest, 1);
  g_autofree char *text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  request->self = g_object_ref (self);
  request->serial = ++self->search_serial;
  self->open_first = self->open_first || open_first;
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), search_job, g_steal_pointer (&text),
                        g_free, (GDestroyNotify)g_ptr_array_unref, self->cancellable, searched_cb,
                        request);
}

void
_till_members_window_search_again (TillMembersWindow *self)
{
  search (self, FALSE);
}

static void
search_changed_cb (GtkSearchEntry *entry, TillMembersWindow *self)
{
  search (self, FALSE);
}

/* Enter (a scanner's too): the search as typed now, and its first member. */
static void
search_activate_cb (GtkSearchEntry *entry, TillMembersWindow *self)
{
  search (self, TRUE);
}

/* Escape in the search: clears it, or closes the window when it is empty. */
static void
search_stop_cb (GtkSearchEntry *entry, TillMembersWindow *self)
{
  till_ui_search_escape (entry, GTK_WINDOW (self));
}

static void
result_activated_cb (GtkListBox *list, GtkListBoxRow *row, TillMembersWindow *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->results != NULL && index >= 0 && (guint)index < self->results->len)
    _till_members_window_open_member (
        self, ((TillMemberHit *)g_ptr_array_index (self->results, index))->member->id);
}

void
till_members_window_enter_code (TillMembersWindow *self, const char *code)
{
  g_return_if_fail (TILL_IS_MEMBERS_WINDOW (self));
  g_return_if_fail (code != NULL);

  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), code);
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  search (self, TRUE);
}

static void
code_scanned_cb (TillScannerHub *hub, const char *code, int source, TillMembersWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    till_members_window_enter_code (self, code);
}

/* ---- the levels ---------------------------------------------------------------------- */

static guint
level_position (TillMembersWindow *self, gint64 level_id)
{
  for (guint i = 0; level_id != 0 && self->levels != NULL && i < self->levels->len; i++)
    if (((TillMemberLevel *)g_ptr_array_index (self->levels, i))->id == level_id)
      return i + 1;
  return 0;
}

static gint64
selected_level_id (TillMembersWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || self->levels == NULL
      || selected > self->levels->len)
    return 0;
  return ((TillMemberLevel *)g_ptr_array_index (self->levels, selected - 1))->id;
}

static gpointer
levels_job (TillStore *store, gpointer data, GError **error)
{
  return till_store_list_member_levels (store, error);
}

static void
levels_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillMembersWindow) self = job_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkStringList) names = NULL;
  GPtrArray *levels = till_store_run_finish (TILL_STORE (object), result, &error);

  if (levels == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _till_members_window_set_message (self, TRUE, error->message);
      return;
    }
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  self->levels = levels;
  names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, _ ("No level"));
  for (guint i = 0; i < levels->len; i++)
    gtk_string_list_append (names, ((TillMemberLevel *)g_ptr_array_index (levels, i))->name);
  gtk_drop_down_set_model (self->level_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (
      self->level_dropdown,
      level_position (self, self->member != NULL ? self->member->level_id : 0));
  _till_members_window_levels_loaded (self);
}

void
_till_members_window_reload_levels (TillMembersWindow *self)
{
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), levels_job, NULL, NULL,
                        (GDestroyNotify)g_ptr_array_unref, self->cancellable, levels_loaded_cb,
                        g_object_ref (self));
}

/* ---- the member ---------------------------------------------------------------------- */

typedef struct
{
  TillMember *member;
  TillMemberBalance balance;
  GPtrArray *money_moves;
  GPtrArray *points_moves;
} MemberBooks;

static void
member_books_free (MemberBooks *books)
{
  till_member_free (books->member);
  g_clear_pointer (&books->money_moves, g_ptr_array_unref);
  g_clear_pointer (&books->points_moves, g_ptr_array_unref);
  g_free (books);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MemberBooks, member_books_free)

#define N_MOVES 20

static gpointer
member_job (TillStore *store, gpointer data, GError **error)
{
  gint64 id = *(gint64 *)data;
  g_autoptr (MemberBooks) books = g_new0 (MemberBooks, 1);

  books->member = till_store_get_member (store, id, error);
  if (books->member == NULL || !till_store_member_balance (store, id, &books->balance, error))
    return NULL;
  books->money_moves = till_store_stored_value_moves (store, id, N_MOVES, error);
  if (books->money_moves == NULL)
    return NULL;
  books->points_moves = till_store_points_moves (store, id, N_MOVES, error);
  if (books->points_moves == NULL)
    return NULL;
  return g_steal_pointer (&books);
}

static void
show_member (TillMembersWindow *self, const TillMember *member)
{
  g_autofree char *masked = NULL;
  g_autofree char *heading = NULL;

  if (member == NULL)
    {
      gtk_label_set_text (self->form_heading, _ ("New member"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->birthday_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
      gtk_drop_down_set_selected (self->level_dropdown, 0);
      gtk_check_button_set_active (self->active_check, TRUE);
      gtk_label_set_text (self->code_label, _ ("A member code is given on saving"));
      gtk_label_set_text (self->masked_phone_label, "");
      gtk_picture_set_paintable (self->qr_picture, NULL);
      return;
    }
  masked = member->phone != NULL ? till_phone_mask (member->phone) : g_strdup (_ ("no phone"));
  heading = g_strdup_printf ("%s · %s", member->name, masked);
  gtk_label_set_text (self->form_heading, heading);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), member->name);
  /* The edit field is the one place the whole number shows. */
  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry),
                         member->phone != NULL ? member->phone : "");
  gtk_editable_set_text (GTK_EDITABLE (self->birthday_entry),
                         member->birthday != NULL ? member->birthday : "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), member->note != NULL ? member->note : "");
  gtk_drop_down_set_selected (self->level_dropdown, level_position (self, member->level_id));
  gtk_check_button_set_active (self->active_check, member->active);
  gtk_label_set_text (self->code_label, member->code);
  gtk_label_set_text (self->masked_phone_label, masked);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GdkTexture) qr = till_ui_qr_texture (member->code, QR_MODULE_PX, &error);

    if (qr == NULL)
      g_warning ("The QR of member %" G_GINT64_FORMAT " could not be drawn: %s", member->id,
                 error->message);
    gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (qr));
  }
}

static void
member_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillMembersWindow) self = job_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (MemberBooks) books = till_store_run_finish (TILL_STORE (object), result, &error);

  if (books == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _till_members_window_set_message (self, TRUE, error->message);
      return;
    }
  g_clear_pointer (&self->member, till_member_free);
  self->member = g_steal_pointer (&books->member);
  show_member (self, self->member);
  _till_members_window_show_books (self, &books->balance, books->money_moves, books->points_moves);
}

void
_till_members_window_open_member (TillMembersWindow *self, gint64 member_id)
{
  if (member_id == 0)
    {
      g_clear_pointer (&self->member, till_member_free);
      show_member (self, NULL);
      _till_members_window_show_books (self, NULL, NULL, NULL);
      return;
    }
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), member_job,
                        g_memdup2 (&member_id, sizeof member_id), g_free,
                        (GDestroyNotify)member_books_free, self->cancellable, member_loaded_cb,
                        g_object_ref (self));
}

/* ---- saving -------------------------------------------------------------------------- */

typedef struct
{
  gint64 id; /* 0: add */
  char *name;
  char *phone;
  char *birthday;
  char *note;
  gint64 level_id;
  gboolean active;
  char *who;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_free (job->name);
  g_free (job->phone);
  g_free (job->birthday);
  g_free (job->note);
  g_free (job->who);
  g_free (job);
}

static gpointer
save_job (TillStore *store, gpointer data, GError **error)
{
  SaveJob *job = data;
  TillMemberFields fields = {
    .name = job->name,
    .phone = job->phone,
    .birthday = job->birthday,
    .level_id = job->level_id,
    .note = job->note,
    .active = job->active,
  };
  gint64 id = job->id;

  if (id == 0)
    id = till_store_add_member (store, &fields, NULL, job->who, error);
  else if (!till_store_edit_member (store, id, &fields, job->who, error))
    id = 0;
  return id != 0 ? g_memdup2 (&id, sizeof id) : NULL;
}

static void
saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillMembersWindow) self = job_finish (user_data);
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *id = till_store_run_finish (TILL_STORE (object), result, &error);
  g_autofree char *text = NULL;

  if (id == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The store's messages name no phone number. */
      g_message ("Member not saved: %s", error->message);
      _till_members_window_set_message (self, TRUE, error->message);
      return;
    }
  text
      = g_strdup_printf (_ ("Saved “%s”"), gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  _till_members_window_set_message (self, FALSE, text);
  _till_members_window_open_member (self, *id);
  search (self, FALSE);
}

static char *
entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
save_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (widget);
  SaveJob *job = g_new0 (SaveJob, 1);

  job->id = self->member != NULL ? self->member->id : 0;
  job->name = entry_text (self->name_entry);
  job->phone = entry_text (self->phone_entry);
  job->birthday = entry_text (self->birthday_entry);
  job->note = entry_text (self->note_entry);
  job->level_id = selected_level_id (self);
  job->active = gtk_check_button_get_active (self->active_check);
  job->who = g_strdup (self->who);
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), save_job, job, save_job_free, g_free,
                        self->cancellable, saved_cb, g_object_ref (self));
}

/* Enter in a field saves, as Ctrl+S does. */
static void
entry_activate_cb (GtkEntry *entry, TillMembersWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "members.save", NULL);
}

static void
new_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (widget);

  _till_members_window_open_member (self, 0);
  _till_members_window_set_message (self, FALSE, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
find_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (TILL_MEMBERS_WINDOW (widget)->search_entry));
}

static void
close_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
till_members_window_dispose (GObject *object)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (till_context_get_scanner_hub (self->context), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_MEMBERS_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->member, till_member_free);
  G_OBJECT_CLASS (till_members_window_parent_class)->dispose (object);
}

static void
till_members_window_finalize (GObject *object)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (object);

  g_free (self->message);
  g_free (self->who);
  G_OBJECT_CLASS (till_members_window_parent_class)->finalize (object);
}

static void
till_members_window_class_init (TillMembersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_members_window_dispose;
  object_class->finalize = till_members_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tillpoint/Tillpoint/ui/"
                                                             "till-members-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, form_heading);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, birthday_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, note_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, active_check);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, code_label);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, masked_phone_label);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, message_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  _till_members_window_books_class_init (widget_class);
  _till_members_window_pin_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "members.save", NULL, save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "members.save",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "members.new", NULL, new_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "members.new",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "members.find", NULL, find_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "members.find",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "members.close", NULL, close_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "members.close", NULL);
}

static void
till_members_window_init (TillMembersWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->message = g_strdup ("");
  /* The scanner's codes come here, not to the sale, while this window is active. */
  g_object_set_data (G_OBJECT (self), "till-takes-scans", GINT_TO_POINTER (TRUE));
}

TillMembersWindow *
till_members_window_new (GtkWindow *parent, TillContext *context)
{
  TillMembersWindow *self;
  const char *who;

  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_MEMBERS_WINDOW, "transient-for", parent, "destroy-with-parent",
                       TRUE, NULL);
  self->context = g_object_ref (context);
  who = till_shift_get_cashier_or_default (till_context_get_shift (context));
  self->who = g_strdup (who != NULL && *who != '\0' ? who : "till");
  g_signal_connect (till_context_get_scanner_hub (context), "code-scanned",
                    G_CALLBACK (code_scanned_cb), self);
  {
    GtkWidget *placeholder = gtk_label_new (_ ("Scan a member’s code, or type a mobile number "
                                               "or a name (pinyin works) above"));

    gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
    gtk_widget_set_margin_top (placeholder, 12);
    gtk_widget_set_margin_bottom (placeholder, 12);
    gtk_widget_set_margin_start (placeholder, 12);
    gtk_widget_set_margin_end (placeholder, 12);
    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_list_box_set_placeholder (self->results_list, placeholder);
  }
  _till_members_window_books_init (self);
  _till_members_window_reload_levels (self);
  _till_members_window_open_member (self, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

const char *
till_members_window_get_message (TillMembersWindow *self)
{
  g_return_val_if_fail (TILL_IS_MEMBERS_WINDOW (self), "");
  return self->message;
}

gint64
till_members_window_get_member_id (TillMembersWindow *self)
{
  g_return_val_if_fail (TILL_IS_MEMBERS_WINDOW (self), 0);
  return self->member != NULL ? self->member->id : 0;
}

guint
till_members_window_get_n_results (TillMembersWindow *self)
{
  g_return_val_if_fail (TILL_IS_MEMBERS_WINDOW (self), 0);
  return self->results != NULL ? self->results->len : 0;
}

gboolean
till_members_window_get_busy (TillMembersWindow *self)
{
  g_return_val_if_fail (TILL_IS_MEMBERS_WINDOW (self), FALSE);
  return self->jobs > 0;
}
