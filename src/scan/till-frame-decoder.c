/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zbar configured for the symbologies a shop meets, plus the once-per-second de-dup. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-frame-decoder.h"

#include <string.h>
#include <zbar.h>

struct _TillFrameDecoder
{
  GObject parent_instance;

  zbar_image_scanner_t *scanner;
  GHashTable *last_accepted;   /* code -> gint64* monotonic µs */
};

G_DEFINE_FINAL_TYPE (TillFrameDecoder, till_frame_decoder, G_TYPE_OBJECT)

static const zbar_symbol_type_t enabled_symbologies[] = {
  ZBAR_QRCODE, ZBAR_EAN13, ZBAR_EAN8, ZBAR_UPCA, ZBAR_CODE128,
};

static void
till_frame_decoder_finalize (GObject *object)
{
  TillFrameDecoder *self = TILL_FRAME_DECODER (object);

  g_clear_pointer (&self->scanner, zbar_image_scanner_destroy);
  g_clear_pointer (&self->last_accepted, g_hash_table_unref);

  G_OBJECT_CLASS (till_frame_decoder_parent_class)->finalize (object);
}

static void
till_frame_decoder_class_init (TillFrameDecoderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = till_frame_decoder_finalize;
}

static void
till_frame_decoder_init (TillFrameDecoder *self)
{
  self->scanner = zbar_image_scanner_create ();
  /* Everything off (symbology 0 = all), then only what we want back on. */
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_ENABLE, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (enabled_symbologies); i++)
    zbar_image_scanner_set_config (self->scanner, enabled_symbologies[i],
                                   ZBAR_CFG_ENABLE, 1);
  /* Short Code 128 reads are the usual false positive in a noisy picture; no code a
   * shop scans with it is shorter than four characters. */
  zbar_image_scanner_set_config (self->scanner, ZBAR_CODE128, ZBAR_CFG_MIN_LEN, 4);
  /* Raw QR bytes: zbar's own charset guess turns UTF-8 Chinese into Shift-JIS mojibake.
   * We check for UTF-8 ourselves and fall back to GB18030. */
  zbar_image_scanner_set_config (self->scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  /* Scan every row and column: barcodes on a phone are small in the picture. */
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_X_DENSITY, 1);
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_Y_DENSITY, 1);

  self->last_accepted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

TillFrameDecoder *
till_frame_decoder_new (void)
{
  return g_object_new (TILL_TYPE_FRAME_DECODER, NULL);
}

/* Scans one packed gray image; adds what it finds to `codes`. */
static void
scan_packed (TillFrameDecoder *self,
             const guint8     *data,
             guint             width,
             guint             height,
             GPtrArray        *codes)
{
  zbar_image_t *image;
  int n;

  image = zbar_image_create ();
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  /* No cleanup handler: the pixels stay ours and outlive the image. */
  zbar_image_set_data (image, data, (unsigned long) width * height, NULL);

  n = zbar_scan_image (self->scanner, image);
  if (n < 0)
    g_warning ("zbar could not scan a %u×%u frame", width, height);

  for (const zbar_symbol_t *symbol = zbar_image_first_symbol (image);
       n > 0 && symbol != NULL;
       symbol = zbar_symbol_next (symbol))
    {
      zbar_symbol_type_t type = zbar_symbol_get_type (symbol);
      const char *data_bytes = zbar_symbol_get_data (symbol);
      unsigned int len = zbar_symbol_get_data_length (symbol);
      char *text = NULL;

      if (len > 0 && g_utf8_validate (data_bytes, len, NULL))
        text = g_strndup (data_bytes, len);
      else if (len > 0 && type == ZBAR_QRCODE)
        {
          /* Not UTF-8: older Chinese QR generators write GB 2312/GBK bytes. */
          text = g_convert (data_bytes, len, "UTF-8", "GB18030", NULL, NULL, NULL);
        }

      if (text == NULL || *text == '\0')
        {
          g_message ("Dropped a %s symbol of %u bytes that is empty or not text",
                     zbar_get_symbol_name (type), len);
          g_free (text);
          continue;
        }

      g_debug ("Decoded %s: %s", zbar_get_symbol_name (type), text);
      g_ptr_array_add (codes, text);
    }

  zbar_image_destroy (image);
}

/* A 3×3 box average: a webcam's per-pixel noise makes zbar's edge detector see thin
 * bars in the white spaces of a 1D barcode; smoothing takes them out. */
static guint8 *
smooth_3x3 (const guint8 *src,
            guint         width,
            guint         height)
{
  guint8 *dst = g_malloc ((gsize) width * height);

  for (guint y = 0; y < height; y++)
    {
      /* Rows and columns past the edge repeat the edge. */
      const guint8 *rows[3] = {
        src + (gsize) (y > 0 ? y - 1 : 0) * width,
        src + (gsize) y * width,
        src + (gsize) (y + 1 < height ? y + 1 : y) * width,
      };

      for (guint x = 0; x < width; x++)
        {
          guint xl = x > 0 ? x - 1 : 0;
          guint xr = x + 1 < width ? x + 1 : x;
          guint sum = 0;

          for (guint r = 0; r < 3; r++)
            sum += rows[r][xl] + rows[r][x] + rows[r][xr];
          dst[(gsize) y * width + x] = (guint8) (sum / 9);
        }
    }

  return dst;
}

GPtrArray *
till_frame_decoder_decode (TillFrameDecoder *self,
                           const guint8     *gray,
                           guint             width,
                           guint             height,
                           guint             stride)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *packed = NULL;
  const guint8 *data = gray;

  g_return_val_if_fail (TILL_IS_FRAME_DECODER (self), NULL);
  g_return_val_if_fail (gray != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && stride >= width, NULL);

  /* zbar wants rows packed back to back. */
  if (stride != width)
    {
      packed = g_malloc ((gsize) width * height);
      for (guint y = 0; y < height; y++)
        memcpy (packed + (gsize) y * width, gray + (gsize) y * stride, width);
      data = packed;
    }

  scan_packed (self, data, width, height, codes);

  /* Nothing found: once more on a smoothed copy (costs a second scan only on frames
   * without a readable code). */
  if (codes->len == 0)
    {
      g_autofree guint8 *smooth = smooth_3x3 (data, width, height);

      scan_packed (self, smooth, width, height, codes);
    }

  return g_steal_pointer (&codes);
}

gboolean
till_frame_decoder_accept (TillFrameDecoder *self,
                           const char       *code,
                           gint64            now_us)
{
  gint64 *last;

  g_return_val_if_fail (TILL_IS_FRAME_DECODER (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  last = g_hash_table_lookup (self->last_accepted, code);
  if (last != NULL && now_us - *last < TILL_FRAME_DECODER_REPEAT_US && now_us >= *last)
    return FALSE;

  /* Forget codes that can no longer block anything, so the table stays small. */
  if (g_hash_table_size (self->last_accepted) > 64)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->last_accepted);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (now_us - *(gint64 *) value >= TILL_FRAME_DECODER_REPEAT_US)
          g_hash_table_iter_remove (&iter);
    }

  g_hash_table_insert (self->last_accepted, g_strdup (code), g_memdup2 (&now_us, sizeof now_us));

  return TRUE;
}

GPtrArray *
till_frame_decoder_process (TillFrameDecoder *self,
                            const guint8     *gray,
                            guint             width,
                            guint             height,
                            guint             stride,
                            gint64            now_us,
                            TillScannerHub   *hub)
{
  g_autoptr(GPtrArray) decoded = NULL;
  GPtrArray *accepted;

  g_return_val_if_fail (TILL_IS_FRAME_DECODER (self), NULL);
  g_return_val_if_fail (hub == NULL || TILL_IS_SCANNER_HUB (hub), NULL);

  decoded = till_frame_decoder_decode (self, gray, width, height, stride);
  if (decoded == NULL)
    return g_ptr_array_new_with_free_func (g_free);

  accepted = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < decoded->len; i++)
    {
      const char *code = g_ptr_array_index (decoded, i);

      if (!till_frame_decoder_accept (self, code, now_us))
        continue;
      if (hub != NULL)
        till_scanner_hub_feed (hub, code, TILL_SCAN_SOURCE_CAMERA);
      g_ptr_array_add (accepted, g_strdup (code));
    }

  return accepted;
}
