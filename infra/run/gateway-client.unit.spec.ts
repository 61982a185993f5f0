import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './gateway-client.js';

let server: Server;
let gateway: string;
const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/v1/missing') {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 404, code: 'SLOT_TAKEN' }));
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: body === '' ? null : (JSON.parse(body) as unknown) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('gateway calls of the load generator and e2e tests', () => {
  it('send JSON with the token and return the JSON answer of any 2xx', async () => {
    const reply = await call<{ echoed: unknown }>(gateway, 'POST', '/v1/things?x=1', {
      token: 't0k3n',
      body: { name: 'Glow' },
    });
    expect(reply).toEqual({ echoed: { name: 'Glow' } });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/v1/things?x=1',
      headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' },
    });
    await call(gateway, 'GET', '/v1/things');
    expect(seen.at(-1)?.headers).not.toHaveProperty('content-type');
  });

  it('fail with the status and the problem body (its code) on anything else', async () => {
    await expect(call(gateway, 'GET', '/v1/missing')).rejects.toThrow(
      /GET \/v1\/missing → 404: .*SLOT_TAKEN/,
    );
  });
});
