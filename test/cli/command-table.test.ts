// `sigil NAME ...` registers only NAME: the table must name every command, each entry must
// register exactly the command it is named after, and what a run prints must not change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS_BY_NAME } from '../../src/cli/commands/index.ts';
import { createProgram, run, type CommandContext } from '../../src/cli/main.ts';

function context(): CommandContext {
  const sink = { write: () => undefined };
  return { io: { stdout: sink, stderr: sink, env: {}, cwd: '.' }, exitCode: 0 };
}

async function capture(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } }, env: {}, cwd: '.' });
  return { code, out, err };
}

test('the table names every command of the full program, each registering just itself', () => {
  const all = createProgram(context()).commands.map((c) => c.name());
  assert.deepEqual(Object.keys(COMMANDS_BY_NAME).sort(), [...all].sort());
  for (const name of all) {
    const single = createProgram(context(), name);
    assert.deepEqual(single.commands.map((c) => c.name()), [name]);
    const full = createProgram(context()).commands.find((c) => c.name() === name);
    assert.equal(single.commands[0]?.helpInformation(), full?.helpInformation(), name);
  }
});

test('a first argument that is no command name (an option, help, a typo) gets the full program', async () => {
  assert.equal(createProgram(context(), '--verbose').commands.length, Object.keys(COMMANDS_BY_NAME).length);
  assert.equal(createProgram(context(), 'constructor').commands.length, Object.keys(COMMANDS_BY_NAME).length);
  const typo = await capture(['verfy']);
  assert.equal(typo.code, 2);
  assert.match(typo.err, /unknown command 'verfy'/);
  assert.match(typo.err, /Did you mean verify\?/);
  const help = await capture(['help', 'verify']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: sigil verify \[options\] <image>/);
});

test('usage errors of a command read the same with one command registered', async () => {
  const missing = await capture(['verify', 'example.test/app:v1']);
  assert.equal(missing.code, 2);
  // without --key, verify is keyless and asks for an identity, with cosign's message
  assert.match(missing.err, /^error: --certificate-identity or --certificate-identity-regexp is required for verification in keyless mode \(ERR_USAGE\)\n$/);
  const unknown = await capture(['version', '--nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option '--nope'/);
});
