/**
 * Runs the `ssllabs` command the way src/cli/main.ts runs every command (commander errors are exit 2),
 * so the command can be tested as a process without depending on the rest of the program's wiring.
 */
import { Command, CommanderError } from 'commander';
import { ssllabsCommand } from '../../../src/cli/commands/ssllabs.js';

const program = new Command('tlsaudit').exitOverride();
program.addCommand(ssllabsCommand());
const override = (cmd: Command): void => {
  cmd.exitOverride();
  cmd.commands.forEach(override);
};
override(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
