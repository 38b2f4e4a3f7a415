import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createTerminal, type TtyInput } from '../../src/adapters/terminal.ts';

class FakeTty extends EventEmitter implements TtyInput {
  raw: boolean[] = [];
  setRawMode(mode: boolean): this { this.raw.push(mode); return this; }
  resume(): this { return this; }
  pause(): this { return this; }
  type(...chunks: (string | Uint8Array)[]): void { queueMicrotask(() => { for (const c of chunks) this.emit('data', c); }); }
}

function setup(): { tty: FakeTty; out: () => string; terminal: ReturnType<typeof createTerminal> } {
  const tty = new FakeTty();
  let out = '';
  return { tty, out: () => out, terminal: createTerminal(tty, { write: (s: string) => { out += s; } }) };
}

test('readSecret reads a line in raw mode, without echo, handling backspace and split UTF-8', async () => {
  const { tty, out, terminal } = setup();
  const euro = new TextEncoder().encode('€');
  tty.type('pa', 'sx\u007f', euro.subarray(0, 1), euro.subarray(1), 's\r', 'ignored');
  assert.equal(await terminal.readSecret('Password: '), 'pas€s');
  assert.deepEqual(tty.raw, [true, false]);
  assert.equal(out(), 'Password: \n');
  assert.equal(tty.listenerCount('data'), 0);
});

test('readLine reads with echo (no raw mode)', async () => {
  const { tty, out, terminal } = setup();
  tty.type('y\n');
  assert.equal(await terminal.readLine('Continue? '), 'y');
  assert.deepEqual(tty.raw, []);
  assert.equal(out(), 'Continue? ');
});

test('Ctrl-C at a prompt is ERR_USAGE and leaves raw mode', async () => {
  const { tty, terminal } = setup();
  tty.type('ab\u0003');
  await assert.rejects(terminal.readSecret('Password: '), { code: 'ERR_USAGE' });
  assert.deepEqual(tty.raw, [true, false]);
});
