// The bound the CA benchmarks compare against: this machine's ECDSA P-256 signing rate on one
// core, measured in the same run (an issuance signs a precertificate, an SCT and a certificate).
import { generateKeyPairSync, sign } from 'node:crypto';

/** This machine's ECDSA P-256 signing rate on one core (signatures per second of wall time), measured now. */
export function signCeilingPerSec(): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(600, 1);
  const n = 3000;
  const started = performance.now();
  for (let i = 0; i < n; i += 1) sign('sha256', data, privateKey);
  return n / ((performance.now() - started) / 1000);
}
