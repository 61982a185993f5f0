import { randomUUID } from 'node:crypto';
import { RECORD_SAMPLES } from './matrix-samples-records.js';

/** Tenant A's records the matrix requests point at. */
export interface MatrixFixture {
  tenantId: string;
  locationId: string;
  providerId: string;
  treatmentId: string;
  patientId: string;
  familyName: string;
  appointmentId: string;
  encounterId: string;
  /** Tomorrow, local date, and two free starts on it. */
  date: string;
  start: string;
  laterStart: string;
}

/**
 * What another tenant's caller must get for a request about tenant A's records:
 * - `not-found`: the request names A's record: 404 (or 403), never a success;
 * - `no-leak`: the request is answered within the caller's own clinic (a search, a list, a new
 *   record): any status, but nothing of tenant A in the body.
 */
export type CrossTenant = 'not-found' | 'no-leak';

export interface MatrixSample {
  url: string;
  body?: unknown;
  crossTenant: CrossTenant;
}

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));
const farFuture = '2031-02-03';

/**
 * One valid request per operation of the route table, about tenant A's records. The matrix test
 * fails for a route without a sample, so a new route cannot skip the authorization matrix.
 */
export const MATRIX_SAMPLES: Record<string, (fx: MatrixFixture) => MatrixSample> = {
  // auth (public, identity-verified and signed-in routes: not governed by the role table)
  signIn: (fx) => ({
    url: '/v1/auth/sign-in',
    body: { tenantId: fx.tenantId, email: 'nobody@clinic.example', password: 'not the password' },
    crossTenant: 'no-leak',
  }),
  verifyMfa: (fx) => ({
    url: '/v1/auth/mfa/verify',
    body: { tenantId: fx.tenantId, challengeToken: 'not-a-challenge', totpCode: '123456' },
    crossTenant: 'no-leak',
  }),
  startTotpEnrolment: () => ({ url: '/v1/auth/totp/enrolment', crossTenant: 'no-leak' }),
  confirmTotpEnrolment: () => ({
    url: '/v1/auth/totp/enrolment/confirm',
    body: { code: '123456' },
    crossTenant: 'no-leak',
  }),
  refresh: () => ({
    url: '/v1/auth/refresh',
    body: { refreshToken: 'msrt1.not-a-token' },
    crossTenant: 'no-leak',
  }),
  logout: () => ({ url: '/v1/auth/logout', crossTenant: 'no-leak' }),
  requestBreakGlass: () => ({
    url: '/v1/auth/break-glass',
    body: { reason: 'EMERGENCY_CARE' },
    crossTenant: 'no-leak',
  }),
  endBreakGlass: () => ({ url: '/v1/auth/break-glass/end', crossTenant: 'no-leak' }),
  setPassword: () => ({
    url: '/v1/auth/password',
    body: { newPassword: 'another sturdy passphrase', currentPassword: 'not the password' },
    crossTenant: 'no-leak',
  }),
  createUser: () => ({
    url: '/v1/users',
    body: { email: `staff-${randomUUID()}@clinic.example`, role: 'ROLE_FRONT_DESK' },
    crossTenant: 'no-leak',
  }),
  // catalogue
  registerLocation: () => ({
    url: '/v1/locations',
    body: { name: 'Midtown', timeZone: 'America/New_York', openingHours: everyDay },
    crossTenant: 'no-leak',
  }),
  onboardProvider: () => ({
    url: '/v1/providers',
    body: { roles: ['aesthetician'], calendarTimeZone: 'America/New_York' },
    crossTenant: 'no-leak',
  }),
  addRoom: (fx) => ({
    url: '/v1/rooms',
    body: { locationId: fx.locationId, name: 'Room 9', roomType: 'treatment_room' },
    crossTenant: 'not-found',
  }),
  addDevice: (fx) => ({
    url: '/v1/devices',
    body: { locationId: fx.locationId, name: 'Laser 9', deviceType: 'ipl' },
    crossTenant: 'not-found',
  }),
  setWorkingHours: (fx) => ({
    url: `/v1/providers/${fx.providerId}/working-hours`,
    body: { locationId: fx.locationId, hours: everyDay },
    crossTenant: 'not-found',
  }),
  scheduleTimeOff: (fx) => ({
    url: `/v1/providers/${fx.providerId}/time-off`,
    body: { dates: { firstDate: farFuture, lastDate: farFuture } },
    crossTenant: 'not-found',
  }),
  addTreatment: () => ({
    url: '/v1/treatments',
    body: { name: 'Peel', durationMinutes: 45, price: { amountMinor: 9000, currency: 'USD' } },
    crossTenant: 'no-leak',
  }),
  // changes to the catalogue: a harmless change to tenant A's location, and unknown ids for the
  // destructive ones (the matrix must not retire what later samples book against)
  changeOpeningHours: (fx) => ({
    url: `/v1/locations/${fx.locationId}/opening-hours`,
    body: { openingHours: everyDay },
    crossTenant: 'not-found',
  }),
  deactivateLocation: () => ({ url: `/v1/locations/${randomUUID()}/deactivate`, crossTenant: 'no-leak' }),
  changeProviderCredentials: () => ({
    url: `/v1/providers/${randomUUID()}/credentials`,
    body: { roles: ['registered_nurse'], qualifications: ['botox_certified'] },
    crossTenant: 'no-leak',
  }),
  deactivateProvider: () => ({ url: `/v1/providers/${randomUUID()}/deactivate`, crossTenant: 'no-leak' }),
  clearWorkingHours: (fx) => ({
    url: `/v1/providers/${randomUUID()}/working-hours/${fx.locationId}`,
    crossTenant: 'no-leak',
  }),
  cancelTimeOff: (fx) => ({
    url: `/v1/providers/${fx.providerId}/time-off/${randomUUID()}/cancel`,
    crossTenant: 'no-leak',
  }),
  retypeRoom: () => ({
    url: `/v1/rooms/${randomUUID()}/type`,
    body: { roomType: 'laser_suite' },
    crossTenant: 'no-leak',
  }),
  retireRoom: () => ({ url: `/v1/rooms/${randomUUID()}/retire`, crossTenant: 'no-leak' }),
  retypeDevice: () => ({
    url: `/v1/devices/${randomUUID()}/type`,
    body: { deviceType: 'co2_laser' },
    crossTenant: 'no-leak',
  }),
  retireDevice: () => ({ url: `/v1/devices/${randomUUID()}/retire`, crossTenant: 'no-leak' }),
  reviseTreatment: () => ({
    url: `/v1/treatments/${randomUUID()}`,
    body: { name: 'Peel', durationMinutes: 45, price: { amountMinor: 9000, currency: 'USD' } },
    crossTenant: 'no-leak',
  }),
  discontinueTreatment: () => ({ url: `/v1/treatments/${randomUUID()}/discontinue`, crossTenant: 'no-leak' }),
  getProviderUtilisation: (fx) => ({
    url: `/v1/locations/${fx.locationId}/utilisation?fromDate=${fx.date}&toDate=${fx.date}`,
    crossTenant: 'no-leak',
  }),
  // the waitlist (a patient acts on their own entries: the fixture's patient is the patient persona)
  joinWaitlist: (fx) => ({
    url: '/v1/waitlist',
    body: {
      patientId: fx.patientId,
      locationId: fx.locationId,
      treatmentId: fx.treatmentId,
      windows: [{ fromDate: farFuture, toDate: farFuture, earliest: '09:00', latest: '12:00' }],
    },
    crossTenant: 'no-leak',
  }),
  withdrawFromWaitlist: () => ({ url: `/v1/waitlist/${randomUUID()}/withdraw`, crossTenant: 'no-leak' }),
  listWaitlist: (fx) => ({
    url: `/v1/waitlist?locationId=${fx.locationId}&patientId=${fx.patientId}`,
    crossTenant: 'no-leak',
  }),
  acceptWaitlistOffer: () => ({
    url: `/v1/waitlist/${randomUUID()}/offers/${randomUUID()}/accept`,
    crossTenant: 'no-leak',
  }),
  declineWaitlistOffer: () => ({
    url: `/v1/waitlist/${randomUUID()}/offers/${randomUUID()}/decline`,
    crossTenant: 'no-leak',
  }),
  // appointments
  bookAppointment: (fx) => ({
    url: '/v1/appointments',
    body: {
      patientId: fx.patientId,
      locationId: fx.locationId,
      treatmentId: fx.treatmentId,
      providerId: fx.providerId,
      start: fx.laterStart,
    },
    crossTenant: 'not-found',
  }),
  rescheduleAppointment: (fx) => ({
    url: `/v1/appointments/${fx.appointmentId}/reschedule`,
    body: { start: fx.start },
    crossTenant: 'not-found',
  }),
  cancelAppointment: (fx) => ({
    url: `/v1/appointments/${fx.appointmentId}/cancel`,
    body: { reasonCode: 'clinic_request' },
    crossTenant: 'not-found',
  }),
  confirmAppointment: (fx) => ({
    url: `/v1/appointments/${fx.appointmentId}/confirm`,
    crossTenant: 'not-found',
  }),
  checkInAppointment: (fx) => ({
    url: `/v1/appointments/${fx.appointmentId}/check-in`,
    crossTenant: 'not-found',
  }),
  completeAppointment: (fx) => ({
    url: `/v1/appointments/${fx.appointmentId}/complete`,
    crossTenant: 'not-found',
  }),
  markNoShow: (fx) => ({ url: `/v1/appointments/${fx.appointmentId}/no-show`, crossTenant: 'not-found' }),
  getAppointment: (fx) => ({ url: `/v1/appointments/${fx.appointmentId}`, crossTenant: 'not-found' }),
  getAppointmentAsOf: (fx) => ({
    url: `/v1/appointments/${fx.appointmentId}/as-of?asOf=${new Date().toISOString()}`,
    crossTenant: 'not-found',
  }),
  searchAvailability: (fx) => ({
    url: `/v1/availability?locationId=${fx.locationId}&treatmentId=${fx.treatmentId}&fromDate=${fx.date}&toDate=${fx.date}`,
    crossTenant: 'not-found',
  }),
  getDayCalendar: (fx) => ({
    url: `/v1/locations/${fx.locationId}/calendar/${fx.date}`,
    crossTenant: 'not-found',
  }),
  listPatientAppointments: (fx) => ({
    url: `/v1/patients/${fx.patientId}/appointments`,
    crossTenant: 'no-leak',
  }),
  ...RECORD_SAMPLES,
};
