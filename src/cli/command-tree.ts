import type { Command } from 'commander';

/**
 * The program's commands and options as plain data, read off the same commander definitions that print
 * --help, so the man page and the shell completions never drift from it.
 */
export interface OptionInfo {
  flags: string;
  long?: string;
  short?: string;
  description: string;
  takesValue: boolean;
  choices?: readonly string[];
  /** The default as --help words it, when there is one. */
  default?: string;
}

export interface CommandInfo {
  name: string;
  /** Names from the program down to this command ("tlsaudit policy show"). */
  path: string[];
  description: string;
  usage: string;
  options: OptionInfo[];
  /** The fixed values a positional argument takes ("bash", "zsh"), when it has any. */
  argumentChoices: string[];
  commands: CommandInfo[];
  /** The "Examples:" lines of the command's help, without their indentation. */
  examples: string[];
  /** The rest of the text after the options in --help (notes, exit status). */
  notes: string;
}

/**
 * The --help text as printed, including what addHelpText appends (commander emits that as events), and
 * the text that follows the option list.
 */
export function helpText(cmd: Command): { full: string; after: string } {
  let full = '';
  const previous = (cmd as unknown as { _outputConfiguration: Record<string, unknown> })._outputConfiguration;
  cmd.configureOutput({ ...previous, writeOut: (s: string) => (full += s), getOutHelpWidth: () => 100 });
  try {
    cmd.outputHelp();
    const base = cmd.helpInformation();
    return { full, after: full.startsWith(base) ? full.slice(base.length).trim() : '' };
  } finally {
    cmd.configureOutput(previous);
  }
}

function examplesOf(after: string): { examples: string[]; notes: string } {
  const lines = after.split('\n');
  const start = lines.findIndex((l) => /^Examples?:\s*$/.test(l.trim()));
  if (start < 0) return { examples: [], notes: after };
  let end = start + 1;
  while (end < lines.length && (/^\s{2,}\S/.test(lines[end]!) || lines[end]!.trim() === '' && /^\s{2,}\S/.test(lines[end + 1] ?? ''))) end++;
  const examples = lines.slice(start + 1, end).map((l) => l.trim()).filter(Boolean);
  const notes = [...lines.slice(0, start), ...lines.slice(end)].join('\n').trim();
  return { examples, notes };
}

export function commandTree(cmd: Command, parents: string[] = []): CommandInfo {
  const path = [...parents, cmd.name()];
  const { examples, notes } = examplesOf(helpText(cmd).after);
  const options: OptionInfo[] = cmd.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      flags: o.flags,
      ...(o.long && { long: o.long }),
      ...(o.short && { short: o.short }),
      description: o.description,
      takesValue: o.required || o.optional,
      ...(o.argChoices && { choices: o.argChoices }),
      ...(o.defaultValueDescription !== undefined
        ? { default: o.defaultValueDescription }
        : o.defaultValue !== undefined && typeof o.defaultValue !== 'object' && { default: String(o.defaultValue) }),
    }));
  return {
    name: cmd.name(),
    path,
    description: cmd.description(),
    usage: cmd.usage(),
    options,
    argumentChoices: cmd.registeredArguments.flatMap((a) => a.argChoices ?? []),
    commands: cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => commandTree(c, path)),
    examples,
    notes,
  };
}
