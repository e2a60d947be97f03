import type { CommandInfo } from './command-tree.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** Every command path ("", "policy", "policy show") with its subcommands, options and option values. */
function paths(cmd: CommandInfo, prefix: string[] = []): Array<{ key: string; info: CommandInfo }> {
  const key = prefix.join(' ');
  return [{ key, info: cmd }, ...cmd.commands.flatMap((c) => paths(c, [...prefix, c.name]))];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function words(info: CommandInfo): string {
  return [...info.commands.map((c) => c.name), ...info.argumentChoices, ...info.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x))), '--help'].join(' ');
}

/**
 * bash: complete subcommands, then options; after an option with fixed choices, the choices; after one
 * that takes a file, file names.
 */
function bash(program: CommandInfo): string {
  const all = paths(program);
  const cases = all.map(({ key, info }) => `    ${quote(key)}) words=${quote(words(info))} ;;`).join('\n');
  const values = all
    .flatMap(({ key, info }) => info.options.filter((o) => o.choices).flatMap((o) => [o.long, o.short].filter(Boolean).map((f) => `    ${quote(`${key}|${f}`)}) COMPREPLY=($(compgen -W ${quote(o.choices!.join(' '))} -- "$cur")); return ;;`)))
    .join('\n');
  const takesValue = [...new Set(all.flatMap(({ info }) => info.options.filter((o) => o.takesValue && !o.choices).flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x)))))].join('|');
  const commandNames = [...new Set(all.flatMap(({ info }) => info.commands.map((c) => c.name)))].join('|');
  return `# bash completion for tlsaudit (tlsaudit completion bash)
# Install: tlsaudit completion bash > /etc/bash_completion.d/tlsaudit   or: source <(tlsaudit completion bash)
_tlsaudit() {
  local cur prev path words i w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${commandNames}) if [[ "\${COMP_WORDS[i-1]}" != -* ]]; then path="\${path:+$path }$w"; fi ;;
    esac
  done
  case "$path|$prev" in
${values}
  esac
  case "$prev" in
    ${takesValue}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  case "$path" in
${cases}
    *) words="" ;;
  esac
  if [[ "$cur" == -* || -n "$words" ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -o filenames -F _tlsaudit tlsaudit
`;
}

/** A single-quoted zsh word. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Text inside an _arguments spec: brackets and colons are its syntax. */
const specText = (s: string) => s.replace(/[\\[\]:]/g, (c) => `\\${c}`);

function zshOption(o: CommandInfo['options'][number]): string {
  const names = [o.short, o.long].filter((x): x is string => Boolean(x));
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? 'value';
  const value = o.takesValue ? `:${specText(valueName)}:${o.choices ? `(${o.choices.join(' ')})` : '_files'}` : '';
  const rest = `[${specText(o.description)}]${value}`;
  return names.length > 1 ? `${sq(`(${names.join(' ')})`)}{${names.join(',')}}${sq(rest)}` : sq(`${names[0]}${rest}`);
}

/** zsh: an _arguments spec per command, subcommands through _describe. */
function zsh(program: CommandInfo): string {
  const fn = (info: CommandInfo) => `_tlsaudit${info.path.slice(1).map((p) => `_${p.replace(/-/g, '_')}`).join('')}`;
  const functions = paths(program).map(({ info }) => {
    const specs = info.options.map(zshOption).join(' ');
    const positional = info.argumentChoices.length > 0 ? `'1:${info.name}:(${info.argumentChoices.join(' ')})'` : `'*:file:_files'`;
    if (info.commands.length === 0) return `${fn(info)}() {\n  _arguments -s ${specs} ${positional}\n}`;
    const list = info.commands.map((c) => sq(`${c.name}:${c.description.replace(/:/g, '\\:')}`)).join(' ');
    return [
      `${fn(info)}() {`,
      `  local -a commands; commands=(${list})`,
      '  local curcontext="$curcontext" state line',
      `  _arguments -C ${specs} '1: :->command' '*:: :->args'`,
      '  case $state in',
      "    command) _describe -t commands 'tlsaudit command' commands ;;",
      '    args) case $line[1] in',
      ...info.commands.map((c) => `      ${c.name}) ${fn(c)} ;;`),
      '    esac ;;',
      '  esac',
      '}',
    ].join('\n');
  });
  return `#compdef tlsaudit
# zsh completion for tlsaudit (tlsaudit completion zsh)
# Install: tlsaudit completion zsh > "\${fpath[1]}/_tlsaudit"   or: source <(tlsaudit completion zsh)
${functions.join('\n\n')}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _tlsaudit "$@"; else compdef _tlsaudit tlsaudit; fi
`;
}

export function completionScript(shell: Shell, program: CommandInfo): string {
  return shell === 'bash' ? bash(program) : zsh(program);
}
