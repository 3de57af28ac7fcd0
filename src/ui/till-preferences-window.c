/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillPreferencesWindow: settings for the manager, bound to GSettings. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-preferences-window.h"
#include "till-ui-util.h"

struct _TillPreferencesWindow
{
  GtkWindow      parent_instance;

  TillContext   *context;
  GtkStringList *monitor_names;

  GtkEntry      *store_name_entry;
  GtkEntry      *till_id_entry;
  GtkSpinButton *wedge_threshold_spin;
  GtkSpinButton *wedge_min_length_spin;
  GtkSpinButton *item_digits_spin;
  GtkDropDown   *value_kind_dropdown;
  GtkDropDown   *monitor_dropdown;
  GtkSwitch     *fullscreen_switch;
};

G_DEFINE_FINAL_TYPE (TillPreferencesWindow, till_preferences_window, GTK_TYPE_WINDOW)

/* embedded-value-kind (enum nick) <-> GtkDropDown:selected */
static gboolean
value_kind_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "price-fen") == 0);
  return TRUE;
}

static GVariant *
value_kind_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "price-fen" : "weight-grams");
}

/* customer-display-monitor (-1 = last) <-> selected (0 = last, i + 1 = monitor i) */
static gboolean
monitor_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  TillPreferencesWindow *self = user_data;
  int index = g_variant_get_int32 (variant);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->monitor_names));

  if (index < 0 || (guint) index + 1 >= n)
    g_value_set_uint (value, 0);
  else
    g_value_set_uint (value, index + 1);
  return TRUE;
}

static GVariant *
monitor_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return g_variant_new_int32 (-1);
  return g_variant_new_int32 ((gint32) selected - 1);
}

static void
till_preferences_window_fill_monitors (TillPreferencesWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  guint n = g_list_model_get_n_items (monitors);

  gtk_string_list_splice (self->monitor_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->monitor_names)), NULL);
  gtk_string_list_append (self->monitor_names, _("最后一个显示器 Last monitor (automatic)"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle geometry;
      g_autofree char *name = NULL;
      const char *connector = gdk_monitor_get_connector (monitor);
      const char *model = gdk_monitor_get_model (monitor);

      gdk_monitor_get_geometry (monitor, &geometry);
      name = g_strdup_printf ("%u: %s%s%s (%d×%d)", i + 1,
                              connector != NULL ? connector : _("monitor"),
                              model != NULL ? " " : "", model != NULL ? model : "",
                              geometry.width, geometry.height);
      gtk_string_list_append (self->monitor_names, name);
    }
}

static void
till_preferences_window_bind_settings (TillPreferencesWindow *self)
{
  GSettings *settings;

  g_assert (TILL_IS_CONTEXT (self->context));
  settings = till_context_get_settings (self->context);

  till_preferences_window_fill_monitors (self);

  g_settings_bind (settings, "store-name", self->store_name_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "till-id", self->till_id_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "wedge-threshold-ms", self->wedge_threshold_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "wedge-min-length", self->wedge_min_length_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "embedded-item-digits", self->item_digits_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "embedded-value-kind",
                                self->value_kind_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                value_kind_get_mapping, value_kind_set_mapping, NULL, NULL);
  g_settings_bind_with_mapping (settings, "customer-display-monitor",
                                self->monitor_dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                monitor_get_mapping, monitor_set_mapping, self, NULL);
  g_settings_bind (settings, "customer-display-fullscreen", self->fullscreen_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
till_preferences_window_dispose (GObject *object)
{
  TillPreferencesWindow *self = TILL_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_preferences_window_parent_class)->dispose (object);
}

static void
till_preferences_window_class_init (TillPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = till_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               TILL_RESOURCE_PREFIX "/ui/till-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, monitor_names);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, store_name_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, till_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        wedge_threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        wedge_min_length_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, item_digits_spin);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow,
                                        value_kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, monitor_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TillPreferencesWindow, fullscreen_switch);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
till_preferences_window_init (TillPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TillPreferencesWindow *
till_preferences_window_new (GtkWindow   *parent,
                             TillContext *context)
{
  TillPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  till_preferences_window_bind_settings (self);
  return self;
}
