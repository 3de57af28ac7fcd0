#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The catalog on the command line: tillpoint --import-catalog reads a GB18030 file (as
# Excel and WPS save it in China) and says so, lists every bad row with its column and
# imports nothing, refuses a garbled file at its line; --export-catalog writes UTF-8 with
# a BOM that imports back without a change. TAP.
# Usage: check-catalog-cli.sh TILLPOINT SOURCE_ROOT
set -u
tillpoint=$1
fixtures=$2/tests/fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
fail=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); fail=1; echo "not ok $n - $1"; sed 's/^/# /' "$work/out" "$work/err"; }
run () { timeout 60 "$tillpoint" --data-dir="$work/data" "$@" >"$work/out" 2>"$work/err"; }

echo "1..6"

if run --import-catalog="$fixtures/catalog-zh-gb18030.csv" \
   && grep -qx 'imported 6 products (read as GB18030)' "$work/out" \
   && grep -q '“进价” (cost) was checked but not stored' "$work/out"; then
  ok "GB18030 import says its encoding and that cost and stock were left out"
else
  not_ok "GB18030 import"
fi

if ! run --import-catalog="$fixtures/catalog-bad-rows.csv" \
   && [ "$(grep -c "^$fixtures/catalog-bad-rows.csv:[0-9]*: " "$work/err")" = 8 ] \
   && grep -q 'catalog-bad-rows.csv:5: 零售价: price “12.505”' "$work/err" \
   && grep -qx 'nothing was imported (the file was read as UTF-8)' "$work/err"; then
  ok "bad rows: all eight listed with line and column, exit status 1"
else
  not_ok "bad rows"
fi

if ! run --import-catalog="$fixtures/catalog-garbled.csv" \
   && grep -q 'catalog-garbled.csv:3: the file is neither UTF-8 nor GB18030' "$work/err"; then
  ok "garbled file refused at line 3"
else
  not_ok "garbled file"
fi

if run --export-catalog="$work/one.csv" \
   && grep -qx 'exported 6 products (UTF-8 with BOM)' "$work/out" \
   && [ "$(head -c 3 "$work/one.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]; then
  ok "export: six products, UTF-8 with a BOM"
else
  not_ok "export"
fi

if run --import-catalog="$work/one.csv" \
   && grep -qx 'imported 6 products (read as UTF-8 with BOM)' "$work/out" \
   && run --export-catalog="$work/two.csv" && cmp -s "$work/one.csv" "$work/two.csv"; then
  ok "round trip: export, import, export gives the same file"
else
  not_ok "round trip"
fi

if ! run --export-catalog="$work/no/such/dir/x.csv" && [ -s "$work/err" ]; then
  ok "export to an unwritable place fails with a message"
else
  not_ok "export to an unwritable place"
fi

exit $fail
