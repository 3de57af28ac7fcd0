/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serial port listing for the preferences: which names count, their order, by-id links. */
#define G_LOG_DOMAIN "test-serial-devices"
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "till-device-list.h"

static char *
make_dev_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("till-dev-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
touch (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_serial_ports_order (void)
{
  g_autofree char *dir = make_dev_dir ();
  g_autofree char *by_id = g_build_filename (dir, "serial", "by-id", NULL);
  g_autofree char *link = g_build_filename (by_id, "usb-Zebra_DS2208-if00", NULL);
  g_autoptr(GPtrArray) ports = NULL;
  static const char *const names[] = {
    "ttyACM10", "ttyUSB0", "ttyACM2", "ttyACM0", "ttyS0", "ttyACMx", "tty", "ttyACM",
    "video0", "ttyUSB1",
  };
  static const char *const expected[] = { "ttyACM0", "ttyACM2", "ttyACM10", "ttyUSB0", "ttyUSB1" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    touch (dir, names[i]);
  g_assert_cmpint (g_mkdir_with_parents (by_id, 0700), ==, 0);
  g_assert_cmpint (symlink ("../../ttyACM2", link), ==, 0);

  ports = till_device_list_serial_ports_in (dir);
  g_assert_cmpuint (ports->len, ==, 1 + G_N_ELEMENTS (expected));

  /* The stable by-id name comes first and says which tty it is. */
  {
    TillDeviceInfo *info = g_ptr_array_index (ports, 0);

    g_assert_cmpstr (info->path, ==, link);
    g_assert_cmpstr (info->label, ==, "usb-Zebra_DS2208-if00 (ttyACM2)");
  }
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TillDeviceInfo *info = g_ptr_array_index (ports, i + 1);
      g_autofree char *path = g_build_filename (dir, expected[i], NULL);

      g_assert_cmpstr (info->path, ==, path);
      g_assert_cmpstr (info->label, ==, path);
    }

  remove_tree (dir);
}

static void
test_serial_ports_empty (void)
{
  g_autofree char *dir = make_dev_dir ();
  g_autofree char *missing = g_build_filename (dir, "nothing-here", NULL);
  g_autoptr(GPtrArray) none = till_device_list_serial_ports_in (dir);
  g_autoptr(GPtrArray) gone = till_device_list_serial_ports_in (missing);

  g_assert_nonnull (none);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_nonnull (gone);
  g_assert_cmpuint (gone->len, ==, 0);

  remove_tree (dir);
}

static void
test_serial_ports_real_dev (void)
{
  g_autoptr(GPtrArray) ports = till_device_list_serial_ports ();

  /* Whatever this machine has: every entry is a real path under /dev with a label. */
  for (guint i = 0; i < ports->len; i++)
    {
      TillDeviceInfo *info = g_ptr_array_index (ports, i);

      g_assert_true (g_str_has_prefix (info->path, "/dev/"));
      g_assert_nonnull (info->label);
      g_assert_true (g_file_test (info->path, G_FILE_TEST_EXISTS));
    }
}

static void
test_device_info (void)
{
  g_autoptr(TillDeviceInfo) a = till_device_info_new ("/dev/ttyACM0", NULL);
  g_autoptr(TillDeviceInfo) b = till_device_info_new ("/dev/ttyACM1", "Scanner");

  g_assert_cmpstr (a->label, ==, "/dev/ttyACM0");
  g_assert_cmpstr (b->label, ==, "Scanner");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/serial-devices/order-and-filter", test_serial_ports_order);
  g_test_add_func ("/serial-devices/empty-and-missing-dir", test_serial_ports_empty);
  g_test_add_func ("/serial-devices/real-dev", test_serial_ports_real_dev);
  g_test_add_func ("/serial-devices/device-info", test_device_info);

  return g_test_run ();
}
