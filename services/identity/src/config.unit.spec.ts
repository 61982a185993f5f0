import { describe, expect, it } from 'vitest';
import { ConfigError } from '@medspa/config';
import { loadIdentityConfig } from './config.js';

const DATABASE_URL = 'postgres://identity_app:pw@127.0.0.1:5432/medspa';

describe('identity config', () => {
  it('defaults to the embedded setup: local KMS, svc:platform as the only platform admin', () => {
    const config = loadIdentityConfig({ DATABASE_URL });
    expect(config).toMatchObject({
      SERVICE_NAME: 'identity',
      GRPC_PORT: 50051,
      KMS_PROVIDER: 'local',
      KMS_LOCAL_DIR: '.data/kms',
      KMS_KEK_ID: 'identity-kek',
      PLATFORM_ADMIN_SUBJECTS: ['svc:platform'],
    });
    expect(config.ARGON2_LANES).toBeUndefined();
  });

  it("takes the argon2 lane count a container's CPU limit calls for, and refuses nonsense", () => {
    expect(loadIdentityConfig({ DATABASE_URL, ARGON2_LANES: '2' }).ARGON2_LANES).toBe(2);
    expect(() => loadIdentityConfig({ DATABASE_URL, ARGON2_LANES: '0' })).toThrow(ConfigError);
  });

  it('lists every problem at once', () => {
    let thrown: unknown;
    try {
      loadIdentityConfig({ IDENTITY_ISSUER: 'not a url', PLATFORM_ADMIN_SUBJECTS: 'alice' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const keys = (thrown as ConfigError).problems.map((p) => p.key.split('.')[0]);
    expect(keys).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'IDENTITY_ISSUER', 'PLATFORM_ADMIN_SUBJECTS']),
    );
  });

  describe('KMS', () => {
    const aws = {
      DATABASE_URL,
      KMS_PROVIDER: 'aws',
      AWS_KMS_KEY_ID: 'alias/identity-kek',
      AWS_REGION: 'us-east-1',
    };

    it('takes AWS KMS with the same keys as patient-record (the chart sets one set of names)', () => {
      expect(loadIdentityConfig({ ...aws, AWS_KMS_ENDPOINT: 'http://127.0.0.1:4599' })).toMatchObject({
        KMS_PROVIDER: 'aws',
        AWS_KMS_KEY_ID: 'alias/identity-kek',
        AWS_REGION: 'us-east-1',
        AWS_KMS_ENDPOINT: 'http://127.0.0.1:4599',
      });
      const arn = 'arn:aws:kms:us-east-1:123456789012:alias/medspa';
      expect(loadIdentityConfig({ ...aws, AWS_KMS_KEY_ID: arn }).AWS_KMS_KEY_ID).toBe(arn);
    });

    it('needs the key id and the region with KMS_PROVIDER=aws, and refuses a malformed key id', () => {
      expect(problemKeys({ DATABASE_URL, KMS_PROVIDER: 'aws' })).toEqual(['AWS_KMS_KEY_ID', 'AWS_REGION']);
      expect(problemKeys({ ...aws, AWS_KMS_KEY_ID: 'my key' })).toEqual(['AWS_KMS_KEY_ID']);
      expect(problemKeys({ ...aws, KMS_PROVIDER: 'vault' })).toEqual(['KMS_PROVIDER']);
    });

    it('refuses the old KMS_MODE name rather than silently falling back to local key files', () => {
      expect(problemKeys({ DATABASE_URL, KMS_MODE: 'aws' })).toEqual(['KMS_MODE']);
      expect(() => loadIdentityConfig({ ...aws, KMS_MODE: 'aws' })).toThrow(
        /KMS_MODE: was renamed KMS_PROVIDER/,
      );
    });
  });
});

/** The keys a ConfigError names, or [] when the configuration loads. */
function problemKeys(env: Record<string, string>): string[] {
  try {
    loadIdentityConfig(env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => p.key).sort();
  }
}
