import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isOnPath, runToCompletion } from './child-process.js';
import { medspaCacheDir } from './kafka-jars.js';

/*
 * schemathesis (PyPI) fuzzes the gateway's OpenAPI document. It lives in a virtualenv of its own in
 * the shared cache, never in the repository; the version is pinned so a run is reproducible, and
 * the venv folder is named after it so a bump installs beside the old one.
 */
const VERSION = '4.32.5';

/** The `schemathesis` executable, installed into ~/.cache/medspa/schemathesis-<version> when missing. */
export async function ensureSchemathesisInstalled(): Promise<string> {
  const venv = path.join(medspaCacheDir(), `schemathesis-${VERSION}`);
  const binary = path.join(venv, 'bin', 'schemathesis');
  if (existsSync(binary)) return binary;
  if (!isOnPath('python3'))
    throw new Error('schemathesis is missing and installing it needs python3 on PATH');
  await mkdir(medspaCacheDir(), { recursive: true });
  // A half-made venv from an interrupted install would make `existsSync(binary)` lie next time.
  await rm(venv, { recursive: true, force: true });
  await runToCompletion('python3', ['-m', 'venv', venv]);
  await runToCompletion(path.join(venv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `schemathesis==${VERSION}`,
  ]);
  if (!existsSync(binary)) throw new Error(`pip install schemathesis==${VERSION} did not produce ${binary}`);
  return binary;
}
