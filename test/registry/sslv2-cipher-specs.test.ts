import { describe, expect, it } from 'vitest';
import { SSLV2_CIPHER_SPECS, isGreaseCode, sslv2SpecByCode, sslv2SpecByName } from '../../src/registry/index.js';

describe('SSL 2.0 cipher kinds', () => {
  it('lists the seven kinds of the SSL 2.0 document with six-digit hex codes', () => {
    const inSpec = SSLV2_CIPHER_SPECS.filter((s) => s.inSpec);
    expect(inSpec.map((s) => s.hex)).toEqual(['0x010080', '0x020080', '0x030080', '0x040080', '0x050080', '0x060040', '0x0700C0']);
    expect(sslv2SpecByCode(0x010080)).toMatchObject({ name: 'SSL_CK_RC4_128_WITH_MD5', cipher: 'RC4', cipherBits: 128, export: false });
    expect(sslv2SpecByCode('0x02,0x00,0x80')).toMatchObject({ export: true, cipherBits: 40 });
    expect(sslv2SpecByCode('0x0700C0')?.cipher).toBe('3DES_EDE');
    expect(sslv2SpecByName('SSL2_DES_64_CBC_WITH_MD5')?.code).toBe(0x060040);
    expect(sslv2SpecByName('ssl_ck_idea_128_cbc_with_md5')?.code).toBe(0x050080);
    expect(sslv2SpecByCode('0x123')).toBeUndefined();
  });
});

describe('isGreaseCode', () => {
  it('is true exactly for the 16 RFC 8701 values', () => {
    const grease = [];
    for (let c = 0; c <= 0xffff; c++) if (isGreaseCode(c)) grease.push(c);
    expect(grease).toEqual(Array.from({ length: 16 }, (_, i) => (i * 0x10 + 0x0a) * 0x101));
  });
});
