/** The attendee route's initial JavaScript stays ≤ 60 KB gzipped (screen 80, panel 120): see scripts/check-bundle-size.ts. */
import { describe, expect, it } from 'vitest';
import { formatTable, measureRoutes } from '../../scripts/check-bundle-size.ts';

describe('initial JavaScript per route (dist/client, built by the global setup)', () => {
  const rows = measureRoutes('dist/client');

  it('measures every surface', () => {
    expect(rows.map((r) => r.surface)).toEqual(
      expect.arrayContaining(['home', 'attendee', 'panel', 'screen', 'minutes', 'admin']),
    );
  });

  it('keeps every budgeted route under its budget', () => {
    const over = rows.filter((r) => !r.ok);
    expect(over, formatTable(rows)).toEqual([]);
  });

  it('keeps the attendee route free of Yjs, the editor and zod', () => {
    const attendee = rows.find((r) => r.surface === 'attendee');
    expect(attendee?.files.join(' ')).not.toMatch(/yjs|tiptap|prosemirror|zod/i);
  });
});
