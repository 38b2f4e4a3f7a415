import { readFileSync, writeFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, TBSCertificate } from '@peculiar/asn1-x509';
const tok = readFileSync('/tmp/tok.der');
// walk certificates [0] at 393: hl=4
let at = 397; const end = 393 + 4 + 4603; let i = 0;
while (at < end) {
  const len = tok.readUInt16BE(at + 2) + 4;
  const der = tok.subarray(at, at + len);
  writeFileSync(`/tmp/c${i}.der`, der);
  try { AsnConvert.parse(der, Certificate); console.log(i, 'ok', len); } catch (e) { console.log(i, 'fail', len, (e as Error).message); }
  at += len; i++;
}
