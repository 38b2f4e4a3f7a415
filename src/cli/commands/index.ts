/**
 * Every CLI command, registered in the order `sigil --help` lists them.
 * Each module registers its command with commander and loads heavy code only when it runs.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { registerAttest } from './attest.ts';
import { registerClean } from './clean.ts';
import { registerCopy } from './copy.ts';
import { registerDigest } from './digest.ts';
import { registerDownload } from './download.ts';
import { registerLog } from './log.ts';
import { registerGenerateKeyPair } from './generate-key-pair.ts';
import { registerPublicKey } from './public-key.ts';
import { registerRegistry } from './registry.ts';
import { registerScan } from './scan.ts';
import { registerSign } from './sign.ts';
import { registerSignBlob } from './sign-blob.ts';
import { registerSignBundle } from './sign-bundle.ts';
import { registerTree } from './tree.ts';
import { registerTriangulate } from './triangulate.ts';
import { registerVerify } from './verify.ts';
import { registerVerifyAttestation } from './verify-attestation.ts';
import { registerVerifyBlob } from './verify-blob.ts';
import { registerServer } from './server.ts';
import { registerVerifyBundle } from './verify-bundle.ts';
import { registerVersion } from './version.ts';
import { registerToken } from './token.ts';
import { registerLogin } from './login.ts';

/** Registers one command (or a group) on the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** All commands. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerVersion, registerServer, registerGenerateKeyPair, registerPublicKey, registerSign, registerVerify, registerAttest, registerVerifyAttestation,
  registerSignBlob, registerVerifyBlob, registerSignBundle, registerVerifyBundle, registerLog, registerDigest, registerCopy,
  registerTriangulate, registerTree, registerDownload, registerClean, registerScan, registerRegistry, registerToken, registerLogin,
];

/**
 * Each top-level command's name and the function that registers it. `sigil NAME ...` registers
 * only that command: building all of them is a tenth of a short run's start-up. A command missing
 * here still works (every command is registered then); test/cli/command-table.test.ts checks the names.
 */
export const COMMANDS_BY_NAME: Readonly<Record<string, RegisterCommand>> = {
  version: registerVersion, server: registerServer, 'generate-key-pair': registerGenerateKeyPair, 'public-key': registerPublicKey,
  sign: registerSign, verify: registerVerify, attest: registerAttest, 'verify-attestation': registerVerifyAttestation, 'sign-blob': registerSignBlob, 'verify-blob': registerVerifyBlob,
  'sign-bundle': registerSignBundle, 'verify-bundle': registerVerifyBundle, log: registerLog, digest: registerDigest, copy: registerCopy, triangulate: registerTriangulate,
  tree: registerTree, download: registerDownload, clean: registerClean, scan: registerScan, registry: registerRegistry,
  token: registerToken, login: registerLogin,
};
