/**
 * Files that hold secrets — the SQLite database (password hashes, the token-signing key, the event log), the
 * generated admin password — are readable by the service's own user only (OWASP ASVS V8.3): DATA_DIR 0700, files
 * 0600. Installs from before this rule are tightened on start, as long as this user owns the file.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';

/** Where the generated admin password is kept, in DATA_DIR. */
export const ADMIN_PASSWORD_FILE = 'admin-password.txt';

/** Creates `dir` 0700 (with its missing parents), or tightens it; true when an existing one was open to others. */
export function ensurePrivateDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return tighten(dir, 0o700);
}

/**
 * Creates `file` empty with 0600 unless it exists, and tightens it and its SQLite companions (`-wal`, `-shm`) that
 * exist. SQLite gives the journal files it creates later the mode of the database file, so they are 0600 too.
 */
export function ensurePrivateFile(file: string): boolean {
  closeSync(openSync(file, 'a', 0o600));
  let tightened = tighten(file, 0o600);
  for (const companion of [`${file}-wal`, `${file}-shm`])
    if (existsSync(companion)) tightened = tighten(companion, 0o600) || tightened;
  return tightened;
}

/** Writes `content` to `file`, readable by its owner only — also when the file existed with a wider mode. */
export function writePrivateFile(file: string, content: string): void {
  // Tighten before writing: writeFileSync keeps an existing file's mode, and the secret must never sit in it.
  if (existsSync(file)) tighten(file, 0o600);
  writeFileSync(file, content, { mode: 0o600 });
}

/** chmod to `mode` when group or others have any access and the file is ours; true when it changed something. */
function tighten(path: string, mode: number): boolean {
  const stat = statSync(path);
  if ((stat.mode & 0o077) === 0) return false;
  if (process.getuid && stat.uid !== process.getuid()) return false;
  chmodSync(path, mode);
  return true;
}
