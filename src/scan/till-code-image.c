/* SPDX-License-Identifier: GPL-3.0-or-later */
/* QR (libqrencode) and Code 128 rendering into gray memory, shared by the demo phone and
 * the camera tests. */
#define G_LOG_DOMAIN "till-scan"
#include "config.h"

#include "till-code-image.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#define QR_QUIET_MODULES 4
#define CODE128_QUIET_MODULES 10

enum
{
  CODE128_CODE_C = 99,   /* in set B: switch to set C */
  CODE128_CODE_B = 100,  /* in set C: switch to set B */
  CODE128_START_B = 104,
  CODE128_START_C = 105,
  CODE128_STOP = 106,
};

/* Bar/space widths in modules for each Code 128 symbol value (ISO/IEC 15417, table 1),
 * starting with a bar. Every symbol is 11 modules wide; the stop symbol is 13. */
static const char *const code128_widths[107] = {
  "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",
  "132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",
  "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",
  "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",
  "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
  "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",
  "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",
  "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",
  "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
  "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
  "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",
  "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",
  "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",
  "211214", "211232", "2331112",
};

TillCodeImage *
till_code_image_new (guint width,
                     guint height)
{
  TillCodeImage *image;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  image = g_new0 (TillCodeImage, 1);
  image->width = width;
  image->height = height;
  image->stride = width;
  image->pixels = g_malloc ((gsize) width * height);
  memset (image->pixels, 0xff, (gsize) width * height);

  return image;
}

TillCodeImage *
till_code_image_copy (const TillCodeImage *image)
{
  TillCodeImage *copy;

  g_return_val_if_fail (image != NULL, NULL);

  copy = g_new0 (TillCodeImage, 1);
  *copy = *image;
  copy->pixels = g_memdup2 (image->pixels, (gsize) image->stride * image->height);

  return copy;
}

void
till_code_image_free (TillCodeImage *image)
{
  if (image == NULL)
    return;

  g_free (image->pixels);
  g_free (image);
}

static void
fill_rect (TillCodeImage *image,
           guint          x,
           guint          y,
           guint          w,
           guint          h,
           guint8         value)
{
  for (guint row = y; row < y + h && row < image->height; row++)
    {
      guint8 *p = image->pixels + (gsize) row * image->stride;

      for (guint col = x; col < x + w && col < image->width; col++)
        p[col] = value;
    }
}

TillCodeImage *
till_code_image_render_qr (const char *text,
                           guint       module_px,
                           GError    **error)
{
  QRcode *qr;
  TillCodeImage *image;
  guint side;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is no code to show."));
      return NULL;
    }

  /* Version 0 lets libqrencode pick the smallest symbol; the mode hint is only a hint,
   * so an all-digit payment code still gets the compact numeric mode. */
  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    {
      g_warning ("QRcode_encodeString failed for %zu bytes: %s", strlen (text),
                 g_strerror (errno));
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This code is too long to show as a QR code."));
      return NULL;
    }

  side = ((guint) qr->width + 2 * QR_QUIET_MODULES) * module_px;
  image = till_code_image_new (side, side);

  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width; x++)
      if (qr->data[y * qr->width + x] & 1)
        fill_rect (image,
                   ((guint) x + QR_QUIET_MODULES) * module_px,
                   ((guint) y + QR_QUIET_MODULES) * module_px,
                   module_px, module_px, 0);

  QRcode_free (qr);

  return image;
}

static guint
digit_run (const char *s)
{
  guint n = 0;

  while (g_ascii_isdigit (s[n]))
    n++;

  return n;
}

GArray *
till_code_image_code128_symbols (const char *text,
                                 GError    **error)
{
  g_autoptr(GArray) symbols = NULL;
  gsize len;
  gsize i = 0;
  int set = 0;   /* 0 = not started, 'B' or 'C' */
  guint checksum;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = strlen (text);
  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is no code to show."));
      return NULL;
    }

  symbols = g_array_new (FALSE, FALSE, sizeof (guint8));

  while (i < len)
    {
      guint run = digit_run (text + i);
      guint8 value;

      /* Set C pays off from four digits on (or two, when they are the whole code). */
      if (run >= 4 || (run >= 2 && i == 0 && run == len))
        {
          guint pairs = run / 2;

          if (set == 0)
            value = CODE128_START_C, g_array_append_val (symbols, value);
          else if (set != 'C')
            value = CODE128_CODE_C, g_array_append_val (symbols, value);
          set = 'C';

          for (guint p = 0; p < pairs; p++, i += 2)
            {
              value = (guint8) ((text[i] - '0') * 10 + (text[i + 1] - '0'));
              g_array_append_val (symbols, value);
            }
          continue;
        }

      if ((guchar) text[i] < 32 || (guchar) text[i] > 126)
        {
          g_message ("Code 128: byte 0x%02x at %zu is not printable ASCII",
                     (guchar) text[i], i);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("This code has characters a barcode cannot show."));
          return NULL;
        }

      if (set == 0)
        value = CODE128_START_B, g_array_append_val (symbols, value);
      else if (set != 'B')
        value = CODE128_CODE_B, g_array_append_val (symbols, value);
      set = 'B';

      value = (guint8) (text[i] - 32);
      g_array_append_val (symbols, value);
      i++;
    }

  checksum = g_array_index (symbols, guint8, 0);
  for (guint k = 1; k < symbols->len; k++)
    checksum += k * g_array_index (symbols, guint8, k);
  checksum %= 103;

  {
    guint8 check = (guint8) checksum;
    guint8 stop = CODE128_STOP;

    g_array_append_val (symbols, check);
    g_array_append_val (symbols, stop);
  }

  return g_steal_pointer (&symbols);
}

TillCodeImage *
till_code_image_render_code128 (const char *text,
                                guint       module_px,
                                guint       bar_height,
                                GError    **error)
{
  g_autoptr(GArray) symbols = NULL;
  TillCodeImage *image;
  guint modules = 2 * CODE128_QUIET_MODULES;
  guint x;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0 && bar_height > 0, NULL);

  symbols = till_code_image_code128_symbols (text, error);
  if (symbols == NULL)
    return NULL;

  for (guint k = 0; k < symbols->len; k++)
    for (const char *w = code128_widths[g_array_index (symbols, guint8, k)]; *w; w++)
      modules += (guint) (*w - '0');

  /* A quiet band above and below as well, as on a phone screen. */
  image = till_code_image_new (modules * module_px, bar_height + 2 * module_px * 4);

  x = CODE128_QUIET_MODULES * module_px;
  for (guint k = 0; k < symbols->len; k++)
    {
      gboolean bar = TRUE;

      for (const char *w = code128_widths[g_array_index (symbols, guint8, k)]; *w; w++)
        {
          guint width = (guint) (*w - '0') * module_px;

          if (bar)
            fill_rect (image, x, module_px * 4, width, bar_height, 0);
          x += width;
          bar = !bar;
        }
    }

  return image;
}
