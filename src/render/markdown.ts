import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { STATUSES, type Finding } from '../model/verdict.js';
import { suiteLabel } from '../remediation/format-advice.js';
import { certificateLine, chainLabel, chainVerdicts } from './certificate-view.js';
import { escapeMarkdown as md, markdownCode as code, markdownFence, safeUrl } from './escape.js';
import type { Renderer, RenderOptions } from './renderer.js';
import {
  cipherNames,
  displayFindings,
  endpoint,
  policyRefs,
  policyTitle,
  policyViews,
  protocolLabel,
  sortFindings,
  skippedLabel,
  skippedPorts,
  skippedSummary,
  suiteSourceLabels,
  suiteTimes,
  summaryFor,
  targetVerdicts,
  type PolicyView,
} from './report-view.js';
import { targetFixes, type TargetFix } from './target-fixes.js';

const STATUS_LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR' } as const;

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)];
}

function link(title: string, url: string | undefined): string {
  const safe = safeUrl(url);
  // Angle brackets let a URL hold parentheses; escaping '>' keeps it inside them.
  return safe ? `[${md(title)}](<${safe.replace(/[<>\s]/g, encodeURIComponent)}>)` : md(title);
}

function policySource(view: PolicyView): string {
  const s = view.ref.source;
  if (!s) return 'no source given';
  return `${link(s.title, s.url)}${s.date ? ` (${md(s.date)})` : ''}`;
}

function evidenceText(target: Target, f: Finding): string {
  const e = f.evidence;
  if (!e) return '';
  const parts: string[] = [];
  if (e.protocols?.length) parts.push(`protocols ${e.protocols.map(md).join(', ')}`);
  if (e.ciphers?.length) {
    const names = cipherNames(target, e.ciphers);
    parts.push(`suites ${e.ciphers.map((c, i) => `${code(c)} ${code(names[i])}`).join(', ')}`);
  }
  if (e.sources?.length) parts.push(`seen by ${e.sources.map(md).join(', ')}`);
  return parts.length > 0 ? ` Evidence: ${parts.join('; ')}.` : '';
}

function targetSection(report: Report, t: Target, multi: boolean): string[] {
  const verdicts = targetVerdicts(report, t);
  const statuses = verdicts.map((v) => (multi ? `${STATUS_LABEL[v.status]} (${md(v.policy)})` : STATUS_LABEL[v.status]));
  const out = [`### ${md(endpoint(t))}: ${statuses.join(', ')}`, ''];
  const facts = [
    t.address && t.address !== t.host ? `Address: ${md(t.address)}` : '',
    t.service ? `Service: ${md(t.service)}` : '',
    t.starttls ? `STARTTLS: ${md(t.starttls)}` : '',
    `Sources: ${t.sources.map(md).join(', ') || 'none'}`,
  ].filter(Boolean);
  out.push(facts.join(' · '), '');
  if (t.error !== undefined) out.push(`**Not assessed:** ${md(t.error)}`, '');

  const findings = displayFindings(report, t);
  if (findings.length > 0) {
    out.push('Findings:', '');
    for (const { policy, finding: f } of findings) {
      const label = f.severity === 'info' ? 'INFO' : f.severity.toUpperCase();
      out.push(`- **${label}** ${code(f.rule)}${multi ? ` (${md(policy)})` : ''}: ${md(f.message)}${evidenceText(t, f)}`);
    }
    out.push('');
  } else {
    out.push('Findings: none; the target meets the policy.', '');
  }

  const suites = t.protocols.flatMap((p) =>
    p.ciphers.length > 0
      ? p.ciphers.map((c) => [md(protocolLabel(p.version)), code(c.code), code(c.name), suiteSourceLabels(c).map(md).join(', '), suiteTimes(c).map(md).join(', ')])
      : [[md(protocolLabel(p.version)), '', '(no suites listed)', [...new Set(p.evidence.map((e) => e.source))].map(md).join(', '), '']],
  );
  if (suites.length > 0) out.push(...table(['Protocol', 'Code', 'Suite', 'Seen by', 'Observed'], suites), '');

  if (t.disagreements?.length) {
    out.push('Sources disagree:', '', ...t.disagreements.map((d) => `- ${md(d.message)}`), '');
  }
  if (t.runs?.length) {
    out.push('Evidence gathered:', '');
    for (const r of t.runs) {
      const bits = [md(r.source), r.origin ? `from ${code(r.origin)}` : '', r.observedAt ? `at ${md(r.observedAt)}` : '', r.grade ? `grade ${md(r.grade)}` : '']
        .filter(Boolean)
        .join(' ');
      const tail = [r.error ? `failed: ${md(r.error)}` : '', r.reason ? md(r.reason) : ''].filter(Boolean).join('; ');
      out.push(`- ${bits}${tail ? `: ${tail}` : ''}`);
    }
    out.push('');
  }
  if (t.certificates && t.certificates.length > 0) {
    out.push('Certificates:', '');
    for (const o of t.certificates) {
      out.push(`- ${md(chainLabel(o))}: ${md(chainVerdicts(o).join('; ') || 'no verdicts reported')}.`);
      o.chain.forEach((c, i) => out.push(`  ${i + 1}. ${md(certificateLine(c))}`));
    }
    out.push('');
  } else if (t.certificate) {
    const c = t.certificate;
    const parts = [
      c.subject ? `subject ${md(c.subject)}` : '',
      c.issuer ? `issuer ${md(c.issuer)}` : '',
      c.keyType ? `key ${md(c.keyType)}${c.keyBits ? ` ${c.keyBits}` : ''}` : '',
      c.notAfter ? `valid until ${md(c.notAfter)}` : '',
    ].filter(Boolean);
    if (parts.length > 0) out.push(`Certificate: ${parts.join(', ')}.`, '');
  }
  return out;
}

/**
 * The "how to fix" part for one target: per policy it fails or warns under, the approved suites to
 * enable, then a heading per server software with each change's snippet fenced. With one policy the
 * server headings sit right under the target's; with several, under a heading per policy.
 */
function fixSection(t: Target, fixes: readonly TargetFix[], multi: boolean): string[] {
  const out = [`### How to fix ${md(endpoint(t))}`, ''];
  const level = multi ? 5 : 4;
  for (const fix of fixes) {
    const under = `${md(fix.ref.name)} (${md(fix.ref.id)}): ${STATUS_LABEL[fix.status]}`;
    out.push(multi ? `#### ${under}` : `Under ${under}.`, '');
    if (fix.advice.enableSuites.length > 0) {
      out.push('Approved suites to enable (any one is enough where the policy asks for one):', '');
      out.push(...fix.advice.enableSuites.map((s) => `- ${code(suiteLabel(s))}`), '');
    }
    for (const { label, items } of fix.servers) {
      out.push(`${'#'.repeat(level)} ${md(label)}`, '');
      for (const a of items) {
        out.push(`- **${md(a.title)}** (${a.rules.map(code).join(', ')}), in ${md(a.snippet.context)}:`, '');
        out.push(...markdownFence(a.snippet.text, a.snippet.language, '  '), '');
        for (const n of a.notes) out.push(`  ${md(n)}`, '');
      }
    }
  }
  return out;
}

/** An audit-ready Markdown document: summary, the policy and its source, a row per target, the evidence. */
export function renderMarkdown(report: Report, options: RenderOptions = {}): string {
  const views = policyViews(report, options.policies);
  const refs = policyRefs(report);
  const multi = refs.length > 1;
  const out: string[] = ['# TLS audit report', ''];
  const meta = [
    report.generatedAt ? `Generated ${md(report.generatedAt)}` : '',
    report.generator ? `by tlsaudit ${md(report.generator.version)}` : '',
  ].filter(Boolean);
  if (meta.length > 0) out.push(`${meta.join(' ')}.`, '');
  for (const v of views) out.push(`Policy: **${md(policyTitle(v.ref))}**, source: ${policySource(v)}.`, '');
  if (report.strict) out.push('Strict mode: deprecated settings (warnings) count as failures.', '');

  out.push('## Summary', '');
  out.push(
    ...table(
      [multi ? 'Policy' : 'Status', ...(multi ? STATUSES.map((s) => STATUS_LABEL[s]) : ['Targets'])],
      multi
        ? refs.map((r) => {
            const s = summaryFor(report, r.id);
            return [md(r.id), ...STATUSES.map((st) => String(s[st]))];
          })
        : STATUSES.map((s) => [STATUS_LABEL[s], String(report.summary[s])]),
    ),
    '',
    `${report.targets.length} ${report.targets.length === 1 ? 'target' : 'targets'} assessed${skippedSummary(report) ? `; ${skippedSummary(report)}` : ''}.`,
    '',
  );
  if (report.notices?.length) out.push('Notices:', '', ...report.notices.map((n) => `- ${md(n)}`), '');

  out.push('## Targets', '');
  if (report.targets.length === 0) out.push('No targets.', '');
  else {
    out.push(
      ...table(
        ['Target', 'Address', ...(multi ? refs.map((r) => `Status (${md(r.id)})`) : ['Status']), 'Protocols', 'Sources', 'Why'],
        report.targets.map((t) => {
          const verdicts = targetVerdicts(report, t);
          const why = sortFindings(t.verdict.findings).filter((f) => f.severity !== 'info');
          return [
            md(endpoint(t)),
            md(t.address ?? ''),
            ...refs.map((r) => STATUS_LABEL[verdicts.find((v) => v.policy === r.id)?.status ?? 'error']),
            t.protocols.map((p) => md(protocolLabel(p.version))).join(', ') || '-',
            t.sources.map(md).join(', '),
            why.length > 0 ? why.map((f) => md(f.message)).join(' ') : 'Meets the policy.',
          ];
        }),
      ),
      '',
    );
    out.push('## Findings and evidence', '');
    for (const t of report.targets) out.push(...targetSection(report, t, multi));

    const fixesOf = targetFixes(report, options.policies);
    const fixes = report.targets.map((t) => [t, fixesOf(t)] as const).filter(([, f]) => f.length > 0);
    if (fixes.length > 0) {
      out.push(
        '## How to fix',
        '',
        "Generated from each failing or deprecated target's own findings: it turns off exactly what the policy forbids and the target offers. Use the part for the server software the target runs.",
        '',
      );
      for (const [t, f] of fixes) out.push(...fixSection(t, f, multi));
    }
  }

  const skipped = skippedPorts(report);
  if (skipped.length > 0) {
    out.push(
      '## Skipped ports',
      '',
      'Open ports the source never treated as TLS. They are not targets and do not change the result.',
      '',
      ...table(
        ['Port', 'Address', 'Service', 'Reason'],
        skipped.map((s) => [md(skippedLabel(s)), md(s.address ?? ''), md(s.service ?? ''), md(s.reason)]),
      ),
      '',
    );
  }

  for (const v of views) {
    out.push(`## Policy: ${md(policyTitle(v.ref))}`, '', `Source: ${policySource(v)}.`, '');
    if (v.description) out.push(md(v.description), '');
    if (v.quote) out.push(`> ${md(v.quote)}`, '');
    if (v.rules.length > 0) {
      out.push(
        ...table(
          ['Rule', 'Severity', 'Requirement', 'Rationale'],
          v.rules.map((r) => [code(r.id), r.severity, md(r.title), md(r.rationale ?? '')]),
        ),
        '',
      );
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

export const markdownRenderer: Renderer = {
  format: 'markdown',
  extension: 'md',
  mediaType: 'text/markdown',
  render: renderMarkdown,
};
