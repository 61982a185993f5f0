/** A service as the embedded default runs it: one process, configured only by environment. */
export interface LocalService {
  name: string;
  /** Entry point relative to the repo root; `main.ts migrate` applies its migrations. */
  entry: string;
  /** Has a schema, roles and migrations of its own. */
  database: boolean;
  /** Serves gRPC on `<NAME>_GRPC_PORT`; the gateway serves HTTP instead. */
  grpc: boolean;
}

// Services are added here as they are built; the chart's values list the same set.
export const LOCAL_SERVICES: LocalService[] = [
  { name: 'gateway', entry: 'services/gateway/src/main.ts', database: false, grpc: false },
];

/** `patient-record` → `PATIENT_RECORD`, the prefix of its environment variables. */
export const envPrefix = (service: string): string => service.toUpperCase().replaceAll('-', '_');
