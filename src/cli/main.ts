import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { diffCommand } from './commands/diff.js';
import { completionCommand } from './commands/completion.js';
import { explainCommand } from './commands/explain.js';
import { importCommand } from './commands/import.js';
import { mergeCommand } from './commands/merge.js';
import { nmapCommand } from './commands/nmap.js';
import { policyCommand } from './commands/policy.js';
import { probeCommand } from './commands/probe.js';
import { scanCommand } from './commands/scan.js';
import { ssllabsCommand } from './commands/ssllabs.js';
import { plannedOutputs, runCommand, setDebug } from './common.js';
import { checkOutput, markStdoutClosed } from './output.js';
import { setTerminalOptions } from './terminal-options.js';
import { nmapStyleArguments } from './target-input.js';

// Each command lives in commands/NAME.ts and exports NAME + 'Command'(): Command; this file only wires them.
export function buildProgram(): Command {
  const program = new Command('tlsaudit')
    .description('Audit servers\' TLS set-up against a policy (default: Microsoft Dataverse), with evidence.')
    .version(VERSION)
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.hook('preAction', async (_this, action) => {
    setDebug(Boolean(action.optsWithGlobals().debug));
    const opts = action.opts();
    setTerminalOptions({ quiet: opts.quiet === true, verbose: opts.verbose === true, color: opts.color !== false });
    // -o is checked before any work: an hour-long scan must not end in "cannot write" with its results lost.
    const output: unknown = opts.output;
    if (typeof output === 'string' || Array.isArray(output)) {
      await runCommand(async () => {
        if (Array.isArray(output)) plannedOutputs({ output: output as string[], format: opts.format as string | undefined });
        for (const path of typeof output === 'string' ? [output] : (output as string[])) checkOutput(path);
        return 0;
      });
      if (process.exitCode !== 0) throw new OutputRefused();
    }
  });
  program.addCommand(nmapCommand());
  program.addCommand(importCommand());
  program.addCommand(mergeCommand());
  program.addCommand(diffCommand());
  program.addCommand(ssllabsCommand());
  program.addCommand(probeCommand());
  program.addCommand(scanCommand());
  program.addCommand(explainCommand());
  program.addCommand(policyCommand());
  program.addCommand(completionCommand());
  program.addHelpText(
    'after',
    `
Examples:
  nmap -p 443 --script ssl-enum-ciphers -oX - mail.example.org | tlsaudit nmap
  tlsaudit nmap scan.xml --format markdown -o audit.md
  tlsaudit policy list

Exit status: 0 compliant, 1 a target fails the policy, 2 usage or unreadable input,
3 no failure but a target could not be assessed.`,
  );
  // One prefix for every error line, commander's own usage errors included ("error: unknown option" otherwise).
  const outputError = (text: string, write: (s: string) => void) => write(`tlsaudit: ${text.replace(/^error: /, '')}`);
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ outputError });
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Stops the command after its -o was refused (the one-line error is already on stderr). */
class OutputRefused extends Error {}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  // A reader that stops early (`tlsaudit ... | head`) is not an error: the rest of the output is dropped
  // quietly, as Unix tools do, and the run finishes so the exit status still tells the verdicts.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') markStdoutClosed();
  });
  const program = buildProgram();
  try {
    await program.parseAsync(nmapStyleArguments(argv));
  } catch (error) {
    if (error instanceof OutputRefused) return;
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error (exit 2).
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    throw error;
  }
}
