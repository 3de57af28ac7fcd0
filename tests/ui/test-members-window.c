/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The members window (issue 16) with real keys on a real store: Ctrl+Shift+B opens it
 * without a PIN; a member is added with the phone typed with spaces, found again by the
 * phone, by the pinyin initials of the name and by the member code typed as a scanner
 * types it; the level is changed; a manager's adjustment with a reason is booked and one
 * below zero refused; the export (a manager's PIN) writes the BOM, the full phone and the
 * balances; a level is added. No log line carries the phone number. Screenshot:
 * meson-logs/members-window.png. */
#include "config.h"

#include <string.h>

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <gdk/x11/gdkx.h>

#include "till-manager-actions.h"
#include "till-member-code.h"
#include "till-member-pin-window.h"
#include "till-member-window.h"
#include "till-store-stored-value.h"
#include "till-members-window-private.h"
#include "till-pin-window.h"
#include "till-preferences-window.h"
#include "till-shift.h"
#include "till-ui-test.h"

#define MANAGER_PIN "8642"
#define PHONE "13800138000"
#define WAIT_MS 10000

static gint phone_logged;

/* Every log line passes here: none may hold the phone number. */
static GLogWriterOutput
log_writer (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0
        && strstr (fields[i].value, PHONE) != NULL)
      g_atomic_int_inc (&phone_logged);
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gint64
query_int (TillUiFixture *f, const char *sql, const char *arg)
{
  g_autofree char *n = till_ui_query_text (f, sql, arg);

  return n != NULL ? g_ascii_strtoll (n, NULL, 10) : -1;
}

/* Types Chinese as an input method commits it: each character through a spare key code
 * mapped for the moment to its Unicode keysym (real X key events, as xdotool does). */
static void
type_unicode (const char *text)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  int min_code, max_code, per_code;
  KeySym *map;
  KeyCode spare = 0;

  XDisplayKeycodes (dpy, &min_code, &max_code);
  map = XGetKeyboardMapping (dpy, min_code, max_code - min_code + 1, &per_code);
  for (int code = max_code; code >= min_code && spare == 0; code--)
    {
      gboolean empty = TRUE;

      for (int j = 0; j < per_code; j++)
        empty = empty && map[(code - min_code) * per_code + j] == NoSymbol;
      if (empty)
        spare = code;
    }
  XFree (map);
  g_assert_cmpuint (spare, !=, 0);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      KeySym syms[2];

      syms[0] = syms[1] = 0x01000000 + g_utf8_get_char (p);
      XChangeKeyboardMapping (dpy, spare, 2, syms, 1);
      XSync (dpy, False);
      till_ui_pump (80);
      XTestFakeKeyEvent (dpy, spare, True, 0);
      XTestFakeKeyEvent (dpy, spare, False, 0);
      XSync (dpy, False);
      till_ui_pump (80);
    }
  {
    KeySym none[2] = { NoSymbol, NoSymbol };

    XChangeKeyboardMapping (dpy, spare, 2, none, 1);
    XSync (dpy, False);
    till_ui_pump (80);
  }
}

/* Whether the keyboard focus is in `widget` (an entry's focus is its text inside). */
static gboolean
focus_in (TillMembersWindow *w, GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (w));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
wait_idle (TillMembersWindow *w)
{
  till_ui_pump (50);
  TILL_UI_WAIT_FOR (!till_members_window_get_busy (w), WAIT_MS);
}

/* The PIN window the last command opened: the manager's PIN typed into it. */
static void
approve (TillMembersWindow *w)
{
  GtkWindow *pin = NULL;

  TILL_UI_WAIT_FOR ((pin = till_ui_find_window (TILL_TYPE_PIN_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (pin);
  till_ui_type (MANAGER_PIN, 20, TRUE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_PIN_WINDOW) == NULL, WAIT_MS);
  till_ui_focus_window (GTK_WINDOW (w));
  wait_idle (w);
}

/* Escape empties the search (the window stays), then the text is typed. */
static void
search_for (TillMembersWindow *w, const char *text, gboolean enter, guint gap_ms)
{
  till_ui_key ("f", TRUE);
  if (*gtk_editable_get_text (GTK_EDITABLE (w->search_entry)) != '\0')
    till_ui_key ("Escape", FALSE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w->search_entry)), ==, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (w)));
  till_ui_type (text, gap_ms, enter);
  till_ui_pump (300);
  wait_idle (w);
}

static void
test_members_window (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *row = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *gold_id = NULL;
  TillPeople *people = till_shift_get_people (till_context_get_shift (f->context));
  GtkWindow *window = NULL;
  TillMembersWindow *w;
  gint64 member_id;

  till_people_add (people, "王店长", TILL_ROLE_MANAGER, MANAGER_PIN, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_add_member_level (f->store, "Silver", 1, 500, 1, &error), >, 0);
  g_assert_cmpint (till_store_add_member_level (f->store, "Gold", 2, 1000, 2, &error), >, 0);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".MembersTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  /* Ctrl+Shift+B at the counter: the window, no PIN asked. */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("b");
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_MEMBERS_WINDOW)) != NULL, WAIT_MS);
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  w = TILL_MEMBERS_WINDOW (window);
  till_ui_focus_window (window);
  wait_idle (w);

  /* A new member: the name, the phone typed with spaces, Enter saves. */
  till_ui_key ("n", TRUE);
  g_assert_true (focus_in (w, GTK_WIDGET (w->name_entry)));
  type_unicode ("张小明");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w->name_entry)), ==, "张小明");
  till_ui_key ("Tab", FALSE);
  till_ui_type ("138", 15, FALSE);
  till_ui_key ("space", FALSE);
  till_ui_type ("0013", 15, FALSE);
  till_ui_key ("space", FALSE);
  till_ui_type ("8000", 15, TRUE);
  TILL_UI_WAIT_FOR (till_members_window_get_member_id (w) != 0, WAIT_MS);
  wait_idle (w);
  g_assert_cmpstr (till_members_window_get_message (w), ==, "Saved “张小明”");
  member_id = till_members_window_get_member_id (w);
  row = till_ui_query_text (f, "SELECT name || '|' || phone FROM member WHERE id = ?1", "1");
  g_assert_cmpstr (row, ==, "张小明|" PHONE);
  code = till_ui_query_text (f, "SELECT code FROM member WHERE phone = ?1", PHONE);
  g_assert_true (till_member_code_valid (code));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "member_add"), ==,
                   1);
  /* The code as text and as a QR; the phone masked outside its field. */
  g_assert_cmpstr (gtk_label_get_text (w->code_label), ==, code);
  g_assert_nonnull (gtk_picture_get_paintable (w->qr_picture));
  g_assert_cmpstr (gtk_label_get_text (w->masked_phone_label), ==, "138****8000");
  g_assert_cmpstr (gtk_label_get_text (w->form_heading), ==, "张小明 · 138****8000");

  /* A second member with the same phone (typed another way) is refused in plain words. */
  till_ui_key ("n", TRUE);
  till_ui_type ("copy", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("0086", 15, FALSE);
  till_ui_key ("space", FALSE);
  till_ui_type (PHONE, 15, TRUE);
  wait_idle (w);
  g_assert_cmpstr (till_members_window_get_message (w), ==, "Another member has this phone number");
  g_assert_cmpint (till_members_window_get_member_id (w), ==, 0);
  /* ... and so is a number that is no mobile number. */
  gtk_widget_grab_focus (GTK_WIDGET (w->phone_entry));
  till_ui_key ("a", TRUE);
  till_ui_type ("12345", 15, TRUE);
  wait_idle (w);
  g_assert_cmpstr (till_members_window_get_message (w), ==,
                   "That is not a mobile number (11 digits starting with 1)");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM member", NULL), ==, 1);

  /* Found by the phone number, Enter opens it. */
  till_ui_key ("n", TRUE);
  g_assert_cmpint (till_members_window_get_member_id (w), ==, 0);
  search_for (w, PHONE, TRUE, 15);
  g_assert_cmpuint (till_members_window_get_n_results (w), ==, 1);
  g_assert_cmpint (till_members_window_get_member_id (w), ==, member_id);

  /* By the pinyin initials of the name. */
  till_ui_key ("n", TRUE);
  search_for (w, "zxm", FALSE, 30);
  g_assert_cmpuint (till_members_window_get_n_results (w), ==, 1);
  till_ui_key ("Return", FALSE);
  wait_idle (w);
  g_assert_cmpint (till_members_window_get_member_id (w), ==, member_id);

  /* By the member code as a scanner types it (fast, lower case without Shift, Enter); the
   * sale at the counter does not take it. */
  till_ui_key ("n", TRUE);
  search_for (w, code, TRUE, 4);
  g_assert_cmpint (till_members_window_get_member_id (w), ==, member_id);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  /* ... and from a serial or camera scanner (the scanner hub) while the window is active. */
  till_ui_key ("n", TRUE);
  g_assert_cmpint (till_members_window_get_member_id (w), ==, 0);
  till_ui_feed (f, code);
  TILL_UI_WAIT_FOR (till_members_window_get_member_id (w) == member_id, WAIT_MS);
  wait_idle (w);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w->search_entry)), ==, code);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  /* The level: the drop-down opened with the keyboard, Gold chosen, Ctrl+S. */
  gtk_widget_grab_focus (GTK_WIDGET (w->level_dropdown));
  till_ui_key ("space", FALSE);
  till_ui_pump (300);
  till_ui_key ("Down", FALSE);
  till_ui_key ("Down", FALSE);
  till_ui_key ("Return", FALSE);
  till_ui_pump (300);
  if (gtk_drop_down_get_selected (w->level_dropdown) != 2)
    g_error ("the keyboard chose level %u, not Gold",
             gtk_drop_down_get_selected (w->level_dropdown));
  till_ui_focus_window (GTK_WINDOW (w));
  till_ui_key ("s", TRUE);
  wait_idle (w);
  gold_id = till_ui_query_text (f, "SELECT id FROM member_level WHERE name = ?1", "Gold");
  g_free (row);
  row = (till_ui_query_text (f, "SELECT level_id FROM member WHERE phone = ?1", PHONE));
  g_assert_cmpstr (row, ==, gold_id);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "member_edit"), ==,
                   1);

  /* A manager's adjustment: ¥100 paid, ¥20 bonus, 50 points, with a reason. */
  gtk_widget_grab_focus (GTK_WIDGET (w->adjust_paid_entry));
  till_ui_type ("100", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("20", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("50", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("card", 15, FALSE);
  till_ui_key ("space", FALSE);
  till_ui_type ("moved", 15, TRUE);
  approve (w);
  g_assert_cmpstr (till_members_window_get_message (w), ==, "Adjustment saved");
  g_free (row);
  row = (till_ui_query_text (f,
                             "SELECT SUM (paid_fen) || '|' || SUM (bonus_fen) || '|' || reason"
                             "  FROM stored_value_move WHERE member_id = ?1",
                             "1"));
  g_assert_cmpstr (row, ==, "10000|2000|card moved");
  g_assert_cmpint (query_int (f, "SELECT SUM (points) FROM points_move WHERE member_id = ?1", "1"),
                   ==, 50);
  g_assert_cmpint (
      query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:stored_value_adjust"),
      ==, 1);
  g_assert_cmpint (
      query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:points_adjust"), ==,
      1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "approve:members"),
                   ==, 1);
  TILL_UI_WAIT_FOR (strstr (gtk_label_get_text (w->balance_label), "¥120.00") != NULL, WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_text (w->balance_label), "paid ¥100.00 + bonus ¥20.00"));
  g_assert_cmpuint (till_members_window_get_n_results (w), ==, 1);
  g_assert_cmpint (((TillMemberHit *)g_ptr_array_index (w->results, 0))->balance.bonus_fen, ==,
                   2000);
  g_assert_nonnull (gtk_list_box_get_row_at_index (w->money_moves_list, 0));
  g_assert_nonnull (gtk_list_box_get_row_at_index (w->points_moves_list, 0));

  /* Without a reason nothing is asked; below zero is refused after the PIN, plainly. */
  gtk_widget_grab_focus (GTK_WIDGET (w->adjust_paid_entry));
  till_ui_key ("minus", FALSE);
  till_ui_type ("200", 15, TRUE);
  till_ui_pump (200);
  g_assert_cmpstr (till_members_window_get_message (w), ==, "An adjustment needs a reason");
  g_assert_null (till_ui_find_window (TILL_TYPE_PIN_WINDOW));
  g_assert_true (focus_in (w, GTK_WIDGET (w->adjust_reason_entry)));
  till_ui_type ("mistake", 15, TRUE);
  approve (w);
  g_assert_cmpstr (till_members_window_get_message (w), ==,
                   "Not adjusted: Not enough stored value: ¥120.00 left");
  g_assert_cmpint (
      query_int (f, "SELECT SUM (paid_fen) FROM stored_value_move WHERE member_id = ?1", "1"), ==,
      10000);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stored_value_move", NULL), ==, 1);

  shot = till_ui_screenshot (GTK_WIDGET (w), "members-window");
  g_test_message ("screenshot %s", shot);

  /* The export, after a manager's PIN: BOM, the full phone, the balances, an audit row. */
  csv_path = g_build_filename (f->dir, "members.csv", NULL);
  till_members_window_export (w, csv_path);
  approve (w);
  {
    g_autofree char *expected = g_strdup_printf ("Members exported: 1, to %s", csv_path);

    g_assert_cmpstr (till_members_window_get_message (w), ==, expected);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"
                                        "code,name,phone,birthday,level,note,active,paid,bonus,"
                                        "stored_value,points,created\r\n"));
  {
    g_autofree char *line
        = g_strdup_printf ("%s,张小明," PHONE ",,Gold,,1,100.00,20.00,120.00,50,", code);

    g_assert_nonnull (strstr (csv, line));
  }
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "export:members"),
                   ==, 1);
  g_free (row);
  row = (till_ui_query_text (f, "SELECT actor FROM audit WHERE action = ?1", "export:members"));
  g_assert_cmpstr (row, ==, "王店长");

  /* A level added (a manager's PIN): 12.5 % off, 3 points per yuan. */
  gtk_widget_grab_focus (GTK_WIDGET (w->level_name_entry));
  till_ui_type ("diamond", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("12.5", 15, FALSE);
  till_ui_key ("Tab", FALSE);
  till_ui_type ("3", 15, TRUE);
  approve (w);
  g_assert_cmpstr (till_members_window_get_message (w), ==, "Member level saved");
  g_free (row);
  row = (till_ui_query_text (f,
                             "SELECT discount_bp || '|' || points_per_yuan FROM member_level"
                             " WHERE name = ?1",
                             "diamond"));
  g_assert_cmpstr (row, ==, "1250|3");

  /* Escape clears the search, then closes. */
  till_ui_key ("f", TRUE);
  till_ui_key ("Escape", FALSE);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBERS_WINDOW) == NULL, WAIT_MS);
  g_assert_cmpint (g_atomic_int_get (&phone_logged), ==, 0);

  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
  till_ui_fixture_free (f);
}

/* Whether a label under `widget` reads `text` (its mnemonic underline left out). */
static gboolean
find_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

/* The PIN window open: `pin` typed, Enter, `again` typed, Enter. */
static void
type_pin_twice (TillMemberPinWindow *pin, const char *first, const char *again)
{
  till_ui_focus_window (GTK_WINDOW (pin));
  till_ui_type (first, 20, TRUE);
  till_ui_type (again, 20, TRUE);
  till_ui_pump (100);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_PIN_WINDOW) == NULL
                        || !till_member_pin_window_get_busy (pin),
                    WAIT_MS);
}

/* A member's PIN (issue 16): the member open, Ctrl+K, the PIN typed twice; too short and two
 * different PINs are refused in the window; then stored as PBKDF2, never in clear, audit
 * "member_pin". */
static void
test_members_window_pin (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GtkApplication) app = NULL;
  g_autoptr (TillManagerActions) actions = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *hash = NULL;
  TillMemberFields fields = { "李小红", "139 0000 1111", NULL, 0, NULL, TRUE };
  GtkWindow *window = NULL;
  TillMemberPinWindow *pin = NULL;
  TillMembersWindow *w;
  gint64 member_id;

  member_id = till_store_add_member (f->store, &fields, NULL, "test", &error);
  g_assert_no_error (error);
  app = gtk_application_new (APPLICATION_ID ".MembersPinTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_application_add_window (app, GTK_WINDOW (f->cashier));
  actions = till_manager_actions_new (app, f->context);

  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_key_control_shift ("b");
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_MEMBERS_WINDOW)) != NULL, WAIT_MS);
  w = TILL_MEMBERS_WINDOW (window);
  till_ui_focus_window (window);
  wait_idle (w);

  /* no member open: nothing to set */
  till_ui_key ("k", TRUE);
  till_ui_pump (100);
  g_assert_null (till_ui_find_window (TILL_TYPE_MEMBER_PIN_WINDOW));
  g_assert_cmpstr (till_members_window_get_message (w), ==,
                   "Open a member first: their PIN is set here");

  /* the member by phone, Ctrl+K */
  search_for (w, "13900001111", TRUE, 15);
  g_assert_cmpint (till_members_window_get_member_id (w), ==, member_id);
  till_ui_key ("k", TRUE);
  TILL_UI_WAIT_FOR (
      (pin = TILL_MEMBER_PIN_WINDOW (till_ui_find_window (TILL_TYPE_MEMBER_PIN_WINDOW))) != NULL,
      WAIT_MS);

  /* too short, then two different PINs: refused, nothing stored */
  type_pin_twice (pin, "12", "12");
  g_assert_cmpstr (till_member_pin_window_get_message (pin), ==,
                   "A member’s PIN has 4 to 6 digits");
  type_pin_twice (pin, "2468", "2469");
  g_assert_cmpstr (till_member_pin_window_get_message (pin), ==,
                   "The two PINs differ: type the PIN twice again");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM member WHERE pin_hash IS NOT NULL", NULL),
                   ==, 0);
  till_ui_type ("2468", 20, TRUE);
  till_ui_type ("2468", 20, FALSE);
  shot = till_ui_screenshot (GTK_WIDGET (pin), "member-pin-window");
  g_test_message ("screenshot %s", shot);
  till_ui_key ("Return", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_PIN_WINDOW) == NULL, WAIT_MS);
  till_ui_pump (100);
  g_assert_cmpstr (till_members_window_get_message (w), ==, "PIN set for “李小红”");

  /* PBKDF2 in the member's row, an audit row without it */
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, member_id);

    hash = till_ui_query_text (f, "SELECT pin_hash FROM member WHERE id = ?1", id);
  }
  g_assert_true (g_str_has_prefix (hash, "pbkdf2-sha256$"));
  g_assert_null (strstr (hash, "$2468$"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "member_pin"), ==,
                   1);
  g_assert_cmpint (
      query_int (f, "SELECT count(*) FROM audit WHERE instr (detail_json, ?1)", "2468"), ==, 0);

  /* Escape clears the search, then closes */
  till_ui_focus_window (window);
  till_ui_key ("f", TRUE);
  till_ui_key ("Escape", FALSE);
  till_ui_key ("Escape", FALSE);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBERS_WINDOW) == NULL, WAIT_MS);

  /* At the counter with the setting "pin": Ctrl+M asks for the member's PIN (Alt+P); a
   * wrong one is refused, the PIN pays from the card. */
  g_assert_true (
      till_store_stored_value_topup (f->store, member_id, 5000, "T-1", "test", NULL, &error));
  g_assert_no_error (error);
  /* Preferences › Payment › Members: "Member PIN" chosen, the setting says "pin" */
  {
    TillPreferencesWindow *prefs
        = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
    GtkWidget *row = till_preferences_window_get_key_widget (prefs, "member-confirm");
    GtkAdjustment *scroll;
    g_autofree char *confirm = NULL;

    g_object_ref_sink (prefs);
    gtk_window_set_default_size (GTK_WINDOW (prefs), 760, 640);
    gtk_window_present (GTK_WINDOW (prefs));
    g_assert_true (ADW_IS_COMBO_ROW (row));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
    adw_preferences_window_set_visible_page (
        ADW_PREFERENCES_WINDOW (prefs),
        ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_PAGE)));
    till_ui_pump (100);
    scroll = gtk_scrolled_window_get_vadjustment (
        GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW)));
    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
    till_ui_pump (200);
    confirm = g_settings_get_string (till_context_get_settings (f->context), "member-confirm");
    g_assert_cmpstr (confirm, ==, "pin");
    g_free (shot);
    shot = till_ui_screenshot (GTK_WIDGET (prefs), "preferences-member-confirm");
    g_test_message ("screenshot %s", shot);
    gtk_window_destroy (GTK_WINDOW (prefs));
    g_object_unref (prefs);
  }
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_add_and_wait (f, "6954767002057", WAIT_MS); /* 可口可乐 500ml */
  g_assert_true (till_checkout_find_member (f->checkout, "13900001111", &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_sale_get_member_id (till_ui_sale (f)) == member_id
                        && till_checkout_get_member_stored_value_fen (f->checkout) == 5000,
                    WAIT_MS);
  till_ui_key ("m", TRUE);
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_MEMBER_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (window);
  till_ui_pump (100);
  g_assert_true (find_label (GTK_WIDGET (window), "Member PIN"));
  g_assert_false (find_label (GTK_WIDGET (window), "Phone’s last 4 digits"));
  till_ui_key_alt ("p");
  till_ui_type ("1357", 40, FALSE);
  till_ui_key_alt ("s");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "That is not the member’s PIN"), WAIT_MS);
  g_assert_nonnull (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW));
  g_assert_cmpint (till_checkout_get_paid_fen (f->checkout), ==, 0);
  till_ui_focus_window (window);
  till_ui_key_alt ("p");
  till_ui_type ("2468", 40, FALSE);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (window), "member-window-pin");
  g_test_message ("screenshot %s", shot);
  till_ui_key_alt ("s");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW) == NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM payment WHERE method = ?1", "stored_value"),
                   ==, 1);
  g_assert_cmpint (
      query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "member_pin_wrong"), ==, 1);
  g_assert_cmpint (
      query_int (f, "SELECT count(*) FROM audit WHERE action = ?1", "member_pin_right"), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&phone_logged), ==, 0);
  gtk_application_remove_window (app, GTK_WINDOW (f->cashier));
  till_ui_fixture_free (f);
}

/* Points redeemed at the counter with real keys: the rate set in Preferences (50 points a
 * yuan), Ctrl+M, the points (Alt+O) and the phone's last 4 digits (Alt+L), Alt+E; the
 * cashier window and the customer display show the saving, cash pays the rest; the ledger,
 * the sale and the balance agree. */
static void
test_points_at_counter (void)
{
  TillUiFixture *f = till_ui_fixture_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *shot = NULL;
  TillMemberFields fields = { "李小红", "139 0000 1111", NULL, 0, NULL, TRUE };
  GtkWindow *window = NULL;
  gint64 member_id;

  member_id = till_store_add_member (f->store, &fields, NULL, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpint (till_store_points_earn (f->store, member_id, 400, "SEED", "test", &error), >, 0);
  g_assert_no_error (error);

  /* Preferences › Payment › Members: 50 points are worth ¥1.00 */
  {
    TillPreferencesWindow *prefs
        = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
    GtkWidget *spin = till_preferences_window_get_key_widget (prefs, "points-redeem-rate");

    g_object_ref_sink (prefs);
    gtk_window_present (GTK_WINDOW (prefs));
    g_assert_true (GTK_IS_SPIN_BUTTON (spin));
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 100);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 50);
    till_ui_pump (100);
    g_assert_cmpuint (g_settings_get_uint (till_context_get_settings (f->context),
                                           "points-redeem-rate"), ==, 50);
    gtk_window_destroy (GTK_WINDOW (prefs));
    g_object_unref (prefs);
  }

  /* two colas (¥7.00) for the member found by phone */
  till_ui_focus_window (GTK_WINDOW (f->cashier));
  till_ui_add_and_wait (f, "6954767002057", WAIT_MS);
  till_ui_add_and_wait (f, "6954767002057", WAIT_MS);
  g_assert_true (till_checkout_find_member (f->checkout, "13900001111", &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_sale_get_member_id (till_ui_sale (f)) == member_id
                        && till_checkout_get_member_points (f->checkout) == 400,
                    WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 700);

  till_ui_key ("m", TRUE);
  TILL_UI_WAIT_FOR ((window = till_ui_find_window (TILL_TYPE_MEMBER_WINDOW)) != NULL, WAIT_MS);
  till_ui_focus_window (window);
  till_ui_pump (100);
  /* half of ¥7.00 at most: 175 points offered */
  till_ui_key_alt ("o");
  till_ui_pump (50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_window_get_focus (window))), ==,
                   "175");
  till_ui_key ("a", TRUE);
  till_ui_type ("100", 40, FALSE);
  till_ui_key_alt ("l");
  till_ui_type ("1111", 40, FALSE);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (window), "member-window-points");
  g_test_message ("screenshot %s", shot);
  till_ui_key_alt ("e");
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_MEMBER_WINDOW) == NULL, WAIT_MS);
  TILL_UI_WAIT_FOR (till_sale_get_points_redeemed (till_ui_sale (f)) == 100
                        && till_checkout_get_member_points (f->checkout) == 300,
                    WAIT_MS);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, 500);
  g_assert_cmpstr (till_cashier_window_get_total_text (f->cashier), ==, "¥5.00");
  g_assert_nonnull (strstr (till_customer_display_get_total_text (f->display), "5.00"));
  g_assert_nonnull (strstr (till_customer_display_get_saved_text (f->display), "2.00"));
  g_assert_true (find_label (GTK_WIDGET (f->cashier), "You saved ¥2.00"));
  g_assert_true (till_ui_message_contains (f, "100 points redeemed: ¥2.00 off"));
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (f->cashier), "cashier-points");
  g_test_message ("screenshot %s", shot);
  g_free (shot);
  shot = till_ui_screenshot (GTK_WIDGET (f->display), "display-points");
  g_test_message ("screenshot %s", shot);

  g_assert_true (till_checkout_pay_cash (f->checkout, 500, 500, &error));
  g_assert_no_error (error);
  TILL_UI_WAIT_FOR (till_sale_get_state (till_ui_sale (f)) == TILL_SALE_STATE_PAID, WAIT_MS);
  /* the ledger: 400 seeded, 100 redeemed, 5 earned on the ¥5.00 paid */
  g_assert_cmpint (query_int (f, "SELECT sum (points) FROM points_move WHERE member_id = ?1",
                              "1"), ==, 305);
  g_assert_cmpint (query_int (f, "SELECT points_redeemed * 1000 + points_fen FROM sale"
                                 " WHERE state = ?1", "paid"), ==, 100 * 1000 + 200);
  g_assert_cmpint (g_atomic_int_get (&phone_logged), ==, 0);
  till_ui_fixture_free (f);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* The key-sending thread has an X connection of its own. */
  XInitThreads ();
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/members/window", test_members_window);
  g_test_add_func ("/ui/members/pin", test_members_window_pin);
  g_test_add_func ("/ui/members/points", test_points_at_counter);
  return g_test_run ();
}
