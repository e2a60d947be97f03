import { getBorderCharacters, table } from 'table';
import pc from 'picocolors';
import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import type { Status } from '../model/verdict.js';
import { escapeTerminal as tty } from './escape.js';
import wrapAnsi from 'wrap-ansi';
import { DEFAULT_WIDTH, type Renderer, type RenderOptions } from './renderer.js';
import { fitColumns, naturalWidth, type ShrinkStep } from './table-layout.js';
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

const HEADINGS = ['Target', 'Port', 'Status', 'Protocols', 'Source', 'Certificate', 'Why'] as const;
type Column = (typeof HEADINGS)[number];

/**
 * How the table narrows: long reasons wrap first, then protocol lists wrap at their commas, then the name
 * and the reasons share what is left, the reasons keeping the larger part. Port and status never wrap.
 */
const SHRINK: ReadonlyArray<{ column: Column; floor: number }> = [
  { column: 'Why', floor: 60 },
  { column: 'Protocols', floor: 'Protocols'.length },
  { column: 'Certificate', floor: 'Certificate'.length },
  { column: 'Target', floor: 30 },
  { column: 'Why', floor: 40 },
  { column: 'Target', floor: 20 },
  { column: 'Why', floor: 20 },
  { column: 'Target', floor: 14 },
  { column: 'Source', floor: 'Source'.length },
];

/** One target as a block, for terminals too narrow for the table: the heading line, then labelled lines. */
function targetBlock(columns: readonly Column[], cells: readonly string[], width: number): string {
  const cell = (name: Column) => cells[columns.indexOf(name)] ?? '';
  const labelled = (label: string, text: string) => {
    const hanging = ' '.repeat(label.length + 4);
    const room = Math.max(8, width - hanging.length);
    const lines = text.split('\n').flatMap((line) => wrapAnsi(line, room, { hard: true }).split('\n'));
    return lines.map((line, i) => (i === 0 ? `  ${label}: ${line}` : `${hanging}${line}`)).join('\n');
  };
  const heading = wrapAnsi(`${cell('Target')}:${cell('Port')}  ${cell('Status').split('\n').join(', ')}`, width, { hard: true });
  const rest = columns.filter((c) => !['Target', 'Port', 'Status'].includes(c)).map((c) => labelled(c, cell(c)));
  return [heading, ...rest].join('\n');
}

export function renderTable(report: Report, options: RenderOptions = {}): string {
  const { c, status } = painter(options.color ?? false);
  const width = Math.max(20, Math.floor(options.width ?? DEFAULT_WIDTH));
  const refs = policyRefs(report);
  const multi = refs.length > 1;
  // The certificate column appears when some source reported certificate chains (nmap's cipher scan does not).
  const certificates = report.targets.some((t) => (t.certificates?.length ?? 0) > 0);
  const columns = HEADINGS.filter((h) => certificates || h !== 'Certificate');
  const rows: string[][] = [];
  for (const t of report.targets) {
    const verdicts = targetVerdicts(report, t);
    const statuses = verdicts.map((v) => `${status[v.status](v.status.toUpperCase())}${multi ? ` ${tty(v.policy)}` : ''}`).join('\n');
    const cert = certificates ? [tty(certificateBrief(t) ?? '-')] : [];
    rows.push([endpoint(t), String(t.port), statuses, protocols(t), tty(t.sources.join(', ')), ...cert, reasons(report, t, multi)]);
  }
  const counts = (summary: Report['summary']) =>
    (['pass', 'warn', 'fail', 'error'] as const).map((s) => status[s](`${summary[s]} ${s}`)).join(', ');
  const fit = (text: string) => wrapAnsi(text, width, { hard: true });
  const policies = refs.map((p) => fit(tty(`Policy: ${p.name} (${p.id}${p.version ? ` ${p.version}` : ''})`)));
  // Skipped ports are no targets: counted on the summary line so the reader knows they were seen.
  const skipped = skippedSummary(report);
  const tail = skipped ? `; ${skipped}` : '';
  const totals = multi
    ? refs.map((p) => fit(`${counted(report.targets.length, 'target')} under ${tty(p.id)}: ${counts(summaryFor(report, p.id))}${tail}`))
    : [fit(`${counted(report.targets.length, 'target')}: ${counts(report.summary)}${tail}`)];
  const notices = (report.notices ?? []).map((n) => fit(c.yellow(`Notice: ${tty(n)}`)));
  return [...policies, layout(columns, rows, width, c.bold), ...totals, ...notices].join('\n') + '\n';
}

/**
 * The rows as a table sized to the width, or as one block per target when even the narrowest table would
 * not fit. `table` lays rows out in linear time (a 5,000-target scan renders in seconds) and measures colour.
 */
function layout(columns: readonly Column[], rows: readonly string[][], width: number, bold: (s: string) => string): string {
  if (rows.length === 0) return 'No targets.';
  const header = columns.map((h) => bold(h));
  const natural = columns.map((h, i) => naturalWidth([h, ...rows.map((r) => r[i]!)]));
  const steps: ShrinkStep[] = SHRINK.filter((s) => columns.includes(s.column)).map((s) => ({ column: columns.indexOf(s.column), floor: s.floor }));
  const widths = fitColumns(natural, steps, width);
  if (!widths) return rows.map((r) => targetBlock(columns, r, width)).join('\n\n');
  const config = Object.fromEntries(widths.map((w, i) => [i, { width: w, wrapWord: true }]));
  return table([header, ...rows], { border: getBorderCharacters('norc'), columns: config }).trimEnd();
}

export const tableRenderer: Renderer = {
  format: 'table',
  extension: 'txt',
  mediaType: 'text/plain',
  render: renderTable,
};
