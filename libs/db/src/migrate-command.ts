import { migrate, type Migration, type MigrationResult } from './migrate.js';
import { schemaNameOf } from './sql.js';

export interface MigrateCommandOptions {
  service: string;
  migrations: (schema: string) => Migration[];
  env?: NodeJS.ProcessEnv;
}

/**
 * The `migrate` subcommand of every service (`main.ts migrate`), run by `make run`, by tests and by
 * the chart's Job, never at every start: applies the service's migrations as `<service>_owner`
 * from MIGRATION_DATABASE_URL, which the running service itself is never given.
 */
export async function runMigrateCommand(options: MigrateCommandOptions): Promise<MigrationResult> {
  const url = (options.env ?? process.env).MIGRATION_DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error(`MIGRATION_DATABASE_URL is required to migrate ${options.service}`);
  }
  const schema = schemaNameOf(options.service);
  return migrate(url, schema, options.migrations(schema));
}
