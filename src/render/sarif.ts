import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { ENGINE_RULES } from '../policy/evaluate.js';
import { VERSION } from '../version.js';
import { safeUrl } from './escape.js';
import type { Renderer, RenderOptions } from './renderer.js';
import { endpoint, policyViews, verdictFor, type RuleView } from './report-view.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const ENGINE_RULE_TEXT: Record<string, { title: string; rationale: string }> = {
  [ENGINE_RULES.assessmentError]: {
    title: 'Target could be assessed',
    rationale: 'No source could connect to the target or read its TLS set-up, so compliance is unknown.',
  },
  [ENGINE_RULES.incompleteEvidence]: {
    title: 'Evidence complete',
    rationale: 'A source could not settle part of what a rule depends on (a protocol, the certificate); no pass is given on incomplete evidence.',
  },
  [ENGINE_RULES.sourceDisagreement]: {
    title: 'Sources agree',
    rationale: 'Two sources that both assessed the target saw different protocols or suites.',
  },
};

/**
 * Where a finding is. A TLS endpoint is no file, but GitHub code scanning accepts only repository-relative
 * paths in artifactLocation (an absolute URI such as tls://host:port fails the upload with "unrecognized
 * SARIF location URI scheme"). So the artifact is the relative path tls/HOST/PORT (HOST percent-encoded, so
 * an IPv6 colon cannot read as a scheme), which dashboards show as the alert's path; the endpoint itself is
 * a logical location of kind "resource", tls://host:port.
 */
export function sarifArtifactPath(t: Pick<Target, 'host' | 'port'>): string {
  // A lone surrogate (from a damaged input) would make encodeURIComponent throw URIError.
  return `tls/${encodeURIComponent(t.host.replace(/\p{Cs}/gu, '\uFFFD'))}/${t.port}`;
}

function location(t: Target) {
  const label = endpoint(t);
  return {
    physicalLocation: { artifactLocation: { uri: sarifArtifactPath(t) } },
    logicalLocations: [{ name: label, fullyQualifiedName: `tls://${label}`, kind: 'resource' }],
  };
}

/**
 * SARIF 2.1.0: one run per policy (rule ids are unique only within a policy), each with its own
 * automationDetails id so dashboards keep them apart; a rule per policy rule (fullDescription = rationale,
 * helpUri = the policy's source), and a result per fail or warn finding (level error and warning). Info
 * findings are not results. partialFingerprints key a result on policy, rule and endpoint, so an alert keeps
 * its identity from scan to scan.
 */
export function renderSarif(report: Report, options: RenderOptions = {}): string {
  const views = policyViews(report, options.policies);
  const runs = views.map((view) => {
    const policyId = view.ref.id;
    const helpUri = safeUrl(view.ref.source?.url);
    const rules: RuleView[] = [...view.rules];
    const results: object[] = [];
    const ruleIndex = (id: string, severity: 'fail' | 'warn'): number => {
      let i = rules.findIndex((r) => r.id === id);
      if (i === -1) {
        const engine = ENGINE_RULE_TEXT[id];
        rules.push({ id, title: engine?.title ?? id, severity, ...(engine && { rationale: engine.rationale }), documented: false });
        i = rules.length - 1;
      }
      return i;
    };
    for (const t of report.targets) {
      const verdict = verdictFor(report, t, policyId);
      if (!verdict) continue;
      for (const f of verdict.findings) {
        if (f.severity === 'info') continue;
        const index = ruleIndex(f.rule, f.severity);
        const properties: Record<string, unknown> = { status: verdict.status, host: t.host, port: t.port };
        if (t.address !== undefined) properties.address = t.address;
        if (f.evidence) properties.evidence = f.evidence;
        if ((f as { escalated?: boolean }).escalated) properties.escalated = true;
        results.push({
          ruleId: f.rule,
          ruleIndex: index,
          level: f.severity === 'fail' ? 'error' : 'warning',
          message: { text: `${endpoint(t)}: ${f.message}` },
          locations: [location(t)],
          partialFingerprints: { 'tlsauditFinding/v1': `${policyId}/${f.rule}/${endpoint(t)}` },
          properties,
        });
      }
    }
    return {
      tool: {
        driver: {
          name: 'tlsaudit',
          semanticVersion: report.generator?.version ?? VERSION,
          version: report.generator?.version ?? VERSION,
          rules: rules.map((r) => ({
            id: r.id,
            name: r.id,
            shortDescription: { text: r.title },
            fullDescription: { text: r.rationale ?? r.title },
            ...(helpUri && { helpUri }),
            defaultConfiguration: { level: r.severity === 'fail' ? 'error' : r.severity === 'warn' ? 'warning' : 'note' },
            properties: { policy: policyId, ...(r.documented ? {} : { documented: false }) },
          })),
        },
      },
      automationDetails: { id: `tlsaudit/${policyId}/` },
      invocations: [
        {
          executionSuccessful: true,
          ...(report.generatedAt && { startTimeUtc: report.generatedAt }),
          ...(report.notices?.length && {
            toolExecutionNotifications: report.notices.map((n) => ({ level: 'warning', message: { text: n } })),
          }),
        },
      ],
      results,
      properties: {
        policy: view.ref,
        ...(report.strict && { strict: true }),
        // Open ports that are no TLS service: not results (nothing was judged), kept so the run says it saw them.
        ...(report.skipped?.length && { skipped: report.skipped }),
        summary: Object.fromEntries(
          (['pass', 'warn', 'fail', 'error'] as const).map((s) => [
            s,
            report.targets.filter((t) => verdictFor(report, t, policyId)?.status === s).length,
          ]),
        ),
      },
    };
  });
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs }, null, 2)}\n`;
}

export const sarifRenderer: Renderer = {
  format: 'sarif',
  extension: 'sarif',
  mediaType: 'application/sarif+json',
  render: renderSarif,
};
