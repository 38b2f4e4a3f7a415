/**
 * The one error catalogue. Every error sigil raises carries a stable `ERR_*` code with one row
 * here: its kind, CLI exit status, HTTP status, and (for the registry dialect) the
 * distribution-spec error code. docs/errors.md is generated from this table and a test keeps
 * the two in sync. Codes are public API: never rename or reuse one.
 */

/** The kinds an error can be; each has one subclass below. */
export type ErrorKind =
  | 'usage'
  | 'input'
  | 'verification'
  | 'not-found'
  | 'auth'
  | 'conflict'
  | 'upstream'
  | 'config'
  | 'internal';

/** One catalogue row. */
export interface ErrorSpec {
  readonly kind: ErrorKind;
  readonly exit: number;
  readonly http: number;
  readonly summary: string;
  /** distribution-spec error code used when the registry answers with this error */
  readonly oci?: string;
}

/** Every error code, with its kind, exit status, HTTP status and one-line summary. */
export const ERRORS = {
  // general
  ERR_INTERNAL: { kind: 'internal', exit: 1, http: 500, summary: 'an unexpected internal error' },
  ERR_USAGE: { kind: 'usage', exit: 2, http: 400, summary: 'the command line is malformed: unknown flag, missing or extra argument' },
  ERR_FLAG_UNSUPPORTED: { kind: 'usage', exit: 2, http: 400, summary: 'a cosign flag sigil knows but does not implement (hardware keys, timestamp authority, Kubernetes keychain, KMS): refused, never ignored' },
  ERR_COMMAND_TIMEOUT: { kind: 'upstream', exit: 4, http: 504, summary: 'the command did not finish within its --timeout' },
  ERR_INPUT_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'an input value is malformed' },
  ERR_FILE_NOT_FOUND: { kind: 'input', exit: 2, http: 400, summary: 'a file named on the command line does not exist' },
  ERR_FILE_IO: { kind: 'internal', exit: 1, http: 500, summary: 'reading or writing a local file failed' },
  ERR_CONFIG_INVALID: { kind: 'config', exit: 3, http: 500, summary: 'a configuration file or setting is malformed' },
  ERR_DATA_DIR_LOCKED: { kind: 'conflict', exit: 3, http: 409, summary: 'the data directory is in use by another sigil process (server or gc)' },
  ERR_SERVER_LISTEN: { kind: 'config', exit: 3, http: 500, summary: 'the server cannot listen on the given address (in use, or not allowed)' },
  // HTTP, on either side
  ERR_HTTP_ROUTE_UNKNOWN: { kind: 'not-found', exit: 2, http: 404, summary: 'no service answers this path', oci: 'NOT_FOUND' },
  ERR_HTTP_METHOD_NOT_ALLOWED: { kind: 'usage', exit: 2, http: 405, summary: 'the path exists but not for this HTTP method', oci: 'UNSUPPORTED' },
  ERR_HTTP_BODY_TOO_LARGE: { kind: 'input', exit: 2, http: 413, summary: 'the request body is larger than the server accepts', oci: 'SIZE_INVALID' },
  ERR_HTTP_STATUS: { kind: 'upstream', exit: 4, http: 502, summary: 'a server answered with an unexpected HTTP status' },
  ERR_HTTP_TIMEOUT: { kind: 'upstream', exit: 4, http: 504, summary: 'a request to a server timed out' },
  ERR_HTTP_RESPONSE_INVALID: { kind: 'upstream', exit: 4, http: 502, summary: 'a server answered with a malformed body or headers' },
  ERR_NETWORK: { kind: 'upstream', exit: 4, http: 502, summary: 'a server could not be reached: unknown host, refused connection, TLS failure' },
  // OCI references, manifests, blobs, and the registry
  ERR_OCI_REFERENCE_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'an image reference is malformed', oci: 'NAME_INVALID' },
  ERR_OCI_NAME_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a repository name does not match the distribution-spec grammar', oci: 'NAME_INVALID' },
  ERR_OCI_TAG_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a tag does not match the distribution-spec grammar', oci: 'TAG_INVALID' },
  ERR_OCI_NAME_UNKNOWN: { kind: 'not-found', exit: 11, http: 404, summary: 'the repository does not exist', oci: 'NAME_UNKNOWN' },
  ERR_OCI_MANIFEST_UNKNOWN: { kind: 'not-found', exit: 11, http: 404, summary: 'the image (manifest, tag or digest) does not exist', oci: 'MANIFEST_UNKNOWN' },
  ERR_OCI_MANIFEST_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a manifest is not valid JSON of a supported media type', oci: 'MANIFEST_INVALID' },
  ERR_OCI_MANIFEST_TOO_LARGE: { kind: 'input', exit: 2, http: 413, summary: 'a manifest is larger than 4 MiB', oci: 'MANIFEST_INVALID' },
  ERR_OCI_MANIFEST_BLOB_UNKNOWN: { kind: 'input', exit: 2, http: 400, summary: 'a manifest references a blob or manifest the repository does not have', oci: 'MANIFEST_BLOB_UNKNOWN' },
  ERR_OCI_MEDIA_TYPE_UNSUPPORTED: { kind: 'input', exit: 2, http: 415, summary: 'a manifest media type is not one sigil understands', oci: 'MANIFEST_INVALID' },
  ERR_OCI_BLOB_UNKNOWN: { kind: 'not-found', exit: 11, http: 404, summary: 'the blob does not exist in the repository', oci: 'BLOB_UNKNOWN' },
  ERR_OCI_DIGEST_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a digest is malformed, or uploaded content does not match its digest', oci: 'DIGEST_INVALID' },
  ERR_OCI_DIGEST_MISMATCH: { kind: 'upstream', exit: 4, http: 502, summary: 'content read from a registry does not match its digest' },
  ERR_OCI_SIZE_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'content length does not match the declared size', oci: 'SIZE_INVALID' },
  ERR_OCI_UPLOAD_UNKNOWN: { kind: 'not-found', exit: 2, http: 404, summary: 'the blob upload session does not exist or has ended', oci: 'BLOB_UPLOAD_UNKNOWN' },
  ERR_OCI_UPLOAD_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a blob upload request is malformed', oci: 'BLOB_UPLOAD_INVALID' },
  ERR_OCI_RANGE_INVALID: { kind: 'input', exit: 2, http: 416, summary: 'an upload chunk does not start where the upload ends', oci: 'BLOB_UPLOAD_INVALID' },
  ERR_OCI_PAGINATION_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'the page size or cursor of a list request is invalid', oci: 'PAGINATION_NUMBER_INVALID' },
  ERR_OCI_UNSUPPORTED: { kind: 'usage', exit: 2, http: 405, summary: 'the registry does not support this operation', oci: 'UNSUPPORTED' },
  ERR_OCI_PLATFORM_NOT_FOUND: { kind: 'not-found', exit: 11, http: 404, summary: 'the index has no manifest for the requested platform' },
  ERR_OCI_UNAUTHORIZED: { kind: 'auth', exit: 5, http: 401, summary: 'the registry wants credentials that were missing or wrong', oci: 'UNAUTHORIZED' },
  ERR_OCI_DENIED: { kind: 'auth', exit: 5, http: 403, summary: 'the registry refused access to the resource', oci: 'DENIED' },
  ERR_OCI_TOO_MANY_REQUESTS: { kind: 'upstream', exit: 4, http: 429, summary: 'the registry kept answering 429 after retries', oci: 'TOOMANYREQUESTS' },
  ERR_REGISTRY_STORAGE: { kind: 'internal', exit: 1, http: 500, summary: 'the registry storage failed to read or write' },
  // signatures stored in registries (cosign formats)
  ERR_SIGNATURE_PAYLOAD_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a signature payload is not json of the simple-signing shape' },
  ERR_SIGNATURE_APPEND_CONFLICT: { kind: 'conflict', exit: 4, http: 409, summary: 'concurrent signers kept overwriting the signature tag; retry the signing' },
  ERR_SIGNATURE_MANIFEST_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a signature manifest is not an image manifest or has too many layers' },
  ERR_SIGN_CERTIFICATE_KEY_MISMATCH: { kind: 'input', exit: 2, http: 400, summary: 'the --certificate given beside --key is for another public key than the signing key' },
  ERR_SIGN_CERTIFICATE_CHAIN: { kind: 'input', exit: 2, http: 400, summary: 'the --certificate given beside --key does not chain to the last certificate of --certificate-chain (a code-signing leaf valid from its notBefore)' },
  // transparency log
  ERR_TLOG_STORAGE: { kind: 'internal', exit: 1, http: 500, summary: 'the transparency log storage failed or holds inconsistent data' },
  ERR_TLOG_LOG_ID_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry names a log id that is not the trusted log key' },
  ERR_TLOG_SET_MISSING: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry has no signed entry timestamp where one is required' },
  ERR_TLOG_SET_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry signed entry timestamp does not verify with the log key' },
  ERR_TLOG_PROOF_MISSING: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry has no inclusion proof where one is required' },
  ERR_TLOG_UUID_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry body does not hash to the uuid it is filed under' },
  ERR_TLOG_UNVERIFIABLE: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry carries neither a signed entry timestamp nor an inclusion proof' },
  ERR_TLOG_SEQUENCE_CONFLICT: { kind: 'conflict', exit: 1, http: 503, summary: 'another sequencer appended to the log first; this replica is not the sequencer' },
  ERR_TLOG_ENTRY_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a proposed log entry is malformed: bad json, unknown kind or version, wrong hash length, unparsable key' },
  ERR_TLOG_ENTRY_SIGNATURE: { kind: 'verification', exit: 12, http: 400, summary: 'the signature in a proposed log entry does not verify with its key' },
  ERR_TLOG_ENTRY_EXISTS: { kind: 'conflict', exit: 2, http: 409, summary: 'an equivalent entry is already in the transparency log' },
  ERR_TLOG_ENTRY_NOT_FOUND: { kind: 'not-found', exit: 11, http: 404, summary: 'no log entry has this uuid, entry id or log index' },
  ERR_TLOG_ENTRY_ID_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'an entry uuid, entry id or log index is malformed' },
  ERR_TLOG_TOO_MANY_ENTRIES: { kind: 'input', exit: 2, http: 422, summary: 'a retrieve request asks for more than 10 entries' },
  ERR_TLOG_SEARCH_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'an index search query is malformed or names an unsupported key format' },
  ERR_TLOG_TREE_SIZE_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a requested tree size is beyond the log, or first size > last size' },
  ERR_TLOG_NOT_SEQUENCER: { kind: 'upstream', exit: 4, http: 503, summary: 'this log replica is not the sequencer right now; retry (another replica takes over within seconds)' },
  // certificate authority (Fulcio API) and its Certificate Transparency log
  ERR_CA_REQUEST_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a signing-certificate request is malformed: not JSON, or neither a public key nor a CSR' },
  ERR_CA_TOKEN_MISSING: { kind: 'auth', exit: 5, http: 401, summary: 'a signing-certificate request carries no OIDC identity token' },
  ERR_CA_PUBLIC_KEY_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'the public key of a signing-certificate request does not parse' },
  ERR_CA_PUBLIC_KEY_UNSUPPORTED: { kind: 'input', exit: 2, http: 400, summary: 'the public key type or size is not one the CA certifies (ECDSA P-256/384/521, RSA 2048-4096, Ed25519)' },
  ERR_CA_CSR_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a certificate signing request does not parse or its self-signature does not verify' },
  ERR_CA_PROOF_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'the proof of possession is not a signature of the identity\'s challenge by the submitted key' },
  ERR_CA_RATE_LIMITED: { kind: 'upstream', exit: 4, http: 429, summary: 'the identity asked for more certificates than the CA allows per minute; retry later' },
  ERR_CA_CT_FAILED: { kind: 'internal', exit: 1, http: 500, summary: 'the CT log did not log the precertificate, so no certificate was issued' },
  ERR_CT_SUBMISSION_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a CT log submission is malformed, does not chain to an accepted root, or is of the wrong kind' },
  ERR_CT_PARAM_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a CT log query parameter is missing, malformed or beyond the tree' },
  ERR_CT_NOT_FOUND: { kind: 'not-found', exit: 2, http: 404, summary: 'the CT log has no leaf with that hash' },
  ERR_CT_STORAGE: { kind: 'internal', exit: 1, http: 500, summary: 'the CT log storage failed or holds inconsistent data' },
  // sigstore bundles
  ERR_BUNDLE_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a sigstore bundle is malformed or breaks the rules of its version' },
  ERR_BUNDLE_VERSION_UNSUPPORTED: { kind: 'input', exit: 2, http: 400, summary: 'a sigstore bundle has an unknown media type or version' },
  // verification of signatures
  ERR_VERIFY_NO_SIGNATURES: { kind: 'not-found', exit: 10, http: 404, summary: 'the image has no signatures' },
  ERR_VERIFY_NO_MATCHING_SIGNATURE: { kind: 'verification', exit: 12, http: 400, summary: 'no signature of the image passed verification; each reason is listed' },
  ERR_VERIFY_PAYLOAD_DIGEST: { kind: 'verification', exit: 12, http: 400, summary: 'a signature payload does not match the digest its layer names' },
  ERR_VERIFY_SIGNATURE_MISSING: { kind: 'verification', exit: 12, http: 400, summary: 'a signature layer has no usable signature annotation' },
  ERR_VERIFY_CLAIM_DIGEST: { kind: 'verification', exit: 12, http: 400, summary: 'a signed payload names another image digest than the one verified' },
  ERR_VERIFY_CLAIM_ANNOTATION: { kind: 'verification', exit: 12, http: 400, summary: 'a signed payload lacks an annotation the verifier asked for' },
  ERR_VERIFY_TLOG_MISSING: { kind: 'verification', exit: 12, http: 400, summary: 'a signature has no transparency log entry and the log is required' },
  ERR_VERIFY_BUNDLE_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'a rekor bundle annotation is malformed' },
  ERR_VERIFY_CERTIFICATE_MISSING: { kind: 'verification', exit: 13, http: 400, summary: 'keyless verification found a signature without a certificate (cosign: no certificate found on signature)' },
  ERR_VERIFY_BUNDLE_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'a rekor bundle logs another payload, signature or key than its layer' },
  // attestations (attest, verify-attestation)
  ERR_ATTEST_PREDICATE_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'the --predicate file is not JSON where the predicate type needs JSON, or lacks a field the type requires' },
  ERR_ATTEST_PREDICATE_TYPE_INVALID: { kind: 'usage', exit: 2, http: 400, summary: 'a --type is neither one of cosign\'s short names nor a URI (cosign: invalid predicate type)' },
  ERR_VERIFY_NO_ATTESTATIONS: { kind: 'not-found', exit: 10, http: 404, summary: 'the image has no attestations' },
  ERR_VERIFY_NO_MATCHING_ATTESTATION: { kind: 'verification', exit: 12, http: 400, summary: 'no attestation of the image passed verification; each reason is listed' },
  ERR_VERIFY_PREDICATE_TYPE: { kind: 'verification', exit: 12, http: 400, summary: 'attestations verified, but none has the predicate type --type asked for' },
  ERR_VERIFY_ATTESTATION_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'an attestation layer is not a DSSE envelope over an in-toto statement' },
  ERR_VERIFY_ATTESTATION_SUBJECT: { kind: 'verification', exit: 12, http: 400, summary: 'no subject of an attestation\'s statement names the image digest' },
  // key files and passwords
  ERR_KEY_MALFORMED: { kind: 'input', exit: 2, http: 400, summary: 'a key is not valid PEM, or its encrypted envelope or DER contents are malformed' },
  ERR_KEY_UNSUPPORTED: { kind: 'input', exit: 2, http: 400, summary: 'a key has a PEM type, algorithm, curve, size or encryption parameters sigil does not accept' },
  ERR_KEY_PASSWORD_WRONG: { kind: 'auth', exit: 5, http: 401, summary: 'the password does not decrypt the private key (a wrong password, or a corrupted file)' },
  ERR_KEY_PASSWORD_MISSING: { kind: 'usage', exit: 2, http: 400, summary: 'an encrypted private key needs a password: set COSIGN_PASSWORD or run on a terminal' },
  ERR_KEY_PASSWORD_MISMATCH: { kind: 'usage', exit: 2, http: 400, summary: 'the password typed again at the prompt differs from the first one' },
  ERR_KEY_FILE_EXISTS: { kind: 'conflict', exit: 2, http: 409, summary: 'a key file to be written already exists; pass --force to overwrite it' },
  ERR_KEY_REF_UNSUPPORTED: { kind: 'usage', exit: 2, http: 400, summary: 'a --key reference uses a scheme sigil does not support (kms, k8s, gitlab, pkcs11, url)' },
  ERR_KEY_ENV_UNSET: { kind: 'input', exit: 2, http: 400, summary: 'the environment variable named by an env:// key reference is not set' },
  // the filesystem scanner (sigil scan fs)
  ERR_SCAN_FINDINGS: { kind: 'verification', exit: 13, http: 422, summary: 'a scan completed and found what --fail-on asked about (unsigned or unverified files)' },
  ERR_SCAN_FILE_MALFORMED: { kind: 'input', exit: 2, http: 400, summary: 'a scanned file is truncated or malformed (zip, jar manifest, pe headers, pkcs#7)' },
  ERR_SCAN_FILE_UNREADABLE: { kind: 'input', exit: 2, http: 400, summary: 'a file or directory met during a scan could not be read (permissions, vanished, i/o error)' },
  ERR_SCAN_FILE_UNSUPPORTED: { kind: 'input', exit: 2, http: 400, summary: 'a scanned path is not a regular file or directory (fifo, socket, device), or a symlink loop' },
  ERR_SCAN_FILE_TOO_LARGE: { kind: 'input', exit: 2, http: 413, summary: 'a scanned file is larger than --max-hash-size, so it was neither hashed nor checked' },
  ERR_SCAN_ARCHIVE_LIMIT: { kind: 'input', exit: 2, http: 413, summary: 'an archive passes a safety limit: too many entries, an absurd declared size, or it inflates past the cap (zip bomb)' },
  ERR_SCAN_ALGORITHM_UNSUPPORTED: { kind: 'verification', exit: 12, http: 422, summary: 'a signature or digest uses an algorithm the scanner does not verify' },
  ERR_SCAN_SIGNER_UNKNOWN: { kind: 'verification', exit: 12, http: 422, summary: 'the certificate a pkcs#7 signer names is not in the signature' },
  ERR_SCAN_SIGNATURE_INVALID: { kind: 'verification', exit: 12, http: 422, summary: 'a pkcs#7 signature value does not verify with its signer certificate' },
  ERR_SCAN_DIGEST_MISMATCH: { kind: 'verification', exit: 12, http: 422, summary: 'signed content does not match its digest: a jar entry, manifest, or the pe image hash (the file was changed after signing)' },
  ERR_SCAN_UNSIGNED_CONTENT: { kind: 'verification', exit: 12, http: 422, summary: 'a signed jar holds entries no signature covers' },
  ERR_SCAN_CHAIN_UNTRUSTED: { kind: 'verification', exit: 12, http: 422, summary: 'a signer or timestamp certificate does not chain to a --ca-file anchor at the signing time' },
  ERR_SCAN_ENVELOPE_MALFORMED: { kind: 'input', exit: 2, http: 400, summary: 'a signature found in a registry (notary jws/cose envelope, cosign layer, sigstore bundle, signature manifest) is malformed' },
  ERR_SCAN_UNVERIFIABLE: { kind: 'verification', exit: 12, http: 422, summary: 'scan --verify was asked but no key, trusted root or trust store given applies to this signature' },
  ERR_SCAN_IDENTITY_UNTRUSTED: { kind: 'verification', exit: 12, http: 422, summary: 'a notary signing certificate\'s subject matches none of the trust policy statement\'s trustedIdentities' },
  ERR_SCAN_REVOCATION_UNKNOWN: { kind: 'verification', exit: 12, http: 422, summary: 'a notary certificate names OCSP or CRL locations and sigil, which never fetches them, cannot tell whether it is revoked' },
  ERR_SCAN_TIMESTAMP_INVALID: { kind: 'verification', exit: 12, http: 422, summary: 'a timestamp (rfc 3161 token or legacy countersignature) does not verify or does not cover the signature' },
  // sigstore bundle verification (verify/bundle-verifier.ts and its parts)
  ERR_VERIFY_ARTIFACT_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'the artifact or its digest is not what the bundle signs (message digest, or in-toto subjects)' },
  ERR_VERIFY_MATERIAL_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'the bundle carries a certificate where a key was given, or a key hint where an identity was asked for' },
  ERR_VERIFY_NO_VERIFIED_TIME: { kind: 'verification', exit: 12, http: 400, summary: 'no signed time (log promise or RFC 3161 timestamp) verified, or one lies in the future' },
  ERR_VERIFY_IDENTITY_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'the certificate identity or issuer does not match the policy' },
  ERR_VERIFY_TLOG_UNTRUSTED: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry names a log the trust root does not hold, or one not valid at the entry time' },
  ERR_VERIFY_TLOG_ENTRY_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry body records another signature, key, certificate or digest than the bundle' },
  ERR_VERIFY_TLOG_KIND_UNSUPPORTED: { kind: 'verification', exit: 12, http: 400, summary: 'a log entry has a kind or version the verifier does not understand' },
  ERR_VERIFY_DIGEST_UNSUPPORTED: { kind: 'verification', exit: 12, http: 400, summary: 'the signature cannot be checked from a digest alone (pure Ed25519, or another hash than the digest)' },
  // X.509 certificates, SCTs and RFC 3161 timestamps
  ERR_CERT_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'a certificate does not parse as DER X.509' },
  ERR_CERT_CHAIN: { kind: 'verification', exit: 12, http: 400, summary: 'a certificate does not chain to a trusted authority valid at the signing time' },
  ERR_CERT_ROOT_IN_CHAIN: { kind: 'verification', exit: 12, http: 400, summary: 'a bundle certificate chain embeds a self-signed root' },
  ERR_CERT_USAGE: { kind: 'verification', exit: 12, http: 400, summary: 'a certificate lacks the key usage or extended key usage its role needs' },
  ERR_SCT_MISSING: { kind: 'verification', exit: 12, http: 400, summary: 'a signing certificate carries no embedded signed certificate timestamp' },
  ERR_SCT_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'no embedded signed certificate timestamp verifies with a trusted CT log' },
  ERR_TSA_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'an RFC 3161 timestamp is malformed or was not granted' },
  ERR_TSA_UNTRUSTED: { kind: 'verification', exit: 12, http: 400, summary: 'an RFC 3161 timestamp is not signed by a timestamp authority of the trust root valid at its time' },
  ERR_TSA_IMPRINT_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'an RFC 3161 timestamp covers other bytes than the bundle signature' },
  // keyless signing, client side: the identity token and the certificate authority's answers
  ERR_KEYLESS_TOKEN_MISSING: { kind: 'auth', exit: 5, http: 401, summary: 'keyless signing needs an OIDC identity token: --identity-token, SIGSTORE_ID_TOKEN, or one from `sigil token`' },
  ERR_KEYLESS_TOKEN_MALFORMED: { kind: 'input', exit: 2, http: 400, summary: 'the identity token is not a JWT whose payload names a subject (sub, or email)' },
  ERR_KEYLESS_CERTIFICATE_MISMATCH: { kind: 'upstream', exit: 4, http: 502, summary: 'the certificate authority answered a certificate for another public key than the one sent' },
  ERR_FULCIO_TOKEN_REJECTED: { kind: 'auth', exit: 5, http: 401, summary: 'the certificate authority refused the identity token: expired, not yet valid, wrong audience, unknown issuer or bad signature' },
  ERR_FULCIO_KEY_REJECTED: { kind: 'input', exit: 2, http: 400, summary: 'the certificate authority could not parse the public key, or found it insecure' },
  ERR_FULCIO_PROOF_REJECTED: { kind: 'input', exit: 2, http: 400, summary: 'the certificate authority could not verify the proof of possession (a signature over the token subject)' },
  ERR_FULCIO_CSR_REJECTED: { kind: 'input', exit: 2, http: 400, summary: 'the certificate authority could not parse the certificate signing request' },
  ERR_FULCIO_REQUEST_REJECTED: { kind: 'input', exit: 2, http: 400, summary: 'the certificate authority refused the request for another reason; its message is quoted' },
  // trust roots
  ERR_TRUST_ROOT_INVALID: { kind: 'config', exit: 3, http: 500, summary: 'a trusted_root.json is malformed: bad json, missing validFor.start, undecodable key or certificate' },
  // credentials
  ERR_AUTH_CREDENTIALS: { kind: 'auth', exit: 5, http: 401, summary: 'docker credentials could not be read (config.json or a credential helper failed)' },
  ERR_AUTH_TOKEN: { kind: 'auth', exit: 5, http: 401, summary: 'the registry token service refused or answered malformed' },
  // signatures and keys (core/crypto/)
  ERR_CRYPTO_ALGORITHM_NOT_ALLOWED: { kind: 'verification', exit: 12, http: 400, summary: 'a signature algorithm is not in the allowlist the caller accepts' },
  ERR_CRYPTO_KEY_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a key does not parse, or does not fit the algorithm named for it' },
  ERR_CRYPTO_SIGNATURE_INVALID: { kind: 'verification', exit: 12, http: 400, summary: 'a signature does not verify with the given key' },
  // OIDC tokens: the CA's token checks (Fulcio answers these with 401) and the issuer configuration
  ERR_OIDC_TOKEN_MALFORMED: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token is not a well-formed compact jws (three base64url parts, json header and claims)' },
  ERR_OIDC_TOKEN_ALGORITHM: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token is unsigned (alg none) or uses an algorithm not in the allowlist' },
  ERR_OIDC_TOKEN_SIGNATURE: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token signature does not verify with any key its issuer publishes' },
  ERR_OIDC_TOKEN_AUDIENCE: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token is not addressed to the audience (client id) configured for its issuer' },
  ERR_OIDC_TOKEN_EXPIRED: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token has expired (exp is past, beyond the allowed clock skew)' },
  ERR_OIDC_TOKEN_NOT_YET_VALID: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token is not valid yet (nbf or iat in the future, beyond the allowed clock skew)' },
  ERR_OIDC_TOKEN_CLAIMS: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token lacks a required claim (iss, sub, exp) or carries one of the wrong type' },
  ERR_OIDC_ISSUER_UNKNOWN: { kind: 'auth', exit: 5, http: 401, summary: 'an oidc token comes from an issuer the configuration does not trust' },
  ERR_OIDC_EMAIL_UNVERIFIED: { kind: 'auth', exit: 5, http: 401, summary: 'an email oidc token has no email, or email_verified is not true' },
  ERR_OIDC_IDENTITY_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'token claims do not make a certificate identity for the issuer type (a missing ci claim, a subject outside the subject domain)' },
  ERR_OIDC_DISCOVERY: { kind: 'upstream', exit: 4, http: 502, summary: 'an oidc issuer discovery document or key set could not be fetched, or is malformed' },
  ERR_OIDC_CONFIG_INVALID: { kind: 'config', exit: 3, http: 500, summary: 'the oidc issuer configuration (fulcio json shape) is malformed' },
  // the local OIDC issuer (OAuth 2.0 error answers) and its clients (sigil token, sigil login)
  ERR_OIDC_REQUEST_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'an oauth request to the issuer is malformed: missing or bad parameter, redirect uri not loopback' },
  ERR_OIDC_CLIENT_UNAUTHORIZED: { kind: 'auth', exit: 5, http: 401, summary: 'the issuer refused the client credentials (the mint secret is wrong or missing)' },
  ERR_OIDC_GRANT_INVALID: { kind: 'auth', exit: 5, http: 400, summary: 'an authorization code or device code is unknown, used, expired, or its pkce verifier or redirect uri does not match' },
  ERR_OIDC_GRANT_UNSUPPORTED: { kind: 'input', exit: 2, http: 400, summary: 'the token request names a grant type the issuer does not support' },
  ERR_OIDC_AUTHORIZATION_PENDING: { kind: 'input', exit: 2, http: 400, summary: 'device flow: the user has not approved the request yet; poll again after the interval' },
  ERR_OIDC_SLOW_DOWN: { kind: 'input', exit: 2, http: 400, summary: 'device flow: the client polls faster than the interval; add 5 seconds' },
  ERR_OIDC_DEVICE_CODE_EXPIRED: { kind: 'auth', exit: 5, http: 400, summary: 'device flow: the device code expired before the user approved it' },
  ERR_OIDC_ACCESS_DENIED: { kind: 'auth', exit: 5, http: 400, summary: 'the user or the issuer refused the authorization request' },
  ERR_OIDC_LOGIN_FAILED: { kind: 'auth', exit: 5, http: 401, summary: 'an interactive login did not complete: the issuer answered an error, the state did not match, or it timed out' },
  ERR_OIDC_MINT_SECRET_MISSING: { kind: 'config', exit: 3, http: 500, summary: 'sigil token found no issuer access secret: pass --data DIR of the issuer or set SIGIL_OIDC_ACCESS_SECRET' },
  // Merkle trees, proofs and checkpoints (RFC 6962, C2SP signed notes)
  ERR_MERKLE_INDEX_OUT_OF_RANGE: { kind: 'input', exit: 2, http: 400, summary: 'a leaf index or tree size is out of range: index >= size, or size1 > size2' },
  ERR_MERKLE_RANGE_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a compact range is malformed, or two ranges are not adjacent' },
  ERR_MERKLE_INCLUSION_PROOF: { kind: 'verification', exit: 12, http: 400, summary: 'an inclusion proof does not lead from the leaf to the root hash' },
  ERR_MERKLE_CONSISTENCY_PROOF: { kind: 'verification', exit: 12, http: 400, summary: 'a consistency proof does not link the two tree roots' },
  ERR_CHECKPOINT_INVALID: { kind: 'input', exit: 2, http: 400, summary: 'a checkpoint or signed note is malformed' },
  ERR_CHECKPOINT_SIGNATURE: { kind: 'verification', exit: 12, http: 400, summary: 'no checkpoint signature line verifies with the trusted log key' },
  ERR_CHECKPOINT_MISMATCH: { kind: 'verification', exit: 12, http: 400, summary: 'a checkpoint names a different origin, tree size or root hash than expected' },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code, one of the catalogue's keys. */
export type ErrorCode = keyof typeof ERRORS;

/** Codes of one kind. */
type CodeOf<K extends ErrorKind> = { [C in ErrorCode]: (typeof ERRORS)[C]['kind'] extends K ? C : never }[ErrorCode];

/** Options every error takes. */
export interface AppErrorOptions {
  readonly cause?: unknown;
  /** non-secret structured context, shown with --verbose and in JSON output */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The one base class of every error sigil raises on purpose. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
  /** The catalogue row of this error's code. */
  get spec(): ErrorSpec {
    return ERRORS[this.code];
  }
}

/** The command line is malformed. */
export class UsageError extends AppError {
  constructor(code: CodeOf<'usage'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** Some input (file, reference, body) is malformed. */
export class InputError extends AppError {
  constructor(code: CodeOf<'input'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** A signature, proof or policy did not verify. */
export class VerificationError extends AppError {
  constructor(code: CodeOf<'verification'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** The thing asked for does not exist. */
export class NotFoundError extends AppError {
  constructor(code: CodeOf<'not-found'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** Credentials were missing, wrong or refused. */
export class AuthError extends AppError {
  constructor(code: CodeOf<'auth'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** The request conflicts with existing state. */
export class ConflictError extends AppError {
  constructor(code: CodeOf<'conflict'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** A server sigil talks to failed or answered badly (retryable). */
export class UpstreamError extends AppError {
  constructor(code: CodeOf<'upstream'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** Configuration or trust material is malformed or missing. */
export class ConfigError extends AppError {
  constructor(code: CodeOf<'config'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}
/** A bug or an environment failure sigil cannot explain to the user. */
export class InternalError extends AppError {
  constructor(code: CodeOf<'internal'>, message: string, options?: AppErrorOptions) { super(code, message, options); }
}

/** Any AppError, discriminated by code. */
export type AnyAppError = AppError & { readonly code: ErrorCode };

/** True when `value` is an AppError (also across module copies). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps a foreign error once, at an adapter boundary; AppErrors pass through unchanged. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new InternalError('ERR_INTERNAL', message, { cause: value });
}
