import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, PROGRESS_MIN_BYTES } from '../../src/cli/progress.ts';

test('progress draws one line on a tty for big blobs only', () => {
  let out = '';
  const progress = createProgress({ write: (s: string) => { out += s; }, isTTY: true });
  progress.update('small', 10, 100);
  assert.equal(out, '');
  progress.update('abc', PROGRESS_MIN_BYTES / 2, PROGRESS_MIN_BYTES);
  assert.match(out, /\rabc|abc 8\.0\/16\.0 MiB 50%/);
  progress.done();
  assert.ok(out.endsWith('\r\x1b[2K'));
});

test('progress is silent when stderr is not a tty', () => {
  let out = '';
  const progress = createProgress({ write: (s: string) => { out += s; } });
  progress.update('abc', PROGRESS_MIN_BYTES, PROGRESS_MIN_BYTES * 2);
  progress.done();
  assert.equal(out, '');
});
