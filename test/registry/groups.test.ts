import { describe, expect, it } from 'vitest';
import { GROUP_ALIASES, NAMED_GROUPS, groupById, groupByName } from '../../src/registry/index.js';

describe('named groups', () => {
  it('resolves IANA names and the usual aliases', () => {
    for (const n of ['secp256r1', 'prime256v1', 'P-256', 'p-256', 'SECP256R1']) expect(groupByName(n)?.id, n).toBe(23);
    expect(groupByName('P-384')?.id).toBe(24);
    expect(groupByName('P-521')?.id).toBe(25);
    for (const n of ['x25519', 'X25519', 'ecdh_x25519']) expect(groupByName(n)?.id, n).toBe(29);
    expect(groupByName('X448')?.id).toBe(30);
    expect(groupByName('ffdhe2048')?.id).toBe(256);
    expect(groupByName('X25519MLKEM768')?.id).toBe(4588);
    expect(groupByName('X25519Kyber768Draft00')?.id).toBe(25497);
    expect(groupByName('no-such-group')).toBeUndefined();
  });

  it('describes kind, bits and recommendation', () => {
    expect(groupById(23)).toMatchObject({ name: 'secp256r1', kind: 'ec', bits: 256, recommended: 'Y', hex: '0x0017' });
    expect(groupById(29)).toMatchObject({ name: 'x25519', kind: 'ec', bits: 255, recommended: 'Y' });
    expect(groupById(257)).toMatchObject({ name: 'ffdhe3072', kind: 'ff', bits: 3072 });
    expect(groupById(513)).toMatchObject({ name: 'MLKEM768', kind: 'pq' });
    expect(groupById(513)?.bits).toBeUndefined();
    expect(groupById(4588)).toMatchObject({ name: 'X25519MLKEM768', kind: 'hybrid' });
    expect(groupById(25497)).toMatchObject({ kind: 'hybrid', obsolete: true });
    expect(groupById(1)).toMatchObject({ name: 'sect163k1', recommended: 'D', bits: 163 });
    expect(groupById('0x001D')?.name).toBe('x25519');
    expect(groupById('29')?.name).toBe('x25519');
    expect(groupById(0)).toBeUndefined();
    expect(groupById(0x0a0a)).toBeUndefined();
  });

  it('every alias points at a real IANA entry', () => {
    for (const name of Object.keys(GROUP_ALIASES)) expect(NAMED_GROUPS.some((g) => g.name === name), name).toBe(true);
  });
});
