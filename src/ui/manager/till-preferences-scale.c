/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences' Counter scale group: the protocol and baud rate as combo rows, the port
 * as an entry row (applied with its button or Enter), and a status row following the
 * scale (connected, its weight, or why not). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-preferences-scale.h"

static const guint bauds[] = { 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 };

/* scale-protocol (enum nick) <-> selected (the TillScaleProtocol value) */
static gboolean
protocol_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_uint (value,
                    (guint)till_scale_protocol_from_nick (g_variant_get_string (variant, NULL)));
  return TRUE;
}

static GVariant *
protocol_set_mapping (const GValue *value, const GVariantType *expected_type, gpointer user_data)
{
  const char *nick = till_scale_protocol_to_nick ((TillScaleProtocol)g_value_get_uint (value));

  return nick != NULL ? g_variant_new_string (nick) : NULL;
}

static gboolean
baud_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  guint baud = g_variant_get_uint32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i] == baud)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
baud_set_mapping (const GValue *value, const GVariantType *expected_type, gpointer user_data)
{
  guint selected = g_value_get_uint (value);

  return selected < G_N_ELEMENTS (bauds) ? g_variant_new_uint32 (bauds[selected]) : NULL;
}

static void
port_apply_cb (AdwEntryRow *row, GSettings *settings)
{
  g_autofree char *port = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  g_settings_set_string (settings, "scale-port", port);
}

static void
update_status (AdwActionRow *row, GParamSpec *pspec, TillScale *scale)
{
  g_autofree char *text = NULL;
  gint64 w = till_scale_get_weight_milli (scale);

  if (!till_scale_get_configured (scale))
    text = g_strdup (_ ("The scale is off: choose a protocol and a port"));
  else if (till_scale_get_state (scale) == TILL_SCALE_STATE_DISCONNECTED)
    text = g_strdup_printf (_ ("Not connected — %s"), till_scale_get_last_error (scale) != NULL
                                                          ? till_scale_get_last_error (scale)
                                                          : _ ("waiting for the device"));
  else if (till_scale_get_state (scale) == TILL_SCALE_STATE_OK)
    {
      g_autofree char *kg = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT,
                                             w < 0 ? "−" : "", ABS (w) / 1000, ABS (w) % 1000);

      text = g_strdup_printf (_ ("Connected: %s kg"), kg);
    }
  else
    text = g_strdup_printf (_ ("Connected: %s"),
                            till_scale_state_describe (till_scale_get_state (scale)));
  adw_action_row_set_subtitle (row, text);
}

AdwPreferencesGroup *
till_preferences_scale_add (AdwPreferencesPage *page, TillContext *context)
{
  const char *protocols[]
      = { _ ("None"), _ ("ACLAS OS2, continuous"), _ ("Dahua TM, continuous — not confirmed"),
          _ ("Mettler Toledo 8217, request and response"), NULL };
  g_autoptr (GtkStringList) protocol_model = gtk_string_list_new (protocols);
  g_autoptr (GtkStringList) baud_model = gtk_string_list_new (NULL);
  GSettings *settings;
  TillScale *scale;
  AdwPreferencesGroup *group;
  AdwComboRow *protocol_row;
  AdwComboRow *baud_row;
  AdwEntryRow *port_row;
  AdwActionRow *status_row;
  g_autofree char *port = NULL;

  g_return_val_if_fail (ADW_IS_PREFERENCES_PAGE (page), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  settings = till_context_get_settings (context);
  scale = till_context_get_scale (context);
  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", bauds[i]);

      gtk_string_list_append (baud_model, text);
    }

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Counter scale"));
  adw_preferences_group_set_description (
      group, _ ("A serial (RS-232 or USB) scale: goods sold by kg take its steady weight, less "
                "the tare (Ctrl+Shift+Z). Set the scale to the same protocol and baud rate."));

  protocol_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (protocol_row), "scale-protocol");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (protocol_row), _ ("Protocol"));
  adw_combo_row_set_model (protocol_row, G_LIST_MODEL (protocol_model));
  adw_preferences_group_add (group, GTK_WIDGET (protocol_row));
  g_settings_bind_with_mapping (settings, "scale-protocol", protocol_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, protocol_get_mapping, protocol_set_mapping,
                                NULL, NULL);

  port_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (port_row), "scale-port");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (port_row), _ ("Port, such as /dev/ttyUSB0"));
  adw_entry_row_set_show_apply_button (port_row, TRUE);
  port = g_settings_get_string (settings, "scale-port");
  gtk_editable_set_text (GTK_EDITABLE (port_row), port);
  g_signal_connect_object (port_row, "apply", G_CALLBACK (port_apply_cb), settings, 0);
  adw_preferences_group_add (group, GTK_WIDGET (port_row));

  baud_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (baud_row), "scale-baud");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (baud_row), _ ("Baud rate"));
  adw_combo_row_set_model (baud_row, G_LIST_MODEL (baud_model));
  adw_preferences_group_add (group, GTK_WIDGET (baud_row));
  g_settings_bind_with_mapping (settings, "scale-baud", baud_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, baud_get_mapping, baud_set_mapping, NULL,
                                NULL);

  status_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (status_row), "scale-status");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (status_row), _ ("Status"));
  adw_preferences_group_add (group, GTK_WIDGET (status_row));
  for (guint i = 0; i < 4; i++)
    {
      const char *signals[]
          = { "notify::state", "notify::weight-milli", "notify::port", "notify::last-error" };

      g_signal_connect_object (scale, signals[i], G_CALLBACK (update_status), status_row,
                               G_CONNECT_SWAPPED);
    }
  update_status (status_row, NULL, scale);

  adw_preferences_page_add (page, group);
  return group;
}
