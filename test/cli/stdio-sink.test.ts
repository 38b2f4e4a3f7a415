// The CLI's stdout/stderr sink: text straight to the descriptor, and Node's stream for a write
// the descriptor refuses and every write after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStdioSink } from '../../src/cli/stdio-sink.ts';
import { PROJECT_ROOT, runProgram } from '../support/peers.ts';
import { makeTempDir } from '../support/temp.ts';

/** A stand-in for process.stdout that records what it is given. */
function recordingStream(): { stream: NodeJS.WritableStream; written: string[] } {
  const written: string[] = [];
  const stream = { write: (chunk: string | Uint8Array) => { written.push(Buffer.from(chunk).toString('utf8')); return true; } } as unknown as NodeJS.WritableStream;
  return { stream, written };
}

test('text goes to the descriptor in order, UTF-8 intact, without building the stream', () => {
  const file = join(makeTempDir('stdio-sink'), 'out.txt');
  const fd = openSync(file, 'w');
  const { stream, written } = recordingStream();
  let built = 0;
  try {
    const sink = createStdioSink(fd, () => { built += 1; return stream; });
    sink.write('Verification for r/x:1 --\n');
    sink.write('✓ ünïcödé '.repeat(10_000));
    sink.write('\n');
    assert.equal(sink.isTTY, false);
  } finally {
    closeSync(fd);
  }
  assert.equal(readFileSync(file, 'utf8'), `Verification for r/x:1 --\n${'✓ ünïcödé '.repeat(10_000)}\n`);
  assert.deepEqual({ built, written }, { built: 0, written: [] });
});

test('a write the descriptor refuses goes to the stream, and so does every later one', () => {
  const file = join(makeTempDir('stdio-sink'), 'read-only.txt');
  writeFileSync(file, 'unchanged');
  const fd = openSync(file, 'r');
  const { stream, written } = recordingStream();
  try {
    const sink = createStdioSink(fd, () => stream);
    sink.write('first\n');
    sink.write('second\n');
  } finally {
    closeSync(fd);
  }
  assert.deepEqual(written, ['first\n', 'second\n']);
  assert.equal(readFileSync(file, 'utf8'), 'unchanged');
});

test('through a pipe, sigil prints what it printed through process.stdout and process.stderr', async () => {
  // the sources' CLI (not a bundle), on pipes: stdout and stderr apart, nothing lost at exit
  const main = join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
  const r = await runProgram(process.execPath, ['--disable-warning=ExperimentalWarning', main, 'version', '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match((JSON.parse(r.stdout) as { version: string }).version, /^\d+\.\d+\.\d+$/);
  const bad = await runProgram(process.execPath, ['--disable-warning=ExperimentalWarning', main, 'no-such-command']);
  assert.deepEqual({ code: bad.code, stdout: bad.stdout }, { code: 2, stdout: '' });
  assert.match(bad.stderr, /^error: unknown command 'no-such-command' \(ERR_USAGE\)\n$/);
});
