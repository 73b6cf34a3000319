/**
 * What the question board shows: the chosen tab, field, search and order, the questions that match (an official's
 * own first), live counts per tab, and the selection for bulk approval.
 */
import { SvelteSet } from 'svelte/reactivity';
import { questionList } from '../../../shared/domain/state.ts';
import type { Question } from '../../../shared/domain/types.ts';
import {
  compare,
  countByTab,
  matchesField,
  matchesText,
  tabOf,
  type BoardSort,
  type BoardTab,
  type FieldFilter,
} from './board.ts';
import type { PanelSession } from './panelSession.svelte.ts';

export class BoardView {
  readonly #session: PanelSession;
  /** The tab someone picked; until then the one where the work is (see #startTab). */
  #picked = $state<BoardTab | undefined>();
  #startTab = $derived.by((): BoardTab => {
    // Officials start with what has been assigned; with open moderation questions go straight to "published", so
    // the chair starts there instead of on an empty "new".
    if (this.#session.role === 'official') return 'assigned';
    return this.#session.state?.moderation === 'open' ? 'published' : 'new';
  });
  #tab = $derived<BoardTab>(this.#picked ?? this.#startTab);
  #field = $state<FieldFilter>('all');
  #text = $state('');
  #sort = $state<BoardSort>('votes');
  readonly #selected = new SvelteSet<string>();

  /** Questions matching the field and the search, whatever their tab: the counts come from these. */
  #filtered = $derived.by(() => {
    const all = this.#session.state ? questionList(this.#session.state) : [];
    return all.filter((q) => matchesField(q, this.#field) && matchesText(q, this.#text));
  });
  #counts = $derived(countByTab(this.#filtered));
  #visible = $derived.by(() => {
    const list = this.#filtered.filter((q) => tabOf(q) === this.#tab).sort(compare(this.#sort));
    if (!this.#session.prefersOwnWork) return { mine: [] as Question[], others: list };
    return {
      mine: list.filter((q) => this.#session.isMine(q)),
      others: list.filter((q) => !this.#session.isMine(q)),
    };
  });
  /** Selected questions still awaiting review and still shown (a question approved elsewhere leaves the set). */
  #selectable = $derived(
    [...this.#visible.mine, ...this.#visible.others].filter((q) => q.status === 'pending').map((q) => q.id),
  );
  #selection = $derived(this.#selectable.filter((id) => this.#selected.has(id)));

  constructor(session: PanelSession) {
    this.#session = session;
  }

  get tab(): BoardTab {
    return this.#tab;
  }
  get field(): FieldFilter {
    return this.#field;
  }
  get text(): string {
    return this.#text;
  }
  get sort(): BoardSort {
    return this.#sort;
  }
  get counts(): Record<BoardTab, number> {
    return this.#counts;
  }
  /** The signed-in person's questions (their fields, assigned to them); empty for those without fields. */
  get mine(): Question[] {
    return this.#visible.mine;
  }
  get others(): Question[] {
    return this.#visible.others;
  }
  get total(): number {
    return this.#visible.mine.length + this.#visible.others.length;
  }
  get selectable(): string[] {
    return this.#selectable;
  }
  get selection(): string[] {
    return this.#selection;
  }
  isSelected(id: string): boolean {
    return this.#selected.has(id);
  }

  setTab(tab: BoardTab): void {
    this.#picked = tab;
  }
  setField(field: FieldFilter): void {
    this.#field = field;
  }
  setText(text: string): void {
    this.#text = text;
  }
  setSort(sort: BoardSort): void {
    this.#sort = sort;
  }
  toggle(id: string, on: boolean): void {
    if (on) this.#selected.add(id);
    else this.#selected.delete(id);
  }
  selectAll(on: boolean): void {
    this.#selected.clear();
    if (on) for (const id of this.#selectable) this.#selected.add(id);
  }
  clearSelection(): void {
    this.#selected.clear();
  }
}
