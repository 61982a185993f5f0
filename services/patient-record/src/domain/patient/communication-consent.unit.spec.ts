import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { ids } from '../test-fixtures/ids.js';
import { registered, smsConsents } from '../test-fixtures/patient.js';
import { patientDecider } from './decide.js';

const spec = deciderSpec(patientDecider);
const patientId = ids.patient;
const at = ids.at(12);

describe('Patient: communication consent, per channel', () => {
  it('grants each channel on its own, with its source and time', () => {
    spec
      .given([registered])
      .when({ type: 'GrantCommunicationConsent', channel: 'email', source: 'patient_portal', at })
      .then([
        {
          type: 'CommunicationConsentGranted',
          data: { patientId, channel: 'email', source: 'patient_portal', at },
        },
      ]);
  });

  it('does nothing when the channel is already granted', () => {
    spec
      .given([registered, ...smsConsents])
      .when({ type: 'GrantCommunicationConsent', channel: 'sms_marketing', source: 'staff', at })
      .thenNothingHappens();
  });

  it('needs a phone on file for SMS and an email for email', () => {
    const noContact = { ...registered, data: { ...registered.data, phone: undefined, email: undefined } };
    spec
      .given([noContact])
      .when({ type: 'GrantCommunicationConsent', channel: 'sms_transactional', source: 'staff', at })
      .thenThrows('NO_PHONE_ON_FILE');
    spec
      .given([noContact])
      .when({ type: 'GrantCommunicationConsent', channel: 'email', source: 'staff', at })
      .thenThrows('NO_EMAIL_ON_FILE');
  });

  it('refuses a source that cannot speak for the channel', () => {
    spec
      .given([registered])
      .when({ type: 'GrantCommunicationConsent', channel: 'email', source: 'sms_keyword', at })
      .thenThrows('INVALID_CONSENT_SOURCE');
  });

  it('STOP revokes both SMS consents at once and leaves email alone', () => {
    const email = {
      type: 'CommunicationConsentGranted' as const,
      data: { patientId, channel: 'email' as const, source: 'intake_form' as const, at: ids.at(9) },
    };
    spec
      .given([registered, ...smsConsents, email])
      .when({ type: 'ReceiveSmsKeyword', keyword: 'STOP', at })
      .then([
        {
          type: 'CommunicationConsentRevoked',
          data: { patientId, channel: 'sms_transactional', source: 'sms_keyword', at },
        },
        {
          type: 'CommunicationConsentRevoked',
          data: { patientId, channel: 'sms_marketing', source: 'sms_keyword', at },
        },
      ]);
  });

  it('START restores transactional texts only, never marketing', () => {
    const stopped = smsConsents.map((e) => ({
      type: 'CommunicationConsentRevoked' as const,
      data: { ...e.data, source: 'sms_keyword' as const },
    }));
    spec
      .given([registered, ...smsConsents, ...stopped])
      .when({ type: 'ReceiveSmsKeyword', keyword: 'START', at })
      .then([
        {
          type: 'CommunicationConsentGranted',
          data: { patientId, channel: 'sms_transactional', source: 'sms_keyword', at },
        },
      ]);
  });

  it('revokes only what is granted', () => {
    spec
      .given([registered])
      .when({ type: 'RevokeCommunicationConsent', channel: 'sms_marketing', source: 'staff', at })
      .thenNothingHappens();
  });

  it('a new phone number revokes the SMS consents given for the old one', () => {
    const { phone: _old, email, address } = registered.data;
    spec
      .given([registered, ...smsConsents])
      .when({ type: 'ChangeContactDetails', contact: { phone: '+14155550199', email, address }, at })
      .then([
        {
          type: 'PatientContactDetailsChanged',
          data: { patientId, phone: '+14155550199', email, address, at },
        },
        {
          type: 'CommunicationConsentRevoked',
          data: { patientId, channel: 'sms_transactional', source: 'contact_changed', at },
        },
        {
          type: 'CommunicationConsentRevoked',
          data: { patientId, channel: 'sms_marketing', source: 'contact_changed', at },
        },
      ]);
  });

  it('refuses malformed contact details on change', () => {
    spec
      .given([registered])
      .when({ type: 'ChangeContactDetails', contact: { phone: '555-0123' }, at })
      .thenThrows('INVALID_PHONE');
  });
});
