import { after, before } from 'node:test';
import { openPostgresLogStore } from '../../src/adapters/postgres/log-store.ts';
import { startPostgres, type PostgresServer } from '../support/postgres.ts';
import { runLogStoreContract } from './log-store-contract.ts';

let server: PostgresServer;
before(async () => { server = await startPostgres(); });
after(async () => { await server.stop(); });
let n = 0;

runLogStoreContract('postgres', () => {
  n += 1;
  const name = `log_${n}`;
  let url: Promise<string> | undefined;
  const connectionString = (): Promise<string> => (url ??= server.createDatabase(name));
  const open = async () => openPostgresLogStore({ connectionString: await connectionString() });
  return { open, reopen: open, replica: open };
});
