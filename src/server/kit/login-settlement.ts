import type { Context } from 'hono';
import {
  browserGone,
  loggedIn,
  noSuchLogin,
  reportStatus,
  type ConfirmDetails,
} from './kit-answers.js';
import type { FlowRequester, KitFlow, Observation } from './kit-flow.js';
import type { KitSettings } from './kit-settings.js';
import { forgetAtOf } from './login-lifetime.js';
import type { LoginRecord, LoginStore } from './login-store.js';
import type { PollPacer } from './poll-pacer.js';

/**
 * Answers a browser with what a poll or a confirmation learnt of its login, and records it: the
 * one place that turns an observation into an answer, so that both requests log in alike.
 */
export type SettleLogin = (
  c: Context,
  flow: KitFlow,
  id: string,
  record: LoginRecord,
  seen: Observation,
  who: FlowRequester,
  by: 'poll' | 'confirmation',
) => Promise<Response>;

/**
 * A login in `confirm` is kept at least this long after the kit first sees it there, whatever its
 * code's time was: the browser's user reads the phone's code and types it (or compares it), and
 * the Token Server, which gives them a time of its own (at most 10 minutes, a type's longest
 * `presenceTimeToLiveMs`), says when it is over.
 */
const CONFIRM_KEEP_MS = 10 * 60_000;

/**
 * A new status (or new confirm details) is recorded and reported. An accepted login is taken from
 * the store: of racing polls and confirmations, exactly one takes it, and only that one runs the
 * website's hook and hands the browser its session; the others find no login (404).
 */
export function loginSettlement(parts: {
  settings: Pick<KitSettings, 'interval'>;
  store: LoginStore;
  pacer: PollPacer;
}): SettleLogin {
  const { settings, store, pacer } = parts;
  return async (c, flow, id, record, seen, who, by) => {
    const request = c.req.raw;
    if (seen.status !== 'accepted') {
      const next = recorded(record, seen);
      if (differs(record, next)) await store.replace(id, next, forgetAtOf(next));
      return seen.status === 'confirm'
        ? reportStatus(c, 'confirm', confirmDetails(flow, next))
        : reportStatus(c, seen.status);
    }
    // A browser that went away would never get its session: leave the login for its next poll.
    if (request.signal.aborted) return browserGone(c, settings.interval);
    // A poll held while the browser's confirmation went to the Token Server leaves the session to
    // the confirmation's answer: the page dropped this poll to send it, and reads only that one.
    if (by === 'poll') {
      const current = await store.get(id);
      if ((current?.confirmingUntil ?? 0) > Date.now() && current !== undefined)
        return reportStatus(c, 'confirm', confirmDetails(flow, current));
    }
    // Exactly one request takes the accepted login; a replay or a racing one finds nothing.
    const taken = await store.take(id);
    pacer.forget(id);
    if (taken === undefined || seen.userId === undefined) return noSuchLogin(c);
    return loggedIn(c, await flow.conclude(seen.userId, seen, request, who));
  };
}

/** The login as it is to be kept after `seen`. */
function recorded(record: LoginRecord, seen: Observation): LoginRecord {
  const rest: LoginRecord = { ...record, status: seen.status };
  // The confirm details belong to a `confirm` status only.
  delete rest.compareCode;
  delete rest.triesLeft;
  if (seen.status !== 'confirm') return rest;
  const keepUntil =
    seen.expiresAt ??
    (record.status === 'confirm' ? record.expiresAt : Date.now() + CONFIRM_KEEP_MS);
  return {
    ...rest,
    expiresAt: Math.max(record.expiresAt, keepUntil),
    // A poll whose wait ended with nothing new knows no more than the record: keep what it says.
    ...optional('compareCode', seen.compareCode ?? record.compareCode),
    ...optional('triesLeft', seen.triesLeft ?? record.triesLeft),
  };
}

/** `{[name]: value}`, or nothing when `value` is undefined (the record's fields are optional). */
function optional<K extends string, T>(name: K, value: T | undefined): { [key in K]?: T } {
  return (value === undefined ? {} : { [name]: value }) as { [key in K]?: T };
}

function differs(before: LoginRecord, after: LoginRecord): boolean {
  return (
    before.status !== after.status ||
    before.expiresAt !== after.expiresAt ||
    before.compareCode !== after.compareCode ||
    before.triesLeft !== after.triesLeft
  );
}

/** What the page is asked to do for a login in `confirm`. */
function confirmDetails(flow: KitFlow, record: LoginRecord): ConfirmDetails {
  if (flow.confirmKind === 'enter_code')
    return {
      kind: 'enter_code',
      ...(record.triesLeft === undefined ? {} : { triesLeft: record.triesLeft }),
    };
  if (record.compareCode === undefined)
    // The Token Server always names the code of a link to confirm (the client checks it).
    throw new Error('A link to confirm has no code to compare.');
  return { kind: 'compare_code', compareCode: record.compareCode };
}
