#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Backups on the command line (issue 17): tillpoint --backup=DIR makes a verified backup
# (a missing USB stick says so), --restore=FILE puts it back and keeps the database it
# replaced; a database damaged in the middle is refused at start with the latest good
# backup named, and left byte for byte; restored, the till's data is back. TAP.
# Usage: check-backup-cli.sh TILLPOINT SOURCE_ROOT
set -u
tillpoint=$1
fixtures=$2/tests/fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
fail=0
# No display: the start-up failure is said on standard error only.
unset DISPLAY WAYLAND_DISPLAY

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); fail=1; echo "not ok $n - $1"; sed 's/^/# /' "$work/out" "$work/err"; }
run () { timeout 60 "$tillpoint" --data-dir="$work/data" "$@" >"$work/out" 2>"$work/err"; }
sum () { sha256sum "$1" | cut -d' ' -f1; }

echo "1..7"

run --import-catalog="$fixtures/catalog-zh-gb18030.csv"
run --export-catalog="$work/before.csv"
mkdir "$work/data/backups"

if run --backup="$work/data/backups" \
   && grep -q "^Backup made and verified: $work/data/backups/tillpoint-01-[0-9]\{8\}-[0-9]\{6\}\.db$" \
        "$work/out" \
   && [ "$(ls "$work/data/backups" | wc -l)" = 1 ]; then
  ok "--backup: one verified file named by till and time"
else
  not_ok "--backup"
fi
backup=$(ls "$work/data/backups"/tillpoint-01-*.db | head -n 1)

if ! run --backup="$work/usb-stick" \
   && grep -q 'is not there (is the USB stick or the network share connected?)' "$work/err" \
   && [ ! -e "$work/usb-stick" ]; then
  ok "--backup to a missing USB stick says so"
else
  not_ok "missing USB stick"
fi

# A change after the backup, then the backup restored: the catalog is as it was.
printf 'barcode,name,price\n6900000000014,Added after the backup,1.00\n' >"$work/later.csv"
if run --import-catalog="$work/later.csv" \
   && run --restore="$backup" </dev/null \
   && grep -q "^Restored $backup\.$" "$work/out" \
   && grep -q "^The database it replaced is kept as $work/data/tillpoint-replaced-.*\.db\.$" \
        "$work/out" \
   && run --export-catalog="$work/after.csv" && cmp -s "$work/before.csv" "$work/after.csv"; then
  ok "--restore: the catalog as it was at the backup, the replaced database kept"
else
  not_ok "--restore"
fi

if [ "$(ls "$work/data"/tillpoint-replaced-*.db | wc -l)" = 1 ] \
   && grep -q 'Added after the backup' "$(ls "$work/data"/tillpoint-replaced-*.db)"; then
  ok "the replaced database holds the change made after the backup"
else
  not_ok "replaced database"
fi

# Bytes overwritten in the middle of the database.
pages=$(( $(stat -c %s "$work/data/tillpoint.db") / 4096 ))
head -c 600 /dev/zero | tr '\000' '\245' \
  | dd of="$work/data/tillpoint.db" bs=1 seek=$(( (pages / 2) * 4096 )) conv=notrunc 2>/dev/null
damaged=$(sum "$work/data/tillpoint.db")

# (The start itself, in a window with the backup offered, is /ui/app/startup-failure/*.)
if ! run --backup="$work/data/backups" \
   && grep -q "no backup was made: .*tillpoint.db” is damaged" "$work/err" \
   && [ "$(sum "$work/data/tillpoint.db")" = "$damaged" ] \
   && [ "$(ls "$work/data/backups" | wc -l)" = 1 ]; then
  ok "a damaged database is refused by --backup and left byte for byte"
else
  not_ok "damaged database"
fi

printf 'not a database at all, some text\n' >"$work/junk.db"
if ! run --restore="$work/junk.db" </dev/null \
   && grep -q 'the backup cannot be restored' "$work/err" \
   && [ "$(sum "$work/data/tillpoint.db")" = "$damaged" ]; then
  ok "--restore of a file that is no backup is refused, nothing moved"
else
  not_ok "--restore of junk"
fi

if run --restore="$backup" </dev/null \
   && aside=$(sed -n 's/^The database it replaced is kept as \(.*\)\.$/\1/p' "$work/out") \
   && [ "$(sum "$aside")" = "$damaged" ] \
   && run --export-catalog="$work/again.csv" && cmp -s "$work/before.csv" "$work/again.csv"; then
  ok "--restore over the damaged database: it is kept aside byte for byte, the data is back"
else
  not_ok "--restore over the damaged database"
fi

exit $fail
