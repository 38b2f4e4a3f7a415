// Interop: the real peers (skopeo 1.18, oras 1.2, podman) push to and pull from sigil's embedded
// registry, started as a real `sigil server` process, and digests stay identical.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPeer, runProgram, runSigil, PROJECT_ROOT, expectSuccess } from '../support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';

const sha256 = (b: Uint8Array | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function makeImage(layout: string, args: readonly string[] = []): Promise<string> {
  const r = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), ...args, layout]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

const ok = expectSuccess;

describe('real peers against sigil registry', () => {
  let dir = '';
  let server: SigilServerProcess;
  let single = '';
  let multi = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigil-interop-'));
    server = await startSigilServer(join(dir, 'data'));
    single = await makeImage(join(dir, 'single'));
    multi = await makeImage(join(dir, 'multi'), ['--platforms', 'linux/amd64,linux/arm64/v8', '--size-kib', '256']);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
    await rm(dir, { recursive: true, force: true });
  });

  test('skopeo pushes an image; sigil and skopeo read back the same digest', async () => {
    const ref = `${server.host}/interop/single:v1`;
    await ok(runPeer('skopeo', ['copy', '--dest-tls-verify=false', `oci:${join(dir, 'single')}:latest`, `docker://${ref}`]));
    const raw = await ok(runPeer('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]));
    assert.equal(sha256(raw), single);
    assert.equal((await ok(runSigil(['digest', ref]))).trim(), single);
  });

  test('skopeo pushes a multi-platform index and pulls it back byte for byte', async () => {
    const ref = `${server.host}/interop/multi:v1`;
    await ok(runPeer('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${join(dir, 'multi')}:latest`, `docker://${ref}`]));
    const out = join(dir, 'multi-back');
    await ok(runPeer('skopeo', ['copy', '--all', '--src-tls-verify=false', `docker://${ref}`, `oci:${out}:latest`]));
    const original = (await readdir(join(dir, 'multi', 'blobs', 'sha256'))).sort();
    const back = (await readdir(join(out, 'blobs', 'sha256'))).sort();
    assert.deepEqual(back, original);
    for (const hex of back) {
      assert.equal(sha256(await readFile(join(out, 'blobs', 'sha256', hex))), `sha256:${hex}`);
    }
    assert.equal((await ok(runSigil(['digest', ref]))).trim(), multi);
  });

  test('oras pushes and pulls a file artifact with identical digests', async () => {
    const work = join(dir, 'oras');
    await mkdir(work, { recursive: true });
    await writeFile(join(work, 'notes.txt'), 'release notes for the interop test\n');
    const ref = `${server.host}/interop/artifact:v1`;
    await ok(runPeer('oras', ['push', '--plain-http', '--artifact-type', 'application/vnd.sigil.test', ref, 'notes.txt:text/plain'], { cwd: work }));
    const descriptor = JSON.parse(await ok(runPeer('oras', ['manifest', 'fetch', '--plain-http', '--descriptor', ref]))) as { digest: string };
    const manifest = await ok(runPeer('oras', ['manifest', 'fetch', '--plain-http', ref]));
    assert.equal(sha256(manifest), descriptor.digest);
    assert.equal((await ok(runSigil(['digest', ref]))).trim(), descriptor.digest);
    const pulled = join(dir, 'oras-pulled');
    await ok(runPeer('oras', ['pull', '--plain-http', '-o', pulled, ref]));
    assert.equal(await readFile(join(pulled, 'notes.txt'), 'utf8'), 'release notes for the interop test\n');
  });

  test('oras attach and discover go through the referrers API', async () => {
    const subject = `${server.host}/interop/single@${single}`;
    const work = join(dir, 'attach');
    await mkdir(work, { recursive: true });
    await writeFile(join(work, 'sbom.json'), '{"sbom":true}\n');
    const api = ['--distribution-spec', 'v1.1-referrers-api'];
    await ok(runPeer('oras', ['attach', '--plain-http', ...api, '--artifact-type', 'application/vnd.sigil.sbom', subject, 'sbom.json:application/json'], { cwd: work }));
    const found = JSON.parse(await ok(runPeer('oras', ['discover', '--plain-http', ...api, '--format', 'json', subject]))) as Record<string, unknown>;
    const text = JSON.stringify(found);
    assert.match(text, /application\/vnd\.sigil\.sbom/);
    // the registry answered the referrers API itself, not a tag-schema fallback
    const res = await fetch(`${server.url}/v2/interop/single/referrers/${single}?artifactType=application/vnd.sigil.sbom`);
    assert.equal(res.status, 200);
    const index = await res.json() as { manifests: { artifactType?: string }[] };
    assert.equal(index.manifests.length, 1);
    assert.equal(index.manifests[0]?.artifactType, 'application/vnd.sigil.sbom');
  });

  test('podman pulls an image from sigil', async () => {
    const ref = `${server.host}/interop/single:v1`;
    const store = ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run'), '--storage-driver', 'vfs'];
    await ok(runPeer('podman', [...store, 'pull', '--tls-verify=false', ref]));
    const images = JSON.parse(await ok(runPeer('podman', [...store, 'images', '--digests', '--format', 'json']))) as { Digest: string }[];
    assert.ok(images.some((i) => i.Digest === single), JSON.stringify(images));
  });
});
