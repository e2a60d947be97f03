import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { STATUSES, type Finding, type Status } from '../model/verdict.js';
import { suiteLabel } from '../remediation/format-advice.js';
import { chainLabel, chainVerdicts } from './certificate-view.js';
import { cssString, escapeHtml as h, safeUrl } from './escape.js';
import type { Renderer, RenderOptions } from './renderer.js';
import {
  cipherNames,
  displayFindings,
  endpoint,
  policyRefs,
  policyTitle,
  policyViews,
  protocolLabel,
  ruleStatus,
  skippedLabel,
  skippedPorts,
  skippedSummary,
  suiteSourceLabels,
  suiteSources,
  suiteTimes,
  summaryFor,
  targetVerdicts,
  type PolicyView,
} from './report-view.js';
import { targetFixes, type TargetFix } from './target-fixes.js';

const LABEL: Record<Status, string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail', error: 'Error' };
const MARK: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', error: '?' };
const SEVERITY_STATUS = { fail: 'fail', warn: 'warn', info: 'info' } as const;

// Inline, so the file stands alone; no fonts, images or scripts to fetch.
const STYLE = `
:root{--pass:#1a7f37;--pass-bg:#dafbe1;--warn:#9a6700;--warn-bg:#fff8c5;--fail:#cf222e;--fail-bg:#ffebe9;--error:#8250df;--error-bg:#fbefff;--info:#0969da;--info-bg:#ddf4ff;--ink:#1f2328;--muted:#656d76;--line:#d0d7de;--paper:#fff;--wash:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--wash)}
header{background:#24292f;color:#fff;padding:24px 32px}
header h1{margin:0 0 4px;font-size:24px;font-weight:600}
header .meta{margin:0;color:#c9d1d9}
header a{color:#9ecbff}
main{max-width:1200px;margin:0 auto;padding:24px 32px 48px}
section{margin-bottom:32px}
h2{font-size:19px;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:0;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
h4{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:18px 0 6px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:18px}
.card{min-width:110px;padding:10px 16px;border-radius:8px;background:#fff;color:var(--ink);border-left:6px solid}
.card b{display:block;font-size:26px;line-height:1.1}
.card span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card.pass{border-color:var(--pass)}.card.warn{border-color:var(--warn)}.card.fail{border-color:var(--fail)}.card.error{border-color:var(--error)}
.card .policy{display:block;font-size:11px;color:var(--muted);text-transform:none;letter-spacing:0}
.panel{background:var(--paper);border:1px solid var(--line);border-radius:8px;overflow:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:7px 10px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
thead th{background:var(--wash);font-size:12px;color:var(--muted);font-weight:600}
tbody tr:last-child>*{border-bottom:0}
.matrix td{text-align:center;white-space:nowrap;font-weight:600;font-size:12.5px}
.matrix thead th{text-align:center}
.matrix thead th.policy{border-left:2px solid var(--line)}
.matrix tbody th{font-weight:600;white-space:nowrap}
.matrix td.first{border-left:2px solid var(--line)}
.matrix .sub{display:block;font-weight:400;color:var(--muted);font-size:12px}
.matrix thead .mono{white-space:nowrap}
.matrix th.verdict,.matrix td.verdict{border-left:2px solid var(--line);font-size:13px}
td.pass,.badge.pass{background:var(--pass-bg);color:var(--pass)}
td.warn,.badge.warn{background:var(--warn-bg);color:var(--warn)}
td.fail,.badge.fail{background:var(--fail-bg);color:var(--fail)}
td.error,.badge.error{background:var(--error-bg);color:var(--error)}
.badge.info{background:var(--info-bg);color:var(--info)}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.target{background:var(--paper);border:1px solid var(--line);border-left:6px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:16px}
.target.pass{border-left-color:var(--pass)}.target.warn{border-left-color:var(--warn)}.target.fail{border-left-color:var(--fail)}.target.error{border-left-color:var(--error)}
.facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:8px 0 0;color:var(--muted)}
.facts dt{display:inline;font-weight:600}
.facts dd{display:inline;margin:0 0 0 4px;color:var(--ink)}
.findings{list-style:none;margin:0;padding:0}
.findings li{padding:6px 0;border-bottom:1px dashed var(--line)}
.findings li:last-child{border-bottom:0}
.evidence{display:block;color:var(--muted);font-size:12.5px;margin-left:2px}
.chip{display:inline-block;padding:0 7px;margin:1px 3px 1px 0;border-radius:4px;background:var(--wash);border:1px solid var(--line);font-size:12px}
.chip.nmap{background:#eef6ff;border-color:#b6d7ff}.chip.ssllabs{background:#f3efff;border-color:#d4c5ff}.chip.probe{background:#effaf1;border-color:#b4e5bf}
.proto{display:inline-block;padding:1px 8px;margin-right:4px;border-radius:4px;font-weight:600;font-size:12px;background:var(--wash);border:1px solid var(--line)}
.proto.legacy{background:var(--warn-bg);border-color:#e7d58a;color:var(--warn)}
.muted{color:var(--muted)}
.error-text{color:var(--error);font-weight:600}
blockquote{margin:8px 0;padding:6px 14px;border-left:4px solid var(--line);color:var(--muted);background:var(--paper)}
.notices li{color:var(--warn)}
#policy h3{margin:22px 0 4px}
.cards .gap{width:12px}
details.fix{margin-top:16px;border:1px solid var(--line);border-radius:6px;background:var(--wash)}
details.fix>summary{cursor:pointer;padding:8px 12px;font-weight:600}
details.fix>summary .muted{font-weight:400}
details.fix[open]>summary{border-bottom:1px solid var(--line)}
.fix-body{padding:2px 14px 10px}
.fix-body h5{font-size:13px;margin:14px 0 6px}
.fix-body .policy-head{font-size:14px;margin:14px 0 4px;padding-bottom:4px;border-bottom:1px dashed var(--line)}
.fix-body ol{margin:0;padding-left:22px}
.fix-body ol>li{margin:0 0 12px}
.fix-body ul.suites{margin:4px 0 8px;padding-left:22px}
.fix-body .where{color:var(--muted)}
.fix-body pre{margin:6px 0;padding:8px 10px;background:var(--paper);border:1px solid var(--line);border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.fix-body .note{margin:4px 0;color:var(--muted);font-size:13px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:16px}
.print-only{display:none}
@media print{
body{background:#fff;font-size:11px}
header{background:#fff;color:var(--ink);border-bottom:2px solid var(--ink);padding:0 0 8px}
header .meta{color:var(--muted)}
header a{color:var(--ink)}
main{max-width:none;padding:12px 0 0}
.screen-only{display:none}
.print-only{display:block}
.panel{overflow:visible;border-radius:0}
th,td{padding:3px 5px;overflow-wrap:anywhere;white-space:normal!important}
.matrix th,.matrix td{font-size:9px}
.matrix thead .mono,.matrix .sub{white-space:normal;overflow-wrap:anywhere}
.print-matrix{margin-bottom:14px}
.print-matrix h3{margin:0 0 4px}
thead{display:table-header-group}
tr,li,pre,.card{break-inside:avoid}
h2,h3,h4,h5,summary{break-after:avoid}
.target{break-inside:avoid;border-left-width:4px;padding:10px 12px}
.target+.target{break-before:auto}
#targets>h2+.target{break-before:avoid}
section#targets,section#policy{break-before:page}
details.fix{background:#fff}
details.fix>summary{list-style:none}
details.fix>summary::-webkit-details-marker{display:none}
details::details-content{content-visibility:visible;display:block}
.chip,.badge,.proto,td.pass,td.warn,td.fail,td.error{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}`;

const LEGACY = new Set(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']);

function badge(status: Status | 'info', text?: string): string {
  const label = text ?? (status === 'info' ? 'Info' : `${MARK[status]} ${LABEL[status]}`);
  return `<span class="badge ${status}">${h(label)}</span>`;
}

function chips(values: readonly string[]): string {
  return values.map((v) => `<span class="chip ${h(v)}">${h(v)}</span>`).join('');
}

/** The sources of a suite, with "protocol inferred" after those that did not name its protocol. */
function sourceChips(c: Parameters<typeof suiteSources>[0]): string {
  const labels = suiteSourceLabels(c);
  return suiteSources(c)
    .map((source, i) => `${chips([source])}${labels[i] !== source ? ' <span class="muted">protocol inferred</span>' : ''}`)
    .join('');
}

/** Open ports that are no TLS service: listed so the reader knows they were seen, never judged. */
function skippedSection(report: Report): string[] {
  const skipped = skippedPorts(report);
  if (skipped.length === 0) return [];
  const rows = skipped.map(
    (s) => `<tr><td class="mono">${h(skippedLabel(s))}</td><td class="mono">${h(s.address ?? '')}</td><td>${h(s.service ?? '')}</td><td>${h(s.reason)}</td></tr>`,
  );
  return [
    '<section id="skipped"><h2>Skipped ports</h2>',
    `<p class="muted">${h(skippedSummary(report))}: not targets, no effect on the result.</p>`,
    `<div class="panel"><table><thead><tr><th>Port</th><th>Address</th><th>Service</th><th>Reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    '</section>',
  ];
}

function link(text: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe ? `<a href="${h(safe)}" rel="noopener noreferrer">${h(text)}</a>` : h(text);
}

function sourceLine(view: PolicyView): string {
  const s = view.ref.source;
  if (!s) return '<span class="muted">no source given</span>';
  return `${link(s.title, s.url)}${s.date ? ` <span class="muted">(${h(s.date)})</span>` : ''}`;
}

function summaryCards(report: Report): string {
  const refs = policyRefs(report);
  const cards: string[] = [];
  for (const ref of refs) {
    const summary = refs.length > 1 ? summaryFor(report, ref.id) : report.summary;
    for (const s of STATUSES) {
      cards.push(
        `<div class="card ${s}"><b>${summary[s]}</b><span>${h(LABEL[s])}</span>${refs.length > 1 ? `<span class="policy">${h(ref.id)}</span>` : ''}</div>`,
      );
    }
  }
  return `<div class="cards">${cards.join('')}</div>`;
}

function matrix(report: Report, views: readonly PolicyView[], anchors: Map<Target, string>, links = true): string {
  const multi = views.length > 1;
  const top = views
    .map((v) => `<th class="policy" colspan="${v.rules.length + 1}">${h(policyTitle(v.ref))}</th>`)
    .join('');
  const ruleHeads = views
    .map(
      (v) =>
        v.rules.map((r, i) => `<th${i === 0 ? ' class="policy"' : ''} title="${h(r.id)}">${h(r.title)}<span class="sub mono">${h(r.id)}</span></th>`).join('') +
        `<th class="verdict${v.rules.length === 0 ? ' policy' : ''}">Status${multi ? `<span class="sub mono">${h(v.ref.id)}</span>` : ''}</th>`,
    )
    .join('');
  const rows = report.targets.map((t) => {
    const verdicts = targetVerdicts(report, t);
    const cells = views
      .map((v) => {
        const verdict = verdicts.find((x) => x.policy === v.ref.id);
        const ruleCells = v.rules.map((r, i) => {
          const s = verdict ? ruleStatus(verdict, r.id) : 'error';
          return `<td class="${s}${i === 0 ? ' first' : ''}" title="${h(`${r.id}: ${LABEL[s]}`)}">${h(`${MARK[s]} ${LABEL[s]}`)}</td>`;
        });
        const s = verdict?.status ?? 'error';
        ruleCells.push(`<td class="${s} verdict${v.rules.length === 0 ? ' first' : ''}">${h(`${MARK[s]} ${LABEL[s].toUpperCase()}`)}</td>`);
        return ruleCells.join('');
      })
      .join('');
    const sub = t.address && t.address !== t.host ? `<span class="sub">${h(t.address)}</span>` : '';
    const name = links ? `<a href="#${anchors.get(t)}">${h(endpoint(t))}</a>` : h(endpoint(t));
    return `<tr><th>${name}${sub}</th>${cells}</tr>`;
  });
  return `<div class="panel"><table class="matrix"><thead><tr><th rowspan="2">Target</th>${top}</tr><tr>${ruleHeads}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * On paper a matrix cannot scroll sideways, so each policy gets a matrix of its own, narrow enough to fit
 * the page's width (its cells wrap); the combined matrix is for the screen.
 */
function printMatrices(report: Report, views: readonly PolicyView[], anchors: Map<Target, string>): string {
  if (views.length < 2) return '';
  const each = views.map((v) => `<div class="print-matrix"><h3>${h(policyTitle(v.ref))}</h3>${matrix(report, [v], anchors, false)}</div>`);
  return `<div class="print-only">${each.join('')}</div>`;
}

/**
 * The running header and footer of every printed page (CSS page-margin boxes): the report's title and
 * policy, when it was made, and the page number. Values from the report go through cssString.
 */
function pageStyle(report: Report): string {
  const box = 'font:9px system-ui,sans-serif;color:#656d76';
  const title = cssString(`TLS audit report: ${policyRefs(report).map((r) => r.id).join(', ')}`);
  const date = cssString(report.generatedAt ? `Generated ${report.generatedAt}` : '');
  return `@page{margin:16mm 12mm 16mm;@top-left{content:${title};${box}}@top-right{content:${date};${box}}@bottom-right{content:"Page " counter(page) " of " counter(pages);${box}}@bottom-left{content:"tlsaudit";${box}}}`;
}

function findingItem(t: Target, f: Finding, policy: string | undefined): string {
  const e = f.evidence;
  const bits: string[] = [];
  if (e?.protocols?.length) bits.push(`protocols ${e.protocols.map((p) => `<span class="mono">${h(p)}</span>`).join(', ')}`);
  if (e?.ciphers?.length) {
    const names = cipherNames(t, e.ciphers);
    bits.push(`suites ${e.ciphers.map((c, i) => `<span class="mono">${h(c)}</span> ${h(names[i])}`).join(', ')}`);
  }
  if (e?.sources?.length) bits.push(`seen by ${chips(e.sources)}`);
  const evidence = bits.length > 0 ? `<span class="evidence">Evidence: ${bits.join('; ')}</span>` : '';
  const escalated = (f as { escalated?: boolean }).escalated ? ' <span class="muted">(deprecated, failed under --strict)</span>' : '';
  return `<li>${badge(SEVERITY_STATUS[f.severity] as Status | 'info', f.severity === 'info' ? 'Info' : LABEL[f.severity])} <code>${h(f.rule)}</code>${policy ? ` <span class="muted">${h(policy)}</span>` : ''} ${h(f.message)}${escalated}${evidence}</li>`;
}

function targetDetail(report: Report, t: Target, anchor: string, multi: boolean, fixes: readonly TargetFix[]): string {
  const verdicts = targetVerdicts(report, t);
  const out: string[] = [];
  out.push(`<article class="target ${t.verdict.status}" id="${anchor}">`);
  out.push(`<h3>${h(endpoint(t))} ${verdicts.map((v) => badge(v.status, `${MARK[v.status]} ${LABEL[v.status]}${multi ? ` · ${v.policy}` : ''}`)).join(' ')}</h3>`);
  const facts: Array<[string, string]> = [];
  facts.push(['Host', h(t.host)]);
  if (t.address !== undefined) facts.push(['Address', h(t.address)]);
  facts.push(['Port', h(t.port)]);
  if (t.service) facts.push(['Service', h(t.service)]);
  if (t.starttls) facts.push(['STARTTLS', h(t.starttls)]);
  facts.push(['Sources', chips(t.sources) || '<span class="muted">none</span>']);
  out.push(`<dl class="facts">${facts.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`);
  if (t.error !== undefined) out.push(`<p class="error-text">Not assessed: ${h(t.error)}</p>`);

  out.push('<h4>Findings</h4>');
  const findings = displayFindings(report, t).map(({ policy, finding }) => findingItem(t, finding, multi ? policy : undefined));
  out.push(findings.length > 0 ? `<ul class="findings">${findings.join('')}</ul>` : '<p class="muted">None: the target meets the policy.</p>');
  if (fixes.length > 0) out.push(fixDetails(fixes, multi));

  if (t.protocols.length > 0) {
    out.push('<h4>Protocols</h4>');
    out.push(
      `<p>${t.protocols
        .map((p) => `<span class="proto${LEGACY.has(p.version) ? ' legacy' : ''}">${h(protocolLabel(p.version))}</span>`)
        .join('')}</p>`,
    );
    out.push('<h4>Cipher suites</h4>');
    const rows = t.protocols.flatMap((p) => {
      const pref = p.cipherPreference ? ` <span class="muted">(${h(p.cipherPreference)} order)</span>` : '';
      if (p.ciphers.length === 0) {
        return [`<tr><td>${h(protocolLabel(p.version))}${pref}</td><td></td><td class="muted">no suites listed</td><td>${chips([...new Set(p.evidence.map((e) => e.source))])}</td><td></td></tr>`];
      }
      return p.ciphers.map(
        (c, i) =>
          `<tr><td>${i === 0 ? `${h(protocolLabel(p.version))}${pref}` : ''}</td><td class="mono">${h(c.code)}</td><td class="mono">${h(c.name)}</td><td>${sourceChips(c)}</td><td class="muted">${suiteTimes(c).map(h).join('<br>')}</td></tr>`,
      );
    });
    out.push(`<div class="panel"><table><thead><tr><th>Protocol</th><th>Code</th><th>Suite</th><th>Seen by</th><th>Observed</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`);
    const warnings = t.protocols.flatMap((p) => (p.warnings ?? []).map((w) => `${protocolLabel(p.version)}: ${w}`));
    if (warnings.length > 0) out.push(`<ul class="muted">${warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>`);
  }

  if (t.disagreements?.length) {
    out.push('<h4>Sources disagree</h4>');
    out.push(`<ul class="findings">${t.disagreements.map((d) => `<li>${badge('info', 'Info')} ${h(d.message)} ${chips(d.sources)}</li>`).join('')}</ul>`);
  }

  if (t.runs?.length) {
    out.push('<h4>Evidence gathered</h4>');
    const rows = t.runs.map(
      (r) =>
        `<tr><td>${chips([r.source])}</td><td class="mono">${h(r.origin ?? '')}</td><td>${h(r.observedAt ?? '')}</td><td>${h(r.grade ?? '')}</td><td>${
          r.error !== undefined ? `<span class="error-text">${h(r.error)}</span>` : 'assessed'
        }${r.reason ? ` <span class="muted">${h(r.reason)}</span>` : ''}${(r.notes ?? []).map((n) => `<br><span class="muted">${h(n)}</span>`).join('')}</td></tr>`,
    );
    out.push(`<div class="panel"><table><thead><tr><th>Source</th><th>Origin</th><th>Observed</th><th>Grade</th><th>Result</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`);
  }

  if (t.certificates && t.certificates.length > 0) {
    out.push('<h4>Certificates</h4>');
    for (const o of t.certificates) {
      const rows = o.chain.map(
        (c, i) =>
          `<tr><td>${i + 1}</td><td>${h(c.subject ?? '')}</td><td>${h(c.selfSigned ? 'self-signed' : (c.issuer ?? ''))}</td><td>${h(c.notBefore?.slice(0, 10) ?? '?')} to ${h(c.notAfter?.slice(0, 10) ?? '?')}</td><td>${h(
            `${c.keyType ?? ''}${c.curve ? ` ${c.curve}` : ''}${c.keyBits ? ` ${c.keyBits}` : ''}`,
          )}</td><td>${h(c.signatureAlgorithm ?? '')}</td><td class="mono">${h(c.fingerprintSha256 ?? '')}</td></tr>`,
      );
      out.push(`<p><strong>${h(chainLabel(o))}</strong>: ${h(chainVerdicts(o).join('; ') || 'no verdicts reported')}</p>`);
      out.push(
        `<div class="panel"><table><thead><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Valid</th><th>Key</th><th>Signature</th><th>SHA-256</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
      );
    }
  } else if (t.certificate) {
    const c = t.certificate;
    const facts: Array<[string, string | undefined]> = [
      ['Subject', c.subject],
      ['Alt names', c.subjectAltNames?.join(', ')],
      ['Issuer', c.issuer],
      ['Valid', c.notBefore || c.notAfter ? `${c.notBefore ?? '?'} to ${c.notAfter ?? '?'}` : undefined],
      ['Key', c.keyType ? `${c.keyType}${c.keyBits ? ` ${c.keyBits} bits` : ''}` : undefined],
      ['Signature', c.signatureAlgorithm],
      ['SHA-256', c.fingerprintSha256],
    ];
    const shown = facts.filter(([, v]) => v !== undefined && v !== '');
    if (shown.length > 0) {
      out.push('<h4>Certificate</h4>');
      out.push(`<dl class="facts">${shown.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('')}</dl>`);
    }
  }
  out.push('</article>');
  return out.join('\n');
}

/**
 * What to change, folded away in a <details> (no script needed to open it): per policy the target fails
 * or warns under, the approved suites to enable, then per server software each change with its snippet.
 */
function fixDetails(fixes: readonly TargetFix[], multi: boolean): string {
  const servers = [...new Set(fixes.flatMap((f) => f.servers.map((s) => s.label.replace(/ \(.*$/, ''))))];
  const out = [`<details class="fix"><summary>How to fix${servers.length > 0 ? ` <span class="muted">${h(servers.join(', '))}</span>` : ''}</summary>`, '<div class="fix-body">'];
  for (const fix of fixes) {
    if (multi) out.push(`<h5 class="policy-head">${h(fix.ref.name)} <span class="mono muted">${h(fix.ref.id)}</span> ${badge(fix.status)}</h5>`);
    if (fix.advice.enableSuites.length > 0) {
      out.push('<p>Approved suites to enable (any one is enough where the policy asks for one):</p>');
      out.push(`<ul class="suites">${fix.advice.enableSuites.map((s) => `<li><code>${h(suiteLabel(s))}</code></li>`).join('')}</ul>`);
    }
    for (const { label, items } of fix.servers) {
      out.push(`<h5>${h(label)}</h5>`);
      const steps = items.map(
        (a) =>
          `<li><b>${h(a.title)}</b> ${a.rules.map((r) => `<code>${h(r)}</code>`).join(' ')} <span class="where">in ${h(a.snippet.context)}:</span>` +
          `<pre><code class="language-${h(a.snippet.language)}">${h(a.snippet.text.replace(/\n+$/, ''))}</code></pre>` +
          a.notes.map((n) => `<p class="note">${h(n)}</p>`).join('') +
          '</li>',
      );
      out.push(`<ol>${steps.join('')}</ol>`);
    }
  }
  out.push('</div>', '</details>');
  return out.join('\n');
}

function policySection(view: PolicyView): string {
  const out = [`<h3>${h(policyTitle(view.ref))}</h3>`, `<p>Source: ${sourceLine(view)}</p>`];
  if (view.description) out.push(`<p>${h(view.description)}</p>`);
  if (view.quote) out.push(`<blockquote>${h(view.quote)}</blockquote>`);
  if (view.rules.length > 0) {
    const rows = view.rules.map(
      (r) => `<tr><td class="mono" style="white-space:nowrap">${h(r.id)}</td><td>${badge(SEVERITY_STATUS[r.severity] as Status | 'info', r.severity === 'fail' ? 'Fail' : r.severity === 'warn' ? 'Warn' : 'Info')}</td><td>${h(r.title)}</td><td>${h(r.rationale ?? '')}</td></tr>`,
    );
    out.push(`<div class="panel"><table><thead><tr><th>Rule</th><th>Severity</th><th>Requirement</th><th>Rationale</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`);
  }
  return out.join('\n');
}

/**
 * One self-contained HTML file: summary cards, a matrix of targets by policy rules coloured by outcome,
 * per-target detail (findings with evidence, how to fix them per server software, protocols, suites with
 * the sources that saw them, the runs that gathered it), and the policy text. No scripts and nothing
 * fetched; a Content-Security-Policy says so to the browser, and every value from the report goes
 * through escapeHtml.
 */
export function renderHtml(report: Report, options: RenderOptions = {}): string {
  const views = policyViews(report, options.policies);
  const multi = views.length > 1;
  const anchors = new Map(report.targets.map((t, i) => [t, `target-${i + 1}`]));
  const fixesOf = targetFixes(report, options.policies);
  const meta = [
    report.generatedAt ? `Generated ${h(report.generatedAt)}` : '',
    report.generator ? `by tlsaudit ${h(report.generator.version)}` : '',
    `${report.targets.length} ${report.targets.length === 1 ? 'target' : 'targets'}`,
    skippedSummary(report) ? h(skippedSummary(report)) : '',
    report.strict ? 'strict: deprecated settings count as failures' : '',
  ].filter(Boolean);
  const policiesLine = views.map((v) => `${h(policyTitle(v.ref))}, source ${sourceLine(v)}`).join('<br>');
  const body = [
    '<header>',
    '<h1>TLS audit report</h1>',
    `<p class="meta">${meta.join(' · ')}</p>`,
    `<p class="meta">Policy: ${policiesLine}</p>`,
    summaryCards(report),
    '</header>',
    '<main>',
    ...(report.notices?.length
      ? ['<section id="notices"><h2>Notices</h2>', `<ul class="notices">${report.notices.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`, '</section>']
      : []),
    '<section id="matrix"><h2>Compliance by rule</h2>',
    report.targets.length > 0
      ? `<div class="combined${multi ? ' screen-only' : ''}">${matrix(report, views, anchors)}</div>${printMatrices(report, views, anchors)}`
      : '<p class="muted">No targets.</p>',
    '</section>',
    '<section id="targets"><h2>Targets</h2>',
    ...report.targets.map((t) => targetDetail(report, t, anchors.get(t)!, multi, fixesOf(t))),
    '</section>',
    ...skippedSection(report),
    `<section id="policy"><h2>${multi ? 'Policies' : 'Policy'}</h2>`,
    ...views.map(policySection),
    '</section>',
    '</main>',
    `<footer>tlsaudit${report.generator ? ` ${h(report.generator.version)}` : ''} · report schema version ${h(report.schemaVersion)}</footer>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    `<title>TLS audit: ${h(report.policy.name)}</title>`,
    `<style>${STYLE}${pageStyle(report)}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const htmlRenderer: Renderer = {
  format: 'html',
  extension: 'html',
  mediaType: 'text/html',
  render: renderHtml,
};
