import { mkdirSync, writeFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';
import { VERSION } from '../version.js';
import { commandTree } from './command-tree.js';
import { buildProgram } from './main.js';
import { manPage } from './man-page.js';

/**
 * Writes man/tlsaudit.1 (the package's `man` entry) from the program's own command definitions; the build
 * runs it after compiling, so the page always matches --help. SOURCE_DATE_EPOCH fixes the date for
 * reproducible builds.
 */
const epoch = Number(process.env.SOURCE_DATE_EPOCH);
const date = (Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
mkdirSync(packagePath('man'), { recursive: true });
writeFileSync(packagePath('man', 'tlsaudit.1'), manPage(commandTree(buildProgram()), VERSION, date));
