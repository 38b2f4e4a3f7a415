// A lean HTTP/1.1 keep-alive POST client for load generation: one socket, one request in
// flight, the answer read just far enough to know its status and body (Content-Length framing,
// which sigil's JSON answers always carry). On a 2-core machine the benchmark's clients share
// the cores with the server; node:http's client costs about as much CPU per request as the
// server's whole append, so a load generator as lean as wrk's keeps the measurement on the server.
import { connect, type Socket } from 'node:net';

/** One answer. */
export interface PostAnswer { readonly status: number; readonly body: string }

/** A connection that POSTs JSON to one path. */
export interface PostClient {
  post(body: string): Promise<PostAnswer>;
  close(): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function parseHead(head: string): { status: number; length: number } {
  const status = Number(head.slice(9, 12));
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!Number.isInteger(status) || m === null) throw new Error(`unexpected answer head: ${head.slice(0, 200)}`);
  return { status, length: Number(m[1]) };
}

/** Opens a keep-alive connection to `url`'s host for POSTs to its path. */
export async function openPostClient(url: string): Promise<PostClient> {
  const { hostname, port, pathname, host } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port), noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let pending: { resolve(a: PostAnswer): void; reject(e: unknown): void } | undefined;
  let buffered: Buffer = Buffer.alloc(0);
  let head: { status: number; length: number; start: number } | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    if (head === undefined) {
      const end = buffered.indexOf(HEADER_END);
      if (end < 0) return;
      head = { ...parseHead(buffered.toString('latin1', 0, end)), start: end + 4 };
    }
    if (buffered.length < head.start + head.length) return;
    const answer = { status: head.status, body: buffered.toString('utf8', head.start, head.start + head.length) };
    buffered = buffered.subarray(head.start + head.length);
    head = undefined;
    const p = pending;
    pending = undefined;
    p?.resolve(answer);
  });
  const fail = (error: unknown): void => { const p = pending; pending = undefined; p?.reject(error); };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  const prefix = `POST ${pathname} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: `;
  return {
    post(body) {
      return new Promise<PostAnswer>((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(`${prefix}${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close: () => socket.destroy(),
  };
}
