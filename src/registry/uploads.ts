/**
 * Pushing blobs (distribution-spec "Pushing blobs"): monolithic POST, chunked and streamed
 * PATCH, closing PUT, status, cancel, and cross-repository mount.
 */
import { InputError, NotFoundError, parseDigest } from '../core/index.ts';
import { parseRepositoryName } from '../oci/index.ts';
import type { RegistryDeps } from './deps.ts';
import type { UploadSession } from './ports.ts';
import { formatUploadRange, parseContentRange } from './ranges.ts';
import { contentLengthOf, headersWith, nameOf, observe, uploadIdOf } from './request.ts';
import type { RegistryRequest, RegistryResponse } from './types.ts';
import { createUploadState, type UploadState } from './upload-state.ts';

/** The upload handlers. */
export interface UploadHandlers {
  start(req: RegistryRequest): Promise<RegistryResponse>;
  patch(req: RegistryRequest): Promise<RegistryResponse>;
  put(req: RegistryRequest): Promise<RegistryResponse>;
  status(req: RegistryRequest): Promise<RegistryResponse>;
  cancel(req: RegistryRequest): Promise<RegistryResponse>;
}

function sessionHeaders(s: UploadSession): Record<string, string> {
  return headersWith({ location: `/v2/${s.name}/blobs/uploads/${s.id}`, range: formatUploadRange(s.sizeBytes), 'docker-upload-uuid': s.id });
}

function blobCreated(name: string, digest: string): RegistryResponse {
  return { status: 201, headers: headersWith({ location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest }) };
}

/** Creates the upload handlers over `deps`. */
export function createUploadHandlers(deps: RegistryDeps): UploadHandlers {
  const state = createUploadState(deps.content);
  const load = (req: RegistryRequest): Promise<UploadSession> => loadSession(deps, nameOf(req), uploadIdOf(req));
  return {
    start: (req) => start(deps, state, req),
    async patch(req) {
      const session = await load(req);
      return state.exclusive(session.id, async () => {
        // the state as of holding the lock: another request may have appended meanwhile
        const current = await loadSession(deps, session.name, session.id);
        const range = req.headers['content-range'];
        const expected = range === undefined ? contentLengthOf(req) : checkRange(current, range, contentLengthOf(req));
        const sizeBytes = await append(deps, state, current, req, expected);
        return { status: 202, headers: sessionHeaders({ ...current, sizeBytes }) };
      });
    },
    async put(req) {
      const session = await load(req);
      const digest = parseDigest(req.query.get('digest') ?? '').value;
      return state.exclusive(session.id, async () => {
        const current = await loadSession(deps, session.name, session.id);
        return finish(deps, state, current, digest, req);
      });
    },
    async status(req) {
      const session = await load(req);
      return { status: 204, headers: sessionHeaders(session) };
    },
    async cancel(req) {
      const session = await load(req);
      state.forget(session.id);
      await deps.sessions.delete(session.name, session.id);
      return { status: 204, headers: headersWith({}) };
    },
  };
}

async function loadSession(deps: RegistryDeps, name: string, id: string): Promise<UploadSession> {
  const session = await deps.sessions.get(name, id);
  if (session === undefined) throw new NotFoundError('ERR_OCI_UPLOAD_UNKNOWN', `unknown upload ${id} in repository ${name}`);
  return session;
}

/** A chunk must start where the data ends (else 416) and its length must match its range. */
function checkRange(session: UploadSession, header: string, contentLength: number | undefined): number {
  const range = parseContentRange(header);
  if (range.start !== session.sizeBytes) {
    throw new InputError('ERR_OCI_RANGE_INVALID', `chunk starts at ${range.start} but the upload has ${session.sizeBytes} bytes`, {
      details: { headers: { location: `/v2/${session.name}/blobs/uploads/${session.id}`, range: formatUploadRange(session.sizeBytes) } },
    });
  }
  const length = range.end - range.start + 1;
  if (contentLength !== undefined && contentLength !== length) {
    throw new InputError('ERR_OCI_UPLOAD_INVALID', `content-range ${header} covers ${length} bytes but content-length is ${contentLength}`);
  }
  return length;
}

/**
 * Appends a request's body to a session, hashing as it streams; checks the received size. Chunks
 * the request owns are handed to the store, which frees each once written: a 64 MiB upload then
 * holds a few chunks at a time instead of every chunk since the last garbage collection.
 */
async function append(deps: RegistryDeps, state: UploadState, session: UploadSession, req: RegistryRequest, expected: number | undefined): Promise<number> {
  const hash = state.hasherAt(session.id, session.sizeBytes);
  let received = 0;
  let sizeBytes: number;
  try {
    const chunks = observe(req.body, (chunk) => { received += chunk.byteLength; hash?.(chunk); });
    sizeBytes = await deps.content.append(session.name, session.id, chunks, req.bodyChunksOwned === true);
  } catch (error) {
    state.forget(session.id);
    throw error;
  }
  if (expected !== undefined && received !== expected) {
    state.forget(session.id);
    throw new InputError('ERR_OCI_SIZE_INVALID', `received ${received} bytes but ${expected} were declared`);
  }
  return sizeBytes;
}

/** Appends the optional last chunk, checks the digest, and makes the blob. */
async function finish(deps: RegistryDeps, state: UploadState, session: UploadSession, digest: string, req: RegistryRequest): Promise<RegistryResponse> {
  const expected = contentLengthOf(req);
  let sizeBytes = session.sizeBytes;
  if (expected !== 0 && (expected !== undefined || req.headers['transfer-encoding'] !== undefined)) {
    sizeBytes = await append(deps, state, session, req, expected);
  }
  const algorithm = parseDigest(digest).algorithm;
  const actual = await state.digestOf(session.name, session.id, sizeBytes, algorithm);
  if (actual !== digest) {
    await deps.sessions.delete(session.name, session.id);
    throw new InputError('ERR_OCI_DIGEST_INVALID', `uploaded content has digest ${actual}, not ${digest}`);
  }
  await deps.content.commit(session.name, session.id, digest);
  return blobCreated(session.name, digest);
}

/** POST: mount from another repository, a whole blob in one request, or a new session. */
async function start(deps: RegistryDeps, state: UploadState, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const mount = req.query.get('mount');
  const from = req.query.get('from');
  if (mount !== null && from !== null) {
    const digest = parseDigest(mount).value;
    const source = parseRepositoryName(from);
    if ((await deps.blobs.stat(source, digest)) !== undefined && (await deps.blobs.link(name, digest))) return blobCreated(name, digest);
  }
  const digestText = req.query.get('digest');
  const digest = digestText === null ? undefined : parseDigest(digestText).value;
  const session = await deps.sessions.create(name, deps.random.uuid(), deps.clock());
  if (digest === undefined) return { status: 202, headers: sessionHeaders(session) };
  try {
    return await state.exclusive(session.id, () => finish(deps, state, session, digest, req));
  } catch (error) {
    // a monolithic upload that failed leaves nothing behind
    state.forget(session.id);
    await deps.sessions.delete(session.name, session.id);
    throw error;
  }
}
