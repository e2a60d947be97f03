import Table from 'cli-table3';
import pc from 'picocolors';
import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import type { Status } from '../model/verdict.js';
import type { Renderer, RenderOptions } from './renderer.js';

type Paint = (text: string) => string;

function painter(color: boolean) {
  const c = pc.createColors(color);
  const status: Record<Status, Paint> = { pass: c.green, warn: c.yellow, fail: c.red, error: c.magenta };
  return { c, status };
}

function endpoint(t: Target): string {
  const host = t.address && t.address !== t.host ? `${t.host} (${t.address})` : t.host;
  return t.starttls ? `${host} [${t.starttls}]` : host;
}

function protocols(t: Target): string {
  return t.protocols.map((p) => p.version.replace('TLSv', 'TLS ').replace('SSLv', 'SSL ')).join(', ') || '-';
}

/** The findings that explain the status, worst first; info findings only when nothing else is said. */
function reasons(t: Target): string {
  const order = { fail: 0, warn: 1, info: 2 } as const;
  const findings = [...t.verdict.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  const shown = findings.filter((f) => f.severity !== 'info');
  return (shown.length > 0 ? shown : findings).map((f) => f.message).join('\n') || 'Meets the policy.';
}

export function renderTable(report: Report, options: RenderOptions = {}): string {
  const { c, status } = painter(options.color ?? false);
  const table = new Table({
    head: ['Target', 'Port', 'Status', 'Protocols', 'Source', 'Why'].map((h) => c.bold(h)),
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [null, null, null, null, null, 60] as unknown as number[],
  });
  for (const t of report.targets) {
    const s = t.verdict.status;
    table.push([endpoint(t), String(t.port), status[s](s.toUpperCase()), protocols(t), t.sources.join(', '), reasons(t)]);
  }
  const { summary } = report;
  const counts = (['pass', 'warn', 'fail', 'error'] as const).map((s) => status[s](`${summary[s]} ${s}`)).join(', ');
  const policy = `Policy: ${report.policy.name} (${report.policy.id}${report.policy.version ? ` ${report.policy.version}` : ''})`;
  const notices = (report.notices ?? []).map((n) => c.yellow(`Notice: ${n}`));
  const body = report.targets.length > 0 ? table.toString() : 'No targets.';
  return [policy, body, `${report.targets.length} targets: ${counts}`, ...notices].join('\n') + '\n';
}

export const tableRenderer: Renderer = {
  format: 'table',
  extension: 'txt',
  mediaType: 'text/plain',
  render: renderTable,
};
