/** Staff accounts in the document store, keyed by username. */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Role } from '../../shared/domain/roles.ts';
import type { UserCreateSchema, UserUpdateSchema, UserView } from '../../shared/protocol.ts';
import type { DocumentStore } from '../store/EventStore.ts';
import { HttpError } from '../http/errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

interface UserRecord extends UserView {
  passwordHash: string;
}

const USERS = 'users';
export const ADMIN_USERNAME = 'admin';

const view = ({ passwordHash: _p, ...user }: UserRecord): UserView => user;

export class UserService {
  readonly #docs: DocumentStore;
  constructor(docs: DocumentStore) {
    this.#docs = docs;
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
      throw new HttpError('duplicate', `the username ${input.username} is taken`, {
        username: input.username,
      });
    return view(user);
  }

  async update(username: string, changes: z.infer<typeof UserUpdateSchema>): Promise<UserView> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    if (!user) throw new HttpError('not_found', `no user ${username}`);
    if (username === ADMIN_USERNAME && (changes.disabled || (changes.role && changes.role !== 'admin')))
      throw new HttpError('forbidden', 'the bootstrap admin cannot be disabled or demoted');
    const { password, ...rest } = changes;
    const next: UserRecord = {
      ...user,
      ...rest,
      ...(password ? { passwordHash: await hashPassword(password) } : {}),
    };
    await this.#docs.put(USERS, username, next);
    return view(next);
  }

  /** The account for these credentials, or null (also for a disabled account). */
  async authenticate(username: string, password: string): Promise<UserView | null> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    if (!user || user.disabled || !(await verifyPassword(password, user.passwordHash))) return null;
    return view(user);
  }

  /**
   * Makes sure the bootstrap admin exists. With a password given (ADMIN_PASSWORD) it is set on every start, so the
   * environment stays the source of truth; without one a random password is generated once and returned to print.
   */
  async bootstrapAdmin(password: string | undefined): Promise<{ generated?: string }> {
    const existing = await this.#docs.get<UserRecord>(USERS, ADMIN_USERNAME);
    if (existing && password) {
      if (!(await verifyPassword(password, existing.passwordHash)))
        await this.#docs.put(USERS, ADMIN_USERNAME, {
          ...existing,
          passwordHash: await hashPassword(password),
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
      if (!(err instanceof HttpError && err.code === 'duplicate')) throw err;
    });
    return generated ? { generated } : {};
  }

  /** The role a user has now (tokens outlive role changes and disabling; sockets re-check this). */
  async currentRole(username: string): Promise<Role | null> {
    const user = await this.#docs.get<UserRecord>(USERS, username);
    return user && !user.disabled ? user.role : null;
  }
}
