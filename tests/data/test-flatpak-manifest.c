/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks the Flatpak manifests (release and .Devel) by parsing them with json-glib, the
 * parser flatpak-builder itself uses: runtime, sandbox permissions, pinned sources. */
#define G_LOG_DOMAIN "test-flatpak-manifest"
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  const char *file;      /* in flatpak/ */
  gboolean    devel;
} ManifestCase;

static const ManifestCase release_case = { APPLICATION_ID ".json", FALSE };
static const ManifestCase devel_case = { APPLICATION_ID ".Devel.json", TRUE };

/* What the till needs: a display (Wayland, X11 only as a fallback), the payment API,
 * and scanners, cameras and receipt printers under /dev. */
static const char *const required_finish_args[] = {
  "--socket=wayland",
  "--socket=fallback-x11",
  "--share=ipc",
  "--share=network",
  "--device=all",
  NULL
};

/* Broader than needed, or redundant (flatpak-builder-lint: --device=all already gives
 * /dev/dri). Any --filesystem is refused too (see test_finish_args). */
static const char *const forbidden_finish_args[] = {
  "--socket=x11",
  "--socket=session-bus",
  "--socket=system-bus",
  "--device=dri",
  "--talk-name=org.freedesktop.Flatpak",
  "--allow=devel",
  NULL
};

static char *
flatpak_dir (void)
{
  const char *srcdir = g_getenv ("TILL_TEST_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "flatpak", NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "..", "flatpak", NULL);
}

static JsonParser *
load_manifest (const ManifestCase *mc)
{
  g_autofree char *dir = flatpak_dir ();
  g_autofree char *path = g_build_filename (dir, mc->file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s does not parse: %s", path, error->message);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return g_steal_pointer (&parser);
}

static JsonObject *
manifest_root (JsonParser *parser)
{
  return json_node_get_object (json_parser_get_root (parser));
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && g_strcmp0 (json_node_get_string (node), value) == 0)
        return TRUE;
    }
  return FALSE;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_app_module (JsonObject *module)
{
  return g_strcmp0 (get_string (module, "name"), "tillpoint") == 0;
}

/* Every module, nested ones included, in build order. */
static void
collect_modules (JsonArray *modules,
                 GPtrArray *out)
{
  if (modules == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);

      /* A string is a path to a module file: never used here, refuse it so nothing
       * escapes these checks. */
      if (!JSON_NODE_HOLDS_OBJECT (node))
        g_error ("module %u is not an inline object", i);
      collect_modules (get_array (json_node_get_object (node), "modules"), out);
      g_ptr_array_add (out, json_node_get_object (node));
    }
}

/* ---- tests ---- */

static void
test_parses (gconstpointer data)
{
  g_autoptr(JsonParser) parser = load_manifest (data);
  JsonObject *root = manifest_root (parser);

  g_assert_cmpstr (get_string (root, "id"), ==, APPLICATION_ID);
  g_assert_null (json_object_get_member (root, "app-id"));  /* the old spelling */
  g_assert_cmpstr (get_string (root, "command"), ==, "tillpoint");
}

static void
test_runtime (gconstpointer data)
{
  g_autoptr(JsonParser) parser = load_manifest (data);
  JsonObject *root = manifest_root (parser);
  const char *version = get_string (root, "runtime-version");

  g_assert_cmpstr (get_string (root, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (get_string (root, "sdk"), ==, "org.gnome.Sdk");

  /* A numbered stable runtime ("49"), never "master" or a nightly. */
  g_assert_nonnull (version);
  g_assert_cmpuint (strlen (version), >, 0);
  for (const char *p = version; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      g_error ("runtime-version “%s” is not a number", version);
}

static void
test_finish_args (gconstpointer data)
{
  const ManifestCase *mc = data;
  g_autoptr(JsonParser) parser = load_manifest (mc);
  JsonArray *args = get_array (manifest_root (parser), "finish-args");

  g_assert_nonnull (args);
  for (guint i = 0; required_finish_args[i] != NULL; i++)
    if (!array_has_string (args, required_finish_args[i]))
      g_error ("%s: finish-args lack %s", mc->file, required_finish_args[i]);
  for (guint i = 0; forbidden_finish_args[i] != NULL; i++)
    if (array_has_string (args, forbidden_finish_args[i]))
      g_error ("%s: finish-args have %s", mc->file, forbidden_finish_args[i]);

  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      g_assert_nonnull (arg);
      /* The till keeps its data in its own XDG data dir inside the sandbox. */
      if (g_str_has_prefix (arg, "--filesystem="))
        g_error ("%s: %s: the till needs no host files", mc->file, arg);
      if (g_str_has_prefix (arg, "--env=G_MESSAGES_DEBUG") && !mc->devel)
        g_error ("%s: debug logging in the release manifest", mc->file);
    }

  if (mc->devel)
    g_assert_true (array_has_string (args, "--env=G_MESSAGES_DEBUG=all"));
}

static void
test_sources_pinned (gconstpointer data)
{
  const ManifestCase *mc = data;
  g_autoptr(JsonParser) parser = load_manifest (mc);
  g_autoptr(GPtrArray) modules = g_ptr_array_new ();
  g_autofree char *dir = flatpak_dir ();
  guint n_archives = 0;

  collect_modules (get_array (manifest_root (parser), "modules"), modules);
  g_assert_cmpuint (modules->len, >=, 3);

  for (guint m = 0; m < modules->len; m++)
    {
      JsonObject *module = g_ptr_array_index (modules, m);
      const char *name = get_string (module, "name");
      JsonArray *sources = get_array (module, "sources");

      g_assert_nonnull (name);
      g_assert_nonnull (sources);
      g_assert_cmpuint (json_array_get_length (sources), >, 0);

      for (guint s = 0; s < json_array_get_length (sources); s++)
        {
          JsonObject *source = json_array_get_object_element (sources, s);
          const char *type = get_string (source, "type");
          const char *url = get_string (source, "url");
          const char *path = get_string (source, "path");

          g_assert_nonnull (type);
          if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
            {
              if (url != NULL)
                {
                  if (!g_str_has_prefix (url, "https://"))
                    g_error ("%s: module %s: %s is not https", mc->file, name, url);
                  if (!is_sha256 (get_string (source, "sha256")))
                    g_error ("%s: module %s: %s is not pinned by a sha256 of 64 lowercase hex",
                             mc->file, name, url);
                  /* Mirrors are allowed only with the same pin; none are used. */
                  g_assert_null (json_object_get_member (source, "mirror-urls"));
                  n_archives++;
                }
              else
                g_assert_nonnull (path);
            }
          else if (g_str_equal (type, "git"))
            {
              const char *commit = get_string (source, "commit");

              if (commit == NULL || strlen (commit) != 40)
                g_error ("%s: module %s: a git source without a full commit", mc->file, name);
            }
          else if (g_str_equal (type, "dir"))
            {
              /* Only the app itself is built from the local tree. */
              if (!is_app_module (module))
                g_error ("%s: module %s: a dir source outside the app module", mc->file, name);
              g_assert_cmpstr (path, ==, "..");
            }
          else if (g_str_equal (type, "patch"))
            {
              g_autofree char *full = NULL;

              g_assert_nonnull (path);
              g_assert_null (url);
              full = g_build_filename (dir, path, NULL);
              if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
                g_error ("%s: module %s: patch %s is missing", mc->file, name, full);
            }
          else if (g_str_equal (type, "script") || g_str_equal (type, "shell"))
            g_assert_null (url);
          else
            g_error ("%s: module %s: unexpected source type %s", mc->file, name, type);
        }
    }

  /* zbar and libqrencode are not in the GNOME runtime. */
  g_assert_cmpuint (n_archives, >=, 2);
}

static void
test_app_module (gconstpointer data)
{
  const ManifestCase *mc = data;
  g_autoptr(JsonParser) parser = load_manifest (mc);
  JsonArray *modules = get_array (manifest_root (parser), "modules");
  JsonObject *app;
  JsonArray *sources;
  JsonArray *opts;

  g_assert_nonnull (modules);
  /* Last: it links against every module before it. */
  app = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_true (is_app_module (app));
  g_assert_cmpstr (get_string (app, "buildsystem"), ==, "meson");
  /* flatpak-builder refuses meson in the source dir. */
  g_assert_true (json_object_get_boolean_member_with_default (app, "builddir", FALSE));

  sources = get_array (app, "sources");
  g_assert_nonnull (sources);
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  g_assert_cmpstr (get_string (json_array_get_object_element (sources, 0), "type"), ==, "dir");

  opts = get_array (app, "config-opts");
  g_assert_nonnull (opts);
  if (mc->devel)
    {
      g_assert_true (array_has_string (opts, "-Dtest_build=true"));
      g_assert_true (array_has_string (opts, "--buildtype=debug"));
    }
  else
    {
      /* The release never carries the crash-injection points. */
      g_assert_true (array_has_string (opts, "-Dtest_build=false"));
      g_assert_false (array_has_string (opts, "-Dtest_build=true"));
      g_assert_true (array_has_string (opts, "--buildtype=release"));
    }
}

/* The .Devel manifest builds the same dependencies as the release. */
static void
test_same_dependencies (void)
{
  g_autoptr(JsonParser) release = load_manifest (&release_case);
  g_autoptr(JsonParser) devel = load_manifest (&devel_case);
  JsonObject *release_root = manifest_root (release);
  JsonObject *devel_root = manifest_root (devel);
  JsonArray *release_modules = get_array (release_root, "modules");
  JsonArray *devel_modules = get_array (devel_root, "modules");
  const char *same[] = { "id", "runtime", "runtime-version", "sdk", "command", NULL };

  for (guint i = 0; same[i] != NULL; i++)
    g_assert_cmpstr (get_string (release_root, same[i]), ==, get_string (devel_root, same[i]));

  g_assert_cmpuint (json_array_get_length (release_modules), ==,
                    json_array_get_length (devel_modules));
  for (guint i = 0; i < json_array_get_length (release_modules); i++)
    {
      JsonNode *a = json_array_get_element (release_modules, i);
      JsonNode *b = json_array_get_element (devel_modules, i);

      if (is_app_module (json_node_get_object (a)))
        continue;
      if (!json_node_equal (a, b))
        g_error ("module %u differs between the release and .Devel manifests", i);
    }
}

/* With TILL_FLATPAK_SOURCES_DIR pointing at downloaded copies of the archives (named as
 * in their URLs), their sha256 must match the pins. Skipped otherwise: no network here. */
static void
test_pins_match_downloads (void)
{
  const char *downloads = g_getenv ("TILL_FLATPAK_SOURCES_DIR");
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) modules = g_ptr_array_new ();
  guint n_checked = 0;

  if (downloads == NULL)
    {
      g_test_skip ("set TILL_FLATPAK_SOURCES_DIR to a directory with the archives");
      return;
    }

  parser = load_manifest (&release_case);
  collect_modules (get_array (manifest_root (parser), "modules"), modules);
  for (guint m = 0; m < modules->len; m++)
    {
      JsonArray *sources = get_array (g_ptr_array_index (modules, m), "sources");

      for (guint s = 0; s < json_array_get_length (sources); s++)
        {
          JsonObject *source = json_array_get_object_element (sources, s);
          const char *url = get_string (source, "url");
          g_autofree char *base = NULL;
          g_autofree char *path = NULL;
          g_autofree char *contents = NULL;
          g_autofree char *sum = NULL;
          g_autoptr(GError) error = NULL;
          gsize length;

          if (url == NULL)
            continue;
          base = g_path_get_basename (url);
          path = g_build_filename (downloads, base, NULL);
          if (!g_file_get_contents (path, &contents, &length, &error))
            g_error ("%s: %s", path, error->message);
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
          g_assert_cmpstr (sum, ==, get_string (source, "sha256"));
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  const ManifestCase *cases[] = { &release_case, &devel_case };
  const char *names[] = { "release", "devel" };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/flatpak/%s/parses", names[i]);
      g_autofree char *p2 = g_strdup_printf ("/flatpak/%s/runtime", names[i]);
      g_autofree char *p3 = g_strdup_printf ("/flatpak/%s/finish-args", names[i]);
      g_autofree char *p4 = g_strdup_printf ("/flatpak/%s/sources-pinned", names[i]);
      g_autofree char *p5 = g_strdup_printf ("/flatpak/%s/app-module", names[i]);

      g_test_add_data_func (p1, cases[i], test_parses);
      g_test_add_data_func (p2, cases[i], test_runtime);
      g_test_add_data_func (p3, cases[i], test_finish_args);
      g_test_add_data_func (p4, cases[i], test_sources_pinned);
      g_test_add_data_func (p5, cases[i], test_app_module);
    }
  g_test_add_func ("/flatpak/same-dependencies", test_same_dependencies);
  g_test_add_func ("/flatpak/pins-match-downloads", test_pins_match_downloads);

  return g_test_run ();
}
