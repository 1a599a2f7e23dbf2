/*
 * The website contract has two readers: its valibot schemas (website-contract-schemas.ts: what a
 * website sends, checked in the kit's and the mock's tests) and the element's own small parser
 * (website-contract.ts, which keeps valibot out of the element). Both are held to the same cases
 * here. Where the element is more lenient than the contract, the case says why.
 */
import { expect } from 'chai';
import * as v from 'valibot';
import { describe, it } from '#spec';
import {
  isSlowDown,
  LoginStatusResponseSchema,
  MAX_QR_TEXT_LENGTH,
  parseLoginStatusResponse,
  parseStartLoginResponse,
  SlowDownResponseSchema,
  StartLoginResponseSchema,
  WEBSITE_CONTRACT_LIMITS,
  WEBSITE_ERROR_STATUSES,
  WebsiteContractError,
  WebsiteErrorResponseSchema,
} from '../../src/protocol/index.js';

/** A body both readers read, to the same value (fields outside the contract are left out). */
interface Read {
  readonly body: unknown;
  readonly read: unknown;
  /** Why the element reads a body that the contract refuses a website to send. */
  readonly lenient?: string;
}

/** A body both refuse; the element names the fault with a code and a field. */
interface Refused {
  readonly body: unknown;
  readonly refused: readonly [code: string, field: string | undefined];
}

type Case = Read | Refused;

const { idLength, codeLength, urlLength, maxExpiresIn, maxInterval } = WEBSITE_CONTRACT_LIMITS;

const start = { id: 'abc_DEF-123', qr: 'HTTPS://SCAN.EXAMPLE/#1', expires_in: 60, interval: 2 };
const full = { ...start, code: '42', same_device_url: 'https://scan.example/#1' };

const same = (body: unknown): Read => ({ body, read: body });

const START_CASES: Case[] = [
  same(start),
  same(full),
  { body: { ...full, extra: true }, read: full },
  same({ ...start, id: 'x'.repeat(idLength), qr: 'x'.repeat(MAX_QR_TEXT_LENGTH) }),
  same({ ...start, expires_in: maxExpiresIn, interval: maxInterval }),
  same({ ...start, expires_in: 0.5, interval: 0 }),
  same({ ...start, code: 'x'.repeat(codeLength), same_device_url: 'x'.repeat(urlLength) }),
  { body: null, refused: ['not_an_object', undefined] },
  { body: [start], refused: ['not_an_object', undefined] },
  { body: '{}', refused: ['not_an_object', undefined] },
  { body: { ...start, id: undefined }, refused: ['missing_field', 'id'] },
  { body: { ...start, id: '../admin' }, refused: ['invalid_field', 'id'] },
  { body: { ...start, id: 'x'.repeat(idLength + 1) }, refused: ['invalid_field', 'id'] },
  { body: { ...start, qr: '' }, refused: ['invalid_field', 'qr'] },
  { body: { ...start, qr: 42 }, refused: ['invalid_field', 'qr'] },
  {
    body: { ...start, qr: 'x'.repeat(MAX_QR_TEXT_LENGTH + 1) },
    refused: ['invalid_field', 'qr'],
  },
  { body: { ...start, expires_in: 0 }, refused: ['invalid_field', 'expires_in'] },
  { body: { ...start, expires_in: '60' }, refused: ['invalid_field', 'expires_in'] },
  { body: { ...start, expires_in: maxExpiresIn + 1 }, refused: ['invalid_field', 'expires_in'] },
  { body: { ...start, interval: undefined }, refused: ['missing_field', 'interval'] },
  { body: { ...start, interval: -1 }, refused: ['invalid_field', 'interval'] },
  { body: { ...start, interval: Number.NaN }, refused: ['invalid_field', 'interval'] },
  { body: { ...start, interval: Infinity }, refused: ['invalid_field', 'interval'] },
  { body: { ...start, interval: maxInterval + 1 }, refused: ['invalid_field', 'interval'] },
  { body: { ...start, code: 42 }, refused: ['invalid_field', 'code'] },
  { body: { ...start, code: 'x'.repeat(codeLength + 1) }, refused: ['invalid_field', 'code'] },
  { body: { ...start, same_device_url: '' }, refused: ['invalid_field', 'same_device_url'] },
  // Of several faults, the first in the contract's field order is named.
  { body: { ...start, id: '../admin', qr: '' }, refused: ['invalid_field', 'id'] },
  { body: { ...start, qr: undefined, code: 42 }, refused: ['missing_field', 'qr'] },
];

const STATUS_CASES: Case[] = [
  same({ status: 'pending' }),
  same({ status: 'scanned', interval: 3 }),
  same({ status: 'denied' }),
  same({ status: 'expired' }),
  same({ status: 'accepted', redirect_to: '/account', interval: 3 }),
  { body: { status: 'pending', extra: 1 }, read: { status: 'pending' } },
  {
    body: { status: 'accepted' },
    read: { status: 'accepted' },
    lenient: 'without redirect_to, the element logs in and the page stays where it is',
  },
  { body: null, refused: ['not_an_object', undefined] },
  same({ status: 'confirm', confirm: 'enter_code' }),
  same({ status: 'confirm', confirm: 'enter_code', tries_left: 2 }),
  same({ status: 'confirm', confirm: 'compare_code', compare_code: '482193' }),
  { body: { status: 'confirm' }, refused: ['invalid_field', 'confirm'] },
  { body: { status: 'confirm', confirm: 'compare_code' }, refused: ['invalid_field', 'confirm'] },
  {
    body: { status: 'confirm', confirm: 'enter_code', compare_code: '123456' },
    refused: ['invalid_field', 'confirm'],
  },
  { body: { status: 'pending', confirm: 'enter_code' }, refused: ['invalid_field', 'confirm'] },
  {
    body: { status: 'confirm', confirm: 'compare_code', compare_code: '12345' },
    refused: ['invalid_field', 'compare_code'],
  },
  {
    body: { status: 'confirm', confirm: 'enter_code', tries_left: 0 },
    refused: ['invalid_field', 'tries_left'],
  },
  { body: {}, refused: ['missing_field', 'status'] },
  { body: { status: 'done' }, refused: ['invalid_field', 'status'] },
  { body: { status: 'pending', interval: -1 }, refused: ['invalid_field', 'interval'] },
  { body: { status: 'accepted', redirect_to: '' }, refused: ['invalid_field', 'redirect_to'] },
  {
    body: { status: 'accepted', redirect_to: 'x'.repeat(urlLength + 1) },
    refused: ['invalid_field', 'redirect_to'],
  },
  { body: { status: 'done', interval: -1 }, refused: ['invalid_field', 'interval'] },
];

const SLOW_DOWN_CASES: Case[] = [
  same({ error: 'slow_down', interval: 5 }),
  same({ error: 'slow_down', interval: 0 }),
  {
    body: { error: 'slow_down' },
    read: { error: 'slow_down' },
    lenient: 'RFC 8628 servers leave interval out; the element then waits 5 seconds more',
  },
  { body: { error: 'boom' }, refused: ['invalid_field', 'error'] },
  { body: { error: 'slow_down', interval: '5' }, refused: ['invalid_field', 'interval'] },
  { body: { error: 'slow_down', interval: 601 }, refused: ['invalid_field', 'interval'] },
  { body: { error: 'boom', interval: -1 }, refused: ['invalid_field', 'interval'] },
];

/** What the element's parser makes of `body`: its value, or its refusal. */
function elementReads(parse: (body: unknown) => unknown, body: unknown) {
  try {
    return { read: parse(body) };
  } catch (error) {
    expect(error, 'the element throws only WebsiteContractError').to.be.instanceOf(
      WebsiteContractError,
    );
    const { code, field } = error as WebsiteContractError;
    return { refused: [code, field] };
  }
}

function holdsBothReaders(
  cases: readonly Case[],
  schema: v.GenericSchema,
  parse: (body: unknown) => unknown,
): void {
  for (const testCase of cases) {
    const what = JSON.stringify(testCase.body);
    const element = elementReads(parse, testCase.body);
    const contract = v.safeParse(schema, testCase.body);
    if ('refused' in testCase) {
      expect(element, `the element refuses ${what}`).to.deep.equal({ refused: testCase.refused });
      expect(contract.success, `the contract refuses ${what}`).to.equal(false);
    } else {
      expect(element, `the element reads ${what}`).to.deep.equal({ read: testCase.read });
      if (testCase.lenient === undefined) {
        expect(contract.success, `the contract takes ${what}`).to.equal(true);
        expect(contract.output, `the contract reads ${what}`).to.deep.equal(testCase.read);
      } else {
        expect(contract.success, `the contract refuses ${what}: ${testCase.lenient}`).to.equal(
          false,
        );
      }
    }
  }
}

describe('the website contract', () => {
  it('start responses: the element reads and refuses what the contract does', () => {
    holdsBothReaders(START_CASES, StartLoginResponseSchema, parseStartLoginResponse);
  });

  it('status responses: the element reads and refuses what the contract does', () => {
    holdsBothReaders(STATUS_CASES, LoginStatusResponseSchema, parseLoginStatusResponse);
  });

  it('slow_down: the element reads and refuses what the contract does', () => {
    holdsBothReaders(SLOW_DOWN_CASES, SlowDownResponseSchema, parseLoginStatusResponse);
    expect(isSlowDown(parseLoginStatusResponse({ error: 'slow_down', interval: 5 }))).to.equal(
      true,
    );
    expect(isSlowDown(parseLoginStatusResponse({ status: 'pending' }))).to.equal(false);
  });

  it('the element says what it expected, for the logs and the error event', () => {
    const messages: [parse: (body: unknown) => unknown, body: unknown, message: string][] = [
      [parseStartLoginResponse, [], 'The response is not a JSON object.'],
      [parseStartLoginResponse, { ...start, id: undefined }, 'No id.'],
      [
        parseStartLoginResponse,
        { ...start, id: '../admin' },
        `id must be 1 to ${idLength} of A-Z a-z 0-9 _ -.`,
      ],
      [
        parseStartLoginResponse,
        { ...start, qr: '' },
        `qr must be a string of 1 to ${MAX_QR_TEXT_LENGTH} characters.`,
      ],
      [
        parseStartLoginResponse,
        { ...start, expires_in: 0 },
        `expires_in must be above 0 and at most ${maxExpiresIn} seconds.`,
      ],
      [
        parseStartLoginResponse,
        { ...start, interval: -1 },
        `interval must be 0 to ${maxInterval} seconds.`,
      ],
      [
        parseStartLoginResponse,
        { ...start, code: '' },
        `code must be a string of 1 to ${codeLength} characters.`,
      ],
      [
        parseLoginStatusResponse,
        { status: 'done' },
        'status must be one of pending, scanned, confirm, accepted, denied, expired.',
      ],
      [
        parseLoginStatusResponse,
        { status: 'accepted', redirect_to: '' },
        `redirect_to must be a string of 1 to ${urlLength} characters.`,
      ],
      [
        parseLoginStatusResponse,
        { status: 'confirm', confirm: 'yes' },
        'confirm must be one of enter_code, compare_code.',
      ],
      [
        parseLoginStatusResponse,
        { status: 'confirm', confirm: 'compare_code', compare_code: '1' },
        'compare_code must be six digits.',
      ],
      [
        parseLoginStatusResponse,
        { status: 'confirm', confirm: 'enter_code', tries_left: 1.5 },
        'tries_left must be a whole number from 1 to 10.',
      ],
      [
        parseLoginStatusResponse,
        { status: 'confirm' },
        'confirm does not fit status or compare_code.',
      ],
      [parseLoginStatusResponse, { error: 'boom' }, 'error must be "slow_down".'],
    ];
    for (const [parse, body, message] of messages)
      expect(() => parse(body), JSON.stringify(body))
        .to.throw(WebsiteContractError)
        .with.property('message', message);
  });

  it('a field sent as undefined is absent: no key for it in what the element reads', () => {
    const login = parseStartLoginResponse({ ...start, code: undefined });
    expect(Object.keys(login)).to.deep.equal(Object.keys(start));
    const status = parseLoginStatusResponse({ status: 'pending', interval: undefined });
    expect(Object.keys(status)).to.deep.equal(['status']);
  });

  it('every other error names one of the contract’s errors, each with its HTTP status', () => {
    const codes = Object.keys(WEBSITE_ERROR_STATUSES);
    for (const error of codes)
      expect(v.is(WebsiteErrorResponseSchema, { error, error_description: 'Why.' })).to.equal(true);
    expect(v.is(WebsiteErrorResponseSchema, { error: 'not_found' })).to.equal(true);
    expect(v.is(WebsiteErrorResponseSchema, { error: 'teapot' })).to.equal(false);
    expect(v.is(WebsiteErrorResponseSchema, { error: 'busy', error_description: '' })).to.equal(
      false,
    );
    expect(WEBSITE_ERROR_STATUSES).to.include({
      forbidden: 403,
      unauthorized: 401,
      not_found: 404,
    });
  });
});
