/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A serial counter scale: termios, non-blocking reads on the main loop, the 8217's request,
 * staleness, the till's tare, and reconnecting (docs/reference/scales.md). */
#define G_LOG_DOMAIN "till-scale"
#include "config.h"

#include "till-scale.h"
#include "till-scale-parser.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <termios.h>
#include <unistd.h>

/* clang-format off */
G_DEFINE_QUARK (till-scale-error-quark, till_scale_error)
/* clang-format on */

G_DEFINE_ENUM_TYPE (TillScaleState, till_scale_state,
                    G_DEFINE_ENUM_VALUE (TILL_SCALE_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (TILL_SCALE_STATE_OK, "ok"),
                    G_DEFINE_ENUM_VALUE (TILL_SCALE_STATE_OVERLOAD, "overload"),
                    G_DEFINE_ENUM_VALUE (TILL_SCALE_STATE_NEGATIVE, "negative"),
                    G_DEFINE_ENUM_VALUE (TILL_SCALE_STATE_ERROR, "error"))

struct _TillScale
{
  GObject parent_instance;

  TillScaleProtocol protocol;
  char *port;
  guint baud;

  int fd;
  guint watch_id;
  guint retry_id;
  guint tick_id;
  TillScaleParser *parser;
  GArray *readings;
  char *last_error;

  TillScaleState state;
  gboolean have_reading;
  TillScaleReading last;
  gint64 last_good_us; /* monotonic time of the last good frame */
  guint dropped_seen;
  gint64 gross_milli;
  gint64 tare_milli;
  gboolean stable;

  GList *waiting; /* GTask of take_weight_async */
};

G_DEFINE_FINAL_TYPE (TillScale, till_scale, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PROTOCOL,
  PROP_PORT,
  PROP_BAUD,
  PROP_STATE,
  PROP_WEIGHT_MILLI,
  PROP_STABLE,
  PROP_TARE_MILLI,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reopen (TillScale *self);
static void
answer_waiting (TillScale *self, gboolean give_up);

static gboolean
baud_to_speed (guint baud, speed_t *speed)
{
  static const struct
  {
    guint baud;
    speed_t speed;
  } table[] = {
    { 1200, B1200 },   { 2400, B2400 },   { 4800, B4800 },   { 9600, B9600 },
    { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].baud == baud)
      {
        *speed = table[i].speed;
        return TRUE;
      }
  return FALSE;
}

const char *
till_scale_state_describe (TillScaleState state)
{
  switch (state)
    {
    case TILL_SCALE_STATE_DISCONNECTED:
      return _ ("Scale not connected");
    case TILL_SCALE_STATE_OVERLOAD:
      return _ ("Scale overload");
    case TILL_SCALE_STATE_NEGATIVE:
      return _ ("Below zero");
    case TILL_SCALE_STATE_ERROR:
      return _ ("Scale not understood: check the protocol and baud rate");
    case TILL_SCALE_STATE_OK:
    default:
      return "";
    }
}

static void
set_last_error (TillScale *self, const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* Works out state, net weight and stability from the last reading and the tare, and
 * notifies what changed. */
static void
update (TillScale *self)
{
  TillScaleState state;
  gint64 net;
  gboolean stable;
  gint64 old_net = self->gross_milli - self->tare_milli;
  gboolean fresh;

  fresh = self->have_reading
          && g_get_monotonic_time () - self->last_good_us <= TILL_SCALE_STALE_MS * 1000;

  if (self->fd < 0)
    state = TILL_SCALE_STATE_DISCONNECTED;
  else if (!self->have_reading)
    state = till_scale_parser_get_n_dropped (self->parser) > 0 ? TILL_SCALE_STATE_ERROR
                                                               : TILL_SCALE_STATE_OK;
  else if (self->last.overload && !self->last.underload)
    state = TILL_SCALE_STATE_OVERLOAD;
  else if (self->last.underload || self->last.negative
           || (self->last.has_weight && self->last.weight_milli - self->tare_milli < 0))
    state = TILL_SCALE_STATE_NEGATIVE;
  else
    state = TILL_SCALE_STATE_OK;

  if (self->have_reading && self->last.has_weight)
    self->gross_milli = self->last.weight_milli;
  else if (self->fd < 0 || (self->have_reading && (self->last.overload || self->last.underload)))
    self->gross_milli = self->tare_milli; /* no weight to show: net 0 */
  net = self->gross_milli - self->tare_milli;
  stable = state != TILL_SCALE_STATE_DISCONNECTED && fresh && self->last.stable
           && self->last.has_weight;

  g_object_freeze_notify (G_OBJECT (self));
  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (net != old_net)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHT_MILLI]);
  if (stable != self->stable)
    {
      self->stable = stable;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STABLE]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  answer_waiting (self, FALSE);
}

static void
close_port (TillScale *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  if (self->parser != NULL)
    till_scale_parser_reset (self->parser);
  self->have_reading = FALSE;
  self->dropped_seen = 0;
  memset (&self->last, 0, sizeof self->last);
}

static void
hang_up (TillScale *self, const char *why)
{
  g_autofree char *message = NULL;

  g_message ("Scale %s went away (%s); trying again every %d ms", self->port, why,
             TILL_SCALE_RETRY_MS);
  close_port (self);
  message = g_strdup_printf (_ ("The scale at %s was disconnected."), self->port);
  set_last_error (self, message);
  update (self);
  reopen (self);
}

static void
take_bytes (TillScale *self, const guint8 *bytes, gsize n)
{
  guint dropped;

  g_array_set_size (self->readings, 0);
  if (till_scale_parser_feed (self->parser, bytes, n, self->readings) > 0)
    {
      self->last = g_array_index (self->readings, TillScaleReading, self->readings->len - 1);
      self->have_reading = TRUE;
      self->last_good_us = g_get_monotonic_time ();
    }

  dropped = till_scale_parser_get_n_dropped (self->parser);
  if (dropped != self->dropped_seen)
    {
      /* Log the first of a run, not each of ten frames a second. */
      if (self->dropped_seen == 0 || dropped % 100 == 0)
        g_message ("Scale %s: %u frames not understood so far (%s at %u baud?)", self->port,
                   dropped, till_scale_protocol_to_nick (self->protocol), self->baud);
      self->dropped_seen = dropped;
    }
  update (self);
}

static gboolean
fd_ready_cb (int fd, GIOCondition condition, gpointer user_data)
{
  TillScale *self = TILL_SCALE (user_data);
  guint8 buf[256];

  if (condition & G_IO_IN)
    for (;;)
      {
        gssize n = read (fd, buf, sizeof buf);

        if (n > 0)
          {
            take_bytes (self, buf, (gsize)n);
            continue;
          }
        if (n < 0 && errno == EINTR)
          continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
          break;
        self->watch_id = 0;
        hang_up (self, n == 0 ? "end of file" : g_strerror (errno));
        return G_SOURCE_REMOVE;
      }

  if (condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    {
      self->watch_id = 0;
      hang_up (self, (condition & G_IO_HUP) ? "hang-up" : "poll error");
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  TillScale *self = TILL_SCALE (user_data);
  const char *request = till_scale_parser_get_request (self->parser);

  if (request != NULL)
    {
      gssize n = write (self->fd, request, strlen (request));

      if (n < 0 && errno != EAGAIN && errno != EINTR)
        {
          self->tick_id = 0;
          hang_up (self, g_strerror (errno));
          return G_SOURCE_REMOVE;
        }
    }
  /* A weight not heard again goes stale. */
  update (self);
  return G_SOURCE_CONTINUE;
}

static int
open_port (TillScale *self, GError **error)
{
  struct termios tio;
  speed_t speed;
  int fd;
  int saved_errno;

  if (!baud_to_speed (self->baud, &speed))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("The scale speed %u baud is not supported."), self->baud);
      return -1;
    }

  fd = open (self->port, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT || saved_errno == ENXIO || saved_errno == ENODEV)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _ ("No scale is plugged in at %s."), self->port);
      else if (saved_errno == EACCES || saved_errno == EPERM)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     _ ("Tillpoint may not use the scale at %s. "
                        "Ask for your account to be added to the “dialout” group."),
                     self->port);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _ ("Cannot open the scale at %s: %s"), self->port, g_strerror (saved_errno));
      return -1;
    }

  if (tcgetattr (fd, &tio) != 0)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _ ("%s is not a serial port."),
                   self->port);
      return -1;
    }

  /* Raw bytes, VMIN = 1 / VTIME = 0 so that read() = 0 only means a hang-up (as in
   * till-serial-scanner.c). The 8217 talks 7 data bits, even parity; the others 8N1. */
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  if (self->protocol == TILL_SCALE_PROTOCOL_TOLEDO_8217)
    {
      tio.c_cflag &= ~(tcflag_t)CSIZE;
      tio.c_cflag |= CS7 | PARENB;
      tio.c_cflag &= ~(tcflag_t)PARODD;
    }
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  cfsetispeed (&tio, speed);
  cfsetospeed (&tio, speed);
  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Cannot set up the scale at %s: %s"), self->port, g_strerror (saved_errno));
      return -1;
    }
  tcflush (fd, TCIFLUSH);
  return fd;
}

static gboolean
try_open (TillScale *self)
{
  g_autoptr (GError) error = NULL;
  int fd = open_port (self, &error);

  if (fd < 0)
    {
      if (g_strcmp0 (self->last_error, error->message) != 0)
        g_message ("Scale %s: %s", self->port, error->message);
      set_last_error (self, error->message);
      return FALSE;
    }

  self->fd = fd;
  self->watch_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, fd_ready_cb, self);
  self->tick_id = g_timeout_add (TILL_SCALE_REQUEST_MS, tick_cb, self);
  g_message ("Scale %s (%s) connected at %u baud", self->port,
             till_scale_protocol_to_nick (self->protocol), self->baud);
  set_last_error (self, NULL);
  update (self);
  if (till_scale_parser_get_request (self->parser) != NULL)
    tick_cb (self);
  return TRUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  TillScale *self = TILL_SCALE (user_data);

  if (try_open (self))
    {
      self->retry_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
reopen (TillScale *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->fd >= 0)
    close_port (self);

  g_clear_pointer (&self->parser, till_scale_parser_free);
  if (!till_scale_get_configured (self))
    {
      set_last_error (self, NULL);
      update (self);
      return;
    }
  self->parser = till_scale_parser_new (self->protocol);
  if (!try_open (self))
    {
      update (self);
      self->retry_id = g_timeout_add (TILL_SCALE_RETRY_MS, retry_cb, self);
    }
}

/* ---- taking the weight ---- */

gboolean
till_scale_take_weight (TillScale *self, gint64 *weight_milli, GError **error)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), FALSE);

  switch (self->state)
    {
    case TILL_SCALE_STATE_DISCONNECTED:
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NOT_CONNECTED,
                           _ ("The scale is not connected: type the weight instead"));
      return FALSE;
    case TILL_SCALE_STATE_ERROR:
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_UNREADABLE,
                           _ ("The scale's data cannot be read: check its protocol and "
                              "baud rate in Preferences"));
      return FALSE;
    case TILL_SCALE_STATE_OVERLOAD:
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_OVERLOAD,
                           _ ("The scale is overloaded: take some goods off"));
      return FALSE;
    case TILL_SCALE_STATE_NEGATIVE:
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NEGATIVE,
                           _ ("The weight is below zero: check the tare (Ctrl+Shift+Z)"));
      return FALSE;
    case TILL_SCALE_STATE_OK:
    default:
      break;
    }
  if (!self->stable)
    {
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_MOVING,
                           _ ("Weight is moving — wait for the scale to settle"));
      return FALSE;
    }
  if (self->gross_milli - self->tare_milli <= 0)
    {
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_ZERO,
                           _ ("The weight is zero: put the goods on the scale"));
      return FALSE;
    }
  *weight_milli = self->gross_milli - self->tare_milli;
  return TRUE;
}

typedef struct
{
  guint timeout_id;
  gulong cancel_id;
} Wait;

static void
wait_free (gpointer data)
{
  Wait *wait = data;

  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_free (wait);
}

/* Answers `task` when the weight can be taken, or with why not once `give_up` (its time is
 * up) or at once for anything but a moving weight; a cancelled task is answered as such
 * at the next reading or tick (at most TILL_SCALE_REQUEST_MS later). */
static void
finish_task (TillScale *self, GTask *task, gboolean give_up)
{
  Wait *wait = g_task_get_task_data (task);
  gint64 milli = 0;
  g_autoptr (GError) error = NULL;

  if (g_list_find (self->waiting, task) == NULL)
    return; /* answered already */

  if (g_task_return_error_if_cancelled (task))
    ;
  else if (till_scale_take_weight (self, &milli, &error))
    {
      gint64 *value = g_new (gint64, 1);

      *value = milli;
      g_task_return_pointer (task, value, g_free);
    }
  else if (give_up || !g_error_matches (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_MOVING))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    return; /* keep waiting */

  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  self->waiting = g_list_remove (self->waiting, task);
  g_object_unref (task);
}

static void
answer_waiting (TillScale *self, gboolean give_up)
{
  GList *tasks = g_list_copy (self->waiting);

  for (GList *l = tasks; l != NULL; l = l->next)
    finish_task (self, l->data, give_up);
  g_list_free (tasks);
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);
  TillScale *self = g_task_get_source_object (task);

  wait->timeout_id = 0;
  finish_task (self, task, TRUE);
  return G_SOURCE_REMOVE;
}

void
till_scale_take_weight_async (TillScale *self, guint timeout_ms, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Wait *wait;

  g_return_if_fail (TILL_IS_SCALE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, till_scale_take_weight_async);
  g_task_set_check_cancellable (task, TRUE);
  wait = g_new0 (Wait, 1);
  g_task_set_task_data (task, wait, wait_free);

  self->waiting = g_list_append (self->waiting, task);
  wait->timeout_id = g_timeout_add (timeout_ms, wait_timeout_cb, task);
  finish_task (self, task, FALSE);
}

gboolean
till_scale_take_weight_finish (TillScale *self, GAsyncResult *result, gint64 *weight_milli,
                               GError **error)
{
  g_autofree gint64 *value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  *weight_milli = *value;
  return TRUE;
}

gboolean
till_scale_press_tare (TillScale *self, gint64 *tare_milli, GError **error)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), FALSE);

  if (self->state == TILL_SCALE_STATE_DISCONNECTED || self->state == TILL_SCALE_STATE_ERROR)
    {
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NOT_CONNECTED,
                           _ ("No scale is connected"));
      return FALSE;
    }
  if (self->state == TILL_SCALE_STATE_OVERLOAD)
    {
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_OVERLOAD,
                           _ ("The scale is overloaded: take some goods off"));
      return FALSE;
    }
  if (!self->stable)
    {
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_MOVING,
                           _ ("Weight is moving — wait for the scale to settle"));
      return FALSE;
    }
  if (self->gross_milli < 0)
    {
      g_set_error_literal (error, TILL_SCALE_ERROR, TILL_SCALE_ERROR_NEGATIVE,
                           _ ("The scale shows less than zero: zero the scale first"));
      return FALSE;
    }

  /* An empty scale, or the tare alone on it (net zero), clears the tare; anything else on
   * it becomes the tare. */
  if (self->gross_milli == 0 || (self->tare_milli != 0 && self->gross_milli == self->tare_milli))
    self->tare_milli = 0;
  else
    self->tare_milli = self->gross_milli;
  g_message ("Scale tare %s: %" G_GINT64_FORMAT " g", self->tare_milli ? "set" : "cleared",
             self->tare_milli);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARE_MILLI]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHT_MILLI]);
  update (self);
  if (tare_milli != NULL)
    *tare_milli = self->tare_milli;
  return TRUE;
}

/* ---- the object ---- */

gboolean
till_scale_get_configured (TillScale *self)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), FALSE);
  return self->protocol != TILL_SCALE_PROTOCOL_NONE && self->port != NULL && *self->port;
}

TillScaleState
till_scale_get_state (TillScale *self)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), TILL_SCALE_STATE_DISCONNECTED);
  return self->state;
}

gint64
till_scale_get_weight_milli (TillScale *self)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), 0);
  return self->gross_milli - self->tare_milli;
}

gint64
till_scale_get_tare_milli (TillScale *self)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), 0);
  return self->tare_milli;
}

gboolean
till_scale_get_stable (TillScale *self)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), FALSE);
  return self->stable;
}

const char *
till_scale_get_last_error (TillScale *self)
{
  g_return_val_if_fail (TILL_IS_SCALE (self), NULL);
  return self->last_error;
}

void
till_scale_set_port (TillScale *self, const char *port)
{
  g_return_if_fail (TILL_IS_SCALE (self));

  if (port == NULL)
    port = "";
  if (g_strcmp0 (self->port, port) != 0)
    {
      g_free (self->port);
      self->port = g_strdup (port);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
  /* The same port again still reopens: that is how a person says "try now". */
  reopen (self);
}

void
till_scale_set_protocol (TillScale *self, TillScaleProtocol protocol)
{
  g_return_if_fail (TILL_IS_SCALE (self));

  if (self->protocol == protocol)
    return;
  self->protocol = protocol;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
  reopen (self);
}

void
till_scale_set_baud (TillScale *self, guint baud)
{
  g_return_if_fail (TILL_IS_SCALE (self));

  if (self->baud == baud)
    return;
  self->baud = baud;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAUD]);
  if (self->fd >= 0 || self->retry_id != 0)
    reopen (self);
}

static void
till_scale_dispose (GObject *object)
{
  TillScale *self = TILL_SCALE (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  close_port (self);
  answer_waiting (self, TRUE);

  G_OBJECT_CLASS (till_scale_parent_class)->dispose (object);
}

static void
till_scale_finalize (GObject *object)
{
  TillScale *self = TILL_SCALE (object);

  g_clear_pointer (&self->parser, till_scale_parser_free);
  g_array_unref (self->readings);
  g_free (self->port);
  g_free (self->last_error);

  G_OBJECT_CLASS (till_scale_parent_class)->finalize (object);
}

static void
till_scale_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TillScale *self = TILL_SCALE (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      g_value_set_string (value, till_scale_protocol_to_nick (self->protocol));
      break;
    case PROP_PORT:
      g_value_set_string (value, self->port ? self->port : "");
      break;
    case PROP_BAUD:
      g_value_set_uint (value, self->baud);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_WEIGHT_MILLI:
      g_value_set_int64 (value, self->gross_milli - self->tare_milli);
      break;
    case PROP_STABLE:
      g_value_set_boolean (value, self->stable);
      break;
    case PROP_TARE_MILLI:
      g_value_set_int64 (value, self->tare_milli);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_scale_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TillScale *self = TILL_SCALE (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      till_scale_set_protocol (self, till_scale_protocol_from_nick (g_value_get_string (value)));
      break;
    case PROP_PORT:
      till_scale_set_port (self, g_value_get_string (value));
      break;
    case PROP_BAUD:
      till_scale_set_baud (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_scale_class_init (TillScaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = till_scale_dispose;
  object_class->finalize = till_scale_finalize;
  object_class->get_property = till_scale_get_property;
  object_class->set_property = till_scale_set_property;

  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", NULL, NULL, "none", rw);
  properties[PROP_PORT] = g_param_spec_string ("port", NULL, NULL, "", rw);
  properties[PROP_BAUD] = g_param_spec_uint ("baud", NULL, NULL, 1200, 115200, 9600, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, TILL_TYPE_SCALE_STATE,
                                              TILL_SCALE_STATE_DISCONNECTED, ro);
  properties[PROP_WEIGHT_MILLI]
      = g_param_spec_int64 ("weight-milli", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_STABLE] = g_param_spec_boolean ("stable", NULL, NULL, FALSE, ro);
  properties[PROP_TARE_MILLI] = g_param_spec_int64 ("tare-milli", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_scale_init (TillScale *self)
{
  self->fd = -1;
  self->baud = 9600;
  self->port = g_strdup ("");
  self->readings = g_array_new (FALSE, TRUE, sizeof (TillScaleReading));
}

TillScale *
till_scale_new (void)
{
  return g_object_new (TILL_TYPE_SCALE, NULL);
}
