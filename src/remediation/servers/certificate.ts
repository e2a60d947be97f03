import type { Advice, ServerKind } from '../advice.js';
import type { RemediationPlan } from '../plan-remediation.js';

/** A certificate finding is fixed the same way everywhere: a new key and certificate. */
export function certificateAdvice(plan: RemediationPlan, server: ServerKind): Advice[] {
  if (plan.rules.certificate.length === 0) return [];
  const windows = server === 'windows';
  return [
    {
      server,
      policy: plan.policy,
      rules: plan.rules.certificate,
      title: 'Replace the certificate with one whose key the policy accepts',
      snippet: windows
        ? {
            language: 'powershell',
            text: "# Request a new certificate with a P-256 ECDSA or 3072-bit RSA key (e.g. certreq with KeyAlgorithm = ECDSA_P256 or KeyLength = 3072), then bind it\nGet-ChildItem Cert:\\LocalMachine\\My | Format-List Subject, NotAfter, PublicKey\n",
            complete: true,
            context: 'an elevated Windows PowerShell on the server',
          }
        : {
            language: 'shell',
            text: 'openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr\n',
            complete: true,
            context: 'a shell; send server.csr to the CA and install the certificate it returns',
          },
      notes: plan.certificate ?? [],
    },
  ];
}
