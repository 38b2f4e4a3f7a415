// Go's time.ParseDuration as cosign's -t/--timeout takes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from '../../src/cli/go-duration.ts';

const valid: [string, number][] = [['0', 0], ['3m0s', 180_000], ['90s', 90_000], ['1h30m', 5_400_000], ['1.5h', 5_400_000], ['300ms', 300], ['2us', 0.002], ['+5s', 5000], ['.5s', 500]];
for (const [text, ms] of valid) test(`${text} is ${ms} ms`, () => assert.equal(parseGoDuration('--timeout', text), ms));

for (const text of ['', '5', '5 minutes', '1d', 's', '-1s', '3m0', '1..5s']) {
  test(`${JSON.stringify(text)} is refused`, () => assert.throws(() => parseGoDuration('--timeout', text), { code: 'ERR_USAGE' }));
}
