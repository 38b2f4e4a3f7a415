import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderCliDoc } from '../../scripts/render-cli.ts';

test('docs/cli.md is generated from the commands (run `npm run docs`)', () => {
  assert.equal(readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8'), renderCliDoc());
});
