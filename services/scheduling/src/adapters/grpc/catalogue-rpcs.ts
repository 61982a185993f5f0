import { requirePermission } from '@medspa/auth';
import type { SchedulingServiceService } from '@medspa/contracts/medspa.scheduling.v1';
import { errors } from '@medspa/errors';
import type { ServiceHandlers } from '@medspa/grpc';
import { catalogueCommands } from '../../app/catalogue.js';
import type { TimeOffPeriod } from '../../domain/index.js';
import type { SchedulingDeps } from './deps.js';
import { chosenId, instantOf, metadataOf, optional, weeklyRanges } from './request.js';

type Handlers = ServiceHandlers<typeof SchedulingServiceService>;
type CatalogueRpcs = Pick<
  Handlers,
  | 'registerLocation'
  | 'onboardProvider'
  | 'addRoom'
  | 'addDevice'
  | 'setWorkingHours'
  | 'scheduleTimeOff'
  | 'addTreatment'
>;

/** Setting up the clinic is a settings change: owners and managers (settings:write). */
export function catalogueRpcs(deps: SchedulingDeps): CatalogueRpcs {
  const commands = catalogueCommands(deps.store);
  return {
    async registerLocation(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      const locationId = chosenId(req.locationId);
      await commands.registerLocation(
        {
          type: 'RegisterLocation',
          locationId,
          name: req.name,
          timeZone: req.timeZone,
          openingHours: weeklyRanges(req.openingHours),
        },
        metadataOf(ctx),
      );
      return { locationId: locationId.toLowerCase() };
    },

    async onboardProvider(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      const providerId = chosenId(req.providerId);
      await commands.onboardProvider(
        {
          type: 'OnboardProvider',
          providerId,
          roles: req.roles,
          qualifications: req.qualifications,
          calendarTimeZone: req.calendarTimeZone,
        },
        metadataOf(ctx),
      );
      return { providerId: providerId.toLowerCase() };
    },

    async addRoom(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      const roomId = chosenId(req.roomId);
      await commands.addRoom(
        { type: 'AddRoom', roomId, locationId: req.locationId, name: req.name, roomType: req.roomType },
        metadataOf(ctx),
      );
      return { roomId: roomId.toLowerCase() };
    },

    async addDevice(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      const deviceId = chosenId(req.deviceId);
      await commands.addDevice(
        {
          type: 'AddDevice',
          deviceId,
          locationId: req.locationId,
          name: req.name,
          deviceType: req.deviceType,
        },
        metadataOf(ctx),
      );
      return { deviceId: deviceId.toLowerCase() };
    },

    async setWorkingHours(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      await commands.setWorkingHours(
        {
          type: 'SetWorkingHours',
          providerId: req.providerId,
          locationId: req.locationId,
          hours: weeklyRanges(req.hours),
          breaks: weeklyRanges(req.breaks),
        },
        metadataOf(ctx),
      );
      return {};
    },

    async scheduleTimeOff(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      const timeOffId = chosenId(req.timeOffId);
      let period: TimeOffPeriod;
      switch (req.period?.$case) {
        case 'instants':
          period = {
            kind: 'instants',
            start: instantOf(req.period.value.start, 'period.start'),
            end: instantOf(req.period.value.end, 'period.end'),
          };
          break;
        case 'dates':
          period = {
            kind: 'dates',
            firstDate: req.period.value.firstDate,
            lastDate: req.period.value.lastDate,
          };
          break;
        case undefined:
          throw errors.validation('INVALID_TIME_OFF', 'Time off needs instants or dates', {
            violations: [{ field: 'period', message: 'expected instants or dates' }],
          });
        default: {
          const _exhaustive: never = req.period;
          throw errors.validation('INVALID_TIME_OFF', 'Unknown time-off period');
        }
      }
      await commands.scheduleTimeOff(
        { type: 'ScheduleTimeOff', providerId: req.providerId, timeOffId, period },
        metadataOf(ctx),
      );
      return { timeOffId: timeOffId.toLowerCase() };
    },

    async addTreatment(req, ctx) {
      requirePermission(ctx.principal, 'settings:write');
      const treatmentId = chosenId(req.treatmentId);
      const price = req.price;
      if (price === undefined) {
        throw errors.validation('INVALID_MONEY', 'price is required', {
          violations: [{ field: 'price', message: 'required' }],
        });
      }
      await commands.addTreatment(
        {
          type: 'AddTreatment',
          treatmentId,
          name: req.name,
          durationMinutes: req.durationMinutes,
          bufferBeforeMinutes: req.bufferBeforeMinutes,
          bufferAfterMinutes: req.bufferAfterMinutes,
          requiredQualification: optional(req.requiredQualification),
          eligibleRoles: req.eligibleRoles,
          roomType: optional(req.roomType),
          deviceType: optional(req.deviceType),
          price,
          deposit: req.deposit ?? null,
          minimumLeadTimeMinutes: req.minimumLeadTimeMinutes,
        },
        metadataOf(ctx),
      );
      return { treatmentId: treatmentId.toLowerCase() };
    },
  };
}
