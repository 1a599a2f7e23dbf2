import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export interface DemoUser {
  id: string;
  email: string;
  passwordHash: string;
}

/** `full`: logged in. `second_factor`: the password was right; the phone must still confirm. */
export type SessionStage = 'full' | 'second_factor';

export interface DemoSession {
  userId: string;
  stage: SessionStage;
  /** When the user last proved who they are in this session (a login, a password typed again). */
  authenticatedAt: number;
}

/** A change to how an account can log in, as the account page lists it. */
export interface DemoSecurityEvent {
  type: 'phone-linked' | 'phone-link-refused' | 'phone-revoked';
  deviceName: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  at: number;
}

/** The account page lists this many of the latest security events. */
export const SECURITY_EVENTS_SHOWN = 20;

/** Sessions last this long. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** A half-done login (password right, phone not yet) lasts this long. */
export const PENDING_SESSION_TTL_MS = 10 * 60 * 1000;

/**
 * The demo website's own data: its users (email + scrypt hash) and their sessions, in SQLite
 * (better-sqlite3). Session tokens are stored as SHA-256 hashes, so a copy of the database logs
 * nobody in.
 */
export class DemoDatabase {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        stage TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS security_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id),
        type TEXT NOT NULL,
        device_name TEXT,
        ip_address TEXT,
        user_agent TEXT,
        at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS security_events_by_user ON security_events (user_id, at);
    `);
    // Databases of an earlier demo have sessions without the time of their last proof: those
    // read as proved long ago, so that linking a phone asks for the password again.
    const columns = this.db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'authenticated_at'))
      this.db.exec('ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER NOT NULL DEFAULT 0');
  }

  /** Creates a user; returns undefined when the email is taken. */
  createUser(email: string, passwordHash: string): DemoUser | undefined {
    const id = randomBytes(16).toString('hex');
    const result = this.db
      .prepare(
        'INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(id, email, passwordHash, Date.now());
    return result.changes === 1 ? { id, email, passwordHash } : undefined;
  }

  userByEmail(email: string): DemoUser | undefined {
    return this.toUser(
      this.db.prepare('SELECT id, email, password_hash FROM users WHERE email = ?').get(email),
    );
  }

  userById(id: string): DemoUser | undefined {
    return this.toUser(
      this.db.prepare('SELECT id, email, password_hash FROM users WHERE id = ?').get(id),
    );
  }

  /** Starts a session; returns the token for the cookie. */
  createSession(userId: string, stage: SessionStage): string {
    this.deleteExpiredSessions();
    const token = randomBytes(32).toString('base64url');
    const ttl = stage === 'full' ? SESSION_TTL_MS : PENDING_SESSION_TTL_MS;
    const now = Date.now();
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, user_id, stage, expires_at, authenticated_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hashToken(token), userId, stage, now + ttl, now);
    return token;
  }

  session(token: string): DemoSession | undefined {
    const row = this.db
      .prepare(
        'SELECT user_id, stage, authenticated_at FROM sessions WHERE token_hash = ? AND expires_at > ?',
      )
      .get(hashToken(token), Date.now()) as
      { user_id: string; stage: SessionStage; authenticated_at: number } | undefined;
    return row === undefined
      ? undefined
      : { userId: row.user_id, stage: row.stage, authenticatedAt: row.authenticated_at };
  }

  /** The user typed their password again in this session. */
  markAuthenticated(token: string): void {
    this.db
      .prepare('UPDATE sessions SET authenticated_at = ? WHERE token_hash = ?')
      .run(Date.now(), hashToken(token));
  }

  addSecurityEvent(userId: string, event: DemoSecurityEvent): void {
    this.db
      .prepare(
        'INSERT INTO security_events (user_id, type, device_name, ip_address, user_agent, at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(userId, event.type, event.deviceName, event.ipAddress, event.userAgent, event.at);
  }

  /** The latest security events of a user, newest first. */
  securityEvents(userId: string): DemoSecurityEvent[] {
    const rows = this.db
      .prepare(
        'SELECT type, device_name, ip_address, user_agent, at FROM security_events WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?',
      )
      .all(userId, SECURITY_EVENTS_SHOWN) as {
      type: DemoSecurityEvent['type'];
      device_name: string | null;
      ip_address: string | null;
      user_agent: string | null;
      at: number;
    }[];
    return rows.map((row) => ({
      type: row.type,
      deviceName: row.device_name,
      ipAddress: row.ip_address,
      userAgent: row.user_agent,
      at: row.at,
    }));
  }

  deleteSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }

  deleteExpiredSessions(): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.now());
  }

  close(): void {
    this.db.close();
  }

  private toUser(row: unknown): DemoUser | undefined {
    if (row === undefined) return undefined;
    const { id, email, password_hash } = row as {
      id: string;
      email: string;
      password_hash: string;
    };
    return { id, email, passwordHash: password_hash };
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
