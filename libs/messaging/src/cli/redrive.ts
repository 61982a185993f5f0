// Re-drives parked messages once the fault that parked them is fixed:
//   tsx libs/messaging/src/cli/redrive.ts kafka --topic medspa.scheduling.events.v1 --group audit.events [--brokers host:port]
//   tsx libs/messaging/src/cli/redrive.ts postgres --schema audit --group audit.events [--database-url URL] [--message-id ID ...]
// --brokers defaults to KAFKA_BROKERS, --database-url to DATABASE_URL.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { redriveParkedMessages, type RedriveRequest } from '../redrive.js';

const USAGE =
  'usage: redrive (kafka --topic T --group G [--brokers B] | postgres --schema S --group G [--database-url U] [--message-id ID]...)';

/** The re-drive request that command-line arguments describe; throws with the usage on a mistake. */
export function parseRedriveArgs(args: string[], env: NodeJS.ProcessEnv = process.env): RedriveRequest {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      topic: { type: 'string' },
      group: { type: 'string' },
      brokers: { type: 'string' },
      schema: { type: 'string' },
      'database-url': { type: 'string' },
      'message-id': { type: 'string', multiple: true },
    },
  });
  const need = (value: string | undefined, name: string): string => {
    if (value === undefined || value === '') throw new Error(`missing ${name}\n${USAGE}`);
    return value;
  };
  const groupId = need(values.group, '--group');
  if (positionals[0] === 'kafka') {
    return {
      transport: 'kafka',
      topic: need(values.topic, '--topic'),
      groupId,
      brokers: need(values.brokers ?? env.KAFKA_BROKERS, '--brokers or KAFKA_BROKERS'),
    };
  }
  if (positionals[0] === 'postgres') {
    return {
      transport: 'postgres',
      schema: need(values.schema, '--schema'),
      groupId,
      databaseUrl: need(values['database-url'] ?? env.DATABASE_URL, '--database-url or DATABASE_URL'),
      ...(values['message-id'] === undefined ? {} : { messageIds: values['message-id'] }),
    };
  }
  throw new Error(USAGE);
}

function isMain(): boolean {
  const entry = process.argv[1];
  try {
    return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    const request = parseRedriveArgs(process.argv.slice(2));
    const count = await redriveParkedMessages(request);
    console.log(
      request.transport === 'kafka'
        ? `re-published ${count} parked message(s) to ${request.topic}`
        : `marked ${count} parked message(s) for re-drive by ${request.groupId}`,
    );
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
