import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLogStore } from '../../src/adapters/sqlite/log-store.ts';
import { runLogStoreContract } from './log-store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'sigil-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runLogStoreContract('sqlite', () => {
  n += 1;
  const file = join(dir, `log-${n}.db`);
  return { open: async () => openSqliteLogStore(file), reopen: async () => openSqliteLogStore(file) };
});

runLogStoreContract('sqlite with a writer thread', () => {
  n += 1;
  const file = join(dir, `log-${n}.db`);
  return { open: async () => openSqliteLogStore(file, { writerThread: true }), reopen: async () => openSqliteLogStore(file, { writerThread: true }) };
});
