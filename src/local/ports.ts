// A taken port is a clear error before anything starts.
import { createServer } from 'node:net';

export async function assertPortFree(port: number, host: string, flag: string): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use: stop what uses it or choose another with ${flag}`
        : `cannot listen on ${host}:${port} (${err.code ?? err.message})`));
    });
    server.listen(port, host, () => server.close(() => resolvePromise()));
  });
}

/** A free port chosen by the kernel (for components the user did not pin). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise<number>((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}
