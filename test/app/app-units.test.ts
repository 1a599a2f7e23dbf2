import { expect } from 'chai';
import { afterEach, describe, it } from '#spec';
import { AppConfigError, loadAppConfig, parseAppConfig } from '../../src/app/app-config.js';
import { outcomeOfError } from '../../src/app/app-session.js';
import { dateTimeText } from '../../src/app/date-text.js';
import {
  FAR_FROM_PHONE_KM,
  groupedCode,
  isFarFromPhone,
  placeLine,
} from '../../src/app/place-text.js';
import { messagesEn } from '../../src/app/i18n/messages-en.js';
import { messagesNl } from '../../src/app/i18n/messages-nl.js';
import {
  currentLanguageTag,
  pickLanguageTag,
  pickLocale,
  setLocale,
  t,
} from '../../src/app/i18n/locale.js';
import { toCameraError } from '../../src/app/scanner/camera-error.js';
import { viewfinderRegion } from '../../src/app/scanner/viewfinder.js';
import { SDK_ERRORS } from '../../src/protocol/index.js';
import { OneginiError } from '../../src/sdk/index.js';
import { endlessBody, rejectionOf } from '../support/endless-body.js';

describe('viewfinderRegion', () => {
  it('is the centred square of 70 % of the shorter side', () => {
    expect(viewfinderRegion(640, 480)).to.deep.equal({ x: 152, y: 72, size: 336 });
    expect(viewfinderRegion(480, 640)).to.deep.equal({ x: 72, y: 152, size: 336 });
  });

  it('refuses a frame without a size and a fraction outside (0, 1]', () => {
    expect(() => viewfinderRegion(0, 480)).to.throw(TypeError);
    expect(() => viewfinderRegion(640, 480, 0)).to.throw(TypeError);
    expect(() => viewfinderRegion(640, 480, 1.5)).to.throw(TypeError);
  });
});

describe('toCameraError', () => {
  const cases = [
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['NotReadableError', 'busy'],
    ['AbortError', 'busy'],
    ['TypeError', 'unsupported'],
    ['SomethingElse', 'failed'],
  ] as const;
  for (const [name, code] of cases) {
    it(`sorts ${name} as ${code}`, () => {
      const cause = Object.assign(new Error('from getUserMedia'), { name });
      const error = toCameraError(cause);
      expect(error.code).to.equal(code);
      expect(error.name).to.equal('CameraError');
      expect(error.cause).to.equal(cause);
    });
  }
});

describe('parseAppConfig', () => {
  it('reads the Token Server URL without a trailing slash', () => {
    expect(parseAppConfig('{"tokenServerUrl":"https://tokens.example/"}')).to.deep.equal({
      tokenServerUrl: 'https://tokens.example',
    });
  });

  for (const text of [
    'not json',
    '[]',
    'null',
    '{}',
    '{"tokenServerUrl":42}',
    '{"tokenServerUrl":"tokens.example"}',
    '{"tokenServerUrl":"ftp://tokens.example"}',
  ]) {
    it(`refuses ${text} with a typed error`, () => {
      expect(() => parseAppConfig(text))
        .to.throw(AppConfigError)
        .with.property('code', 'invalid');
    });
  }
});

describe('loadAppConfig', () => {
  /** Runs `action` with a fetch that answers `response`; the real fetch comes back after. */
  async function withFetchAnswering<T>(response: Response, action: () => Promise<T>): Promise<T> {
    const realFetch = globalThis.fetch;
    globalThis.fetch = () => Promise.resolve(response);
    try {
      return await action();
    } finally {
      globalThis.fetch = realFetch;
    }
  }

  it('reads a config.json within its few KiB', async () => {
    const config = await withFetchAnswering(
      new Response('{"tokenServerUrl":"https://tokens.example/"}'),
      () => loadAppConfig('https://app.example/config.json'),
    );
    expect(config).to.deep.equal({ tokenServerUrl: 'https://tokens.example' });
  });

  it('refuses a config.json that never ends as invalid, and stops reading it', async () => {
    const { body, state } = endlessBody();
    const error = await withFetchAnswering(new Response(body), () =>
      rejectionOf(loadAppConfig('https://app.example/config.json')),
    );
    expect(error).to.be.instanceOf(AppConfigError);
    expect(error).to.have.property('code', 'invalid');
    expect((error as Error).message).to.match(/too large/);
    expect(state.sent).to.be.at.most(8 * 1024);
    expect(state.cancelled).to.equal(true);
  });

  it('refuses a config.json whose Content-Length is over its cap', async () => {
    const response = new Response(
      `{"tokenServerUrl":"https://tokens.example/${'a'.repeat(8192)}"}`,
      {
        headers: { 'Content-Length': String(1024 * 1024) },
      },
    );
    const error = await withFetchAnswering(response, () =>
      rejectionOf(loadAppConfig('https://app.example/config.json')),
    );
    expect(error).to.be.instanceOf(AppConfigError);
    expect(error).to.have.property('code', 'invalid');
  });
});

describe('the languages', () => {
  it('follow the phone: the first of its languages the app speaks', () => {
    expect(pickLocale(['nl-NL', 'en-US'])).to.equal('nl');
    expect(pickLocale(['nl-BE'])).to.equal('nl');
    expect(pickLocale(['de-DE', 'nl'])).to.equal('nl');
    expect(pickLocale(['en-GB', 'nl'])).to.equal('en');
    expect(pickLocale(['fr-FR'])).to.equal('en');
    expect(pickLocale([])).to.equal('en');
  });

  it('keep the region of the phone’s language, for its dates', () => {
    expect(pickLanguageTag(['en-GB', 'nl'])).to.equal('en-GB');
    expect(pickLanguageTag(['de-DE', 'nl-be'])).to.equal('nl-BE');
    expect(pickLanguageTag(['fr-FR'])).to.equal('en');
    expect(pickLanguageTag(['en-'])).to.equal('en');
  });

  it('Dutch has every text that English has, and none empty', () => {
    expect(Object.keys(messagesNl).sort()).to.deep.equal(Object.keys(messagesEn).sort());
    for (const [key, value] of Object.entries(messagesNl)) {
      const text =
        typeof value === 'function' ? (value as (...a: string[]) => string)('x', 'y') : value;
      expect(text, key).to.be.a('string').and.not.equal('');
    }
  });
});

describe('names in the app’s sentences', () => {
  it('puts every text a message is given in an isolate of its own, and no number', () => {
    setLocale('nl');
    expect(t().accountAt('Alice', 'Demo Bank')).to.equal(
      '\u2068Alice\u2069 bij \u2068Demo Bank\u2069',
    );
    expect(t().cameraUnnamed(2)).to.equal('Camera 2');
    setLocale('en');
  });
});

describe('dates and times', () => {
  // 6 December 2026, 14:03 on the phone's clock.
  const moment = new Date(2026, 11, 6, 14, 3);

  afterEach(() => {
    setLocale('en');
  });

  it('follow the phone’s region: day, month, year on an en-GB phone', () => {
    setLocale('en-GB');
    expect(currentLanguageTag()).to.equal('en-GB');
    expect(dateTimeText(moment)).to.equal('6 Dec 2026, 14:03');
  });

  it('follow the phone’s region: month, day, year on an en-US phone', () => {
    setLocale('en-US');
    expect(dateTimeText(moment)).to.match(/^Dec 6, 2026, 2:03\sPM$/);
  });

  it('are Dutch on a Dutch phone', () => {
    setLocale('nl-NL');
    // WebKit's ICU writes no comma between the two.
    expect(dateTimeText(moment)).to.match(/^6 dec 2026,? 14:03$/);
  });
});

describe('outcomeOfError', () => {
  const cases = [
    ['ACTION_CANCELED', 'login', 'denied'],
    ['MOBILE_AUTHENTICATION_REQUEST_EXPIRED', 'login', 'expired'],
    ['MOBILE_AUTHENTICATION_REQUEST_ALREADY_HANDLED', 'login', 'handled'],
    ['NETWORK_CONNECTIVITY_PROBLEM', 'login', 'offline'],
    ['SERVER_NOT_REACHABLE', 'login', 'offline'],
    ['MOBILE_AUTHENTICATION_NOT_ENROLLED', 'login', 'not-linked'],
    ['DEVICE_DEREGISTERED', 'login', 'unlinked'],
    // A used "Link your phone" code: another phone may be waiting for the website's confirmation.
    ['DEVICE_ALREADY_ENROLLED', 'link', 'link-used'],
    ['DEVICE_LINK_NOT_CONFIRMED', 'login', 'link-not-confirmed'],
    // The Token Server did not take the fingerprint or face check: nobody was logged in.
    ['USER_VERIFICATION_REQUIRED', 'login', 'not-verified'],
    ['USER_VERIFICATION_FAILED', 'login', 'not-verified'],
    ['MOBILE_AUTHENTICATION_REQUEST_EXPIRED', 'link', 'expired'],
    ['GENERAL_ERROR', 'login', 'error'],
    ['GENERAL_ERROR', 'link', 'link-failed'],
  ] as const;
  for (const [name, during, kind] of cases) {
    it(`tells the user ${kind} for ${name} during ${during}`, () => {
      const error = new OneginiError(SDK_ERRORS[name].code, 'test');
      expect(outcomeOfError(error, during).kind).to.equal(kind);
    });
  }

  it('keeps a technical detail for unexpected errors only', () => {
    expect(outcomeOfError(new Error('boom'), 'login')).to.deep.equal({
      kind: 'error',
      detail: 'boom',
    });
    const expired = new OneginiError(SDK_ERRORS.MOBILE_AUTHENTICATION_REQUEST_EXPIRED.code, 'x');
    expect(outcomeOfError(expired, 'login').detail).to.equal(undefined);
  });
});

describe('the place of the browser that asks', () => {
  it('reads as "city, country · operator", with what is known', () => {
    expect(placeLine({ city: 'Amsterdam', country: 'NL', operator: 'KPN' })).to.equal(
      'Amsterdam, NL · KPN',
    );
    expect(placeLine({ country: 'NL', operator: 'KPN' })).to.equal('NL · KPN');
    expect(placeLine({ city: 'Amsterdam', country: 'NL' })).to.equal('Amsterdam, NL');
    expect(placeLine({ operator: 'KPN' })).to.equal('KPN');
    expect(placeLine({ city: ' ', distanceKm: 3 })).to.equal(undefined);
    expect(placeLine(undefined)).to.equal(undefined);
  });

  it(`is far from the phone from ${FAR_FROM_PHONE_KM} km on`, () => {
    expect(isFarFromPhone({ distanceKm: FAR_FROM_PHONE_KM - 1 })).to.equal(false);
    expect(isFarFromPhone({ distanceKm: FAR_FROM_PHONE_KM })).to.equal(true);
    expect(isFarFromPhone({ city: 'Lagos' }), 'no distance, no verdict').to.equal(false);
    expect(isFarFromPhone(undefined)).to.equal(false);
  });
});

describe('groupedCode', () => {
  it('shows six digits as two groups of three', () => {
    expect(groupedCode('482193')).to.equal('482 193');
  });

  it('leaves anything else as it is', () => {
    expect(groupedCode('48219')).to.equal('48219');
    expect(groupedCode('48219x')).to.equal('48219x');
  });
});
