/**
 * The leaf TBSCertificate as DER, assembled from DER pieces rather than by one schema pass over
 * the whole tree (serializing a TBSCertificate with @peculiar/asn1-schema was the costliest step
 * of issuing). Every piece is still encoded by asn1-x509: the fields every leaf of an issuer
 * shares are sliced once from a TBS it serialized, and the per-leaf ones (validity, extensions)
 * are serialized on their own. The result is byte for byte what `toDer(buildLeafTbsWith(...))`
 * gives (test/ca/leaf-der.test.ts holds them equal).
 */
import { Validity, type Extension } from '@peculiar/asn1-x509';
import { children, contents, readOnly, whole } from '../core/der.ts';
import { concatBytes, isAppError } from '../core/index.ts';
import { buildLeafTbsWith, LEAF_VALIDITY_MS, sanExtension, sigstoreExtensions, type LeafConstants, type LeafFields } from './profile.ts';
import { derTlv, keyIdentifierExtension, keyIdentifierOfKeyBits, toDer } from './x509-build.ts';

/** Encodes the TBS of one leaf with `extra` extensions last. */
export type LeafTbsEncoder = (fields: Omit<LeafFields, 'issuer'>, extra: readonly Extension[]) => Uint8Array;

/** The subjectPublicKey bits of a strict-DER SPKI (then its bytes are what asn1-x509 would write), else undefined. */
function strictSpkiKeyBits(spkiDer: Uint8Array): Uint8Array | undefined {
  try {
    const spki = readOnly(spkiDer);
    const [algorithm, key, ...rest] = spki.tag === 0x30 ? children(spkiDer, spki) : [];
    if (algorithm?.tag !== 0x30 || key?.tag !== 0x03 || rest.length > 0 || spkiDer[key.contentStart] !== 0) return undefined;
    return contents(spkiDer, key).subarray(1);
  } catch (error) {
    if (isAppError(error)) return undefined;
    throw error;
  }
}

/**
 * An encoder for the leaves of one issuer.
 * @throws (from the encoder) ERR_INPUT_INVALID as buildLeafTbsWith
 */
export function createLeafTbsEncoder(constants: LeafConstants): LeafTbsEncoder {
  // version, signature algorithm, issuer and (empty) subject, sliced from one serialized leaf
  const template = toDer(buildLeafTbsWith({
    identity: { san: { kind: 'email', value: 'template@example.com' }, issuer: 'https://template.example.com', extensions: [], legacyExtensions: [], challenge: '' },
    subjectSpkiDer: constants.issuer.spkiDer, serial: new Uint8Array([1]), notBefore: new Date(0),
  }, constants));
  const fields = children(template, readOnly(template));
  const [version, , algorithm, issuer, , subject] = fields.map((f) => whole(template, f));
  if (fields.length !== 8 || !version || !algorithm || !issuer || !subject) throw new TypeError('unexpected leaf template layout');
  const sharedBefore = [toDer(constants.keyUsage), toDer(constants.extendedKeyUsage)];
  const aki = toDer(constants.authorityKeyIdentifier);
  return (leaf, extra) => {
    const keyBits = strictSpkiKeyBits(leaf.subjectSpkiDer);
    // a key in non-strict DER takes the schema path, which re-encodes it
    if (keyBits === undefined || leaf.identity.san.value === '') return toDer(buildLeafTbsWith(leaf, constants, extra));
    const validity = toDer(new Validity({ notBefore: leaf.notBefore, notAfter: new Date(leaf.notBefore.getTime() + LEAF_VALIDITY_MS) }));
    const extensions = [
      ...sharedBefore, toDer(keyIdentifierExtension(keyIdentifierOfKeyBits(keyBits))), aki, toDer(sanExtension(leaf.identity)),
      ...sigstoreExtensions(leaf.identity).map(toDer), ...extra.map(toDer),
    ];
    return derTlv(0x30, concatBytes([
      version, derTlv(0x02, leaf.serial), algorithm, issuer, validity, subject, leaf.subjectSpkiDer,
      derTlv(0xa3, derTlv(0x30, concatBytes(extensions))),
    ]));
  };
}
