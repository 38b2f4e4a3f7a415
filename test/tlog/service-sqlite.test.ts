import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLogStore } from '../../src/adapters/sqlite/log-store.ts';
import { runLogServiceSuite } from './service-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'sigil-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runLogServiceSuite('sqlite', async () => openSqliteLogStore(join(dir, `log-${++n}.db`)));
