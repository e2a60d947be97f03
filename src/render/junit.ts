import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { isEngineRule, endpoint, policyViews, skippedLabel, sortFindings, targetVerdicts, type RuleView } from './report-view.js';
import { escapeXml as x } from './escape.js';
import type { Renderer, RenderOptions } from './renderer.js';

interface Case {
  name: string;
  classname: string;
  body: string;
  failure: boolean;
  error: boolean;
}

/**
 * JUnit XML, the shape Jenkins, GitLab and Azure DevOps read: a <testsuite> per target (named host:port),
 * a <testcase> per policy rule (classname = policy id, name = rule id and title), so a CI system tracks
 * each rule of each server from run to run.
 *
 * - a failing finding is a <failure>;
 * - a deprecated setting (warn) passes, as it does in the exit status, with the finding in <system-out>;
 *   under --strict it was already escalated to a failure;
 * - a target no source could assess has an <error> in every rule's testcase (nothing could be judged);
 * - source disagreements (info) go to the suite's <system-out>.
 */
export function renderJunit(report: Report, options: RenderOptions = {}): string {
  const views = policyViews(report, options.policies);
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skippedCount = 0;
  const suites: string[] = [];
  for (const t of report.targets) {
    const cases: Case[] = [];
    const info: string[] = [];
    for (const verdict of targetVerdicts(report, t)) {
      const view = views.find((v) => v.ref.id === verdict.policy);
      const rules: RuleView[] = [...(view?.rules ?? [])];
      // Findings from rules the view does not list (another policy version) still need a testcase.
      for (const f of verdict.findings) {
        if (!isEngineRule(f.rule) && !rules.some((r) => r.id === f.rule)) rules.push({ id: f.rule, title: f.rule, severity: f.severity, documented: false });
      }
      for (const f of verdict.findings) if (f.severity === 'info') info.push(`[${verdict.policy}] ${f.message}`);
      for (const rule of rules) {
        const name = rule.title === rule.id ? rule.id : `${rule.id}: ${rule.title}`;
        const findings = sortFindings(verdict.findings.filter((f) => f.rule === rule.id));
        let body = '';
        let failure = false;
        let error = false;
        if (verdict.status === 'error') {
          error = true;
          const reason = t.error ?? verdict.findings[0]?.message ?? 'The target could not be assessed.';
          body = `<error message="${x(reason)}" type="assessment-error">${x(reason)}</error>`;
        } else if (findings.some((f) => f.severity === 'fail')) {
          failure = true;
          const fails = findings.filter((f) => f.severity === 'fail');
          body = `<failure message="${x(fails[0]!.message)}" type="${x(rule.id)}">${x(fails.map((f) => details(t, f)).join('\n'))}</failure>`;
        } else if (findings.some((f) => f.severity === 'warn')) {
          body = `<system-out>${x(findings.map((f) => `WARN: ${details(t, f)}`).join('\n'))}</system-out>`;
        }
        cases.push({ name, classname: verdict.policy, body, failure, error });
      }
    }
    const suiteFailures = cases.filter((c) => c.failure).length;
    const suiteErrors = cases.filter((c) => c.error).length;
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    const lines = [
      `  <testsuite name="${x(endpoint(t))}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="0"${report.generatedAt ? ` timestamp="${x(report.generatedAt.replace(/Z$/, ''))}"` : ''}>`,
      `    <properties>`,
      `      <property name="host" value="${x(t.host)}"/>`,
      ...(t.address !== undefined ? [`      <property name="address" value="${x(t.address)}"/>`] : []),
      `      <property name="port" value="${t.port}"/>`,
      `      <property name="sources" value="${x(t.sources.join(' '))}"/>`,
      ...targetVerdicts(report, t).map((v) => `      <property name="status:${x(v.policy)}" value="${v.status}"/>`),
      `    </properties>`,
      ...cases.map((c) =>
        c.body === ''
          ? `    <testcase name="${x(c.name)}" classname="${x(c.classname)}"/>`
          : `    <testcase name="${x(c.name)}" classname="${x(c.classname)}">\n      ${c.body}\n    </testcase>`,
      ),
      ...(info.length > 0 ? [`    <system-out>${x(info.join('\n'))}</system-out>`] : []),
      `  </testsuite>`,
    ];
    suites.push(lines.join('\n'));
  }
  // A skipped port (no TLS service) is a suite of one skipped testcase: visible, never a failure.
  for (const sk of report.skipped ?? []) {
    tests += 1;
    skippedCount += 1;
    suites.push(
      [
        `  <testsuite name="${x(skippedLabel(sk))}" tests="1" failures="0" errors="0" skipped="1">`,
        `    <testcase name="tls" classname="skipped">`,
        `      <skipped message="${x(sk.reason)}"/>`,
        `    </testcase>`,
        `  </testsuite>`,
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tlsaudit" tests="${tests}" failures="${failures}" errors="${errors}"${skippedCount > 0 ? ` skipped="${skippedCount}"` : ''}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function details(t: Target, f: { message: string; evidence?: { protocols?: string[]; ciphers?: string[]; sources?: string[] } }): string {
  const e = f.evidence;
  const bits = [f.message];
  if (e?.protocols?.length) bits.push(`protocols: ${e.protocols.join(', ')}`);
  if (e?.ciphers?.length) {
    const names = new Map(t.protocols.flatMap((p) => p.ciphers.map((c) => [c.code, c.name] as const)));
    bits.push(`suites: ${e.ciphers.map((c) => `${c} ${names.get(c) ?? ''}`.trim()).join(', ')}`);
  }
  if (e?.sources?.length) bits.push(`seen by: ${e.sources.join(', ')}`);
  return bits.join('\n  ');
}

export const junitRenderer: Renderer = {
  format: 'junit',
  extension: 'xml',
  mediaType: 'application/xml',
  render: renderJunit,
};
