// Rebuilds one read model of a service from zero and prints the rate:
//   DATABASE_URL=... MIGRATION_DATABASE_URL=... \
//   node_modules/.bin/tsx libs/projections/src/cli/rebuild.ts --module <file> --projection <name>
// <file> (relative to the working directory) exports `rebuildTarget: RebuildTarget`. Services may
// instead call runRebuildCommand from their own `main.ts rebuild <name>`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runRebuildCommand, type RebuildTarget } from './rebuild-command.js';

const args = process.argv.slice(2);
const { values } = parseArgs({ args, options: { module: { type: 'string' } }, strict: false });
if (typeof values.module !== 'string') {
  console.error('usage: rebuild.ts --module <file exporting rebuildTarget> --projection <name>');
  process.exit(2);
}
const loaded = (await import(pathToFileURL(path.resolve(values.module)).href)) as {
  rebuildTarget?: RebuildTarget;
};
if (loaded.rebuildTarget === undefined) {
  console.error(`${values.module} does not export rebuildTarget`);
  process.exit(2);
}
const rest = args.filter(
  (a, i) => a !== '--module' && args[i - 1] !== '--module' && !a.startsWith('--module='),
);
try {
  await runRebuildCommand(rest, loaded.rebuildTarget);
} catch (e) {
  console.error(e instanceof Error ? e.message : 'rebuild failed');
  process.exitCode = 1;
}
