#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bilingual-po.py LANG.po OUT.mo: the bilingual-labels catalogue of one Chinese language.

Each message's translation becomes the bilingual text the till showed before its msgids
were English ("现金 Cash (F8)"): the translator comment '# bilingual: …' of the entry (escaped as a msgid is) when
it has one (written when the msgids were converted), otherwise "<translation> <English>"
(see combine()) for a message without printf conversions, otherwise the translation alone (two halves of
a format string would take the arguments twice). Plural messages keep their translation.
The result is checked and compiled with `msgfmt --check`."""
import os
import re
import subprocess
import sys
import tempfile


def unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(m.group(1), m.group(0)), s)


def escape(s):
    return s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t')


def entries(text):
    for block in re.split(r'\n\s*\n', text):
        lines = [l for l in block.splitlines() if l and not l.startswith('#~')]
        if not lines:
            continue
        comments = [l for l in lines if l.startswith('#')]
        fields = []
        for l in lines:
            if l.startswith('#'):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', l)
            if m:
                fields.append([m.group(1), unescape(m.group(2))])
            elif l.startswith('"') and fields:
                fields[-1][1] += unescape(l[1:-1])
        yield comments, fields


CONV = re.compile(r'%(?!%)')


def combine(tr, en):
    """"現金 (F8)" + "Cash (F8)" -> "現金 Cash (F8)": a suffix both share (a shortcut in
    brackets) is said once; a sentence is set off with " · " as the old msgids did."""
    m = re.search(r' (\([^()]*\))$', tr)
    if m and en.endswith(' ' + m.group(1)):
        tr = tr[:m.start()]
    return tr + (' · ' if len(en.split()) >= 4 else ' ') + en


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding='utf-8') as f:
        text = f.read()
    res = []
    for comments, fields in entries(text):
        d = dict((k, v) for k, v in fields)
        if 'msgid' not in d:
            continue
        if any(c.startswith('#,') and 'fuzzy' in c for c in comments):
            continue
        flags = [c for c in comments if c.startswith('#,')]
        msgid = d['msgid']
        if msgid and 'msgid_plural' not in d:
            old = next((unescape(c[len('# bilingual: '):]) for c in comments if c.startswith('# bilingual: ')), None)
            tr = d.get('msgstr', '')
            if old is not None:
                d['msgstr'] = old
            elif tr and tr != msgid and not CONV.search(msgid.replace('%%', '')) and re.search(r'[A-Za-z]{2}', msgid):
                d['msgstr'] = combine(tr, msgid)
        block = list(flags)
        for k, _ in fields:
            block.append('%s "%s"' % (k, escape(d[k])))
        res.append('\n'.join(block))
    with tempfile.NamedTemporaryFile('w', suffix='.po', encoding='utf-8', delete=False) as f:
        f.write('\n\n'.join(res) + '\n')
        tmp = f.name
    try:
        subprocess.run(['msgfmt', '--check', '-o', out, tmp], check=True)
    finally:
        os.unlink(tmp)


if __name__ == '__main__':
    main()
