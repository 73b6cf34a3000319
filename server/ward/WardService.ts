/** The ward's profile: one document, defaulting to the ward of the plan this project comes from. */
import { DEFAULT_CRITERIA, DEFAULT_GROUPS, FIELDS_2020 } from '../../shared/domain/defaults.ts';
import type { WardProfile } from '../../shared/domain/ward.ts';
import type { DocumentStore } from '../store/EventStore.ts';

const KEY = ['ward', 'profile'] as const;

export const DEFAULT_WARD: WardProfile = {
  name: 'Phường Kiến Hưng',
  place: 'Kiến Hưng',
  address: 'Hội trường UBND phường Kiến Hưng',
  groups: DEFAULT_GROUPS,
  fields: FIELDS_2020.map((f) => ({ ...f })),
  officials: [],
  criteria: DEFAULT_CRITERIA.map((c) => ({ ...c })),
};

export class WardService {
  readonly #docs: DocumentStore;
  constructor(docs: DocumentStore) {
    this.#docs = docs;
  }

  async get(): Promise<WardProfile> {
    return (await this.#docs.get<WardProfile>(...KEY)) ?? DEFAULT_WARD;
  }

  async put(profile: WardProfile): Promise<WardProfile> {
    await this.#docs.put(...KEY, profile);
    return profile;
  }
}
