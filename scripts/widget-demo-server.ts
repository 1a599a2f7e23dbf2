/*
 * A tiny website for <otp-login-qr> outside the test runner: it serves the built element
 * (dist/browser/otp-login-qr.js), docs/widget-demo.html, and one login endpoint per state, each
 * answering the website contract at once (or holding a pending poll for the `wait` asked, like a
 * real long-poll). Used by the demo (npm run demo:widget), the screenshots and bench:widget.
 *
 * Usage: npm run build:widget && npm run demo:widget   → http://127.0.0.1:8790/
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LoginStatusResponse, StartLoginResponse } from '../src/protocol/index.js';

const root = new URL('..', import.meta.url);

/** The demo's endpoints: `/demo/{scenario}`. */
export const DEMO_SCENARIOS = [
  'pending',
  'scanned',
  'accepted',
  'denied',
  'expired',
  'error',
  'instant',
  'idle',
] as const;

export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

export interface WidgetDemoServer {
  readonly url: string;
  /** `METHOD /path?query` of every login request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const FILES: Record<string, { path: string; type: string }> = {
  '/': { path: 'docs/widget-demo.html', type: 'text/html; charset=utf-8' },
  '/widget-demo.css': { path: 'docs/widget-demo.css', type: 'text/css; charset=utf-8' },
  '/widget-demo.js': { path: 'docs/widget-demo.js', type: 'text/javascript; charset=utf-8' },
  '/otp-login-qr.js': {
    path: 'dist/browser/otp-login-qr.js',
    type: 'text/javascript; charset=utf-8',
  },
};

/** The strict policy the demo runs under: the element needs nothing more. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'";

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function start(scenario: DemoScenario, id: string): StartLoginResponse {
  return {
    id,
    qr: `https://app.example.com/#otp=${id}.${'k'.repeat(43)}`,
    expires_in: 60,
    interval: 2,
    ...(scenario === 'scanned' ? { code: '42' } : {}),
    ...(scenario === 'pending' ? { same_device_url: `https://app.example.com/#otp=${id}` } : {}),
  };
}

function statusOf(scenario: DemoScenario): LoginStatusResponse | undefined {
  switch (scenario) {
    case 'scanned':
      return { status: 'scanned' };
    case 'accepted':
      return { status: 'accepted', redirect_to: '/' };
    case 'denied':
      return { status: 'denied' };
    case 'expired':
      return { status: 'expired' };
    default:
      return undefined; // pending, held for the wait asked
  }
}

export async function startWidgetDemoServer(port = 0): Promise<WidgetDemoServer> {
  const requests: string[] = [];
  const held = new Set<ServerResponse>();
  let logins = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const file = FILES[url.pathname];
    if (request.method === 'GET' && file) {
      const body = await readFile(fileURLToPath(new URL(file.path, root)));
      response.writeHead(200, {
        'content-type': file.type,
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      });
      response.end(body);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const match = /^\/demo\/([a-z]+)(?:\/([A-Za-z0-9_-]+))?$/.exec(url.pathname);
    const scenario = DEMO_SCENARIOS.find((name) => name === match?.[1]);
    if (!match || !scenario) {
      json(response, 404, { error: 'not_found' });
      return;
    }
    requests.push(`${request.method ?? ''} ${url.pathname}${url.search}`);
    if (request.method === 'POST' && match[2] === undefined) {
      logins += 1;
      if (scenario === 'error') json(response, 201, { id: logins, qr: 42 });
      else json(response, 201, start(scenario, `demo-${scenario}-${logins}`));
      return;
    }
    if (request.method !== 'GET' || match[2] === undefined) {
      json(response, 405, { error: 'method_not_allowed' });
      return;
    }
    const answer = statusOf(scenario);
    if (answer) {
      json(response, 200, answer);
      return;
    }
    const wait = Math.min(60, Math.max(0, Number(url.searchParams.get('wait') ?? '0') || 0));
    held.add(response);
    const timer = setTimeout(() => {
      held.delete(response);
      json(response, 200, { status: 'pending' } satisfies LoginStatusResponse);
    }, wait * 1000);
    response.on('close', () => {
      clearTimeout(timer);
      held.delete(response);
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) json(response, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startWidgetDemoServer(Number(process.env['PORT'] ?? 8790));
  console.log(`The element in each state: ${server.url}/`);
}
