/**
 * The CA's issuer configuration at start: Fulcio's configuration file when one is named (its JSON
 * form, or its YAML form as Fulcio's own config/identity/config.yaml is written; like Fulcio, the
 * text is read as JSON first and as YAML when it is not JSON), else the local issuer's default (its
 * email and CI issuer URLs under `<public-url>/oidc`).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/index.ts';
import { defaultIssuerConfig, parseIssuerConfig, type IssuerConfig } from '../ca/issuer-config.ts';
import { fulcioYamlToJsonShape } from '../ca/issuer-config-yaml.ts';
import { OIDC_BASE_PATH } from './oidc.ts';

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message.split('\n')[0] ?? cause.message : String(cause);
}

/**
 * Fulcio's YAML reader (go-yaml) ends an alias name at `:`, and its configuration writes map keys
 * as `*github-type:`; YAML 1.2 lets an alias name contain `:`, so such a key would read as an alias
 * named `github-type:`. A space before the colon of an alias key gives the meaning go-yaml gives.
 */
function goYamlAliasKeys(text: string): string {
  return text.replace(/^(\s*(?:-\s+)?\*[^\s:,[\]{}]+):(?=\s|$)/gm, '$1 :');
}

/** Decodes configuration text: JSON, else YAML mapped onto the JSON form. */
export function decodeIssuerConfigText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (jsonError) {
    let doc: unknown;
    try {
      doc = parseYaml(goYamlAliasKeys(text), { prettyErrors: false, maxAliasCount: 1000 }) as unknown;
    } catch (yamlError) {
      throw new ConfigError('ERR_OIDC_CONFIG_INVALID', `neither JSON (${reason(jsonError)}) nor YAML (${reason(yamlError)})`, { cause: yamlError });
    }
    if (typeof doc !== 'object' || doc === null) throw new ConfigError('ERR_OIDC_CONFIG_INVALID', `not a JSON object or YAML mapping (${reason(jsonError)})`);
    return fulcioYamlToJsonShape(doc);
  }
}

/**
 * Loads the configuration.
 * @throws ERR_OIDC_CONFIG_INVALID for an unreadable file, text that is neither JSON nor YAML, or a bad entry (naming the file)
 */
export function loadIssuerConfig(options: { readonly path?: string; readonly publicUrl: string }): IssuerConfig {
  if (options.path === undefined) return defaultIssuerConfig(`${options.publicUrl.replace(/\/+$/, '')}${OIDC_BASE_PATH}`);
  let text: string;
  try {
    text = readFileSync(options.path, 'utf8');
  } catch (cause) {
    throw new ConfigError('ERR_OIDC_CONFIG_INVALID', `cannot read the issuer configuration ${options.path}: ${reason(cause)}`, { cause });
  }
  try {
    return parseIssuerConfig(decodeIssuerConfigText(text));
  } catch (error) {
    throw new ConfigError('ERR_OIDC_CONFIG_INVALID', `${options.path}: ${reason(error)}`, { cause: error });
  }
}
