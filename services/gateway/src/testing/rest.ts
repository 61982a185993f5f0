import type { FastifyInstance, InjectOptions } from 'fastify';

/** A JSON call through the gateway, as a client makes it. */
export async function rest(
  gateway: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const request: InjectOptions = {
    method,
    url,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
  };
  const res = await gateway.inject(request);
  const isJson = /^application\/(?:[a-z.-]+\+)?json\b/.test(String(res.headers['content-type'] ?? ''));
  return {
    status: res.statusCode,
    headers: res.headers,
    text: res.body,
    body: (isJson && res.body !== '' ? res.json() : undefined) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}
