import * as v1 from '@medspa/contracts/medspa.scheduling.v1';
import { createOutboxMapper, integrationEvent, type IntegrationEvent } from '@medspa/messaging';
import type {
  AppointmentEvent,
  CalendarEvent,
  DeviceEvent,
  LocationEvent,
  ProviderEvent,
  ProviderScheduleEvent,
  RoomEvent,
  TreatmentEvent,
  WaitlistEvent,
} from '../domain/index.js';

/** Every event scheduling appends, whatever its stream. */
export type SchedulingEvent =
  | LocationEvent
  | ProviderEvent
  | ProviderScheduleEvent
  | RoomEvent
  | DeviceEvent
  | TreatmentEvent
  | CalendarEvent
  | AppointmentEvent
  | WaitlistEvent;

const pkg = 'medspa.scheduling.v1';
const at = (instant: string): Date => new Date(instant);

const catalogue = (entityType: string, entityId: string, change: string): IntegrationEvent =>
  integrationEvent(`${pkg}.CatalogueChanged`, v1.CatalogueChanged, { entityType, entityId, change });

const entryChanged = (entryId: string, change: string, appointmentId = '', reasonCode = '') =>
  integrationEvent(`${pkg}.WaitlistEntryChanged`, v1.WaitlistEntryChanged, {
    entryId,
    change,
    appointmentId,
    reasonCode,
  });

/**
 * THE mapping from scheduling's domain events to its integration events: ids, instants, codes
 * and catalogue labels' ids only. A patient is an id; no name, contact detail or note can get
 * here because no domain event holds one. Exhaustive: a new event type does not compile unmapped.
 */
export function toIntegrationEvent(event: SchedulingEvent): IntegrationEvent {
  switch (event.type) {
    case 'LocationRegistered':
    case 'OpeningHoursChanged':
    case 'LocationDeactivated':
      return catalogue('location', event.data.locationId, event.type);
    case 'ProviderOnboarded':
    case 'ProviderCredentialsChanged':
    case 'ProviderDeactivated':
      return catalogue('provider', event.data.providerId, event.type);
    case 'WorkingHoursSet':
    case 'WorkingHoursCleared':
    case 'TimeOffScheduled':
    case 'TimeOffCancelled':
      return catalogue('provider_schedule', event.data.providerId, event.type);
    case 'RoomAdded':
    case 'RoomRetyped':
    case 'RoomRetired':
      return catalogue('room', event.data.roomId, event.type);
    case 'DeviceAdded':
    case 'DeviceRetyped':
    case 'DeviceRetired':
      return catalogue('device', event.data.deviceId, event.type);
    case 'TreatmentAdded':
    case 'TreatmentRevised':
    case 'TreatmentDiscontinued':
      return catalogue('treatment', event.data.treatmentId, event.type);
    case 'ResourceTimeHeld': {
      const d = event.data;
      return integrationEvent(`${pkg}.ResourceCalendarChanged`, v1.ResourceCalendarChanged, {
        resourceKind: d.resourceKind,
        resourceId: d.resourceId,
        localDate: d.localDate,
        appointmentId: d.appointmentId,
        change: 'held',
        start: at(d.start),
        end: at(d.end),
      });
    }
    case 'ResourceTimeReleased': {
      const d = event.data;
      return integrationEvent(`${pkg}.ResourceCalendarChanged`, v1.ResourceCalendarChanged, {
        resourceKind: d.resourceKind,
        resourceId: d.resourceId,
        localDate: d.localDate,
        appointmentId: d.appointmentId,
        change: 'released',
        start: undefined,
        end: undefined,
      });
    }
    case 'AppointmentBooked': {
      const d = event.data;
      return integrationEvent(`${pkg}.AppointmentBooked`, v1.AppointmentBooked, {
        appointmentId: d.appointmentId,
        patientId: d.patientId,
        locationId: d.locationId,
        treatmentId: d.treatmentId,
        providerId: d.providerId,
        roomId: d.roomId ?? '',
        deviceId: d.deviceId ?? '',
        start: at(d.start),
        end: at(d.end),
        priceAmountMinor: d.price.amountMinor,
        depositAmountMinor: d.deposit?.amountMinor ?? 0,
        currency: d.price.currency,
      });
    }
    case 'AppointmentRescheduled': {
      const d = event.data;
      return integrationEvent(`${pkg}.AppointmentRescheduled`, v1.AppointmentRescheduled, {
        appointmentId: d.appointmentId,
        providerId: d.providerId,
        roomId: d.roomId ?? '',
        deviceId: d.deviceId ?? '',
        start: at(d.start),
        end: at(d.end),
        previousStart: at(d.previousStart),
      });
    }
    case 'AppointmentCancelled':
      return integrationEvent(`${pkg}.AppointmentCancelled`, v1.AppointmentCancelled, {
        appointmentId: event.data.appointmentId,
        reasonCode: event.data.reasonCode,
        cancelledAt: at(event.data.cancelledAt),
      });
    case 'AppointmentConfirmed':
      return integrationEvent(`${pkg}.AppointmentConfirmed`, v1.AppointmentConfirmed, {
        appointmentId: event.data.appointmentId,
        confirmedAt: at(event.data.confirmedAt),
      });
    case 'AppointmentCheckedIn':
      return integrationEvent(`${pkg}.AppointmentCheckedIn`, v1.AppointmentCheckedIn, {
        appointmentId: event.data.appointmentId,
        checkedInAt: at(event.data.checkedInAt),
      });
    case 'AppointmentCompleted':
      return integrationEvent(`${pkg}.AppointmentCompleted`, v1.AppointmentCompleted, {
        appointmentId: event.data.appointmentId,
        completedAt: at(event.data.completedAt),
      });
    case 'AppointmentMarkedNoShow':
      return integrationEvent(`${pkg}.AppointmentNoShow`, v1.AppointmentNoShow, {
        appointmentId: event.data.appointmentId,
        markedAt: at(event.data.markedAt),
      });
    case 'WaitlistJoined':
      return integrationEvent(`${pkg}.WaitlistJoined`, v1.WaitlistJoined, {
        entryId: event.data.entryId,
        patientId: event.data.patientId,
        locationId: event.data.locationId,
        treatmentId: event.data.treatmentId,
      });
    case 'WaitlistOfferMade': {
      const d = event.data;
      return integrationEvent(`${pkg}.WaitlistOfferMade`, v1.WaitlistOfferMade, {
        entryId: d.entryId,
        offerId: d.offerId,
        providerId: d.slot.providerId,
        start: at(d.slot.start),
        end: at(d.slot.end),
        expiresAt: at(d.expiresAt),
      });
    }
    case 'WaitlistOfferAccepted':
      return integrationEvent(`${pkg}.WaitlistOfferAccepted`, v1.WaitlistOfferAccepted, {
        entryId: event.data.entryId,
        offerId: event.data.offerId,
      });
    case 'WaitlistOfferDeclined':
      return integrationEvent(`${pkg}.WaitlistOfferDeclined`, v1.WaitlistOfferDeclined, {
        entryId: event.data.entryId,
        offerId: event.data.offerId,
      });
    case 'WaitlistOfferExpired':
      return integrationEvent(`${pkg}.WaitlistOfferExpired`, v1.WaitlistOfferExpired, {
        entryId: event.data.entryId,
        offerId: event.data.offerId,
      });
    case 'WaitlistEntryReopened':
      return entryChanged(event.data.entryId, event.type, '', event.data.reasonCode);
    case 'WaitlistEntryFulfilled':
      return entryChanged(event.data.entryId, event.type, event.data.appointmentId);
    case 'WaitlistEntryWithdrawn':
      return entryChanged(event.data.entryId, event.type);
    default: {
      const _exhaustive: never = event;
      throw new Error('Unmapped scheduling event');
    }
  }
}

/** The event store's `toOutbox` for scheduling. */
export const schedulingOutbox = (topicPrefix = '') =>
  createOutboxMapper<SchedulingEvent>({
    service: 'scheduling',
    topicPrefix,
    map: ({ event }) => toIntegrationEvent(event),
  });
