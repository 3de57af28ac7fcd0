// SPDX-License-Identifier: GPL-3.0-or-later
// A small independent Alipay gateway (node:http and the npm alipay-sdk 4.14.0, after
// docs/reference/alipay.md §10 "server role"), to check Tillpoint's client from the other
// side: every request is verified with the SDK's checkNotifySignV2 over the merged query
// and body (a bad one gets a signed 40002 isv.invalid-signature); answers are signed with
// node:crypto over the exact bytes of the response object. An auth code ending 8888 gets
// a wrong signature (the trade is paid: a query says so); one ending 7777 gets a wrongly
// signed "paid" for a trade that does not exist (a query finds nothing, a cancel closes it).
// Usage: node alipay-peer-server.cjs KEY_DIR (app_public_key.pem,
// alipay_private_key.pem); prints "listening <port>".
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const { AlipaySdk } = require('alipay-sdk');

const [dir] = process.argv.slice(2);
const read = (name) => fs.readFileSync(`${dir}/${name}`, 'utf8');
const alipayPrivate = read('alipay_private_key.pem');
// the SDK's "Alipay public key" is, for a server checking requests, the app's public key
const verifier = new AlipaySdk({
  appId: '2021000122671080', privateKey: alipayPrivate, keyType: 'PKCS8',
  alipayPublicKey: read('app_public_key.pem'),
});
const paid = new Map();

const gmt8 = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');

function answer(method, params) {
  if (!verifier.checkNotifySignV2(params)) {
    return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' };
  }
  const biz = JSON.parse(params.biz_content);
  switch (method) {
    case 'alipay.trade.pay': {
      if (String(biz.auth_code).endsWith('7777')) {
        return { code: '10000', msg: 'Success', trade_no: '2024052022001400999999999999',
                 out_trade_no: biz.out_trade_no, buyer_logon_id: '159******20',
                 total_amount: biz.total_amount, receipt_amount: biz.total_amount,
                 gmt_payment: gmt8() };
      }
      const tradeNo = '2024052022001400' + String(paid.size).padStart(12, '0');
      paid.set(biz.out_trade_no, { tradeNo, total: biz.total_amount });
      return { code: '10000', msg: 'Success', trade_no: tradeNo, out_trade_no: biz.out_trade_no,
               buyer_logon_id: '159******20', total_amount: biz.total_amount,
               receipt_amount: biz.total_amount, gmt_payment: gmt8() };
    }
    case 'alipay.trade.query': {
      const t = paid.get(biz.out_trade_no);
      if (!t) {
        return { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' };
      }
      return { code: '10000', msg: 'Success', trade_no: t.tradeNo, out_trade_no: biz.out_trade_no,
               trade_status: 'TRADE_SUCCESS', total_amount: t.total, send_pay_date: gmt8() };
    }
    case 'alipay.trade.cancel': {
      const t = paid.get(biz.out_trade_no);
      paid.delete(biz.out_trade_no);
      return { code: '10000', msg: 'Success', out_trade_no: biz.out_trade_no,
               trade_no: t ? t.tradeNo : undefined, retry_flag: 'N',
               action: t ? 'refund' : 'close' };
    }
    default:
      return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' };
  }
}

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const method = params.method || 'none';
    const content = answer(method, params);
    const text = JSON.stringify(content).replace(/\//g, '\\/');
    let biz = {};
    try { biz = JSON.parse(params.biz_content || '{}'); } catch (e) { /* answered above */ }
    const code = String(biz.auth_code || '');
    const signed = code.endsWith('8888') || code.endsWith('7777') ? text + ' ' : text;
    const sign = crypto.createSign('RSA-SHA256').update(signed, 'utf8').sign(alipayPrivate, 'base64');
    const key = `${method.replaceAll('.', '_')}_response`;
    console.error(`${method} ${content.code} ${content.sub_code || ''}`);
    res.writeHead(200, { 'Content-Type': 'text/html;charset=utf-8' });
    res.end(`{"${key}":${text},"sign":"${sign.replace(/\//g, '\\/')}"}`);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
