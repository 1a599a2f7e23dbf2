import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeUserAgent } from '../../src/server/token-server/requester-context.js';

describe('what the phone is told about the browser that asked to log in', () => {
  it('names the browser and system of a common user agent', () => {
    assert.deepEqual(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ),
      { browser: 'Chrome 131', os: 'Windows 10' },
    );
    assert.deepEqual(
      describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'),
      { browser: 'Firefox 128', os: 'Linux' },
    );
    assert.deepEqual(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
      { browser: 'Safari 17', os: 'iOS 17.5' },
    );
  });

  it('shows no name that the user agent made up, however official it sounds', () => {
    assert.deepEqual(describeUserAgent('Demo Bank Official App/1.0 (Secure Login) x'), {
      browser: null,
      os: null,
    });
  });

  it('shows nothing of a user agent that would read backwards or hides characters', () => {
    assert.deepEqual(describeUserAgent('\u202eppA knaB omeD/2 '), { browser: null, os: null });
    assert.deepEqual(describeUserAgent('Fire\u200bfox/128.0 '), { browser: null, os: null });
  });

  it('keeps a known name but drops a version no browser has', () => {
    assert.deepEqual(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/99999999.1 Safari/537.36',
      ),
      { browser: 'Chrome', os: 'Windows 10' },
    );
  });

  it('says nothing for no user agent', () => {
    assert.deepEqual(describeUserAgent(null), { browser: null, os: null });
    assert.deepEqual(describeUserAgent(''), { browser: null, os: null });
  });
});
