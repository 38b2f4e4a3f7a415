// Writes the generated docs (docs/errors.md) from their sources of truth.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from './render-errors.ts';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
process.stdout.write('wrote docs/errors.md\n');
