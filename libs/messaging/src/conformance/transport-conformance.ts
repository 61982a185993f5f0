import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessEvent, AccessOutcome } from '@medspa/contracts/medspa.common.v1';
import { ChartNoteAdded, ChartOpened } from '@medspa/contracts/medspa.messaging.testing.v1';
import { errors } from '@medspa/errors';
import { newId } from '@medspa/eventstore';
import { ACCESS_EVENT_TYPE, recordAccess } from '../access-events.js';
import type { MessageConsumer, SettledMessage } from '../consumer-options.js';
import { CHART_TYPES } from '../fixtures/chart.js';
import type { TransportUnderTest } from '../fixtures/transports.js';
import { createTwoServices, requestMetadata, type TwoServices } from '../fixtures/two-services.js';
import { waitFor } from '../fixtures/wait.js';
import { chartScenario, countsById } from './chart-scenario.js';

/**
 * One suite, run against every transport: the same messages, keys, envelope and order per key,
 * idempotency, retry, parking and re-drive, whichever transport carries them.
 */
export function describeTransportConformance(setup: (services: TwoServices) => Promise<TransportUnderTest>) {
  let services: TwoServices;
  let transport: TransportUnderTest;
  const running: MessageConsumer[] = [];
  const group = () => `conformance-${newId()}`;
  const start = async (spec: Parameters<TransportUnderTest['startConsumer']>[0]) => {
    const consumer = await transport.startConsumer(spec);
    running.push(consumer);
    return consumer;
  };
  const prepared = async () => {
    const scenario = chartScenario(services);
    await transport.prepareTopic(scenario.topic);
    return scenario;
  };

  beforeAll(async () => {
    services = await createTwoServices();
    transport = await setup(services);
  });
  afterEach(async () => {
    for (const consumer of running.splice(0)) await consumer.stop();
  });
  afterAll(async () => {
    await transport?.close();
    await services?.drop();
  });

  describe('transport conformance', () => {
    it('delivers every message with its topic, key, type, envelope and payload as written', async () => {
      const s = await prepared();
      const metadata = requestMetadata({ traceparent: `00-${'a1'.repeat(16)}-${'b2'.repeat(8)}-01` });
      const chart = await s.chart(2, metadata);
      const patientId = newId();
      await recordAccess(
        services.producer.pool,
        services.producer.schema,
        {
          subjectId: patientId,
          resourceType: 'chart',
          resourceId: chart.chartId,
          action: 'read',
          purpose: 'treatment',
          outcome: { allowed: false, reason: 'ROLE_NOT_PERMITTED' },
          requestId: 'req-1',
        },
        { metadata, topic: s.topic },
      );
      const groupId = group();
      const { handler, seen } = s.recordingHandler(groupId);
      await start({ groupId, topics: [s.topic], handler });
      await waitFor('4 messages', async () => (await s.effects(groupId)).length === 4);

      const outbox = await services.producer.pool.query<{
        message_id: string;
        payload: Buffer;
        headers: Record<string, string>;
      }>(`SELECT message_id, payload, headers FROM ${services.producer.schema}.outbox WHERE topic = $1`, [
        s.topic,
      ]);
      for (const row of outbox.rows) {
        const m = seen.find((x) => x.messageId === row.message_id)!;
        expect(m, row.message_id).toBeDefined();
        expect(Buffer.from(m.payload).equals(row.payload)).toBe(true);
        expect(m.headers).toMatchObject(row.headers);
        expect(m).toMatchObject({ topic: s.topic, transport: transport.name, attempt: 1 });
        expect(m.envelope).toMatchObject({
          eventId: m.messageId,
          eventType: m.type,
          tenantId: metadata.tenantId,
          actorId: metadata.actor.id,
          actorRole: metadata.actor.role,
          correlationId: metadata.correlationId,
          causationId: metadata.causationId,
          traceparent: metadata.traceparent,
        });
        expect(m.envelope.occurredAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
      }
      const [opened, note1, note2] = chart.ids.map((id) => seen.find((m) => m.messageId === id)!);
      expect(opened).toMatchObject({ key: chart.chartId, type: CHART_TYPES.opened });
      expect(ChartOpened.decode(opened!.payload).chartId).toBe(chart.chartId);
      expect([note1, note2].map((m) => ChartNoteAdded.decode(m!.payload).sequence)).toEqual([1, 2]);
      const access = seen.find((m) => m.type === ACCESS_EVENT_TYPE)!;
      expect(access.key).toBe(patientId);
      expect(AccessEvent.decode(access.payload)).toMatchObject({
        userId: metadata.actor.id,
        subjectId: patientId,
        outcome: AccessOutcome.ACCESS_OUTCOME_DENIED,
        denialReason: 'ROLE_NOT_PERMITTED',
      });
      expect(new Set((await s.effects(groupId)).map((e) => e.tenant_id))).toEqual(
        new Set([metadata.tenantId]),
      );
    });

    it('keeps the order of each key', async () => {
      const s = await prepared();
      const charts = await Promise.all([0, 1, 2, 3].map(() => s.chart(0)));
      const expected = new Map(charts.map((c) => [c.chartId, [...c.ids]]));
      for (let sequence = 1; sequence <= 5; sequence++) {
        for (const c of charts) expected.get(c.chartId)!.push(...(await s.addNote(c.chartId, sequence)));
      }
      const groupId = group();
      await start({ groupId, topics: [s.topic], handler: s.recordingHandler(groupId).handler });
      const effects = await waitFor('24 messages', async () => {
        const rows = await s.effects(groupId);
        return rows.length === 24 && rows;
      });
      for (const [chartId, ids] of expected) {
        expect(effects.filter((e) => e.message_key === chartId).map((e) => e.message_id)).toEqual(ids);
      }
    });

    it('skips messages delivered again and applies each once', async () => {
      const s = await prepared();
      const { ids } = await s.chart(2);
      const groupId = group();
      const { handler } = s.recordingHandler(groupId);
      const first = await start({ groupId, topics: [s.topic], handler });
      await waitFor('3 applied', async () => (await s.effects(groupId)).length === 3);
      await first.stop();
      await transport.rewind(groupId, s.topic);
      const settled: SettledMessage[] = [];
      await start({ groupId, topics: [s.topic], handler, onSettled: (m) => void settled.push(m) });
      await waitFor('3 redelivered', () => settled.length >= 3);
      expect(settled.map((m) => m.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      expect((await s.effects(groupId)).map((e) => e.message_id)).toEqual(ids);
    });

    it('retries a transient failure with backoff, then applies the message once', async () => {
      const s = await prepared();
      const { ids } = await s.chart(1);
      const flaky = ids[0]!;
      let failures = 0;
      const groupId = group();
      // A failed batch calls the handler once more before the one-by-one delivery retries it.
      const failing = 2 + (transport.failedBatchCalls ?? 0);
      const { handler, seen } = s.recordingHandler(groupId, (m) => {
        if (m.messageId === flaky && failures++ < failing)
          throw errors.unavailable('DOWNSTREAM_DOWN', 'try later');
      });
      const settled: SettledMessage[] = [];
      await start({
        groupId,
        topics: [s.topic],
        handler,
        maxAttempts: 4,
        onSettled: (m) => void settled.push(m),
      });
      await waitFor('2 applied', async () => (await s.effects(groupId)).length === 2);
      expect(settled.find((m) => m.messageId === flaky)).toMatchObject({ outcome: 'applied', attempts: 3 });
      expect(seen.find((m) => m.messageId === flaky)?.attempt).toBe(3);
      expect(countsById((await s.effects(groupId)).map((e) => e.message_id))).toEqual(
        new Map(ids.map((id) => [id, 1])),
      );
    });

    it('parks a poison message after its attempts, a business failure at once, and keeps going', async () => {
      const s = await prepared();
      const { chartId, ids } = await s.chart(3);
      const [poison, invalid] = [ids[1]!, ids[2]!];
      const secret = `Synthetic PHI ${newId()}`;
      const groupId = group();
      const { handler } = s.recordingHandler(groupId, (m) => {
        if (m.messageId === poison) throw new TypeError(`cannot read ${secret}`);
        if (m.messageId === invalid) throw errors.validation('NOTE_REJECTED', 'rejected');
      });
      await start({ groupId, topics: [s.topic], handler, maxAttempts: 3 });
      await waitFor('2 applied', async () => (await s.effects(groupId)).length === 2);
      expect((await s.effects(groupId)).map((e) => e.message_id)).toEqual([ids[0], ids[3]]);
      const parked = await waitFor('2 parked', async () => {
        const p = await transport.parked(groupId, s.topic);
        return p.length === 2 && p;
      });
      expect(parked.find((p) => p.messageId === poison)).toMatchObject({
        key: chartId,
        errorClass: 'TypeError',
        reason: 'UNEXPECTED_ERROR',
        attempts: 3,
      });
      expect(parked.find((p) => p.messageId === invalid)).toMatchObject({
        errorClass: 'validation',
        reason: 'NOTE_REJECTED',
        attempts: 1,
      });
      for (const p of parked) expect(p.stored).not.toContain(secret);
    });

    it('re-drives parked messages once the fault is fixed, idempotently', async () => {
      const s = await prepared();
      const { ids } = await s.chart(2);
      const poison = ids[1]!;
      let broken = true;
      const groupId = group();
      const { handler } = s.recordingHandler(groupId, (m) => {
        if (broken && m.messageId === poison) throw errors.precondition('NOT_READY', 'fault');
      });
      await start({ groupId, topics: [s.topic], handler, maxAttempts: 2 });
      await waitFor('parked', async () => (await transport.parked(groupId, s.topic)).length === 1);
      await waitFor('2 applied', async () => (await s.effects(groupId)).length === 2);
      broken = false;
      expect(await transport.redrive(groupId, s.topic)).toBe(1);
      await waitFor('re-driven', async () => (await s.effects(groupId)).length === 3);
      expect(await transport.redrive(groupId, s.topic)).toBe(0);
      await s.addNote(`chart-${newId()}`, 1);
      await waitFor('a later message', async () => (await s.effects(groupId)).length === 4);
      expect(countsById((await s.effects(groupId)).map((e) => e.message_id)).get(poison)).toBe(1);
    });
  });
}
