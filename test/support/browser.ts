// A real headless browser for login tests: Debian's chromium (scripts/install-peers.sh) driven by playwright-core.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The chromium binary on PATH; throws (never skips) when it is missing. */
export function findChromium(): string {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    for (const name of ['chromium', 'chromium-browser']) {
      const p = join(dir, name);
      try { accessSync(p, constants.X_OK); return p; } catch { /* next */ }
    }
  }
  throw new Error('chromium is not installed: run scripts/install-peers.sh');
}

/** Launches headless chromium (no sandbox: tests may run as root in containers). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}
