// The built element, dist/browser/otp-login-qr.js (minified, its own private names shortened),
// in Chromium, Firefox and WebKit: what the build could break that the
// tests of the source cannot see. It builds the bundle first, so it runs on its own:
//   npx web-test-runner --config test/widget/built-bundle.wtr.config.mjs
// (test/widget/bundle.node.test.ts checks the same file in Chromium within `npm run test:node`.)
import { readFile } from 'node:fs/promises';
import { buildWidget } from '../../scripts/build-widget.mjs';
import base from '../../web-test-runner.config.mjs';

const built = buildWidget();

/** The bundle, and a website that answers by the contract (`ok`) or breaks it (`bad`). */
async function serveBundleAndWebsite(context, next) {
  const json = (status, body) => {
    context.status = status;
    context.type = 'application/json';
    context.body = JSON.stringify(body);
  };
  switch (context.path) {
    case '/built/otp-login-qr.js':
      context.type = 'application/javascript';
      context.body = await readFile((await built).path, 'utf8');
      return undefined;
    case '/built-check/bad':
      return json(201, { id: 7, qr: 'x' });
    case '/built-check/ok':
      return json(201, {
        id: 'abc',
        qr: 'HTTPS://SCAN.EXAMPLE/#1',
        expires_in: 600,
        interval: 0,
        code: '42',
      });
    case '/built-check/ok/abc':
      return json(200, { status: 'scanned' });
    // A phone link that asks whether the phone shows the page's code; "yes" links it.
    case '/built-check/link':
      return json(201, { id: 'def', qr: 'HTTPS://SCAN.EXAMPLE/#2', expires_in: 600, interval: 0 });
    case '/built-check/link/def':
      return json(200, { status: 'confirm', confirm: 'compare_code', compare_code: '482193' });
    case '/built-check/link/def/confirm':
      return context.method === 'POST' &&
        context.get('content-type') === 'application/json' &&
        JSON.parse(await readBody(context.req)).matches === true
        ? json(200, { status: 'accepted', redirect_to: '/linked' })
        : json(400, { error: 'invalid_request' });
    default:
      return next();
  }
}

/** The body of a small request, as text. */
async function readBody(request) {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

export default {
  ...base,
  files: ['test/widget/built-bundle.check.ts'],
  middleware: [...base.middleware, serveBundleAndWebsite],
};
