import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPasswordSource } from '../../src/adapters/password.ts';
import type { Terminal } from '../../src/adapters/terminal.ts';

function terminal(answers: string[]): Terminal & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    readLine: async (p) => { prompts.push(p); return answers.shift() ?? ''; },
    readSecret: async (p) => { prompts.push(p); return answers.shift() ?? ''; },
  };
}

test('COSIGN_PASSWORD wins, even when empty, and nothing is prompted', async () => {
  const t = terminal(['typed']);
  assert.equal(await createPasswordSource({ env: { COSIGN_PASSWORD: '' }, terminal: t })(), '');
  assert.equal(await createPasswordSource({ env: { COSIGN_PASSWORD: 'x y' }, terminal: t }, { confirm: true })(), 'x y');
  assert.deepEqual(t.prompts, []);
});

test('without COSIGN_PASSWORD a terminal is asked, with cosign prompt text', async () => {
  const t = terminal(['pw']);
  assert.equal(await createPasswordSource({ env: {}, terminal: t })(), 'pw');
  assert.deepEqual(t.prompts, ['Enter password for private key: ']);
});

test('a new key asks twice; a mismatch is ERR_KEY_PASSWORD_MISMATCH', async () => {
  const same = terminal(['pw', 'pw']);
  assert.equal(await createPasswordSource({ env: {}, terminal: same }, { confirm: true })(), 'pw');
  assert.deepEqual(same.prompts, ['Enter password for private key: ', 'Enter password for private key again: ']);
  await assert.rejects(createPasswordSource({ env: {}, terminal: terminal(['pw', 'pW']) }, { confirm: true })(), { code: 'ERR_KEY_PASSWORD_MISMATCH' });
});

test('no COSIGN_PASSWORD and no terminal is ERR_KEY_PASSWORD_MISSING', async () => {
  await assert.rejects(createPasswordSource({ env: {} })(), { code: 'ERR_KEY_PASSWORD_MISSING' });
});
