/**
 * `tsx infra/cli.ts up|down` for make: `up` runs infra/up.ts in the foreground (PostgreSQL, Kafka and
 * Redis until Ctrl-C), `down` runs infra/down.ts, which signals a running `up` to stop.
 */
const commands: Record<string, () => Promise<unknown>> = {
  up: () => import('./up.js'),
  down: () => import('./down.js'),
};

const command = commands[process.argv[2] ?? ''];
if (command === undefined) {
  console.error('usage: tsx infra/cli.ts up|down');
  process.exit(2);
}
await command();
