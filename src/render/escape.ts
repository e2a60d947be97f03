/**
 * The escaping every text format needs, in one place. Every value a report carries (host names from a
 * scan, messages from a server, a custom policy's text) is untrusted: it is escaped here and only here.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Characters XML 1.0 does not allow at all, not even as references (§2.2): C0 controls but tab, LF, CR;
 * lone surrogates; U+FFFE and U+FFFF. HTML parsers tolerate them, XML parsers reject the document.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Text safe on a terminal: control characters (C0 but line feed, DEL, C1) are shown as \xNN instead
 * of being written, so a host name or server message cannot move the cursor, recolour or retitle the
 * terminal, and the table layout (which refuses control characters) always gets printable text.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

export function escapeTerminal(value: unknown): string {
  return String(value ?? '').replace(TERMINAL_CONTROL, hex);
}

/**
 * Like escapeTerminal, for whole documents that are read in terminals too (explain, policy show,
 * Markdown): line feeds and tabs are layout and stay, every other control character is shown as \xNN.
 */
// eslint-disable-next-line no-control-regex
const DOCUMENT_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function escapeDocument(value: unknown): string {
  return String(value ?? '').replace(DOCUMENT_CONTROL, hex);
}

/** Text safe in XML element content and attribute values (JUnit). */
export function escapeXml(value: unknown): string {
  return escapeHtml(value);
}

/**
 * An http(s) URL as given, or undefined. Escaping stops markup, not a `javascript:` link, so only web
 * URLs become links; anything else is shown as text.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, quote, CR or LF, quotes doubled. A field a
 * spreadsheet would run as a formula (= + - @, or a leading tab or CR, OWASP "CSV injection") gets a
 * leading apostrophe first.
 */
export function csvField(value: unknown): string {
  // A CSV file is also read with cat and less: an ESC or a bare CR in a field must not reach the terminal.
  let text = String(value ?? '').replace(/\r\n?/g, '\n').replace(TERMINAL_CONTROL, hex);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Text safe in Markdown, also inside a table cell: Markdown punctuation is backslash-escaped, HTML's
 * specials become entities (so a host name cannot inject markup where Markdown allows raw HTML), and line
 * breaks become spaces (a table row is one line).
 */
export function escapeMarkdown(value: unknown): string {
  return escapeTerminal(String(value ?? '').replace(/\r\n?|\n/g, ' '))
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]!);
}

/** Inline code in Markdown: a backtick run longer than any inside the text fences it. */
export function markdownCode(value: unknown): string {
  const text = escapeTerminal(String(value ?? '').replace(/\r\n?|\n/g, ' ')).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A fenced code block (CommonMark §4.5) holding `text` verbatim, each line prefixed with `indent` (to sit
 * inside a list item). The fence is one backtick longer than any backtick run in the text, so no line
 * can close it early; inside it nothing is Markdown or HTML.
 */
export function markdownFence(text: string, language = '', indent = ''): string[] {
  const lines = escapeDocument(text.replace(/\r\n?/g, '\n')).replace(/\n+$/, '').split('\n');
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const info = language.replace(/[^\w+-]/g, '');
  return [`${indent}${fence}${info}`, ...lines.map((l) => (l === '' ? l : `${indent}${l}`)), `${indent}${fence}`];
}
