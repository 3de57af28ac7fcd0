/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillMembersWindow's parts: the window, the search and the member's form
 * (till-members-window.c); the balances, the ledgers, a manager's adjustment, the export
 * and the levels (till-members-window-books.c). */
#pragma once

#include "till-members-window.h"
#include "till-store-member-books.h"
#include "till-store-members.h"
#include "till-store-stored-value.h"

G_BEGIN_DECLS

/* A member as the results list and the form show it. */
typedef struct
{
  TillMember *member;
  TillMemberBalance balance;
} TillMemberHit;

void
_till_member_hit_free (TillMemberHit *hit);

struct _TillMembersWindow
{
  GtkWindow parent_instance;

  TillContext *context;
  GCancellable *cancellable;
  char *who; /* the signed-in cashier */
  char *message;
  GPtrArray *results;  /* TillMemberHit*, the list's rows */
  GPtrArray *levels;   /* TillMemberLevel*, the dropdowns' items after the first */
  TillMember *member;  /* the member open, NULL for a new one */
  guint search_serial; /* answers to older searches are dropped */
  gboolean open_first; /* Enter was pressed: the latest search's first member opens */
  guint jobs;          /* store jobs running */

  GtkSearchEntry *search_entry;
  GtkListBox *results_list;
  GtkLabel *form_heading;
  GtkEntry *name_entry;
  GtkEntry *phone_entry;
  GtkEntry *birthday_entry;
  GtkDropDown *level_dropdown;
  GtkEntry *note_entry;
  GtkCheckButton *active_check;
  GtkPicture *qr_picture;
  GtkLabel *code_label;
  GtkLabel *masked_phone_label;
  GtkLabel *message_label;

  /* till-members-window-books.c */
  GtkLabel *balance_label;
  GtkListBox *money_moves_list;
  GtkListBox *points_moves_list;
  GtkBox *adjust_box;
  GtkEntry *adjust_paid_entry;
  GtkEntry *adjust_bonus_entry;
  GtkEntry *adjust_points_entry;
  GtkEntry *adjust_reason_entry;
  GtkDropDown *levels_edit_dropdown;
  GtkEntry *level_name_entry;
  GtkEntry *level_discount_entry;
  GtkEntry *level_points_entry;
};

TillStore *
_till_members_window_store (TillMembersWindow *self);
void
_till_members_window_set_message (TillMembersWindow *self, gboolean error, const char *text);
/* A store job started / finished (the busy count). */
void
_till_members_window_job_started (TillMembersWindow *self);
void
_till_members_window_job_done (TillMembersWindow *self);
/* Opens a member (0: a new one): the form, the code, the balances and the ledgers. */
void
_till_members_window_open_member (TillMembersWindow *self, gint64 member_id);
/* The search again as typed (the balances in the list after a change). */
void
_till_members_window_search_again (TillMembersWindow *self);
/* Reads the levels again into both drop-downs. */
void
_till_members_window_reload_levels (TillMembersWindow *self);

/* till-members-window-books.c */
void
_till_members_window_books_class_init (GtkWidgetClass *widget_class);
void
_till_members_window_books_init (TillMembersWindow *self);
/* Shows a member's balances and moves (NULLs: a new member, nothing yet). */
void
_till_members_window_show_books (TillMembersWindow *self, const TillMemberBalance *balance,
                                 GPtrArray *money_moves, GPtrArray *points_moves);
/* The levels were read again: the levels section's drop-down. */
void
_till_members_window_levels_loaded (TillMembersWindow *self);

/* till-members-window-pin.c: "Set PIN…" (Ctrl+K) for the member open */
void
_till_members_window_pin_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
