/** `sigil public-key`: prints the public key of a private key, as `cosign public-key` does. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { parseOutputFormat, writeJson } from '../output.ts';

interface PublicKeyOptions {
  readonly key: string;
  readonly outfile?: string;
  readonly output: string;
}

/** Registers `sigil public-key`. */
export function registerPublicKey(program: Command, ctx: CommandContext): void {
  program
    .command('public-key')
    .description('print the public key (PEM) of a private key')
    .requiredOption('--key <ref>', 'the private key: a file path or env://VAR (encrypted keys read COSIGN_PASSWORD, or prompt)')
    .option('--outfile <path>', 'write the public key to this file instead of stdout')
    .option('--output <format>', 'text or json', 'text')
    .action((opts: PublicKeyOptions) => runPublicKey(opts, ctx));
}

async function runPublicKey(opts: PublicKeyOptions, ctx: CommandContext): Promise<void> {
  const { io } = ctx;
  const format = parseOutputFormat(opts.output);
  const { loadPrivateKeyFromRef } = await import('../key-loader.ts');
  const { encodePublicKeyPem } = await import('../../core/index.ts');
  const loaded = await loadPrivateKeyFromRef(opts.key, io);
  const publicKeyPem = encodePublicKeyPem(loaded.key.publicKey());
  if (opts.outfile !== undefined) {
    const { writeFilesAtomically } = await import('../../adapters/key-files.ts');
    await writeFilesAtomically([{ path: resolve(io.cwd, opts.outfile), shown: opts.outfile, text: publicKeyPem, mode: 0o644 }], { overwrite: true });
  }
  if (format === 'json') {
    writeJson(io.stdout, { keyType: loaded.key.type, publicKey: publicKeyPem, ...(opts.outfile === undefined ? {} : { outfile: opts.outfile }) });
  } else if (opts.outfile === undefined) {
    io.stdout.write(publicKeyPem);
  } else {
    io.stderr.write(`Public key written to ${opts.outfile}\n`);
  }
}
