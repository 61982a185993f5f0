import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '@medspa/errors';
import { ed25519KeyId, signWithKey, type CheckpointSigner } from './checkpoint-signer.js';

export interface LocalFileSignerOptions {
  /** PKCS#8 PEM file of the Ed25519 private key, e.g. `.data/audit/checkpoint-key.pem` (mode 0600). */
  file: string;
  /** Create the key on first use (the embedded default); otherwise a missing file is an error. */
  autoCreate?: boolean;
}

export interface LocalFileSigner extends CheckpointSigner {
  /** The public half as SPKI PEM: hand it to verifiers (they must not read it from the database). */
  publicKeyPem(): Promise<string>;
}

/**
 * The embedded-mode signer: one Ed25519 key in a PEM file. Whoever can read the file can forge
 * checkpoints, so it belongs outside the database's host and backups, like the local KMS key files.
 * Rotation is a new file; verifiers keep trusting the old public key for the checkpoints it signed.
 */
export function createLocalFileSigner(options: LocalFileSignerOptions): LocalFileSigner {
  const file = path.resolve(options.file);
  let loaded: Promise<{ privateKey: KeyObject; publicKey: KeyObject; keyId: string }> | undefined;
  const key = () => {
    loaded ??= loadOrCreate(file, options.autoCreate ?? true).then((privateKey) => {
      const publicKey = createPublicKey(privateKey);
      return { privateKey, publicKey, keyId: ed25519KeyId(publicKey) };
    });
    loaded.catch(() => (loaded = undefined));
    return loaded;
  };
  return {
    currentKeyId: async () => (await key()).keyId,
    async sign(keyId, statement) {
      const k = await key();
      if (keyId !== k.keyId) {
        throw errors.precondition('CHECKPOINT_KEY_UNKNOWN', `The local signer does not hold key ${keyId}`);
      }
      return signWithKey(k.privateKey, statement);
    },
    publicKeyPem: async () => (await key()).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function loadOrCreate(file: string, autoCreate: boolean): Promise<KeyObject> {
  try {
    return await readKey(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!autoCreate) {
      throw errors.precondition('CHECKPOINT_KEY_NOT_FOUND', `No checkpoint signing key at ${file}`);
    }
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(tmp, 0o600); // writeFile's mode passes through the umask
    // link() never replaces: when two processes start at once, the first key wins and both use it.
    await link(tmp, file).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return readKey(file);
}

async function readKey(file: string): Promise<KeyObject> {
  const info = await stat(file);
  // Like ssh: refuse a private key that group or others could read.
  if ((info.mode & 0o077) !== 0) {
    throw errors.internal('CHECKPOINT_KEY_INSECURE', `${file} must not be accessible to group or others`);
  }
  const key = createPrivateKey(await readFile(file, 'utf8'));
  if (key.asymmetricKeyType !== 'ed25519') {
    throw errors.internal('CHECKPOINT_KEY_INVALID', `${file} is not an Ed25519 private key`);
  }
  return key;
}
