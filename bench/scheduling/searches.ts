import { log } from '../lib/emit.js';
import { descendantPids, microsPerItem, startCpuMeter } from '../lib/proc-cpu.js';
import { summarizeLatencies, type LatencySummary } from '../lib/stats.js';
import type { BenchClinic, Scheduling } from './clinic.js';
import { config } from './config.js';

/**
 * Availability search for the roomed treatment over all 30 booked days, every provider, first page
 * of up to 500 slots, one call at a time through gRPC, after warm-up calls.
 */
export async function runSearches(
  client: Scheduling,
  clinic: BenchClinic,
): Promise<{ latency: LatencySummary; slots: number; cpuUsPerSearch: Record<string, number> }> {
  const request = {
    locationId: clinic.locationId,
    treatmentId: clinic.laserId,
    fromDate: clinic.dates[0]!,
    toDate: clinic.dates.at(-1)!,
    providerId: '',
    granularityMinutes: 15,
    pageSize: config.searchPageSize,
  };
  let slots = 0;
  for (let i = 0; i < config.searchWarmup; i++)
    slots = (await client.searchAvailability(request)).slots.length;
  const latencies: number[] = [];
  const cpu = startCpuMeter({
    service: () => descendantPids('node'),
    postgres: () => descendantPids('postgres'),
  });
  for (let i = 0; i < config.searches; i++) {
    const t0 = performance.now();
    const result = await client.searchAvailability(request);
    latencies.push(performance.now() - t0);
    slots = result.slots.length;
  }
  const cpuUsPerSearch = microsPerItem(cpu(), latencies.length);
  log(`search returned ${slots} slots`);
  return { latency: summarizeLatencies(latencies), slots, cpuUsPerSearch };
}
