import { randomUUID } from 'node:crypto';
import type { Principal } from '@medspa/auth';
import type { Role } from '@medspa/auth';
import { describe, expect, it } from 'vitest';
import { mayReceive } from './signal-access.js';
import { createInProcessSignalBus } from './signal-bus.js';
import { entityIdOf, signalTypeOf, type TenantSignal } from './signal.js';

const principal = (tenantId: string, role: Role): Principal => ({
  userId: randomUUID(),
  tenantId,
  role,
  sessionId: randomUUID(),
  isService: false,
});

describe('signal types', () => {
  it.each([
    ['medspa.scheduling.v1.AppointmentBooked', 'appointment.booked'],
    ['medspa.scheduling.v1.AppointmentCheckedIn', 'appointment.checked_in'],
    ['medspa.scheduling.v1.WaitlistOfferMade', 'waitlist.offer_made'],
    ['medspa.patient_record.v1.ChartEntryRecorded', 'chart.entry_recorded'],
  ])('%s is %s', (eventType, type) => {
    expect(signalTypeOf(eventType)).toBe(type);
  });

  it('has none for access events and malformed names', () => {
    expect(signalTypeOf('medspa.common.v1.AccessEvent')).toBeUndefined();
    expect(signalTypeOf('medspa.x.v1.lowercase')).toBeUndefined();
    expect(signalTypeOf('medspa.x.v1.Single')).toBeUndefined();
  });
});

describe('who may receive a signal', () => {
  const tenant = randomUUID();
  const booking: TenantSignal = {
    tenantId: tenant,
    service: 'scheduling',
    type: 'appointment.booked',
    id: 'a',
  };
  const chart: TenantSignal = { tenantId: tenant, service: 'patient-record', type: 'chart.signed', id: 'c' };
  const signIn: TenantSignal = { tenantId: tenant, service: 'identity', type: 'user.signed_in', id: 'u' };

  it('staff of the tenant with the read permission', () => {
    expect(mayReceive(principal(tenant, 'front_desk'), booking)).toBe(true);
    expect(mayReceive(principal(tenant, 'provider'), chart)).toBe(true);
  });

  it('not another tenant, not without the permission, not unsignalled services, not patients', () => {
    expect(mayReceive(principal(randomUUID(), 'owner'), booking)).toBe(false);
    expect(mayReceive(principal(tenant, 'front_desk'), chart)).toBe(false);
    expect(mayReceive(principal(tenant, 'owner'), signIn)).toBe(false);
    expect(mayReceive(principal(tenant, 'patient'), booking)).toBe(false);
  });
});

describe('in-process signal bus', () => {
  it('delivers to the tenant listeners until they unsubscribe', async () => {
    const bus = createInProcessSignalBus();
    const got: string[] = [];
    const stop = await bus.subscribe('t1', (s) => got.push(s.id));
    await bus.subscribe('t2', (s) => got.push(`other:${s.id}`));
    await bus.publish({ tenantId: 't1', service: 'scheduling', type: 'appointment.booked', id: '1' });
    await stop();
    await bus.publish({ tenantId: 't1', service: 'scheduling', type: 'appointment.booked', id: '2' });
    expect(got).toEqual(['1']);
    expect(bus.listenerCount('t1')).toBe(0);
    expect(bus.listenerCount('t2')).toBe(1);
  });
});

describe('entityIdOf', () => {
  it('gives the uuid of a stream id, and any other key as it is', () => {
    const id = '01a20fe1-c0d3-7485-bf1f-a5973009dbb6';
    expect(entityIdOf(`appointment-${id}`)).toBe(id);
    expect(entityIdOf(`intake-form-${id}`)).toBe(id);
    expect(entityIdOf(id)).toBe(id);
    expect(entityIdOf(`calendar-provider-${id}-2026-11-25`)).toBe(`calendar-provider-${id}-2026-11-25`);
  });
});
