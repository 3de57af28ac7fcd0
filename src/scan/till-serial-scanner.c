/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serial (CDC-ACM / USB-serial) barcode scanner: termios raw mode, non-blocking reads on
 * the main loop with g_unix_fd_add, line framing, and reconnecting. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-serial-scanner.h"
#include "till-serial-scanner-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct _TillSerialScanner
{
  GObject parent_instance;

  TillScannerHub *hub;
  char *device;
  guint baud;

  int fd;
  guint watch_id;
  guint retry_id;
  gboolean connected;
  char *last_error;

  /* The line being read: at most MAX_LINE bytes are kept. */
  guint8 line[TILL_SERIAL_SCANNER_MAX_LINE];
  gsize line_len;
  gboolean line_too_long;
  gboolean line_has_garbage;
};

G_DEFINE_FINAL_TYPE (TillSerialScanner, till_serial_scanner, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_HUB,
  PROP_DEVICE,
  PROP_BAUD,
  PROP_CONNECTED,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void till_serial_scanner_reopen (TillSerialScanner *self);

static gboolean
baud_to_speed (guint    baud,
               speed_t *speed)
{
  static const struct { guint baud; speed_t speed; } table[] = {
    { 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
    { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
    { 230400, B230400 }, { 460800, B460800 }, { 500000, B500000 },
    { 576000, B576000 }, { 921600, B921600 }, { 1000000, B1000000 },
    { 1152000, B1152000 }, { 1500000, B1500000 }, { 2000000, B2000000 },
    { 2500000, B2500000 }, { 3000000, B3000000 }, { 3500000, B3500000 },
    { 4000000, B4000000 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].baud == baud)
      {
        if (speed != NULL)
          *speed = table[i].speed;
        return TRUE;
      }

  return FALSE;
}

gboolean
till_serial_scanner_baud_is_supported (guint baud)
{
  return baud_to_speed (baud, NULL);
}

static void
reset_line (TillSerialScanner *self)
{
  self->line_len = 0;
  self->line_too_long = FALSE;
  self->line_has_garbage = FALSE;
}

static void
set_connected (TillSerialScanner *self,
               gboolean           connected)
{
  if (self->connected == connected)
    return;

  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
set_last_error (TillSerialScanner *self,
                const char        *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
close_device (TillSerialScanner *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);

  if (self->fd >= 0)
    {
      if (self->line_len > 0 && !self->line_too_long)
        g_message ("Serial scanner %s: dropped an unfinished line of %zu bytes",
                   self->device, self->line_len);
      close (self->fd);
      self->fd = -1;
    }

  reset_line (self);
  set_connected (self, FALSE);
}

static void
finish_line (TillSerialScanner *self)
{
  const char *text = (const char *) self->line;
  const char *end;

  if (self->line_too_long)
    {
      g_message ("Serial scanner %s: dropped a line longer than %d bytes",
                 self->device, TILL_SERIAL_SCANNER_MAX_LINE);
      reset_line (self);
      return;
    }

  /* An empty line is the second half of CRLF, or a blank line: nothing to report. */
  if (self->line_len == 0)
    return;

  if (self->line_has_garbage)
    {
      g_message ("Serial scanner %s: dropped a %zu-byte line with control bytes",
                 self->device, self->line_len);
      reset_line (self);
      return;
    }

  if (!g_utf8_validate (text, (gssize) self->line_len, &end))
    {
      g_message ("Serial scanner %s: dropped a %zu-byte line that is not UTF-8 "
                 "(bad byte at %zu)",
                 self->device, self->line_len, (gsize) (end - text));
      reset_line (self);
      return;
    }

  {
    g_autofree char *code = g_strndup (text, self->line_len);

    /* C1 controls (U+0080–U+009F) are valid UTF-8 but never part of a code. */
    for (const char *p = code; *p; p = g_utf8_next_char (p))
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_message ("Serial scanner %s: dropped a line with control characters",
                     self->device);
          reset_line (self);
          return;
        }

    reset_line (self);
    if (self->hub == NULL)
      {
        g_message ("Serial scanner %s: no hub, dropped a code", self->device);
        return;
      }
    g_debug ("Serial scanner %s: code of %zu bytes", self->device, strlen (code));
    till_scanner_hub_feed (self->hub, code, TILL_SCAN_SOURCE_SERIAL);
  }
}

static void
take_bytes (TillSerialScanner *self,
            const guint8      *bytes,
            gsize              n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 b = bytes[i];

      if (b == '\r' || b == '\n')
        {
          finish_line (self);
          continue;
        }

      if (self->line_too_long)
        continue;

      if (self->line_len == TILL_SERIAL_SCANNER_MAX_LINE)
        {
          /* Resynchronise at the next terminator. */
          self->line_too_long = TRUE;
          continue;
        }

      if (b < 0x20 || b == 0x7f)
        self->line_has_garbage = TRUE;

      self->line[self->line_len++] = b;
    }
}

void
_till_serial_scanner_take_bytes (TillSerialScanner *self,
                                 const guint8      *bytes,
                                 gsize              n)
{
  g_return_if_fail (TILL_IS_SERIAL_SCANNER (self));
  take_bytes (self, bytes, n);
}

static void
hang_up (TillSerialScanner *self,
         const char        *why)
{
  g_autofree char *message = NULL;

  g_message ("Serial scanner %s went away (%s); trying again every %d ms",
             self->device, why, TILL_SERIAL_SCANNER_RETRY_MS);

  close_device (self);

  message = g_strdup_printf (_("The scanner at %s was disconnected."), self->device);
  set_last_error (self, message);

  till_serial_scanner_reopen (self);
}

static gboolean
fd_ready_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  TillSerialScanner *self = TILL_SERIAL_SCANNER (user_data);
  guint8 buf[512];

  /* Read what is there first: a device may send its last bytes and hang up together. */
  if (condition & G_IO_IN)
    {
      for (;;)
        {
          gssize n = read (fd, buf, sizeof buf);

          if (n > 0)
            {
              take_bytes (self, buf, (gsize) n);
              continue;
            }

          if (n < 0 && errno == EINTR)
            continue;

          if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;

          /* read() = 0 (end of file) or an error such as EIO: the device is gone. */
          self->watch_id = 0;
          hang_up (self, n == 0 ? "end of file" : g_strerror (errno));
          return G_SOURCE_REMOVE;
        }
    }

  if (condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
    {
      self->watch_id = 0;
      hang_up (self, (condition & G_IO_HUP) ? "hang-up" : "poll error");
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static int
open_device (const char *device,
             guint       baud,
             GError    **error)
{
  struct termios tio;
  speed_t speed;
  int fd;
  int saved_errno;

  if (!baud_to_speed (baud, &speed))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The scanner speed %u baud is not supported."), baud);
      return -1;
    }

  fd = open (device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT || saved_errno == ENXIO || saved_errno == ENODEV)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("No scanner is plugged in at %s."), device);
      else if (saved_errno == EACCES || saved_errno == EPERM)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                     _("Tillpoint may not use the scanner at %s. "
                       "Ask for your account to be added to the “dialout” group."), device);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Cannot open the scanner at %s: %s"), device,
                     g_strerror (saved_errno));
      return -1;
    }

  if (tcgetattr (fd, &tio) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not a serial port."), device);
      g_message ("tcgetattr(%s): %s", device, g_strerror (saved_errno));
      return -1;
    }

  /* Raw bytes: no echo, no line editing, no CR/LF translation, 8N1. The main loop polls
   * and O_NONBLOCK keeps read() from waiting; VMIN = 1, VTIME = 0 (no inter-byte timer)
   * makes an empty tty answer EAGAIN, so that read() = 0 only ever means a hang-up. With
   * VMIN = 0 Linux returns 0 for "no data" as well, and a hang-up would look the same. */
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  cfsetispeed (&tio, speed);
  cfsetospeed (&tio, speed);

  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot set up the scanner at %s: %s"), device,
                   g_strerror (saved_errno));
      return -1;
    }

  /* Whatever arrived before we were listening belongs to no one. */
  tcflush (fd, TCIFLUSH);

  return fd;
}

/* Returns TRUE when connected. */
static gboolean
try_open (TillSerialScanner *self)
{
  g_autoptr(GError) error = NULL;
  int fd;

  g_assert (self->fd < 0);

  fd = open_device (self->device, self->baud, &error);
  if (fd < 0)
    {
      /* Log once per distinct failure, not every second. */
      if (g_strcmp0 (self->last_error, error->message) != 0)
        g_message ("Serial scanner %s: %s", self->device, error->message);
      set_last_error (self, error->message);
      return FALSE;
    }

  self->fd = fd;
  reset_line (self);
  self->watch_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, fd_ready_cb, self);
  g_message ("Serial scanner %s connected at %u baud", self->device, self->baud);
  set_last_error (self, NULL);
  set_connected (self, TRUE);

  return TRUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  TillSerialScanner *self = TILL_SERIAL_SCANNER (user_data);

  if (try_open (self))
    {
      self->retry_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Close whatever is open and, if a device is set, open it now or keep trying. */
static void
till_serial_scanner_reopen (TillSerialScanner *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->fd >= 0)
    close_device (self);

  if (self->device == NULL || *self->device == '\0')
    {
      set_last_error (self, NULL);
      return;
    }

  if (!try_open (self))
    self->retry_id = g_timeout_add (TILL_SERIAL_SCANNER_RETRY_MS, retry_cb, self);
}

static void
till_serial_scanner_dispose (GObject *object)
{
  TillSerialScanner *self = TILL_SERIAL_SCANNER (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  close_device (self);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (till_serial_scanner_parent_class)->dispose (object);
}

static void
till_serial_scanner_finalize (GObject *object)
{
  TillSerialScanner *self = TILL_SERIAL_SCANNER (object);

  g_free (self->device);
  g_free (self->last_error);

  G_OBJECT_CLASS (till_serial_scanner_parent_class)->finalize (object);
}

static void
till_serial_scanner_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillSerialScanner *self = TILL_SERIAL_SCANNER (object);

  switch (prop_id)
    {
    case PROP_HUB:
      g_value_set_object (value, self->hub);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device ? self->device : "");
      break;
    case PROP_BAUD:
      g_value_set_uint (value, self->baud);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_serial_scanner_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillSerialScanner *self = TILL_SERIAL_SCANNER (object);

  switch (prop_id)
    {
    case PROP_HUB:
      self->hub = g_value_dup_object (value);
      break;
    case PROP_DEVICE:
      till_serial_scanner_set_device (self, g_value_get_string (value));
      break;
    case PROP_BAUD:
      till_serial_scanner_set_baud (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_serial_scanner_class_init (TillSerialScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = till_serial_scanner_dispose;
  object_class->finalize = till_serial_scanner_finalize;
  object_class->get_property = till_serial_scanner_get_property;
  object_class->set_property = till_serial_scanner_set_property;

  properties[PROP_HUB] =
    g_param_spec_object ("hub", NULL, NULL, TILL_TYPE_SCANNER_HUB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BAUD] =
    g_param_spec_uint ("baud", NULL, NULL, 1200, 4000000, 9600,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
till_serial_scanner_init (TillSerialScanner *self)
{
  self->fd = -1;
  self->baud = 9600;
  self->device = g_strdup ("");
}

TillSerialScanner *
till_serial_scanner_new (TillScannerHub *hub)
{
  g_return_val_if_fail (TILL_IS_SCANNER_HUB (hub), NULL);

  return g_object_new (TILL_TYPE_SERIAL_SCANNER, "hub", hub, NULL);
}

const char *
till_serial_scanner_get_device (TillSerialScanner *self)
{
  g_return_val_if_fail (TILL_IS_SERIAL_SCANNER (self), NULL);

  return self->device;
}

void
till_serial_scanner_set_device (TillSerialScanner *self,
                                const char        *device)
{
  g_return_if_fail (TILL_IS_SERIAL_SCANNER (self));

  if (device == NULL)
    device = "";

  /* Setting the same path again still reopens: that is how a person says "try now". */
  if (g_strcmp0 (self->device, device) != 0)
    {
      g_free (self->device);
      self->device = g_strdup (device);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
    }

  till_serial_scanner_reopen (self);
}

guint
till_serial_scanner_get_baud (TillSerialScanner *self)
{
  g_return_val_if_fail (TILL_IS_SERIAL_SCANNER (self), 0);

  return self->baud;
}

void
till_serial_scanner_set_baud (TillSerialScanner *self,
                              guint              baud)
{
  g_return_if_fail (TILL_IS_SERIAL_SCANNER (self));

  if (self->baud == baud)
    return;

  self->baud = baud;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAUD]);

  if (self->fd >= 0 || self->retry_id != 0)
    till_serial_scanner_reopen (self);
}

gboolean
till_serial_scanner_get_connected (TillSerialScanner *self)
{
  g_return_val_if_fail (TILL_IS_SERIAL_SCANNER (self), FALSE);

  return self->connected;
}

const char *
till_serial_scanner_get_last_error (TillSerialScanner *self)
{
  g_return_val_if_fail (TILL_IS_SERIAL_SCANNER (self), NULL);

  return self->last_error;
}
