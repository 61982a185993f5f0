/**
 * Measures argon2id verification the way sign-in uses it: one at a time, then in bursts of
 * concurrent sign-ins (the gateway's target is p99 < 250 ms at 20 concurrent on 2 cores).
 * Prints one JSON line per parameter set. Hashing runs on libuv's pool (UV_THREADPOOL_SIZE,
 * default 4), so set that as production will.
 *
 *   node_modules/.bin/tsx services/identity/src/security/cli/argon2-bench.ts [concurrency] [m,t,p ...]
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ARGON2_MINIMUM, createPasswordHasher, type Argon2Params } from '../password-hasher.js';

const BURSTS = 15;
const SERIAL = 40;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (n: number): number => Math.round(n * 10) / 10;

async function measure(params: Argon2Params, concurrency: number) {
  const hasher = createPasswordHasher(params);
  const stored = await hasher.hash('lilac-harbour-fennel-42');
  const timed = async (): Promise<number> => {
    const start = performance.now();
    await hasher.verify(stored, 'lilac-harbour-fennel-42');
    return performance.now() - start;
  };
  for (let i = 0; i < 5; i++) await timed(); // warm up
  const serial: number[] = [];
  // CPU time is what other load on the machine cannot inflate: capacity = cores / cpu per verify.
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < SERIAL; i++) serial.push(await timed());
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerVerify = (cpu.user + cpu.system) / 1000 / SERIAL;
  const concurrent: number[] = [];
  for (let b = 0; b < BURSTS; b++)
    concurrent.push(...(await Promise.all(Array.from({ length: concurrency }, timed))));
  serial.sort((a, b) => a - b);
  concurrent.sort((a, b) => a - b);
  return {
    bench: 'identity.argon2id.verify',
    m: params.memoryKiB,
    t: params.timeCost,
    p: params.parallelism,
    cpu_ms_per_verify: round(cpuMsPerVerify),
    serial_ms: { p50: round(percentile(serial, 50)), p99: round(percentile(serial, 99)) },
    concurrency,
    concurrent_ms: { p50: round(percentile(concurrent, 50)), p99: round(percentile(concurrent, 99)) },
    cpus: availableParallelism(),
    /** With the CPUs to itself, the last of `concurrency` simultaneous sign-ins waits about this long. */
    ideal_burst_ms: round((concurrency * cpuMsPerVerify) / availableParallelism()),
    uv_threadpool: Number(process.env['UV_THREADPOOL_SIZE'] ?? 4),
  };
}

const [concurrencyArg, ...paramArgs] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 20);
const sets: Argon2Params[] =
  paramArgs.length === 0
    ? [ARGON2_MINIMUM]
    : paramArgs.map((s) => {
        const [memoryKiB = NaN, timeCost = NaN, parallelism = NaN] = s.split(',').map(Number);
        return { memoryKiB, timeCost, parallelism };
      });
for (const params of sets) console.log(JSON.stringify(await measure(params, concurrency)));
