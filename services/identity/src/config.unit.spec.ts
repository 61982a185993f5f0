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
      KMS_MODE: 'local',
      KMS_LOCAL_DIR: '.data/kms',
      KMS_KEK_ID: 'identity-kek',
      PLATFORM_ADMIN_SUBJECTS: ['svc:platform'],
    });
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
});
