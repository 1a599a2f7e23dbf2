/*
 * Runs with test/widget/built-bundle.wtr.config.mjs (which builds and serves the bundle), not with
 * the default configuration: see there.
 */
import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';

const BUNDLE_URL = '/built/otp-login-qr.js';

type BuiltElement = HTMLElement & { updateComplete: Promise<boolean> };

function addElement(endpoint: string): BuiltElement {
  const element = document.createElement('otp-login-qr') as BuiltElement;
  element.setAttribute('endpoint', endpoint);
  return element;
}

function statusReached(element: HTMLElement, status: string): Promise<void> {
  return new Promise((resolve) => {
    element.addEventListener('otp-login-qr-status', (event) => {
      if ((event as CustomEvent<{ status: string }>).detail.status === status) resolve();
    });
  });
}

describe('the built bundle', () => {
  beforeEach(async () => {
    // Once per page: a module is evaluated once, and it defines the tag.
    await import(BUNDLE_URL);
  });

  afterEach(() => {
    document.body.replaceChildren();
  });

  it('draws the QR styled by an adopted stylesheet, then shows scanned with the code', async () => {
    const element = addElement('/built-check/ok');
    const pending = statusReached(element, 'pending');
    const scanned = statusReached(element, 'scanned');
    document.body.append(element);
    await pending;
    await element.updateComplete;
    const root = element.shadowRoot;
    if (!root) throw new Error('no shadow root');
    expect(root.adoptedStyleSheets).to.have.length(1);
    expect(root.querySelectorAll('style')).to.have.length(0);
    const base = root.querySelector('[part=base]');
    if (!base) throw new Error('no base part');
    expect(getComputedStyle(base).display).to.equal('flex');
    expect(root.querySelector('svg[part=qr] path')?.getAttribute('d')).to.match(/^M\d/);
    expect(root.querySelector('svg[part=qr]')?.getAttribute('role')).to.equal('img');
    await scanned;
    await element.updateComplete;
    expect(element.getAttribute('status')).to.equal('scanned');
    expect(root.querySelector('[part=code]')?.textContent).to.equal('42');
    expect(root.querySelector('[part=status]')?.textContent).to.contain('42');
  });

  it('words itself for linking a phone with purpose="link" (sentences under shortened names too)', async () => {
    const element = addElement('/built-check/ok');
    element.setAttribute('purpose', 'link');
    const pending = statusReached(element, 'pending');
    document.body.append(element);
    await pending;
    await element.updateComplete;
    const root = element.shadowRoot;
    expect(root?.querySelector('[part=status]')?.textContent).to.equal(
      'Scan this code with the app on your phone to link it.',
    );
    expect(root?.querySelector('svg[part=qr]')?.getAttribute('aria-label')).to.equal(
      'QR code to link your phone: scan it with the app on your phone',
    );
    const idle = statusReached(element, 'idle');
    (element as BuiltElement & { stop(): void }).stop();
    await idle;
    await element.updateComplete;
    expect(root?.querySelector('[part=status]')?.textContent).to.equal(
      'Linking with a code is paused.',
    );
  });

  it('asks whether the phone shows the same code, and links it on "Yes"', async () => {
    const element = addElement('/built-check/link');
    element.setAttribute('purpose', 'link');
    const asked = new Promise<unknown>((resolve) => {
      element.addEventListener('otp-login-qr-confirm', (event) => {
        resolve((event as CustomEvent).detail);
      });
    });
    const accepted = new Promise<unknown>((resolve) => {
      element.addEventListener('otp-login-qr-accepted', (event) => {
        event.preventDefault();
        resolve((event as CustomEvent).detail);
      });
    });
    document.body.append(element);
    expect(await asked).to.deep.equal({ kind: 'compare_code', compareCode: '482193' });
    await element.updateComplete;
    const root = element.shadowRoot;
    expect(root?.querySelector('[part=code]')?.textContent).to.equal('482 193');
    expect(root?.querySelector('[part=status]')?.textContent).to.equal(
      'Does your phone show this code?',
    );
    const answers = [...(root?.querySelectorAll('button') ?? [])];
    expect(answers.map((button) => button.textContent)).to.deep.equal([
      'Yes, link this phone',
      'No, it shows something else',
    ]);

    answers[0]?.click();

    expect(await accepted).to.deep.equal({ redirectTo: '/linked' });
    await element.updateComplete;
    expect(root?.querySelector('[part=status]')?.textContent).to.equal('Your phone is linked.');
  });

  it("names its errors by their classes' names, and its button starts again", async () => {
    const element = addElement('/built-check/bad');
    const failed = new Promise<Error & { code: string }>((resolve) => {
      element.addEventListener('otp-login-qr-error', (event) => {
        resolve((event as CustomEvent<{ error: Error & { code: string } }>).detail.error);
      });
    });
    document.body.append(element);
    const error = await failed;
    expect([error.name, error.code, (error.cause as Error).name]).to.deep.equal([
      'OtpLoginQrError',
      'malformed_response',
      'WebsiteContractError',
    ]);
    await element.updateComplete;
    const loading = statusReached(element, 'loading');
    element.shadowRoot?.querySelector<HTMLButtonElement>('[part=button]')?.click();
    await loading;
  });
});
