/**
 * Secrets at rest (OWASP ASVS V8.3): DATA_DIR holds the token-signing key and the password hashes (in the SQLite
 * file) and the generated admin password, so it and its files are the service user's alone; the generated password
 * never appears in the log, which only says where to find it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../../server/store/sqlite/index.ts';
import { startServer } from '../../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const mode = (path: string) => statSync(path).mode & 0o777;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A DATA_DIR path that does not exist yet, under a fresh temporary directory. */
function newDataDir(): string {
  const parent = mkdtempSync(join(tmpdir(), 'db-secrets-'));
  dirs.push(parent);
  return join(parent, 'data');
}

/** The database and whichever of its WAL companions exist. */
const databaseFiles = (dataDir: string) =>
  ['', '-wal', '-shm'].map((suffix) => join(dataDir, SQLITE_FILE_NAME + suffix)).filter((f) => existsSync(f));

/**
 * `npm start` as an operator runs it, without ADMIN_PASSWORD. Once it serves, `whileUp` runs against its address;
 * resolves with everything the process logged, once it has stopped.
 */
async function operatorStart(dataDir: string, whileUp: (url: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ADMIN_PASSWORD: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    const deadline = Date.now() + 90_000;
    let port: string | undefined;
    while (!(port = /Dialogue Board on http:\/\/localhost:(\d+)/.exec(log)?.[1])) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the server did not start:\n${log}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    await whileUp(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return log;
}

describe('secrets at rest', () => {
  it('creates DATA_DIR 0700 and the SQLite database with its -wal and -shm files 0600', async () => {
    const dataDir = newDataDir();
    const server = await startServer({ dataDir });
    try {
      await server.createSession(); // something written, so the WAL exists
      expect(mode(dataDir)).toBe(0o700);
      const files = databaseFiles(dataDir);
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const file of files) expect(mode(file), file).toBe(0o600);
    } finally {
      await server.close();
    }
  });

  it('tightens DATA_DIR and the database of an install made before the rule', async () => {
    const dataDir = newDataDir();
    await (await startServer({ dataDir })).close();
    chmodSync(dataDir, 0o755);
    for (const file of databaseFiles(dataDir)) chmodSync(file, 0o644);
    const server = await startServer({ dataDir });
    try {
      expect(mode(dataDir)).toBe(0o700);
      for (const file of databaseFiles(dataDir)) expect(mode(file), file).toBe(0o600);
    } finally {
      await server.close();
    }
  });

  // A process of its own, started through tsx: slow on a loaded machine.
  it(
    'keeps the generated admin password in a file only its owner can read, and never in the log',
    { timeout: 120_000 },
    async () => {
      const dataDir = newDataDir();
      const file = join(dataDir, 'admin-password.txt');
      let password = '';
      const log = await operatorStart(dataDir, async (url) => {
        password = readFileSync(file, 'utf8').trim();
        // It is the admin's password.
        const res = await fetch(`${url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
        expect(res.status).toBe(200);
      });
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(mode(file)).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
      expect(log).not.toContain(password);
      expect(log).toContain(file);
    },
  );
});
