import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasExited, isOnPath, runToCompletion, spawnServer, stopServer, tailOf } from './child-process.js';
import { medspaCacheDir } from './kafka-jars.js';
import { isMainModule, serveUntilSignal } from './serve.js';

/*
 * nsmithuk/local-kms: an AWS KMS emulator, used to test the AWS adapter of @medspa/crypto without
 * AWS. Pinned to the commit that was verified (`@latest` on 2026-02-28); bump deliberately. Built
 * from source with `go install` into the shared cache, never into the repository.
 */
const MODULE = 'github.com/nsmithuk/local-kms';
const VERSION = 'v0.0.0-20260228092603-2a5e92d09ab6';
const READY_TIMEOUT_MS = 30_000;
const REGION = 'eu-west-2';
// Built from a string: the linter forbids control characters in regex literals.
const ANSI_ESCAPE = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

export interface RunningLocalKms {
  /** `http://127.0.0.1:<port>`, for `new KMSClient({ endpoint, region, credentials })`. */
  endpoint: string;
  region: string;
  stop(): Promise<void>;
}

const binDir = (): string => path.join(medspaCacheDir(), 'bin');

/** The local-kms binary, built with `go install` into ~/.cache/medspa/bin when missing. */
export async function ensureLocalKmsInstalled(): Promise<string> {
  const binary = process.env.LOCAL_KMS_BIN ?? path.join(binDir(), 'local-kms');
  if (existsSync(binary)) return binary;
  if (!isOnPath('go')) throw new Error(`local-kms is missing and building it needs Go ('go' is not on PATH)`);
  await mkdir(binDir(), { recursive: true });
  await runToCompletion('env', [`GOBIN=${binDir()}`, 'go', 'install', `${MODULE}@${VERSION}`]);
  if (!existsSync(binary)) throw new Error(`go install ${MODULE} did not produce ${binary}`);
  return binary;
}

/**
 * Starts local-kms with its data in a fresh temp dir and waits until it answers. It takes a port
 * but not an address, so it listens on all interfaces; port 0 lets it pick a free one (no race),
 * which we read from its log. Keys in it are throwaway test keys.
 */
export async function startLocalKms(): Promise<RunningLocalKms> {
  const binary = await ensureLocalKmsInstalled();
  const dir = await mkdtemp(path.join(tmpdir(), 'medspa-local-kms-'));
  const logFile = path.join(dir, 'local-kms.log');
  const env = [
    'PORT=0',
    `KMS_DATA_PATH=${path.join(dir, 'data')}`,
    `KMS_SEED_PATH=${path.join(dir, 'no-seed.yaml')}`,
    `KMS_REGION=${REGION}`,
    'KMS_ACCOUNT_ID=111122223333',
  ];
  const server = spawnServer('env', [...env, binary], logFile);
  const stop = async (): Promise<void> => {
    await stopServer(server, 5_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const endpoint = `http://127.0.0.1:${await waitForPort(server, logFile)}`;
    await waitForAnswer(endpoint, server, logFile);
    return { endpoint, region: REGION, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPort(server: ChildProcess, logFile: string): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    // The log is coloured; strip ANSI codes before matching.
    const log = tailOf(logFile, 50).replaceAll(ANSI_ESCAPE, '');
    const port = /Local KMS started on [^\s:]*:(\d+)/.exec(log)?.[1];
    if (port !== undefined) return Number(port);
    if (hasExited(server) || Date.now() > deadline) throw new Error(`local-kms did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForAnswer(endpoint: string, server: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
        body: '{}',
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (hasExited(server) || Date.now() > deadline) {
      throw new Error(`local-kms at ${endpoint} did not answer:\n${tailOf(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (isMainModule(import.meta.url)) {
  await serveUntilSignal(startLocalKms, (kms) => `AWS_KMS_ENDPOINT=${kms.endpoint} AWS_REGION=${kms.region}`);
}
