import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { formatName } from '../../src/scan/x509-name.ts';

function nameOf(rdns: readonly (readonly [string, string])[][]): Name {
  return new Name(rdns.map((rdn) => new RelativeDistinguishedName(rdn.map(([type, v]) => new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: v }) })))));
}

const cases: { name: string; rdns: (readonly [string, string])[][]; want: string }[] = [
  { name: 'reverses the RDN order', rdns: [[['2.5.4.6', 'US']], [['2.5.4.10', 'Example']], [['2.5.4.3', 'Signer']]], want: 'CN=Signer,O=Example,C=US' },
  { name: 'escapes commas', rdns: [[['2.5.4.10', 'Example, Inc.']]], want: 'O=Example\\, Inc.' },
  { name: 'escapes specials, a leading # and a trailing space', rdns: [[['2.5.4.3', '#a+b;c<d>"e\\ ']]], want: 'CN=\\#a\\+b\\;c\\<d\\>\\"e\\\\\\ ' },
  { name: 'joins multi-valued RDNs with +', rdns: [[['2.5.4.3', 'a'], ['2.5.4.11', 'b']]], want: 'CN=a+OU=b' },
  { name: 'empty name', rdns: [], want: '' },
];
for (const c of cases) {
  test(`name: ${c.name}`, () => assert.equal(formatName(nameOf(c.rdns)), c.want));
}

test('name: unknown attribute types print as oid=#hex of the value', () => {
  const out = formatName(nameOf([[['1.2.3.4', 'x']]]));
  assert.match(out, /^1\.2\.3\.4=#[0-9a-f]+$/);
});
