// Shared by the audit service's int specs: one service per spec file, seeded with the same traffic.
import { randomUUID } from 'node:crypto';
import { createTokenVerifier } from '@medspa/auth';
import { AuditServiceClient, type AuditServiceService } from '@medspa/contracts/medspa.audit.v1';
import { createGrpcClient, type PromiseClient } from '@medspa/grpc';
import { type PhiAccess } from '@medspa/messaging';
import { createTestIssuer, type TestIssuer } from '@medspa/testing';
import { startService, type RunningAuditService } from '../service.js';
import { createAuditTestDatabase, type AuditTestDatabase } from './audit-database.js';
import { createProducer, metadataFor, type Producer } from './producers.js';
import { testAuditConfig } from './service-config.js';
import { waitUntil } from './wait.js';

export type Client = PromiseClient<typeof AuditServiceService>;

export let db: AuditTestDatabase;
export let issuer: TestIssuer;
export let feed: Producer;
export let service: RunningAuditService;
export let keyFile: string;
export const tenant = randomUUID();
export const otherTenant = randomUUID();
export const patient = randomUUID();
export const otherPatient = randomUUID();
export const provider = { id: randomUUID(), role: 'provider' };
export const frontDesk = { id: randomUUID(), role: 'front_desk' };
export const clients: Record<'officer' | 'owner' | 'frontDesk' | 'stranger', Client> = {} as never;
export const officerId = randomUUID();
export const tokens: Record<'officer' | 'frontDesk', string> = { officer: '', frontDesk: '' };
export const seeded: string[] = [];

export const access = (over: Partial<PhiAccess>): PhiAccess => ({
  subjectId: patient,
  resourceType: 'encounter',
  resourceId: randomUUID(),
  action: 'read',
  purpose: 'treatment',
  outcome: { allowed: true },
  requestId: randomUUID(),
  ...over,
});

export const count = async (sql: string, values: unknown[] = []) =>
  Number((await db.appPool.query<{ n: string }>(sql, values)).rows[0]?.n);

/** Starts the service on a fresh database and seeds a clinic's morning of audit traffic. */
export async function setUpSeededAuditService(): Promise<void> {
  db = await createAuditTestDatabase();
  issuer = await createTestIssuer();
  feed = await createProducer(db.adminUrl, 'audit-feed');
  const config = testAuditConfig({ appUrl: db.appUrl, sources: ['audit-feed'], issuer: issuer.issuer });
  keyFile = config.AUDIT_SIGNING_KEY_FILE;
  service = await startService(config, {
    verifier: createTokenVerifier(issuer.verifierOptions()),
    address: '127.0.0.1:0',
    pollIntervalMs: 50,
  });
  const client = async (
    role: 'compliance_officer' | 'owner' | 'front_desk',
    tenantId = tenant,
    userId = randomUUID(),
  ) => {
    const token = await issuer.sign({ tenantId, role, userId });
    return createGrpcClient(AuditServiceClient, `127.0.0.1:${service.port}`, { getToken: () => token });
  };
  clients.officer = await client('compliance_officer', tenant, officerId);
  tokens.officer = await issuer.sign({ tenantId: tenant, role: 'compliance_officer', userId: officerId });
  tokens.frontDesk = await issuer.sign({ tenantId: tenant, role: 'front_desk' });
  clients.owner = await client('owner');
  clients.frontDesk = await client('front_desk');
  clients.stranger = await client('compliance_officer', otherTenant);

  // A clinic's morning: 12 reads, 3 disclosures, 1 export, 1 denied attempt about one patient;
  // 4 reads about another; 5 state changes; 3 entries of another clinic.
  const meta = metadataFor(tenant, provider);
  await feed.access(
    meta,
    Array.from({ length: 12 }, () => access({})),
  );
  await feed.access(metadataFor(tenant, provider), [
    access({ action: 'disclose', purpose: 'treatment', resourceType: 'transcript' }),
    access({ action: 'disclose', purpose: 'operations', resourceType: 'chart_note' }),
    access({ action: 'export', purpose: 'patient_request', resourceType: 'patient' }),
    access({ action: 'print', purpose: 'payment', resourceType: 'invoice' }),
  ]);
  await feed.access(metadataFor(tenant, frontDesk), [
    access({ outcome: { allowed: false, reason: 'ROLE_NOT_PERMITTED' } }),
    access({ action: 'disclose', outcome: { allowed: false, reason: 'ROLE_NOT_PERMITTED' } }),
  ]);
  await feed.access(
    metadataFor(tenant, provider),
    Array.from({ length: 4 }, () => access({ subjectId: otherPatient })),
  );
  for (let i = 0; i < 5; i++) seeded.push(await feed.event(metadataFor(tenant, provider), patient));
  await feed.access(
    metadataFor(otherTenant),
    Array.from({ length: 3 }, () => access({})),
  );
  await waitUntil(
    'the seeded messages to be ingested',
    async () => (await count('SELECT count(*) n FROM audit.entries')) >= 30,
  );
}

export async function tearDownSeededAuditService(): Promise<void> {
  for (const c of Object.values(clients)) c.close();
  await service?.stop();
  await feed?.pool.end();
  await db?.drop();
}
