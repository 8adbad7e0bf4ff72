import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/** The Swagger UI (`/docs`, `/docs/…`); `/docs-json` is plain JSON and gets the API's headers. */
export const isDocsPage = (url: string): boolean => url.startsWith('/docs') && (url.length === 5 || url[5] === '/' || url[5] === '?');

/**
 * The API answers JSON, CSV and downloads (always attachments): nothing it sends is a page that needs to load
 * anything, so its policy allows nothing and nobody may frame it.
 */
const API_POLICY = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
};

/** The Swagger UI needs inline styles and scripts, so only its pages get them. */
const DOCS_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
  },
};

/**
 * The headers every reply carries, errors and unknown routes included, as an onRequest hook: the request id,
 * helmet's, and `Cache-Control: no-store` outside the docs — the API's answers are personal data, tokens
 * (login) or evidence, which no shared proxy and no browser disk cache may keep; a route may say otherwise.
 * Set on the raw response when the request arrives, so no later hook is needed. helmet's middleware is built
 * once: @fastify/helmet (13.x) built it anew for every request — thirteen middlewares and the CSP directives
 * parsed again — which was 3% of a transition's CPU in `npm run bench`.
 */
export function responseHeaders(): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  const api = helmet({ contentSecurityPolicy: API_POLICY });
  const docs = helmet({ contentSecurityPolicy: DOCS_POLICY });
  return (request, reply, done) => {
    reply.raw.setHeader('x-request-id', request.id);
    const next = (error?: unknown) => done(error as Error | undefined);
    if (isDocsPage(request.url)) {
      docs(request.raw, reply.raw, next);
      return;
    }
    reply.raw.setHeader('cache-control', 'no-store');
    api(request.raw, reply.raw, next);
  };
}
