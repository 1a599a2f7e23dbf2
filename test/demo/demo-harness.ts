/* The demo website in this process, on a real (in-process) Token Server, and a browser for it. */
import { createHash } from 'node:crypto';
import { parseStartLoginResponse } from '../../src/protocol/index.js';
import { createDemoWebsite, type DemoWebsite } from '../../src/server/demo/index.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { CLIENT_SECRET, TokenServerFixture } from '../server/token-server-fixture.js';

export const SITE = 'http://demo.test';

export function setUpDemo(secondFactorType: string | null = 'second_factor'): {
  tokenServer: TokenServerFixture;
  demo: DemoWebsite;
} {
  const tokenServer = new TokenServerFixture(new MemoryStore(), {
    clients: [
      {
        id: 'demo',
        secretSha256: createHash('sha256').update(CLIENT_SECRET).digest('hex'),
        name: 'Demo website',
        callbackUris: [`${SITE}/otp-login/callback`],
        types: ['otp', 'second_factor'],
      },
    ],
  });
  const demo = createDemoWebsite({
    publicOrigin: SITE,
    appUrl: 'http://localhost:7003/',
    tokenServer: {
      url: tokenServer.base,
      clientId: 'demo',
      clientSecret: CLIENT_SECRET,
      fetch: (request) => tokenServer.fetch(request),
    },
    secondFactorType,
    databasePath: ':memory:',
    widgetScriptPath: 'test/demo/no-such-widget.js',
    kit: { interval: 0, upstreamPollMs: 50 },
    onError: () => undefined,
  });
  return { tokenServer, demo };
}

/** A browser with a cookie jar; follows nothing by itself, so tests see every redirect. */
export class DemoBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly demo: DemoWebsite) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set(
        'Cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    const response = await this.demo.app.fetch(new Request(`${SITE}${path}`, { ...init, headers }));
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const value = pair.slice(index + 1);
      if (/Max-Age=0/.test(cookie)) this.cookies.delete(pair.slice(0, index));
      else this.cookies.set(pair.slice(0, index), value);
    }
    return response;
  }

  /** Submits a form of the site (with the site's Origin, as a browser does). */
  post(path: string, fields: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { Origin: SITE, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** What the widget does on a page: start at `endpoint`. */
  async startWidget(endpoint: string) {
    const response = await this.request(endpoint, { method: 'POST', headers: { Origin: SITE } });
    if (response.status !== 201)
      throw new Error(`start ${endpoint}: ${response.status} ${await response.text()}`);
    return parseStartLoginResponse(await response.json());
  }

  /** What the widget sends when its user confirms: `POST {endpoint}/{id}/confirm`. */
  async confirmWidget(endpoint: string, id: string, body: { matches: boolean } | { code: string }) {
    const response = await this.request(`${endpoint}/${id}/confirm`, {
      method: 'POST',
      headers: { Origin: SITE, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async pollWidget(endpoint: string, id: string, wait = 2) {
    const response = await this.request(`${endpoint}/${id}?wait=${wait}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}
