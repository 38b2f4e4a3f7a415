/**
 * Distinguished names as RFC 4514 strings (RFC 2253 order: last RDN first, `CN=…,O=…,C=…`),
 * the form SigScan prints and `openssl x509 -nameopt RFC2253` agrees with.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Name, AttributeTypeAndValue } from '@peculiar/asn1-x509';

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.4': 'SN', '2.5.4.5': 'SERIALNUMBER', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET',
  '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'T', '2.5.4.42': 'GN', '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'emailAddress',
};

// RFC 4514 §2.4: escape the special characters, a leading space or '#', a trailing space, and NUL.
function escapeValue(text: string): string {
  let out = text.replace(/[\\"+,;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

function formatAttribute(atv: AttributeTypeAndValue): string {
  const short = SHORT_NAMES[atv.type];
  const v = atv.value;
  const text = v.printableString ?? v.utf8String ?? v.ia5String ?? v.teletexString ?? v.bmpString ?? v.universalString;
  if (short !== undefined && text !== undefined) return `${short}=${escapeValue(text)}`;
  // unknown type or non-string value: the OID and the hex of the value's DER (RFC 4514 §2.4)
  const der = v.anyValue ?? AsnConvert.serialize(v);
  return `${atv.type}=#${Buffer.from(der).toString('hex')}`;
}

/** Formats a parsed X.509 Name as an RFC 4514 string, last RDN first; `""` for an empty name. */
export function formatName(name: Name): string {
  return [...name].reverse().map((rdn) => [...rdn].map(formatAttribute).join('+')).join(',');
}

/**
 * The attributes of a Name by short name (`C`, `ST`, `O`, `CN`…, else the OID), each with its
 * string value; for an attribute that appears more than once, the last one.
 */
export function nameAttributes(name: Name): Map<string, string> {
  const out = new Map<string, string>();
  for (const rdn of name) {
    for (const atv of rdn) {
      const v = atv.value;
      const text = v.printableString ?? v.utf8String ?? v.ia5String ?? v.teletexString ?? v.bmpString ?? v.universalString;
      if (text !== undefined) out.set(SHORT_NAMES[atv.type] ?? atv.type, text);
    }
  }
  return out;
}
