#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The checked-in pinyin table (src/core/till-pinyin-table.h) is what
# build-aux/gen-pinyin-table.py makes from this machine's Unihan_Readings.txt (Debian
# package unicode-data); skipped with a message when the file is not there. TAP.
# Usage: check-pinyin-table.py SRCDIR [UNIHAN_READINGS]
import os
import subprocess
import sys
import tempfile

srcdir = sys.argv[1]
unihan = sys.argv[2] if len(sys.argv) > 2 else '/usr/share/unicode/Unihan_Readings.txt.bz2'
table = os.path.join(srcdir, 'src', 'core', 'till-pinyin-table.h')
generator = os.path.join(srcdir, 'build-aux', 'gen-pinyin-table.py')

print('1..1')
if not os.path.exists(unihan):
    print('ok 1 - pinyin table # SKIP %s is missing (install unicode-data)' % unihan)
    sys.exit(0)
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'table.h')
    subprocess.run([sys.executable, generator, unihan, out], check=True)
    with open(out, encoding='utf-8') as f:
        made = f.read()
with open(table, encoding='utf-8') as f:
    kept = f.read()
if made == kept:
    print('ok 1 - src/core/till-pinyin-table.h is what %s makes' % os.path.basename(unihan))
else:
    made_lines, kept_lines = made.splitlines(), kept.splitlines()
    first = next((i for i, (a, b) in enumerate(zip(made_lines, kept_lines)) if a != b),
                 min(len(made_lines), len(kept_lines)))
    print('not ok 1 - src/core/till-pinyin-table.h differs from what %s makes (line %d);'
          ' run build-aux/gen-pinyin-table.py %s src/core/till-pinyin-table.h'
          % (unihan, first + 1, unihan))
