/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMembersWindow's books: a member's stored value (paid and bonus apart) and points with
 * the latest moves of both ledgers (read only: the balances are the ledgers' sums), a
 * manager's adjustment, the members export and the levels. */
#define G_LOG_DOMAIN "till-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "till-members-window-private.h"
#include "till-money.h"
#include "till-pin-window.h"
#include "till-ui-util.h"

/* ---- balances and ledgers ------------------------------------------------------------ */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL
         && GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (list, child);
}

static void
set_placeholder (GtkListBox *list, const char *text)
{
  GtkWidget *placeholder = gtk_label_new (text);

  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (list, placeholder);
}

static const char *
money_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "topup") == 0)
    return _ ("Top-up");
  if (g_strcmp0 (kind, "bonus") == 0)
    return _ ("Bonus");
  if (g_strcmp0 (kind, "spend") == 0)
    return _ ("Paid with");
  if (g_strcmp0 (kind, "refund") == 0)
    return _ ("Refund");
  if (g_strcmp0 (kind, "adjust") == 0)
    return _ ("Adjustment");
  return kind;
}

static const char *
points_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "earn") == 0)
    return _ ("Earned");
  if (g_strcmp0 (kind, "reverse") == 0)
    return _ ("Taken back");
  if (g_strcmp0 (kind, "redeem") == 0)
    return _ ("Redeemed");
  if (g_strcmp0 (kind, "release") == 0)
    return _ ("Redemption given back");
  if (g_strcmp0 (kind, "return") == 0)
    return _ ("Given back by a refund");
  if (g_strcmp0 (kind, "adjust") == 0)
    return _ ("Adjustment");
  return kind;
}

static char *
format_at (gint64 at_us)
{
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);

  return at != NULL ? g_date_time_format (at, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* One move: "kind  amounts" over "reference · who · when · reason". */
static GtkWidget *
move_row (const char *title, const char *amounts, const char *reference, const char *who, gint64 at,
          const char *reason)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *kind = gtk_label_new (title);
  GtkWidget *value = gtk_label_new (amounts);
  GtkWidget *detail;
  g_autofree char *when = format_at (at);
  g_autofree char *text = NULL;

  if (reason != NULL && *reason != '\0')
    text = g_strdup_printf ("%s · %s · %s · %s", reference != NULL ? reference : "",
                            who != NULL ? who : "", when, reason);
  else
    text = g_strdup_printf ("%s · %s · %s", reference != NULL ? reference : "",
                            who != NULL ? who : "", when);
  detail = gtk_label_new (text);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_widget_set_hexpand (kind, TRUE);
  gtk_widget_add_css_class (kind, "heading");
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (top), kind);
  gtk_box_append (GTK_BOX (top), value);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), detail);
  return box;
}

static char *
signed_money (gint64 fen)
{
  g_autofree char *text = till_money_format (fen);

  return fen > 0 ? g_strconcat ("+", text, NULL) : g_steal_pointer (&text);
}

void
_till_members_window_show_books (TillMembersWindow *self, const TillMemberBalance *balance,
                                 GPtrArray *money_moves, GPtrArray *points_moves)
{
  clear_list (self->money_moves_list);
  clear_list (self->points_moves_list);
  gtk_widget_set_sensitive (GTK_WIDGET (self->adjust_box), balance != NULL);
  if (balance == NULL)
    {
      gtk_label_set_text (self->balance_label, _ ("Stored value and points show once the member "
                                                  "is saved"));
      return;
    }
  {
    g_autofree char *paid = till_money_format (balance->paid_fen);
    g_autofree char *bonus = till_money_format (balance->bonus_fen);
    g_autofree char *total = till_money_format (balance->paid_fen + balance->bonus_fen);
    g_autofree char *points = g_strdup_printf ("%" G_GINT64_FORMAT, balance->points);
    /* Translators: stored value (its paid and bonus parts), then the points. */
    g_autofree char *text = g_strdup_printf (_ ("Stored value %s (paid %s + bonus %s) · "
                                                "Points %s"),
                                             total, paid, bonus, points);

    gtk_label_set_text (self->balance_label, text);
  }
  for (guint i = 0; money_moves != NULL && i < money_moves->len; i++)
    {
      const TillStoredValueMove *move = g_ptr_array_index (money_moves, i);
      g_autofree char *paid = signed_money (move->paid_fen);
      g_autofree char *bonus = signed_money (move->bonus_fen);
      /* Translators: a stored-value move's paid and bonus money. */
      g_autofree char *amounts = g_strdup_printf (_ ("paid %s · bonus %s"), paid, bonus);

      gtk_list_box_append (self->money_moves_list,
                           move_row (money_kind_label (move->kind), amounts, move->reference,
                                     move->who, move->at, move->reason));
    }
  for (guint i = 0; points_moves != NULL && i < points_moves->len; i++)
    {
      const TillPointsMove *move = g_ptr_array_index (points_moves, i);
      g_autofree char *amount
          = g_strdup_printf ("%s%" G_GINT64_FORMAT, move->points > 0 ? "+" : "", move->points);

      gtk_list_box_append (self->points_moves_list,
                           move_row (points_kind_label (move->kind), amount, move->reference,
                                     move->who, move->at, move->reason));
    }
}

/* ---- a manager's adjustment ---------------------------------------------------------- */

typedef struct
{
  gint64 member_id;
  gint64 paid_fen;
  gint64 bonus_fen;
  gint64 points;
  char *reason;
  char *who;
  char *manager;
} AdjustJob;

static void
adjust_job_free (gpointer data)
{
  AdjustJob *job = data;

  g_free (job->reason);
  g_free (job->who);
  g_free (job->manager);
  g_free (job);
}

/* Money first, then points, each its own transaction: a part that would go below zero is
 * tried first, so that its refusal leaves nothing done. */
static gpointer
adjust_job (TillStore *store, gpointer data, GError **error)
{
  AdjustJob *job = data;
  TillMemberBalance balance;
  gboolean money = job->paid_fen != 0 || job->bonus_fen != 0;
  gboolean points_first;

  if (!till_store_member_balance (store, job->member_id, &balance, error))
    return NULL;
  points_first = job->points != 0 && balance.points + job->points < 0;
  if (points_first
      && till_store_points_adjust (store, job->member_id, job->points, job->reason, job->who,
                                   job->manager, error)
             == 0)
    return NULL;
  if (money
      && till_store_stored_value_adjust (store, job->member_id, job->paid_fen, job->bonus_fen,
                                         job->reason, job->who, job->manager, error)
             == 0)
    return NULL;
  if (job->points != 0 && !points_first
      && till_store_points_adjust (store, job->member_id, job->points, job->reason, job->who,
                                   job->manager, error)
             == 0)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
adjusted_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillMembersWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean done = till_store_run_finish (TILL_STORE (object), result, &error) != NULL;
  g_autofree char *text = NULL;

  _till_members_window_job_done (self);
  if (!done)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_ ("Not adjusted: %s"), error->message);
      _till_members_window_set_message (self, TRUE, text);
    }
  else
    {
      _till_members_window_set_message (self, FALSE, _ ("Adjustment saved"));
      gtk_editable_set_text (GTK_EDITABLE (self->adjust_paid_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->adjust_bonus_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->adjust_points_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->adjust_reason_entry), "");
    }
  /* The balances and moves as the ledgers now have them. */
  if (self->member != NULL)
    _till_members_window_open_member (self, self->member->id);
  _till_members_window_search_again (self);
}

static void
adjust_approved_cb (TillPinWindow *pin, TillPerson *manager, TillMembersWindow *self)
{
  AdjustJob *job = g_object_steal_data (G_OBJECT (pin), "till-adjust-job");

  if (job == NULL)
    return;
  job->manager = g_strdup (manager->name);
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), adjust_job, job, adjust_job_free, NULL,
                        self->cancellable, adjusted_cb, g_object_ref (self));
}

/* An empty entry is 0. */
static gboolean
parse_money_entry (GtkEntry *entry, gint64 *out_fen, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  *out_fen = 0;
  return *text == '\0' || till_money_parse (text, out_fen, error);
}

static void
adjust_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (widget);
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *points_text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *what = NULL;
  gint64 paid = 0, bonus = 0, points = 0;
  AdjustJob *job;
  TillPinWindow *pin;

  if (self->member == NULL)
    {
      _till_members_window_set_message (self, TRUE, _ ("Open a member first"));
      return;
    }
  if (!parse_money_entry (self->adjust_paid_entry, &paid, &error)
      || !parse_money_entry (self->adjust_bonus_entry, &bonus, &error))
    {
      _till_members_window_set_message (self, TRUE, error->message);
      return;
    }
  points_text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->adjust_points_entry))));
  if (*points_text != '\0'
      && !g_ascii_string_to_signed (points_text, 10, -100000000, 100000000, &points, NULL))
    {
      _till_members_window_set_message (self, TRUE,
                                        _ ("Points are a whole number, such as 50 or "
                                           "-20"));
      return;
    }
  if (paid == 0 && bonus == 0 && points == 0)
    {
      _till_members_window_set_message (self, TRUE,
                                        _ ("Type the paid money, bonus money or "
                                           "points to add (or, with a minus, to take "
                                           "away)"));
      return;
    }
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->adjust_reason_entry))));
  if (*reason == '\0')
    {
      _till_members_window_set_message (self, TRUE, _ ("An adjustment needs a reason"));
      gtk_widget_grab_focus (GTK_WIDGET (self->adjust_reason_entry));
      return;
    }
  job = g_new0 (AdjustJob, 1);
  job->member_id = self->member->id;
  job->paid_fen = paid;
  job->bonus_fen = bonus;
  job->points = points;
  job->reason = g_steal_pointer (&reason);
  job->who = g_strdup (self->who);
  detail = g_strdup_printf ("{\"member_id\":%" G_GINT64_FORMAT ",\"what\":\"adjust\"}",
                            job->member_id);
  what = g_strdup_printf (_ ("Adjust the stored value or points of %s"), self->member->name);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_MEMBERS, detail, what);
  g_object_set_data_full (G_OBJECT (pin), "till-adjust-job", job, adjust_job_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (adjust_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
adjust_activate_cb (GtkEntry *entry, TillMembersWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "members.adjust", NULL);
}

/* ---- the export ---------------------------------------------------------------------- */

typedef struct
{
  char *path;
  char *manager;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_free (job->manager);
  g_free (job);
}

static gpointer
export_job (TillStore *store, gpointer data, GError **error)
{
  ExportJob *job = data;
  guint n = 0;

  if (!till_store_export_members_csv (store, job->path, job->manager, &n, error))
    return NULL;
  return g_memdup2 (&n, sizeof n);
}

typedef struct
{
  TillMembersWindow *self;
  char *path;
} ExportRequest;

static void
exported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ExportRequest *request = user_data;
  g_autoptr (TillMembersWindow) self = request->self;
  g_autofree char *path = request->path;
  g_autoptr (GError) error = NULL;
  g_autofree guint *n = till_store_run_finish (TILL_STORE (object), result, &error);
  g_autofree char *text = NULL;

  g_free (request);
  _till_members_window_job_done (self);
  if (n == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_ ("Export failed: %s"), error->message);
      _till_members_window_set_message (self, TRUE, text);
      return;
    }
  text = g_strdup_printf (_ ("Members exported: %u, to %s"), *n, path);
  _till_members_window_set_message (self, FALSE, text);
}

static void
export_approved_cb (TillPinWindow *pin, TillPerson *manager, TillMembersWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (pin), "till-export-path");
  ExportJob *job = g_new0 (ExportJob, 1);
  ExportRequest *request = g_new0 (ExportRequest, 1);

  job->path = g_strdup (path);
  job->manager = g_strdup (manager->name);
  request->self = g_object_ref (self);
  request->path = g_strdup (path);
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), export_job, job, export_job_free, g_free,
                        self->cancellable, exported_cb, request);
}

void
till_members_window_export (TillMembersWindow *self, const char *path)
{
  TillPinWindow *pin;

  g_return_if_fail (TILL_IS_MEMBERS_WINDOW (self));
  g_return_if_fail (path != NULL);

  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_MEMBERS,
                             "{\"what\":\"export\"}",
                             _ ("Export the members with their full phone numbers"));
  g_object_set_data_full (G_OBJECT (pin), "till-export-path", g_strdup (path), g_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (export_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, TillMembersWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        till_members_window_export (self, path);
      else
        _till_members_window_set_message (self, TRUE,
                                          _ ("Choose a file on this computer for the export"));
    }
  g_object_unref (chooser);
}

static void
export_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "tillpoint-members-%Y%m%d.csv");

  chooser = gtk_file_chooser_native_new (_ ("Export members"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("Save"), _ ("Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- levels -------------------------------------------------------------------------- */

static TillMemberLevel *
edited_level (TillMembersWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->levels_edit_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || self->levels == NULL
      || selected > self->levels->len)
    return NULL;
  return g_ptr_array_index (self->levels, selected - 1);
}

static void
level_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, TillMembersWindow *self)
{
  TillMemberLevel *level = edited_level (self);
  g_autofree char *discount = NULL;
  g_autofree char *points = NULL;

  if (level == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->level_name_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->level_discount_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->level_points_entry), "");
      return;
    }
  /* Basis points are hundredths of a percent, as fen are of a yuan. */
  discount = till_money_format_plain (level->discount_bp);
  points = g_strdup_printf ("%" G_GINT64_FORMAT, level->points_per_yuan);
  gtk_editable_set_text (GTK_EDITABLE (self->level_name_entry), level->name);
  gtk_editable_set_text (GTK_EDITABLE (self->level_discount_entry), discount);
  gtk_editable_set_text (GTK_EDITABLE (self->level_points_entry), points);
}

void
_till_members_window_levels_loaded (TillMembersWindow *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _ ("A new level"));
  for (guint i = 0; self->levels != NULL && i < self->levels->len; i++)
    gtk_string_list_append (names, ((TillMemberLevel *)g_ptr_array_index (self->levels, i))->name);
  g_signal_handlers_block_by_func (self->levels_edit_dropdown, level_selected_cb, self);
  gtk_drop_down_set_model (self->levels_edit_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->levels_edit_dropdown, 0);
  g_signal_handlers_unblock_by_func (self->levels_edit_dropdown, level_selected_cb, self);
  level_selected_cb (self->levels_edit_dropdown, NULL, self);
}

typedef struct
{
  gint64 id; /* 0: add */
  char *name;
  gint64 position;
  gint64 discount_bp;
  gint64 points_per_yuan;
} LevelJob;

static void
level_job_free (gpointer data)
{
  LevelJob *job = data;

  g_free (job->name);
  g_free (job);
}

static gpointer
level_job (TillStore *store, gpointer data, GError **error)
{
  LevelJob *job = data;

  if (job->id == 0)
    return till_store_add_member_level (store, job->name, job->position, job->discount_bp,
                                        job->points_per_yuan, error)
                   != 0
               ? GINT_TO_POINTER (TRUE)
               : NULL;
  return till_store_edit_member_level (store, job->id, job->name, job->position, job->discount_bp,
                                       job->points_per_yuan, error)
             ? GINT_TO_POINTER (TRUE)
             : NULL;
}

static void
level_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TillMembersWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  _till_members_window_job_done (self);
  if (till_store_run_finish (TILL_STORE (object), result, &error) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _till_members_window_set_message (self, TRUE, error->message);
      return;
    }
  _till_members_window_set_message (self, FALSE, _ ("Member level saved"));
  _till_members_window_reload_levels (self);
}

static void
level_approved_cb (TillPinWindow *pin, TillPerson *manager, TillMembersWindow *self)
{
  LevelJob *job = g_object_steal_data (G_OBJECT (pin), "till-level-job");

  if (job == NULL)
    return;
  _till_members_window_job_started (self);
  till_store_run_async (_till_members_window_store (self), level_job, job, level_job_free, NULL,
                        self->cancellable, level_saved_cb, g_object_ref (self));
}

static void
save_level_action_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TillMembersWindow *self = TILL_MEMBERS_WINDOW (widget);
  TillMemberLevel *level = edited_level (self);
  g_autofree char *name = NULL;
  g_autofree char *points_text = NULL;
  g_autofree char *detail = NULL;
  gint64 discount_bp = 0, points = 0;
  LevelJob *job;
  TillPinWindow *pin;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->level_name_entry))));
  if (*name == '\0')
    {
      _till_members_window_set_message (self, TRUE, _ ("A member level needs a name"));
      return;
    }
  if (!parse_money_entry (self->level_discount_entry, &discount_bp, NULL) || discount_bp < 0
      || discount_bp > 10000)
    {
      _till_members_window_set_message (self, TRUE,
                                        _ ("A level's discount must be from 0 to 100 percent"));
      return;
    }
  points_text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->level_points_entry))));
  if (*points_text != '\0'
      && !g_ascii_string_to_signed (points_text, 10, 0, 1000000, &points, NULL))
    {
      _till_members_window_set_message (self, TRUE,
                                        _ ("Points per yuan are a whole number from "
                                           "0 up"));
      return;
    }
  job = g_new0 (LevelJob, 1);
  job->id = level != NULL ? level->id : 0;
  job->name = g_steal_pointer (&name);
  job->position = level != NULL ? level->position
                                : (gint64)(self->levels != NULL ? self->levels->len : 0) + 1;
  job->discount_bp = discount_bp;
  job->points_per_yuan = points;
  detail = g_strdup_printf ("{\"what\":\"level\",\"level_id\":%" G_GINT64_FORMAT "}", job->id);
  pin = till_pin_window_new (GTK_WINDOW (self), self->context, TILL_APPROVAL_MEMBERS, detail,
                             level != NULL ? _ ("Change a member level")
                                           : _ ("Add a member level"));
  g_object_set_data_full (G_OBJECT (pin), "till-level-job", job, level_job_free);
  g_signal_connect_object (pin, "approved", G_CALLBACK (level_approved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (pin));
}

static void
level_activate_cb (GtkEntry *entry, TillMembersWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "members.save-level", NULL);
}

/* ---- setup --------------------------------------------------------------------------- */

void
_till_members_window_books_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, balance_label);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, money_moves_list);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, points_moves_list);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, adjust_box);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, adjust_paid_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, adjust_bonus_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, adjust_points_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, adjust_reason_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, levels_edit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, level_name_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, level_discount_entry);
  gtk_widget_class_bind_template_child (widget_class, TillMembersWindow, level_points_entry);
  gtk_widget_class_bind_template_callback (widget_class, adjust_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, level_activate_cb);

  gtk_widget_class_install_action (widget_class, "members.adjust", NULL, adjust_action_cb);
  gtk_widget_class_install_action (widget_class, "members.save-level", NULL, save_level_action_cb);
  gtk_widget_class_install_action (widget_class, "members.export", NULL, export_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "members.export", NULL);
}

void
_till_members_window_books_init (TillMembersWindow *self)
{
  g_signal_connect (self->levels_edit_dropdown, "notify::selected", G_CALLBACK (level_selected_cb),
                    self);
  set_placeholder (self->money_moves_list, _ ("No stored-value moves yet"));
  set_placeholder (self->points_moves_list, _ ("No points moves yet"));
}
