/**
 * Consent to be contacted, kept per channel because the law treats them apart: TCPA allows
 * transactional texts on prior express consent but marketing texts only on express written
 * consent; email marketing follows CAN-SPAM. One grant never implies another.
 */
export const COMMUNICATION_CHANNELS = ['sms_transactional', 'sms_marketing', 'email'] as const;
export type CommunicationChannel = (typeof COMMUNICATION_CHANNELS)[number];

export const SMS_CHANNELS: readonly CommunicationChannel[] = ['sms_transactional', 'sms_marketing'];

/** Where a grant or revocation came from: part of the proof a regulator asks for. */
export const CONSENT_SOURCES = [
  'intake_form',
  'patient_portal',
  'sms_keyword',
  'email_unsubscribe',
  'staff',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/**
 * Sources the domain itself records: consent attaches to the number or address it was given for,
 * so replacing that number or address revokes it (`contact_changed`).
 */
export type RecordedConsentSource = ConsentSource | 'contact_changed';

/** The current state of one channel. */
export interface ChannelConsent {
  granted: boolean;
  at: string;
  source: RecordedConsentSource;
}

export type CommunicationConsents = Partial<Record<CommunicationChannel, ChannelConsent>>;

export const isSms = (channel: CommunicationChannel): boolean => SMS_CHANNELS.includes(channel);

/** True when a source can speak for a channel: a STOP text cannot unsubscribe an email. */
export function sourceFitsChannel(source: ConsentSource, channel: CommunicationChannel): boolean {
  if (source === 'sms_keyword') return isSms(channel);
  if (source === 'email_unsubscribe') return channel === 'email';
  return true;
}
