/**
 * The staff member signed in on this device (panel, minutes, admin): a token from `POST /api/login`, kept in
 * localStorage until it expires or they sign out. Attendees never sign in; their token comes from `POST /api/join`
 * and is kept per join code by the attendee surface. components/StaffLogin.svelte shows the form when needed.
 */
import type { Role } from '../../shared/domain/roles.ts';
import type { LoginReply } from '../../shared/protocol.ts';
import { api } from './api.ts';
import type { ApiFailure } from './api.ts';
import { readJson, removeKey, writeJson } from './storage.ts';

const KEY = 'staff';

function stored(): LoginReply | undefined {
  const value = readJson<LoginReply>(KEY);
  return value && typeof value.token === 'string' && value.expiresAt > Date.now() ? value : undefined;
}

class StaffAuth {
  #session = $state.raw<LoginReply | undefined>(stored());

  /** The signed-in staff member, or undefined. */
  get session(): LoginReply | undefined {
    return this.#session;
  }
  get token(): string | undefined {
    return this.#session?.token;
  }
  get role(): Role | undefined {
    return this.#session?.role;
  }

  async login(username: string, password: string): Promise<ApiFailure | undefined> {
    const result = await api.login(username, password);
    if (!result.ok) return result;
    this.#session = result.value;
    writeJson(KEY, result.value);
    return undefined;
  }

  /** Forgets the token (also call this when the server answers `unauthorized`). */
  logout(): void {
    this.#session = undefined;
    removeKey(KEY);
  }
}

export const staffAuth = new StaffAuth();
