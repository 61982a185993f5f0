import { HealthClient } from '@medspa/contracts/grpc.health.v1';
import { createGrpcClient, ServingStatus } from '@medspa/grpc';

/** One `grpc.health.v1.Health/Check` of the whole server (`service: ''`): its status, or why not. */
export async function checkGrpcHealth(address: string, timeoutMs = 2_000): Promise<ServingStatus | Error> {
  const client = createGrpcClient(HealthClient, address, {
    deadlineMs: timeoutMs,
    forwardCallerToken: false,
  });
  try {
    return (await client.check({ service: '' })).status;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    client.close();
  }
}

/** Polls a gRPC server's health until it reports SERVING, or fails after `timeoutMs`. */
export async function waitForGrpcServing(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const status = await checkGrpcHealth(address);
    if (status === ServingStatus.SERVING) return;
    last = status instanceof Error ? status.message : `status ${ServingStatus[status]}`;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gRPC ${address} was not SERVING within ${timeoutMs} ms (${last})`);
}
