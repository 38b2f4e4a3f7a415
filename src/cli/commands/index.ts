/**
 * Every CLI command, registered in the order `sigil --help` lists them.
 * Each module registers its command with commander and loads heavy code only when it runs.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { registerVerifyBundle } from './verify-bundle.ts';
import { registerVersion } from './version.ts';

/** Registers one command (or a group) on the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** All commands. */
export const COMMANDS: readonly RegisterCommand[] = [registerVerifyBundle, registerVersion];
