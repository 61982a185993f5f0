import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse, ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Canaries, CanaryHit } from './canary.js';
import { findCanariesInText } from './canary.js';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/2010-04-01/Accounts/AC1/Messages.json`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordOutboundOptions {
  /** What to answer; by default 200 with `{}` as JSON. */
  respond?: (request: RecordedRequest) => StubResponse;
  /** 'h2c' for clients that speak HTTP/2 without TLS (the AWS SDK's default handler). Default 'http1'. */
  protocol?: 'http1' | 'h2c';
}

export interface OutboundRecorder {
  /** `http://127.0.0.1:<port>`; point an SDK's base URL / endpoint here. */
  url: string;
  port: number;
  /** Every request received so far, in arrival order. */
  requests: RecordedRequest[];
  /**
   * Canaries present in any recorded path, header or body, searched as sent: the canary needles
   * contain nothing that form or URL encoding changes.
   */
  findCanaries: (canaries: Canaries) => CanaryHit[];
  close: () => Promise<void>;
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

/**
 * A local HTTP server that records what is sent to it, standing in for a third party (SMS, payments,
 * transcription, LLM) so a test can assert that no PHI leaves the platform in a request.
 */
export async function recordOutboundRequests(options: RecordOutboundOptions = {}): Promise<OutboundRecorder> {
  const requests: RecordedRequest[] = [];
  const respond =
    options.respond ?? (() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
  const handle = (req: AnyRequest, res: AnyResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const reply = respond(recorded);
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  };
  const server = options.protocol === 'h2c' ? createHttp2Server(handle) : createServer(handle);
  // HTTP/2 clients keep sessions open, and close() waits for them; they are ended on close.
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    findCanaries: (canaries) =>
      requests.flatMap((r, i) => {
        const at = `http#${i} ${r.method} ${r.path}`;
        return [
          ...findCanariesInText(r.path, canaries, `${at} path`),
          ...findCanariesInText(JSON.stringify(r.headers), canaries, `${at} headers`),
          ...findCanariesInText(r.body, canaries, `${at} body`),
        ];
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}
