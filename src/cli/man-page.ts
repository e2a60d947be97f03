import type { CommandInfo, OptionInfo } from './command-tree.js';

/** roff text: a leading dot or quote would be read as a request, a backslash as an escape, a hyphen in a flag must stay a minus. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

function optionItem(o: OptionInfo): string[] {
  const extra = [o.choices ? `one of: ${o.choices.join(', ')}` : '', o.default !== undefined ? `default: ${o.default}` : ''].filter(Boolean);
  return ['.TP', `.B ${roff(o.flags)}`, roff(`${o.description}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`)];
}

function exampleBlock(examples: readonly string[]): string[] {
  if (examples.length === 0) return [];
  return ['.PP', 'Examples:', '.PP', '.RS 4', '.nf', ...examples.map(roff), '.fi', '.RE'];
}

function commandSection(cmd: CommandInfo): string[] {
  const out = [`.SS ${roff(`${cmd.path.slice(1).join(' ')} ${cmd.usage}`)}`, roff(cmd.description)];
  if (cmd.notes) out.push('.PP', roff(cmd.notes.replace(/\n{2,}/g, '\n.PP\n')));
  for (const o of cmd.options) out.push(...optionItem(o));
  out.push(...exampleBlock(cmd.examples));
  for (const sub of cmd.commands) out.push(...commandSection(sub));
  return out;
}

/** The man page (section 1), from the same command and option definitions as --help. */
export function manPage(program: CommandInfo, version: string, date: string): string {
  const lines = [
    `.TH TLSAUDIT 1 "${date}" "tlsaudit ${version}" "User Commands"`,
    '.SH NAME',
    `tlsaudit \\- ${roff(program.description)}`,
    '.SH SYNOPSIS',
    ...program.commands.flatMap((c) => ['.B tlsaudit', roff(`${c.name} ${c.usage}`), '.br']),
    '.SH DESCRIPTION',
    roff(
      'tlsaudit reads TLS evidence from nmap ssl-enum-ciphers XML, the SSL Labs API, saved result files or its own probe, normalises it into one model keyed by IANA cipher-suite code point, judges each target against a policy (Microsoft Dataverse by default) and writes the report as a table, JSON, Markdown, HTML, PDF, CSV, JUnit or SARIF.',
    ),
    '.SH GLOBAL OPTIONS',
    ...program.options.flatMap(optionItem),
    '.SH COMMANDS',
    ...program.commands.flatMap(commandSection),
    '.SH EXIT STATUS',
    '.TP',
    '.B 0',
    'every target was assessed and none fails the policy (warnings allowed unless \\-\\-strict)',
    '.TP',
    '.B 1',
    'at least one target fails the policy (for diff: some target got worse)',
    '.TP',
    '.B 2',
    'usage error, or input that could not be read at all',
    '.TP',
    '.B 3',
    'no target fails, but at least one could not be assessed',
    ...exampleBlock(program.examples).map((l) => (l === 'Examples:' ? '.SH EXAMPLES' : l)).filter((l, i) => !(i === 0 && l === '.PP')),
    '.SH SEE ALSO',
    '.BR nmap (1),',
    '.BR openssl (1)',
    '',
  ];
  return lines.join('\n');
}
