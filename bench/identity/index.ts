import { ownerPasswordStep, signInOwner, startLocalPlatform, type LocalPlatform } from '@medspa/infra';
import { defineBenchmark } from '../lib/benchmark.js';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { descendantPids, microsPerItem, startCpuMeter } from '../lib/proc-cpu.js';
import { summarizeLatencies } from '../lib/stats.js';
import { startThreadCpuMeter } from './threads.js';

/*
 * The sign-in part of the gateway benchmark on its own (no calendar load before it), so that its
 * CPU per sign-in, per process, can be measured and profiled in a short run: `make run` on this
 * machine, the demo owner's password step through the gateway, answered with an MFA challenge.
 */
const quick = process.env.BENCH_QUICK === '1';
const SIGN_IN_CONCURRENCY = 20;
const SIGN_INS = quick ? 40 : 400;
const ROUNDS = Number(process.env.BENCH_SIGNIN_ROUNDS ?? (quick ? 1 : 3));

export default defineBenchmark({
  description: 'argon2id sign-in through the gateway on its own: p99 and CPU per sign-in per process',
  async run() {
    log('identity: starting the platform (make run on free ports)');
    const platform = await startLocalPlatform({
      env: { MEDSPA_GATEWAY_RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'warn' },
    });
    onCleanup(async () => void (await platform.stop()));
    await signInOwner(platform);
    for (let round = 1; round <= ROUNDS; round++) {
      const cpu = platformCpuMeter();
      const identityThreads = startThreadCpuMeter(() => descendantPids(/services\/identity\//));
      const signIn = await signInLatencies(platform);
      emit({
        name: 'identity.signin.p99',
        value: signIn.p99,
        unit: 'ms',
        params: {
          round,
          concurrency: SIGN_IN_CONCURRENCY,
          signIns: SIGN_INS,
          p50: signIn.p50,
          max: signIn.max,
          cpuUsPerSignIn: microsPerItem(cpu(), SIGN_INS),
          identityThreadsUsPerSignIn: microsPerItem(identityThreads(), SIGN_INS),
        },
      });
    }
  },
});

function platformCpuMeter() {
  const services = ['gateway', 'identity', 'scheduling', 'patient-record', 'audit'];
  return startCpuMeter({
    ...Object.fromEntries(services.map((s) => [s, () => descendantPids(new RegExp(`services/${s}/`))])),
    postgres: () => descendantPids('postgres'),
    redis: () => descendantPids(/redis-server/),
  });
}

/** `SIGN_INS` password steps, `SIGN_IN_CONCURRENCY` at a time, each timed from request to answer. */
async function signInLatencies(platform: LocalPlatform) {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < SIGN_INS) {
      const started = performance.now();
      const reply = await ownerPasswordStep(platform);
      samples.push(performance.now() - started);
      if (reply.mfaRequired === undefined) throw new Error('sign-in did not reach the MFA step');
    }
  };
  await Promise.all(Array.from({ length: SIGN_IN_CONCURRENCY }, worker));
  return summarizeLatencies(samples);
}
