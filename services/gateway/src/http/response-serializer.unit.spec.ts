import { describe, expect, it } from 'vitest';
import { ROUTES } from '../routes/index.js';
import { DayCalendar } from '../routes/schemas/scheduling.js';
import { fastSerializer, responseSerializerCompiler } from './response-serializer.js';

const CANARY = 'Canary-Notes-7Q2';
const appointment = {
  appointmentId: '0b9d6c55-0a43-4c1e-9a77-3f8f0c3f1a11',
  patientId: '6a3e1f0e-5d4c-4b1a-8f2e-1c9d7b5a3e21',
  locationId: 'c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8',
  treatmentId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  providerId: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b',
  roomId: '2c3d4e5f-6071-4829-8a3b-4c5d6e7f8a9b',
  start: '2027-02-09T15:00:00Z',
  end: '2027-02-09T15:30:00Z',
  status: 'APPOINTMENT_STATUS_BOOKED',
  cancellationReason: '',
  price: { amountMinor: 15000, currency: 'USD', cardNumber: CANARY },
  version: 3,
  patientNotes: CANARY, // not in the schema: must never reach the caller
};
const day = {
  locationId: appointment.locationId,
  date: '2027-02-09',
  timeZone: 'America/New_York',
  providers: [
    {
      resourceKind: 'provider',
      resourceId: appointment.providerId,
      appointments: [appointment],
      secret: CANARY,
    },
  ],
  rooms: [{ resourceKind: 'room', resourceId: appointment.roomId, appointments: [] }],
  chartNote: CANARY,
};

describe('the gateway response serializer', () => {
  it('writes what zod would let through, and nothing the schema does not name', () => {
    const write = responseSerializerCompiler({
      schema: DayCalendar,
      method: 'GET',
      url: '/calendar',
      httpStatus: '200',
    });
    const text = write(day);
    expect(text).not.toContain(CANARY);
    expect(JSON.parse(text)).toEqual(DayCalendar.parse(day));
  });

  it('compiles every route response of the table with fast-json-stringify', () => {
    const refused = ROUTES.filter(
      (r) => r.response !== undefined && fastSerializer(r.response) === undefined,
    );
    expect(refused.map((r) => r.operationId)).toEqual([]);
  });
});
