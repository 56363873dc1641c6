import express, { type Router } from 'express';
import type { WebSubHub } from '../websub/hub.js';
import { requestOrigin, type OriginOptions } from './origin.js';

/** A subscription request is a handful of short fields; anything larger is not one. */
const MAX_FORM_BYTES = 8 * 1024;

/**
 * POST /websub (W3C WebSub §5.1): a form-encoded subscribe or unsubscribe. 202 Accepted once the
 * parameters and the callback's address pass; the topic check and the verification of intent
 * follow, as the Recommendation has it. A bad request is a 400 naming the parameter.
 */
export function websubRouter(hub: WebSubHub, options: OriginOptions): Router {
  const router = express.Router();
  router.post('/', express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, type: 'application/x-www-form-urlencoded' }), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    await hub.request(form, requestOrigin(req, options));
    res.status(202).type('text/plain; charset=utf-8').send('accepted; verification of intent follows\n');
  });
  router.all('/', (_req, res) => {
    res.status(405).set('Allow', 'POST').type('text/plain; charset=utf-8').send('POST a WebSub subscription request (application/x-www-form-urlencoded)\n');
  });
  return router;
}
