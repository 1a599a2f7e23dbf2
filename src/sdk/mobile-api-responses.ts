import * as v from 'valibot';

/*
 * The Token Server's mobile API answers (docs/token-server-api.md, "Mobile API"), checked before
 * the SDK uses them: an answer of another shape is a 10000 error, never half-read.
 */

const HEX128 = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/));
const SHORT_TEXT = v.pipe(v.string(), v.maxLength(1000));
const ISO_DATE = v.pipe(
  v.string(),
  v.isoTimestamp(),
  v.transform((text) => new Date(text)),
);

export const EnrollResponse = v.object({
  device_id: HEX128,
  user_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  // Checked by the SDK with isDisplayName: one it must not show is dropped, not refused, since
  // the Token Server has linked the phone by the time it answers.
  display_name: v.optional(v.nullable(SHORT_TEXT)),
  site: v.optional(v.nullable(SHORT_TEXT)),
});
export type EnrollResponse = v.InferOutput<typeof EnrollResponse>;

export const RedeemResponse = v.object({
  transaction_id: v.string(),
  message: SHORT_TEXT,
  site: SHORT_TEXT,
  browser: v.nullable(SHORT_TEXT),
  os: v.nullable(SHORT_TEXT),
  same_network: v.nullable(v.boolean()),
  requested_at: ISO_DATE,
  expires_at: ISO_DATE,
  number_match_choices: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.regex(/^\d{2}$/))), v.minLength(2), v.maxLength(10)),
  ),
});
export type RedeemResponse = v.InferOutput<typeof RedeemResponse>;

export const AnswerResponse = v.object({ status: v.picklist(['accepted', 'denied']) });
export type AnswerResponse = v.InferOutput<typeof AnswerResponse>;

/** The error body of every endpoint; every field may be missing (404 and 500 have no code). */
export const ErrorResponse = v.object({
  error: v.optional(v.string()),
  error_description: v.optional(v.string()),
  error_code: v.optional(v.number()),
});
