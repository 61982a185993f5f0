import { statSync } from 'node:fs';
import path from 'node:path';
import { ServingStatus } from '@medspa/grpc';
import { describe, expect, it } from 'vitest';
import { checkGrpcHealth } from './run/grpc-health.js';
import { startLocalPlatform } from './run/local-platform.js';

describe('make run (infra/run.ts)', () => {
  it('starts every service, each reports SERVING, the gateway serves the keys, SIGTERM stops all', async () => {
    const platform = await startLocalPlatform();
    const { gatewayUrl: gateway, grpcAddress, demo, data } = platform;
    try {
      const health = await fetch(`${gateway}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      expect([...grpcAddress.keys()]).toEqual(
        expect.arrayContaining(['identity', 'patient-record', 'scheduling', 'audit']),
      );
      for (const [name, address] of grpcAddress) {
        expect(await checkGrpcHealth(address), name).toBe(ServingStatus.SERVING);
      }

      const jwks = await fetch(`${gateway}/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
      const { keys } = (await jwks.json()) as { keys: { kty: string; crv: string; kid: string }[] };
      expect(keys.length).toBeGreaterThan(0);
      expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });

      // The demo clinic: created on the first start, its generated secrets only in 0600 files.
      for (const file of ['demo-clinic.json', 'demo-data.json'])
        expect(statSync(path.join(platform.dataDir, file)).mode & 0o777, file).toBe(0o600);
      expect(demo.password.length).toBeGreaterThanOrEqual(16);
      expect(data.staff.map((s) => s.role).sort()).toEqual(
        ['billing', 'compliance_officer', 'front_desk', 'manager', 'provider', 'provider'].sort(),
      );
      expect(data.providerIds).toHaveLength(2);
      expect(data.treatmentIds).toHaveLength(4);
      expect(data.patientIds).toHaveLength(3);
      const output = platform.output();
      expect(output).toContain(`tenant ${demo.tenantId}`);
      for (const s of data.staff) expect(output).toContain(s.email);
      // Passwords stay in the files, never on the console (which ends up in terminals and CI logs).
      for (const secret of [demo.password, ...data.staff.map((s) => s.password), data.owner.totpSecret])
        expect(output).not.toContain(secret);
    } catch (error) {
      await platform.stop();
      throw error;
    }

    expect(await platform.stop()).toBe(0);
    expect(platform.output()).toContain('Stopped.');
    await expect(fetch(`${gateway}/healthz`)).rejects.toThrow();
    for (const [name, address] of grpcAddress) {
      expect(await checkGrpcHealth(address, 1_000), name).toBeInstanceOf(Error);
    }
  });
});
