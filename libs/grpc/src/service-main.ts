/** A service's subcommands: `serve` (the default) runs it; others (`migrate`, `rebuild`) run once and exit. */
export type ServiceCommands = Record<string, (args: string[]) => Promise<void>> & {
  serve: (args: string[]) => Promise<void>;
};

/**
 * Dispatches `main.ts [command] [...args]`. An unknown command prints the usage and exits 2;
 * a one-shot command that fails exits 1 with its message (never a stack, which may hold PHI).
 */
export async function runServiceMain(
  service: string,
  commands: ServiceCommands,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const [name = 'serve', ...args] = argv;
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`usage: ${service} [${Object.keys(commands).join('|')}]\n`);
    process.exit(2);
    return;
  }
  try {
    await command(args);
  } catch (error) {
    process.stderr.write(
      `${service} ${name} failed: ${error instanceof Error ? error.message : 'unknown error'}\n`,
    );
    process.exit(1);
  }
}
