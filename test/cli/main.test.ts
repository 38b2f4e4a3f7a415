import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../src/cli/main.ts';

function capture(): { io: Parameters<typeof run>[1]; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } }, env: {}, cwd: '.' },
    out: () => out, err: () => err,
  };
}

test('an unknown command is a usage error with exit 2 and a code', async () => {
  const c = capture();
  assert.equal(await run(['frobnicate'], c.io), 2);
  assert.match(c.err(), /^error: unknown command 'frobnicate' \(ERR_USAGE\)\n$/);
});

test('a bad --output value is a usage error', async () => {
  const c = capture();
  assert.equal(await run(['version', '--output', 'xml'], c.io), 2);
  assert.match(c.err(), /\(ERR_USAGE\)/);
});

test('version prints text and json', async () => {
  const t = capture();
  assert.equal(await run(['version'], t.io), 0);
  assert.match(t.out(), /^sigil \d+\.\d+\.\d+\n$/);
  const j = capture();
  assert.equal(await run(['version', '--output', 'json'], j.io), 0);
  assert.match((JSON.parse(j.out()) as { version: string }).version, /^\d+\.\d+\.\d+$/);
});

test('--help exits 0 and lists commands', async () => {
  const c = capture();
  assert.equal(await run(['--help'], c.io), 0);
  assert.match(c.out(), /Commands:/);
});
