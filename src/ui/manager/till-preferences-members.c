/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Members group, bound to "member-confirm" (phone digits or a PIN). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-member-pin.h"
#include "till-preferences-members.h"

/* member-confirm (enum nick) <-> selected (the TillMemberConfirm value) */
static gboolean
confirm_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_uint (value,
                    (guint)till_member_confirm_from_string (g_variant_get_string (variant, NULL)));
  return TRUE;
}

static GVariant *
confirm_set_mapping (const GValue *value, const GVariantType *expected_type, gpointer user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected > TILL_MEMBER_CONFIRM_PIN)
    return NULL;
  return g_variant_new_string (till_member_confirm_to_string ((TillMemberConfirm)selected));
}

AdwComboRow *
till_preferences_members_add (AdwPreferencesPage *page, GSettings *settings)
{
  const char *choices[] = { _ ("Last 4 digits of the phone"), _ ("Member PIN"), NULL };
  g_autoptr (GtkStringList) model = gtk_string_list_new (choices);
  AdwPreferencesGroup *group;
  AdwComboRow *row;

  g_return_val_if_fail (ADW_IS_PREFERENCES_PAGE (page), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Members"));
  adw_preferences_group_set_description (
      group, _ ("Before stored value pays, the member confirms it. A member’s PIN is set in the "
                "members window (Ctrl+Shift+B); five wrong PINs in a row lock the card’s "
                "payments for 15 minutes."));
  row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 _ ("Members confirm a payment from the card with"));
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_use_subtitle (row, TRUE);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  adw_preferences_page_add (page, group);
  g_settings_bind_with_mapping (settings, "member-confirm", row, "selected",
                                G_SETTINGS_BIND_DEFAULT, confirm_get_mapping, confirm_set_mapping,
                                NULL, NULL);
  return row;
}
