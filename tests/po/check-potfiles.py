#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# po/POTFILES.in is complete: every file under src/ and data/ with marked strings is
# listed, and every listed file exists. Speaks TAP.
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('TILL_TEST_SRCDIR', '.')

C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|NC_|g_dngettext|g_dpgettext2|g_dcgettext|ngettext)\s*\(')
C_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
GSCHEMA_DOMAIN = re.compile(r'<schemalist[^>]*gettext-domain=')
GSCHEMA_TEXT = re.compile(r'<(summary|description)\b')


def has_marks(rel, text):
    if rel.endswith('.c') or rel.endswith('.h'):
        return C_MARK.search(C_COMMENT.sub('', text)) is not None
    if rel.endswith('.ui'):
        return 'translatable="yes"' in text
    if rel.endswith('.gschema.xml'):
        return GSCHEMA_DOMAIN.search(text) is not None and GSCHEMA_TEXT.search(text) is not None
    if rel.endswith('.desktop.in') or rel.endswith('.metainfo.xml.in') or rel.endswith('.appdata.xml.in'):
        return True
    return False


def scan():
    found = set()
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if not re.search(r'\.(c|h|ui|gschema\.xml|desktop\.in|metainfo\.xml\.in|appdata\.xml\.in)$', rel):
                    continue
                with open(path, encoding='utf-8', errors='replace') as f:
                    if has_marks(rel, f.read()):
                        found.add(rel)
    return found


def listed():
    out = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(line)
    return out


def main():
    found = scan()
    names = listed()
    listed_set = set(names)
    missing = sorted(found - listed_set)
    gone = sorted(n for n in names if not os.path.exists(os.path.join(root, n)))
    dups = sorted({n for n in names if names.count(n) > 1})
    unmarked = sorted(n for n in listed_set - found if n not in gone)

    print('1..3')
    ok = True
    if missing:
        ok = False
        print('not ok 1 - files with marked strings missing from po/POTFILES.in')
        for n in missing:
            print('# missing: %s' % n)
    else:
        print('ok 1 - every file with marked strings is in po/POTFILES.in (%d files)' % len(found))
    if gone:
        ok = False
        print('not ok 2 - po/POTFILES.in lists files that do not exist')
        for n in gone:
            print('# does not exist: %s' % n)
    else:
        print('ok 2 - every file in po/POTFILES.in exists')
    if dups:
        ok = False
        print('not ok 3 - po/POTFILES.in lists files twice')
        for n in dups:
            print('# listed twice: %s' % n)
    else:
        print('ok 3 - no file listed twice')
    for n in unmarked:
        print('# note: %s is listed but has no marked string (yet)' % n)
    return 0 if ok else 1


sys.exit(main())
