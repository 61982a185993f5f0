import { createSecretKey, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '@medspa/errors';
import { KEY_BYTES } from './aes-gcm.js';
import type { Kms } from './kms.js';
import {
  assertLocalKeyId,
  currentVersion,
  localKeyRef,
  parseLocalKeyRef,
  unwrapWithKeyset,
  wrappedVersion,
  wrapWithKeyset,
  type LocalKeyset,
} from './local-keyset.js';

export interface LocalFileKmsOptions {
  /** Directory of the key files, e.g. `.data/kms`; created with mode 0700. */
  dir: string;
  /** Create a missing KEK on first use (the embedded default); otherwise a missing file is an error. */
  autoCreate?: boolean;
}

interface KeyFile {
  format: 1;
  keyId: string;
  versions: { version: number; key: string; createdAt: string }[];
}

/**
 * The embedded-mode KMS: each KEK is a JSON file `<dir>/<keyId>.json` (mode 0600) holding every
 * 256-bit version. Rotation appends a version. Whoever can read this file can unwrap every Tenant
 * key, so it belongs on an encrypted disk and outside backups of the database. Rotate from one
 * process at a time (an admin command); readers pick up new versions when they meet them.
 */
export function createLocalFileKms(options: LocalFileKmsOptions): Kms {
  const dir = path.resolve(options.dir);
  const loaded = new Map<string, Promise<LocalKeyset>>();
  const fileOf = (keyId: string): string => path.join(dir, `${keyId}.json`);

  const keyset = (keyId: string, reload = false): Promise<LocalKeyset> => {
    assertLocalKeyId(keyId);
    let pending = loaded.get(keyId);
    if (pending === undefined || reload) {
      pending = readOrCreate(fileOf(keyId), keyId, options.autoCreate ?? true).then(toKeyset);
      pending.catch(() => loaded.delete(keyId));
      loaded.set(keyId, pending);
    }
    return pending;
  };

  return {
    wrap: async (keyId, plaintext, context) => wrapWithKeyset(await keyset(keyId), plaintext, context),
    async unwrap(keyRef, ciphertext, context) {
      const { keyId } = parseLocalKeyRef(keyRef);
      let set = await keyset(keyId);
      // Another process may have rotated since we read the file.
      if (!set.versions.has(wrappedVersion(ciphertext))) set = await keyset(keyId, true);
      return unwrapWithKeyset(set, keyRef, ciphertext, context);
    },
    currentKeyRef: async (keyId) => localKeyRef(keyId, currentVersion(await keyset(keyId, true))),
    async rotateKey(keyId) {
      const file = await readOrCreate(fileOf(keyId), keyId, options.autoCreate ?? true);
      const version = Math.max(...file.versions.map((v) => v.version)) + 1;
      file.versions.push(newVersion(version));
      await writeAtomically(fileOf(keyId), file, 'replace');
      await keyset(keyId, true);
      return localKeyRef(keyId, version);
    },
  };
}

function newVersion(version: number): KeyFile['versions'][number] {
  const raw = randomBytes(KEY_BYTES);
  const key = raw.toString('base64');
  raw.fill(0);
  return { version, key, createdAt: new Date().toISOString() };
}

function toKeyset(file: KeyFile): LocalKeyset {
  const versions = new Map(
    file.versions.map((v) => [v.version, createSecretKey(Buffer.from(v.key, 'base64'))]),
  );
  return { keyId: file.keyId, versions };
}

async function readOrCreate(file: string, keyId: string, autoCreate: boolean): Promise<KeyFile> {
  try {
    return await readKeyFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!autoCreate) throw errors.precondition('KMS_KEY_NOT_FOUND', `No local KMS key file for ${keyId}`);
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'create' never overwrites: when several services start at once, the first file wins and the others read it.
  await writeAtomically(file, { format: 1, keyId, versions: [newVersion(1)] }, 'create');
  return readKeyFile(file);
}

async function readKeyFile(file: string): Promise<KeyFile> {
  const info = await stat(file);
  // Like ssh with private keys: refuse a key file that group or others could read.
  if ((info.mode & 0o077) !== 0) {
    throw errors.internal(
      'KMS_KEY_FILE_INSECURE',
      `${file} must not be accessible to group or others (chmod 600)`,
    );
  }
  const parsed = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
  if (parsed.format !== 1 || parsed.versions.length === 0) {
    throw errors.internal('KMS_KEY_FILE_INVALID', `${file} is not a local KMS key file`);
  }
  return parsed;
}

async function writeAtomically(file: string, content: KeyFile, mode: 'create' | 'replace'): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(content, null, 2), { mode: 0o600, flag: 'wx' });
  try {
    await chmod(tmp, 0o600); // writeFile filters its mode through the umask; set it exactly
    if (mode === 'replace') await rename(tmp, file);
    else
      await link(tmp, file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
