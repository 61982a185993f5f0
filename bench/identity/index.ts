import { signInOwner, startLocalPlatform } from '@medspa/infra';
import { defineBenchmark } from '../lib/benchmark.js';
import { platformCpuMeter, signInLatencies } from '../lib/platform-load.js';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { descendantPids, microsPerItem } from '../lib/proc-cpu.js';
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
      const signIn = await signInLatencies(platform, SIGN_INS, SIGN_IN_CONCURRENCY);
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
