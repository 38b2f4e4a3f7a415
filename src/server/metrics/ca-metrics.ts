/**
 * The CA's metrics: certificates issued by issuer type and refusals by error code, counted by the
 * CA's observer port, and the size of its Certificate Transparency log read at scrape time. Both
 * label sets are bounded: Fulcio's issuer types and sigil's error catalogue.
 */
import type { CaObserver } from '../../ca/index.ts';
import { createCounter } from './cells.ts';
import type { MetricsRegistry } from './prom.ts';

/** Registers the CA's metrics; `ctTreeSize` reads the CT log's size at each scrape. */
export function createCaMetrics(registry: MetricsRegistry, ctTreeSize: () => Promise<number>): CaObserver {
  const issued = createCounter('sigil_ca_certificates_issued_total', 'Code-signing certificates issued, by the OIDC issuer type of the token.', ['issuer_type']);
  const refused = createCounter('sigil_ca_refusals_total', 'Certificate requests refused, by sigil error code.', ['code']);
  registry.add(issued);
  registry.add(refused);
  registry.gauge('sigil_ct_tree_size', 'Entries in the CA\'s Certificate Transparency log (precertificates).', ctTreeSize);
  return {
    issued(type) { issued.cell(type).value += 1; },
    refused(code) { refused.cell(code).value += 1; },
  };
}
