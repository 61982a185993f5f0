import { AppointmentStatus, WaitlistEntryStatus } from '@medspa/contracts/medspa.scheduling.v1';
import { z } from 'zod';
import {
  ChosenId,
  Code,
  Id,
  Instant,
  Label,
  LocalDate,
  MoneyOut,
  Money,
  TimeZone,
  WallClock,
  protoEnum,
} from './common.js';

export const WeeklyRange = z.object({
  weekday: z.number().int().min(1).max(7),
  start: WallClock,
  end: WallClock,
});
const ranges = z.array(WeeklyRange).max(100);

export const RegisterLocationBody = z.object({
  locationId: ChosenId,
  name: Label,
  timeZone: TimeZone,
  openingHours: ranges.optional(),
});
export const OnboardProviderBody = z.object({
  providerId: ChosenId,
  roles: z.array(Code).max(20).optional(),
  qualifications: z.array(Code).max(50).optional(),
  calendarTimeZone: TimeZone,
});
export const AddRoomBody = z.object({ roomId: ChosenId, locationId: Id, name: Label, roomType: Code });
export const AddDeviceBody = z.object({ deviceId: ChosenId, locationId: Id, name: Label, deviceType: Code });
export const WorkingHoursBody = z.object({ locationId: Id, hours: ranges, breaks: ranges.optional() });
export const TimeOffBody = z
  .object({
    timeOffId: ChosenId,
    instants: z.object({ start: Instant, end: Instant }).optional(),
    dates: z.object({ firstDate: LocalDate, lastDate: LocalDate }).optional(),
  })
  .refine((b) => (b.instants === undefined) !== (b.dates === undefined), {
    message: 'exactly one of instants or dates',
    path: ['instants'],
  });
const minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);
export const AddTreatmentBody = z.object({
  treatmentId: ChosenId,
  name: Label,
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  bufferBeforeMinutes: minutes.optional(),
  bufferAfterMinutes: minutes.optional(),
  requiredQualification: z.union([Code, z.literal('')]).optional(),
  eligibleRoles: z.array(Code).max(20).optional(),
  roomType: z.union([Code, z.literal('')]).optional(),
  deviceType: z.union([Code, z.literal('')]).optional(),
  price: Money,
  deposit: Money.optional(),
  minimumLeadTimeMinutes: z
    .number()
    .int()
    .min(0)
    .max(366 * 24 * 60)
    .optional(),
});

export const LocationCreated = z.object({ locationId: z.string() }).partial();
export const ProviderCreated = z.object({ providerId: z.string() }).partial();
export const RoomCreated = z.object({ roomId: z.string() }).partial();
export const DeviceCreated = z.object({ deviceId: z.string() }).partial();
export const TimeOffCreated = z.object({ timeOffId: z.string() }).partial();
export const TreatmentCreated = z.object({ treatmentId: z.string() }).partial();

export const Appointment = z
  .object({
    appointmentId: z.string(),
    patientId: z.string(),
    locationId: z.string(),
    treatmentId: z.string(),
    providerId: z.string(),
    roomId: z.string(),
    deviceId: z.string(),
    start: z.string(),
    end: z.string(),
    status: protoEnum(AppointmentStatus),
    cancellationReason: z.string(),
    price: MoneyOut,
    deposit: MoneyOut,
    version: z.number(),
  })
  .partial();
export const AppointmentReply = z.object({ appointment: Appointment }).partial();

const optionalId = z.union([Id, z.literal('')]).optional();
export const BookAppointmentBody = z.object({
  appointmentId: ChosenId,
  patientId: Id,
  locationId: Id,
  treatmentId: Id,
  providerId: Id,
  roomId: optionalId,
  deviceId: optionalId,
  start: Instant,
});
export const RescheduleBody = z.object({
  start: Instant,
  providerId: optionalId,
  roomId: optionalId,
  deviceId: optionalId,
});
export const CancelBody = z.object({
  reasonCode: z.enum([
    'patient_request',
    'clinic_request',
    'provider_unavailable',
    'clinic_closure',
    'deposit_not_paid',
    'booked_in_error',
    'other',
  ]),
});
export const AppointmentParams = z.object({ appointmentId: Id });
export const AsOfQuery = z.object({ asOf: Instant });

export const AvailabilityQuery = z.object({
  locationId: Id,
  treatmentId: Id,
  fromDate: LocalDate,
  toDate: LocalDate,
  providerId: Id.optional(),
  granularityMinutes: z.coerce.number().int().min(5).max(240).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
});
export const Availability = z
  .object({
    slots: z.array(
      z
        .object({
          start: z.string(),
          end: z.string(),
          localStart: z.string(),
          providerId: z.string(),
          roomId: z.string(),
          deviceId: z.string(),
        })
        .partial(),
    ),
    hasMore: z.boolean(),
  })
  .partial();

export const DayCalendarParams = z.object({ locationId: Id, date: LocalDate });
const Column = z
  .object({ resourceKind: z.string(), resourceId: z.string(), appointments: z.array(Appointment) })
  .partial();
export const DayCalendar = z
  .object({
    locationId: z.string(),
    date: z.string(),
    timeZone: z.string(),
    providers: z.array(Column),
    rooms: z.array(Column),
  })
  .partial();
export const PatientParams = z.object({ patientId: Id });
export const PatientAppointments = z
  .object({ upcoming: z.array(Appointment), past: z.array(Appointment) })
  .partial();

// Changes to the catalogue (settings:write).
export const LocationParams = z.object({ locationId: Id });
export const ProviderParams = z.object({ providerId: Id });
export const ProviderLocationParams = z.object({ providerId: Id, locationId: Id });
export const TimeOffParams = z.object({ providerId: Id, timeOffId: Id });
export const RoomParams = z.object({ roomId: Id });
export const DeviceParams = z.object({ deviceId: Id });
export const TreatmentParams = z.object({ treatmentId: Id });
export const OpeningHoursBody = z.object({ openingHours: ranges });
export const ProviderCredentialsBody = z.object({
  roles: z.array(Code).max(20).optional(),
  qualifications: z.array(Code).max(50).optional(),
});
export const RoomTypeBody = z.object({ roomType: Code });
export const DeviceTypeBody = z.object({ deviceType: Code });
/** The treatment's whole new definition (appointments already booked keep their quoted price). */
export const ReviseTreatmentBody = AddTreatmentBody.omit({ treatmentId: true });

export const UtilisationQuery = z.object({
  fromDate: LocalDate,
  toDate: LocalDate,
  providerId: Id.optional(),
});
export const Utilisation = z
  .object({
    days: z.array(
      z
        .object({
          providerId: z.string(),
          date: z.string(),
          bookedMinutes: z.number(),
          dutyMinutes: z.number(),
          appointments: z.number(),
          noShows: z.number(),
          utilisationBp: z.number(),
        })
        .partial(),
    ),
  })
  .partial();

// The waitlist (schedule:write / schedule:read; a patient only their own entries).
const WaitlistWindow = z.object({
  fromDate: LocalDate,
  toDate: LocalDate,
  earliest: WallClock.optional(),
  latest: WallClock.optional(),
});
export const JoinWaitlistBody = z.object({
  entryId: ChosenId,
  patientId: Id,
  locationId: Id,
  treatmentId: Id,
  providerIds: z.array(Id).max(20).optional(),
  windows: z.array(WaitlistWindow).min(1).max(20),
  priority: z.number().int().min(0).max(100).optional(),
});
export const WaitlistEntryParams = z.object({ entryId: Id });
export const WaitlistOfferParams = z.object({ entryId: Id, offerId: Id });
const optionalFilter = Id.optional();
export const WaitlistQuery = z.object({
  locationId: optionalFilter,
  treatmentId: optionalFilter,
  patientId: optionalFilter,
  includeClosed: z.enum(['true', 'false']).optional(),
});
export const WaitlistEntry = z
  .object({
    entryId: z.string(),
    patientId: z.string(),
    locationId: z.string(),
    treatmentId: z.string(),
    providerIds: z.array(z.string()),
    windows: z.array(
      z
        .object({ fromDate: z.string(), toDate: z.string(), earliest: z.string(), latest: z.string() })
        .partial(),
    ),
    priority: z.number(),
    status: protoEnum(WaitlistEntryStatus),
    joinedAt: z.string(),
    offer: z
      .object({
        offerId: z.string(),
        start: z.string(),
        end: z.string(),
        providerId: z.string(),
        roomId: z.string(),
        deviceId: z.string(),
        offeredAt: z.string(),
        expiresAt: z.string(),
      })
      .partial(),
    appointmentId: z.string(),
    version: z.number(),
  })
  .partial();
export const WaitlistEntryReply = z.object({ entry: WaitlistEntry }).partial();
export const Waitlist = z.object({ entries: z.array(WaitlistEntry) }).partial();
export const WaitlistAccepted = z
  .object({ entry: WaitlistEntry, appointment: Appointment, bookingFailureReason: z.string() })
  .partial();
