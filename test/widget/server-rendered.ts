/*
 * <otp-login-qr> rendered on a server, the way Next.js, Astro or Eleventy pages include it:
 * @lit-labs/ssr in Node, with Lit's DOM shim. The HTML holds the element with its shadow root
 * as declarative shadow DOM, for the browser to hydrate.
 */
import { render } from '@lit-labs/ssr';
import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
import { html, unsafeStatic } from 'lit/static-html.js';
import '../../src/widget/define.js';

/** Attributes a page may give the element, written as they are (values escaped). */
export type ServerAttributes = Readonly<Record<string, string>>;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The HTML a server sends for `<otp-login-qr>` with `attributes`. The attributes go in as static
 * template text (a template cannot name its attributes at run time), so that Lit's element
 * renderer sees them as the element's own, as it would in a page's template.
 */
export function renderOnServer(attributes: ServerAttributes = {}): string {
  const written = Object.entries(attributes)
    .map(([name, value]) => {
      if (!/^[a-z][a-z-]*$/.test(name)) throw new TypeError(`Not an attribute name: ${name}`);
      return ` ${name}="${escapeAttribute(value)}"`;
    })
    .join('');
  return collectResultSync(render(html`<otp-login-qr${unsafeStatic(written)}></otp-login-qr>`));
}
