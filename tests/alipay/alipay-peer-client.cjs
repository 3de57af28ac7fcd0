// SPDX-License-Identifier: GPL-3.0-or-later
// The npm alipay-sdk (4.14.0) as a third-party client of tillpoint-paysim
// (docs/reference/alipay.md §10): it reads only the simulator's state dir, and verifies
// every answer (validateSign). Usage: node alipay-peer-client.cjs STATE_DIR PORT
// Prints "LEDGER <out_trade_no> <charged> <refunded>" for the C test to check against
// /_sim/ledger, and "OK <n> checks" at the end; exits non-zero on any failed check.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { AlipaySdk } = require('alipay-sdk');

const [dir, port] = process.argv.slice(2);
const read = (name) => fs.readFileSync(`${dir}/${name}`, 'utf8');
const sdk = new AlipaySdk({
  appId: read('alipay_app_id').trim(),
  privateKey: read('alipay_app_private_key.pem'),
  keyType: 'PKCS8',
  alipayPublicKey: read('alipay_platform_public_key.pem'),
  gateway: `http://127.0.0.1:${port}/gateway.do`,
  camelcase: false,
  timeout: 10000,
});

let checks = 0;
const check = (cond, what) => { assert.ok(cond, what); checks++; };
const exec = (method, bizContent) => sdk.exec(method, { bizContent }, { validateSign: true });
const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const authCode = (ending) => '28' + digits(12) + ending;
const number = (prefix) => prefix + Date.now() + digits(6);
const pay = (otn, ending, amount) => exec('alipay.trade.pay', {
  out_trade_no: otn, scene: 'bar_code', auth_code: authCode(ending), subject: 'Node 测试',
  total_amount: amount, store_id: 'S01', terminal_id: 'NODE01',
});

(async () => {
  // paid at once; the query agrees
  const sold = number('N');
  let r = await pay(sold, '0000', '12.34');
  check(r.code === '10000', 'pay 0000 → 10000');
  check(r.out_trade_no === sold && r.total_amount === '12.34', 'pay echoes the order');
  check(/^\d{28}$/.test(r.trade_no), 'a 28-digit trade_no');
  r = await exec('alipay.trade.query', { out_trade_no: sold });
  check(r.trade_status === 'TRADE_SUCCESS', 'query → TRADE_SUCCESS');

  // a partial refund, its repeat, its query
  r = await exec('alipay.trade.refund', { out_trade_no: sold, refund_amount: '2.34', out_request_no: 'R1' });
  check(r.code === '10000' && r.fund_change === 'Y' && r.refund_fee === '2.34', 'refund moves money');
  r = await exec('alipay.trade.refund', { out_trade_no: sold, refund_amount: '2.34', out_request_no: 'R1' });
  check(r.code === '10000' && r.fund_change === 'N', 'the same refund again moves nothing');
  r = await exec('alipay.trade.fastpay.refund.query', { out_trade_no: sold, out_request_no: 'R1' });
  check(r.refund_status === 'REFUND_SUCCESS' && r.refund_amount === '2.34', 'refund query');
  console.log(`LEDGER ${sold} 1234 234`);

  // waiting, then cancelled: closed, nothing charged
  const waiting = number('N');
  r = await pay(waiting, '6666', '5.00');
  check(r.code === '10003', 'pay 6666 → 10003');
  r = await exec('alipay.trade.cancel', { out_trade_no: waiting });
  check(r.code === '10000' && r.retry_flag === 'N' && r.action === 'close', 'cancel → close');
  r = await exec('alipay.trade.query', { out_trade_no: waiting });
  check(r.trade_status === 'TRADE_CLOSED', 'cancelled → TRADE_CLOSED');
  console.log(`LEDGER ${waiting} 0 0`);

  // paid, then cancelled: the money goes back
  const reversed = number('N');
  r = await pay(reversed, '0000', '3.00');
  r = await exec('alipay.trade.cancel', { out_trade_no: reversed });
  check(r.action === 'refund', 'cancel of a paid trade → refund');
  console.log(`LEDGER ${reversed} 0 0`);

  // a signed refusal
  r = await pay(number('N'), '2222', '1.00');
  check(r.code === '40004' && r.sub_code === 'ACQ.BUYER_BALANCE_NOT_ENOUGH', '2222 → balance');

  // a wrong signature is refused by the SDK; the trade is paid all the same
  const badsig = number('N');
  await assert.rejects(pay(badsig, '8888', '1.00'), /验签失败/);
  checks++;
  r = await exec('alipay.trade.query', { out_trade_no: badsig });
  check(r.trade_status === 'TRADE_SUCCESS', '8888 is paid');
  console.log(`LEDGER ${badsig} 100 0`);

  // a number cancelled before any trade
  r = await exec('alipay.trade.cancel', { out_trade_no: number('X') });
  check(r.code === '10000' && r.retry_flag === 'N' && r.action === undefined, 'cancel of nothing');

  // the customer scans the till's QR code
  r = await exec('alipay.trade.precreate', { out_trade_no: number('Q'), total_amount: '8.00', subject: 'QR' });
  check(r.code === '10000' && r.qr_code.includes('/_sim/alipay/qr/'), 'precreate → qr_code');

  console.log(`OK ${checks} checks`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
