/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The AdwApplication: command line (--demo, --data-dir, --import-catalog, --version),
 * the shared TillContext, application-wide actions and their accelerators. */
#pragma once

#include <adwaita.h>

#include "till-context.h"

G_BEGIN_DECLS

#define TILL_TYPE_APPLICATION (till_application_get_type ())
G_DECLARE_FINAL_TYPE (TillApplication, till_application, TILL, APPLICATION, AdwApplication)

/* What --demo runs besides the demo catalog and people: the payment simulator in this
 * process and the demo phone. They live in src/ui/demo, the only UI code that links the
 * simulator; the program hands them over (till_demo_install, in main.c). Without them
 * --demo sells for cash only. */
typedef struct
{
  /* Starts the simulator with its state in a folder of `data_dir`: its keys are loaded or
   * made in a worker thread (four RSA-2048 keys on a new folder: half a second or more,
   * not on the way to the first window); the finish, on the main thread, has it listen and
   * points `settings` at it, and returns what keeps it running (unreferenced at exit), or
   * NULL. */
  void       (*start_async)  (const char         *data_dir,
                              GSettings          *settings,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data);
  GObject   *(*start_finish) (GAsyncResult       *result,
                              GError            **error);
  /* A new demo phone for the simulator `demo` started; `display` (may be NULL) is the
   * customer display, where it finds the Native QR. */
  GtkWindow *(*new_phone) (GObject      *demo,
                           TillContext  *context,
                           GtkWindow    *display);
} TillApplicationDemo;

TillApplication *till_application_new      (void);
/* `demo` must outlive the application (a static struct). */
void             till_application_set_demo (TillApplication           *self,
                                            const TillApplicationDemo *demo);

G_END_DECLS
