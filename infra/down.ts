/** `make infra-down`: stops the servers started by infra/up.ts, by signalling the one process that owns them. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const stateFile = path.join(import.meta.dirname, '..', '.data', 'infra.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(stateFile)) {
  console.log('infra is not running (no .data/infra.json)');
} else {
  const { pid } = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number };
  if (isAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    console.log(isAlive(pid) ? `infra (pid ${pid}) is still stopping` : 'infra stopped');
  } else {
    console.log(`infra (pid ${pid}) was not running; removing its stale state file`);
    rmSync(stateFile, { force: true });
  }
}
