/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data directory's lock file (flock), taken by the till process before it opens the
 * store; see till-store-dirlock.h. */
#define G_LOG_DOMAIN "till-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "till-store.h"
#include "till-store-dirlock.h"

struct _TillStoreDirLock
{
  int       fd;
  char     *path;
  gboolean  writable;   /* our own lock file, holding our process id */
};

/* The process id written in the lock file by its holder, 0 when there is none. */
static GPid
read_holder (int fd)
{
  char buf[32];
  ssize_t n;
  gint64 pid;
  char *end = NULL;

  n = pread (fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  pid = g_ascii_strtoll (buf, &end, 10);
  if (end == buf || pid <= 0 || pid > G_MAXINT)
    return 0;
  return (GPid) pid;
}

static void
write_holder (TillStoreDirLock *self)
{
  g_autofree char *text = g_strdup_printf ("%d\n", (int) getpid ());
  gsize len = strlen (text);

  /* Only for the message of a refused start: a failure here is no reason to stop. */
  if (ftruncate (self->fd, 0) != 0
      || pwrite (self->fd, text, len, 0) != (ssize_t) len)
    g_message ("Could not write the process id into %s: %s", self->path, g_strerror (errno));
}

TillStoreDirLock *
till_store_dir_lock_acquire (const char  *data_dir,
                             GPid        *out_holder,
                             GError     **error)
{
  g_autofree char *path = NULL;
  gboolean writable = TRUE;
  TillStoreDirLock *self;
  int saved_errno;
  int fd;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_holder != NULL)
    *out_holder = 0;

  path = g_build_filename (data_dir, TILL_STORE_DIR_LOCK_FILE, NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  saved_errno = errno;
  if (fd < 0 && saved_errno == EACCES && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      /* Someone else's lock file in a shared directory: it can still be locked (flock
       * needs no write access), and then tells whether that till runs. */
      fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
      saved_errno = errno;
      writable = FALSE;
    }
  if (fd < 0)
    {

      g_warning ("Cannot open the lock file %s: %s", path, g_strerror (saved_errno));
      if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_READ_ONLY,
                     _("The data directory “%s” cannot be written (%s)."), data_dir,
                     g_strerror (saved_errno));
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                     _("The lock file “%s” could not be opened (%s)."), path,
                     g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      GPid holder;

      saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      if (saved_errno != EWOULDBLOCK)
        {
          g_warning ("Cannot lock %s: %s", path, g_strerror (saved_errno));
          g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_FAILED,
                       _("The data directory “%s” could not be locked (%s); its file "
                         "system may not support locks."), data_dir,
                       g_strerror (saved_errno));
          close (fd);
          return NULL;
        }

      holder = read_holder (fd);
      close (fd);
      if (out_holder != NULL)
        *out_holder = holder;
      g_message ("%s is held by another till (process %d)", path, (int) holder);
      if (holder > 0)
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IN_USE,
                     _("Another Tillpoint (process %d) is using the data directory “%s”."),
                     (int) holder, data_dir);
      else
        g_set_error (error, TILL_STORE_ERROR, TILL_STORE_ERROR_IN_USE,
                     _("Another Tillpoint is using the data directory “%s”."), data_dir);
      return NULL;
    }

  self = g_new0 (TillStoreDirLock, 1);
  self->fd = fd;
  self->path = g_steal_pointer (&path);
  self->writable = writable;
  if (writable)
    write_holder (self);
  g_debug ("Holding %s", self->path);
  return self;
}

const char *
till_store_dir_lock_get_path (TillStoreDirLock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

void
till_store_dir_lock_release (TillStoreDirLock *self)
{
  if (self == NULL)
    return;

  /* No stale process id once the lock is free; the kernel drops the lock on close. */
  if (self->writable && ftruncate (self->fd, 0) != 0)
    g_debug ("Could not empty %s: %s", self->path, g_strerror (errno));
  close (self->fd);
  g_free (self->path);
  g_free (self);
}
