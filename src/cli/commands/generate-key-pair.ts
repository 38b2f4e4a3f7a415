/**
 * `sigil generate-key-pair`: writes an encrypted ECDSA P-256 private key and its public key, in
 * the files and format `cosign generate-key-pair` writes (`cosign.key`, `cosign.pub`).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConflictError, UsageError } from '../../core/errors.ts';
import type { CliIo } from '../io.ts';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

interface GenerateOptions {
  readonly outputKeyPrefix: string;
  readonly force?: boolean;
  readonly output: string;
}

/** Registers `sigil generate-key-pair`. */
export function registerGenerateKeyPair(program: Command, ctx: CommandContext): void {
  program
    .command('generate-key-pair')
    .description('generate an encrypted key pair (cosign.key, cosign.pub) for signing with --key')
    .option('--output-key-prefix <prefix>', 'name of the .key and .pub files to write', 'cosign')
    .option('-f, --force', 'overwrite existing key files without asking')
    .option('--output <format>', 'text or json', 'text')
    .addHelpText('after', '\nThe password comes from COSIGN_PASSWORD when set (it may be empty), else a terminal prompt.')
    .action((opts: GenerateOptions) => runGenerateKeyPair(opts, ctx));
}

async function runGenerateKeyPair(opts: GenerateOptions, ctx: CommandContext): Promise<void> {
  const { io } = ctx;
  const format = parseOutputFormat(opts.output);
  if (opts.outputKeyPrefix === '') throw new UsageError('ERR_USAGE', '--output-key-prefix must not be empty');
  const keyFile = { shown: `${opts.outputKeyPrefix}.key`, path: resolve(io.cwd, `${opts.outputKeyPrefix}.key`) };
  const pubFile = { shown: `${opts.outputKeyPrefix}.pub`, path: resolve(io.cwd, `${opts.outputKeyPrefix}.pub`) };
  const overwrite = opts.force === true || (await confirmOverwrite([keyFile, pubFile], io));
  const [{ createPasswordSource }, { createKeyPairFiles }, { systemRandom }, { writeFilesAtomically }] = await Promise.all([
    import('../../adapters/password.ts'), import('../../sign/key-file.ts'), import('../../adapters/system.ts'), import('../../adapters/key-files.ts'),
  ]);
  const password = await createPasswordSource(io, { confirm: true })();
  const pair = await createKeyPairFiles(password, systemRandom);
  await writeFilesAtomically([
    { ...keyFile, text: pair.privateKeyPem, mode: 0o600 },
    { ...pubFile, text: pair.publicKeyPem, mode: 0o644 },
  ], { overwrite });
  if (format === 'json') {
    writeJson(io.stdout, { keyType: pair.keyType, privateKey: keyFile.shown, publicKey: pubFile.shown });
  } else {
    io.stderr.write(`Private key written to ${keyFile.shown}\nPublic key written to ${pubFile.shown}\n`);
  }
}

/**
 * Decides whether existing files may be replaced: not when there are none; on a terminal, asks as
 * cosign does; elsewhere refuses, since nobody can answer.
 * @throws ERR_KEY_FILE_EXISTS when a file exists and replacing it is not confirmed
 */
async function confirmOverwrite(files: readonly { readonly path: string; readonly shown: string }[], io: CliIo): Promise<boolean> {
  const { findExistingFiles } = await import('../../adapters/key-files.ts');
  const existing = new Set(await findExistingFiles(files.map((f) => f.path)));
  const shown = files.filter((f) => existing.has(f.path)).map((f) => f.shown);
  if (shown.length === 0) return false;
  const refusal = `${shown.join(' and ')} already ${shown.length === 1 ? 'exists' : 'exist'}`;
  if (!io.terminal) throw new ConflictError('ERR_KEY_FILE_EXISTS', `${refusal}: pass --force to overwrite`);
  // one question covers both files; cosign names the file in it the same way
  const question = shown.map((name) => `WARNING: File ${name} already exists. Overwrite?\n`).join('');
  const answer = await io.terminal.readLine(`${question}Are you sure you would like to continue? [y/N] `);
  if (!/^\s*y(es)?\s*$/i.test(answer)) throw new ConflictError('ERR_KEY_FILE_EXISTS', `${refusal}: not overwriting`);
  return true;
}
