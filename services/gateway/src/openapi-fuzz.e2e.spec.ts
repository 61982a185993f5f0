import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signInOwner, startLocalPlatform, type LocalPlatform } from '@medspa/infra';
import { ensureSchemathesisInstalled } from '@medspa/infra/schemathesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * schemathesis (PyPI) fuzzes every operation of /openapi.json against the whole platform (`make run`
 * on free ports), signed in as the demo clinic's owner: no answer may be a 5xx, and every answer must
 * match the document (status code, content type, body schema). The seed is fixed so a failure
 * reproduces; FUZZ_SEED overrides it to explore.
 */
const SEED = process.env.FUZZ_SEED ?? '20261124';
// Logout would end the session the rest of the run is signed in with.
const EXCLUDED = ['/v1/auth/logout'];

let platform: LocalPlatform;
let token: string;

beforeAll(async () => {
  platform = await startLocalPlatform();
  token = await signInOwner(platform);
}, 180_000);
afterAll(async () => {
  await platform?.stop();
});

describe('the gateway OpenAPI document, fuzzed by schemathesis', () => {
  it('gets no 5xx and no schema violation on any operation', async () => {
    const binary = await ensureSchemathesisInstalled();
    const report = path.join(platform.dataDir, 'schemathesis-junit.xml');
    const args = [
      'run',
      `${platform.gatewayUrl}/openapi.json`,
      '--checks',
      'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
      // The coverage phase of 4.32.5 crashes inside hypothesis on our schemas (a lambda-source parse
      // error in its own code, not a finding), so it is left out until a release fixes it.
      '--phases',
      'examples,fuzzing',
      '--max-examples',
      process.env.FUZZ_MAX_EXAMPLES ?? '25',
      '--seed',
      SEED,
      '--workers',
      '2',
      '--header',
      `Authorization: Bearer ${token}`,
      ...EXCLUDED.flatMap((p) => ['--exclude-path', p]),
      '--report',
      'junit',
      '--report-junit-path',
      report,
      '--no-color',
    ];
    // Its own cache (.schemathesis/) goes to the run's data folder, not the repository.
    const { code, output } = await run(binary, args, platform.dataDir);
    if (!existsSync(report))
      throw new Error(`schemathesis wrote no report (exit ${code}):\n${output.slice(-12_000)}`);
    const junit = readFileSync(report, 'utf8');
    // The document is only worth fuzzing when it lists the platform's operations.
    expect(Number(/tests="(\d+)"/.exec(junit)?.[1] ?? 0)).toBeGreaterThan(30);
    expect(code, output.slice(-12_000)).toBe(0);
  }, 900_000);
});

function run(binary: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
