import { createInMemoryCrypto, isFieldCiphertext } from '@medspa/crypto';
import type { DomainEvent, EventMetadata, RecordedEvent } from '@medspa/eventstore';
import { describe, expect, it } from 'vitest';
import { phiFields } from '../domain/phi-fields.js';
import { chartSigned, noteRecorded, productUsed } from '../domain/test-fixtures/encounter.js';
import { ids } from '../domain/test-fixtures/ids.js';
import { registered, smsConsents } from '../domain/test-fixtures/patient.js';
import { createPhiCodec } from './phi-codec.js';

const tenantId = '01936f3a-0000-7000-8000-00000000aaaa';
const metadata: EventMetadata = {
  tenantId,
  actor: { id: ids.staff, role: 'front_desk' },
  correlationId: 'c-1',
};

function setup() {
  const crypto = createInMemoryCrypto();
  const codec = createPhiCodec({
    fields: crypto.fields,
    provisionTenant: (t) => crypto.keyring.provisionTenant(t),
  });
  const encode = (e: DomainEvent) => codec.encode(e, { streamId: `s-${ids.patient}`, metadata });
  const recorded = (e: DomainEvent, over: Partial<RecordedEvent> = {}): RecordedEvent => ({
    eventId: 'e-1',
    type: e.type,
    data: e.data,
    schemaVersion: 1,
    metadata,
    streamId: 's',
    streamType: 'patient',
    streamVersion: 1,
    globalPosition: 1,
    transactionId: '1',
    recordedAt: new Date(),
    ...over,
  });
  return { crypto, codec, encode, recorded };
}

describe('the PHI event codec', () => {
  it('encrypts exactly the PHI fields of each event type, leaving ids and instants in clear', async () => {
    const { encode } = setup();
    for (const event of [registered, productUsed, noteRecorded]) {
      const stored = (await encode(event)).data as Record<string, unknown>;
      const phi: readonly string[] = phiFields[event.type];
      for (const [key, value] of Object.entries(event.data as Record<string, unknown>)) {
        if (phi.includes(key)) expect(isFieldCiphertext(stored[key]), `${event.type}.${key}`).toBe(true);
        else expect(stored[key], `${event.type}.${key}`).toEqual(value);
      }
    }
  });

  it('leaves events without PHI untouched', async () => {
    const { encode } = setup();
    expect(await encode(chartSigned)).toEqual(chartSigned);
    expect(await encode(smsConsents[0]!)).toEqual(smsConsents[0]);
  });

  it('round-trips every value, strings and structures alike', async () => {
    const { encode, codec, recorded } = setup();
    for (const event of [registered, productUsed, noteRecorded]) {
      const decoded = await codec.decode(recorded(await encode(event)));
      expect(decoded.data).toEqual(event.data);
    }
  });

  it('binds each ciphertext to its field and tenant: moved or re-tenanted, it does not open', async () => {
    const { encode, codec, recorded } = setup();
    const stored = (await encode(registered)).data as Record<string, string>;
    const swapped = { ...stored, name: stored.email! };
    await expect(codec.decode(recorded({ type: registered.type, data: swapped }))).rejects.toMatchObject({
      reason: 'CIPHERTEXT_INVALID',
    });
    const otherTenant = { ...metadata, tenantId: '01936f3a-0000-7000-8000-00000000bbbb' };
    await expect(
      codec.decode(recorded({ type: registered.type, data: stored }, { metadata: otherTenant })),
    ).rejects.toBeDefined();
  });

  it('refuses to write an event type it has no PHI map for', async () => {
    const { encode } = setup();
    await expect(
      encode({ type: 'SomethingNew', data: { patientId: ids.patient, secret: 'x' } }),
    ).rejects.toMatchObject({
      reason: 'UNKNOWN_EVENT_TYPE',
    });
  });

  it('decodes a shredded patient without its PHI fields, and never throws', async () => {
    const { encode, codec, recorded, crypto } = setup();
    const stored = await encode(registered);
    await crypto.keyring.shredSubject(tenantId, ids.patient);
    const decoded = await codec.decode(recorded(stored));
    expect(decoded.data).toEqual({ patientId: ids.patient, at: registered.data.at });
  });
});
