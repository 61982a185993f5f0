import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  UpdateAliasCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { AppError, errors } from '@medspa/errors';
import type { Kms } from './kms.js';

const DESCRIPTION = 'medspa key-encryption key (wraps tenant keys)';

/**
 * The cluster KMS port on AWS KMS. The caller builds the KMSClient (region, credentials, endpoint).
 * `keyRef` is the key ARN that Encrypt reports; unwrapping names it, so it keeps working after an
 * alias moves. AWS automatic rotation keeps the ARN and needs no re-wrap; `rotateKey` is for moving
 * an alias to a brand-new key (e.g. on suspected compromise), after which `rotateKek` re-wraps.
 */
export function createAwsKms(client: KMSClient): Kms {
  return {
    async wrap(keyId, plaintext, context) {
      const out = await call(() =>
        client.send(
          new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { ...context } }),
        ),
      );
      if (out.CiphertextBlob === undefined || out.KeyId === undefined) throw unexpected();
      return { keyRef: out.KeyId, ciphertext: Buffer.from(out.CiphertextBlob) };
    },
    async unwrap(keyRef, ciphertext, context) {
      const out = await call(() =>
        client.send(
          new DecryptCommand({
            KeyId: keyRef,
            CiphertextBlob: ciphertext,
            EncryptionContext: { ...context },
          }),
        ),
      );
      if (out.Plaintext === undefined) throw unexpected();
      const plaintext = Buffer.from(out.Plaintext);
      out.Plaintext.fill(0);
      return plaintext;
    },
    async currentKeyRef(keyId) {
      const out = await call(() => client.send(new DescribeKeyCommand({ KeyId: keyId })));
      if (out.KeyMetadata?.Arn === undefined) throw unexpected();
      return out.KeyMetadata.Arn;
    },
    async rotateKey(keyId) {
      if (!keyId.startsWith('alias/')) {
        throw errors.precondition(
          'KMS_ROTATION_UNSUPPORTED',
          'Only a KEK named by an alias can be moved to a new key',
        );
      }
      const arn = await createKey(client);
      await call(() => client.send(new UpdateAliasCommand({ AliasName: keyId, TargetKeyId: arn })));
      return arn;
    },
  };
}

/** Creates a symmetric KEK behind `alias` unless the alias exists; returns the key ARN (bootstrap, tests). */
export async function ensureAwsKek(client: KMSClient, alias: string): Promise<string> {
  try {
    const out = await client.send(new DescribeKeyCommand({ KeyId: alias }));
    if (out.KeyMetadata?.Arn !== undefined) return out.KeyMetadata.Arn;
  } catch (e) {
    if ((e as { name?: string }).name !== 'NotFoundException') throw kmsError(e);
  }
  const arn = await createKey(client);
  await call(() => client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: arn })));
  return arn;
}

async function createKey(client: KMSClient): Promise<string> {
  const out = await call(() =>
    client.send(
      new CreateKeyCommand({
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Description: DESCRIPTION,
      }),
    ),
  );
  if (out.KeyMetadata?.Arn === undefined) throw unexpected();
  return out.KeyMetadata.Arn;
}

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    throw kmsError(e);
  }
}

const unexpected = (): AppError =>
  errors.unavailable('KMS_UNAVAILABLE', 'AWS KMS returned an incomplete response');

/** AWS errors into the taxonomy; the SDK message is kept only as the cause, never shown to callers. */
function kmsError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const name = (e as { name?: string }).name ?? '';
  const cause = { cause: e };
  switch (name) {
    case 'InvalidCiphertextException':
    case 'IncorrectKeyException':
      return errors.internal('KEY_UNWRAP_FAILED', 'AWS KMS refused to unwrap the key', cause);
    case 'NotFoundException':
      return errors.precondition('KMS_KEY_NOT_FOUND', 'The AWS KMS key does not exist', cause);
    case 'DisabledException':
    case 'KMSInvalidStateException':
      return errors.precondition(
        'KMS_KEY_DISABLED',
        'The AWS KMS key is disabled or pending deletion',
        cause,
      );
    case 'AccessDeniedException':
      // The service's IAM setup is wrong, not the end user's rights: internal, not forbidden.
      return errors.internal('KMS_ACCESS_DENIED', 'This service may not use the AWS KMS key', cause);
    default:
      return errors.unavailable('KMS_UNAVAILABLE', 'AWS KMS could not be reached', cause);
  }
}
