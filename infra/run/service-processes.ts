import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts `node --import tsx <entry> [...args]`, prefixing each output line with the service name. */
export function startServiceProcess(
  root: string,
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, exited };
}

/** Runs a one-shot command of a service (e.g. `migrate`) and fails when it fails. */
export async function runServiceCommand(
  root: string,
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<void> {
  const { exited } = startServiceProcess(root, `${name} ${args.join(' ')}`, entry, env, args);
  const code = await exited;
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} exited with ${code}`);
}

/** SIGTERM to every process, SIGKILL to those still running after the grace period. */
export async function stopServiceProcesses(processes: ServiceProcess[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    processes.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
