import { Command } from 'commander';
import { commandTree } from '../command-tree.js';
import { SHELLS, completionScript, type Shell } from '../completion.js';
import { runCommand } from '../common.js';
import { writeOutput } from '../output.js';

export function completionCommand(): Command {
  const cmd = new Command('completion')
    .description('print a shell completion script (bash or zsh)')
    .addArgument(new Command().createArgument('<shell>', 'bash or zsh').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  source <(tlsaudit completion bash)
  tlsaudit completion bash > /etc/bash_completion.d/tlsaudit
  tlsaudit completion zsh > "\${fpath[1]}/_tlsaudit"`,
    );
  return cmd.action((shell: Shell) =>
    runCommand(async () => {
      const program = cmd.parent ?? cmd;
      await writeOutput(undefined, completionScript(shell, commandTree(program)));
      return 0;
    }),
  );
}
