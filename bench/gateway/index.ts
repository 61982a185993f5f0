import autocannon from 'autocannon';
import { callGateway as call, signInOwner, startLocalPlatform, type LocalPlatform } from '@medspa/infra';
import { defineBenchmark } from '../lib/benchmark.js';
import { platformCpuMeter, signInLatencies } from '../lib/platform-load.js';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { microsPerItem } from '../lib/proc-cpu.js';

/*
 * The gateway as a clinic's front desk uses it: `make run` (every service, Postgres, Redis) on this
 * machine, the load generator beside it. The day calendar goes gateway → token check → Redis session
 * touch → gRPC → scheduling's read model; sign-in goes gateway → identity's argon2id.
 */
const quick = process.env.BENCH_QUICK === '1';
const SECONDS = quick ? 3 : 20;
const CONNECTIONS = 32;
const FIXED_RATE = 500;
const SIGN_IN_CONCURRENCY = 20;
const SIGN_INS = quick ? 40 : 400;

export default defineBenchmark({
  description: 'REST through the gateway: day calendar req/s and p99 at 500 req/s, argon2id sign-in p99',
  async run() {
    log('gateway: starting the platform (make run on free ports)');
    const platform = await startLocalPlatform({
      env: {
        // Every request of the load generator comes from one address; the limits protect real clinics.
        MEDSPA_GATEWAY_RATE_LIMIT_ENABLED: 'false',
        LOG_LEVEL: 'warn',
      },
    });
    onCleanup(async () => void (await platform.stop()));
    const token = await signInOwner(platform);
    const { path, appointments } = await bookADay(platform, token);
    log(`gateway: calendar ${path} holds ${appointments} appointments`);

    const params = { connections: CONNECTIONS, seconds: SECONDS, appointments };
    const cpu = platformCpuMeter();
    const flat = await load(platform.gatewayUrl, path, token, { connections: CONNECTIONS });
    const cpuUsPerRequest = microsPerItem(cpu(), flat.requests.total);
    emit({
      name: 'gateway.calendar.rps',
      value: flat.requests.average,
      unit: 'req/s',
      params: { ...params, ...codes(flat), cpuUsPerRequest },
    });
    const paced = await load(platform.gatewayUrl, path, token, {
      connections: CONNECTIONS,
      overallRate: FIXED_RATE,
    });
    emit({
      name: 'gateway.calendar.p99',
      value: paced.latency.p99,
      unit: 'ms',
      params: {
        ...params,
        rate: FIXED_RATE,
        p50: paced.latency.p50,
        p90: paced.latency.p90,
        ...codes(paced),
      },
    });

    const signInCpu = platformCpuMeter();
    const signIn = await signInLatencies(platform, SIGN_INS, SIGN_IN_CONCURRENCY);
    emit({
      name: 'signin.p99',
      value: signIn.p99,
      unit: 'ms',
      params: {
        concurrency: SIGN_IN_CONCURRENCY,
        signIns: SIGN_INS,
        p50: signIn.p50,
        max: signIn.max,
        cpuUsPerSignIn: microsPerItem(signInCpu(), SIGN_INS),
      },
    });
  },
});

/** Books the first free consultation slots of a weekday two weeks out, through the gateway. */
async function bookADay(
  platform: LocalPlatform,
  token: string,
): Promise<{ path: string; appointments: number }> {
  const { locationId, treatmentIds, patientIds } = platform.data;
  const date = nextWeekday(14);
  const consult = treatmentIds[0]!;
  const { slots = [] } = await call<{ slots?: { start: string; providerId: string }[] }>(
    platform.gatewayUrl,
    'GET',
    `/v1/availability?locationId=${locationId}&treatmentId=${consult}&fromDate=${date}&toDate=${date}&pageSize=500`,
    { token },
  );
  // Slots overlap (granularity finer than a consult and its buffer): a taken one is skipped.
  let booked = 0;
  for (const slot of slots) {
    if (booked >= 24) break;
    try {
      await call(platform.gatewayUrl, 'POST', '/v1/appointments', {
        token,
        body: {
          patientId: patientIds[booked % patientIds.length],
          locationId,
          treatmentId: consult,
          providerId: slot.providerId,
          start: slot.start,
        },
      });
      booked++;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('SLOT_TAKEN')) throw error;
    }
  }
  if (booked === 0) throw new Error(`no consultation slot on ${date}`);
  return { path: `/v1/locations/${locationId}/calendar/${date}`, appointments: booked };
}

function load(
  gateway: string,
  path: string,
  token: string,
  options: { connections: number; overallRate?: number },
): Promise<autocannon.Result> {
  return autocannon({
    url: `${gateway}${path}`,
    headers: { authorization: `Bearer ${token}` },
    connections: options.connections,
    duration: SECONDS,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
}

/** Non-2xx answers make a throughput figure meaningless; they are reported, and fail the run. */
function codes(result: autocannon.Result): Record<string, number> {
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`the calendar answered ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { requests: result.requests.total };
}

/** A Monday–Friday date `days` or more from today (the demo location is closed on Sundays). */
function nextWeekday(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
