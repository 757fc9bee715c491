/** For the web UI's HTTP tests: an app with a user store (cheap scrypt) and a logged-in cookie. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { AppDeps } from './deps.js';
import { fakeDeps, type TestDeps } from './testing.js';
import { tempUserStore } from './users/testing.js';
import type { UserStore } from './users/index.js';

export const ALICE = { username: 'alice', password: 'alice-password-1' };

export interface WebTestApp {
  app: FastifyInstance;
  deps: TestDeps;
  users: UserStore;
  close(): Promise<void>;
}

export async function webApp(overrides: Partial<AppDeps> = {}): Promise<WebTestApp> {
  const u = tempUserStore();
  await u.store.add(ALICE.username, ALICE.password, 'analyst');
  const deps = fakeDeps({ users: u.store, ...overrides });
  const app = await buildApp(deps);
  return {
    app,
    deps,
    users: u.store,
    close: async () => {
      await app.close();
      u.cleanup();
    },
  };
}

/** Logs in and returns the `Cookie` header value to send. */
export async function login(app: FastifyInstance, who = ALICE): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: who });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  // __Host-nml_session when the app's cookies are Secure
  const c = res.cookies.find((x) => x.name === 'nml_session' || x.name === '__Host-nml_session');
  if (c === undefined) throw new Error('no session cookie');
  return `${c.name}=${c.value}`;
}
