/** Staff accounts in the document store, keyed by username. */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Role } from '../../shared/domain/roles.ts';
import type { UserCreateSchema, UserUpdateSchema, UserView } from '../../shared/protocol.ts';
import type { DocumentStore } from '../store/EventStore.ts';
import { AppError } from '../errors.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';

interface UserRecord extends UserView {
  passwordHash: string;
  /** Bumped by every change that must end the account's sessions (see AUTHORITY); absent in older records: 0. */
  version?: number;
}

/** What a staff token is checked against on every use (REST) and every connection (sockets, minutes). */
export interface Account {
  role: Role;
  name: string;
  fieldIds: string[];
  version: number;
}

const USERS = 'users';
export const ADMIN_USERNAME = 'admin';

const view = ({ passwordHash: _p, version: _v, ...user }: UserRecord): UserView => user;

/**
 * Changes that end the account's open sessions: what it may do (role, fields), whether it may sign in at all, and
 * its password (whoever knew the old one is out). A new name or title needs no new sign-in.
 */
function changesAuthority(user: UserRecord, changes: z.infer<typeof UserUpdateSchema>): boolean {
  return (
    changes.password !== undefined ||
    (changes.role !== undefined && changes.role !== user.role) ||
    (changes.disabled !== undefined && changes.disabled !== user.disabled) ||
    (changes.fieldIds !== undefined &&
      [...changes.fieldIds].sort().join('\n') !== [...user.fieldIds].sort().join('\n'))
  );
}

export class UserService {
  readonly #docs: DocumentStore;
  readonly #listeners = new Set<(username: string, version: number) => Promise<void>>();
  constructor(docs: DocumentStore) {
    this.#docs = docs;
    // Made now, so that the first unknown username is not the one sign-in that takes twice as long.
    void dummyHash();
  }

  async list(): Promise<UserView[]> {
    const all = await this.#docs.list<UserRecord>(USERS);
    return all.map((u) => view(u.value)).sort((a, b) => a.username.localeCompare(b.username));
  }

  async get(username: string): Promise<UserView | null> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    return user ? view(user) : null;
  }

  async create(input: z.infer<typeof UserCreateSchema>): Promise<UserView> {
    const user: UserRecord = {
      userId: input.username,
      username: input.username,
      role: input.role,
      name: input.name || input.username,
      ...(input.title ? { title: input.title } : {}),
      fieldIds: input.fieldIds ?? [],
      disabled: false,
      createdAt: Date.now(),
      passwordHash: await hashPassword(input.password),
    };
    const written = await this.#docs.put(USERS, user.username, user, { onlyIfAbsent: true });
    if (!written)
      throw new AppError('duplicate', `the username ${input.username} is taken`, {
        field: 'username',
        username: input.username,
      });
    return view(user);
  }

  async update(username: string, changes: z.infer<typeof UserUpdateSchema>): Promise<UserView> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    if (!user) throw new AppError('not_found', `no user ${username}`);
    if (username === ADMIN_USERNAME && (changes.disabled || (changes.role && changes.role !== 'admin')))
      throw new AppError('forbidden', 'the bootstrap admin cannot be disabled or demoted');
    const { password, ...rest } = changes;
    const bump = changesAuthority(user, changes);
    const next: UserRecord = {
      ...user,
      ...rest,
      ...(password ? { passwordHash: await hashPassword(password) } : {}),
      ...(bump ? { version: (user.version ?? 0) + 1 } : {}),
    };
    await this.#docs.put(USERS, username, next);
    // Answered only once every node was told: a client acting on the answer finds the old authority gone.
    if (bump)
      await Promise.all([...this.#listeners].map((listener) => listener(username, next.version ?? 0)));
    return view(next);
  }

  /** Called after a change that ends the account's sessions, with its new version (see AccountWatch). */
  onAuthorityChange(listener: (username: string, version: number) => Promise<void>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The account for these credentials, or null — for an unknown, a disabled account and a wrong password alike, after
   * the same work: the password is always checked, against a dummy hash when there is no account (ASVS V2.2).
   */
  async authenticate(username: string, password: string): Promise<(UserView & { version: number }) | null> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    const right = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || user.disabled || !right) return null;
    return { ...view(user), version: user.version ?? 0 };
  }

  /**
   * Makes sure the bootstrap admin exists. With a password given (ADMIN_PASSWORD) it is set on every start, so the
   * environment stays the source of truth; without one a random password is generated once and returned to print.
   */
  async bootstrapAdmin(password: string | undefined): Promise<{ generated?: string }> {
    const existing = await this.#docs.get<UserRecord>(USERS, ADMIN_USERNAME);
    if (existing && password) {
      // A new ADMIN_PASSWORD is a rotation: tokens signed before it stop working (a new version).
      if (!(await verifyPassword(password, existing.passwordHash)))
        await this.#docs.put(USERS, ADMIN_USERNAME, {
          ...existing,
          passwordHash: await hashPassword(password),
          version: (existing.version ?? 0) + 1,
        });
      return {};
    }
    if (existing) return {};
    const generated = password ? undefined : randomBytes(12).toString('base64url');
    await this.create({
      username: ADMIN_USERNAME,
      password: password ?? generated ?? '',
      role: 'admin',
      name: 'Quản trị',
    }).catch((err: unknown) => {
      if (!(err instanceof AppError && err.code === 'duplicate')) throw err;
    });
    return generated ? { generated } : {};
  }

  /** The account as it is now, or null when it does not exist or is disabled. */
  async account(username: string): Promise<Account | null> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    if (!user || user.disabled) return null;
    return { role: user.role, name: user.name, fieldIds: user.fieldIds, version: user.version ?? 0 };
  }
}
