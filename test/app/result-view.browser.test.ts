/* The result screen: a mark that says with its shape what the title says in words. */
import { expect } from 'chai';
import { afterEach, beforeEach, describe, it } from '#spec';
import { setLocale } from '../../src/app/i18n/locale.js';
import '../../src/app/views/define.js';
import { MARK_OF } from '../../src/app/views/result-view.js';
import type { ResultView } from '../../src/app/views/result-view.js';
import type { OutcomeKind, OutcomeView } from '../../src/app/view-models.js';
import { asRead } from '../support/as-read.js';
import { expectAxeClean } from './support/axe.js';

describe('<app-result>', () => {
  let result: ResultView;

  async function show(outcome: OutcomeView): Promise<ResultView> {
    result = document.createElement('app-result');
    result.outcome = outcome;
    document.body.append(result);
    await result.updateComplete;
    return result;
  }

  function text(): string {
    return asRead(result.shadowRoot?.textContent ?? '');
  }

  function mark(): SVGSVGElement {
    const found = result.shadowRoot?.querySelector<SVGSVGElement>('svg.mark');
    if (found === null || found === undefined) throw new Error('no mark');
    return found;
  }

  beforeEach(() => {
    setLocale('en');
  });

  afterEach(() => {
    result.remove();
  });

  for (const [kind, expected, title] of [
    ['accepted', 'tick', 'You are logged in'],
    ['denied', 'cross', 'Login denied'],
    ['expired', 'warning', 'The code expired'],
    ['link-not-confirmed', 'warning', 'Confirm the link on the website first'],
  ] as const) {
    it(`draws a ${expected} above "${title}", hidden from screen readers`, async () => {
      await show({ kind, siteName: 'Demo Bank' });
      expect(text()).to.include(title);
      expect(mark().dataset.mark).to.equal(expected);
      expect(result.getAttribute('mark')).to.equal(expected);
      expect(mark().getAttribute('aria-hidden')).to.equal('true');
      // Drawn, not an empty disc: a sign in white on a coloured ground, both from the stylesheet.
      const sign = mark().querySelector('.sign');
      expect(sign, 'a sign').not.to.equal(null);
      expect(getComputedStyle(sign as Element).stroke).to.equal('rgb(255, 255, 255)');
      const ground = getComputedStyle(mark().querySelector('.ground') as Element).fill;
      expect(ground).to.equal(
        { tick: 'rgb(30, 107, 48)', cross: 'rgb(164, 38, 44)', warning: 'rgb(138, 75, 0)' }[
          expected
        ],
      );
      expect(mark().getBoundingClientRect().width).to.be.above(40);
      await expectAxeClean(result);
    });
  }

  it('gives every outcome one of the three marks: amber ones ask to try again', () => {
    const warnings = (Object.keys(MARK_OF) as OutcomeKind[]).filter(
      (kind) => MARK_OF[kind] === 'warning',
    );
    expect(warnings.sort()).to.deep.equal(['expired', 'handled', 'link-not-confirmed', 'offline']);
    expect(MARK_OF.accepted).to.equal('tick');
    for (const kind of ['denied', 'error', 'link-failed', 'link-used', 'not-linked', 'unlinked'])
      expect(MARK_OF[kind as OutcomeKind], kind).to.equal('cross');
  });

  it('tells a denied passwordless login that nothing happened', async () => {
    await show({ kind: 'denied', secondFactor: false });
    expect(text()).to.include(
      'Nobody was logged in. If you did not try to log in, nothing happened: your account is safe.',
    );
    expect(text()).not.to.include('password');
  });

  it('tells a denied login of unknown mode the same: it blames no password', async () => {
    await show({ kind: 'denied' });
    expect(text()).to.include('nothing happened: your account is safe');
    expect(text()).not.to.include('password');
  });

  it('tells a denied second factor that someone may know the password', async () => {
    await show({ kind: 'denied', secondFactor: true });
    expect(text()).to.include(
      'Nobody was logged in. If you did not try to log in, someone may know your password: change it on the website.',
    );
  });

  it('says it in Dutch on a Dutch phone', async () => {
    setLocale('nl');
    await show({ kind: 'denied', secondFactor: true });
    expect(text()).to.include('Dan kent iemand misschien je wachtwoord');
  });
});
