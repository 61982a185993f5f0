import { errors } from '@medspa/errors';
import { refuse } from '../shared/violations.js';
import {
  COMMUNICATION_CHANNELS,
  CONSENT_SOURCES,
  isSms,
  SMS_CHANNELS,
  sourceFitsChannel,
  type CommunicationChannel,
  type ConsentSource,
  type RecordedConsentSource,
} from './communication-consent.js';
import type { ContactDetails } from './contact.js';
import type { CommunicationConsentGranted, CommunicationConsentRevoked, Patient } from './patient.js';

type ConsentEvent = CommunicationConsentGranted | CommunicationConsentRevoked;

const isGranted = (p: Patient, channel: CommunicationChannel) => p.consents[channel]?.granted === true;

const consentEvent = (
  type: ConsentEvent['type'],
  p: Patient,
  channel: CommunicationChannel,
  source: RecordedConsentSource,
  at: string,
): ConsentEvent => ({ type, data: { patientId: p.patientId, channel, source, at } });

export function checkChannelAndSource(channel: CommunicationChannel, source: ConsentSource): void {
  if (!COMMUNICATION_CHANNELS.includes(channel)) {
    refuse('INVALID_CHANNEL', 'channel', `must be one of ${COMMUNICATION_CHANNELS.join(', ')}`);
  }
  if (!CONSENT_SOURCES.includes(source) || !sourceFitsChannel(source, channel)) {
    refuse('INVALID_CONSENT_SOURCE', 'source', 'cannot grant or revoke consent on this channel');
  }
}

/** A grant needs somewhere to send to; granting what is granted changes nothing. */
export function grant(
  p: Patient,
  channel: CommunicationChannel,
  source: ConsentSource,
  at: string,
): ConsentEvent[] {
  if (isSms(channel) && p.contact.phone === undefined) {
    throw errors.precondition('NO_PHONE_ON_FILE', 'SMS consent needs a mobile phone number on file');
  }
  if (channel === 'email' && p.contact.email === undefined) {
    throw errors.precondition('NO_EMAIL_ON_FILE', 'Email consent needs an email address on file');
  }
  return isGranted(p, channel) ? [] : [consentEvent('CommunicationConsentGranted', p, channel, source, at)];
}

export function revoke(p: Patient, channel: CommunicationChannel, source: RecordedConsentSource, at: string) {
  return isGranted(p, channel) ? [consentEvent('CommunicationConsentRevoked', p, channel, source, at)] : [];
}

/**
 * STOP revokes every SMS consent at once (TCPA: honoured on receipt, whatever the wording of the
 * original grant). START restores transactional texts only: marketing needs express written
 * consent, which a keyword sent to unblock reminders is not.
 */
export function smsKeyword(p: Patient, keyword: 'STOP' | 'START', at: string): ConsentEvent[] {
  switch (keyword) {
    case 'STOP':
      return SMS_CHANNELS.flatMap((channel) => revoke(p, channel, 'sms_keyword', at));
    case 'START':
      return grant(p, 'sms_transactional', 'sms_keyword', at);
    default: {
      const _exhaustive: never = keyword;
      return refuse('INVALID_SMS_KEYWORD', 'keyword', 'must be STOP or START');
    }
  }
}

/**
 * Consent attaches to the number or address it was given for (a recycled number belongs to
 * someone else), so replacing or removing one revokes the consents that rode on it.
 */
export function revokeForChangedContact(p: Patient, next: ContactDetails, at: string): ConsentEvent[] {
  const phoneChanged = next.phone !== p.contact.phone;
  const emailChanged = next.email !== p.contact.email;
  return COMMUNICATION_CHANNELS.filter((c) => (isSms(c) ? phoneChanged : emailChanged)).flatMap((c) =>
    revoke(p, c, 'contact_changed', at),
  );
}
