#!/usr/bin/env python3
"""english-msgids.py ROOT [--dry-run]

Turns Tillpoint's bilingual msgids ("现金 Cash (F8)", "支付成功 · Paid") into English msgids
("Cash (F8)", "Paid") in every file of ROOT/po/POTFILES.in (C sources, .ui, gschema,
metainfo, desktop) and in every ROOT/po/*.po: the msgid becomes the English text, the
msgstr of each language stays as it was. Re-runnable and idempotent: it only touches
msgids that still contain a CJK character and are not in KEEP; a second run changes
nothing. Prints, at the end, every bilingual msgid it could not split safely (add it to
MANUAL and run again) and every collision (two old msgids giving one English msgid with
different translations).

For the bilingual-labels catalog it writes, in each zh .po, a translator comment
"# bilingual: <old msgid>" on the converted entry (zh_TW: the same shape with its own
Chinese when the old msgid was "<zh_CN msgstr><sep><English>"); build-aux/bilingual-po.py
builds the bilingual catalogue from them. msgmerge keeps translator comments.

Rules for the English of one msgid (the first that passes the checks wins):
  1. MANUAL[old] (a string, or a dict {'en': ..., 'zh_CN': ..., 'zh_TW': ...} when the
     translations must change too);
  2. old == <zh_CN msgstr><sep><rest> with sep in (' · ', ' ', '· ', '') -> rest;
  3. every run of CJK characters (with CJK punctuation) is removed, with the separators
     it leaves behind.
Checks: the English has no CJK, has a Latin letter, and its printf conversions (types, in
order, positional numbers resolved) are exactly the old msgid's, so every call site
stays correct without being touched.
"""
import os
import re
import subprocess
import sys

CJK = re.compile(r'[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]')
CJK_RUN = re.compile(
    r'[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]'
    r'(?:[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef/ ]*'
    r'[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])?')

# msgids that contain Chinese on purpose and are not bilingual labels: Chinese search
# terms of the .desktop and metainfo files, and the names of fields in Alipay's Chinese
# bill (the English message names the column the file lacks).
KEEP = {
    'POS;point of sale;till;cashier;checkout;cash register;barcode;scanner;shop;retail;receipt;收银;收银台;收款;结账;扫码;小票;',
    '收银',
    'the list of the day’s trades (业务明细列表) is missing',
    'the summary’s 交易合计 does not match the rows',
    'the summary’s 退款合计 does not match the rows',
    "File of the Alipay public key (支付宝公钥, PEM or bare Base64) that verifies Alipay's answers.",
}

# Hand-written English for what the rules cannot split (printed by a run without them).
# "%.0s" swallows an argument the English does not show (the call site passes the same
# value twice, once for each language); the Chinese translations already do the same.
MANUAL = {
    '微信支付 · 付款码': 'WeChat Pay · Payment code',
    '支付宝 · 付款码': 'Alipay · Payment code',
    '时间 %s': 'Time %s',
    '收银员 %s': 'Cashier %s',
    '导出 CSV': 'Export CSV',
    '密码错误 %s': 'Wrong PIN %s',
    '(无 none)': '(none)',
    '%s（未找到 not found）': '%s (not found)',
    '58 毫米 58 mm (32 columns)': '58 mm (32 columns)',
    '80 毫米 80 mm (48 columns)': '80 mm (48 columns)',
    '日 Day': 'Day',
    '请退还现金 %s · Give %s back in cash': '%.0sGive %s back in cash',
    '%s请退还现金 %s · Give %s back in cash': '%s%.0sGive %s back in cash',
    '正在退款 %s… · Sending the refund of %s…': '%.0sSending the refund of %s…',
    '%s退款 %s 已受理，款项将原路退回 · Refund of %s accepted: the money goes back to the customer’s account':
        '%s%.0sRefund of %s accepted: the money goes back to the customer’s account',
    '%s退款 %s 已排队 · Refund of %s queued: it will be sent when the payment service is reachable':
        '%s%.0sRefund of %s queued: it will be sent when the payment service is reachable',
    '剩余 %1$<PRId64> 秒 · %1$<PRId64> s left — 取消 Cancel: Esc / F10': '%1$<PRId64> s left — Cancel: Esc / F10',
    '%s 日结：点钞 %s，%s。日结后该日不能再更改。Close %s with %s counted (%s); the day cannot change afterwards.':
        '%.0s%.0s%.0sClose %s with %s counted (%s); the day cannot change afterwards.',
    '小票 %s 退款 %s：%s · Refund %s of sale %s: %s': '%.0s%.0s%.0sRefund %s of sale %s: %s',
    "对账有差异 %u difference with the provider's bill": {
        'en': "%u difference with the provider's bill",
        'plural': "%u differences with the provider's bill"},
    '离线 — 仅收现金 · Offline — cash only (the payment API cannot be reached)':
        'Offline — cash only (the payment API cannot be reached)',
    '扫码或输入条码 / PLU · Scan or type a code, Enter': 'Scan or type a code, Enter',
    '例如 Examples: /dev/usb/lp0 (USB) · 192.168.1.50:9100 (网络 network) · system (系统打印机 system printer) · file:/tmp/receipt.bin (文件 file)':
        'Examples: /dev/usb/lp0 (USB) · 192.168.1.50:9100 (network) · system (system printer) · file:/tmp/receipt.bin (file)',
    '密码 PIN (Enter = 签到 sign in)': 'PIN (Enter = sign in)',
    '密码 PIN (4–12 位数字 digits)': 'PIN (4–12 digits)',
    '退款 Refund · %s': 'Refund · %s',
    '日结 Z 报表 Day close (Z report)  %s\n': 'Day close (Z report)  %s\n',
    '退款 %s 异常，请在微信支付商户平台处理 · The refund of %s is stuck at WeChat Pay: handle it in the merchant platform':
        '%.0sThe refund of %s is stuck at WeChat Pay: handle it in the merchant platform',
    '退款 %s 异常，请在支付宝商家平台处理 · The refund of %s is stuck at Alipay: handle it in the merchant platform':
        '%.0sThe refund of %s is stuck at Alipay: handle it in the merchant platform',
    '退款 %s 已受理，款项将原路退回 · Refund of %s accepted: the money goes back to the customer’s account':
        '%.0sRefund of %s accepted: the money goes back to the customer’s account',
    '退款 %s 已排队 · Refund of %s queued: it will be sent when the payment service is reachable':
        '%.0sRefund of %s queued: it will be sent when the payment service is reachable',
    '已退款 %s · Refunded %s': '%.0sRefunded %s',
    '退款 %s 失败 · The refund of %s was refused: %s': '%.0sThe refund of %s was refused: %s',
    '退款 %s 已关闭 · The refund of %s was closed by WeChat Pay; nothing was refunded':
        '%.0sThe refund of %s was closed by WeChat Pay; nothing was refunded',
    '退款 %s 已关闭 · The refund of %s was closed by Alipay; nothing was refunded':
        '%.0sThe refund of %s was closed by Alipay; nothing was refunded',
    '实收不足 Not enough: at least %s — 部分现金请按 Ctrl+Enter · Ctrl+Enter takes it as part cash':
        'Not enough: at least %s — Ctrl+Enter takes it as part cash',
    '部分现金须少于应收 %s · Part cash must be less than the amount due; Enter takes the whole amount':
        '%.0sPart cash must be less than the amount due; Enter takes the whole amount',
    '支付成功 Paid — 单号 Sale %s. 扫下一件或按 F12 开始下一单 · Scan or F12 for the next sale':
        'Paid — Sale %s. Scan or F12 for the next sale',
    '已收现金 %s Part cash taken — 扫付款码或按 F8 收余款 · scan a payment code or F8 for the rest':
        'Part cash of %s taken — scan a payment code or F8 for the rest',
    '%u 行 lines · %<PRId64> 件 items': '%u lines · %<PRId64> items',
    '找零 Change %s — 已付款 Paid. 扫下一件或按 F12 开始下一单 · Scan or F12 for the next sale':
        'Change %s — Paid. Scan or F12 for the next sale',
    '训练模式 DEMO — 不是真实销售 · Training mode, sales are not real — 演示 PIN Demo PINs: %s':
        'DEMO — Training mode, sales are not real — Demo PINs: %s',
    '正在检查未完成的付款… · Checking unfinished payments… — try again in a moment':
        'Checking unfinished payments… — try again in a moment',
    '小票 Sale %s · %s · %s · %s': 'Sale %s · %s · %s · %s',
    '%s · 已付 paid %s · 已退 refunded %s · 可退 refundable %s': '%s · paid %s · refunded %s · refundable %s',
    '作废 %u 笔 voids (%s) · 退款 %u 笔 refunds (%s)': '%u voids (%s) · %u refunds (%s)',
    '一致 Matched %<PRId64> · 收银机无记录 Missing at the till %<PRId64> · 账单无记录 Missing at the provider %<PRId64> · 金额不符 Amount differences %<PRId64> · 状态不符 State differences %<PRId64>':
        'Matched %<PRId64> · Missing at the till %<PRId64> · Missing at the provider %<PRId64> · Amount differences %<PRId64> · State differences %<PRId64>',
    '支付宝：正在输入密码… · Alipay: the customer confirms with the password (8 s)':
        'Alipay: the customer confirms with the password (8 s)',
    '%s：正在启动… starting…': '%s: starting…',
    # Two old msgids with one English and different Chinese: distinct English, or a context.
    '单号 Sale': 'Sale no.',
    '查看报表 Reports': 'View reports',
    '退款明细 Refunds': 'Refund details',
    '备用金 Opening float': 'Float',
    '签到/换班 Sign in': 'Sign in / change cashier',
    'Tillpoint 收银 Cashier': 'Tillpoint Cashier',
    'Tillpoint 收银 Cashier %s': 'Tillpoint Cashier %s',
    '训练模式 DEMO — Tillpoint 收银 Cashier %s': 'DEMO — Tillpoint Cashier %s',
    '项目 Item': 'Entry',
    '退款金额 Amount': 'Refund amount',
    '金额 Total': 'Amount',
    '差异 Difference': 'Discrepancy',
    '系统打印 Print': 'System printer',
    '退款原因 Reason': 'Refund reason',
    '汇总 Summary': 'Totals',
    '（未记录 none）': '(not recorded)',
    '数量 Count': 'Quantity',
    '笔数 Count': 'Payments',
    '方式 Method': 'Paid by',
    '已付款 Paid': {'en': 'Paid', 'ctx': 'sale state'},
    '已退款 Refunded': {'en': 'Refunded', 'ctx': 'sale state'},
    '小店收银台 Point of sale for small shops': 'A till for small shops',
    '退款金额必须大于零 The amount must be more than zero': 'The refund amount must be more than zero',
    '请填写退款原因 A reason is required': 'A refund reason is required',
    '付款进行中或已部分付款，不能删除 · The cart is locked: a payment is in progress or part of it is paid':
        'The cart is locked: a payment is in progress or part of it is paid, so no line can be voided',
    '这一单正在付款，请等待结果 · A payment for this sale is still in progress — wait for it':
        'A payment for this sale is in progress — wait for its result',
    '找不到小票 No sale with number %s': 'No sale with number %s (no such receipt)',
    '保存失败 The sale could not be saved': 'Saving failed: the sale could not be saved',
    '支付宝网关 Alipay gateway URL': 'Alipay gateway',
    '支付宝 AppID Alipay app ID': 'Alipay AppID',
    '应用私钥文件 Alipay app private key file': 'App private key file',
    # Preferences' page titles ("Till", "Payment") beside the same words elsewhere.
    '收银台 Till': {'en': 'Till', 'ctx': 'preferences page'},
    '支付 Payment': {'en': 'Payment', 'ctx': 'preferences page'},
}


# English msgids of an earlier run that were wrong, renamed on every tree that has them
# (the old bilingual text in the '# bilingual:' comment stays).
RENAME = {
    'Sales report %s\n': 'Sales report  %s\n',
    'Bill rows: %u Till records: %u\n': 'Bill rows: %u   Till records: %u\n',
    '%s… starting…': '%s: starting…',
    'Receipt not found: no sale with number %s': 'No sale with number %s (no such receipt)',
}


def conversions(s):
    """The printf conversions of s as a list of (argument number, type); '%%' skipped."""
    out = []
    n = 0
    for m in re.finditer(r'%(?:(\d+)\$)?[-+ #0\']*(\d+|\*)?(?:\.(\d+|\*))?(hh|h|ll|l|L|z|j|t)?'
                         r'(<PRI[a-zA-Z0-9]+>|[diouxXeEfFgGaAcspn%])', s):
        if m.group(5) == '%':
            continue
        if m.group(1):
            num = int(m.group(1))
        else:
            n += 1
            num = n
        typ = m.group(5)
        if typ.startswith('<'):
            typ = 'i64'
        elif typ in 'diouxXc':
            typ = (m.group(4) or '') + 'int'
        out.append((num, typ))
    return sorted(set(out))


def has_latin(s):
    return re.search(r'[A-Za-z]{2}', re.sub(r'%(\d+\$)?[-.0-9]*(<PRI\w+>|[a-zA-Z])', '', s)) is not None


def latin_inside_chinese(s):
    """Latin bits that belong to the Chinese half: between two CJK runs with no English word,
    or after a CJK run and before a ' · ' separator."""
    parts = CJK_RUN.split(s)
    for i in range(1, len(parts) - 1):
        seg = parts[i]
        if seg.strip() and not re.search(r'[A-Za-z]{2,}', re.sub(r'\b(F\d+|Ctrl|Shift|Alt|Enter|Esc|PIN|PLU|CSV|DEMO|Tillpoint|AppID|ID)\b', '', seg)):
            return seg
    for i in range(1, len(parts)):
        m = re.match(r'^(.*?) · ', parts[i])
        if m and m.group(1).strip() and i < len(parts):
            return m.group(1)
    return None


def strip_cjk(s):
    t = s
    # A CJK run and the " · " or ": " right after it go together.
    t = CJK_RUN.sub('\0', t)
    t = re.sub(r'\0\s*·\s*', '', t)
    # one space where a run was, the layout's own spaces (a report's columns) kept
    t = re.sub(r' ?\0+ ?', ' ', t)
    t = re.sub(r'\( ', '(', t)
    t = re.sub(r' \)', ')', t)
    t = re.sub(r'\(\s*\)', '', t)
    t = re.sub(r'^\s*[·—:,]\s*', '', t)
    t = re.sub(r'\s*·\s*$', '', t)
    t = re.sub(r' ([,.;:])', r'\1', t)
    return t.strip()


def english_of(old, zh):
    """(english, None) or (None, reason)."""
    if old in MANUAL:
        m = MANUAL[old]
        en = m if isinstance(m, str) else m['en']
        if conversions(en) != conversions(old):
            return None, 'MANUAL English %r has other conversions' % en
        return en, None
    candidates = []
    if zh:
        for sep in (' · ', '· ', ' — ', ' ', ''):
            if old.startswith(zh + sep) and len(old) > len(zh + sep):
                candidates.append(old[len(zh + sep):])
                break
    bits = latin_inside_chinese(old)
    if bits is None:
        candidates.append(strip_cjk(old))
    reason = 'no candidate (Latin %r inside the Chinese)' % bits
    tail = re.search(r'\s*$', old).group(0)
    for c in candidates:
        c = c.rstrip() + tail
        if CJK.search(c):
            reason = 'Chinese left in %r' % c
            continue
        if not has_latin(c):
            reason = 'no English in %r' % c
            continue
        if conversions(c) != conversions(old):
            reason = 'conversions differ in %r' % c
            continue
        if re.search(r'%(\d+\$)?[-.0-9]*(<PRI\w+>|[a-zA-Z])\s*%', c) and not re.search(
                r'%(\d+\$)?[-.0-9]*(<PRI\w+>|[a-zA-Z])\s*%', old.replace(zh or '\1', '')):
            reason = 'conversions run together in %r' % c
            continue
        return c, None
    return None, reason


# ---- .po files

def po_unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(m.group(1), '\\' + m.group(1)), s)


def po_escape(s):
    return s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t')


class Entry:
    def __init__(self):
        self.comments = []   # lines starting with '#' (not '#~')
        self.fields = []     # [(keyword, value)] in order: msgctxt, msgid, msgid_plural, msgstr, msgstr[n]
        self.obsolete = []   # raw '#~' lines

    def get(self, key):
        for k, v in self.fields:
            if k == key:
                return v
        return None

    def set(self, key, value):
        for i, (k, v) in enumerate(self.fields):
            if k == key:
                self.fields[i] = (k, value)
                return


def read_po(path):
    entries = []
    cur = Entry()
    last = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                if cur.fields or cur.comments or cur.obsolete:
                    entries.append(cur)
                cur = Entry()
                last = None
                continue
            if line.startswith('#~'):
                cur.obsolete.append(line)
                continue
            if line.startswith('#'):
                if cur.fields:
                    entries.append(cur)
                    cur = Entry()
                cur.comments.append(line)
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if m and m.group(1) in ('msgctxt', 'msgid') and any(k.startswith('msgstr') for k, v in cur.fields):
                entries.append(cur)    # an entry with no blank line before it
                cur = Entry()
            if m:
                cur.fields.append((m.group(1), po_unescape(m.group(2))))
                last = len(cur.fields) - 1
                continue
            m = re.match(r'^"(.*)"$', line)
            if m and last is not None:
                k, v = cur.fields[last]
                cur.fields[last] = (k, v + po_unescape(m.group(1)))
                continue
            raise SystemExit('%s: cannot read line %r' % (path, line))
    if cur.fields or cur.comments or cur.obsolete:
        entries.append(cur)
    return entries


def write_po(path, entries):
    out = []
    for e in entries:
        lines = list(e.comments)
        for k, v in e.fields:
            lines.append('%s "%s"' % (k, po_escape(v)))
        lines.extend(e.obsolete)
        out.append('\n'.join(lines))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n\n'.join(out) + '\n')
    # Wrap as msgmerge does, so the diff stays small.
    subprocess.run(['msgcat', '--width=79', '-o', path, path], check=True)


# ---- sources

C_LIT = r'"(?:[^"\\\n]|\\.)*"'
C_SEQ = re.compile(r'(?:%s|\s+|\b(?:PRId64|PRIu64|PRIi64|PRIx64|G_GINT64_FORMAT|G_GUINT64_FORMAT|G_GSIZE_FORMAT)\b)+' % C_LIT)
C_CALL = re.compile(r'\b(_|N_|C_|NC_)\s*\(\s*(?:(%s)\s*,\s*)?(' % C_LIT +
                    r'(?:%s|\s+|\b(?:PRId64|PRIu64|PRIi64|PRIx64|G_GINT64_FORMAT|G_GUINT64_FORMAT)\b)+)\)' % C_LIT)
C_MACROS = {'PRId64': '<PRId64>', 'PRIu64': '<PRIu64>', 'PRIi64': '<PRIi64>', 'PRIx64': '<PRIx64>',
            'G_GINT64_FORMAT': '<PRId64>', 'G_GUINT64_FORMAT': '<PRIu64>'}


def c_unescape(body):
    return re.sub(r'\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)',
                  lambda m: {'n': '\n', 't': '\t', '"': '"', '\\': '\\', "'": "'"}.get(
                      m.group(1), chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in 'ux' else m.group(1)),
                  body)


def c_value(seq):
    val = ''
    for m in re.finditer(r'(%s)|(\w+)' % C_LIT, seq):
        if m.group(1):
            val += c_unescape(m.group(1)[1:-1])
        else:
            val += C_MACROS[m.group(2)]
    return val


def c_literal(text, indent, tail=1):
    """text as C literal(s), PRI macros restored, split at spaces to keep 100 columns."""
    def esc(s):
        return s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t')
    pieces = re.split(r'(<PRI\w+>)', text)
    parts = []
    for p in pieces:
        if re.fullmatch(r'<PRI\w+>', p):
            parts.append(p[1:-1])
        elif p:
            parts.append('"%s"' % esc(p))
    width = 100 - indent - tail
    lines = []
    cur = ''
    for part in parts:
        chunk = part if not cur else ' ' + part
        if cur and len(cur) + len(chunk) > width:
            lines.append(cur)
            cur = part
        else:
            cur += chunk
        while part.startswith('"') and len(cur) > width:
            # split a long literal at a space
            body = cur
            cut = body.rfind(' ', 0, width - 1)
            if cut <= 1 or body.count('"') < 2:
                break
            lines.append(body[:cut + 1] + '"')
            cur = '"' + body[cut + 1:]
    if cur:
        lines.append(cur)
    return ('\n' + ' ' * indent).join(lines)


C_NGETTEXT = re.compile(r'\b(g_dngettext\s*\(\s*GETTEXT_PACKAGE\s*,)(\s*)(%s(?:\s*%s)*)(\s*,)(\s*)(%s(?:\s*%s)*)' % ((C_LIT,) * 4))


def rewrite_c_plural(text, mapping, plurals):
    def repl(m):
        key = (None, c_value(m.group(3)))
        if key not in mapping or mapping[key] not in plurals:
            return m.group(0)
        new = mapping[key]
        old_pl, new_pl = plurals[new]
        if c_value(m.group(6)) != old_pl:
            return m.group(0)
        col = lambda pos: pos - (text.rfind('\n', 0, pos) + 1)
        return (m.group(1) + m.group(2) + c_literal(new[1], col(m.start(3))) + m.group(4) + m.group(5)
                + c_literal(new_pl, col(m.start(6))))
    return C_NGETTEXT.sub(repl, text)


def rewrite_c(text, mapping):
    def repl(m):
        ctx = c_unescape(m.group(2)[1:-1]) if m.group(2) else None
        seq = m.group(3)
        if not seq.strip().startswith('"'):
            return m.group(0)
        old = c_value(seq)
        key = (ctx, old)
        if key not in mapping:
            return m.group(0)
        new_ctx, new = mapping[key]
        start = m.start(3) + (len(seq) - len(seq.lstrip()))
        line_start = text.rfind('\n', 0, start) + 1
        indent = start - line_start
        # keep room for what follows the call on its line ("), arg);")
        eol = text.find('\n', m.end())
        tail = len(text[m.end():eol if eol >= 0 else len(text)]) + 1
        lit = c_literal(new, indent, tail)
        head = text[m.start():m.start(3)]
        if new_ctx != ctx:
            head = '%s (%s, ' % ('C_' if m.group(1) in ('_', 'C_') else 'NC_', '"%s"' % new_ctx) if new_ctx else head
            if new_ctx and m.group(1) == '_':
                head = 'C_ ("%s", ' % new_ctx
        return head + seq[:len(seq) - len(seq.lstrip())] + lit + seq[len(seq.rstrip()):] + ')'
    return C_CALL.sub(repl, text)


def xml_unescape(s):
    return s.replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"').replace('&apos;', "'").replace('&amp;', '&')


def xml_escape(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def rewrite_xml(text, mapping, need_translatable):
    def repl(m):
        open_tag, body, close = m.group(1), m.group(3), m.group(4)
        if need_translatable and 'translatable="yes"' not in open_tag:
            return m.group(0)
        ctxm = re.search(r'\bcontext="([^"]*)"', open_tag)
        ctx = xml_unescape(ctxm.group(1)) if ctxm else None
        key = (ctx, xml_unescape(body))
        if key not in mapping:
            return m.group(0)
        new_ctx, new = mapping[key]
        if new_ctx != ctx:
            if ctxm:
                open_tag = open_tag.replace(ctxm.group(0), 'context="%s"' % new_ctx)
            else:
                open_tag = open_tag.replace('translatable="yes"', 'translatable="yes" context="%s"' % new_ctx)
        return open_tag + xml_escape(new) + close
    return re.sub(r'(<([\w:-]+)\b[^>]*>)([^<]*)(</\2>)', repl, text)


def rewrite_desktop(text, mapping):
    def repl(m):
        key = (None, m.group(2))
        if key in mapping:
            return m.group(1) + mapping[key][1]
        return m.group(0)
    return re.sub(r'^((?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)=)(.*)$', repl, text, flags=re.M)


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


def make_pot(root, out):
    """A fresh template, as tests/po/check-po-complete.py makes it."""
    subprocess.run(['xgettext', '--package-name=tillpoint', '-f', os.path.join(root, 'po', 'POTFILES.in'),
                    '-D', root, '-k_', '-o', out] + GLIB_PRESET, check=True, capture_output=True)
    return {(e.get('msgctxt'), e.get('msgid')) for e in read_po(out) if e.get('msgid')}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    dry = '--dry-run' in sys.argv
    podir = os.path.join(root, 'po')
    with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as f:
        langs = [w for line in f for w in line.split('#', 1)[0].split()]
    pos = {lang: read_po(os.path.join(podir, lang + '.po')) for lang in langs}
    ref = 'zh_CN' if 'zh_CN' in langs else langs[0]

    def index(entries):
        d = {}
        for e in entries:
            if e.get('msgid'):
                d[(e.get('msgctxt'), e.get('msgid'))] = e
        return d
    idx = {lang: index(pos[lang]) for lang in langs}

    import tempfile
    tmp = tempfile.mkdtemp(prefix='english-msgids-')
    in_sources = make_pot(root, os.path.join(tmp, 'before.pot'))

    mapping = {}   # (ctx, old) -> (ctx, english)
    plurals = {}   # (ctx, english) -> (old plural, english plural)
    unsafe = []
    for key, e in idx[ref].items():
        ctx, old = key
        if not CJK.search(old) or old in KEEP or key not in in_sources:
            continue
        zh = e.get('msgstr') or e.get('msgstr[0]')
        en, why = english_of(old, zh)
        if en is None:
            unsafe.append((old, why))
            continue
        m = MANUAL.get(old)
        new_ctx = m.get('ctx', ctx) if isinstance(m, dict) else ctx
        plural = e.get('msgid_plural')
        if plural and CJK.search(plural):
            if not (isinstance(m, dict) and 'plural' in m):
                unsafe.append((old, 'plural form %r needs MANUAL[...][\'plural\']' % plural))
                continue
            plurals[(new_ctx, en)] = (plural, m['plural'])
        mapping[key] = (new_ctx, en)

    renamed = set()
    for old, new in RENAME.items():
        if (None, old) in in_sources and (None, old) in idx[ref]:
            mapping[(None, old)] = (None, new)
            renamed.add((None, old))

    # Collisions: one English msgid, different translations. The old msgids whose
    # translations agree with an existing English entry (or, without one, with the first
    # old msgid in file order) take the English msgid; the others are reported.
    def tr(lang, key):
        e = idx[lang].get(key)
        return tuple(v for k, v in e.fields if k.startswith('msgstr')) if e else None
    by_new = {}
    for key, new in mapping.items():
        by_new.setdefault(new, []).append(key)
    collisions = []
    for new, olds in by_new.items():
        plain = new if new in idx[ref] and new not in mapping else None
        winner = plain or olds[0]
        sig = tuple(tr(lang, winner) for lang in langs)
        for o in olds:
            if o == winner:
                continue
            if tuple(tr(lang, o) for lang in langs) != sig:
                collisions.append((new, o, winner, tr(ref, o), tr(ref, winner)))
                mapping.pop(o, None)

    # ---- the .po files
    for lang in langs:
        entries = pos[lang]
        seen = {}
        keep = []
        for e in entries:
            key = (e.get('msgctxt'), e.get('msgid'))
            if key in mapping:
                old = key[1]
                new_ctx, new = mapping[key]
                m = MANUAL.get(old)
                if isinstance(m, dict) and lang in m:
                    e.set('msgstr', m[lang])
                e.set('msgid', new)
                if key in renamed:
                    seen[(new_ctx, new)] = e
                    keep.append(e)
                    continue
                if (new_ctx, new) in plurals:
                    e.set('msgid_plural', plurals[(new_ctx, new)][1])
                if new_ctx is not None and e.get('msgctxt') is None:
                    e.fields.insert(0, ('msgctxt', new_ctx))
                # The old bilingual text, for the bilingual-labels catalogue.
                zh_ref = idx[ref][key].get('msgstr')
                mine = e.get('msgstr')
                bi = None
                if lang == ref:
                    bi = old
                elif zh_ref and mine and old.startswith(zh_ref) and old.endswith(new) and not conversions(zh_ref):
                    bi = mine + old[len(zh_ref):]
                e.comments = [c for c in e.comments if not c.startswith('# bilingual: ')]
                if bi is not None:
                    # one line: escaped as in a msgid ("\\n", "\\\"")
                    pos_c = next((i for i, c in enumerate(e.comments) if not c.startswith('# ')), len(e.comments))
                    e.comments.insert(pos_c, '# bilingual: ' + po_escape(bi))
                key = (new_ctx, new)
            if key in seen and key[1]:
                # merged duplicate: keep the first, add its references
                first = seen[key]
                refs = [c for c in e.comments if c.startswith('#:')]
                first.comments.extend(r for r in refs if r not in first.comments)
                continue
            seen[key] = e
            keep.append(e)
        if not dry:
            write_po(os.path.join(podir, lang + '.po'), keep)

    # ---- the sources
    with open(os.path.join(podir, 'POTFILES.in'), encoding='utf-8') as f:
        files = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    changed = []
    for rel in files:
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as f:
            text = f.read()
        if rel.endswith(('.c', '.h')):
            new = rewrite_c_plural(rewrite_c(text, mapping), mapping, plurals)
        elif rel.endswith('.ui'):
            new = rewrite_xml(text, mapping, True)
        elif rel.endswith(('.xml', '.xml.in')):
            new = rewrite_xml(text, mapping, False)
        elif rel.endswith(('.desktop', '.desktop.in')):
            new = rewrite_desktop(text, mapping)
        else:
            new = text
        if new != text:
            changed.append(rel)
            if not dry:
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(new)

    # Refresh the .po files against the new sources: references, and entries no source
    # has any more dropped (msgmerge keeps the translator comments).
    if not dry:
        pot = os.path.join(tmp, 'after.pot')
        make_pot(root, pot)
        for lang in langs:
            path = os.path.join(podir, lang + '.po')
            subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--previous', '-o', path, path, pot], check=True)
            subprocess.run(['msgattrib', '--no-obsolete', '-o', path, path], check=True)
    print('%d bilingual msgids converted, %d files changed' % (len(mapping), len(changed)))
    for rel in changed:
        print('  changed ' + rel)
    if unsafe:
        print('\n%d msgids NOT converted (add them to MANUAL):' % len(unsafe))
        for old, why in unsafe:
            print('  %r: %s' % (old, why))
    if collisions:
        print('\n%d collisions NOT converted (give them distinct English or a msgctxt in MANUAL):' % len(collisions))
        for new, o, winner, mine, theirs in collisions:
            print('  %r: %r would be %r like %r (%r)' % (o[1], mine, new[1], winner[1], theirs))
    return 1 if unsafe or collisions else 0


if __name__ == '__main__':
    sys.exit(main())
