import { requirePermission } from '@medspa/auth';
import type { SchedulingServiceService } from '@medspa/contracts/medspa.scheduling.v1';
import { errors } from '@medspa/errors';
import type { CallContext, ServiceHandlers } from '@medspa/grpc';
import { changeAppointment, type AppointmentChanged } from '../../app/appointment-writer.js';
import {
  bookingContextStreamIds,
  foldBookingContext,
  loadBookingContext,
} from '../../app/booking-context.js';
import type { AppointmentCommand, AppointmentState, CancellationReason } from '../../domain/index.js';
import { toAppointmentMessage } from './appointment-message.js';
import type { SchedulingDeps } from './deps.js';
import { chosenId, instantOf, metadataOf, optional } from './request.js';

type Handlers = ServiceHandlers<typeof SchedulingServiceService>;
type AppointmentRpcs = Pick<
  Handlers,
  | 'bookAppointment'
  | 'rescheduleAppointment'
  | 'cancelAppointment'
  | 'confirmAppointment'
  | 'checkInAppointment'
  | 'completeAppointment'
  | 'markNoShow'
>;

/** A patient may change only their own appointments (the `own` scope of schedule:write). */
function requireMayChange(ctx: CallContext, state: AppointmentState): void {
  if (state.status !== 'none')
    requirePermission(ctx.principal, 'schedule:write', { ownerId: state.patientId });
}

/** Check-in, completion and no-shows are the clinic's to record, never the patient's. */
function requireStaff(ctx: CallContext): void {
  requirePermission(ctx.principal, 'schedule:write');
  if (ctx.principal.role === 'patient') {
    throw errors.forbidden('PERMISSION_DENIED', 'Only clinic staff may record this');
  }
}

const reply = (changed: AppointmentChanged) => {
  if (changed.state.status === 'none') throw errors.notFound('APPOINTMENT_NOT_FOUND', 'No such appointment');
  return { appointment: toAppointmentMessage(changed.state, changed.version) };
};

export function appointmentRpcs(deps: SchedulingDeps): AppointmentRpcs {
  const { store } = deps;
  const now = () => deps.now().toISOString();

  /** A lifecycle step that needs no lookups: the permission check on the appointment, then decide. */
  const step = async (ctx: CallContext, appointmentId: string, build: (at: string) => AppointmentCommand) =>
    reply(
      await changeAppointment(store, {
        appointmentId,
        metadata: metadataOf(ctx),
        command: (state) => {
          requireMayChange(ctx, state);
          return Promise.resolve(build(now()));
        },
      }),
    );

  return {
    async bookAppointment(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write', { ownerId: req.patientId });
      const appointmentId = chosenId(req.appointmentId);
      const start = instantOf(req.start, 'start');
      const target = {
        locationId: req.locationId,
        treatmentId: req.treatmentId,
        providerId: req.providerId,
        roomId: optional(req.roomId),
        deviceId: optional(req.deviceId),
      };
      const changed = await changeAppointment(store, {
        appointmentId,
        metadata: metadataOf(ctx),
        reads: bookingContextStreamIds(target),
        command: (_, read) =>
          Promise.resolve({
            type: 'BookAppointment',
            appointmentId,
            patientId: req.patientId,
            ...target,
            start,
            now: now(),
            context: foldBookingContext(read, ctx.principal.tenantId, target),
          }),
      });
      return reply(changed);
    },

    async rescheduleAppointment(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write');
      const start = instantOf(req.start, 'start');
      const changed = await changeAppointment(store, {
        appointmentId: req.appointmentId,
        metadata: metadataOf(ctx),
        command: async (state) => {
          requireMayChange(ctx, state);
          // Left empty, the provider, room and device stay as booked.
          const current = state.status === 'none' ? null : state;
          const target = {
            locationId: current?.locationId ?? '',
            treatmentId: current?.treatmentId ?? '',
            providerId: optional(req.providerId) ?? current?.providerId ?? '',
            roomId: optional(req.roomId) ?? current?.roomId ?? null,
            deviceId: optional(req.deviceId) ?? current?.deviceId ?? null,
          };
          return {
            type: 'RescheduleAppointment',
            appointmentId: req.appointmentId,
            start,
            providerId: target.providerId,
            roomId: target.roomId,
            deviceId: target.deviceId,
            now: now(),
            context: await loadBookingContext(store, ctx.principal.tenantId, target),
          };
        },
      });
      return reply(changed);
    },

    async cancelAppointment(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write');
      return step(ctx, req.appointmentId, (at) => ({
        type: 'CancelAppointment',
        appointmentId: req.appointmentId,
        reasonCode: req.reasonCode as CancellationReason,
        now: at,
      }));
    },

    async confirmAppointment(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write');
      return step(ctx, req.appointmentId, (at) => ({
        type: 'ConfirmAppointment',
        appointmentId: req.appointmentId,
        now: at,
      }));
    },

    async checkInAppointment(req, ctx) {
      requireStaff(ctx);
      return step(ctx, req.appointmentId, (at) => ({
        type: 'CheckInAppointment',
        appointmentId: req.appointmentId,
        now: at,
      }));
    },

    async completeAppointment(req, ctx) {
      requireStaff(ctx);
      return step(ctx, req.appointmentId, (at) => ({
        type: 'CompleteAppointment',
        appointmentId: req.appointmentId,
        now: at,
      }));
    },

    async markNoShow(req, ctx) {
      requireStaff(ctx);
      return step(ctx, req.appointmentId, (at) => ({
        type: 'MarkNoShow',
        appointmentId: req.appointmentId,
        now: at,
      }));
    },
  };
}
