/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Members group, bound to "member-confirm" (phone digits or a PIN),
 * "points-redeem-rate" and "points-redeem-max-percent". */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-member-pin.h"
#include "till-points.h"
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

/* A row with a spin button for the whole-number setting `key` (its range the schema's). */
static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group, GSettings *settings, const char *key, const char *title,
              const char *subtitle, double lower, double upper)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (lower, upper, 1));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (GTK_WIDGET (spin), GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (spin, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (row, GTK_WIDGET (spin));
  adw_action_row_set_activatable_widget (row, GTK_WIDGET (spin));
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  return spin;
}

void
till_preferences_members_add (AdwPreferencesPage *page, GSettings *settings,
                              TillPreferencesMembers *out)
{
  const char *choices[] = { _ ("Last 4 digits of the phone"), _ ("Member PIN"), NULL };
  g_autoptr (GtkStringList) model = gtk_string_list_new (choices);
  AdwPreferencesGroup *group;
  AdwComboRow *row;

  g_return_if_fail (ADW_IS_PREFERENCES_PAGE (page));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (out != NULL);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Members"));
  adw_preferences_group_set_description (
      group, _ ("Before stored value pays or points are redeemed, the member confirms it. A "
                "member’s PIN is set in the members window (Ctrl+Shift+B); five wrong PINs in a "
                "row lock the card’s payments for 15 minutes."));
  row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 _ ("Members confirm a payment from the card with"));
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_use_subtitle (row, TRUE);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_settings_bind_with_mapping (settings, "member-confirm", row, "selected",
                                G_SETTINGS_BIND_DEFAULT, confirm_get_mapping, confirm_set_mapping,
                                NULL, NULL);
  out->confirm = row;
  out->points_rate = add_spin_row (group, settings, "points-redeem-rate",
                                   _ ("Points worth ¥1.00 when redeemed"),
                                   _ ("100: a point takes a fen off"), TILL_POINTS_RATE_MIN,
                                   TILL_POINTS_RATE_MAX);
  out->points_max_percent = add_spin_row (group, settings, "points-redeem-max-percent",
                                          _ ("Points pay at most (percent of a sale)"),
                                          _ ("The rest of the sale is paid with money"),
                                          TILL_POINTS_MAX_PERCENT_MIN, TILL_POINTS_MAX_PERCENT_MAX);
  adw_preferences_page_add (page, group);
}
