/**
 * Access logs in combined log format carried in syslog: nginx on web-01 (the intranet, where staff
 * sign in, so the user field names them) and apache on web-02 (the public site, visited from outside).
 */
import { intIn, pick } from '../prng.js';
import type { Ctx } from '../context.js';
import type { Host } from '../network.js';
import { flat, type LineWriter } from '../line-writer.js';
import { INTERNAL_ZONE, PUBLIC_SITE } from '../pools/domains.js';
import { BROWSER_AGENTS, INTRANET_PATHS, PUBLIC_PATHS, STATUSES } from '../pools/web.js';
import { PRI } from './common.js';

const INTRANET_REFERER = flat('"https://intranet.' + INTERNAL_ZONE + '/"');
const PUBLIC_REFERERS = ['"-"', '"-"', flat('"https://' + PUBLIC_SITE + '/"'), '"https://www.google.com/"', '"https://www.bing.com/"', '"https://duckduckgo.com/"'];

/** `ip - user [time] "METHOD path HTTP/1.1" status bytes "referer" "agent"` */
export function combined(ctx: Ctx, w: LineWriter, ip: string, user: string, method: string, path: string, status: number, referer: string, agent: string): void {
  const bytes = status === 304 || status === 204 ? 0 : intIn(ctx.rng, 180, 48000);
  w.s(ip).s(' - ').s(user).s(' [').s(ctx.stamps.clf).s('] "').s(method).s(' ').s(path).s(' HTTP/1.1" ').n(status).s(' ').n(bytes);
  w.s(' ').s(referer).s(' "').s(agent).s('"');
}

/** A line from the public web server web-02 (apache via logger). */
export function publicAccess(ctx: Ctx, ip: string, method: string, path: string, status: number, agent: string): void {
  const referer = pick(ctx.rng, PUBLIC_REFERERS);
  combined(ctx, ctx.header(PRI.local6Info, ctx.net.roles.website, 'apache2', null, 'ACCESS'), ip, '-', method, path, status, referer, agent);
}

function intranetAccess(ctx: Ctx, client: Host): void {
  const rng = ctx.rng;
  const user = client.owner !== null && rng() < 0.7 ? client.owner : '-';
  const path = pick(rng, INTRANET_PATHS);
  const method = path.startsWith('/api/') && rng() < 0.2 ? 'POST' : 'GET';
  const w = ctx.header(PRI.local7Info, ctx.net.roles.intranet, 'nginx', null, 'ACCESS');
  combined(ctx, w, client.ip, user, method, path, pick(rng, STATUSES), INTRANET_REFERER, pick(rng, BROWSER_AGENTS));
}

export function web(ctx: Ctx): void {
  const rng = ctx.rng;
  if (rng() < 0.5) return intranetAccess(ctx, ctx.net.pickWorkstation(rng));
  publicAccess(ctx, ctx.net.pickVisitor(rng), 'GET', pick(rng, PUBLIC_PATHS), pick(rng, STATUSES), pick(rng, BROWSER_AGENTS));
}
