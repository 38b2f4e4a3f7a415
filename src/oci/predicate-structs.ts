/**
 * The Go structs cosign parses typed predicates into (in-toto-golang's slsa_provenance v0.2 and
 * v1 and Link, cosign's vulnerability scan), so sigil writes the predicate exactly as cosign
 * re-serializes it.
 */
import type { GoField, GoType } from './go-struct.ts';

const DIGEST_SET: GoType = 'string-map';

/** slsa_provenance/v0.2 ProvenancePredicate. */
export const SLSA_V02_FIELDS: readonly GoField[] = [
  ['builder', { struct: [['id', 'string']] }],
  ['buildType', 'string'],
  ['invocation', { struct: [
    ['configSource', { struct: [['uri', 'string', 'omitempty'], ['digest', DIGEST_SET, 'omitempty'], ['entryPoint', 'string', 'omitempty']] }, 'omitempty'],
    ['parameters', 'any', 'omitempty'],
    ['environment', 'any', 'omitempty'],
  ] }, 'omitempty'],
  ['buildConfig', 'any', 'omitempty'],
  ['metadata', { pointer: { struct: [
    ['buildInvocationID', 'string', 'omitempty'],
    ['buildStartedOn', { pointer: 'time' }, 'omitempty'],
    ['buildFinishedOn', { pointer: 'time' }, 'omitempty'],
    ['completeness', { struct: [['parameters', 'bool'], ['environment', 'bool'], ['materials', 'bool']] }],
    ['reproducible', 'bool'],
  ] } }, 'omitempty'],
  ['materials', { slice: { struct: [['uri', 'string', 'omitempty'], ['digest', DIGEST_SET, 'omitempty']] } }, 'omitempty'],
];

const RESOURCE_DESCRIPTOR: GoType = { struct: [
  ['uri', 'string', 'omitempty'], ['digest', DIGEST_SET, 'omitempty'], ['name', 'string', 'omitempty'],
  ['downloadLocation', 'string', 'omitempty'], ['mediaType', 'string', 'omitempty'], ['content', 'bytes', 'omitempty'],
  ['annotations', 'any-map', 'omitempty'],
] };

/** slsa_provenance/v1 ProvenancePredicate. */
export const SLSA_V1_FIELDS: readonly GoField[] = [
  ['buildDefinition', { struct: [
    ['buildType', 'string'], ['externalParameters', 'any'], ['internalParameters', 'any', 'omitempty'],
    ['resolvedDependencies', { slice: RESOURCE_DESCRIPTOR }, 'omitempty'],
  ] }],
  ['runDetails', { struct: [
    ['builder', { struct: [['id', 'string'], ['version', 'string-map', 'omitempty'], ['builderDependencies', { slice: RESOURCE_DESCRIPTOR }, 'omitempty']] }],
    ['metadata', { struct: [['invocationID', 'string', 'omitempty'], ['startedOn', { pointer: 'time' }, 'omitempty'], ['finishedOn', { pointer: 'time' }, 'omitempty']] }, 'omitempty'],
    ['byproducts', { slice: RESOURCE_DESCRIPTOR }, 'omitempty'],
  ] }],
];

/** in_toto.Link. */
export const LINK_FIELDS: readonly GoField[] = [
  ['_type', 'string'], ['name', 'string'], ['materials', 'any-map'], ['products', 'any-map'], ['byproducts', 'any-map'],
  ['command', { slice: 'string' }], ['environment', 'any-map'],
];

/** cosign's CosignVulnPredicate. */
export const VULN_FIELDS: readonly GoField[] = [
  ['invocation', { struct: [['parameters', 'any'], ['uri', 'string'], ['event_id', 'string'], ['builder.id', 'string']] }],
  ['scanner', { struct: [['uri', 'string'], ['version', 'string'], ['db', { struct: [['uri', 'string'], ['version', 'string']] }], ['result', 'any']] }],
  ['metadata', { struct: [['scanStartedOn', 'time'], ['scanFinishedOn', 'time']] }],
];
