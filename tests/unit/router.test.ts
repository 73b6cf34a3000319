/** Path patterns of the SPA's router (client/lib/router.svelte.ts). */
import { describe, expect, it } from 'vitest';
import { matchPath } from '../../client/lib/router.svelte.ts';

describe('matchPath', () => {
  it('matches literal paths and :params', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/j/:joinCode', '/j/ABC123')).toEqual({ joinCode: 'ABC123' });
    expect(matchPath('/j/:joinCode', '/j/ABC123/')).toEqual({ joinCode: 'ABC123' });
    expect(matchPath('/panel/:sessionId', '/panel/a%20b')).toEqual({ sessionId: 'a b' });
  });

  it('rejects other lengths and other words', () => {
    expect(matchPath('/j/:joinCode', '/j')).toBeNull();
    expect(matchPath('/j/:joinCode', '/j/A/B')).toBeNull();
    expect(matchPath('/panel', '/admin')).toBeNull();
    expect(matchPath('/j/:joinCode', '/j/%E0%A4%A')).toBeNull();
  });

  it('takes the rest of the path with a trailing *', () => {
    expect(matchPath('/admin/*', '/admin/sessions/42')).toEqual({ '*': 'sessions/42' });
    expect(matchPath('/admin/*', '/admin')).toEqual({ '*': '' });
  });
});
