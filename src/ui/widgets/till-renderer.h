/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which GSK renderer the till's windows use: GL on a GPU, cairo when GL would be emulated. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  TILL_RENDERER_GTK_DEFAULT, /* left to GTK: GL on a GPU, or cairo without any GL */
  TILL_RENDERER_CAIRO,       /* GL is emulated on the CPU: cairo chosen for the display */
  TILL_RENDERER_USER,        /* GSK_RENDERER is set: the person's choice stands */
} TillRendererChoice;

/* TRUE when a GL_RENDERER string names a rasterizer that runs on the CPU (Mesa's llvmpipe,
 * softpipe and swrast, Google's SwiftShader, Microsoft's WARP "Basic Render Driver"). */
gboolean           till_renderer_is_software (const char *gl_renderer);

/* Chooses the renderer of every window on `display`; call it before the first window is
 * realized (the application's startup). With GSK_RENDERER unset it makes a GL context and
 * reads its GL_RENDERER: when that is a software rasterizer it names the cairo renderer
 * for the display. GTK's GL renderer repaints the whole window for every frame when the
 * GL has no buffer age (as on llvmpipe), executing its shaders on the CPU: a cashier
 * window's frame took 33–37 ms there against 1.5 ms with cairo, which repaints only what
 * changed. On a GPU nothing changes. The GL_RENDERER read (or why none was) is written to
 * `gl_renderer_out` when not NULL, for the log. */
TillRendererChoice till_renderer_choose      (GdkDisplay *display,
                                              char      **gl_renderer_out);

G_END_DECLS
