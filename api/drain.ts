/**
 * An HTTP server that can be drained (graceful shutdown, docs/architecture.md §10). Node's own
 * `server.close()` stops accepting but leaves busy keep-alive sockets open (their clients go on
 * sending requests on them), and it closes idle ones at once — also those a client is just
 * writing its next request to, which then meets a reset. Draining instead:
 *
 * 1. stops accepting connections;
 * 2. answers every request still to be answered — in flight or arriving on an open socket — with
 *    `Connection: close`, so the socket closes after that response;
 * 3. closes sockets that have stayed idle for `idleCloseMs` (1 s: a client in the middle of a
 *    request/response loop, even on a loaded machine, is not idle that long — closing an idle
 *    socket always races with a request the client may be sending on it);
 * 4. is done when the last socket has closed, or cuts the rest at the grace period.
 */
import http from 'node:http';
import net from 'node:net';

export interface DrainableServer {
  server: http.Server;
  /**
   * Drains the server; resolves `true` when every connection closed within `graceMs`, `false`
   * when the remaining ones had to be cut (their requests unfinished).
   */
  drain(graceMs: number): Promise<boolean>;
}

interface SocketState { active: number; idleSince: number }

export function createDrainableServer(handler: http.RequestListener, opts: { idleCloseMs?: number } = {}): DrainableServer {
  const idleCloseMs = opts.idleCloseMs ?? 1000;
  const sockets = new Map<net.Socket, SocketState>();
  const unanswered = new Set<http.ServerResponse>();
  let draining = false;

  const server = http.createServer((req, res) => {
    const state = sockets.get(req.socket);
    if (state) state.active += 1;
    unanswered.add(res);
    res.once('close', () => {
      unanswered.delete(res);
      if (state) {
        state.active -= 1;
        state.idleSince = Date.now();
      }
    });
    if (draining) res.setHeader('Connection', 'close');
    handler(req, res);
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.set(socket, { active: 0, idleSince: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });

  const closeIdle = () => {
    const now = Date.now();
    for (const [socket, s] of sockets) if (s.active === 0 && now - s.idleSince >= idleCloseMs) socket.destroy();
  };

  async function drain(graceMs: number): Promise<boolean> {
    draining = true;
    for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
    // net.Server's close: stop accepting and wait for the sockets, without http.Server's
    // immediate closeIdleConnections()
    const closed = new Promise<true>((resolve) => net.Server.prototype.close.call(server, () => resolve(true)));
    closeIdle();
    const sweep = setInterval(closeIdle, Math.max(10, Math.min(50, idleCloseMs)));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), graceMs); });
    try {
      const clean = await Promise.race([closed, late]);
      if (!clean) server.closeAllConnections();
      return clean;
    } finally {
      clearInterval(sweep);
      clearTimeout(timer);
    }
  }

  return { server, drain };
}
