import { connect } from 'node:http2';
import { describe, expect, it } from 'vitest';
import { makeCanaries } from './canary.js';
import { recordOutboundRequests } from './outbound-requests.js';

describe('recordOutboundRequests', () => {
  it('records requests and finds a canary sent in a body', async () => {
    const patient = makeCanaries();
    const recorder = await recordOutboundRequests();
    try {
      const response = await fetch(`${recorder.url}/2010-04-01/Accounts/AC1/Messages.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: patient.phone, Body: 'Your appointment is confirmed' }),
      });
      expect(response.status).toBe(200);
      expect(recorder.requests).toMatchObject([
        { method: 'POST', path: '/2010-04-01/Accounts/AC1/Messages.json' },
      ]);
      expect(recorder.findCanaries(patient)).toEqual([
        {
          location: 'http#0 POST /2010-04-01/Accounts/AC1/Messages.json body',
          canary: 'phone',
          needle: patient.phone.slice(2),
        },
      ]);
    } finally {
      await recorder.close();
    }
  });

  it('answers with the stub response and reports nothing for clean traffic', async () => {
    const recorder = await recordOutboundRequests({ respond: () => ({ status: 202, body: 'queued' }) });
    try {
      const response = await fetch(`${recorder.url}/v1/messages`, {
        method: 'POST',
        body: '{"template":"reminder"}',
      });
      expect([response.status, await response.text()]).toEqual([202, 'queued']);
      expect(recorder.findCanaries(makeCanaries())).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  it('speaks cleartext HTTP/2 for SDKs whose default handler does', async () => {
    const patient = makeCanaries();
    const recorder = await recordOutboundRequests({ protocol: 'h2c' });
    try {
      const session = connect(recorder.url);
      const request = session.request({
        ':method': 'POST',
        ':path': '/model/invoke',
        'x-note': patient.note,
      });
      request.end('{}');
      const status = await new Promise((resolve) =>
        request.on('response', (headers) => resolve(headers[':status'])),
      );
      request.resume();
      await new Promise((resolve) => request.on('end', resolve));
      session.close();
      expect(status).toBe(200);
      expect(recorder.findCanaries(patient).map((hit) => hit.canary)).toEqual(['note']);
    } finally {
      await recorder.close();
    }
  });
});
