/* SPDX-License-Identifier: GPL-3.0-or-later */
/* V4L2 webcam capture on a worker thread; see the header for why V4L2 and YUYV/GREY. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-camera-source.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "till-device-list.h"
#include "till-frame-decoder.h"

#define WANTED_WIDTH 640
#define WANTED_HEIGHT 480
#define N_BUFFERS 4
#define FRAME_INTERVAL_US (G_USEC_PER_SEC / TILL_CAMERA_SOURCE_MAX_FPS)
#define POLL_TIMEOUT_MS 2000

typedef struct
{
  void *start;
  gsize length;
} MappedBuffer;

/* An open, configured V4L2 device. Built on any thread, then owned by the source. */
typedef struct
{
  int fd;
  char *path;
  char *card;
  guint32 fourcc;
  guint width;
  guint height;
  guint stride;
  MappedBuffer buffers[N_BUFFERS];
  guint n_buffers;
} CameraDevice;

struct _TillCameraSource
{
  GObject parent_instance;

  CameraDevice *dev;
  TillScannerHub *hub;

  /* Worker state; the worker only runs between start() and stop(). */
  GThread *thread;
  int wake_fds[2];
  gint stopping;            /* atomic */
  TillFrameDecoder *decoder;
  GMainContext *context;
  gboolean streaming;

  /* Hand-over from the worker to the main context. */
  GMutex lock;
  TillCameraFrame *pending_frame;
  GError *pending_error;
  GSource *delivery;
};

G_DEFINE_FINAL_TYPE (TillCameraSource, till_camera_source, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DEVICE,
  PROP_CARD_NAME,
  PROP_RUNNING,
  N_PROPS
};

enum
{
  SIGNAL_FRAME,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static int
xioctl (int           fd,
        unsigned long request,
        void         *arg)
{
  int r;

  do
    r = ioctl (fd, request, arg);
  while (r == -1 && errno == EINTR);

  return r;
}

static void
camera_device_free (CameraDevice *dev)
{
  if (dev == NULL)
    return;

  for (guint i = 0; i < dev->n_buffers; i++)
    if (dev->buffers[i].start != MAP_FAILED && dev->buffers[i].start != NULL)
      munmap (dev->buffers[i].start, dev->buffers[i].length);

  if (dev->fd >= 0)
    close (dev->fd);

  g_free (dev->path);
  g_free (dev->card);
  g_free (dev);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CameraDevice, camera_device_free)

static void
set_ioctl_error (GError    **error,
                 const char *path,
                 const char *what,
                 int         saved_errno)
{
  g_message ("Camera %s: %s failed: %s", path, what, g_strerror (saved_errno));

  if (saved_errno == EBUSY)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("The camera is in use by another program."));
  else if (saved_errno == ENODEV || saved_errno == ENXIO || saved_errno == EIO)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The camera was unplugged."));
  else if (saved_errno == ENOSPC)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                 _("The USB port has no room for the camera's pictures. "
                   "Plug the camera into another port."));
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("The camera at %s does not work: %s"), path, g_strerror (saved_errno));
}

/* The first frame format we can read the luminance from, preferring YUYV (every UVC
 * camera has it, at 640×480 and 30 fps even on USB 2). */
static guint32
pick_format (int fd)
{
  struct v4l2_fmtdesc desc;
  gboolean has_grey = FALSE;

  memset (&desc, 0, sizeof desc);
  desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  for (desc.index = 0; xioctl (fd, VIDIOC_ENUM_FMT, &desc) == 0; desc.index++)
    {
      if (desc.pixelformat == V4L2_PIX_FMT_YUYV)
        return V4L2_PIX_FMT_YUYV;
      if (desc.pixelformat == V4L2_PIX_FMT_GREY)
        has_grey = TRUE;
    }

  return has_grey ? V4L2_PIX_FMT_GREY : 0;
}

static CameraDevice *
camera_device_open (const char *device,
                    GError    **error)
{
  g_autoptr(CameraDevice) dev = g_new0 (CameraDevice, 1);
  g_autofree char *card = NULL;
  struct v4l2_format fmt;
  struct v4l2_requestbuffers req;

  dev->fd = -1;

  if (device == NULL || *device == '\0')
    {
      g_autoptr(GPtrArray) cameras = till_device_list_cameras ();

      if (cameras->len == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No camera found."));
          return NULL;
        }
      device = ((TillDeviceInfo *) g_ptr_array_index (cameras, 0))->path;
      dev->path = g_strdup (device);
    }
  else
    dev->path = g_strdup (device);

  if (!g_file_test (dev->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No camera found at %s."), dev->path);
      return NULL;
    }

  if (!till_device_query_camera (dev->path, &card, error))
    return NULL;
  dev->card = g_steal_pointer (&card);

  /* Non-blocking: the worker waits in poll() so that stop() can always wake it. */
  dev->fd = open (dev->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (dev->fd < 0)
    {
      set_ioctl_error (error, dev->path, "open", errno);
      return NULL;
    }

  dev->fourcc = pick_format (dev->fd);
  if (dev->fourcc == 0)
    {
      g_message ("Camera %s (%s) offers neither YUYV nor GREY", dev->path, dev->card);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The camera “%s” sends pictures in a format Tillpoint cannot read."),
                   dev->card);
      return NULL;
    }

  memset (&fmt, 0, sizeof fmt);
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = WANTED_WIDTH;
  fmt.fmt.pix.height = WANTED_HEIGHT;
  fmt.fmt.pix.pixelformat = dev->fourcc;
  fmt.fmt.pix.field = V4L2_FIELD_NONE;
  if (xioctl (dev->fd, VIDIOC_S_FMT, &fmt) != 0)
    {
      set_ioctl_error (error, dev->path, "VIDIOC_S_FMT", errno);
      return NULL;
    }

  /* The driver may adjust the size; it must keep the format and give sane numbers. */
  dev->width = fmt.fmt.pix.width;
  dev->height = fmt.fmt.pix.height;
  dev->stride = fmt.fmt.pix.bytesperline;
  if (fmt.fmt.pix.pixelformat != dev->fourcc || dev->width < 16 || dev->height < 16 ||
      (dev->fourcc == V4L2_PIX_FMT_YUYV && dev->width % 2 != 0))
    {
      g_message ("Camera %s: driver answered %.4s %u×%u", dev->path,
                 (const char *) &fmt.fmt.pix.pixelformat, dev->width, dev->height);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The camera “%s” sends pictures in a format Tillpoint cannot read."),
                   dev->card);
      return NULL;
    }
  if (dev->stride < dev->width * (dev->fourcc == V4L2_PIX_FMT_YUYV ? 2 : 1))
    dev->stride = dev->width * (dev->fourcc == V4L2_PIX_FMT_YUYV ? 2 : 1);

  memset (&req, 0, sizeof req);
  req.count = N_BUFFERS;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl (dev->fd, VIDIOC_REQBUFS, &req) != 0)
    {
      set_ioctl_error (error, dev->path, "VIDIOC_REQBUFS", errno);
      return NULL;
    }
  if (req.count < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The camera “%s” does not have enough memory for pictures."),
                   dev->card);
      return NULL;
    }

  for (dev->n_buffers = 0; dev->n_buffers < MIN (req.count, N_BUFFERS); dev->n_buffers++)
    {
      struct v4l2_buffer buf;
      MappedBuffer *mb = &dev->buffers[dev->n_buffers];

      memset (&buf, 0, sizeof buf);
      buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buf.memory = V4L2_MEMORY_MMAP;
      buf.index = dev->n_buffers;
      if (xioctl (dev->fd, VIDIOC_QUERYBUF, &buf) != 0)
        {
          set_ioctl_error (error, dev->path, "VIDIOC_QUERYBUF", errno);
          return NULL;
        }

      mb->length = buf.length;
      mb->start = mmap (NULL, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
                        buf.m.offset);
      if (mb->start == MAP_FAILED)
        {
          set_ioctl_error (error, dev->path, "mmap", errno);
          mb->start = NULL;
          return NULL;
        }
    }

  g_message ("Camera %s (%s) open: %.4s %u×%u, %u buffers", dev->path, dev->card,
             (const char *) &dev->fourcc, dev->width, dev->height, dev->n_buffers);

  return g_steal_pointer (&dev);
}

/* ---- worker thread ---- */

static gboolean
deliver_cb (gpointer user_data)
{
  TillCameraSource *self = TILL_CAMERA_SOURCE (user_data);
  g_autoptr(TillCameraFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->lock);
  frame = g_steal_pointer (&self->pending_frame);
  error = g_steal_pointer (&self->pending_error);
  g_clear_pointer (&self->delivery, g_source_unref);
  g_mutex_unlock (&self->lock);

  if (frame != NULL)
    g_signal_emit (self, signals[SIGNAL_FRAME], 0, frame);

  if (error != NULL)
    {
      /* The worker has ended already: this only joins it and lets the device go. */
      g_object_ref (self);
      till_camera_source_close (self);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      g_object_unref (self);
    }

  return G_SOURCE_REMOVE;
}

/* Worker: replace whatever the main loop has not picked up yet. */
static void
post (TillCameraSource *self,
      TillCameraFrame  *frame,
      GError           *error)
{
  g_mutex_lock (&self->lock);

  if (frame != NULL)
    {
      if (self->pending_frame != NULL)
        g_debug ("Camera: the main loop is busy, skipped a frame");
      g_clear_pointer (&self->pending_frame, till_camera_frame_unref);
      self->pending_frame = frame;
    }
  if (error != NULL)
    {
      g_clear_error (&self->pending_error);
      self->pending_error = error;
    }

  if (self->delivery == NULL)
    {
      self->delivery = g_idle_source_new ();
      g_source_set_priority (self->delivery, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->delivery, deliver_cb, self, NULL);
      g_source_set_static_name (self->delivery, "[tillpoint] camera frame");
      g_source_attach (self->delivery, self->context);
    }

  g_mutex_unlock (&self->lock);
}

static TillCameraFrame *
convert_frame (CameraDevice *dev,
               const guint8 *data,
               gsize         bytesused)
{
  gsize needed = (gsize) dev->stride * (dev->height - 1) +
                 dev->width * (dev->fourcc == V4L2_PIX_FMT_YUYV ? 2 : 1);

  if (bytesused < needed)
    {
      g_debug ("Camera %s: short frame (%zu of %zu bytes) dropped", dev->path, bytesused,
               needed);
      return NULL;
    }

  if (dev->fourcc == V4L2_PIX_FMT_YUYV)
    return till_camera_frame_new_from_yuyv (data, dev->width, dev->height, dev->stride);

  return till_camera_frame_new_from_gray (data, dev->width, dev->height, dev->stride);
}

static gpointer
capture_thread (gpointer user_data)
{
  TillCameraSource *self = TILL_CAMERA_SOURCE (user_data);
  CameraDevice *dev = self->dev;
  gint64 last_frame_us = 0;
  gboolean warned_silent = FALSE;

  while (!g_atomic_int_get (&self->stopping))
    {
      struct pollfd fds[2] = {
        { .fd = dev->fd, .events = POLLIN },
        { .fd = self->wake_fds[0], .events = POLLIN },
      };
      struct v4l2_buffer buf;
      int r = poll (fds, G_N_ELEMENTS (fds), POLL_TIMEOUT_MS);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          g_warning ("Camera %s: poll failed: %s", dev->path, g_strerror (errno));
          break;
        }
      if (fds[1].revents)
        break;
      if (r == 0)
        {
          if (!warned_silent)
            g_message ("Camera %s: no picture for %d ms", dev->path, POLL_TIMEOUT_MS);
          warned_silent = TRUE;
          continue;
        }
      if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL) && !(fds[0].revents & POLLIN))
        {
          GError *error = NULL;

          set_ioctl_error (&error, dev->path, "poll", ENODEV);
          post (self, NULL, error);
          break;
        }

      memset (&buf, 0, sizeof buf);
      buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buf.memory = V4L2_MEMORY_MMAP;
      if (xioctl (dev->fd, VIDIOC_DQBUF, &buf) != 0)
        {
          GError *error = NULL;

          if (errno == EAGAIN)
            continue;
          set_ioctl_error (&error, dev->path, "VIDIOC_DQBUF", errno);
          post (self, NULL, error);
          break;
        }
      warned_silent = FALSE;

      if (buf.index < dev->n_buffers && !(buf.flags & V4L2_BUF_FLAG_ERROR))
        {
          gint64 now = g_get_monotonic_time ();

          /* Frames in between are handed straight back to the driver. */
          if (now - last_frame_us >= FRAME_INTERVAL_US)
            {
              TillCameraFrame *frame = convert_frame (dev, dev->buffers[buf.index].start,
                                                      MIN (buf.bytesused,
                                                           dev->buffers[buf.index].length));

              if (frame != NULL)
                {
                  last_frame_us = now;
                  till_camera_frame_set_time (frame, now);
                  if (self->hub != NULL)
                    {
                      GBytes *gray = till_camera_frame_get_gray (frame);
                      g_autoptr(GPtrArray) codes =
                        till_frame_decoder_process (self->decoder,
                                                    g_bytes_get_data (gray, NULL),
                                                    dev->width, dev->height, dev->width,
                                                    now, self->hub);

                      till_camera_frame_set_codes (frame, codes);
                    }
                  post (self, frame, NULL);
                }
            }
        }
      else
        g_debug ("Camera %s: damaged frame dropped", dev->path);

      if (xioctl (dev->fd, VIDIOC_QBUF, &buf) != 0)
        {
          GError *error = NULL;

          set_ioctl_error (&error, dev->path, "VIDIOC_QBUF", errno);
          post (self, NULL, error);
          break;
        }
    }

  return NULL;
}

/* ---- public API ---- */

static void
set_device (TillCameraSource *self,
            CameraDevice     *dev)
{
  till_camera_source_close (self);
  self->dev = dev;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_NAME]);
}

gboolean
till_camera_source_open (TillCameraSource *self,
                         const char       *device,
                         GError          **error)
{
  CameraDevice *dev;

  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dev = camera_device_open (device, error);
  if (dev == NULL)
    return FALSE;

  set_device (self, dev);

  return TRUE;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CameraDevice *dev = camera_device_open (task_data, &error);

  if (dev == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dev, (GDestroyNotify) camera_device_free);
}

void
till_camera_source_open_async (TillCameraSource    *self,
                               const char          *device,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TILL_IS_CAMERA_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_camera_source_open_async);
  g_task_set_task_data (task, g_strdup (device != NULL ? device : ""), g_free);
  /* A cancelled open hands back an error; the device it opened is freed unused. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, open_thread);
}

gboolean
till_camera_source_open_finish (TillCameraSource *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  CameraDevice *dev;

  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        till_camera_source_open_async, FALSE);

  dev = g_task_propagate_pointer (G_TASK (result), error);
  if (dev == NULL)
    return FALSE;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      camera_device_free (dev);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Opening the camera was cancelled."));
      return FALSE;
    }

  set_device (self, dev);

  return TRUE;
}

gboolean
till_camera_source_start (TillCameraSource *self,
                          GError          **error)
{
  CameraDevice *dev;
  enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  g_autoptr(GError) thread_error = NULL;

  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->thread != NULL)
    return TRUE;

  dev = self->dev;
  if (dev == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("No camera is open."));
      return FALSE;
    }

  /* STREAMOFF took every buffer back, so queue them all again. */
  for (guint i = 0; i < dev->n_buffers; i++)
    {
      struct v4l2_buffer buf;

      memset (&buf, 0, sizeof buf);
      buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buf.memory = V4L2_MEMORY_MMAP;
      buf.index = i;
      if (xioctl (dev->fd, VIDIOC_QBUF, &buf) != 0)
        {
          set_ioctl_error (error, dev->path, "VIDIOC_QBUF", errno);
          return FALSE;
        }
    }

  if (xioctl (dev->fd, VIDIOC_STREAMON, &type) != 0)
    {
      set_ioctl_error (error, dev->path, "VIDIOC_STREAMON", errno);
      xioctl (dev->fd, VIDIOC_STREAMOFF, &type);
      return FALSE;
    }
  self->streaming = TRUE;

  if (!g_unix_open_pipe (self->wake_fds, FD_CLOEXEC, &thread_error) ||
      !g_unix_set_fd_nonblocking (self->wake_fds[1], TRUE, &thread_error))
    {
      g_warning ("Camera %s: no wake-up pipe: %s", dev->path, thread_error->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The camera could not be started."));
      till_camera_source_stop (self);
      return FALSE;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_clear_object (&self->decoder);
  self->decoder = till_frame_decoder_new ();
  g_atomic_int_set (&self->stopping, FALSE);

  self->thread = g_thread_try_new ("till-camera", capture_thread, self, &thread_error);
  if (self->thread == NULL)
    {
      g_warning ("Camera %s: no capture thread: %s", dev->path, thread_error->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The camera could not be started."));
      till_camera_source_stop (self);
      return FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

void
till_camera_source_stop (TillCameraSource *self)
{
  gboolean was_running;

  g_return_if_fail (TILL_IS_CAMERA_SOURCE (self));

  was_running = self->thread != NULL;

  if (self->thread != NULL)
    {
      static const char wake = 1;

      g_atomic_int_set (&self->stopping, TRUE);
      if (write (self->wake_fds[1], &wake, 1) < 0 && errno != EAGAIN)
        g_warning ("Camera: cannot wake the capture thread: %s", g_strerror (errno));
      g_thread_join (g_steal_pointer (&self->thread));
    }

  for (guint i = 0; i < 2; i++)
    if (self->wake_fds[i] >= 0)
      {
        close (self->wake_fds[i]);
        self->wake_fds[i] = -1;
      }

  /* Nothing more may reach the main loop from this run. */
  g_mutex_lock (&self->lock);
  if (self->delivery != NULL)
    {
      g_source_destroy (self->delivery);
      g_clear_pointer (&self->delivery, g_source_unref);
    }
  g_clear_pointer (&self->pending_frame, till_camera_frame_unref);
  g_clear_error (&self->pending_error);
  g_mutex_unlock (&self->lock);

  if (self->streaming && self->dev != NULL)
    {
      enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

      if (xioctl (self->dev->fd, VIDIOC_STREAMOFF, &type) != 0)
        g_debug ("Camera %s: VIDIOC_STREAMOFF: %s", self->dev->path, g_strerror (errno));
    }
  self->streaming = FALSE;

  g_clear_object (&self->decoder);
  g_clear_pointer (&self->context, g_main_context_unref);

  if (was_running)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
till_camera_source_close (TillCameraSource *self)
{
  g_return_if_fail (TILL_IS_CAMERA_SOURCE (self));

  till_camera_source_stop (self);

  if (self->dev != NULL)
    {
      g_message ("Camera %s released", self->dev->path);
      g_clear_pointer (&self->dev, camera_device_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_NAME]);
    }
}

void
till_camera_source_set_hub (TillCameraSource *self,
                            TillScannerHub   *hub)
{
  g_return_if_fail (TILL_IS_CAMERA_SOURCE (self));
  g_return_if_fail (hub == NULL || TILL_IS_SCANNER_HUB (hub));
  g_return_if_fail (self->thread == NULL);

  g_set_object (&self->hub, hub);
}

gboolean
till_camera_source_is_open (TillCameraSource *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), FALSE);
  return self->dev != NULL;
}

gboolean
till_camera_source_is_running (TillCameraSource *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), FALSE);
  return self->thread != NULL;
}

const char *
till_camera_source_get_device (TillCameraSource *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), NULL);
  return self->dev != NULL ? self->dev->path : NULL;
}

const char *
till_camera_source_get_card_name (TillCameraSource *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), NULL);
  return self->dev != NULL ? self->dev->card : NULL;
}

guint
till_camera_source_get_width (TillCameraSource *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), 0);
  return self->dev != NULL ? self->dev->width : 0;
}

guint
till_camera_source_get_height (TillCameraSource *self)
{
  g_return_val_if_fail (TILL_IS_CAMERA_SOURCE (self), 0);
  return self->dev != NULL ? self->dev->height : 0;
}

static void
till_camera_source_dispose (GObject *object)
{
  TillCameraSource *self = TILL_CAMERA_SOURCE (object);

  till_camera_source_close (self);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (till_camera_source_parent_class)->dispose (object);
}

static void
till_camera_source_finalize (GObject *object)
{
  TillCameraSource *self = TILL_CAMERA_SOURCE (object);

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (till_camera_source_parent_class)->finalize (object);
}

static void
till_camera_source_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TillCameraSource *self = TILL_CAMERA_SOURCE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_string (value, till_camera_source_get_device (self));
      break;
    case PROP_CARD_NAME:
      g_value_set_string (value, till_camera_source_get_card_name (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, till_camera_source_is_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_camera_source_class_init (TillCameraSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_camera_source_dispose;
  object_class->finalize = till_camera_source_finalize;
  object_class->get_property = till_camera_source_get_property;

  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CARD_NAME] =
    g_param_spec_string ("card-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TILL_TYPE_CAMERA_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
till_camera_source_init (TillCameraSource *self)
{
  g_mutex_init (&self->lock);
  self->wake_fds[0] = self->wake_fds[1] = -1;
}

TillCameraSource *
till_camera_source_new (void)
{
  return g_object_new (TILL_TYPE_CAMERA_SOURCE, NULL);
}
