import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.js';

/** tlsaudit's own version, read from package.json so it is written once. */
export const VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string })
  .version;
