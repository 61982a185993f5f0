import { ownerPasswordStep, type LocalPlatform } from '@medspa/infra';
import { descendantPids, startCpuMeter } from './proc-cpu.js';
import { summarizeLatencies } from './stats.js';

/**
 * CPU of this process (`node`: the load generator), Postgres, Redis and each service of the local
 * platform, so that a figure says what each request cost where (the idle pollers included).
 */
export function platformCpuMeter() {
  const services = ['gateway', 'identity', 'scheduling', 'patient-record', 'audit'];
  return startCpuMeter({
    ...Object.fromEntries(services.map((s) => [s, () => descendantPids(new RegExp(`services/${s}/`))])),
    postgres: () => descendantPids('postgres'),
    redis: () => descendantPids(/redis-server/),
  });
}

/** `count` password steps of the demo owner, `concurrency` at a time, each timed from request to answer. */
export async function signInLatencies(platform: LocalPlatform, count: number, concurrency: number) {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < count) {
      const started = performance.now();
      const reply = await ownerPasswordStep(platform);
      samples.push(performance.now() - started);
      if (reply.mfaRequired === undefined) throw new Error('sign-in did not reach the MFA step');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarizeLatencies(samples);
}
