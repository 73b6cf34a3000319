/**
 * docs/protocol.md cannot drift from the schemas (DESIGN §4): it is rendered again here and must equal the file;
 * every command, event and error code must have its section; every REST route the routers define must be listed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_DOC_PATH, ROUTES, renderProtocolDoc } from '../../scripts/protocol-doc.ts';
import { COMMAND_TYPES, commandSchemas } from '../../shared/domain/commands.ts';
import { ERROR_CODES } from '../../shared/domain/errors.ts';
import { EVENT_TYPES, eventSchemas } from '../../shared/domain/events.ts';
import { PERMISSIONS } from '../../shared/domain/permissions.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const doc = renderProtocolDoc();

/** The text of one `### heading` section of the doc. */
function section(heading: string): string {
  const start = doc.indexOf(`\n### ${heading}\n`);
  if (start < 0) return '';
  const end = doc.indexOf('\n#', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe('docs/protocol.md', () => {
  it('is what `npm run docs:protocol` writes from the current schemas', () => {
    const onDisk = readFileSync(PROTOCOL_DOC_PATH, 'utf8');
    // Not toBe: a failure should say what to do rather than print two 1,200-line files.
    if (onDisk !== doc) {
      const lines = doc.split('\n');
      const disk = onDisk.split('\n');
      const i = lines.findIndex((l, n) => l !== disk[n]);
      expect.fail(
        `docs/protocol.md is out of date: run \`npm run docs:protocol\`.\nFirst difference at line ${i + 1}:\n  file:      ${disk[i] ?? '(end)'}\n  generated: ${lines[i] ?? '(end)'}`,
      );
    }
  });

  it('documents every command with who may send it and every field', () => {
    for (const schema of commandSchemas) {
      const type = schema.shape.type.value;
      const text = section(type);
      expect(text, `no section for command ${type}`).not.toBe('');
      expect(text).toContain(`**Who:** ${PERMISSIONS[type].map((r) => `\`${r}\``).join(', ')}`);
      for (const key of Object.keys(schema.shape).filter((k) => !['type', 'id', 'sessionId'].includes(k)))
        expect(text, `${type}.${key}`).toContain(`| \`${key}\` |`);
      expect(doc, `${type} in the summary table`).toContain(`| [\`${type}\`](#`);
    }
    expect(commandSchemas.map((s) => s.shape.type.value)).toEqual(COMMAND_TYPES);
  });

  it('documents every event and every field', () => {
    for (const schema of eventSchemas) {
      const type = schema.shape.type.value;
      const text = section(type);
      expect(text, `no section for event ${type}`).not.toBe('');
      for (const key of Object.keys(schema.shape).filter((k) => !['type', 'seq', 'at', 'actor'].includes(k)))
        expect(text, `${type}.${key}`).toContain(`| \`${key}\` |`);
    }
    expect(eventSchemas.map((s) => s.shape.type.value)).toEqual(EVENT_TYPES);
  });

  it('documents every error code', () => {
    for (const code of ERROR_CODES) expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| \\d{3} \\|`));
  });

  it('lists every REST route the server defines, and no other', () => {
    const dir = join(repoRoot, 'server/http');
    const defined = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      // Routers in server/http are mounted under /api (server/app.ts).
      for (const m of source.matchAll(/\br\.(get|post|put|patch|delete)\(\s*'([^']+)'/g))
        defined.add(`${(m[1] ?? '').toUpperCase()} /api${m[2] ?? ''}`);
    }
    const app = readFileSync(join(repoRoot, 'server/app.ts'), 'utf8');
    for (const m of app.matchAll(/\bweb\.(get|post|put|patch|delete)\(\s*'([^']+)'/g))
      defined.add(`${(m[1] ?? '').toUpperCase()} ${m[2] ?? ''}`);
    const listed = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect(
      [...defined].filter((r) => !listed.has(r)),
      'routes missing from ROUTES in scripts/protocol-doc.ts',
    ).toEqual([]);
    expect(
      [...listed].filter((r) => !defined.has(r)),
      'routes in ROUTES the server does not define',
    ).toEqual([]);
  });
});
