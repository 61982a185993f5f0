import { PERMISSIONS } from '@medspa/auth';
import { describe, expect, it } from 'vitest';
import { rest } from '../testing/rest.js';
import { unitGateway } from '../testing/unit-gateway.js';
import { ROUTES } from './index.js';

describe('the route table', () => {
  it('has one entry per operation id and per method and path, each with a known permission', () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of ROUTES) {
      if (r.access.kind !== 'permission') continue;
      expect(r.access.permissions.length, r.operationId).toBeGreaterThan(0);
      for (const p of r.access.permissions) expect(Object.keys(PERMISSIONS), r.operationId).toContain(p);
    }
  });

  it('keeps PHI out of URLs: patient search is a POST body', () => {
    const search = ROUTES.find((r) => r.operationId === 'searchPatients');
    expect(search?.method).toBe('POST');
    for (const r of ROUTES.filter((x) => x.query !== undefined)) {
      expect(Object.keys(r.query!.shape), r.operationId).not.toEqual(
        expect.arrayContaining(['namePrefix', 'phone', 'dateOfBirth', 'email']),
      );
    }
  });
});

describe('GET /openapi.json', () => {
  it('documents every route of the table from the same zod schemas, with bearer security and problems', async () => {
    const g = await unitGateway();
    const res = await rest(g.app, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    const spec = res.body as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            security?: unknown[];
            responses: Record<string, unknown>;
            requestBody?: unknown;
          }
        >
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(ROUTES.map((r) => r.operationId).sort());
    for (const r of ROUTES) {
      const openApiPath = r.path.replace(/:(\w+)/g, '{$1}');
      const op = spec.paths[openApiPath]?.[r.method.toLowerCase()];
      expect(op, r.operationId).toBeDefined();
      expect(op!.security === undefined, r.operationId).toBe(r.access.kind === 'public');
      expect(Object.keys(op!.responses), r.operationId).toEqual(
        expect.arrayContaining([String(r.status ?? 200), '429', '4XX', '5XX']),
      );
      if (r.body !== undefined) expect(op!.requestBody, r.operationId).toBeDefined();
    }
    const book = spec.paths['/v1/appointments']!.post!;
    expect(JSON.stringify(book.requestBody)).toContain('"format":"uuid"');
    expect(JSON.stringify(spec.paths['/v1/audit/disclosures.csv']!.get!.responses['200'])).toContain(
      'text/csv',
    );
  });

  it('serves a docs page that loads the spec from this server only', async () => {
    const g = await unitGateway();
    const page = await g.app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script src="/docs/docs.js"></script>');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const script = await g.app.inject({ url: '/docs/docs.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain("fetch('/openapi.json')");
  });
});

describe('README', () => {
  it('lists the current route table (regenerate with replaceRouteTable when this fails)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { replaceRouteTable } = await import('./summary.js');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(replaceRouteTable(readme, ROUTES)).toBe(readme);
  });
});
