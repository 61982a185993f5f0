/* eslint-disable @typescript-eslint/no-unsafe-member-access -- test code walks parsed JSON bodies; a wrong path fails the assertion */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testing/platform.js';
import { rest } from './testing/rest.js';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => p?.close());

describe('patients, charting and audit through REST', () => {
  it('registers a patient, charts and signs an encounter, and shows each role only its sections', async () => {
    const tenantId = randomUUID();
    const owner = await p.token({ tenantId, role: 'owner' });
    const registered = await rest(p.gateway, 'POST', '/v1/patients', {
      token: owner,
      body: {
        demographics: {
          name: { given: ['Mina'], family: 'Haddad' },
          dateOfBirth: '1979-11-02',
          gender: 'GENDER_FEMALE',
        },
        contact: { phone: '+12125550142', email: 'mina@patient.example' },
      },
    });
    expect(registered.status).toBe(201);
    const patientId = registered.body.patientId as string;

    const billing = await p.token({ tenantId, role: 'billing' });
    const seenByBilling = await rest(p.gateway, 'GET', `/v1/patients/${patientId}`, { token: billing });
    expect(seenByBilling.status).toBe(200);
    expect(seenByBilling.body.patient.demographics.name.family).toBe('Haddad');
    expect(seenByBilling.text).not.toContain('mina@patient.example'); // no contact details for billing
    const seenByOwner = await rest(p.gateway, 'GET', `/v1/patients/${patientId}`, { token: owner });
    expect(seenByOwner.body.patient).toMatchObject({ email: 'mina@patient.example', contactIncluded: true });

    const providerId = randomUUID();
    const provider = await p.token({ tenantId, role: 'provider', userId: providerId });
    const opened = await rest(p.gateway, 'POST', '/v1/encounters', {
      token: provider,
      body: { patientId, locationId: randomUUID(), timeZone: 'America/New_York', serviceName: 'Neurotoxin' },
    });
    expect(opened.status).toBe(201);
    const encounterId = opened.body.encounterId as string;
    const note = await rest(p.gateway, 'POST', `/v1/encounters/${encounterId}/notes`, {
      token: provider,
      body: { text: 'Glabellar lines, 20 units.' },
    });
    expect(note.status).toBe(201);
    expect(
      (await rest(p.gateway, 'POST', `/v1/encounters/${encounterId}/sign`, { token: provider })).status,
    ).toBe(200);
    const locked = await rest(p.gateway, 'POST', `/v1/encounters/${encounterId}/notes`, {
      token: provider,
      body: { text: 'Too late.' },
    });
    expect([409, 422]).toContain(locked.status);
    const chart = await rest(p.gateway, 'GET', `/v1/encounters/${encounterId}`, { token: provider });
    expect(chart.body.encounter).toMatchObject({
      status: 'ENCOUNTER_STATUS_SIGNED',
      notes: [{ text: 'Glabellar lines, 20 units.' }],
    });
    // Front desk never reads chart notes: refused at the edge.
    const desk = await p.token({ tenantId, role: 'front_desk' });
    expect((await rest(p.gateway, 'GET', `/v1/encounters/${encounterId}`, { token: desk })).status).toBe(403);

    // The patient's right of access: their own record as a FHIR Bundle.
    const patient = await p.token({ tenantId, role: 'patient', userId: patientId });
    const fhir = await p.gateway.inject({
      url: `/v1/patients/${patientId}/fhir`,
      headers: { authorization: `Bearer ${patient}` },
    });
    expect(fhir.statusCode).toBe(200);
    expect(fhir.headers['content-type']).toContain('application/fhir+json');
    expect(fhir.json()).toMatchObject({ resourceType: 'Bundle' });
  });

  it('gives the compliance officer entries, disclosures as JSON and CSV, verification and a signed export', async () => {
    const tenantId = randomUUID();
    const officer = await p.token({ tenantId, role: 'compliance_officer' });
    const subjectId = randomUUID();
    const period = `subjectId=${subjectId}&from=2024-01-01T00:00:00Z&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const entries = await rest(p.gateway, 'GET', `/v1/audit/entries?subjectId=${subjectId}&pageSize=10`, {
      token: officer,
    });
    expect(entries.status).toBe(200);
    const disclosures = await rest(p.gateway, 'GET', `/v1/audit/disclosures?${period}`, { token: officer });
    expect(disclosures.status).toBe(200);
    const csv = await p.gateway.inject({
      url: `/v1/audit/disclosures.csv?${period}`,
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('disclosures.csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'occurredAt,recipientId,recipientRole,resourceType,resourceId,action,purpose,breakGlass,messageId,sourceTopic',
    );
    const verified = await rest(p.gateway, 'POST', '/v1/audit/verify', {
      token: officer,
      body: { checkColumns: true },
    });
    expect(verified.status).toBe(200);
    expect(verified.body.intact).toBe(true);

    // The officer's own queries are in the log: the export holds them and ends with the signed manifest.
    const exported = await p.gateway.inject({
      url: '/v1/audit/export',
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('application/x-ndjson');
    const lines = exported.body.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();

    // Front desk may not even query the log.
    const desk = await p.token({ tenantId, role: 'front_desk' });
    expect((await rest(p.gateway, 'GET', '/v1/audit/entries', { token: desk })).status).toBe(403);
    const invalid = await rest(p.gateway, 'GET', '/v1/audit/disclosures?subjectId=x', { token: officer });
    expect(invalid.status).toBe(400);
  });
});
