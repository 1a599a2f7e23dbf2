/*
 * What a Redis must keep for the Token Server: linked phones are long-lived credentials, and a
 * Redis that forgets them (no persistence, or snapshots only: up to an hour of changes) leaves
 * every phone told "not linked". Onegini's Token Server keeps such data in a relational database;
 * ours keeps it in Redis only when Redis is made to keep it.
 */

/** The settings the check reads (`CONFIG GET`), as Redis names them; null where it could not. */
export interface RedisPersistenceSettings {
  readonly appendonly: string | null;
  readonly appendfsync: string | null;
  readonly 'maxmemory-policy': string | null;
}

/**
 * What in `settings` can lose linked phones, each in a sentence for the operator; empty when
 * nothing can (short of losing the machine's disk).
 */
export function redisDurabilityProblems(settings: RedisPersistenceSettings): string[] {
  const problems: string[] = [];
  const { appendonly, appendfsync } = settings;
  const policy = settings['maxmemory-policy'];
  if (appendonly === null || appendfsync === null || policy === null) {
    problems.push(
      'Redis does not let the server read its persistence settings (CONFIG GET), so it cannot ' +
        'tell whether linked phones survive a restart of Redis.',
    );
    return problems;
  }
  if (appendonly !== 'yes') {
    problems.push(
      'Redis has no append-only file (appendonly is "no"): a restart of Redis loses every ' +
        'linked phone changed since its last snapshot, or all of them without snapshots. ' +
        'Set "appendonly yes".',
    );
  } else if (appendfsync !== 'everysec' && appendfsync !== 'always') {
    problems.push(
      `Redis writes its append-only file to disk when the system chooses (appendfsync is ` +
        `"${appendfsync}"): a crash of the machine loses what it had not written. Set ` +
        '"appendfsync everysec" or "always".',
    );
  }
  if (policy.startsWith('allkeys-')) {
    problems.push(
      `Redis evicts any key when its memory is full (maxmemory-policy is "${policy}"), linked ` +
        'phones included. Use "noeviction" or a volatile-* policy.',
    );
  }
  return problems;
}

/**
 * Thrown at start when the Redis the server would use can lose linked phones, and the
 * configuration does not accept that. `problems` are the reasons, one sentence each.
 */
export class RedisNotDurableError extends Error {
  readonly code = 'redis_not_durable';

  constructor(readonly problems: readonly string[]) {
    super(
      `This Redis can lose linked phones. ${problems.join(' ')} If losing them is acceptable ` +
        '(every user then links their phone again), set "redis": {"acceptDataLoss": true} in ' +
        'the configuration.',
    );
    this.name = this.constructor.name;
  }
}
