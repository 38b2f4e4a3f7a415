/**
 * The CA's issuer configuration at start: Fulcio's JSON file when one is named, else the
 * local issuer's default (its email and CI issuer URLs under `<public-url>/oidc`).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.ts';
import { defaultIssuerConfig, parseIssuerConfig, type IssuerConfig } from '../ca/issuer-config.ts';
import { OIDC_BASE_PATH } from './oidc.ts';

/**
 * Loads the configuration.
 * @throws ERR_OIDC_CONFIG_INVALID for an unreadable file, bad JSON or a bad entry (naming the file)
 */
export function loadIssuerConfig(options: { readonly path?: string; readonly publicUrl: string }): IssuerConfig {
  if (options.path === undefined) return defaultIssuerConfig(`${options.publicUrl.replace(/\/+$/, '')}${OIDC_BASE_PATH}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(options.path, 'utf8'));
  } catch (cause) {
    throw new ConfigError('ERR_OIDC_CONFIG_INVALID', `cannot read the issuer configuration ${options.path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  try {
    return parseIssuerConfig(json);
  } catch (error) {
    throw new ConfigError('ERR_OIDC_CONFIG_INVALID', `${options.path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
