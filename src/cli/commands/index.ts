/**
 * Every CLI command, registered in the order `sigil --help` lists them.
 * Each module registers its command with commander and loads heavy code only when it runs.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
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
  registerVersion, registerServer, registerGenerateKeyPair, registerPublicKey, registerSign, registerVerify,
  registerSignBlob, registerVerifyBlob, registerSignBundle, registerVerifyBundle, registerLog, registerDigest, registerCopy,
  registerTriangulate, registerTree, registerDownload, registerClean, registerScan, registerRegistry, registerToken, registerLogin,
];
