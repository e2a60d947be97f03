import type { CertificateFix } from '../../policy/certificate-evidence.js';
import type { Advice, ServerKind, SnippetLanguage } from '../advice.js';
import type { RemediationPlan } from '../plan-remediation.js';

interface Step {
  title: string;
  language: SnippetLanguage;
  text: string;
  complete: boolean;
  context: string;
  notes?: string[];
}

const SHELL = 'a shell on the server';
const POWERSHELL = 'an elevated Windows PowerShell on the server';

const NEW_KEY_SHELL: Step = {
  title: 'Replace the certificate with one whose key the policy accepts',
  language: 'shell',
  text: 'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr\n',
  complete: true,
  context: 'a shell; send server.csr to the CA and install the certificate it returns',
};

const NEW_KEY_WINDOWS: Step = {
  title: 'Replace the certificate with one whose key the policy accepts',
  language: 'powershell',
  text: "# Request a new certificate with a P-256 ECDSA or 3072-bit RSA key (e.g. certreq with KeyAlgorithm = ECDSA_P256 or KeyLength = 3072), then bind it\nGet-ChildItem Cert:\\LocalMachine\\My | Format-List Subject, NotAfter, PublicKey\n",
  complete: true,
  context: POWERSHELL,
};

/** Where each server reads its certificate chain from, for "serve the intermediate". */
const CHAIN_STEP: Record<ServerKind, Step> = {
  nginx: {
    title: 'Serve the intermediate certificates: point ssl_certificate at the full chain',
    language: 'nginx',
    text: 'ssl_certificate /etc/ssl/example.org/fullchain.pem;\n',
    complete: false,
    context: 'the server {} block; fullchain.pem is the leaf followed by its intermediates (cat server.crt intermediate.crt > fullchain.pem)',
    notes: ['nginx sends exactly the file it is given; the root need not be in it.'],
  },
  apache: {
    title: 'Serve the intermediate certificates: point SSLCertificateFile at the full chain',
    language: 'apache',
    text: 'SSLCertificateFile /etc/ssl/example.org/fullchain.pem\n',
    complete: false,
    context: 'the <VirtualHost> that terminates TLS; fullchain.pem is the leaf followed by its intermediates',
    notes: ['Apache 2.4.8 and later read the chain from SSLCertificateFile; older versions need SSLCertificateChainFile.'],
  },
  postfix: {
    title: 'Serve the intermediate certificates: give Postfix the key and the full chain',
    language: 'postfix',
    text: 'smtpd_tls_chain_files = /etc/postfix/server.key, /etc/postfix/fullchain.pem\n',
    complete: false,
    context: 'main.cf; fullchain.pem is the leaf followed by its intermediates',
    notes: ['smtpd_tls_chain_files needs Postfix 3.4 or later; older versions take the chain in smtpd_tls_cert_file.'],
  },
  windows: {
    title: 'Serve the intermediate certificates: install them in the Intermediate Certification Authorities store',
    language: 'powershell',
    text: "Import-Certificate -FilePath .\\intermediate.cer -CertStoreLocation Cert:\\LocalMachine\\CA\n",
    complete: false,
    context: `${POWERSHELL}, with the intermediate certificate your CA publishes`,
    notes: ['Schannel sends the intermediates it finds in the local machine store; restart the service (IIS: iisreset) afterwards.'],
  },
};

const STAPLING_STEP: Record<ServerKind, Step | undefined> = {
  nginx: {
    title: 'Staple OCSP responses',
    language: 'nginx',
    text: 'ssl_stapling on;\nssl_stapling_verify on;\n',
    complete: false,
    context: 'the server {} block; nginx needs a resolver directive to reach the OCSP responder',
  },
  apache: {
    title: 'Staple OCSP responses',
    language: 'apache',
    text: 'SSLUseStapling On\nSSLStaplingCache "shmcb:logs/ssl_stapling(32768)"\n',
    complete: false,
    context: 'SSLStaplingCache in the server config (outside <VirtualHost>), SSLUseStapling in the TLS virtual host',
  },
  postfix: undefined,
  windows: undefined,
};

function steps(fix: CertificateFix, server: ServerKind, plan: RemediationPlan): Step[] {
  const windows = server === 'windows';
  switch (fix) {
    case 'renew':
      return [
        windows
          ? {
              title: 'Renew the certificate before it expires, and bind the new one',
              language: 'powershell',
              text: "Get-ChildItem Cert:\\LocalMachine\\My | Where-Object NotAfter -lt (Get-Date).AddDays(30) | Format-List Subject, NotAfter, Thumbprint\n",
              complete: true,
              context: POWERSHELL,
              notes: ['Renew with the CA (or certreq), then bind the new thumbprint where the old one was (IIS site bindings, Exchange Enable-ExchangeCertificate, RDP).'],
            }
          : {
              title: 'Renew the certificate before it expires, and reload the server',
              language: 'shell',
              text: 'openssl x509 -noout -subject -enddate -in /etc/ssl/example.org/fullchain.pem\n',
              complete: false,
              context: `${SHELL}; with an ACME client (certbot renew, acme.sh --cron) renewal runs by itself: check its timer`,
              notes: ['Run tlsaudit probe --policy certificates --strict from cron to hear 30 days ahead.'],
            },
      ];
    case 'clock':
      return [
        {
          title: 'The certificate is not valid yet: check the issuing date and the server clocks',
          language: windows ? 'powershell' : 'shell',
          text: windows ? 'w32tm /query /status\n' : 'timedatectl status\n',
          complete: true,
          context: windows ? POWERSHELL : SHELL,
          notes: ['A certificate issued with a start date in the future (or a CA with a wrong clock) is refused by every client until then; re-issue it or wait.'],
        },
      ];
    case 'chain':
      return [CHAIN_STEP[server]];
    case 'name':
      return [
        windows
          ? {
              title: 'Use a certificate that names the host clients connect to',
              language: 'powershell',
              text: "Get-ChildItem Cert:\\LocalMachine\\My | Format-List Subject, DnsNameList, NotAfter, Thumbprint\n",
              complete: true,
              context: POWERSHELL,
              notes: ['Bind the certificate whose DnsNameList holds the name, or request one with it as a subject alternative name (certreq [Extensions] 2.5.29.17 = "{text}dns=...").'],
            }
          : {
              title: 'Use a certificate that names the host clients connect to',
              language: 'shell',
              text: 'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj /CN=example.org -addext subjectAltName=DNS:example.org,DNS:www.example.org\n',
              complete: false,
              context: `${SHELL}; put every name clients use in subjectAltName (a wildcard covers one label only) and send server.csr to the CA`,
            },
      ];
    case 'trust':
      return [
        {
          title: 'Use a certificate from a CA the clients trust',
          language: windows ? 'powershell' : 'shell',
          text: windows ? "Get-ChildItem Cert:\\LocalMachine\\My | Format-List Subject, Issuer, Thumbprint\n" : 'openssl x509 -noout -subject -issuer -in /etc/ssl/example.org/fullchain.pem\n',
          complete: true,
          context: windows ? POWERSHELL : SHELL,
          notes: [
            'A self-signed or private-CA certificate is trusted only by clients given its root: replace it with a public CA certificate, or distribute the root to every client (and audit with --ca-file).',
          ],
        },
      ];
    case 'key':
    case 'signature':
    case 'revoked': {
      const base = windows ? NEW_KEY_WINDOWS : NEW_KEY_SHELL;
      const title =
        fix === 'key'
          ? base.title
          : fix === 'signature'
            ? 'Re-issue the certificate from a CA that signs with SHA-256 or better'
            : 'Replace the revoked certificate with a new key and certificate';
      return [{ ...base, title, notes: plan.certificate ?? [] }];
    }
    case 'stapling': {
      const step = STAPLING_STEP[server];
      if (step) return [step];
      return [];
    }
  }
}

/**
 * Certificate findings, per kind of change: renew, serve the intermediates, use the right name, a trusted
 * CA, a new key or signature, OCSP stapling; written for each server's own configuration where it differs.
 */
export function certificateAdvice(plan: RemediationPlan, server: ServerKind): Advice[] {
  if (plan.rules.certificate.length === 0) return [];
  // Plans made from a summary alone (no fixes recorded) can only be about the key.
  const fixes = plan.certificateFixes ?? [{ fix: 'key' as const, rules: plan.rules.certificate }];
  const out: Advice[] = [];
  const seenTitles = new Set<string>();
  for (const { fix, rules } of fixes) {
    for (const step of steps(fix, server, plan)) {
      if (seenTitles.has(step.title)) continue;
      seenTitles.add(step.title);
      out.push({
        server,
        policy: plan.policy,
        rules,
        title: step.title,
        snippet: { language: step.language, text: step.text, complete: step.complete, context: step.context },
        notes: step.notes ?? [],
      });
    }
  }
  return out;
}
