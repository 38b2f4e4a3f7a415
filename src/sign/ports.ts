/**
 * What signing asks of the outside world, as small interfaces the CLI and tests provide.
 */

/**
 * Supplies the password of an encrypted private key, asked for only when a key needs one
 * (COSIGN_PASSWORD, a terminal prompt, or a test's constant).
 * @throws ERR_KEY_PASSWORD_MISSING when there is no way to get one
 */
export type PasswordSource = () => Promise<string>;

/** How the certificate authority is asked for a certificate: a public key with a proof of possession, or a CSR. */
export type CertificateRequest =
  | {
    readonly kind: 'public-key';
    /** PEM `PUBLIC KEY` */
    readonly publicKeyPem: string;
    /** the signature over the token's subject (email or sub) with the private key */
    readonly proofOfPossession: Uint8Array;
  }
  | {
    readonly kind: 'csr';
    /** PEM `CERTIFICATE REQUEST` (PKCS#10), self-signed by the key the certificate is for */
    readonly csrPem: string;
  };

/** The certificate chain the authority issued, leaf first, as PEM. */
export interface IssuedCertificate {
  readonly chainPem: readonly string[];
  /** true when the answer was Fulcio's embedded-SCT form, false for the detached form */
  readonly sctEmbedded: boolean;
  /** the detached SCT (base64 of a CT AddChainResponse JSON), when the authority sent one */
  readonly detachedSctBase64?: string;
}

/**
 * A Fulcio-compatible certificate authority (Fulcio v2 REST API).
 * @throws ERR_FULCIO_* for refusals, ERR_HTTP_*, ERR_NETWORK when it cannot be reached
 */
export interface CertificateAuthority {
  readonly baseUrl: string;
  /** `POST /api/v2/signingCert` with the OIDC identity token */
  requestCertificate(identityToken: string, request: CertificateRequest): Promise<IssuedCertificate>;
  /** `GET /api/v2/trustBundle`: each chain as PEM, intermediate(s) first, root last */
  getTrustBundle(): Promise<readonly (readonly string[])[]>;
}
