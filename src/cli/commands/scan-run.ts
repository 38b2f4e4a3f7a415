/**
 * The work of `sigil scan fs`, loaded only when it runs: walks directories and reports the
 * signatures of signed JARs and Authenticode PE files, verified (`sigil scan repo` is scan-repo-run.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { InputError, UsageError, VerificationError } from '../../core/index.ts';
import { mapBounded, openRandomAccessFile, walkFiles, type WalkItem } from '../../adapters/fs-walk/index.ts';
import {
  DEFAULT_SCAN_OPTIONS, listFindings, parseCertificatesPem, renderCsv, renderJson, renderPretty, renderSarif, reportUnscannable, scanFileDeep,
  type FileReport, type ScanOptions, type ScanReport, type ScanTrust,
} from '../../scan/index.ts';
import type { CommandContext } from '../main.ts';
import { parseConcurrency, parseFailOn, parseFormat, type ScanFormat } from './scan-flags.ts';
import { createScanProgress } from './scan-progress.ts';
import { SIGIL_VERSION } from './version.ts';

/** The flags of `sigil scan fs`. */
export interface FsOptions {
  readonly output: string;
  readonly concurrency: string;
  readonly failOn?: string;
  readonly maxHashSize: string;
  readonly caFile?: string;
}

/**
 * Parses a size such as `4096`, `512m` or `4g` (binary units).
 * @throws ERR_USAGE for anything else
 */
export function parseSize(value: string): number {
  const m = /^(\d+)([kmgt]?)i?b?$/i.exec(value.trim());
  if (!m) throw new UsageError('ERR_USAGE', `--max-hash-size must be a byte count like 4096, 512m or 4g, got ${JSON.stringify(value)}`);
  const power = ' kmgt'.indexOf((m[2] ?? '').toLowerCase() || ' ');
  return Number(m[1]) * 1024 ** power;
}

function render(report: ScanReport, format: ScanFormat): string {
  if (format === 'json') return renderJson(report);
  if (format === 'csv') return renderCsv(report);
  if (format === 'sarif') return renderSarif(report, SIGIL_VERSION);
  return renderPretty(report);
}

async function scanItem(item: WalkItem, options: ScanOptions): Promise<readonly FileReport[]> {
  if (item.kind !== 'file') return [reportUnscannable(item.path, item.kind, item.error)];
  let file;
  try {
    file = await openRandomAccessFile(item.path);
  } catch (error) {
    const kind = (error as { code?: string }).code === 'ERR_SCAN_FILE_UNSUPPORTED' ? 'unsupported' : 'unreadable';
    return [reportUnscannable(item.path, kind, error)];
  }
  try {
    return await scanFileDeep(item.path, file, options);
  } catch (error) {
    return [reportUnscannable(item.path, 'unreadable', error)]; // scanFile reports bad input itself; this keeps a bug from ending the walk
  } finally {
    await file.close();
  }
}

async function checkRoots(roots: readonly string[]): Promise<void> {
  for (const root of roots) {
    try { await stat(root); } catch (cause) { throw new InputError('ERR_FILE_NOT_FOUND', `cannot scan ${root}: it does not exist or cannot be reached`, { cause }); }
  }
}

async function loadTrust(caFile: string | undefined): Promise<ScanTrust | null> {
  if (caFile === undefined) return null;
  let text: string;
  try { text = await readFile(caFile, 'utf8'); } catch (cause) { throw new InputError('ERR_FILE_NOT_FOUND', `cannot read --ca-file ${caFile}`, { cause }); }
  return { anchors: parseCertificatesPem(text, caFile), now: new Date() };
}

/** Runs `sigil scan fs`. */
export async function runFs(ctx: CommandContext, dirs: readonly string[], opts: FsOptions): Promise<void> {
  const format = parseFormat(opts.output);
  const concurrency = parseConcurrency(opts.concurrency);
  const failOn = parseFailOn(opts.failOn);
  const options: ScanOptions = { ...DEFAULT_SCAN_OPTIONS, maxHashBytes: parseSize(opts.maxHashSize), trust: await loadTrust(opts.caFile) };
  await checkRoots(dirs);
  const progress = createScanProgress<FileReport>(ctx.io.stderr);
  const scanned = await mapBounded(walkFiles(dirs), concurrency, async (item) => {
    const found = await scanItem(item, options);
    for (const entry of found) progress.tick(entry);
    return found;
  });
  const entries = scanned.flat();
  progress.done();
  const report: ScanReport = { directories: dirs, entries };
  ctx.io.stdout.write(render(report, format));
  const findings = listFindings(report, failOn);
  if (findings.length > 0) {
    throw new VerificationError('ERR_SCAN_FINDINGS', `${findings.length} entries match --fail-on ${failOn.join(',')}, e.g. ${findings[0]?.path ?? ''}`);
  }
}

