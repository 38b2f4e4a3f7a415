import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJsonBytes } from '../../src/core/index.ts';
import { encodeSetPayload } from '../../src/bundle/index.ts';

test('the SET payload is the JCS of {body, integratedTime, logID, logIndex}', () => {
  const cases: [string, number, string, number][] = [
    ['eyJhIjoxfQ==', 1700000000, 'c0d23d6a', 0],
    ['', 0, '', 9007199254740991],
    ['a"b\\c\u2028\u0001', 1.5e21, 'ff', 12345678901234],
  ];
  for (const [body, integratedTime, logID, logIndex] of cases) {
    assert.deepEqual(encodeSetPayload(body, integratedTime, logID, logIndex), canonicalJsonBytes({ logIndex, logID, integratedTime, body }));
  }
});
