#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build tree into a throwaway DESTDIR (`meson install --no-rebuild`) and checks
# what a desktop needs finds each other there: the binaries, the .desktop file and the icon
# it names, the metainfo and what it launches and provides, the GSettings schema. TAP.
# Usage: check-install.sh MESON BUILDDIR PREFIX BINDIR DATADIR APP_ID
set -u

meson=$1 builddir=$2 prefix=$3 bindir=$4 datadir=$5 app_id=$6

n=0
failed=0
ok() {
  n=$((n + 1))
  echo "ok $n $1"
}
not_ok() {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n $1"
}
check() { # check DESCRIPTION COMMAND...
  desc=$1
  shift
  if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi
}

destdir=$(mktemp -d "${TMPDIR:-/tmp}/tillpoint-install-XXXXXX") || exit 1
trap 'rm -rf "$destdir"' EXIT

echo "1..16"

if "$meson" install --no-rebuild --quiet --destdir "$destdir" -C "$builddir" >"$destdir.log" 2>&1; then
  ok "meson install --destdir"
else
  not_ok "meson install --destdir"
  sed 's/^/# /' "$destdir.log"
fi
rm -f "$destdir.log"

root=$destdir
bin=$root$bindir
share=$root$datadir
desktop=$share/applications/$app_id.desktop
metainfo=$share/metainfo/$app_id.metainfo.xml
icon=$share/icons/hicolor/scalable/apps/$app_id.svg
symbolic=$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg

check "bin/tillpoint is executable" test -x "$bin/tillpoint"
check "bin/tillpoint-paysim is executable" test -x "$bin/tillpoint-paysim"
check "the .desktop file is installed" test -f "$desktop"
check "the metainfo is installed" test -f "$metainfo"
check "the scalable icon is installed" test -f "$icon"
check "the symbolic icon is installed" test -f "$symbolic"
check "the GSettings schema is installed" test -f "$share/glib-2.0/schemas/$app_id.gschema.xml"

# Nothing lands outside the prefix.
outside=$(cd "$root" && find . -type f | sed 's|^\.||' | grep -v "^$prefix/" || true)
if [ -z "$outside" ]; then
  ok "every installed file is under $prefix"
else
  not_ok "every installed file is under $prefix"
  printf '%s\n' "$outside" | sed 's/^/# outside: /'
fi

if command -v desktop-file-validate >/dev/null 2>&1; then
  check "the installed .desktop file validates" desktop-file-validate "$desktop"
else
  ok "the installed .desktop file validates # SKIP desktop-file-validate not found"
fi

exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" 2>/dev/null | head -n 1)
check "Exec= ($exec_name) is an installed binary" test -x "$bin/$exec_name"

icon_name=$(sed -n 's/^Icon=//p' "$desktop" 2>/dev/null | head -n 1)
check "Icon= ($icon_name) is the installed icon" test "$icon_name" = "$app_id"

component_id=$(sed -n 's|.*<id>\(.*\)</id>.*|\1|p' "$metainfo" 2>/dev/null | head -n 1)
check "the metainfo id is $app_id" test "$component_id" = "$app_id"

launchable=$(sed -n 's|.*<launchable type="desktop-id">\(.*\)</launchable>.*|\1|p' "$metainfo" 2>/dev/null)
check "the metainfo launches the installed .desktop file ($launchable)" \
  test -f "$share/applications/$launchable"

missing=""
binaries=$(sed -n 's|.*<binary>\(.*\)</binary>.*|\1|p' "$metainfo" 2>/dev/null)
for b in $binaries; do
  [ -x "$bin/$b" ] || missing="$missing $b"
done
check "every binary the metainfo provides is installed" test -n "$binaries" -a -z "$missing"

# The translated files keep their untranslated names (merge_file ran).
check "the .desktop file has Name=Tillpoint" grep -qx 'Name=Tillpoint' "$desktop"

[ "$failed" -eq 0 ]
