import type { Report } from '../model/report.js';
import { csvField } from './escape.js';
import type { Renderer } from './renderer.js';
import { policyRefs, suiteSources, suiteTimes, targetVerdicts } from './report-view.js';

/**
 * One row per target and suite, for spreadsheets: host, address, port, status (plus status:ID per policy when
 * there are several), protocol, code, name, sources, observedAt, and the error of a target no source could assess.
 * A target or protocol without suites still gets a row, with the suite columns empty. A skipped port (no
 * TLS service) gets one row with status `skipped` and the reason in the last column. RFC 4180: CRLF line
 * ends, a header row.
 */
export function renderCsv(report: Report): string {
  const refs = policyRefs(report);
  // `status` is the main policy's, as in the JSON report; with several policies each also gets its own column.
  const others = refs.length > 1 ? refs : [];
  const statusColumns = ['status', ...others.map((r) => `status:${r.id}`)];
  const head = ['host', 'address', 'port', ...statusColumns, 'protocol', 'code', 'name', 'sources', 'observedAt', 'error'];
  const rows: unknown[][] = [head];
  for (const t of report.targets) {
    const verdicts = targetVerdicts(report, t);
    const front = [t.host, t.address ?? '', t.port, t.verdict.status, ...others.map((r) => verdicts.find((v) => v.policy === r.id)?.status ?? '')];
    const error = t.error ?? '';
    if (t.protocols.length === 0) rows.push([...front, '', '', '', t.sources.join(' '), '', error]);
    for (const p of t.protocols) {
      if (p.ciphers.length === 0) {
        const times = [...new Set(p.evidence.map((e) => e.observedAt).filter(Boolean))].sort();
        rows.push([...front, p.version, '', '', [...new Set(p.evidence.map((e) => e.source))].join(' '), times.join(' '), error]);
      }
      for (const c of p.ciphers) {
        rows.push([...front, p.version, c.code, c.name, suiteSources(c).join(' '), suiteTimes(c).join(' '), error]);
      }
    }
  }
  // Open ports that are no TLS service: status "skipped", and why in the last column.
  for (const sk of report.skipped ?? []) {
    rows.push([sk.host, sk.address ?? '', sk.port, 'skipped', ...others.map(() => ''), '', '', '', '', '', sk.reason]);
  }
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

export const csvRenderer: Renderer = {
  format: 'csv',
  extension: 'csv',
  mediaType: 'text/csv',
  render: renderCsv,
};
