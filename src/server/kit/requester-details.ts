import type { InitializeFields } from './relying-party-client.js';

/** The most of a User-Agent the Token Server is sent. */
const USER_AGENT_LIMIT = 512;

/**
 * What the Token Server is told of the browser that asks for a login, for the phone's
 * confirmation screen: its address, its User-Agent, and the first Accept-Language tag.
 */
export function requesterDetails(
  request: Request,
  ip: string | undefined,
): Pick<InitializeFields, 'ipAddress' | 'userAgent' | 'languageCode'> {
  const userAgent = request.headers.get('user-agent')?.slice(0, USER_AGENT_LIMIT);
  const language = languageOf(request.headers.get('accept-language'));
  return {
    ...(ip === undefined ? {} : { ipAddress: ip }),
    ...(userAgent ? { userAgent } : {}),
    ...(language === undefined ? {} : { languageCode: language }),
  };
}

/** The first language tag of Accept-Language, in the `xx` or `xx-YY` form the API takes. */
function languageOf(header: string | null): string | undefined {
  const first = header?.split(',')[0]?.split(';')[0]?.trim();
  const match = first === undefined ? null : /^([a-zA-Z]{2})(?:-([a-zA-Z]{2}))?$/.exec(first);
  if (match === null) return undefined;
  const [, language = '', region] = match;
  return region === undefined
    ? language.toLowerCase()
    : `${language.toLowerCase()}-${region.toUpperCase()}`;
}
