import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IdentityServiceClient, Role } from '@medspa/contracts/medspa.identity.v1';
import { BirthSex, Gender, PatientRecordServiceClient } from '@medspa/contracts/medspa.patient_record.v1';
import { SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import { createGrpcClient } from '@medspa/grpc';
import { generate } from 'otplib';
import type { DemoSignIn } from './demo-tenant.js';

/*
 * The demo clinic's data, loaded once through the services' own gRPC APIs (so it is validated,
 * evented and audited like any clinic's): a staff account per role, a location with rooms, a
 * device, two providers with working hours, a treatment menu, and three fictional patients.
 * The owner enrols TOTP here; its secret and remaining recovery codes go into the 0600 file.
 */

export interface DemoStaff {
  role: string;
  email: string;
  password: string;
}

export interface DemoData {
  owner: { totpSecret: string; otpauthUri: string; recoveryCodes: string[] };
  staff: DemoStaff[];
  locationId: string;
  providerIds: string[];
  treatmentIds: string[];
  patientIds: string[];
}

export const demoDataFile = (dataDir: string): string => path.join(dataDir, 'demo-data.json');

const STAFF: { role: Role; name: string }[] = [
  { role: Role.ROLE_MANAGER, name: 'manager' },
  { role: Role.ROLE_PROVIDER, name: 'provider' },
  { role: Role.ROLE_PROVIDER, name: 'provider2' },
  { role: Role.ROLE_FRONT_DESK, name: 'front-desk' },
  { role: Role.ROLE_BILLING, name: 'billing' },
  { role: Role.ROLE_COMPLIANCE_OFFICER, name: 'compliance' },
];

// Obviously fictional people: the demo must never look like (or be) real PHI.
const PATIENTS = [
  { given: 'Ada', family: 'Demo', dob: '1985-04-12', phone: '+12125550101', gender: Gender.GENDER_FEMALE },
  {
    given: 'Grace',
    family: 'Sample',
    dob: '1979-11-30',
    phone: '+12125550102',
    gender: Gender.GENDER_FEMALE,
  },
  { given: 'Alan', family: 'Example', dob: '1990-06-23', phone: '+12125550103', gender: Gender.GENDER_MALE },
];

const weekdays = (start: string, end: string) =>
  [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start, end }));
const usd = (dollars: number) => ({ amountMinor: dollars * 100, currency: 'USD' });
const password = (): string => randomBytes(18).toString('base64url');

/** Seeds the demo clinic once; later starts read the file back. */
export async function ensureDemoData(options: {
  dataDir: string;
  signIn: DemoSignIn;
  addresses: { identity: string; scheduling: string; patientRecord: string };
}): Promise<DemoData & { created: boolean }> {
  const file = demoDataFile(options.dataDir);
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as DemoData), created: false };
  const data = await seed(options.signIn, options.addresses);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  return { ...data, created: true };
}

async function seed(
  signIn: DemoSignIn,
  addresses: { identity: string; scheduling: string; patientRecord: string },
): Promise<DemoData> {
  let token: string | undefined;
  const getToken = () => token;
  const identity = createGrpcClient(IdentityServiceClient, addresses.identity, { getToken });
  const scheduling = createGrpcClient(SchedulingServiceClient, addresses.scheduling, { getToken });
  const patients = createGrpcClient(PatientRecordServiceClient, addresses.patientRecord, { getToken });
  try {
    const owner = await ownerSession(identity, signIn, (t) => (token = t));
    const staff: DemoStaff[] = [];
    const providerUserIds: string[] = [];
    for (const member of STAFF) {
      const email = `${member.name}@demo-clinic.example`;
      const { userId } = await identity.createUser({ email, role: member.role });
      const secret = password();
      await identity.setPassword({ userId, newPassword: secret, currentPassword: '' });
      staff.push({ role: Role[member.role].replace('ROLE_', '').toLowerCase(), email, password: secret });
      if (member.role === Role.ROLE_PROVIDER) providerUserIds.push(userId);
    }

    const { locationId } = await scheduling.registerLocation({
      locationId: '',
      name: 'Demo Clinic Midtown',
      timeZone: 'America/New_York',
      openingHours: weekdays('08:00', '20:00'),
    });
    await scheduling.addRoom({
      roomId: '',
      locationId,
      name: 'Treatment room 1',
      roomType: 'treatment_room',
    });
    await scheduling.addRoom({ roomId: '', locationId, name: 'Laser suite', roomType: 'laser_suite' });
    await scheduling.addDevice({ deviceId: '', locationId, name: 'IPL #1', deviceType: 'ipl' });
    const providerIds: string[] = [];
    for (const userId of providerUserIds) {
      const { providerId } = await scheduling.onboardProvider({
        providerId: userId,
        roles: ['registered_nurse'],
        qualifications: ['injector', 'laser_level_2'],
        calendarTimeZone: 'America/New_York',
      });
      await scheduling.setWorkingHours({
        providerId,
        locationId,
        hours: weekdays('09:00', '18:00'),
        breaks: weekdays('13:00', '13:30'),
      });
      providerIds.push(providerId);
    }
    const treatment = {
      treatmentId: '',
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      eligibleRoles: [],
      deviceType: '',
      deposit: undefined,
      minimumLeadTimeMinutes: 60,
    };
    const treatmentIds = await Promise.all(
      [
        { name: 'Consultation', durationMinutes: 30, requiredQualification: '', roomType: '', price: usd(0) },
        {
          name: 'Neurotoxin (forehead, glabella)',
          durationMinutes: 30,
          requiredQualification: 'injector',
          roomType: 'treatment_room',
          price: usd(450),
        },
        {
          name: 'Dermal filler (lips)',
          durationMinutes: 60,
          requiredQualification: 'injector',
          roomType: 'treatment_room',
          price: usd(750),
          deposit: usd(150),
        },
        {
          name: 'IPL photofacial',
          durationMinutes: 45,
          requiredQualification: 'laser_level_2',
          roomType: 'laser_suite',
          deviceType: 'ipl',
          price: usd(350),
        },
      ].map(async (t) => (await scheduling.addTreatment({ ...treatment, ...t })).treatmentId),
    );

    const patientIds: string[] = [];
    for (const p of PATIENTS) {
      const { patientId } = await patients.registerPatient({
        demographics: {
          name: { given: [p.given], family: p.family, prefix: [], suffix: [], preferred: '' },
          dateOfBirth: p.dob,
          gender: p.gender,
          birthSex: BirthSex.BIRTH_SEX_UNSPECIFIED,
        },
        contact: {
          phone: p.phone,
          email: `${p.given.toLowerCase()}.${p.family.toLowerCase()}@patients.demo-clinic.example`,
          address: undefined,
        },
      });
      patientIds.push(patientId);
    }
    return { owner, staff, locationId, providerIds, treatmentIds, patientIds };
  } finally {
    identity.close();
    scheduling.close();
    patients.close();
  }
}

/**
 * The owner's first sign-in: staff without MFA get an enrolment-only token, enrol TOTP with it,
 * then sign in again and answer the challenge with a recovery code (a TOTP code could be the one
 * just used to confirm, which identity refuses as a replay).
 */
async function ownerSession(
  identity: ReturnType<typeof createGrpcClient<typeof IdentityServiceClient.service>>,
  signIn: DemoSignIn,
  useToken: (token: string) => void,
): Promise<DemoData['owner']> {
  const credentials = { tenantId: signIn.tenantId, email: signIn.email, password: signIn.password };
  const first = await identity.signIn(credentials);
  if (first.result?.$case !== 'enrolmentRequired')
    throw new Error('the demo owner was expected to need MFA enrolment on first sign-in');
  useToken(first.result.value.enrolmentToken);
  const { secret, otpauthUri } = await identity.startTotpEnrolment({});
  const { recoveryCodes } = await identity.confirmTotpEnrolment({ code: await generate({ secret }) });
  const second = await identity.signIn(credentials);
  if (second.result?.$case !== 'mfaRequired')
    throw new Error('the demo owner was expected to get an MFA challenge');
  const [recoveryCode, ...rest] = recoveryCodes;
  if (recoveryCode === undefined) throw new Error('identity returned no recovery codes');
  const { tokens } = await identity.verifyMfa({
    tenantId: signIn.tenantId,
    challengeToken: second.result.value.challengeToken,
    secondFactor: { $case: 'recoveryCode', value: recoveryCode },
  });
  if (tokens === undefined) throw new Error('identity returned no session after MFA');
  useToken(tokens.accessToken);
  return { totpSecret: secret, otpauthUri, recoveryCodes: rest };
}
