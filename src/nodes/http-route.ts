/**
 * Serving a path on Node-RED's node HTTP server (RED.httpNode) the way its own `http in` node does: behind
 * `httpNodeMiddleware`, under `httpNodeRoot`, and removed again when the node closes.
 */
import type { NodeAPI } from 'node-red';
import type { Request, RequestHandler, Response } from 'express';

interface Layer {
  route?: unknown;
}

/** Serves GET and POST on `path`; returns the function that removes the route. */
export function serveRoute(RED: NodeAPI, path: string, handler: (req: Request, res: Response) => void): () => void {
  const app = RED.httpNode as unknown as {
    route(path: string): { get(...h: RequestHandler[]): unknown; post(...h: RequestHandler[]): unknown };
    _router?: { stack: Layer[] };
    router?: { stack: Layer[] };
  };
  const configured = (RED.settings as { httpNodeMiddleware?: unknown }).httpNodeMiddleware;
  const middleware: RequestHandler[] =
    typeof configured === 'function'
      ? [configured as RequestHandler]
      : Array.isArray(configured)
        ? (configured as RequestHandler[])
        : [];
  const route = app.route(path);
  route.get(...middleware, handler);
  route.post(...middleware, handler);
  return () => {
    // Express 4 keeps its router in _router, Express 5 in router.
    const stack = (app._router ?? app.router)?.stack ?? [];
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.route === route) stack.splice(i, 1);
  };
}

/** Whether the node HTTP server is switched off (`httpNodeRoot: false`). */
export function nodeHttpDisabled(RED: NodeAPI): boolean {
  return (RED.settings as { httpNodeRoot?: unknown }).httpNodeRoot === false;
}
