/**
 * The Tiptap editor bound to the minutes' Y.Doc: StarterKit without its own history (Collaboration's undo manager
 * undoes only this tab's edits), text alignment, the `block` layout role kept through edits, and collaboration
 * carets. A small reactive wrapper lets the toolbar follow the selection: `version` changes on every transaction.
 *
 *     const editor = new MinutesEditor(element, collab, { user, editable: true, label: 'Biên bản' });
 *     editor.isActive('bold'); editor.run((c) => c.toggleBold()); editor.insertParagraph('Ông/Bà …');
 */
import { untrack } from 'svelte';
import { Editor, Extension } from '@tiptap/core';
import type { ChainedCommands } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import TextAlign from '@tiptap/extension-text-align';
import StarterKit from '@tiptap/starter-kit';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import type { Node as PmNode } from '@tiptap/pm/model';
import { ALIGNMENTS, BLOCK_ATTR, MINUTES_FRAGMENT } from '../../../shared/minutes/schema.ts';
import type { MinutesCollab, PresenceUser } from './collab.svelte.ts';

/**
 * Declares the `block` attribute (header-left, title, signature-right, …) so ProseMirror keeps it and y-prosemirror
 * does not delete it from the Y element when the paragraph is edited; the export lays those paragraphs out in two
 * columns. A paragraph split off a header line is body text, hence `keepOnSplit: false`.
 */
const MinutesBlock = Extension.create({
  name: 'minutesBlock',
  addGlobalAttributes: () => [
    {
      types: ['paragraph', 'heading'],
      attributes: {
        [BLOCK_ATTR]: {
          default: null,
          keepOnSplit: false,
          parseHTML: (el: HTMLElement) => el.getAttribute('data-block'),
          renderHTML: (attrs: Record<string, unknown>) =>
            typeof attrs[BLOCK_ATTR] === 'string' ? { 'data-block': attrs[BLOCK_ATTR] } : {},
        },
      },
    },
  ],
});

export interface EditorOptions {
  user: PresenceUser;
  editable: boolean;
  /** Accessible name of the text area (translated). */
  label: string;
}

/** The caret of another person: a coloured bar with their name above it. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : '#374151';
  const caret = document.createElement('span');
  caret.className = 'collab-caret';
  caret.style.borderColor = color;
  caret.setAttribute('data-testid', 'remote-caret');
  const label = document.createElement('span');
  label.className = 'collab-caret-label';
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' ? user.name : '';
  caret.append(label);
  return caret;
}

export class MinutesEditor {
  readonly editor: Editor;
  #version = $state(0);
  // Untracked read: a bump from inside an effect (setEditable) must not make that effect depend on the counter.
  #bump = () => {
    this.#version = untrack(() => this.#version) + 1;
  };

  constructor(element: HTMLElement, collab: MinutesCollab, options: EditorOptions) {
    this.editor = new Editor({
      element,
      editable: options.editable,
      extensions: [
        StarterKit.configure({
          // Collaboration brings its own undo manager, which undoes only this tab's edits.
          undoRedo: false,
          // Links and a trailing empty paragraph are not part of a Decree 30 document (and the trailing node would
          // be added by every client at once).
          link: false,
          trailingNode: false,
        }),
        TextAlign.configure({ types: ['heading', 'paragraph'], alignments: [...ALIGNMENTS] }),
        MinutesBlock,
        Collaboration.configure({ fragment: collab.doc.getXmlFragment(MINUTES_FRAGMENT) }),
        CollaborationCaret.configure({ provider: collab.provider, user: options.user, render: renderCaret }),
      ],
      editorProps: { attributes: this.#attributes(options.label, options.editable) },
    });
    this.editor.on('transaction', this.#bump);
    this.editor.on('selectionUpdate', this.#bump);
    this.editor.on('focus', this.#bump);
  }

  /** Changes with every transaction: read it (or isActive/can) in a template to follow the selection. */
  get version(): number {
    return this.#version;
  }

  get editable(): boolean {
    void this.#version;
    return this.editor.isEditable;
  }

  isActive(name: string | Record<string, unknown>, attrs?: Record<string, unknown>): boolean {
    void this.#version;
    return typeof name === 'string' ? this.editor.isActive(name, attrs) : this.editor.isActive(name);
  }

  canUndo(): boolean {
    void this.#version;
    return this.editor.isEditable && this.editor.can().undo();
  }

  canRedo(): boolean {
    void this.#version;
    return this.editor.isEditable && this.editor.can().redo();
  }

  /** Runs a command chain on the focused editor. */
  run(command: (chain: ChainedCommands) => ChainedCommands): void {
    command(this.editor.chain().focus()).run();
  }

  setEditable(editable: boolean, label: string): void {
    if (this.editor.isEditable !== editable) this.editor.setEditable(editable);
    this.editor.setOptions({ editorProps: { attributes: this.#attributes(label, editable) } });
    this.#bump();
  }

  /** Updates the name and colour others see on this tab's caret. */
  setUser(user: PresenceUser): void {
    this.editor.commands.updateUser({ ...user });
  }

  /**
   * Inserts a paragraph at the cursor as a block of its own: it fills the empty paragraph the cursor is in (or the
   * empty one right after the cursor's block, as under each programme heading of the template), else it goes right
   * after the cursor's top-level block; a sentence never lands in the middle of another. The cursor then sits at its
   * end, so a second insertion follows the first. Each insertion is one undo step of its own (Yjs would otherwise
   * merge edits less than 500 ms apart).
   */
  insertParagraph(text: string): boolean {
    const node = { type: 'paragraph', content: text ? [{ type: 'text', text }] : [] };
    const [from, to] = this.#insertionRange();
    this.#stopCapturing();
    const done = this.editor
      .chain()
      .focus()
      .insertContentAt({ from, to }, node, { updateSelection: false })
      .setTextSelection(from + 1 + text.length)
      .scrollIntoView()
      .run();
    this.#stopCapturing();
    return done;
  }

  /**
   * Where an inserted paragraph goes: see insertParagraph. A cursor in the header, the title or the signatures (or
   * no cursor yet: it starts in the header) is not a place for content, so the paragraph then goes at the end of
   * the content, before the closing line "Hội nghị kết thúc vào …" or the signatures.
   */
  #insertionRange(): [number, number] {
    const { doc, selection } = this.editor.state;
    const head = selection.$from;
    if (head.depth === 0) return [selection.to, selection.to];
    const top = head.node(1);
    if (!top.attrs[BLOCK_ATTR]) return slotAt(doc, head.before(1), head.after(1));
    // End of the content: before the closing line or the first signature line, else the end of the document.
    let end = doc.content.size;
    let found = false;
    doc.forEach((child, offset) => {
      if (found) return;
      const role: unknown = child.attrs[BLOCK_ATTR];
      const closing = child.type.name === 'paragraph' && /^Hội nghị kết thúc/u.test(child.textContent.trim());
      if (closing || (typeof role === 'string' && role.startsWith('signature')) || role === 'recipients') {
        if (offset > head.before(1)) {
          end = offset;
          found = true;
        }
      }
    });
    const before = doc.resolve(end).nodeBefore;
    if (before && isEmptyBody(before)) return [end - before.nodeSize, end];
    return [end, end];
  }

  #stopCapturing(): void {
    const undo: unknown = yUndoPluginKey.getState(this.editor.state);
    const manager = (undo as { undoManager?: { stopCapturing(): void } } | undefined)?.undoManager;
    manager?.stopCapturing();
  }

  destroy(): void {
    this.editor.off('transaction', this.#bump);
    this.editor.off('selectionUpdate', this.#bump);
    this.editor.off('focus', this.#bump);
    this.editor.destroy();
  }

  #attributes(label: string, editable: boolean): Record<string, string> {
    return {
      id: 'minutes-doc',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': label,
      'aria-readonly': String(!editable),
      // Focusable when read-only too, so a keyboard can reach and scroll the document (it is not editable then).
      tabindex: '0',
      spellcheck: 'false',
      class: 'minutes-doc',
      'data-testid': 'minutes-editor',
    };
  }
}

/**
 * The range to fill for a top-level block at [start, end) holding the cursor: the block itself when it is an empty
 * body paragraph, else the empty body paragraph right after it, else the point right after it.
 */
function slotAt(doc: PmNode, start: number, end: number): [number, number] {
  const block = doc.resolve(start).nodeAfter;
  if (block && isEmptyBody(block)) return [start, end];
  const next = doc.resolve(end).nodeAfter;
  if (next && isEmptyBody(next)) return [end, end + next.nodeSize];
  return [end, end];
}

/** An empty body paragraph (not one of the template's header or signature lines). */
function isEmptyBody(node: PmNode): boolean {
  return node.type.name === 'paragraph' && node.content.size === 0 && !node.attrs[BLOCK_ATTR];
}
