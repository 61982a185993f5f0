/**
 * Runs the benchmarks under bench/: every one, or those named on the command line
 * (`tsx bench/run.ts eventstore`, `make bench BENCH=eventstore`). A benchmark is a folder
 * `bench/<name>/` whose `index.ts` default-exports a `Benchmark`. Figures are JSON lines on stdout;
 * progress goes to stderr.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './lib/benchmark.js';
import { runCleanups } from './lib/cleanup.js';
import { log } from './lib/emit.js';

const here = import.meta.dirname;
const NOT_BENCHMARKS = new Set(['lib', 'node_modules']);

function availableBenchmarks(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_BENCHMARKS.has(d.name))
    .filter((d) => existsSync(path.join(here, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

async function load(name: string): Promise<Benchmark> {
  const module = (await import(pathToFileURL(path.join(here, name, 'index.ts')).href)) as {
    default?: Benchmark;
  };
  if (module.default === undefined) throw new Error(`bench/${name}/index.ts has no default export`);
  return module.default;
}

async function main(): Promise<number> {
  const available = availableBenchmarks();
  const requested = process.argv.slice(2).filter((a) => a.trim() !== '');
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}.`);
    console.error(`Available: ${available.join(', ')}`);
    for (const name of available) console.error(`  ${name.padEnd(14)} ${(await load(name)).description}`);
    return 2;
  }
  for (const name of requested.length > 0 ? requested : available) {
    const started = Date.now();
    log(`${name}: starting`);
    try {
      await (await load(name)).run();
    } finally {
      await runCleanups();
    }
    log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await runCleanups();
    process.exit(1);
  },
);
