import { after, before } from 'node:test';
// An in-process `sigil server` (registry only) on an ephemeral loopback port, and small OCI
// client helpers over fetch for the registry tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { startServer, type RunningServer } from '../../src/server/index.ts';

/** A running test server and its data directory. */
export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  readonly server: RunningServer;
  /** stops the server (keeping the data) */
  stop(): Promise<void>;
}

/** Makes a temp dir removed by the returned cleanup. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts a server on 127.0.0.1:0 storing under `dataDir`. */
export async function startTestServer(dataDir: string, htpasswdPath?: string): Promise<TestServer> {
  const server = await startServer({
    address: { host: '127.0.0.1', port: 0 },
    dataDir,
    services: ['registry'],
    log: () => undefined,
    ...(htpasswdPath !== undefined ? { htpasswdPath } : {}),
  });
  return { url: server.url, dataDir, server, stop: () => server.stop(1000) };
}

/** sha256 digest string of `data`. */
export function digestOf(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Pushes a blob in one POST; returns its digest. */
export async function pushBlob(url: string, name: string, data: Uint8Array | string): Promise<string> {
  const digest = digestOf(data);
  const res = await fetch(`${url}/v2/${name}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: data });
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`push blob: status ${res.status}`);
  return digest;
}

/** An OCI image manifest over `config` and `layers` (already pushed), with optional extras. */
export function imageManifest(config: string, configBytes: Uint8Array | string, layers: readonly [string, number][], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: typeof configBytes === 'string' ? Buffer.byteLength(configBytes) : configBytes.byteLength },
    layers: layers.map(([digest, size]) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size })),
    ...extra,
  });
}

/** Pushes a minimal image (config + one layer) to `name:reference`; returns the manifest digest and body. */
export async function pushImage(url: string, name: string, reference: string, seed: string, extra: Record<string, unknown> = {}): Promise<{ digest: string; body: string }> {
  const config = `{"seed":${JSON.stringify(seed)}}`;
  const layer = `layer-${seed}`;
  const configDigest = await pushBlob(url, name, config);
  const layerDigest = await pushBlob(url, name, layer);
  const body = imageManifest(configDigest, config, [[layerDigest, layer.length]], extra);
  const res = await putManifest(url, name, reference, body);
  await res.arrayBuffer();
  if (res.status !== 201) throw new Error(`push manifest: status ${res.status}`);
  return { digest: digestOf(body), body };
}

/** PUTs a manifest body. */
export function putManifest(url: string, name: string, reference: string, body: string, mediaType = 'application/vnd.oci.image.manifest.v1+json'): Promise<Response> {
  return fetch(`${url}/v2/${name}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body });
}

/** The distribution-spec error code of an error response body. */
export async function ociCode(res: Response): Promise<string | undefined> {
  const body: unknown = await res.json();
  const errors: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'errors') : undefined;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const code: unknown = typeof first === 'object' && first !== null ? Reflect.get(first, 'code') : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** GETs `path` exactly as written (fetch would normalize `..` and `%2e`); resolves to status and body. */
export function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'GET', path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts one in-process registry for the calling test file (before) and stops it (after). */
export function useTestServer(): { srv: TestServer } {
  const holder = {} as { srv: TestServer };
  let cleanup: () => Promise<void> = async () => undefined;
  before(async () => {
    const tmp = await makeTempDir();
    cleanup = tmp.cleanup;
    holder.srv = await startTestServer(tmp.dir);
  });
  after(async () => { await holder.srv.stop(); await cleanup(); });
  return holder;
}
