// Writes the generated docs (docs/errors.md, docs/cli.md) from their sources of truth.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from './render-errors.ts';
import { renderCliDoc } from './render-cli.ts';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
writeFileSync(new URL('../docs/cli.md', import.meta.url), renderCliDoc());
process.stdout.write('wrote docs/errors.md and docs/cli.md\n');
