import { connect, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of a service that can be cut off and restored, as a network outage would. */
export interface OutageProxy {
  /** `127.0.0.1:PORT`, to use in place of the service's own host. */
  host: string;
  /** Drops every open connection and refuses new ones. */
  cut(): void;
  restore(): void;
  stop(): Promise<void>;
}

export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  let up = true;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(targetPort), targetHost);
    const close = () => {
      for (const socket of [client, upstream]) {
        socket.destroy();
        open.delete(socket);
      }
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', close).on('close', close);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    cut() {
      up = false;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      up = true;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
