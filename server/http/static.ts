import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** The built SPA: hashed assets cached for a year, index.html never, every other GET path answered by the SPA. */
export function staticRouter(clientDir: string): Router {
  const r = Router();
  const index = join(clientDir, 'index.html');
  r.use(
    '/assets',
    express.static(join(clientDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  r.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  r.get(/^\/(?!api\/|socket\.io\/|yjs\/|healthz).*/, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The client is not built yet: run `npm run build`.');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return r;
}
