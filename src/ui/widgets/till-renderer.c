/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which GSK renderer the till's windows use (see till-renderer.h). */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "till-renderer.h"

/* The key GSK reads on a display before GSK_RENDERER (gskrenderer.c, since GTK 4.0; the
 * inspector sets it for its own display the same way). */
#define DISPLAY_RENDERER_KEY "gsk-renderer"

gboolean
till_renderer_is_software (const char *gl_renderer)
{
  static const char *const software[] = { "llvmpipe", "softpipe", "swrast",
                                          "software rasterizer", "swiftshader",
                                          "basic render driver" };
  g_autofree char *folded = NULL;

  if (gl_renderer == NULL)
    return FALSE;
  folded = g_ascii_strdown (gl_renderer, -1);
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (folded, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The GL_RENDERER of a GL context made on `display`, or NULL with `error` set. */
static char *
read_gl_renderer (GdkDisplay *display,
                  GError    **error)
{
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (display, error);
  const char *renderer;
  char *copy;

  if (context == NULL || !gdk_gl_context_realize (context, error))
    return NULL;
  gdk_gl_context_make_current (context);
  renderer = (const char *)glGetString (GL_RENDERER);
  copy = g_strdup (renderer);
  gdk_gl_context_clear_current ();
  if (copy == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GL gave no GL_RENDERER");
  return copy;
}

TillRendererChoice
till_renderer_choose (GdkDisplay *display,
                      char      **gl_renderer_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *renderer = NULL;
  const char *chosen = g_getenv ("GSK_RENDERER");

  g_return_val_if_fail (GDK_IS_DISPLAY (display), TILL_RENDERER_GTK_DEFAULT);

  if (gl_renderer_out != NULL)
    *gl_renderer_out = NULL;
  if (chosen != NULL && *chosen != '\0')
    {
      g_debug ("Renderer: GSK_RENDERER=%s, as set", chosen);
      return TILL_RENDERER_USER;
    }

  renderer = read_gl_renderer (display, &error);
  if (renderer == NULL)
    {
      /* No GL at all: GTK falls back to cairo by itself. */
      g_debug ("Renderer: no GL (%s); GTK's own choice", error->message);
      if (gl_renderer_out != NULL)
        *gl_renderer_out = g_strdup_printf ("none: %s", error->message);
      return TILL_RENDERER_GTK_DEFAULT;
    }
  if (gl_renderer_out != NULL)
    *gl_renderer_out = g_strdup (renderer);
  if (!till_renderer_is_software (renderer))
    {
      g_debug ("Renderer: GL on %s", renderer);
      return TILL_RENDERER_GTK_DEFAULT;
    }
  g_object_set_data_full (G_OBJECT (display), DISPLAY_RENDERER_KEY, g_strdup ("cairo"), g_free);
  g_info ("Renderer: GL runs on the CPU here (%s): the windows are drawn with cairo "
          "(GSK_RENDERER=gl overrides)",
          renderer);
  return TILL_RENDERER_CAIRO;
}
