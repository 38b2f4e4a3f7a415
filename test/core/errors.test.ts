import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERRORS, AppError, InputError, isAppError, toAppError, type ErrorSpec } from '../../src/core/errors.ts';
import { renderErrorsDoc } from '../../scripts/render-errors.ts';

test('docs/errors.md is generated from the catalogue (run `npm run docs`)', () => {
  const onDisk = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderErrorsDoc());
});

test('every code is ERR_<AREA>_<CONDITION> with a sane row', () => {
  for (const [code, spec] of Object.entries(ERRORS) as [string, ErrorSpec][]) {
    assert.match(code, /^ERR_[A-Z0-9]+(_[A-Z0-9]+)+$|^ERR_(INTERNAL|USAGE|NETWORK)$/, code);
    assert.ok([1, 2, 3, 4, 5, 10, 11, 12, 13].includes(spec.exit), `${code} exit ${spec.exit}`);
    assert.ok(spec.http >= 400 && spec.http < 600, `${code} http ${spec.http}`);
    assert.match(spec.summary, /^[a-z].{10,}[^.]$/, code);
    if (spec.kind === 'internal') assert.equal(spec.exit, 1, code);
    if (spec.kind === 'auth') assert.equal(spec.exit, 5, code);
  }
});

test('AppError carries code, cause and its subclass name', () => {
  const cause = new Error('boom');
  const e = new InputError('ERR_OCI_DIGEST_INVALID', 'bad digest', { cause, details: { at: 1 } });
  assert.equal(e.code, 'ERR_OCI_DIGEST_INVALID');
  assert.equal(e.name, 'InputError');
  assert.equal(e.cause, cause);
  assert.deepEqual(e.details, { at: 1 });
  assert.ok(isAppError(e));
  assert.equal(e.spec.exit, 2);
});

test('toAppError wraps foreign errors once and keeps AppErrors', () => {
  const app = new AppError('ERR_NETWORK', 'x');
  assert.equal(toAppError(app), app);
  const wrapped = toAppError(new TypeError('y'));
  assert.equal(wrapped.code, 'ERR_INTERNAL');
  assert.ok(wrapped.cause instanceof TypeError);
});
