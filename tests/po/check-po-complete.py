#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Every language in po/LINGUAS translates every message in the sources: extracts a fresh
# template from po/POTFILES.in with xgettext (the arguments of meson's 'glib' preset, as
# po/meson.build uses), merges each .po against it in a temp dir and fails on any
# untranslated or fuzzy message and on `msgfmt --check` errors. Speaks TAP.
# A new marked string that nobody translated makes this fail: that is the point. Fix it
# with `ninja -C BUILDDIR tillpoint-pot tillpoint-update-po` and translate the new entries.
import os
import re
import shutil
import subprocess
import sys
import tempfile

root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('TILL_TEST_SRCDIR', '.')

# mesonbuild/modules/i18n.py PRESET_ARGS['glib']
GLIB_PRESET = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    for tool in ('xgettext', 'msgmerge', 'msgfmt', 'msgattrib'):
        if shutil.which(tool) is None:
            print('1..0 # SKIP %s not found (install gettext)' % tool)
            return 77
    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        langs = [w for line in f for w in line.split('#', 1)[0].split()]

    tmp = tempfile.mkdtemp(prefix='till-po-')
    try:
        pot = os.path.join(tmp, 'tillpoint.pot')
        r = run(['xgettext', '--package-name=tillpoint', '-f', os.path.join(root, 'po', 'POTFILES.in'),
                 '-D', root, '-k_', '-o', pot] + GLIB_PRESET)
        print('1..%d' % (1 + 3 * len(langs)))
        if r.returncode != 0 or not os.path.exists(pot):
            print('not ok 1 - xgettext extracts the template')
            for line in (r.stderr or '').splitlines():
                print('# ' + line)
            return 1
        warnings = [l for l in r.stderr.splitlines() if 'warning' in l]
        print('ok 1 - xgettext extracts the template (%d messages)' % len(msgids_of(['msgattrib', '--no-wrap', pot], tmp)))
        for w in warnings:
            print('# xgettext: ' + w)

        failed = False
        n = 1
        for lang in langs:
            src = os.path.join(root, 'po', lang + '.po')
            merged = os.path.join(tmp, lang + '.po')
            r = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, src, pot])
            if r.returncode != 0:
                failed = True
                for k in range(3):
                    n += 1
                    print('not ok %d - %s: msgmerge failed: %s' % (n, lang, r.stderr.strip()))
                continue

            n += 1
            untrans = msgids_of(['msgattrib', '--untranslated', '--no-obsolete', '--no-wrap', merged], tmp)
            if untrans:
                failed = True
                print('not ok %d - %s: %d untranslated messages' % (n, lang, len(untrans)))
                for m in untrans:
                    print('# untranslated: %s' % m)
            else:
                print('ok %d - %s: no untranslated message' % (n, lang))

            n += 1
            fuzzy = msgids_of(['msgattrib', '--only-fuzzy', '--no-obsolete', '--no-wrap', src], tmp)
            if fuzzy:
                failed = True
                print('not ok %d - %s: %d fuzzy messages in po/%s.po' % (n, lang, len(fuzzy), lang))
                for m in fuzzy:
                    print('# fuzzy: %s' % m)
            else:
                print('ok %d - %s: no fuzzy message' % (n, lang))

            n += 1
            r = run(['msgfmt', '--check', '--statistics', '-o', os.path.join(tmp, lang + '.mo'), src])
            stats = ' '.join(r.stderr.split())
            if r.returncode != 0:
                failed = True
                print('not ok %d - %s: msgfmt --check' % (n, lang))
                for line in r.stderr.splitlines():
                    print('# ' + line)
            else:
                print('ok %d - %s: msgfmt --check (%s)' % (n, lang, stats))
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def msgids_of(cmd, tmp):
    out = run(cmd).stdout
    ids = []
    for b in out.split('\n\n'):
        ctx = re.search(r'^msgctxt "(.*)"$', b, re.M)
        m = re.search(r'^msgid "(.*)"$', b, re.M)
        if m and (m.group(1) or ctx):
            ids.append((ctx.group(1) + ' | ' if ctx else '') + m.group(1))
    return ids


sys.exit(main())
