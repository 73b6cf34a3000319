/** Office staff's REST calls: synthesis report, exports, audit log, follow-up. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function officeRouter(_ctx: AppContext): Router {
  const r = Router();
  return r;
}
