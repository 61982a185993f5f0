import { instantOfLocal, parseLocalDate } from '../domain/index.js';
import { randomUUID } from 'node:crypto';
import type { Harness, SchedulingClient } from './harness.js';

// A laser clinic in New York set up through the API itself: one location open every day, two
// providers working 09:00–18:00, a laser suite, a CO2 laser, and two treatments (a laser session
// that needs the room and the device, and a consult that needs neither).

const everyDay = (start: string, end: string) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

export interface Clinic {
  tenantId: string;
  owner: SchedulingClient;
  desk: SchedulingClient;
  locationId: string;
  providerIds: [string, string];
  roomId: string;
  deviceId: string;
  laserId: string;
  consultId: string;
  /** A treatment that must be booked at least a day ahead. */
  leadTimeId: string;
}

export async function setUpClinic(h: Harness, timeZone = 'America/New_York'): Promise<Clinic> {
  const tenantId = randomUUID();
  const owner = await h.clientAs(tenantId, 'owner');
  const desk = await h.clientAs(tenantId, 'front_desk');
  const { locationId } = await owner.registerLocation({
    locationId: '',
    name: 'Upper East Side',
    timeZone,
    openingHours: everyDay('08:00', '20:00'),
  });
  const providerIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { providerId } = await owner.onboardProvider({
      providerId: '',
      roles: ['registered_nurse'],
      qualifications: ['laser_level_2'],
      calendarTimeZone: timeZone,
    });
    await owner.setWorkingHours({ providerId, locationId, hours: everyDay('09:00', '18:00'), breaks: [] });
    providerIds.push(providerId);
  }
  const { roomId } = await owner.addRoom({
    roomId: '',
    locationId,
    name: 'Laser 1',
    roomType: 'laser_suite',
  });
  const { deviceId } = await owner.addDevice({
    deviceId: '',
    locationId,
    name: 'CO2 #1',
    deviceType: 'co2_laser',
  });
  const treatment = {
    treatmentId: '',
    name: 'CO2 laser resurfacing',
    durationMinutes: 60,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
    requiredQualification: 'laser_level_2',
    eligibleRoles: [],
    roomType: 'laser_suite',
    deviceType: 'co2_laser',
    price: { amountMinor: 45_000, currency: 'USD' },
    deposit: { amountMinor: 10_000, currency: 'USD' },
    minimumLeadTimeMinutes: 0,
  };
  const { treatmentId: laserId } = await owner.addTreatment(treatment);
  const { treatmentId: consultId } = await owner.addTreatment({
    ...treatment,
    name: 'Consultation',
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    requiredQualification: '',
    roomType: '',
    deviceType: '',
    deposit: undefined,
  });
  const { treatmentId: leadTimeId } = await owner.addTreatment({
    ...treatment,
    name: 'Custom peel',
    minimumLeadTimeMinutes: 60 * 24,
  });
  // Search reads the catalogue read model: let it see the setup before any test searches.
  await h.service.catchUp();
  return {
    tenantId,
    owner,
    desk,
    locationId,
    providerIds: providerIds as [string, string],
    roomId,
    deviceId,
    laserId,
    consultId,
    leadTimeId,
  };
}

/** A local date `days` from today in New York-ish terms (UTC date arithmetic is enough here). */
export const daysFromNow = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The instant of a wall-clock time on a local date in a zone, e.g. `at('2027-03-15', '09:00')`. */
export const localInstant = (date: string, time: string, zone = 'America/New_York'): Date => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return new Date(instantOfLocal(zone, parseLocalDate(date, 'date'), h * 60 + m));
};

/** A booking request for a consult with the first provider (no room, no device) at `start`. */
export const consultWithFirstProvider = (clinic: Clinic, start: Date, patientId = randomUUID()) => ({
  appointmentId: '',
  patientId,
  locationId: clinic.locationId,
  treatmentId: clinic.consultId,
  providerId: clinic.providerIds[0],
  roomId: '',
  deviceId: '',
  start,
});
