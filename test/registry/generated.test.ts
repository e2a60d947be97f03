import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateRegistry, parseCsv, readRegistryInputs } from '../../scripts/generate-registry.js';

describe('generated registry files', () => {
  it('are exactly what scripts/generate-registry.ts produces from data/ (run npm run generate:registry)', () => {
    const outputs = generateRegistry(readRegistryInputs());
    for (const [file, text] of Object.entries(outputs)) {
      const committed = readFileSync(new URL(`../../src/registry/${file}`, import.meta.url), 'utf8');
      expect(committed, file).toBe(text);
    }
  });
});

describe('parseCsv', () => {
  it('handles CRLF, quoted commas, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsv('a,b\r\n"x,y","he said ""hi""\r\nthen left"\r\nlast,\r\n')).toEqual([
      ['a', 'b'],
      ['x,y', 'he said "hi"\r\nthen left'],
      ['last', ''],
    ]);
  });

  it('keeps a final row without a line break and rejects an unterminated quote', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a,"b\n')).toThrow(/quoted/);
  });
});
