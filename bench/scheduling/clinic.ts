import { randomUUID } from 'node:crypto';
import type { BookAppointmentRequest, SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import type { PromiseClient } from '@medspa/grpc';
import { instantOfLocal } from '@medspa/scheduling';
import { config } from './config.js';

export type Scheduling = PromiseClient<typeof SchedulingServiceClient.service>;

export const ZONE = 'America/New_York';
const DAY_MS = 86_400_000;
const everyDay = (start: string, end: string) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

export interface BenchClinic {
  locationId: string;
  providerIds: string[];
  roomIds: string[];
  /** 30 minutes, a treatment room and a laser-qualified provider. */
  laserId: string;
  /** 30 minutes, no room. */
  consultId: string;
  /** Day numbers (days since 1970-01-01) of the booked local dates. */
  firstDay: number;
  dates: string[];
}

/** One location, 20 providers working 08:00–20:00 every day, 10 treatment rooms, two treatments. */
export async function setUpClinic(owner: Scheduling): Promise<BenchClinic> {
  const { locationId } = await owner.registerLocation({
    locationId: '',
    name: 'Bench clinic',
    timeZone: ZONE,
    openingHours: everyDay('07:00', '21:00'),
  });
  const providerIds: string[] = [];
  for (let i = 0; i < config.providers; i++) {
    const { providerId } = await owner.onboardProvider({
      providerId: '',
      roles: ['registered_nurse'],
      qualifications: ['laser'],
      calendarTimeZone: ZONE,
    });
    await owner.setWorkingHours({ providerId, locationId, hours: everyDay('08:00', '20:00'), breaks: [] });
    providerIds.push(providerId);
  }
  const roomIds: string[] = [];
  for (let i = 0; i < config.rooms; i++) {
    const { roomId } = await owner.addRoom({
      roomId: '',
      locationId,
      name: `Room ${i + 1}`,
      roomType: 'treatment_room',
    });
    roomIds.push(roomId);
  }
  const treatment = {
    treatmentId: '',
    name: 'Laser facial',
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    requiredQualification: 'laser',
    eligibleRoles: [],
    roomType: 'treatment_room',
    deviceType: '',
    price: { amountMinor: 20_000, currency: 'USD' },
    deposit: undefined,
    minimumLeadTimeMinutes: 0,
  };
  const { treatmentId: laserId } = await owner.addTreatment(treatment);
  const { treatmentId: consultId } = await owner.addTreatment({
    ...treatment,
    name: 'Consultation',
    requiredQualification: '',
    roomType: '',
  });
  // From the day after tomorrow, so no slot of the plan is ever too close to now.
  const firstDay = Math.floor(Date.now() / DAY_MS) + 2;
  const dates = Array.from({ length: config.days }, (_, i) =>
    new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
  );
  return { locationId, providerIds, roomIds, laserId, consultId, firstDay, dates };
}

/**
 * A conflict-free plan of `count` bookings spread over the 30 days in random order: 24 half-hour
 * slots per provider and day, 70 % of them booked; providers 1–10 do laser facials in "their" room,
 * providers 11–20 consultations. Random order makes concurrent clients meet on the same calendars.
 */
export function bookingPlan(clinic: BenchClinic, count: number): BookAppointmentRequest[] {
  const plan: BookAppointmentRequest[] = [];
  for (let d = 0; d < config.days; d++) {
    for (let s = 0; s < 24; s++) {
      for (let p = 0; p < config.providers; p++) {
        if ((d * 7 + s * 3 + p * 5) % 10 >= 7) continue;
        const withRoom = p < config.rooms;
        plan.push({
          appointmentId: '',
          patientId: randomUUID(),
          locationId: clinic.locationId,
          treatmentId: withRoom ? clinic.laserId : clinic.consultId,
          providerId: clinic.providerIds[p]!,
          roomId: withRoom ? clinic.roomIds[p]! : '',
          deviceId: '',
          start: new Date(instantOfLocal(ZONE, clinic.firstDay + d, 8 * 60 + s * 30)),
        });
      }
    }
  }
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  if (plan.length < count) throw new Error(`the plan has only ${plan.length} free slots`);
  return plan.slice(0, count);
}
