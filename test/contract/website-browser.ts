import type { WebsiteUnderTest } from './website-side.js';

/** What a browser got back: the response, and its body read as JSON. */
export interface BrowserAnswer {
  readonly response: Response;
  readonly status: number;
  readonly body: unknown;
}

/**
 * A browser on one of the website's pages: it sends the page's `Origin` on a start, keeps the
 * cookies the website sets and sends them back, like the browser that shows `<otp-login-qr>`.
 */
export class ContractBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly website: WebsiteUnderTest,
    readonly ip = '198.51.100.7',
  ) {}

  /** Clicks "log in with your phone": `POST {endpoint}` from the website's own page. */
  start(headers: Record<string, string> = { Origin: this.website.origin }): Promise<BrowserAnswer> {
    return this.request(this.website.endpoint, { method: 'POST', headers });
  }

  /** Asks for the status of login `id`, holding at most `wait` seconds. */
  poll(id: string, wait = 0): Promise<BrowserAnswer> {
    return this.request(`${this.website.endpoint}/${encodeURIComponent(id)}?wait=${wait}`);
  }

  /** Confirms login `id` from the website's own page: `{code}` or `{matches}`, as JSON. */
  confirm(id: string, body: unknown, origin = this.website.origin): Promise<BrowserAnswer> {
    return this.request(`${this.website.endpoint}/${encodeURIComponent(id)}/confirm`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** The Set-Cookie values of `answer`, as `name → attributes` (lower case, value left out). */
  static setCookies(answer: BrowserAnswer): Map<string, string[]> {
    const cookies = new Map<string, string[]>();
    for (const cookie of answer.response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';').map((part) => part.trim());
      cookies.set(
        pair.slice(0, pair.indexOf('=')),
        attributes.map((attribute) => attribute.toLowerCase()),
      );
    }
    return cookies;
  }

  private async request(path: string, init: RequestInit = {}): Promise<BrowserAnswer> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set(
        'Cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    const response = await this.website.send(
      new Request(`${this.website.origin}${path}`, { ...init, headers }),
      this.ip,
    );
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    const text = await response.text();
    return { response, status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }
}
