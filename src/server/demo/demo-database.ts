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
}

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
    `);
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
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, stage, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, stage, Date.now() + ttl);
    return token;
  }

  session(token: string): DemoSession | undefined {
    const row = this.db
      .prepare('SELECT user_id, stage FROM sessions WHERE token_hash = ? AND expires_at > ?')
      .get(hashToken(token), Date.now()) as { user_id: string; stage: SessionStage } | undefined;
    return row === undefined ? undefined : { userId: row.user_id, stage: row.stage };
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
