#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The catalog on the command line: tillpoint --import-catalog reads a GB18030 file (as
# Excel and WPS save it in China) and says so, lists every bad row with its column and
# imports nothing, refuses a garbled file at its line; --export-catalog writes UTF-8 with
# a BOM that imports back without a change; --export-stock writes the tracked products'
# levels (set by the import's stock column), minimums, costs and values, and imported back
# it moves no stock. TAP.
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

echo "1..8"

if run --import-catalog="$fixtures/catalog-zh-gb18030.csv" \
   && grep -qx 'imported 6 products (read as GB18030)' "$work/out" \
   && grep -qx 'Stock levels set for 5 products (4 stock moves).' "$work/out"; then
  ok "GB18030 import says its encoding and how many stock levels it set"
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

bom=$(printf '\357\273\277')
cr=$(printf '\r')
if run --export-stock="$work/stock.csv" \
   && grep -qx 'exported the stock of 5 products (UTF-8 with BOM)' "$work/out" \
   && [ "$(head -n 1 "$work/stock.csv")" = "${bom}barcode,plu,name,category,unit,stock,min,cost,value${cr}" ] \
   && grep -qx "6921168509256,,农夫山泉 550ml,,瓶,48,0,1.20,57.60${cr}" "$work/stock.csv" \
   && grep -qx ",100001,香蕉,,kg,12.5,0,4.00,50.00${cr}" "$work/stock.csv"; then
  ok "stock export: the tracked products' levels, minimums, costs and values"
else
  not_ok "stock export"
fi

if run --import-catalog="$work/stock.csv" \
   && grep -qx 'Stock levels set for 5 products (0 stock moves).' "$work/out" \
   && run --export-stock="$work/stock2.csv" && cmp -s "$work/stock.csv" "$work/stock2.csv"; then
  ok "stock round trip: the stock export imported back moves nothing"
else
  not_ok "stock round trip"
fi

if ! run --export-catalog="$work/no/such/dir/x.csv" && [ -s "$work/err" ]; then
  ok "export to an unwritable place fails with a message"
else
  not_ok "export to an unwritable place"
fi

exit $fail
