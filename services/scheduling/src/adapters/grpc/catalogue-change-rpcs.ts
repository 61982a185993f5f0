import { requirePermission } from '@medspa/auth';
import type { SchedulingServiceService } from '@medspa/contracts/medspa.scheduling.v1';
import { errors } from '@medspa/errors';
import type { CallContext, ServiceHandlers } from '@medspa/grpc';
import { catalogueCommands } from '../../app/catalogue.js';
import type { SchedulingDeps } from './deps.js';
import { metadataOf, optional, weeklyRanges } from './request.js';

type Handlers = ServiceHandlers<typeof SchedulingServiceService>;
type CatalogueChangeRpcs = Pick<
  Handlers,
  | 'changeOpeningHours'
  | 'deactivateLocation'
  | 'changeProviderCredentials'
  | 'deactivateProvider'
  | 'clearWorkingHours'
  | 'cancelTimeOff'
  | 'retypeRoom'
  | 'retireRoom'
  | 'retypeDevice'
  | 'retireDevice'
  | 'reviseTreatment'
  | 'discontinueTreatment'
>;

/** Changes to the clinic's setup (settings:write), one stream each; each replies with nothing. */
export function catalogueChangeRpcs(deps: SchedulingDeps): CatalogueChangeRpcs {
  const commands = catalogueCommands(deps.store);
  const done = async (ctx: CallContext, change: () => Promise<void>) => {
    requirePermission(ctx.principal, 'settings:write');
    await change();
    return {};
  };
  return {
    changeOpeningHours: (req, ctx) =>
      done(ctx, () =>
        commands.changeLocation(
          {
            type: 'ChangeOpeningHours',
            locationId: req.locationId,
            openingHours: weeklyRanges(req.openingHours),
          },
          metadataOf(ctx),
        ),
      ),
    deactivateLocation: (req, ctx) =>
      done(ctx, () =>
        commands.changeLocation({ type: 'DeactivateLocation', locationId: req.locationId }, metadataOf(ctx)),
      ),
    changeProviderCredentials: (req, ctx) =>
      done(ctx, () =>
        commands.changeProvider(
          {
            type: 'ChangeProviderCredentials',
            providerId: req.providerId,
            roles: req.roles,
            qualifications: req.qualifications,
          },
          metadataOf(ctx),
        ),
      ),
    deactivateProvider: (req, ctx) =>
      done(ctx, () =>
        commands.changeProvider({ type: 'DeactivateProvider', providerId: req.providerId }, metadataOf(ctx)),
      ),
    clearWorkingHours: (req, ctx) =>
      done(ctx, () =>
        commands.changeSchedule(
          { type: 'ClearWorkingHours', providerId: req.providerId, locationId: req.locationId },
          metadataOf(ctx),
        ),
      ),
    cancelTimeOff: (req, ctx) =>
      done(ctx, () =>
        commands.changeSchedule(
          { type: 'CancelTimeOff', providerId: req.providerId, timeOffId: req.timeOffId },
          metadataOf(ctx),
        ),
      ),
    retypeRoom: (req, ctx) =>
      done(ctx, () =>
        commands.changeRoom(
          { type: 'RetypeRoom', roomId: req.roomId, roomType: req.roomType },
          metadataOf(ctx),
        ),
      ),
    retireRoom: (req, ctx) =>
      done(ctx, () => commands.changeRoom({ type: 'RetireRoom', roomId: req.roomId }, metadataOf(ctx))),
    retypeDevice: (req, ctx) =>
      done(ctx, () =>
        commands.changeDevice(
          { type: 'RetypeDevice', deviceId: req.deviceId, deviceType: req.deviceType },
          metadataOf(ctx),
        ),
      ),
    retireDevice: (req, ctx) =>
      done(ctx, () =>
        commands.changeDevice({ type: 'RetireDevice', deviceId: req.deviceId }, metadataOf(ctx)),
      ),
    reviseTreatment: (req, ctx) =>
      done(ctx, () => {
        if (req.price === undefined) {
          throw errors.validation('INVALID_MONEY', 'price is required', {
            violations: [{ field: 'price', message: 'required' }],
          });
        }
        return commands.changeTreatment(
          {
            type: 'ReviseTreatment',
            treatmentId: req.treatmentId,
            name: req.name,
            durationMinutes: req.durationMinutes,
            bufferBeforeMinutes: req.bufferBeforeMinutes,
            bufferAfterMinutes: req.bufferAfterMinutes,
            requiredQualification: optional(req.requiredQualification),
            eligibleRoles: req.eligibleRoles,
            roomType: optional(req.roomType),
            deviceType: optional(req.deviceType),
            price: req.price,
            deposit: req.deposit ?? null,
            minimumLeadTimeMinutes: req.minimumLeadTimeMinutes,
          },
          metadataOf(ctx),
        );
      }),
    discontinueTreatment: (req, ctx) =>
      done(ctx, () =>
        commands.changeTreatment(
          { type: 'DiscontinueTreatment', treatmentId: req.treatmentId },
          metadataOf(ctx),
        ),
      ),
  };
}
