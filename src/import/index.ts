export { FROM_KINDS, IMPORT_KINDS, KIND_NAMES, detectJsonKind, detectTextKind, type FromKind, type ImportKind } from './detect-kind.js';
export { detectKind, importNmapFile, importOne, type ImportInput, type ImportedFile } from './import-results.js';
