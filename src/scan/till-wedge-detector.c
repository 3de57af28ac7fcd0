/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keyboard-wedge scan detection by key timing: a pure state machine, no GTK.
 *
 * Every printable key is held back. The held run stays "fast" while each key arrives at
 * most threshold_ms after the previous one (a gap of exactly threshold_ms is still fast).
 *   - a key after a longer gap (or with a time earlier than the previous key's, which we
 *     cannot trust) releases the held run as typing and starts a new run;
 *   - Enter/Tab within the threshold ends the run: a scan if it has at least min_length
 *     characters ("scanned", the key is swallowed); otherwise the run is released and the
 *     terminator passes, so a person's Enter keeps working;
 *   - Enter/Tab after a longer gap releases the run and passes;
 *   - a key without a character releases the run and passes (the UI filters modifiers
 *     out before they get here, so Shift inside a scan is fine);
 *   - flush() (the UI's timeout after the last key) releases the run.
 * The state is reset before "released"/"scanned" are emitted, so handlers may feed keys
 * again. A run longer than MAX_HELD characters (a key stuck on autorepeat) is released. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-wedge-detector.h"

#define DEFAULT_THRESHOLD_MS 30
#define DEFAULT_MIN_LENGTH   3
#define MAX_HELD             128  /* characters; the longest real code is well below */

struct _TillWedgeDetector
{
  GObject parent_instance;

  guint threshold_ms;
  guint min_length;
  GString *held;         /* UTF-8 */
  guint held_chars;      /* characters in `held` */
  guint32 last_time_ms;  /* of the last held key */
};

G_DEFINE_FINAL_TYPE (TillWedgeDetector, till_wedge_detector, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_THRESHOLD_MS,
  PROP_MIN_LENGTH,
  N_PROPS
};

enum
{
  SIGNAL_SCANNED,
  SIGNAL_RELEASED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Empties the held run and returns its text (NULL when nothing was held). */
static char *
take_held (TillWedgeDetector *self)
{
  char *text;

  if (self->held->len == 0)
    return NULL;
  text = g_strndup (self->held->str, self->held->len);
  g_string_truncate (self->held, 0);
  self->held_chars = 0;
  return text;
}

static void
release_held (TillWedgeDetector *self)
{
  g_autofree char *text = take_held (self);

  if (text != NULL)
    g_signal_emit (self, signals[SIGNAL_RELEASED], 0, text);
}

static gboolean
is_fast (TillWedgeDetector *self,
         guint32            time_ms)
{
  /* Unsigned wrap-around or a clock going backwards both land here as "not fast". */
  return time_ms >= self->last_time_ms && time_ms - self->last_time_ms <= self->threshold_ms;
}

TillWedgeResult
till_wedge_detector_key (TillWedgeDetector *self,
                         gunichar           ch,
                         gboolean           is_terminator,
                         guint32            time_ms)
{
  gboolean fast;

  g_return_val_if_fail (TILL_IS_WEDGE_DETECTOR (self), TILL_WEDGE_PASS);

  fast = self->held->len > 0 && is_fast (self, time_ms);

  if (is_terminator)
    {
      if (fast && self->held_chars >= self->min_length)
        {
          g_autofree char *code = take_held (self);

          g_signal_emit (self, signals[SIGNAL_SCANNED], 0, code);
          return TILL_WEDGE_SCANNED;
        }
      release_held (self);
      return TILL_WEDGE_PASS;
    }

  if (ch == 0 || !g_unichar_validate (ch))
    {
      release_held (self);
      return TILL_WEDGE_PASS;
    }

  if (!fast || self->held_chars >= MAX_HELD)
    release_held (self);

  g_string_append_unichar (self->held, ch);
  self->held_chars++;
  self->last_time_ms = time_ms;
  return TILL_WEDGE_HELD;
}

void
till_wedge_detector_flush (TillWedgeDetector *self)
{
  g_return_if_fail (TILL_IS_WEDGE_DETECTOR (self));

  release_held (self);
}

gboolean
till_wedge_detector_is_holding (TillWedgeDetector *self)
{
  g_return_val_if_fail (TILL_IS_WEDGE_DETECTOR (self), FALSE);

  return self->held->len > 0;
}

/* 0 means the default, 30 ms. */
void
till_wedge_detector_set_threshold (TillWedgeDetector *self,
                                   guint              threshold_ms)
{
  g_return_if_fail (TILL_IS_WEDGE_DETECTOR (self));

  if (threshold_ms == 0)
    threshold_ms = DEFAULT_THRESHOLD_MS;
  if (self->threshold_ms == threshold_ms)
    return;
  self->threshold_ms = threshold_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD_MS]);
}

guint
till_wedge_detector_get_threshold (TillWedgeDetector *self)
{
  g_return_val_if_fail (TILL_IS_WEDGE_DETECTOR (self), DEFAULT_THRESHOLD_MS);

  return self->threshold_ms;
}

/* 0 is taken as 1: an empty run is never a scan. */
void
till_wedge_detector_set_min_length (TillWedgeDetector *self,
                                    guint              min_length)
{
  g_return_if_fail (TILL_IS_WEDGE_DETECTOR (self));

  min_length = MAX (min_length, 1);
  if (self->min_length == min_length)
    return;
  self->min_length = min_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_LENGTH]);
}

static void
till_wedge_detector_finalize (GObject *object)
{
  TillWedgeDetector *self = TILL_WEDGE_DETECTOR (object);

  g_string_free (self->held, TRUE);

  G_OBJECT_CLASS (till_wedge_detector_parent_class)->finalize (object);
}

static void
till_wedge_detector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TillWedgeDetector *self = TILL_WEDGE_DETECTOR (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD_MS:
      g_value_set_uint (value, self->threshold_ms);
      break;
    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_wedge_detector_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TillWedgeDetector *self = TILL_WEDGE_DETECTOR (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD_MS:
      till_wedge_detector_set_threshold (self, g_value_get_uint (value));
      break;
    case PROP_MIN_LENGTH:
      till_wedge_detector_set_min_length (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
till_wedge_detector_class_init (TillWedgeDetectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = till_wedge_detector_finalize;
  object_class->get_property = till_wedge_detector_get_property;
  object_class->set_property = till_wedge_detector_set_property;

  /* Unlike GSettings' range, these accept anything; 0 picks the default / 1. */
  properties[PROP_THRESHOLD_MS] = g_param_spec_uint ("threshold-ms", NULL, NULL, 0, G_MAXUINT,
                                                     DEFAULT_THRESHOLD_MS, flags);
  properties[PROP_MIN_LENGTH] = g_param_spec_uint ("min-length", NULL, NULL, 0, G_MAXUINT,
                                                   DEFAULT_MIN_LENGTH, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_RELEASED] = g_signal_new ("released", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
till_wedge_detector_init (TillWedgeDetector *self)
{
  self->threshold_ms = DEFAULT_THRESHOLD_MS;
  self->min_length = DEFAULT_MIN_LENGTH;
  self->held = g_string_new (NULL);
}

/* 0 means the default threshold, 30 ms. */
TillWedgeDetector *
till_wedge_detector_new (guint threshold_ms)
{
  TillWedgeDetector *self = g_object_new (TILL_TYPE_WEDGE_DETECTOR, NULL);

  till_wedge_detector_set_threshold (self, threshold_ms);
  return self;
}
