// `medspa-audit`: the compliance officer's command line against a deployment's AuditService.
// Run: node --import tsx services/audit/src/cli/medspa-audit.ts <command> (see run-cli.ts).
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
