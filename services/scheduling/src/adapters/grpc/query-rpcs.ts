import { can, requirePermission } from '@medspa/auth';
import type {
  GetDayCalendarResponse as DayCalendarReply,
  SchedulingServiceService,
} from '@medspa/contracts/medspa.scheduling.v1';
import { withTenant } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { ServiceHandlers } from '@medspa/grpc';
import { findAvailability } from '../../app/availability.js';
import { createLocationZones } from '../../app/calendar/location-zones.js';
import { dayCalendar, type CalendarColumn } from '../../app/day-calendar.js';
import { providerUtilisation } from '../../app/utilisation.js';
import { loadStream, STREAMS, streamIdOf } from '../../app/streams.js';
import { requireId } from '../../domain/shared/fields.js';
import { appointmentsOfPatient, type ListedAppointment } from '../../projections/appointments/queries.js';
import { authorizeAndLogRead } from './access-log.js';
import { toAppointmentMessage } from './appointment-message.js';
import type { SchedulingDeps } from './deps.js';
import { optional } from './request.js';

type Handlers = ServiceHandlers<typeof SchedulingServiceService>;
type QueryRpcs = Pick<
  Handlers,
  | 'searchAvailability'
  | 'getDayCalendar'
  | 'listPatientAppointments'
  | 'getAppointment'
  | 'getAppointmentAsOf'
  | 'getProviderUtilisation'
>;

const messages = (list: readonly ListedAppointment[]) =>
  list.map((a) => toAppointmentMessage(a.state, a.version));
const column = (c: CalendarColumn) => ({
  resourceKind: c.resourceKind,
  resourceId: c.resourceId,
  appointments: messages(c.appointments),
});

export function queryRpcs(deps: SchedulingDeps): QueryRpcs {
  const { store, pool } = deps;
  const zones = createLocationZones(store);

  /** The appointment from its stream (at `asOf` when given), with the read checked and logged. */
  async function readAppointment(
    ctx: Parameters<Handlers['getAppointment']>[1],
    appointmentId: string,
    asOf?: Date,
  ) {
    const id = requireId(appointmentId, 'appointmentId');
    const { state, version } = await loadStream(
      store,
      streamIdOf('appointment', id),
      STREAMS.appointment.decider,
      ctx.principal.tenantId,
      'APPOINTMENT_NOT_FOUND',
      asOf === undefined ? {} : { asOf },
    );
    if (state.status === 'none') throw errors.notFound('APPOINTMENT_NOT_FOUND', 'No such appointment');
    // Compliance officers replay records for audit (audit:read); everyone else needs schedule:read.
    const permission =
      asOf !== undefined && can(ctx.principal, 'audit:read') ? 'audit:read' : 'schedule:read';
    await authorizeAndLogRead(deps, ctx, permission, {
      patientId: state.patientId,
      resourceType: 'appointment',
      resourceId: id,
    });
    return { appointment: toAppointmentMessage(state, version) };
  }

  return {
    async searchAvailability(req, ctx) {
      requirePermission(ctx.principal, 'schedule:read');
      const result = await findAvailability(store, pool, ctx.principal.tenantId, {
        locationId: req.locationId,
        treatmentId: req.treatmentId,
        fromDate: req.fromDate,
        toDate: req.toDate,
        providerId: optional(req.providerId),
        granularityMinutes: req.granularityMinutes === 0 ? 15 : req.granularityMinutes,
        pageSize: req.pageSize === 0 ? 100 : req.pageSize,
        now: deps.now().toISOString(),
      });
      return {
        slots: result.slots.map((s) => ({
          start: new Date(s.start),
          end: new Date(s.end),
          localStart: s.localStart,
          providerId: s.providerId,
          roomId: s.roomId ?? '',
          deviceId: s.deviceId ?? '',
        })),
        hasMore: result.hasMore,
      };
    },

    async getDayCalendar(req, ctx) {
      // The whole clinic's day: staff only (a patient's `own` grant does not reach it).
      if (requirePermission(ctx.principal, 'schedule:read') === 'own') {
        throw errors.forbidden('PERMISSION_DENIED', 'Only clinic staff may see the day calendar');
      }
      const { tenantId } = ctx.principal;
      const read = async (): Promise<DayCalendarReply> => {
        const day = await dayCalendar(zones, pool, tenantId, req);
        return {
          locationId: day.locationId,
          date: day.date,
          timeZone: day.timeZone,
          providers: day.providers.map(column),
          rooms: day.rooms.map(column),
        };
      };
      return deps.dayCalendars?.read(tenantId, `${req.locationId}/${req.date}`, read) ?? read();
    },

    async listPatientAppointments(req, ctx) {
      const patientId = requireId(req.patientId, 'patientId');
      await authorizeAndLogRead(deps, ctx, 'schedule:read', {
        patientId,
        resourceType: 'appointment_list',
        resourceId: patientId,
      });
      const nowMs = deps.now().getTime();
      const lists = await withTenant(pool, ctx.principal.tenantId, (db) =>
        appointmentsOfPatient(db, patientId, nowMs),
      );
      return { upcoming: messages(lists.upcoming), past: messages(lists.past) };
    },

    async getAppointment(req, ctx) {
      requirePermission(ctx.principal, 'schedule:read');
      return readAppointment(ctx, req.appointmentId);
    },

    async getProviderUtilisation(req, ctx) {
      // The clinic's workload: staff only, like the day calendar.
      if (requirePermission(ctx.principal, 'schedule:read') === 'own') {
        throw errors.forbidden('PERMISSION_DENIED', 'Only clinic staff may see utilisation');
      }
      const days = await providerUtilisation(zones, pool, ctx.principal.tenantId, {
        locationId: req.locationId,
        fromDate: req.fromDate,
        toDate: req.toDate,
        providerId: optional(req.providerId),
      });
      return { days };
    },

    async getAppointmentAsOf(req, ctx) {
      if (!can(ctx.principal, 'audit:read')) requirePermission(ctx.principal, 'schedule:read');
      if (!(req.asOf instanceof Date) || !Number.isFinite(req.asOf.getTime())) {
        throw errors.validation('INVALID_INSTANT', 'asOf is required', {
          violations: [{ field: 'asOf', message: 'expected a timestamp' }],
        });
      }
      return readAppointment(ctx, req.appointmentId, req.asOf);
    },
  };
}
