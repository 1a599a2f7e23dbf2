/*
 * Long names on a phone's narrow screen: an email wraps after its "@" or a dot, as people write
 * it on two lines, never mid-word while such a place exists; the text stays whole.
 */
import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { setLocale } from '../../src/app/i18n/locale.js';
import '../../src/app/views/define.js';
import type { AccountView, LinkPreviewView, LoginRequestView } from '../../src/app/view-models.js';
import { asRead } from '../support/as-read.js';
import { expectAxeClean } from './support/axe.js';

/** Long enough for two lines on a phone 390 px wide, and no hyphen (which is a place to wrap of its own). */
const EMAIL = 'alexandra.vandenberghe@examplecompany.com';

/**
 * The lines `element`'s text is laid out in, as a reader sees them (isolates left out): each
 * character goes to the line of its box's top.
 */
function linesOf(element: Element): string[] {
  const lines: { top: number; text: string }[] = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const value = node.nodeValue ?? '';
    for (let index = 0; index < value.length; index += 1) {
      const char = value.charAt(index);
      if (/[\u2066-\u2069]/.test(char)) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      const { top, height } = range.getBoundingClientRect();
      if (height === 0) continue;
      const line = lines.at(-1);
      if (line !== undefined && Math.abs(line.top - top) < height / 2) line.text += char;
      else lines.push({ top, text: char });
    }
  }
  return lines.map((line) => line.text);
}

/** Every line ends where a name may wrap: at a space, or after "@" or a dot. */
function expectWrappedAtSensiblePoints(element: Element): void {
  const lines = linesOf(element);
  expect(lines.length, `wraps: ${JSON.stringify(lines)}`).to.be.above(1);
  // The space a line wraps at may be measured at either end of the lines it parts.
  for (const [index, line] of lines.slice(0, -1).entries())
    expect(`${line}|${lines[index + 1] ?? ''}`, JSON.stringify(lines)).to.match(/([ @.]\||\| )/);
  expect(element.scrollWidth, 'nothing sticks out').to.be.at.most(element.clientWidth + 1);
}

type View = HTMLElement & { updateComplete: Promise<boolean> };

describe('long names', () => {
  let view: View | undefined;

  async function mount<T extends View>(element: T): Promise<T> {
    // A phone's narrow column (the test page has no CSP; the app sets no style attribute).
    element.style.width = '390px';
    element.style.display = 'flex';
    document.body.append(element);
    view = element;
    await element.updateComplete;
    return element;
  }

  function within(element: Element, selector: string): Element {
    const found = element.shadowRoot?.querySelector(selector);
    if (found === null || found === undefined) throw new Error(`no ${selector}`);
    return found;
  }

  beforeEach(() => {
    setLocale('en');
  });

  afterEach(() => {
    view?.remove();
    view = undefined;
  });

  it('wrap after "@" or a dot on the login question, and the account is said once', async () => {
    const request: LoginRequestView = {
      siteName: 'Demo Bank',
      message: 'Log in to Demo Bank',
      browser: 'Firefox 128',
      os: 'Windows 10',
      sameNetwork: true,
      place: undefined,
      presenceRequired: false,
      requestedAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
      accountName: EMAIL,
    };
    const confirmation = document.createElement('app-confirmation');
    confirmation.request = request;
    await mount(confirmation);
    const rows = Array.from(confirmation.shadowRoot?.querySelectorAll('dd') ?? []);
    const account = rows.find((dd) => asRead(dd.textContent).includes('@'));
    if (account === undefined) throw new Error('no account row');
    expect(asRead(account.textContent), 'whole, for a copy and a screen reader').to.equal(EMAIL);
    expectWrappedAtSensiblePoints(account);
    expect(asRead(confirmation.shadowRoot?.textContent ?? '')).not.to.include(
      `${EMAIL} at Demo Bank`,
    );
    await expectAxeClean(confirmation);
  });

  it('wrap after "@" or a dot in the title of the link question', async () => {
    const preview: LinkPreviewView = {
      siteName: 'Demo Bank',
      accountName: EMAIL,
      browser: 'Firefox 128',
      os: 'Windows 10',
      sameNetwork: true,
      place: undefined,
      expiresAt: new Date(Date.now() + 60_000),
    };
    const question = document.createElement('app-link-question');
    question.preview = preview;
    await mount(question);
    const title = within(question, 'h1');
    expect(asRead(title.textContent)).to.equal(`Link this phone to ${EMAIL} at Demo Bank?`);
    expectWrappedAtSensiblePoints(title);
    await expectAxeClean(question);
  });

  it('move whole to the next line when they fit there, and are not broken', async () => {
    const preview: LinkPreviewView = {
      siteName: 'Demo Bank',
      accountName: 'alice@example.com',
      browser: 'Firefox 128',
      os: 'Windows 10',
      sameNetwork: true,
      place: undefined,
      expiresAt: new Date(Date.now() + 60_000),
    };
    const question = document.createElement('app-link-question');
    question.preview = preview;
    await mount(question);
    const lines = linesOf(within(question, 'h1'));
    expect(lines.length, JSON.stringify(lines)).to.be.above(1);
    expect(
      lines.some((line) => line.includes('alice@example.com')),
      JSON.stringify(lines),
    ).to.equal(true);
  });

  it('wrap after "@" or a dot on the home screen, beside the Unlink button', async () => {
    const account: AccountView = {
      profileId: 'p1',
      accountName: EMAIL,
      userId: EMAIL,
      siteName: 'Demo Bank',
      enrolledAt: new Date(),
      active: true,
    };
    const home = document.createElement('app-home');
    home.accounts = [account];
    await mount(home);
    const name = within(home, '.who strong');
    expect(asRead(name.textContent)).to.equal(`${EMAIL} at Demo Bank`);
    expectWrappedAtSensiblePoints(name);
    const unlink = within(home, '.unlink').getBoundingClientRect();
    expect(unlink.right, 'the Unlink button stays on screen').to.be.at.most(
      home.getBoundingClientRect().right,
    );
    await expectAxeClean(home);
  });
});
