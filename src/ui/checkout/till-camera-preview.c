/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillCameraPreview: live webcam picture (GdkMemoryTexture in a GtkPicture) and the
 * last decoded code; owns the camera only while it is open. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "till-camera-preview.h"
#include "till-ui-util.h"

struct _TillCameraPreview
{
  GtkWindow         parent_instance;

  TillScannerHub   *hub;
  char             *device;
  TillCameraSource *source;
  GCancellable     *cancellable;
  char             *last_code;
  char             *message;

  GtkStack         *stack;
  GtkSpinner       *spinner;
  GtkPicture       *picture;
  GtkLabel         *message_label;
  GtkLabel         *detail_label;
  GtkLabel         *code_label;
};

G_DEFINE_FINAL_TYPE (TillCameraPreview, till_camera_preview, GTK_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_HUB,
  PROP_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_message (TillCameraPreview *self,
              const char        *message,
              const char        *detail)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message);
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
show_error (TillCameraPreview *self,
            const GError      *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    show_message (self, _("No camera found"), error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    show_message (self, _("The camera is busy"), error->message);
  else
    show_message (self, _("The camera cannot be opened"), error->message);
}

void
till_camera_preview_show_frame (TillCameraPreview *self,
                                TillCameraFrame   *frame)
{
  g_autoptr(GdkTexture) texture = NULL;
  const char *const *codes;
  guint width, height;

  g_return_if_fail (TILL_IS_CAMERA_PREVIEW (self));
  g_return_if_fail (frame != NULL);

  width = till_camera_frame_get_width (frame);
  height = till_camera_frame_get_height (frame);
  /* The frame's RGB bytes are immutable and shared, so the texture wraps them. */
  texture = gdk_memory_texture_new ((int) width, (int) height, GDK_MEMORY_R8G8B8,
                                    till_camera_frame_get_rgb (frame), (gsize) width * 3);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));

  if (self->message != NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                          "live") != 0)
    {
      g_clear_pointer (&self->message, g_free);
      gtk_spinner_stop (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "live");
    }

  codes = till_camera_frame_get_codes (frame);
  if (codes[0] != NULL)
    {
      /* Several codes in one picture: the last one is the one shown. */
      const char *code = codes[g_strv_length ((char **) codes) - 1];

      g_free (self->last_code);
      self->last_code = g_strdup (code);
      gtk_label_set_text (self->code_label, code);
    }
}

static void
frame_cb (TillCameraSource *source,
          TillCameraFrame  *frame,
          gpointer          user_data)
{
  till_camera_preview_show_frame (TILL_CAMERA_PREVIEW (user_data), frame);
}

static void
failed_cb (TillCameraSource *source,
           GError           *error,
           gpointer          user_data)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (user_data);

  gtk_picture_set_paintable (self->picture, NULL);
  show_error (self, error);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TillCameraPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!till_camera_source_open_finish (TILL_CAMERA_SOURCE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_message ("Camera preview: %s", error->message);
          show_error (self, error);
        }
      return;
    }

  /* Closed while the camera was opening: let it go at once. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      till_camera_source_close (self->source);
      return;
    }

  if (!till_camera_source_start (self->source, &error))
    {
      g_message ("Camera preview: %s", error->message);
      till_camera_source_close (self->source);
      show_error (self, error);
      return;
    }

  /* The spinner stays until the first picture arrives. */
}

static void
release_camera (TillCameraPreview *self)
{
  g_cancellable_cancel (self->cancellable);
  if (self->source != NULL)
    till_camera_source_close (self->source);
}

static gboolean
till_camera_preview_close_request (GtkWindow *window)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (window);

  release_camera (self);
  gtk_picture_set_paintable (self->picture, NULL);

  return GTK_WINDOW_CLASS (till_camera_preview_parent_class)->close_request (window);
}

static void
till_camera_preview_show (GtkWidget *widget)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (widget);

  GTK_WIDGET_CLASS (till_camera_preview_parent_class)->show (widget);

  if (till_camera_source_is_open (self->source))
    return;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "opening");
  till_camera_source_open_async (self->source, self->device, self->cancellable, open_cb,
                                 g_object_ref (self));
}

static void
till_camera_preview_constructed (GObject *object)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (object);

  G_OBJECT_CLASS (till_camera_preview_parent_class)->constructed (object);

  till_camera_source_set_hub (self->source, self->hub);
}

static void
till_camera_preview_dispose (GObject *object)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (object);

  if (self->source != NULL)
    {
      release_camera (self);
      g_signal_handlers_disconnect_by_data (self->source, self);
    }
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->hub);

  gtk_widget_dispose_template (GTK_WIDGET (self), TILL_TYPE_CAMERA_PREVIEW);

  G_OBJECT_CLASS (till_camera_preview_parent_class)->dispose (object);
}

static void
till_camera_preview_finalize (GObject *object)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (object);

  g_free (self->device);
  g_free (self->last_code);
  g_free (self->message);

  G_OBJECT_CLASS (till_camera_preview_parent_class)->finalize (object);
}

static void
till_camera_preview_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_HUB:
      g_value_set_object (value, self->hub);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_camera_preview_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillCameraPreview *self = TILL_CAMERA_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_HUB:
      self->hub = g_value_dup_object (value);
      break;
    case PROP_DEVICE:
      g_free (self->device);
      self->device = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_camera_preview_class_init (TillCameraPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = till_camera_preview_constructed;
  object_class->dispose = till_camera_preview_dispose;
  object_class->finalize = till_camera_preview_finalize;
  object_class->get_property = till_camera_preview_get_property;
  object_class->set_property = till_camera_preview_set_property;
  widget_class->show = till_camera_preview_show;
  window_class->close_request = till_camera_preview_close_request;

  properties[PROP_HUB] =
    g_param_spec_object ("hub", NULL, NULL, TILL_TYPE_SCANNER_HUB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  till_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, TILL_RESOURCE_PREFIX
                                               "/ui/till-camera-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, TillCameraPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, TillCameraPreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, TillCameraPreview, picture);
  gtk_widget_class_bind_template_child (widget_class, TillCameraPreview, message_label);
  gtk_widget_class_bind_template_child (widget_class, TillCameraPreview, detail_label);
  gtk_widget_class_bind_template_child (widget_class, TillCameraPreview, code_label);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
till_camera_preview_init (TillCameraPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->source = till_camera_source_new ();
  g_signal_connect_object (self->source, "frame", G_CALLBACK (frame_cb), self, 0);
  g_signal_connect_object (self->source, "failed", G_CALLBACK (failed_cb), self, 0);
}

TillCameraPreview *
till_camera_preview_new (GtkWindow      *parent,
                         TillScannerHub *hub,
                         const char     *device)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (hub == NULL || TILL_IS_SCANNER_HUB (hub), NULL);

  return g_object_new (TILL_TYPE_CAMERA_PREVIEW,
                       "transient-for", parent,
                       "hub", hub,
                       "device", device != NULL ? device : "",
                       NULL);
}

TillCameraSource *
till_camera_preview_get_source (TillCameraPreview *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_PREVIEW (self), NULL);
  return self->source;
}

const char *
till_camera_preview_get_last_code (TillCameraPreview *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_PREVIEW (self), NULL);
  return self->last_code;
}

const char *
till_camera_preview_get_message (TillCameraPreview *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_PREVIEW (self), NULL);
  return self->message;
}
