import { fileURLToPath } from 'node:url';

/**
 * The package's root folder, where schemas/ and policies/ live. Source (src/*.ts) and build output
 * (dist/*.js) sit at the same depth, so one relative URL serves both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

export function packagePath(...parts: string[]): string {
  return [PACKAGE_ROOT.replace(/\/$/, ''), ...parts].join('/');
}
