import * as v from 'valibot';
import { USER_VERIFICATION_POLICIES } from '../../protocol/index.js';

/*
 * The Token Server's configuration: the websites (clients) that may use it and the login types
 * they may start. It comes from a JSON file (TOKEN_SERVER_CONFIG) and environment variables;
 * docs/token-server-api.md describes every field.
 */

/** When a login type asks for proof of presence (see `proofOfPresence`). */
export const PROOF_OF_PRESENCE_POLICIES = ['always', 'unless_same_network', 'never'] as const;
export type ProofOfPresencePolicy = (typeof PROOF_OF_PRESENCE_POLICIES)[number];

const sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'));
// http is allowed for development on this machine; production configurations use https.
const absoluteUrl = v.pipe(v.string(), v.url());

const ClientSchema = v.strictObject({
  /** The client id of HTTP Basic authentication. */
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,64}$/)),
  /**
   * SHA-256 (hex) of the client secret. Secrets are random strings of at least 32 characters,
   * so a fast hash is enough (docs/token-server-api.md shows how to make one).
   */
  secretSha256: sha256Hex,
  /** The site's name as the phone shows it: "Log in to {name}?". */
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(60)),
  /** The callback URIs this client may pass; the server posts results only to these. */
  callbackUris: v.array(absoluteUrl),
  /** The login types this client may start. */
  types: v.array(v.string()),
});

const TypeSchema = v.strictObject({
  name: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  /** How long a login request lives, in milliseconds. */
  timeToLiveMs: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(5_000), v.maxValue(600_000)),
    60_000,
  ),
  /** Default messages per language code, used when a request sends none. */
  messages: v.optional(v.record(v.string(), v.string()), {}),
  maxMessageLength: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
    155,
  ),
  /** The phone must pick the number that the website shows. */
  numberMatching: v.optional(v.boolean(), false),
  /** Second factor: the request names a user, and only that user's devices may answer. */
  secondFactor: v.optional(v.boolean(), false),
  /**
   * Proof of presence: after Accept, the phone shows a six-digit code that the browser that
   * started the login must type before the login counts, so that a relayed QR is not enough.
   * `always`; `unless_same_network`, skipped only when the browser and the phone share a network
   * (an unknown verdict asks for the code); `never` (the default: Onegini's behaviour).
   */
  proofOfPresence: v.optional(v.picklist(PROOF_OF_PRESENCE_POLICIES), 'never'),
  /** How long the browser has to type the phone's code after Accept, in milliseconds. */
  presenceTimeToLiveMs: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(10_000), v.maxValue(600_000)),
    120_000,
  ),
  /**
   * User verification on Accept: the phone's passkey checks its user's fingerprint or face, so
   * that whoever picks up an unlocked phone cannot log anyone in. `required`: an accept without
   * it is refused (a phone without a passkey can only deny); `preferred`: a phone with a passkey
   * must use it, one without accepts with a tap; `none` (the default: Onegini's behaviour).
   */
  userVerification: v.optional(v.picklist(USER_VERIFICATION_POLICIES), 'none'),
});

/**
 * Where an IP database is: a path on this machine, or a list of them (ip-location-db's files come
 * as one for IPv4 and one for IPv6).
 */
const FilePath = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));
const DatabasePath = v.union([FilePath, v.pipe(v.array(FilePath), v.minLength(1), v.maxLength(8))]);

/**
 * The IP databases that tell the phone where the browser that asked seems to be (place and
 * network operator): MaxMind DB files (GeoIP2 / GeoLite2 or ip-location-db's), read by the
 * `maxmind` reader.
 */
const IpLocationSchema = v.strictObject({
  /** A city database (GeoIP2-City layout, MMDB); the embedded one when left out. */
  cityDatabase: v.optional(DatabasePath),
  /**
   * The network operators: an ASN database (GeoLite2-ASN layout, MMDB) or ip-location-db's ASN
   * CSV (`.csv`); the embedded one when left out.
   */
  asnDatabase: v.optional(DatabasePath),
  /**
   * Use the openly licensed databases that come with the package (@ip-location-db, CC BY 4.0
   * DB-IP and CC0) for what the files above do not give.
   */
  embedded: v.optional(v.boolean(), true),
  /**
   * The credit your own databases' licence asks of whoever shows their data; the phone shows it
   * with the place. The embedded databases' credits are added by themselves.
   */
  attribution: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
});

const RateLimitSchema = v.strictObject({
  points: v.pipe(v.number(), v.integer(), v.minValue(1)),
  durationSeconds: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

export const TokenServerConfigSchema = v.strictObject({
  /**
   * The URL at which websites and phones reach this server (behind your TLS proxy), e.g.
   * `https://tokens.example.com`. With it, the server hosts the scanner app at `{publicUrl}/app/`.
   */
  publicUrl: v.optional(
    v.pipe(
      absoluteUrl,
      // URL.canParse: valibot runs this check even after v.url() failed on the same value.
      v.check(
        (url) => URL.canParse(url) && new URL(url).pathname === '/',
        'must be an origin, with no path',
      ),
    ),
  ),
  clients: v.array(ClientSchema),
  types: v.array(TypeSchema),
  /** Origins of the scanner app, the only ones allowed to call the mobile API from a browser. */
  appOrigins: v.array(absoluteUrl),
  /** How long an enrollment code lives, in milliseconds. */
  enrollmentTimeToLiveMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10_000)), 300_000),
  /**
   * How long the website has, once a phone used an enrollment code, to confirm that its user
   * sees the same code on the phone and on the linking page, in milliseconds. Until then the
   * phone answers no login.
   */
  enrollmentConfirmTimeToLiveMs: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(10_000), v.maxValue(3_600_000)),
    300_000,
  ),
  /**
   * The IP databases for the place and network operator of the browser that asks (shown on the
   * phone); `false` for none, and the phone shows no place. The embedded databases by default.
   */
  ipLocation: v.optional(v.union([v.literal(false), IpLocationSchema]), { embedded: true }),
  /** How far a phone's clock may be from ours, in milliseconds. */
  clockSkewMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1_000)), 120_000),
  /**
   * Rate limits: `perIp` on the mobile API (each phone has its own address); `perClient` on the
   * relying-party API (a website backend sends all its users' logins from one address);
   * `failedAuthPerIp`, wrong client credentials from one address before it gets 429.
   */
  rateLimits: v.optional(
    v.strictObject({
      perIp: RateLimitSchema,
      perClient: RateLimitSchema,
      failedAuthPerIp: v.optional(RateLimitSchema, { points: 20, durationSeconds: 300 }),
      /**
       * On the mobile API, per IPv4 /24 or IPv6 /64 beside `perIp`: one IPv6 host can use any
       * address of its /64. Four times `perIp` when left out.
       */
      perNetwork: v.optional(RateLimitSchema),
    }),
    {
      perIp: { points: 600, durationSeconds: 60 },
      perClient: { points: 6000, durationSeconds: 60 },
      failedAuthPerIp: { points: 20, durationSeconds: 300 },
    },
  ),
  /**
   * With REDIS_URL: `acceptDataLoss: true` lets the server run on a Redis that can lose linked
   * phones (no append-only file, evicting any key, or settings it cannot read). Without it the
   * server refuses to start on such a Redis and says why.
   */
  redis: v.optional(v.strictObject({ acceptDataLoss: v.optional(v.boolean(), false) }), {
    acceptDataLoss: false,
  }),
  /** The longest long-poll wait, in seconds. */
  maxWaitSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60)), 30),
});

export type TokenServerConfig = v.InferOutput<typeof TokenServerConfigSchema>;
/** A configuration as written in the file: optional fields may be left out. */
export type TokenServerConfigInput = v.InferInput<typeof TokenServerConfigSchema>;
export type ClientConfig = TokenServerConfig['clients'][number];
export type LoginTypeConfig = TokenServerConfig['types'][number];
export type IpLocationConfig = Exclude<TokenServerConfig['ipLocation'], false>;

/** Validates a configuration object; throws a TypeError that names every problem. */
export function parseTokenServerConfig(input: unknown): TokenServerConfig {
  const result = v.safeParse(TokenServerConfigSchema, input);
  if (!result.success) {
    const problems = result.issues.map(
      (issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`,
    );
    throw new TypeError(`Invalid Token Server configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = result.output;
  const typeNames = new Set(config.types.map((type) => type.name));
  for (const client of config.clients) {
    for (const type of client.types) {
      if (!typeNames.has(type)) {
        throw new TypeError(
          `Client ${client.id} names the type "${type}", which is not configured.`,
        );
      }
    }
  }
  return config;
}
