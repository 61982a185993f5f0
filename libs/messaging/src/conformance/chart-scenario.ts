import type { PoolClient } from '@medspa/db';
import { newId, type EventMetadata } from '@medspa/eventstore';
import { testTopicPrefix } from '@medspa/testing';
import type { MessageHandler } from '../delivery.js';
import type { IncomingMessage } from '../incoming-message.js';
import { eventsTopic } from '../topics.js';
import { insertEffect } from '../fixtures/effects.js';
import { PRODUCER_SERVICE, requestMetadata, type TwoServices } from '../fixtures/two-services.js';

export interface Effect {
  message_id: string;
  message_key: string;
  message_type: string;
  tenant_id: string;
}

/** A topic of its own per test, with the producer's store writing to it. */
export function chartScenario(services: TwoServices) {
  const prefix = testTopicPrefix();
  const topic = eventsTopic(PRODUCER_SERVICE, prefix);
  const store = services.chartStore(prefix);
  const { consumer } = services;

  /** Opens a chart and adds `notes` notes, one append each; the event ids in order. */
  async function chart(
    notes: number,
    metadata: EventMetadata = requestMetadata(),
    chartId = `chart-${newId()}`,
  ) {
    const ids: string[] = [];
    const opened = await store.append(
      chartId,
      'chart',
      'no_stream',
      [
        {
          type: 'ChartOpened',
          data: { chartId, patientId: newId(), givenName: 'G', familyName: 'F', dateOfBirth: '1980-01-01' },
        },
      ],
      metadata,
    );
    ids.push(...opened.eventIds);
    for (let sequence = 1; sequence <= notes; sequence++)
      ids.push(...(await addNote(chartId, sequence, metadata)));
    return { chartId, ids };
  }

  async function addNote(chartId: string, sequence: number, metadata: EventMetadata = requestMetadata()) {
    const r = await store.append(
      chartId,
      'chart',
      'any',
      [{ type: 'ChartNoteAdded', data: { chartId, noteId: newId(), sequence, text: `note ${sequence}` } }],
      metadata,
    );
    return r.eventIds;
  }

  /** A handler that records each message in `effects`, after `fault` (which may throw) has run. */
  function recordingHandler(
    groupId: string,
    fault?: (m: IncomingMessage) => void,
  ): { handler: MessageHandler; seen: IncomingMessage[] } {
    const seen: IncomingMessage[] = [];
    const handler: MessageHandler = async (m, tx: PoolClient) => {
      fault?.(m);
      await insertEffect(tx, consumer.schema, groupId, m);
      seen.push(m);
    };
    return { handler, seen };
  }

  async function effects(groupId: string): Promise<Effect[]> {
    const res = await consumer.pool.query<Effect>(
      `SELECT message_id, message_key, message_type, tenant_id FROM ${consumer.schema}.effects WHERE consumer = $1 ORDER BY id`,
      [groupId],
    );
    return res.rows;
  }

  return { prefix, topic, store, chart, addNote, recordingHandler, effects };
}

/** How often each id occurs. */
export const countsById = (ids: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};
