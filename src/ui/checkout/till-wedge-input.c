/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keyboard-wedge scanning at the window level: capture-phase keys -> TillWedgeDetector. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include "till-wedge-input.h"

/* The flush timeout fires this long after the threshold: a scanner's next key that is
 * already on its way must never lose the race against the flush, while a person's first
 * key shows up a few milliseconds later, which nobody can see. The timeout also runs at
 * low priority, so that when the main loop was busy (a slow frame) every key event
 * already queued is handled before held characters are given up as typing: the
 * decision is the detector's, by event times, never the main loop's lateness. */
#define FLUSH_SLACK_MS 20

struct _TillWedgeInput
{
  GObject             parent_instance;

  GtkWidget          *window;       /* weak */
  GtkEventController *controller;   /* owned by the window */
  TillContext        *context;
  TillWedgeDetector  *detector;
  guint               flush_id;
};

G_DEFINE_FINAL_TYPE (TillWedgeInput, till_wedge_input, G_TYPE_OBJECT)

static void
till_wedge_input_cancel_flush (TillWedgeInput *self)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);
}

static gboolean
flush_timeout_cb (gpointer user_data)
{
  TillWedgeInput *self = user_data;

  self->flush_id = 0;
  till_wedge_detector_flush (self->detector);
  return G_SOURCE_REMOVE;
}

static void
till_wedge_input_schedule_flush (TillWedgeInput *self)
{
  till_wedge_input_cancel_flush (self);
  self->flush_id = g_timeout_add_full (G_PRIORITY_LOW,
                                       till_wedge_detector_get_threshold (self->detector)
                                         + FLUSH_SLACK_MS,
                                       flush_timeout_cb, self, NULL);
  g_source_set_name_by_id (self->flush_id, "[till] wedge flush");
}

static void
till_wedge_input_flush_now (TillWedgeInput *self)
{
  till_wedge_input_cancel_flush (self);
  if (till_wedge_detector_is_holding (self->detector))
    till_wedge_detector_flush (self->detector);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TillWedgeInput        *self)
{
  GdkEvent *event;
  gboolean is_terminator;
  gunichar ch = 0;
  TillWedgeResult result;

  event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  if (event == NULL || gdk_key_event_is_modifier (event))
    return GDK_EVENT_PROPAGATE;

  /* Shortcuts are never part of a scan; whatever was held is a person's typing. */
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK))
    {
      till_wedge_input_flush_now (self);
      return GDK_EVENT_PROPAGATE;
    }

  is_terminator = keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter
                  || keyval == GDK_KEY_ISO_Enter || keyval == GDK_KEY_Tab;
  if (!is_terminator)
    {
      ch = gdk_keyval_to_unicode (keyval);
      if (ch == 0 || !g_unichar_isprint (ch))
        {
          till_wedge_input_flush_now (self);
          return GDK_EVENT_PROPAGATE;
        }
    }

  result = till_wedge_detector_key (self->detector, ch, is_terminator,
                                    gdk_event_get_time (event));
  switch (result)
    {
    case TILL_WEDGE_HELD:
      till_wedge_input_schedule_flush (self);
      return GDK_EVENT_STOP;

    case TILL_WEDGE_SCANNED:
      till_wedge_input_cancel_flush (self);
      return GDK_EVENT_STOP;

    case TILL_WEDGE_PASS:
    default:
      if (!till_wedge_detector_is_holding (self->detector))
        till_wedge_input_cancel_flush (self);
      return GDK_EVENT_PROPAGATE;
    }
}

static void
detector_scanned_cb (TillWedgeDetector *detector,
                     const char        *code,
                     TillWedgeInput    *self)
{
  g_debug ("wedge scan: %s", code);
  till_scanner_hub_feed (till_context_get_scanner_hub (self->context), code,
                         TILL_SCAN_SOURCE_WEDGE);
}

static void
detector_released_cb (TillWedgeDetector *detector,
                      const char        *text,
                      TillWedgeInput    *self)
{
  GtkWidget *focus;
  GtkEditable *editable;
  int pos;

  if (self->window == NULL || text == NULL || text[0] == '\0')
    return;

  /* Typing goes where the person was typing; with the focus on the cart or a button the
   * characters have no meaning, as they would have had without a wedge detector. */
  focus = gtk_root_get_focus (GTK_ROOT (self->window));
  if (!GTK_IS_EDITABLE (focus))
    return;

  editable = GTK_EDITABLE (focus);
  if (!gtk_editable_get_editable (editable))
    return;

  gtk_editable_delete_selection (editable);
  pos = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, text, -1, &pos);
  gtk_editable_set_position (editable, pos);
}

static void
window_active_cb (GtkWindow      *window,
                  GParamSpec     *pspec,
                  TillWedgeInput *self)
{
  if (!gtk_window_is_active (window))
    till_wedge_input_flush_now (self);
}

static void
till_wedge_input_dispose (GObject *object)
{
  TillWedgeInput *self = TILL_WEDGE_INPUT (object);

  till_wedge_input_cancel_flush (self);

  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      if (self->controller != NULL)
        gtk_widget_remove_controller (self->window, self->controller);
      g_clear_weak_pointer (&self->window);
    }
  self->controller = NULL;

  if (self->detector != NULL)
    g_signal_handlers_disconnect_by_data (self->detector, self);
  g_clear_object (&self->detector);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (till_wedge_input_parent_class)->dispose (object);
}

static void
till_wedge_input_class_init (TillWedgeInputClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = till_wedge_input_dispose;
}

static void
till_wedge_input_init (TillWedgeInput *self)
{
}

TillWedgeInput *
till_wedge_input_new (GtkWidget   *window,
                      TillContext *context)
{
  TillWedgeInput *self;
  GSettings *settings;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  self = g_object_new (TILL_TYPE_WEDGE_INPUT, NULL);
  self->context = g_object_ref (context);
  g_set_weak_pointer (&self->window, window);

  settings = till_context_get_settings (context);
  self->detector = till_wedge_detector_new (0);
  g_settings_bind (settings, "wedge-threshold-ms", self->detector, "threshold-ms",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "wedge-min-length", self->detector, "min-length",
                   G_SETTINGS_BIND_GET);

  g_signal_connect (self->detector, "scanned", G_CALLBACK (detector_scanned_cb), self);
  g_signal_connect (self->detector, "released", G_CALLBACK (detector_released_cb), self);

  self->controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (self->controller, "till-wedge");
  gtk_event_controller_set_propagation_phase (self->controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (window, self->controller);

  g_signal_connect (window, "notify::is-active", G_CALLBACK (window_active_cb), self);

  return self;
}

TillWedgeDetector *
till_wedge_input_get_detector (TillWedgeInput *self)
{
  g_return_val_if_fail (TILL_IS_WEDGE_INPUT (self), NULL);
  return self->detector;
}
