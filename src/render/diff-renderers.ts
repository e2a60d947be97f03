import pc from 'picocolors';
import type { Movement, ReportDiff, StatusChange, TargetDiff } from '../report/diff-reports.js';
import { endpointLabel } from '../report/target-identity.js';
import { escapeMarkdown as md, escapeTerminal as tty, markdownCode as code } from './escape.js';
import { counted } from './report-view.js';

export const DIFF_FORMATS = ['table', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffRenderOptions {
  color?: boolean;
}

const ARROW: Record<Movement, string> = { worse: 'worse', better: 'better', same: '', unknown: '' };

function statusText(s: StatusChange, multi: boolean, arrow = '->'): string {
  const from = s.old ?? '(none)';
  const to = s.new ?? '(none)';
  const prefix = multi ? `${s.policy}: ` : '';
  const move = ARROW[s.movement] ? ` (${ARROW[s.movement]})` : '';
  return from === to ? `${prefix}${to}` : `${prefix}${from} ${arrow} ${to}${move}`;
}

function changes(t: TargetDiff): string[] {
  const lines: string[] = [];
  if (t.protocols.added.length) lines.push(`+ protocols ${t.protocols.added.join(', ')}`);
  if (t.protocols.removed.length) lines.push(`- protocols ${t.protocols.removed.join(', ')}`);
  for (const s of t.suites.added) lines.push(`+ ${s.protocol} ${s.code} ${s.name}`);
  for (const s of t.suites.removed) lines.push(`- ${s.protocol} ${s.code} ${s.name}`);
  for (const f of t.findings.added) lines.push(`+ ${f.severity} ${f.rule}: ${f.message}`);
  for (const f of t.findings.removed) lines.push(`- ${f.severity} ${f.rule} resolved`);
  if (t.error !== undefined && t.change !== 'removed') lines.push(`! ${t.error}`);
  return lines;
}

function headline(diff: ReportDiff): string {
  const s = diff.summary;
  return `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged; ${s.worse} worse, ${s.better} better.`;
}

/** The terminal view: one block per changed target, + for what appeared, - for what went. */
export function renderDiffTable(diff: ReportDiff, options: DiffRenderOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const multi = diff.targets.some((t) => t.status.length > 1);
  const out = [`Comparing ${diff.old.generatedAt ?? 'old report'} (${counted(diff.old.targets, 'target')}) with ${diff.new.generatedAt ?? 'new report'} (${counted(diff.new.targets, 'target')}).`];
  if (diff.targets.length === 0) out.push('No changes.');
  for (const t of diff.targets) {
    const worse = t.status.some((s) => s.movement === 'worse');
    const better = t.status.some((s) => s.movement === 'better');
    const paint = worse ? c.red : better ? c.green : (x: string) => x;
    const label = t.change === 'changed' ? '' : ` [${t.change}]`;
    out.push('', c.bold(tty(`${endpointLabel(t)}${t.address && t.address !== t.host ? ` (${t.address})` : ''}${label}`)));
    out.push(`  status: ${paint(tty(t.status.map((s) => statusText(s, multi)).join(', ')))}`);
    for (const line of changes(t)) {
      const colour = line.startsWith('+') ? c.yellow : line.startsWith('-') ? c.cyan : c.magenta;
      out.push(`  ${colour(tty(line))}`);
    }
  }
  out.push('', diff.worsened ? c.red(headline(diff)) : headline(diff));
  return `${out.join('\n')}\n`;
}

export function renderDiffMarkdown(diff: ReportDiff): string {
  const multi = diff.targets.some((t) => t.status.length > 1);
  const out = [
    '# TLS audit: changes',
    '',
    `Old report: ${md(diff.old.generatedAt ?? 'undated')}, ${counted(diff.old.targets, 'target')}, policy ${code(diff.old.policy.id)}.`,
    `New report: ${md(diff.new.generatedAt ?? 'undated')}, ${counted(diff.new.targets, 'target')}, policy ${code(diff.new.policy.id)}.`,
    '',
    `${diff.worsened ? '**Regression:** ' : ''}${md(headline(diff))}`,
    '',
  ];
  if (diff.targets.length === 0) return `${[...out, 'No changes.'].join('\n')}\n`;
  out.push('| Target | Change | Status | What changed |', '| --- | --- | --- | --- |');
  for (const t of diff.targets) {
    const what = changes(t).map((l) => md(l)).join('<br>') || '-';
    out.push(`| ${md(endpointLabel(t))} | ${t.change} | ${md(t.status.map((s) => statusText(s, multi, '→')).join(', '))} | ${what} |`);
  }
  return `${out.join('\n')}\n`;
}

export function renderDiffJson(diff: ReportDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}

export function renderDiff(diff: ReportDiff, format: DiffFormat, options: DiffRenderOptions = {}): string {
  switch (format) {
    case 'table':
      return renderDiffTable(diff, options);
    case 'json':
      return renderDiffJson(diff);
    case 'markdown':
      return renderDiffMarkdown(diff);
  }
}
