#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The layers' one-way dependencies (HACKING.md "Layers", docs/ARCHITECTURE.md), checked
on the source tree as TAP:
  1. no file outside src/ui includes GTK, GDK or libadwaita, and no meson.build outside
     src/ui (and the GTK benchmark floor) asks for gtk_dep or adw_dep;
  2. every #include of a project header points down: a layer includes only its own headers
     and those of the layers it may depend on (the table below);
  3. inside src/ui: widgets <- manager <- checkout <- the application <- demo; only the demo
     includes the simulator.
Usage: check-layers.py SOURCE_ROOT"""
import os
import re
import sys

BELOW_UI = {'core', 'store', 'staff', 'print', 'pay', 'crypto', 'wxpay', 'alipay', 'scan', 'scale',
            'app'}
ALLOWED = {
    'core': set(),
    'store': {'core'},
    'staff': {'core', 'store'},
    'print': {'core', 'store'},
    'pay': {'core', 'store'},
    'crypto': {'core'},
    'wxpay': {'core', 'crypto'},
    'alipay': {'core', 'crypto'},
    'scan': {'core'},
    'scale': set(),
    'app': (BELOW_UI - {'app'}) | {'hq'},   # the sender (till-hq-sync.c), where libpq is
    'paysim': {'core', 'crypto', 'wxpay', 'alipay'},
    'hq': {'core'},   # the head office's PostgreSQL: never the till's store, never GTK
    'ui/widgets': BELOW_UI,
    'ui/manager': BELOW_UI | {'ui/widgets'},
    'ui/checkout': BELOW_UI | {'ui/widgets', 'ui/manager'},
    'ui': BELOW_UI | {'ui/widgets', 'ui/manager', 'ui/checkout'},
    'ui/demo': BELOW_UI | {'ui/widgets', 'ui/manager', 'ui/checkout', 'ui', 'paysim'},
    '.': None,   # src/main.c: the program puts everything together
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
GUI = ('gtk/', 'gdk/', 'adwaita.h')


def main():
    root = sys.argv[1]
    src = os.path.join(root, 'src')
    headers = {}
    sources = []
    for d, _, files in os.walk(src):
        layer = os.path.relpath(d, src)
        for f in files:
            if f.endswith('.h'):
                headers[f] = layer
            if f.endswith(('.c', '.h')):
                sources.append((layer, os.path.join(d, f)))

    checks = []   # (name, [problems])

    gui = []
    for layer, path in sources:
        if layer == 'ui' or layer.startswith('ui/'):
            continue
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if m and m.group(1).startswith(GUI):
                    gui.append(f'{os.path.relpath(path, root)}:{n} includes {m.group(1)}')
    for d, _, files in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel.startswith(('src/ui', '_build', '.git', 'tests/bench')) or 'meson.build' not in files:
            continue
        with open(os.path.join(d, 'meson.build'), encoding='utf-8') as f:
            text = f.read()
        for dep in ('gtk_dep', 'adw_dep'):
            if re.search(r'\b' + dep + r'\b', text) and rel != '.':
                gui.append(f'{rel}/meson.build uses {dep}')
    checks.append(('no GTK, GDK or libadwaita outside src/ui', gui))

    unknown = sorted({layer for layer, _ in sources if layer not in ALLOWED})
    checks.append(('every folder of src/ is a known layer',
                   [f'src/{layer} is not in the table of check-layers.py' for layer in unknown]))

    upward = []
    for layer, path in sources:
        allowed = ALLOWED.get(layer)
        if allowed is None:
            continue
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = headers.get(os.path.basename(m.group(1)))
                if target is None or target == layer or target in allowed:
                    continue
                upward.append(f'{os.path.relpath(path, root)}:{n} ({layer}) includes '
                              f'{m.group(1)} ({target})')
    checks.append(('every include points down the layers', upward))

    print(f'1..{len(checks)}')
    failed = 0
    for i, (name, problems) in enumerate(checks, 1):
        if problems:
            failed += 1
            print(f'not ok {i} {name}')
            for p in problems:
                print(f'# {p}')
        else:
            print(f'ok {i} {name}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
