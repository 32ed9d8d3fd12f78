import type { AddressInfo } from 'node:net';
import { createServer, request } from 'node:http';

export interface SignedInProxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * Local only: forwards every request to the API with `X-Comet-User` set,
 * so that a plain browser can open pages that need an identity, such as
 * the security team's dashboard. Deployed, IAP plays this part.
 */
export async function startSignedInProxy(apiUrl: string, user: string): Promise<SignedInProxy> {
  const api = new URL(apiUrl);
  const server = createServer((req, res) => {
    // The API checks form posts against the host the browser used.
    const headers = { ...req.headers, host: api.host, 'x-forwarded-host': req.headers.host, 'x-comet-user': user };
    const upstream = request({ hostname: api.hostname, port: api.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`the local API is not answering: ${error.message}`));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
