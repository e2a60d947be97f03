import { SERVER_KINDS, SERVER_LABELS, type Advice } from './advice.js';
import type { PlannedSuite } from './plan-remediation.js';

function indent(text: string, by: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l === '' ? l : `${by}${l}`))
    .join('\n');
}

/** "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ECDHE-RSA-AES128-GCM-SHA256)" */
export function suiteLabel(s: PlannedSuite): string {
  return s.openssl && s.openssl !== s.name ? `${s.name} (${s.openssl})` : s.name;
}

/**
 * Advice as plain text, grouped by server, for terminals and text reports: each change's title, where
 * it goes, the snippet indented, then its notes.
 */
export function formatAdvice(advice: readonly Advice[], indentBy = ''): string {
  const lines: string[] = [];
  for (const server of SERVER_KINDS) {
    const items = advice.filter((a) => a.server === server);
    if (items.length === 0) continue;
    lines.push(`${indentBy}${SERVER_LABELS[server]}:`);
    for (const a of items) {
      lines.push(`${indentBy}  - ${a.title} [${a.rules.join(', ')}], in ${a.snippet.context}:`);
      lines.push(indent(a.snippet.text, `${indentBy}      `));
      for (const n of a.notes) lines.push(`${indentBy}    Note: ${n}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const FENCE_LANGUAGE: Readonly<Record<Advice['snippet']['language'], string>> = {
  powershell: 'powershell',
  nginx: 'nginx',
  apache: 'apache',
  postfix: 'ini',
  shell: 'sh',
};

/**
 * Advice as Markdown, for reports: a list item per change with its snippet fenced. Headings start at
 * `level` (default 4, under a report's target heading). Text from the advice is trusted data of this
 * package, but the fence is lengthened past any backticks the snippet holds.
 */
export function formatAdviceMarkdown(advice: readonly Advice[], level = 4): string {
  const out: string[] = [];
  for (const server of SERVER_KINDS) {
    const items = advice.filter((a) => a.server === server);
    if (items.length === 0) continue;
    out.push(`${'#'.repeat(level)} ${SERVER_LABELS[server]}`, '');
    for (const a of items) {
      const fence = '`'.repeat(Math.max(3, ...[...a.snippet.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      out.push(`- **${a.title}** (${a.rules.join(', ')}), in ${a.snippet.context}:`, '');
      out.push(`  ${fence}${FENCE_LANGUAGE[a.snippet.language]}`, ...a.snippet.text.trimEnd().split('\n').map((l) => `  ${l}`), `  ${fence}`, '');
      for (const n of a.notes) out.push(`  ${n}`, '');
    }
  }
  return out.join('\n');
}
