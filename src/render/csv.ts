import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { csvField } from './escape.js';
import type { Renderer, RenderOptions } from './renderer.js';
import { policyViews, ruleStatus, suiteSources, suiteTimes, targetVerdicts } from './report-view.js';

const HEAD = ['host', 'address', 'port', 'policy', 'status', 'rule', 'outcome', 'protocol', 'code', 'name', 'sources', 'observedAt', 'error'] as const;

/** The suites a target offers, each with its protocol, in the report's order. */
function suiteRows(t: Target): Array<{ protocol: string; code: string; name: string; sources: string; observedAt: string }> {
  const rows = [];
  for (const p of t.protocols) {
    if (p.ciphers.length === 0) {
      const times = [...new Set(p.evidence.map((e) => e.observedAt).filter(Boolean))].sort();
      rows.push({ protocol: p.version, code: '', name: '', sources: [...new Set(p.evidence.map((e) => e.source))].join(' '), observedAt: times.join(' ') });
    }
    for (const c of p.ciphers) rows.push({ protocol: p.version, code: c.code, name: c.name, sources: suiteSources(c).join(' '), observedAt: suiteTimes(c).join(' ') });
  }
  return rows;
}

/**
 * Long format, for spreadsheets that filter ("every suite that breaks rule X"). Per target and policy:
 * first the inventory, one row per protocol and suite with `rule` empty; then one row per rule with its
 * outcome (pass, warn, fail, or error when the target was not assessed); where the rule's findings name
 * suites, one row per named suite instead, each with that suite's outcome, and where they name only
 * protocols, one row per protocol. A skipped port (no TLS service) gets one row with status `skipped`
 * and the reason in the last column. RFC 4180: CRLF line ends, a header row.
 */
export function renderCsv(report: Report, options: RenderOptions = {}): string {
  const views = policyViews(report, options.policies);
  const rows: unknown[][] = [[...HEAD]];
  for (const t of report.targets) {
    const suites = suiteRows(t);
    const error = t.error ?? '';
    for (const verdict of targetVerdicts(report, t)) {
      const front = [t.host, t.address ?? '', t.port, verdict.policy, verdict.status];
      const tail = (s?: (typeof suites)[number]) => [s?.protocol ?? '', s?.code ?? '', s?.name ?? '', s?.sources ?? '', s?.observedAt ?? '', error];
      if (suites.length === 0) rows.push([...front, '', '', ...tail({ protocol: '', code: '', name: '', sources: t.sources.join(' '), observedAt: '' })]);
      for (const s of suites) rows.push([...front, '', '', ...tail(s)]);
      const rules = views.find((v) => v.ref.id === verdict.policy)?.rules.map((r) => r.id) ?? [];
      for (const rule of rules) {
        const findings = verdict.findings.filter((f) => f.rule === rule && f.severity !== 'info');
        const named = new Map<string, string>();
        for (const f of findings) for (const code of f.evidence?.ciphers ?? []) if (named.get(code) !== 'fail') named.set(code, f.severity);
        if (named.size === 0) {
          // A finding about protocols (TLS 1.0 enabled) gets a row per protocol it names.
          const protocols = [...new Set(findings.flatMap((f) => f.evidence?.protocols ?? []))];
          const outcome = ruleStatus(verdict, rule);
          if (protocols.length === 0) rows.push([...front, rule, outcome, ...tail()]);
          for (const protocol of protocols) rows.push([...front, rule, outcome, ...tail({ protocol, code: '', name: '', sources: '', observedAt: '' })]);
          continue;
        }
        for (const [code, outcome] of named) {
          const seen = suites.filter((s) => s.code === code);
          for (const s of seen.length > 0 ? seen : [{ protocol: '', code, name: '', sources: '', observedAt: '' }]) rows.push([...front, rule, outcome, ...tail(s)]);
        }
      }
    }
  }
  // Open ports that are no TLS service: status "skipped", and why in the last column.
  for (const sk of report.skipped ?? []) rows.push([sk.host, sk.address ?? '', sk.port, '', 'skipped', '', '', '', '', '', '', '', sk.reason]);
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

export const csvRenderer: Renderer = {
  format: 'csv',
  extension: 'csv',
  mediaType: 'text/csv',
  render: renderCsv,
};
