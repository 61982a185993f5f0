import { requirePermission } from '@medspa/auth';
import type { SchedulingServiceService } from '@medspa/contracts/medspa.scheduling.v1';
import { withTenant } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { CallContext, ServiceHandlers } from '@medspa/grpc';
import { cascadeOfOffer, setTimer } from '../../app/waitlist/cascades.js';
import { changeEntry, type EntryChanged } from '../../app/waitlist/entry-writer.js';
import { requireWaitable } from '../../app/waitlist/join.js';
import { settleAcceptance } from '../../app/waitlist/settle-acceptance.js';
import type { WaitlistState } from '../../domain/index.js';
import { requireId } from '../../domain/shared/fields.js';
import { waitlistAt, waitlistOfPatient } from '../../projections/waitlist/queries.js';
import { authorizeAndLogRead } from './access-log.js';
import { toAppointmentMessage } from './appointment-message.js';
import type { SchedulingDeps } from './deps.js';
import { chosenId, metadataOf, optional } from './request.js';
import { toWaitlistEntryMessage } from './waitlist-message.js';

type Handlers = ServiceHandlers<typeof SchedulingServiceService>;
type WaitlistRpcs = Pick<
  Handlers,
  'joinWaitlist' | 'withdrawFromWaitlist' | 'listWaitlist' | 'acceptWaitlistOffer' | 'declineWaitlistOffer'
>;

/** A patient may act only on their own entries (the `own` scope of schedule:write). */
function requireMayChange(ctx: CallContext, state: WaitlistState): void {
  if (state.status !== 'none')
    requirePermission(ctx.principal, 'schedule:write', { ownerId: state.patientId });
}

const entryOf = (changed: Pick<EntryChanged, 'state' | 'version'>) => {
  if (changed.state.status === 'none')
    throw errors.notFound('WAITLIST_ENTRY_NOT_FOUND', 'No such waitlist entry');
  return toWaitlistEntryMessage(changed.state, changed.version);
};

export function waitlistRpcs(deps: SchedulingDeps): WaitlistRpcs {
  const { store, pool } = deps;
  const now = () => deps.now().toISOString();

  /** An answer to (or the end of) an offer sends its cascade on at once: its timer is due now. */
  const cascadeMovesOn =
    (offerId: string, dueInMs = 0) =>
    async (db: Parameters<typeof setTimer>[0]) => {
      const cascade = await cascadeOfOffer(db, offerId);
      if (cascade)
        await setTimer(db, cascade.tenantId, cascade.cascadeId, new Date(deps.now().getTime() + dueInMs));
    };

  return {
    async joinWaitlist(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write', { ownerId: req.patientId });
      const entryId = chosenId(req.entryId);
      requireId(req.patientId, 'patientId');
      await requireWaitable(store, ctx.principal.tenantId, req);
      const changed = await changeEntry(store, {
        entryId,
        metadata: metadataOf(ctx),
        command: () => ({
          type: 'JoinWaitlist',
          entryId,
          patientId: req.patientId,
          locationId: req.locationId,
          treatmentId: req.treatmentId,
          providerIds: req.providerIds,
          windows: req.windows.map((w) => ({ ...w })),
          priority: req.priority,
          now: now(),
        }),
      });
      return { entry: entryOf(changed) };
    },

    async withdrawFromWaitlist(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write');
      let pendingOffer: string | null = null;
      const changed = await changeEntry(store, {
        entryId: req.entryId,
        metadata: metadataOf(ctx),
        command: (state) => {
          requireMayChange(ctx, state);
          pendingOffer = state.status === 'offered' ? state.offer.offerId : null;
          return { type: 'WithdrawFromWaitlist', entryId: req.entryId, now: now() };
        },
        alongside: async (db) => {
          if (pendingOffer !== null) await cascadeMovesOn(pendingOffer)(db);
        },
      });
      return { entry: entryOf(changed) };
    },

    async declineWaitlistOffer(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write');
      const changed = await changeEntry(store, {
        entryId: req.entryId,
        metadata: metadataOf(ctx),
        command: (state) => {
          requireMayChange(ctx, state);
          return { type: 'DeclineWaitlistOffer', entryId: req.entryId, offerId: req.offerId, now: now() };
        },
        alongside: cascadeMovesOn(req.offerId),
      });
      return { entry: entryOf(changed) };
    },

    async acceptWaitlistOffer(req, ctx) {
      requirePermission(ctx.principal, 'schedule:write');
      const metadata = metadataOf(ctx);
      await changeEntry(store, {
        entryId: req.entryId,
        metadata,
        command: (state) => {
          requireMayChange(ctx, state);
          return { type: 'AcceptWaitlistOffer', entryId: req.entryId, offerId: req.offerId, now: now() };
        },
        // Should this call die before booking, the cascade's timer books the slot instead.
        alongside: cascadeMovesOn(req.offerId, deps.waitlist.acceptWatchdogMs),
      });
      const settled = await settleAcceptance(store, metadata, req.entryId, deps.now);
      const appointment = settled.appointment;
      return {
        entry: entryOf({ state: settled.entry, version: settled.entryVersion }),
        appointment:
          appointment && appointment.state.status !== 'none'
            ? toAppointmentMessage(appointment.state, appointment.version)
            : undefined,
        bookingFailureReason: settled.failureReason ?? '',
      };
    },

    async listWaitlist(req, ctx) {
      const includeClosed = req.includeClosed;
      const patientId = optional(req.patientId);
      if (patientId !== null) {
        const id = requireId(patientId, 'patientId');
        await authorizeAndLogRead(deps, ctx, 'schedule:read', {
          patientId: id,
          resourceType: 'waitlist',
          resourceId: id,
        });
        const entries = await withTenant(pool, ctx.principal.tenantId, (db) =>
          waitlistOfPatient(db, id, includeClosed),
        );
        return { entries: entries.map((e) => toWaitlistEntryMessage(e.state, e.version)) };
      }
      // A location's whole waitlist: staff only (a patient's `own` grant does not reach it).
      if (requirePermission(ctx.principal, 'schedule:read') === 'own') {
        throw errors.forbidden('PERMISSION_DENIED', "Only clinic staff may see a location's waitlist");
      }
      const locationId = requireId(req.locationId, 'locationId');
      const treatment = optional(req.treatmentId);
      const treatmentId = treatment === null ? null : requireId(treatment, 'treatmentId');
      const entries = await withTenant(pool, ctx.principal.tenantId, (db) =>
        waitlistAt(db, { locationId, treatmentId, includeClosed }),
      );
      return { entries: entries.map((e) => toWaitlistEntryMessage(e.state, e.version)) };
    },
  };
}
