// Types for the prom-client modules sigil imports one by one (src/server/metrics/prom.ts): the
// package's index also loads its Pushgateway (https, zlib) and cluster aggregation, which a
// server that only exposes metrics never uses. The classes are the ones index.d.ts declares.
declare module 'prom-client/lib/registry.js' {
  import type { Registry } from 'prom-client';
  const RegistryClass: typeof Registry;
  export = RegistryClass;
}
declare module 'prom-client/lib/gauge.js' {
  import type { Gauge } from 'prom-client';
  const GaugeClass: typeof Gauge;
  export = GaugeClass;
}
