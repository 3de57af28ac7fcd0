/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter scale at the counter (issue 18): a real pty is the scale (ACLAS OS2 frames
 * written on its master every 50 ms, as the scale sends them), the till's settings name
 * its slave. Goods by kg typed by their PLU take the scale's stable net weight: the cart
 * line, the customer display and the database show the same 0.532 kg and amount; a moving
 * weight is waited for, then refused; zero is refused; the tare is a real Ctrl+Shift+Z.
 * Screenshots: meson-logs/scale-cashier.png, scale-customer-display.png. */
#define G_LOG_DOMAIN "till-test"
#define _GNU_SOURCE /* posix_openpt, ptsname_r */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "till-money.h"
#include "till-preferences-window.h"
#include "till-quantity-window.h"
#include "till-ui-test.h"

#define BANANA_PLU "100001" /* 香蕉, per kg, in the demo catalog */
#define WAIT_MS 5000

typedef struct
{
  int master;
  char slave[128];
  char flag;      /* 'S' stable, 'U' unstable */
  char weight[7]; /* six characters, " 0.532" */
  guint writer_id;
} Scale;

static void
scale_write_frame (Scale *s)
{
  guint8 frame[16] = { 0x01, 0x02, (guint8)s->flag, ' ' };
  guint8 bcc = 0;

  memcpy (frame + 4, s->weight, 6);
  memcpy (frame + 10, "kg", 2);
  for (int i = 0; i < 12; i++)
    bcc ^= frame[i];
  frame[12] = bcc;
  frame[13] = 0x03;
  frame[14] = 0x04;
  frame[15] = 0x00;
  /* A full pty (nobody reading) is no failure of the test: the frame is simply lost. */
  if (write (s->master, frame, sizeof frame) < 0 && errno != EAGAIN)
    g_error ("write to the pty: %s", g_strerror (errno));
}

static gboolean
writer_cb (gpointer user_data)
{
  scale_write_frame (user_data);
  return G_SOURCE_CONTINUE;
}

static void
scale_show (Scale *s, char flag, const char *weight6)
{
  g_assert_cmpuint (strlen (weight6), ==, 6);
  s->flag = flag;
  memcpy (s->weight, weight6, 7);
}

static void
scale_open (Scale *s)
{
  s->master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  g_assert_cmpint (s->master, >=, 0);
  g_assert_cmpint (grantpt (s->master), ==, 0);
  g_assert_cmpint (unlockpt (s->master), ==, 0);
  g_assert_cmpint (ptsname_r (s->master, s->slave, sizeof s->slave), ==, 0);
  scale_show (s, 'S', " 0.000");
  s->writer_id = g_timeout_add (50, writer_cb, s);
}

static void
scale_close (Scale *s)
{
  g_clear_handle_id (&s->writer_id, g_source_remove);
  close (s->master);
}

static void
prepare_settings (GSettings *settings, gpointer data)
{
  Scale *s = data;

  g_settings_set_string (settings, "scale-protocol", "aclas-os2");
  g_settings_set_string (settings, "scale-port", s->slave);
}

static gboolean
has_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static TillScale *
fixture_scale (TillUiFixture *f)
{
  return till_context_get_scale (f->context);
}

static const char *
scale_text (TillUiFixture *f)
{
  return gtk_label_get_text (f->cashier->scale_label);
}

static gint64
banana_price (TillUiFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TillProduct) banana = till_store_lookup_plu (f->store, BANANA_PLU, &error);

  g_assert_no_error (error);
  g_assert_nonnull (banana);
  g_assert_true (banana->weighed);
  return banana->price_fen;
}

static void
type_banana (TillUiFixture *f)
{
  gtk_widget_grab_focus (GTK_WIDGET (f->cashier->code_entry));
  till_ui_type (BANANA_PLU, 40, TRUE);
}

/* The whole sale: a bowl tared with Ctrl+Shift+Z, bananas in it, the PLU typed while the
 * weight still moves; the line appears once it settles. */
static void
test_sell_weighed_goods (void)
{
  Scale s = { 0 };
  TillUiFixture *f;
  gint64 amount = 0;
  g_autofree char *amount_text = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *want_stored = NULL;
  TillSaleLine *line;

  scale_open (&s);
  f = till_ui_fixture_new_full (FALSE, prepare_settings, &s, NULL);
  g_assert_true (till_scale_get_configured (fixture_scale (f)));

  /* The empty scale. */
  TILL_UI_WAIT_FOR (g_strcmp0 (scale_text (f), "Scale 0.000 kg") == 0, WAIT_MS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->cashier->scale_label)));
  g_assert_cmpstr (till_customer_display_get_weight_text (f->display), ==, "重量 Weight 0.000 kg");

  /* The bowl, 0.200 kg, and the tare key. */
  scale_show (&s, 'S', " 0.200");
  TILL_UI_WAIT_FOR (till_scale_get_weight_milli (fixture_scale (f)) == 200
                        && till_scale_get_stable (fixture_scale (f)),
                    WAIT_MS);
  till_ui_key_control_shift ("z");
  TILL_UI_WAIT_FOR (till_scale_get_tare_milli (fixture_scale (f)) == 200, WAIT_MS);
  g_assert_true (till_ui_message_contains (f, "Tare set: 0.200 kg"));
  g_assert_cmpstr (scale_text (f), ==, "Scale 0.000 kg (tare 0.200 kg)");

  /* Bananas go in: the weight moves; the PLU is typed meanwhile. */
  scale_show (&s, 'U', " 0.745");
  TILL_UI_WAIT_FOR (!till_scale_get_stable (fixture_scale (f))
                        && till_scale_get_weight_milli (fixture_scale (f)) == 545,
                    WAIT_MS);
  g_assert_cmpstr (scale_text (f), ==, "Scale 0.545 kg, unstable (tare 0.200 kg)");
  g_assert_cmpstr (till_customer_display_get_weight_text (f->display), ==,
                   "重量 Weight 0.545 kg · 称重中 Settling… · 皮重 Tare 0.200 kg");
  type_banana (f);
  till_ui_pump (300);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);
  g_assert_null (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW)); /* nothing asked */

  /* It settles at 0.732 gross: 0.532 net. */
  scale_show (&s, 'S', " 0.732");
  TILL_UI_WAIT_FOR (till_ui_n_lines (f) == 1, WAIT_MS);
  line = till_sale_get_line (till_ui_sale (f), 0);
  g_assert_cmpint (till_sale_line_get_qty_milli (line), ==, 532);
  g_assert_true (till_money_multiply_qty (banana_price (f), 532, &amount));
  g_assert_cmpint (till_sale_line_get_final_fen (line), ==, amount);
  g_assert_cmpint (till_sale_get_total_fen (till_ui_sale (f)), ==, amount);
  amount_text = till_money_format (amount);
  TILL_UI_WAIT_FOR (g_strcmp0 (scale_text (f), "Scale 0.532 kg (tare 0.200 kg)") == 0, WAIT_MS);
  till_ui_pump (200); /* the rows are drawn */

  /* The cart line and the customer display say the same weight and amount. */
  g_assert_true (has_label (GTK_WIDGET (f->cashier->cart_view), "0.532 kg"));
  g_assert_true (has_label (GTK_WIDGET (f->cashier->cart_view), amount_text));
  g_assert_true (has_label (GTK_WIDGET (f->display), "0.532 kg"));
  g_assert_true (has_label (GTK_WIDGET (f->display), amount_text));
  g_assert_cmpstr (till_customer_display_get_total_text (f->display), ==, amount_text);
  g_assert_cmpstr (till_cashier_window_get_total_text (f->cashier), ==, amount_text);
  g_assert_cmpstr (till_customer_display_get_weight_text (f->display), ==,
                   "重量 Weight 0.532 kg · 皮重 Tare 0.200 kg");

  /* And the database. */
  stored = till_ui_query_text (f,
                               "SELECT l.qty_milli || ' ' || l.final_fen FROM sale_line l"
                               " JOIN product p ON p.id = l.product_id WHERE p.plu = ?1",
                               BANANA_PLU);
  want_stored = g_strdup_printf ("532 %" G_GINT64_FORMAT, amount);
  g_assert_cmpstr (stored, ==, want_stored);

  till_ui_screenshot (GTK_WIDGET (f->cashier), "scale-cashier");
  till_ui_screenshot (GTK_WIDGET (f->display), "scale-customer-display");

  till_ui_fixture_free (f);
  scale_close (&s);
}

/* Refusals: a weight that keeps moving (after TILL_SCALE_SETTLE_MS), zero, below zero; the
 * scale unplugged is shown, and typing the PLU then asks for the weight as without one. */
static void
test_refusals (void)
{
  Scale s = { 0 };
  TillUiFixture *f;

  scale_open (&s);
  f = till_ui_fixture_new_full (FALSE, prepare_settings, &s, NULL);

  scale_show (&s, 'U', " 0.300");
  TILL_UI_WAIT_FOR (g_strcmp0 (scale_text (f), "Scale 0.300 kg, unstable") == 0, WAIT_MS);
  type_banana (f);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "Weight is moving — wait for the scale to "
                                                 "settle"),
                    TILL_SCALE_SETTLE_MS + WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  scale_show (&s, 'S', " 0.000");
  TILL_UI_WAIT_FOR (g_strcmp0 (scale_text (f), "Scale 0.000 kg") == 0, WAIT_MS);
  type_banana (f);
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "The weight is zero"), WAIT_MS);
  g_assert_cmpuint (till_ui_n_lines (f), ==, 0);

  /* The tare key on an empty scale with no tare: nothing to clear, still "cleared". */
  till_ui_key_control_shift ("z");
  TILL_UI_WAIT_FOR (till_ui_message_contains (f, "Tare cleared"), WAIT_MS);

  g_clear_handle_id (&s.writer_id, g_source_remove);
  close (s.master);
  TILL_UI_WAIT_FOR (g_strcmp0 (scale_text (f), "Scale not connected") == 0, WAIT_MS);
  g_assert_cmpstr (till_customer_display_get_weight_text (f->display), ==, "重量 Weight —");
  type_banana (f);
  TILL_UI_WAIT_FOR (till_ui_find_window (TILL_TYPE_QUANTITY_WINDOW) != NULL, WAIT_MS);
  g_assert_true (till_ui_message_contains (f, "The scale is not connected"));
  till_ui_screenshot (GTK_WIDGET (f->cashier), "scale-cashier-unplugged");

  till_ui_fixture_free (f);
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Preferences → Devices → Counter scale: the rows follow the settings and the scale, and
 * choosing a baud rate there reaches the scale. Screenshot: scale-preferences.png. */
static void
test_preferences (void)
{
  Scale s = { 0 };
  TillUiFixture *f;
  TillPreferencesWindow *prefs;
  AdwComboRow *protocol, *baud;
  AdwActionRow *status;
  GtkWidget *port;

  scale_open (&s);
  scale_show (&s, 'S', " 0.532");
  f = till_ui_fixture_new_full (FALSE, prepare_settings, &s, NULL);
  prefs = till_preferences_window_new (GTK_WINDOW (f->cashier), f->context);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "devices");
  /* Tall enough to show the Counter scale group, the last of the page, in the screenshot. */
  gtk_window_set_default_size (GTK_WINDOW (prefs), 750, 1040);
  gtk_window_present (GTK_WINDOW (prefs));

  protocol = ADW_COMBO_ROW (find_named (GTK_WIDGET (prefs), "scale-protocol"));
  baud = ADW_COMBO_ROW (find_named (GTK_WIDGET (prefs), "scale-baud"));
  status = ADW_ACTION_ROW (find_named (GTK_WIDGET (prefs), "scale-status"));
  port = find_named (GTK_WIDGET (prefs), "scale-port");
  g_assert_cmpuint (adw_combo_row_get_selected (protocol), ==, TILL_SCALE_PROTOCOL_ACLAS_OS2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (port)), ==, s.slave);
  g_assert_cmpuint (adw_combo_row_get_selected (baud), ==, 3); /* 9600 */
  TILL_UI_WAIT_FOR (g_strcmp0 (adw_action_row_get_subtitle (status), "Connected: 0.532 kg") == 0,
                    WAIT_MS);

  adw_combo_row_set_selected (baud, 4);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "scale-baud"), ==, 19200);
  {
    guint scale_baud = 0;

    g_object_get (fixture_scale (f), "baud", &scale_baud, NULL);
    g_assert_cmpuint (scale_baud, ==, 19200);
  }
  g_assert_cmpuint (till_scale_get_state (fixture_scale (f)), !=, TILL_SCALE_STATE_DISCONNECTED);
  TILL_UI_WAIT_FOR (g_strcmp0 (adw_action_row_get_subtitle (status), "Connected: 0.532 kg") == 0,
                    WAIT_MS);
  till_ui_pump (300);
  till_ui_screenshot (GTK_WIDGET (prefs), "scale-preferences");

  adw_combo_row_set_selected (protocol, TILL_SCALE_PROTOCOL_NONE);
  g_assert_cmpstr (g_settings_get_string (f->settings, "scale-protocol"), ==, "none");
  g_assert_false (till_scale_get_configured (fixture_scale (f)));
  g_assert_cmpstr (adw_action_row_get_subtitle (status), ==,
                   "The scale is off: choose a protocol and a port");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->cashier->scale_label)));
  g_assert_cmpstr (till_customer_display_get_weight_text (f->display), ==, "");

  gtk_window_destroy (GTK_WINDOW (prefs));
  till_ui_fixture_free (f);
  scale_close (&s);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/scale/sell-weighed-goods", test_sell_weighed_goods);
  g_test_add_func ("/ui/scale/refusals", test_refusals);
  g_test_add_func ("/ui/scale/preferences", test_preferences);

  return g_test_run ();
}
