import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@medspa/eventstore';
import {
  ENCOUNTER_STREAM,
  PATIENT_STREAM,
  encounterStreamId,
  patientStreamId,
} from '@medspa/patient-record/app';
import { startCpuMeter, type CpuUse } from '../lib/proc-cpu.js';
import { config } from './config.js';
import { metadataFor, registration, visit } from './records.js';

/**
 * Appends the same workload through `store`, one append at a time: per patient a registration
 * (a new patient: the encrypted store creates their data key) and a visit of four appends (open,
 * note, product with lot and sites, sign). Returns the wall time in ms.
 */
async function chartPatients(store: EventStore, tenantId: string): Promise<{ ms: number; events: number }> {
  const providerId = randomUUID();
  const front = metadataFor(tenantId, randomUUID(), 'front_desk');
  const clinician = metadataFor(tenantId, providerId, 'provider');
  // Built before the clock starts: only the appends are timed.
  const work = Array.from({ length: config.overheadPatients }, () => {
    const r = registration();
    return { r, visit: visit(r.patientId, providerId) };
  });
  let events = 0;
  const started = performance.now();
  for (const { r, visit: steps } of work) {
    await store.append(patientStreamId(r.patientId), PATIENT_STREAM, 'no_stream', r.events, front);
    const encounterId = (steps[0]![0]!.data as { encounterId: string }).encounterId;
    let version = 0;
    for (const step of steps) {
      await store.append(encounterStreamId(encounterId), ENCOUNTER_STREAM, version, step, clinician);
      version += step.length;
    }
    events += 1 + version;
  }
  return { ms: performance.now() - started, events };
}

type Side = 'encrypted' | 'plain';

/**
 * Encrypted ÷ plain append time of the same workload, in alternating rounds (plain first, then
 * encrypted, the order reversed each round) so a change in the machine's load favours neither.
 * `backends` gives each side's Postgres backends: the CPU each side used is summed too (this
 * process's and its backends'), which the wall-clock ratio on a shared machine does not show.
 */
export async function encryptionOverhead(
  stores: Record<Side, EventStore>,
  backends: Record<Side, () => number[]>,
) {
  const tenantId = randomUUID();
  // A warm-up round each (JIT, connections, the tenant's keys).
  await chartPatients(stores.plain, tenantId);
  await chartPatients(stores.encrypted, tenantId);
  const totals = { encrypted: 0, plain: 0, events: 0 };
  const cpu: Record<Side, CpuUse> = { encrypted: {}, plain: {} };
  for (let round = 0; round < config.overheadRounds; round++) {
    const order = round % 2 === 0 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const);
    for (const which of order) {
      const used = startCpuMeter({ postgres: backends[which] });
      const { ms, events } = await chartPatients(stores[which], tenantId);
      for (const [group, seconds] of Object.entries(used())) {
        cpu[which][group] = (cpu[which][group] ?? 0) + seconds;
      }
      totals[which] += ms;
      if (which === 'plain') totals.events += events;
    }
  }
  return { ...totals, cpu };
}
