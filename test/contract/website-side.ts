/*
 * What the website contract suite (website-contract.ts) needs from a side that speaks the
 * contract: the relying-party kit in front of a real Token Server, or the MSW mock that users
 * test their pages with. The suite tells each story the same way to both; a side only sets the
 * story up and plays the parts that are not the browser's (the phone, the passing of time).
 */

/**
 * The stories, named after the mock's scenarios:
 * - `pending`: nobody scans the code (the website as it starts);
 * - `accept`, `deny`: the user scans the code, then accepts or denies on the phone;
 * - `expire`: nobody answers before the code runs out;
 * - `lost`: the website forgets the login (a restart) while the page polls it;
 * - `rate_limited`: the browser's address has made too many status requests;
 * - `forbidden_origin`: the website's public origin is not the origin of its own pages;
 * - `compare_code`: linking a phone: the phone uses the code, and the page is asked whether the
 *   phone shows the page's code;
 * - `enter_code`: a login with proof of presence: after Accept, the page is asked for the code
 *   the phone shows;
 * - `unauthorized`: a second factor (or phone link) started by nobody logged in;
 * - `reauthentication_required`: a phone link started by a user who has not signed in recently;
 * - `busy`: the website holds as many logins as it may;
 * - `unavailable`: the Token Server behind the website cannot be reached.
 */
export type WebsiteStory =
  | 'pending'
  | 'accept'
  | 'deny'
  | 'expire'
  | 'lost'
  | 'rate_limited'
  | 'forbidden_origin'
  | 'compare_code'
  | 'enter_code'
  | 'unauthorized'
  | 'reauthentication_required'
  | 'busy'
  | 'unavailable';

/** One website, set up for one story. */
export interface WebsiteUnderTest {
  /** The origin of the website's pages: what its pages send as `Origin`. */
  readonly origin: string;
  /** The path of the login endpoint, e.g. `/otp-login`. */
  readonly endpoint: string;
  /** Delivers a browser's request (sent from address `ip`) to the website. */
  send(request: Request, ip: string): Promise<Response>;
  /** The user's phone scans `qr`. */
  scan(qr: string): Promise<void>;
  /** The user answers on the phone that scanned. */
  answer(answer: 'accept' | 'deny'): Promise<void>;
  /**
   * The code the phone shows once it has linked (`compare_code`) or accepted (`enter_code`): the
   * one the page compares, or the one the user types.
   */
  phoneCode(): string;
  /** The website forgets login `id`. */
  forget(id: string): Promise<void>;
  /**
   * `ms` pass. The suite moves `Date` itself; a side moves any other clock it has (the Token
   * Server's).
   */
  timePassed(ms: number): void;
  close(): Promise<void>;
}

export interface WebsiteSide {
  /** Who speaks the contract, for the test names. */
  readonly name: string;
  /** A website on which `story` will happen. */
  open(story: WebsiteStory): Promise<WebsiteUnderTest>;
}
