/**
 * The server configurations the nmap tests scan and the fixtures in fixtures/nmap/ were recorded from.
 * `expected` is what nmap must find (protocol → IANA suite names) and the Dataverse verdict.
 */
import type { OpenSslProtocol, OpenSslServerOptions, TestCerts } from '../../helpers/openssl-server.js';

export interface Scenario {
  /** Also the fixture's file name: fixtures/nmap/<name>.xml. */
  name: string;
  description: string;
  server: (certs: TestCerts) => OpenSslServerOptions;
  expected: {
    protocols: Partial<Record<'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', string[]>>;
    status: 'pass' | 'warn' | 'fail';
  };
}

const TLS13_ALL = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'tls12-approved',
    description: 'TLS 1.2 only, one approved suite (ECDHE-RSA-AES128-GCM-SHA256), RSA 2048 certificate',
    server: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
    expected: { protocols: { 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }, status: 'pass' },
  },
  {
    name: 'plain-rsa',
    description: 'TLS 1.2 only, plain RSA key exchange suites only',
    server: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2'], ciphers: 'AES128-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384' }),
    expected: {
      protocols: {
        'TLSv1.2': ['TLS_RSA_WITH_AES_128_CBC_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
      },
      status: 'fail',
    },
  },
  {
    name: 'tls10-11',
    description: 'TLS 1.0 and 1.1 only (SECLEVEL=0), ECDHE and plain RSA CBC-SHA suites',
    server: (c) => ({
      cert: c.rsa,
      protocols: ['TLSv1', 'TLSv1.1'],
      ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA',
    }),
    expected: {
      protocols: {
        'TLSv1.0': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
        'TLSv1.1': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
      },
      status: 'fail',
    },
  },
  {
    name: 'tls13-only',
    description: 'TLS 1.3 only, all three default TLS 1.3 suites, ECDSA P-256 certificate',
    server: (c) => ({ cert: c.ecdsa, protocols: ['TLSv1.3'], ciphersuites: TLS13_ALL.join(':') }),
    // Dataverse's 2024-12-02 revision accepts TLS 1.3 with TLS_AES_256_GCM_SHA384 or TLS_AES_128_GCM_SHA256.
    expected: { protocols: { 'TLSv1.3': TLS13_ALL }, status: 'pass' },
  },
  {
    name: 'approved-plus-tls10',
    description: 'TLS 1.2 with approved ECDHE-RSA GCM suites plus TLS 1.0 (TLS 1.1 disabled)',
    server: (c) => ({
      cert: c.rsa,
      protocols: ['TLSv1', 'TLSv1.2'],
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA',
    }),
    expected: {
      protocols: {
        'TLSv1.0': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
        'TLSv1.2': [
          'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
          'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
          'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        ],
      },
      status: 'warn',
    },
  },
  {
    name: 'ecdsa-modern',
    description: 'TLS 1.2 and 1.3, ECDHE-ECDSA AEAD suites, ECDSA P-256 certificate, server preference',
    server: (c) => ({
      cert: c.ecdsa,
      protocols: ['TLSv1.2', 'TLSv1.3'],
      ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305',
      ciphersuites: TLS13_ALL.join(':'),
      serverPreference: true,
    }),
    expected: {
      protocols: {
        'TLSv1.2': [
          'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
          'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
          'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
        ],
        'TLSv1.3': TLS13_ALL,
      },
      status: 'pass',
    },
  },
];

/** The STARTTLS SMTP test server's node:tls set-up: TLS 1.2 only, one approved suite plus one plain-RSA suite (warn). */
export const SMTP_TLS = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:AES256-SHA256' } as const;

export type { OpenSslProtocol };
