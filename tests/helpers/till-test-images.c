/* SPDX-License-Identifier: GPL-3.0-or-later */
/* EAN/UPC rendering from the GS1 tables and camera-like degradations for zbar tests. */
#define G_LOG_DOMAIN "test-images"
#include "config.h"

#include "till-test-images.h"

#include <math.h>
#include <string.h>

#define EAN_QUIET_MODULES 12

/* GS1 General Specifications, 5.2.1.2: left-hand odd parity (set A / "L") patterns;
 * set C ("R") is their complement and set B ("G") the mirror image of set C. */
static const char *const ean_l[10] = {
  "0001101", "0011001", "0010011", "0111101", "0100011",
  "0110001", "0101111", "0111011", "0110111", "0001011",
};
/* Which of digits 2–7 of an EAN-13 use set B, by the leading digit (1 = B). */
static const char *const ean13_parity[10] = {
  "000000", "001011", "001101", "001110", "010011",
  "011001", "011100", "010101", "010110", "011010",
};

static void
append_digit (GString *bits,
              int      digit,
              char     set)
{
  for (int i = 0; i < 7; i++)
    {
      gboolean dark;

      if (set == 'A')
        dark = ean_l[digit][i] == '1';
      else if (set == 'C')
        dark = ean_l[digit][i] == '0';
      else /* 'B': set C read backwards */
        dark = ean_l[digit][6 - i] == '0';
      g_string_append_c (bits, dark ? '1' : '0');
    }
}

char
till_test_image_gs1_check (const char *digits)
{
  gsize len = strlen (digits);
  int sum = 0;

  /* From the right, weights 3, 1, 3, … */
  for (gsize i = 0; i < len; i++)
    sum += (digits[len - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);

  return (char) ('0' + (10 - sum % 10) % 10);
}

TillCodeImage *
till_test_image_render_ean (const char *digits,
                            guint       module_px,
                            guint       bar_height)
{
  g_autoptr(GString) bits = g_string_new (NULL);
  gsize len = strlen (digits);
  TillCodeImage *image;
  guint margin = module_px * 4;

  g_assert (len == 13 || len == 12 || len == 8);
  for (gsize i = 0; i < len; i++)
    g_assert (g_ascii_isdigit (digits[i]));

  g_string_append (bits, "101");
  if (len == 13)
    {
      const char *parity = ean13_parity[digits[0] - '0'];

      for (int i = 1; i <= 6; i++)
        append_digit (bits, digits[i] - '0', parity[i - 1] == '1' ? 'B' : 'A');
      g_string_append (bits, "01010");
      for (int i = 7; i <= 12; i++)
        append_digit (bits, digits[i] - '0', 'C');
    }
  else
    {
      gsize half = len / 2;   /* UPC-A: 6 + 6, EAN-8: 4 + 4, left half all set A */

      for (gsize i = 0; i < half; i++)
        append_digit (bits, digits[i] - '0', 'A');
      g_string_append (bits, "01010");
      for (gsize i = half; i < len; i++)
        append_digit (bits, digits[i] - '0', 'C');
    }
  g_string_append (bits, "101");

  image = till_code_image_new ((guint) (bits->len + 2 * EAN_QUIET_MODULES) * module_px,
                               bar_height + 2 * margin);
  for (gsize m = 0; m < bits->len; m++)
    if (bits->str[m] == '1')
      for (guint y = margin; y < margin + bar_height; y++)
        memset (image->pixels + (gsize) y * image->stride +
                (EAN_QUIET_MODULES + m) * module_px, 0, module_px);

  return image;
}

static guint8
sample_bilinear (const TillCodeImage *image,
                 double               x,
                 double               y,
                 guint8               outside)
{
  int x0 = (int) floor (x);
  int y0 = (int) floor (y);
  double fx = x - x0;
  double fy = y - y0;
  double v = 0;

  for (int dy = 0; dy <= 1; dy++)
    for (int dx = 0; dx <= 1; dx++)
      {
        int sx = x0 + dx;
        int sy = y0 + dy;
        double w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
        guint8 p = outside;

        if (sx >= 0 && sy >= 0 && (guint) sx < image->width && (guint) sy < image->height)
          p = image->pixels[(gsize) sy * image->stride + (guint) sx];
        v += w * p;
      }

  return (guint8) CLAMP (lround (v), 0, 255);
}

TillCodeImage *
till_test_image_scale (const TillCodeImage *image,
                       double               factor)
{
  guint w = MAX (1, (guint) lround (image->width * factor));
  guint h = MAX (1, (guint) lround (image->height * factor));
  TillCodeImage *out = till_code_image_new (w, h);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double sx0 = x / factor;
        double sy0 = y / factor;

        if (factor >= 1)
          out->pixels[(gsize) y * out->stride + x] =
            sample_bilinear (image, (x + 0.5) / factor - 0.5, (y + 0.5) / factor - 0.5, 255);
        else
          {
            /* Shrinking: average the source area, as a camera sensor does. */
            guint x1 = MIN (image->width, (guint) ceil ((x + 1) / factor));
            guint y1 = MIN (image->height, (guint) ceil ((y + 1) / factor));
            guint sum = 0, n = 0;

            for (guint sy = (guint) sy0; sy < y1; sy++)
              for (guint sx = (guint) sx0; sx < x1; sx++, n++)
                sum += image->pixels[(gsize) sy * image->stride + sx];
            out->pixels[(gsize) y * out->stride + x] = n ? (guint8) (sum / n) : 255;
          }
      }

  return out;
}

TillCodeImage *
till_test_image_rotate (const TillCodeImage *image,
                        double               degrees)
{
  double a = degrees * G_PI / 180.0;
  double c = cos (a), s = sin (a);
  guint w = (guint) ceil (fabs (image->width * c) + fabs (image->height * s));
  guint h = (guint) ceil (fabs (image->width * s) + fabs (image->height * c));
  double cx_in = image->width / 2.0, cy_in = image->height / 2.0;
  double cx_out = w / 2.0, cy_out = h / 2.0;
  TillCodeImage *out = till_code_image_new (w, h);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double dx = x + 0.5 - cx_out;
        double dy = y + 0.5 - cy_out;
        /* Inverse rotation: where in the source does this pixel come from? */
        double sx = c * dx + s * dy + cx_in - 0.5;
        double sy = -s * dx + c * dy + cy_in - 0.5;

        out->pixels[(gsize) y * out->stride + x] = sample_bilinear (image, sx, sy, 255);
      }

  return out;
}

TillCodeImage *
till_test_image_box_blur (const TillCodeImage *image,
                          guint                radius)
{
  TillCodeImage *tmp = till_code_image_copy (image);
  TillCodeImage *out = till_code_image_copy (image);
  int r = (int) radius;

  /* Separable: horizontal into tmp, vertical into out; edges clamp. */
  for (guint y = 0; y < image->height; y++)
    for (guint x = 0; x < image->width; x++)
      {
        guint sum = 0;

        for (int k = -r; k <= r; k++)
          {
            int sx = CLAMP ((int) x + k, 0, (int) image->width - 1);
            sum += image->pixels[(gsize) y * image->stride + (guint) sx];
          }
        tmp->pixels[(gsize) y * tmp->stride + x] = (guint8) (sum / (guint) (2 * r + 1));
      }

  for (guint y = 0; y < image->height; y++)
    for (guint x = 0; x < image->width; x++)
      {
        guint sum = 0;

        for (int k = -r; k <= r; k++)
          {
            int sy = CLAMP ((int) y + k, 0, (int) image->height - 1);
            sum += tmp->pixels[(gsize) sy * tmp->stride + x];
          }
        out->pixels[(gsize) y * out->stride + x] = (guint8) (sum / (guint) (2 * r + 1));
      }

  till_code_image_free (tmp);

  return out;
}

TillCodeImage *
till_test_image_add_noise (const TillCodeImage *image,
                           guint                amplitude,
                           guint32              seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  TillCodeImage *out = till_code_image_copy (image);

  for (guint y = 0; y < out->height; y++)
    for (guint x = 0; x < out->width; x++)
      {
        guint8 *p = out->pixels + (gsize) y * out->stride + x;
        int delta = g_rand_int_range (rand, -(gint32) amplitude, (gint32) amplitude + 1);

        *p = (guint8) CLAMP ((int) *p + delta, 0, 255);
      }

  return out;
}

TillCodeImage *
till_test_image_contrast (const TillCodeImage *image,
                          guint8               black,
                          guint8               white)
{
  TillCodeImage *out = till_code_image_copy (image);

  for (guint y = 0; y < out->height; y++)
    for (guint x = 0; x < out->width; x++)
      {
        guint8 *p = out->pixels + (gsize) y * out->stride + x;

        *p = (guint8) (black + ((int) *p * ((int) white - (int) black)) / 255);
      }

  return out;
}

TillCodeImage *
till_test_image_embed (const TillCodeImage *image,
                       guint                width,
                       guint                height,
                       guint                x,
                       guint                y,
                       guint8               background)
{
  TillCodeImage *out = till_code_image_new (width, height);

  memset (out->pixels, background, (gsize) out->stride * height);
  for (guint row = 0; row < image->height && y + row < height; row++)
    memcpy (out->pixels + (gsize) (y + row) * out->stride + x,
            image->pixels + (gsize) row * image->stride,
            MIN (image->width, width > x ? width - x : 0));

  return out;
}

TillCodeImage *
till_test_image_noise_frame (guint   width,
                             guint   height,
                             guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  TillCodeImage *out = till_code_image_new (width, height);

  for (gsize i = 0; i < (gsize) out->stride * height; i++)
    out->pixels[i] = (guint8) g_rand_int_range (rand, 64, 192);

  return out;
}

guint8 *
till_test_image_to_yuyv (const TillCodeImage *image,
                         guint                pad,
                         guint               *stride)
{
  guint row = image->width * 2 + pad;
  guint8 *yuyv = g_malloc0 ((gsize) row * image->height);

  g_assert (image->width % 2 == 0);

  for (guint y = 0; y < image->height; y++)
    {
      const guint8 *src = image->pixels + (gsize) y * image->stride;
      guint8 *dst = yuyv + (gsize) y * row;

      for (guint x = 0; x < image->width; x += 2, dst += 4)
        {
          dst[0] = src[x];
          dst[1] = 128;
          dst[2] = src[x + 1];
          dst[3] = 128;
        }
    }

  *stride = row;

  return yuyv;
}

gboolean
till_test_image_save_pgm (const TillCodeImage *image,
                          const char          *path,
                          GError             **error)
{
  g_autoptr(GString) data = g_string_new (NULL);

  g_string_append_printf (data, "P5\n%u %u\n255\n", image->width, image->height);
  for (guint y = 0; y < image->height; y++)
    g_string_append_len (data, (const char *) image->pixels + (gsize) y * image->stride,
                         image->width);

  return g_file_set_contents (path, data->str, (gssize) data->len, error);
}
