import { getBorderCharacters, table } from 'table';
import pc from 'picocolors';
import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import type { Status } from '../model/verdict.js';
import { escapeTerminal as tty } from './escape.js';
import type { Renderer, RenderOptions } from './renderer.js';
import { certificateBrief } from './certificate-view.js';
import { counted, displayFindings, policyRefs, skippedSummary, summaryFor, targetVerdicts } from './report-view.js';

type Paint = (text: string) => string;

function painter(color: boolean) {
  const c = pc.createColors(color);
  const status: Record<Status, Paint> = { pass: c.green, warn: c.yellow, fail: c.red, error: c.magenta };
  return { c, status };
}

function endpoint(t: Target): string {
  const host = t.address && t.address !== t.host ? `${t.host} (${t.address})` : t.host;
  return tty(t.starttls ? `${host} [${t.starttls}]` : host);
}

function protocols(t: Target): string {
  return t.protocols.map((p) => p.version.replace('TLSv', 'TLS ').replace('SSLv', 'SSL ')).join(', ') || '-';
}

/**
 * The findings that explain the status, worst first, under every policy (prefixed with the policy id when
 * there are several); info findings only when nothing else is said.
 */
function reasons(report: Report, t: Target, multi: boolean): string {
  const order = { fail: 0, warn: 1, info: 2 } as const;
  const findings = displayFindings(report, t).sort((a, b) => order[a.finding.severity] - order[b.finding.severity]);
  const shown = findings.filter((f) => f.finding.severity !== 'info');
  const text = (f: (typeof findings)[number]) => (multi ? `[${f.policy}] ${f.finding.message}` : f.finding.message);
  return (shown.length > 0 ? shown : findings).map((f) => tty(text(f))).join('\n') || 'Meets the policy.';
}

export function renderTable(report: Report, options: RenderOptions = {}): string {
  const { c, status } = painter(options.color ?? false);
  const refs = policyRefs(report);
  const multi = refs.length > 1;
  // The certificate column appears when some source reported certificate chains (nmap's cipher scan does not).
  const certificates = report.targets.some((t) => (t.certificates?.length ?? 0) > 0);
  const head = ['Target', 'Port', 'Status', 'Protocols', 'Source', ...(certificates ? ['Certificate'] : []), 'Why'];
  const rows: string[][] = [head.map((h) => c.bold(h))];
  for (const t of report.targets) {
    const verdicts = targetVerdicts(report, t);
    const statuses = verdicts.map((v) => `${status[v.status](v.status.toUpperCase())}${multi ? ` ${tty(v.policy)}` : ''}`).join('\n');
    const cert = certificates ? [tty(certificateBrief(t) ?? '-')] : [];
    rows.push([endpoint(t), String(t.port), statuses, protocols(t), tty(t.sources.join(', ')), ...cert, reasons(report, t, multi)]);
  }
  const counts = (summary: Report['summary']) =>
    (['pass', 'warn', 'fail', 'error'] as const).map((s) => status[s](`${summary[s]} ${s}`)).join(', ');
  const policies = refs.map((p) => tty(`Policy: ${p.name} (${p.id}${p.version ? ` ${p.version}` : ''})`));
  // Skipped ports are no targets: counted on the summary line so the reader knows they were seen.
  const skipped = skippedSummary(report);
  const tail = skipped ? `; ${skipped}` : '';
  const totals = multi
    ? refs.map((p) => `${counted(report.targets.length, 'target')} under ${tty(p.id)}: ${counts(summaryFor(report, p.id))}${tail}`)
    : [`${counted(report.targets.length, 'target')}: ${counts(report.summary)}${tail}`];
  const notices = (report.notices ?? []).map((n) => c.yellow(`Notice: ${tty(n)}`));
  // `table` lays rows out in linear time (a 5,000-target scan renders in seconds) and measures ANSI colour.
  const body = report.targets.length > 0 ? table(rows, { border: getBorderCharacters('norc'), columns: { [head.length - 1]: { width: 60, wrapWord: true } } }).trimEnd() : 'No targets.';
  return [...policies, body, ...totals, ...notices].join('\n') + '\n';
}

export const tableRenderer: Renderer = {
  format: 'table',
  extension: 'txt',
  mediaType: 'text/plain',
  render: renderTable,
};
