/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zbar through TillFrameDecoder on images made at test time (QR, EAN-13, EAN-8, UPC-A,
 * Code 128), degraded the way a webcam sees them, and pushed through the same YUYV ->
 * TillCameraFrame -> gray path as live camera frames. */
#define G_LOG_DOMAIN "test-camera-decode"
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "till-camera-frame.h"
#include "till-code-image.h"
#include "till-frame-decoder.h"
#include "till-scanner-hub.h"
#include "till-test-images.h"

/* A WeChat Pay payment code: 18 digits starting 10–15. */
#define WECHAT_CODE "134567890123456789"
#define CATALOG_EAN "6901028075763"

typedef enum
{
  SYM_QR,
  SYM_EAN,      /* EAN-13, EAN-8 or UPC-A by length */
  SYM_CODE128,
} Symbology;

typedef struct
{
  const char *name;
  Symbology symbology;
  const char *text;
} CodeCase;

static const CodeCase code_cases[] = {
  { "qr-catalog-ean", SYM_QR, CATALOG_EAN },
  { "qr-wechat", SYM_QR, WECHAT_CODE },
  { "ean13", SYM_EAN, CATALOG_EAN },
  { "ean13-b", SYM_EAN, "4006381333931" },
  { "ean8", SYM_EAN, "96385074" },
  { "upca", SYM_EAN, "036000291452" },
  { "code128-wechat", SYM_CODE128, WECHAT_CODE },
  { "code128-mixed", SYM_CODE128, "R-20240311-00042" },
};

typedef enum
{
  VAR_PLAIN,
  VAR_HALF,
  VAR_DOUBLE,
  VAR_ROT5,
  VAR_ROT90,
  VAR_ROT180,
  VAR_BLUR,
  VAR_NOISE,
  VAR_LOW_CONTRAST,
  VAR_IN_FRAME,
} Variant;

static const char *const variant_names[] = {
  "plain", "scale-0.5", "scale-2", "rotate-5", "rotate-90", "rotate-180", "box-blur",
  "noise", "low-contrast", "in-camera-frame",
};

typedef struct
{
  const CodeCase *code;
  Variant variant;
} DecodeCase;

static TillCodeImage *
render (const CodeCase *code)
{
  g_autoptr(GError) error = NULL;
  TillCodeImage *image = NULL;

  switch (code->symbology)
    {
    case SYM_QR:
      image = till_code_image_render_qr (code->text, 4, &error);
      break;
    case SYM_EAN:
      image = till_test_image_render_ean (code->text, 3, 90);
      break;
    case SYM_CODE128:
      image = till_code_image_render_code128 (code->text, 3, 90, &error);
      break;
    }
  g_assert_no_error (error);
  g_assert_nonnull (image);

  return image;
}

static TillCodeImage *
degrade (const TillCodeImage *image,
         Variant              variant)
{
  switch (variant)
    {
    case VAR_PLAIN:
      return till_code_image_copy (image);
    case VAR_HALF:
      return till_test_image_scale (image, 0.5);
    case VAR_DOUBLE:
      return till_test_image_scale (image, 2.0);
    case VAR_ROT5:
      return till_test_image_rotate (image, 5.0);
    case VAR_ROT90:
      return till_test_image_rotate (image, 90.0);
    case VAR_ROT180:
      return till_test_image_rotate (image, 180.0);
    case VAR_BLUR:
      return till_test_image_box_blur (image, 1);
    case VAR_NOISE:
      /* ±32 uniform (σ ≈ 18): a webcam in a dim shop. */
      return till_test_image_add_noise (image, 32, 0x7111);
    case VAR_LOW_CONTRAST:
      {
        /* A phone screen photographed: grayish black, dim white, a little blur and
         * sensor noise. */
        g_autoptr(TillCodeImage) dim = till_test_image_contrast (image, 90, 165);
        g_autoptr(TillCodeImage) soft = till_test_image_box_blur (dim, 1);
        return till_test_image_add_noise (soft, 12, 0x5eed);
      }
    case VAR_IN_FRAME:
      {
        /* Small in a 640×480 picture, off centre, on a gray counter. */
        g_autoptr(TillCodeImage) small = till_test_image_scale (image, 0.6);
        g_assert_cmpuint (small->width, <, 600);
        return till_test_image_embed (small, 640, 480, 600 - small->width, 37, 140);
      }
    }

  g_assert_not_reached ();
}

/* Exactly what the camera worker does with a frame: YUYV -> TillCameraFrame -> gray ->
 * TillFrameDecoder. */
static GPtrArray *
decode_like_camera (TillFrameDecoder    *decoder,
                    const TillCodeImage *image)
{
  g_autoptr(TillCodeImage) even = NULL;
  g_autoptr(TillCameraFrame) frame = NULL;
  g_autofree guint8 *yuyv = NULL;
  guint stride = 0;
  GBytes *gray;

  /* YUYV carries pixels in pairs. */
  even = till_test_image_embed (image, image->width + image->width % 2, image->height,
                                0, 0, 255);
  yuyv = till_test_image_to_yuyv (even, 16, &stride);
  frame = till_camera_frame_new_from_yuyv (yuyv, even->width, even->height, stride);
  gray = till_camera_frame_get_gray (frame);
  g_assert_cmpuint (g_bytes_get_size (gray), ==, (gsize) even->width * even->height);

  return till_frame_decoder_decode (decoder, g_bytes_get_data (gray, NULL),
                                    even->width, even->height, even->width);
}

static void
save_failure (const TillCodeImage *image,
              const char          *name)
{
  g_autofree char *file = g_strdup_printf ("till-decode-fail-%s.pgm", name);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), file, NULL);

  for (char *p = file; *p; p++)
    if (*p == '/')
      *p = '_';
  if (till_test_image_save_pgm (image, path, NULL))
    g_test_message ("saved the image that failed to %s", path);
}

static void
test_decode_variant (gconstpointer data)
{
  const DecodeCase *dc = data;
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) clean = render (dc->code);
  g_autoptr(TillCodeImage) image = degrade (clean, dc->variant);
  g_autoptr(GPtrArray) codes = decode_like_camera (decoder, image);

  if (codes->len != 1)
    save_failure (image, g_test_get_path ());
  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, dc->code->text);
}

/* The demo phone's images (till_code_image_*) on a phone screen held to the webcam. */
static void
check_phone_screen (TillCodeImage *image,
                    const char    *expected)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) tilted = till_test_image_rotate (image, -4.0);
  g_autoptr(TillCodeImage) dim = till_test_image_contrast (tilted, 70, 200);
  g_autoptr(TillCodeImage) framed = till_test_image_embed (dim, 640, 480,
                                                           (640 - MIN (dim->width, 630)) / 2,
                                                           (480 - MIN (dim->height, 470)) / 2,
                                                           40);
  g_autoptr(TillCodeImage) noisy = till_test_image_add_noise (framed, 10, 42);
  g_autoptr(GPtrArray) codes = decode_like_camera (decoder, noisy);

  g_assert_cmpuint (dim->width, <=, 630);
  g_assert_cmpuint (dim->height, <=, 470);
  if (codes->len != 1)
    save_failure (noisy, g_test_get_path ());
  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, expected);
}

static void
test_payment_code_qr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillCodeImage) qr = till_code_image_render_qr (WECHAT_CODE, 6, &error);

  g_assert_no_error (error);
  check_phone_screen (qr, WECHAT_CODE);
}

static void
test_payment_code_code128 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillCodeImage) bars = till_code_image_render_code128 (WECHAT_CODE, 3, 120, &error);

  g_assert_no_error (error);
  check_phone_screen (bars, WECHAT_CODE);
}

/* Both codes on one screen, as WeChat's payment page shows them. */
static void
test_payment_code_both_on_one_screen (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) bars = till_code_image_render_code128 (WECHAT_CODE, 2, 80, NULL);
  g_autoptr(TillCodeImage) qr = till_code_image_render_qr (WECHAT_CODE, 5, NULL);
  g_autoptr(TillCodeImage) screen = till_test_image_embed (bars, 640, 480,
                                                           (640 - bars->width) / 2, 20, 255);
  g_autoptr(GPtrArray) codes = NULL;

  g_assert_cmpuint (bars->width, <=, 640);
  for (guint y = 0; y < qr->height; y++)
    memcpy (screen->pixels + (gsize) (140 + y) * screen->stride + (640 - qr->width) / 2,
            qr->pixels + (gsize) y * qr->stride, qr->width);

  codes = decode_like_camera (decoder, screen);
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, WECHAT_CODE);
  g_assert_cmpstr (g_ptr_array_index (codes, 1), ==, WECHAT_CODE);
}

static void
test_code128_symbols (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) symbols = till_code_image_code128_symbols (WECHAT_CODE, &error);
  static const guint8 data[] = { 13, 45, 67, 89, 1, 23, 45, 67, 89 };
  guint check = 105;

  g_assert_no_error (error);
  /* Start C, nine digit pairs, check, stop. */
  g_assert_cmpuint (symbols->len, ==, 12);
  g_assert_cmpuint (g_array_index (symbols, guint8, 0), ==, 105);
  for (guint i = 0; i < G_N_ELEMENTS (data); i++)
    {
      g_assert_cmpuint (g_array_index (symbols, guint8, i + 1), ==, data[i]);
      check += (i + 1) * data[i];
    }
  g_assert_cmpuint (g_array_index (symbols, guint8, 10), ==, check % 103);
  g_assert_cmpuint (g_array_index (symbols, guint8, 11), ==, 106);
}

static void
test_code128_mixed_sets (void)
{
  g_autoptr(GArray) symbols = till_code_image_code128_symbols ("AB1234", NULL);
  g_autoptr(GArray) odd = till_code_image_code128_symbols ("12345", NULL);

  /* Start B, 'A', 'B', Code C, 12, 34, check, stop. */
  g_assert_cmpuint (symbols->len, ==, 8);
  g_assert_cmpuint (g_array_index (symbols, guint8, 0), ==, 104);
  g_assert_cmpuint (g_array_index (symbols, guint8, 1), ==, 'A' - 32);
  g_assert_cmpuint (g_array_index (symbols, guint8, 3), ==, 99);
  g_assert_cmpuint (g_array_index (symbols, guint8, 4), ==, 12);
  /* Odd digit count: Start C, 12, 34, Code B, '5', check, stop. */
  g_assert_cmpuint (odd->len, ==, 7);
  g_assert_cmpuint (g_array_index (odd, guint8, 0), ==, 105);
  g_assert_cmpuint (g_array_index (odd, guint8, 3), ==, 100);
  g_assert_cmpuint (g_array_index (odd, guint8, 4), ==, '5' - 32);
}

static void
test_code128_odd_digits_decode (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) image = till_code_image_render_code128 ("1234567", 3, 60, NULL);
  g_autoptr(GPtrArray) codes = decode_like_camera (decoder, image);

  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, "1234567");
}

static void
test_code_image_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TillCodeImage) none = till_code_image_render_qr ("", 4, &error);

  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (till_code_image_render_code128 ("", 2, 40, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Code 128 set B is printable ASCII only. */
  g_assert_null (till_code_image_render_code128 ("收银", 2, 40, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (till_code_image_render_code128 ("AB\tC", 2, 40, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_qr_utf8 (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) image = till_code_image_render_qr ("https://example.cn/收银?a=1", 4, NULL);
  g_autoptr(GPtrArray) codes = decode_like_camera (decoder, image);

  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, "https://example.cn/收银?a=1");
}

static void
test_qr_module_sizes (void)
{
  g_autoptr(TillCodeImage) a = till_code_image_render_qr (WECHAT_CODE, 1, NULL);
  g_autoptr(TillCodeImage) b = till_code_image_render_qr (WECHAT_CODE, 7, NULL);

  /* Square, quiet zone of 4 white modules, and scaling by the module size. */
  g_assert_cmpuint (a->width, ==, a->height);
  g_assert_cmpuint (b->width, ==, a->width * 7);
  for (guint i = 0; i < 4 * 7; i++)
    g_assert_cmpuint (b->pixels[(gsize) i * b->stride + i], ==, 255);
  /* The finder pattern's corner module is black. */
  g_assert_cmpuint (b->pixels[(gsize) (4 * 7) * b->stride + 4 * 7], ==, 0);
}

static void
test_wrong_check_digit (void)
{
  static const char *const wrong[] = {
    "6901028075764",   /* EAN-13, check should be 3 */
    "96385075",        /* EAN-8, check should be 4 */
    "036000291453",    /* UPC-A, check should be 2 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
      g_autoptr(TillCodeImage) image = till_test_image_render_ean (wrong[i], 3, 90);
      g_autoptr(GPtrArray) codes = decode_like_camera (decoder, image);

      for (guint k = 0; k < codes->len; k++)
        g_assert_cmpstr (g_ptr_array_index (codes, k), !=, wrong[i]);
      g_assert_cmpuint (codes->len, ==, 0);
    }
}

/* Control for the test above: with the right check digit the same renderer decodes. */
static void
test_gs1_check_digit (void)
{
  g_assert_cmpint (till_test_image_gs1_check ("690102807576"), ==, '3');
  g_assert_cmpint (till_test_image_gs1_check ("9638507"), ==, '4');
  g_assert_cmpint (till_test_image_gs1_check ("03600029145"), ==, '2');
  g_assert_cmpint (till_test_image_gs1_check ("400638133393"), ==, '1');
}

static void
test_blank_frame (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) white = till_code_image_new (640, 480);
  g_autoptr(TillCodeImage) gray = till_test_image_embed (white, 640, 480, 640, 480, 128);
  g_autoptr(GPtrArray) a = decode_like_camera (decoder, white);
  g_autoptr(GPtrArray) b = decode_like_camera (decoder, gray);

  g_assert_cmpuint (a->len, ==, 0);
  g_assert_cmpuint (b->len, ==, 0);
}

static void
test_noise_frames (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();

  for (guint32 seed = 1; seed <= 6; seed++)
    {
      g_autoptr(TillCodeImage) noise = till_test_image_noise_frame (640, 480, seed * 7919);
      g_autoptr(TillCodeImage) blurred = till_test_image_box_blur (noise, seed % 3);
      g_autoptr(GPtrArray) codes = decode_like_camera (decoder, blurred);

      g_assert_cmpuint (codes->len, ==, 0);
    }
}

static void
test_stride_padding (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) image = till_test_image_render_ean ("4006381333931", 2, 60);
  guint stride = image->width + 37;
  g_autofree guint8 *padded = g_malloc ((gsize) stride * image->height);
  g_autoptr(GPtrArray) codes = NULL;

  /* Garbage in the padding must not leak into the picture. */
  memset (padded, 0, (gsize) stride * image->height);
  for (guint y = 0; y < image->height; y++)
    memcpy (padded + (gsize) y * stride, image->pixels + (gsize) y * image->stride,
            image->width);

  codes = till_frame_decoder_decode (decoder, padded, image->width, image->height, stride);
  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, "4006381333931");
}

static void
test_two_codes_in_frame (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) ean = till_test_image_render_ean ("96385074", 3, 60);
  g_autoptr(TillCodeImage) qr = till_code_image_render_qr ("R-42", 4, NULL);
  g_autoptr(TillCodeImage) frame = till_test_image_embed (ean, 640, 480, 10, 10, 255);
  g_autoptr(GPtrArray) codes = NULL;
  gboolean seen_ean = FALSE, seen_qr = FALSE;

  for (guint y = 0; y < qr->height; y++)
    memcpy (frame->pixels + (gsize) (200 + y) * frame->stride + 400,
            qr->pixels + (gsize) y * qr->stride, qr->width);

  codes = decode_like_camera (decoder, frame);
  g_assert_cmpuint (codes->len, ==, 2);
  for (guint i = 0; i < codes->len; i++)
    {
      seen_ean |= g_str_equal (g_ptr_array_index (codes, i), "96385074");
      seen_qr |= g_str_equal (g_ptr_array_index (codes, i), "R-42");
    }
  g_assert_true (seen_ean);
  g_assert_true (seen_qr);
}

static void
test_dedup_rule (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  gint64 t0 = 5 * G_USEC_PER_SEC;

  g_assert_true (till_frame_decoder_accept (decoder, WECHAT_CODE, t0));
  g_assert_false (till_frame_decoder_accept (decoder, WECHAT_CODE, t0 + 1));
  g_assert_false (till_frame_decoder_accept (decoder, WECHAT_CODE, t0 + G_USEC_PER_SEC / 2));
  g_assert_false (till_frame_decoder_accept (decoder, WECHAT_CODE, t0 + G_USEC_PER_SEC - 1));
  /* Another code is not held back by the first. */
  g_assert_true (till_frame_decoder_accept (decoder, CATALOG_EAN, t0 + 2));
  /* One second after the last acceptance, the same code counts again. */
  g_assert_true (till_frame_decoder_accept (decoder, WECHAT_CODE, t0 + G_USEC_PER_SEC));
  g_assert_false (till_frame_decoder_accept (decoder, WECHAT_CODE, t0 + G_USEC_PER_SEC + 10));
  g_assert_true (till_frame_decoder_accept (decoder, WECHAT_CODE, t0 + 3 * G_USEC_PER_SEC));
}

static void
test_dedup_many_codes (void)
{
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();

  /* Pruning the table of old codes must not forget a recent one. */
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *code = g_strdup_printf ("C%03d", i);

      g_assert_true (till_frame_decoder_accept (decoder, code, (gint64) i * G_USEC_PER_SEC));
    }
  g_assert_false (till_frame_decoder_accept (decoder, "C199", 199 * G_USEC_PER_SEC + 5));
  g_assert_true (till_frame_decoder_accept (decoder, "C000", 199 * G_USEC_PER_SEC + 5));
}

typedef struct
{
  GPtrArray *codes;
  int last_source;
} HubRecord;

static void
code_scanned_cb (TillScannerHub *hub,
                 const char     *code,
                 int             source,
                 gpointer        user_data)
{
  HubRecord *record = user_data;

  g_ptr_array_add (record->codes, g_strdup (code));
  record->last_source = source;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_codes (HubRecord *record,
                guint      n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (2000, timeout_cb, &timed_out);

  while (record->codes->len < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

/* Frames of a phone held still: only the first within a second reaches the hub. */
static void
test_process_feeds_hub_once (void)
{
  g_autoptr(TillScannerHub) hub = till_scanner_hub_new ();
  g_autoptr(TillFrameDecoder) decoder = till_frame_decoder_new ();
  g_autoptr(TillCodeImage) image = till_code_image_render_qr (WECHAT_CODE, 4, NULL);
  g_autoptr(GPtrArray) recorded = g_ptr_array_new_with_free_func (g_free);
  HubRecord record = { recorded, -1 };
  gint64 t0 = g_get_monotonic_time ();

  g_signal_connect (hub, "code-scanned", G_CALLBACK (code_scanned_cb), &record);

  for (int i = 0; i < 10; i++)
    {
      g_autoptr(GPtrArray) accepted =
        till_frame_decoder_process (decoder, image->pixels, image->width, image->height,
                                    image->stride, t0 + i * (G_USEC_PER_SEC / 15), hub);

      g_assert_cmpuint (accepted->len, ==, i == 0 ? 1 : 0);
    }
  {
    g_autoptr(GPtrArray) again =
      till_frame_decoder_process (decoder, image->pixels, image->width, image->height,
                                  image->stride, t0 + G_USEC_PER_SEC, hub);
    g_assert_cmpuint (again->len, ==, 1);
  }

  wait_for_codes (&record, 2);
  /* Let anything extra arrive, then count. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (recorded->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (recorded, 0), ==, WECHAT_CODE);
  g_assert_cmpint (record.last_source, ==, TILL_SCAN_SOURCE_CAMERA);
}

static void
test_frame_from_yuyv_colors (void)
{
  /* Two pixel pairs: studio white and black; then saturated red and blue. */
  static const guint8 yuyv[] = {
    235, 128, 16, 128,     81, 90, 41, 240,
  };
  g_autoptr(TillCameraFrame) frame = till_camera_frame_new_from_yuyv (yuyv, 4, 1, 8);
  const guint8 *gray = g_bytes_get_data (till_camera_frame_get_gray (frame), NULL);
  const guint8 *rgb = g_bytes_get_data (till_camera_frame_get_rgb (frame), NULL);

  g_assert_cmpuint (till_camera_frame_get_width (frame), ==, 4);
  g_assert_cmpuint (till_camera_frame_get_height (frame), ==, 1);
  g_assert_cmpuint (g_bytes_get_size (till_camera_frame_get_rgb (frame)), ==, 12);
  g_assert_cmpuint (gray[0], ==, 235);
  g_assert_cmpuint (gray[1], ==, 16);
  g_assert_cmpuint (gray[2], ==, 81);
  g_assert_cmpuint (gray[3], ==, 41);
  /* White and black. */
  g_assert_cmpuint (rgb[0], >=, 254);
  g_assert_cmpuint (rgb[1], >=, 254);
  g_assert_cmpuint (rgb[2], >=, 254);
  g_assert_cmpuint (rgb[3], <=, 1);
  g_assert_cmpuint (rgb[4], <=, 1);
  g_assert_cmpuint (rgb[5], <=, 1);
  /* Y=81 U=90 V=240 is BT.601 red. */
  g_assert_cmpuint (rgb[6], >=, 250);
  g_assert_cmpuint (rgb[7], <=, 5);
  g_assert_cmpuint (rgb[8], <=, 5);
  g_assert_cmpstrv (till_camera_frame_get_codes (frame), ((const char *[]) { NULL }));
}

static void
test_frame_from_gray (void)
{
  static const guint8 gray_in[] = { 0, 100, 200, 9, 9, 50, 60, 70, 9, 9 };
  g_autoptr(TillCameraFrame) frame = till_camera_frame_new_from_gray (gray_in, 3, 2, 5);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  gsize size;
  const guint8 *gray = g_bytes_get_data (till_camera_frame_get_gray (frame), &size);
  const guint8 *rgb = g_bytes_get_data (till_camera_frame_get_rgb (frame), NULL);

  g_assert_cmpuint (size, ==, 6);
  g_assert_cmpmem (gray, 3, gray_in, 3);
  g_assert_cmpmem (gray + 3, 3, gray_in + 5, 3);
  g_assert_cmpuint (rgb[3 * 4 + 0], ==, 60);
  g_assert_cmpuint (rgb[3 * 4 + 1], ==, 60);
  g_assert_cmpuint (rgb[3 * 4 + 2], ==, 60);

  g_ptr_array_add (codes, (gpointer) "A1");
  g_ptr_array_add (codes, (gpointer) "B2");
  till_camera_frame_set_codes (frame, codes);
  g_assert_cmpstrv (till_camera_frame_get_codes (frame), ((const char *[]) { "A1", "B2", NULL }));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (gsize c = 0; c < G_N_ELEMENTS (code_cases); c++)
    for (gsize v = 0; v < G_N_ELEMENTS (variant_names); v++)
      {
        DecodeCase *dc = g_new0 (DecodeCase, 1);
        g_autofree char *path = NULL;

        dc->code = &code_cases[c];
        dc->variant = (Variant) v;
        g_ptr_array_add (cases, dc);
        path = g_strdup_printf ("/camera-decode/%s/%s", code_cases[c].name, variant_names[v]);
        g_test_add_data_func (path, dc, test_decode_variant);
      }

  g_test_add_func ("/camera-decode/payment-code/qr", test_payment_code_qr);
  g_test_add_func ("/camera-decode/payment-code/code128", test_payment_code_code128);
  g_test_add_func ("/camera-decode/payment-code/both-on-one-screen",
                   test_payment_code_both_on_one_screen);
  g_test_add_func ("/camera-decode/code128/symbols-set-c", test_code128_symbols);
  g_test_add_func ("/camera-decode/code128/mixed-sets", test_code128_mixed_sets);
  g_test_add_func ("/camera-decode/code128/odd-digits", test_code128_odd_digits_decode);
  g_test_add_func ("/camera-decode/code-image/errors", test_code_image_errors);
  g_test_add_func ("/camera-decode/code-image/qr-utf8", test_qr_utf8);
  g_test_add_func ("/camera-decode/code-image/qr-module-sizes", test_qr_module_sizes);
  g_test_add_func ("/camera-decode/ean/wrong-check-digit", test_wrong_check_digit);
  g_test_add_func ("/camera-decode/ean/gs1-check-digit", test_gs1_check_digit);
  g_test_add_func ("/camera-decode/nothing/blank-frame", test_blank_frame);
  g_test_add_func ("/camera-decode/nothing/noise-frames", test_noise_frames);
  g_test_add_func ("/camera-decode/decoder/stride-padding", test_stride_padding);
  g_test_add_func ("/camera-decode/decoder/two-codes", test_two_codes_in_frame);
  g_test_add_func ("/camera-decode/dedup/rule", test_dedup_rule);
  g_test_add_func ("/camera-decode/dedup/many-codes", test_dedup_many_codes);
  g_test_add_func ("/camera-decode/dedup/process-feeds-hub-once", test_process_feeds_hub_once);
  g_test_add_func ("/camera-decode/frame/yuyv-colors", test_frame_from_yuyv_colors);
  g_test_add_func ("/camera-decode/frame/gray", test_frame_from_gray);

  return g_test_run ();
}
