/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TillDemo: --demo's payment simulator in this process (WeChat Pay and Alipay), and the demo
 * phone for it. */
#define G_LOG_DOMAIN "till-ui"
#include "config.h"

#include <errno.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "till-demo.h"
#include "till-paysim.h"

struct _TillDemo
{
  GObject     parent_instance;

  TillPaysim *paysim;
};

G_DEFINE_FINAL_TYPE (TillDemo, till_demo, G_TYPE_OBJECT)

static void
till_demo_dispose (GObject *object)
{
  TillDemo *self = TILL_DEMO (object);

  if (self->paysim != NULL)
    till_paysim_stop (self->paysim);
  g_clear_object (&self->paysim);

  G_OBJECT_CLASS (till_demo_parent_class)->dispose (object);
}

static void
till_demo_class_init (TillDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = till_demo_dispose;
}

static void
till_demo_init (TillDemo *self)
{
}

/* The simulator with its state in `data_dir`/paysim: its keys loaded, or made on a new
 * folder. Any thread. */
static TillPaysim *
make_paysim (const char *data_dir,
             GError    **error)
{
  g_autofree char *state_dir = g_build_filename (data_dir, "paysim", NULL);

  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the data directory %s: %s"), state_dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  return till_paysim_new (state_dir, NULL, error);
}

/* `sim` listening on 127.0.0.1 and `settings` pointed at it. The main thread. */
static TillDemo *
serve (TillPaysim *sim,
       GSettings  *settings,
       GError    **error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *pub_path = NULL;
  g_autofree char *alipay_key_path = NULL;
  g_autofree char *alipay_pub_path = NULL;
  g_autofree char *gateway = NULL;
  TillDemo *self;

  if (!till_paysim_listen (sim, "127.0.0.1", 0, error))
    return NULL;

  key_path = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_MERCHANT_PRIVATE_KEY);
  pub_path = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_PLATFORM_PUBLIC_KEY);
  /* Alipay's side of the same simulator: its gateway, app id, the app's private key that
   * signs and Alipay's public key that verifies (alipay.md §11). */
  alipay_key_path = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_ALIPAY_APP_PRIVATE_KEY);
  alipay_pub_path = till_paysim_dup_path (sim, TILL_PAYSIM_FILE_ALIPAY_PLATFORM_PUBLIC_KEY);
  gateway = g_strconcat (till_paysim_get_base_url (sim), "/gateway.do", NULL);
  g_settings_delay (settings);
  g_settings_set_string (settings, "api-base-url", till_paysim_get_base_url (sim));
  g_settings_set_string (settings, "mchid", till_paysim_get_mchid (sim));
  g_settings_set_string (settings, "appid", till_paysim_get_appid (sim));
  g_settings_set_string (settings, "merchant-serial-no", till_paysim_get_merchant_serial (sim));
  g_settings_set_string (settings, "merchant-key-path", key_path);
  g_settings_set_string (settings, "platform-public-key-path", pub_path);
  g_settings_set_string (settings, "platform-public-key-id",
                         till_paysim_get_platform_public_key_id (sim));
  g_settings_set_string (settings, "ca-file", "");
  g_settings_set_string (settings, "alipay-gateway-url", gateway);
  g_settings_set_string (settings, "alipay-app-id", till_paysim_get_alipay_app_id (sim));
  g_settings_set_string (settings, "alipay-app-private-key-path", alipay_key_path);
  g_settings_set_string (settings, "alipay-public-key-path", alipay_pub_path);
  g_settings_apply (settings);
  g_message ("demo: payment simulator on %s", till_paysim_get_base_url (sim));

  self = g_object_new (TILL_TYPE_DEMO, NULL);
  self->paysim = g_object_ref (sim);
  return self;
}

typedef struct
{
  char      *data_dir;
  GSettings *settings;
} StartData;

static void
start_data_free (gpointer data)
{
  StartData *start = data;

  g_free (start->data_dir);
  g_object_unref (start->settings);
  g_free (start);
}

/* A thread of its own, at the lowest priority: on a two-core till the key making would
 * otherwise take the CPU the first window needs (GTask's shared threads keep a priority
 * once given, so not one of them). */
static gpointer
make_paysim_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  StartData *start = g_task_get_task_data (task);
  GError *error = NULL;
  TillPaysim *sim;

#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), 19) != 0)
    g_debug ("demo: the simulator's keys at normal priority: %s", g_strerror (errno));
#endif
  sim = make_paysim (start->data_dir, &error);
  if (sim == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sim, g_object_unref);
  return NULL;
}

void
till_demo_start_async (const char         *data_dir,
                       GSettings          *settings,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;
  StartData *start;

  g_return_if_fail (data_dir != NULL);
  g_return_if_fail (G_IS_SETTINGS (settings));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_demo_start_async);
  start = g_new0 (StartData, 1);
  start->data_dir = g_strdup (data_dir);
  start->settings = g_object_ref (settings);
  g_task_set_task_data (task, start, start_data_free);
  g_thread_unref (g_thread_new ("till-demo-keys", make_paysim_thread, task));
}

TillDemo *
till_demo_start_finish (GAsyncResult *result,
                        GError      **error)
{
  StartData *start;
  g_autoptr(TillPaysim) sim = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == till_demo_start_async, NULL);

  start = g_task_get_task_data (G_TASK (result));
  sim = g_task_propagate_pointer (G_TASK (result), error);
  if (sim == NULL)
    return NULL;
  return serve (sim, start->settings, error);
}

const char *
till_demo_get_base_url (TillDemo *self)
{
  g_return_val_if_fail (TILL_IS_DEMO (self), NULL);

  return till_paysim_get_base_url (self->paysim);
}

TillDemoPhone *
till_demo_new_phone (TillDemo            *self,
                     TillContext         *context,
                     TillCustomerDisplay *display)
{
  g_return_val_if_fail (TILL_IS_DEMO (self), NULL);
  g_return_val_if_fail (TILL_IS_CONTEXT (context), NULL);

  return till_demo_phone_new (context, till_paysim_get_base_url (self->paysim), display);
}

/* ---- the application's hooks ---- */

static GObject *
start_finish_hook (GAsyncResult *result,
                   GError      **error)
{
  return G_OBJECT (till_demo_start_finish (result, error));
}

static GtkWindow *
new_phone_hook (GObject     *demo,
                TillContext *context,
                GtkWindow   *display)
{
  return GTK_WINDOW (till_demo_new_phone (TILL_DEMO (demo), context,
                                          display != NULL ? TILL_CUSTOMER_DISPLAY (display)
                                                          : NULL));
}

static const TillApplicationDemo demo_hooks = {
  .start_async = till_demo_start_async,
  .start_finish = start_finish_hook,
  .new_phone = new_phone_hook,
};

void
till_demo_install (TillApplication *app)
{
  g_return_if_fail (TILL_IS_APPLICATION (app));

  till_application_set_demo (app, &demo_hooks);
}
