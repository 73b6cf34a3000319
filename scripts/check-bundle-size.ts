/**
 * Budgets of each route's initial JavaScript, gzipped: the SPA's entry chunk plus the route's surface chunk and
 * every chunk they import statically (what the browser must download before the surface can render). Dynamic
 * imports inside a surface (e.g. the minutes editor) do not count. Reads dist/client/.vite/manifest.json, so run
 * it after `vite build`:
 *
 *     node --import tsx scripts/check-bundle-size.ts [distDir]
 *
 * Exits 1 when a route is over its budget. tests/unit/bundleSize.test.ts runs the same check.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Gzipped KB (1 KB = 1024 bytes). The attendee's is the issue's: cheap phones on a crowded hall Wi-Fi. */
export const BUDGETS_KB: Record<string, number | undefined> = { attendee: 60, screen: 80, panel: 120 };

/** Each surface's root component as the manifest names it (client/routes.ts loads these). */
export const SURFACE_FILES: Record<string, string> = {
  home: 'surfaces/home/HomeApp.svelte',
  attendee: 'surfaces/attendee/AttendeeApp.svelte',
  panel: 'surfaces/panel/PanelApp.svelte',
  screen: 'surfaces/screen/ScreenApp.svelte',
  minutes: 'surfaces/minutes/MinutesApp.svelte',
  admin: 'surfaces/admin/AdminApp.svelte',
};

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface RouteSize {
  surface: string;
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  budgetKb: number | undefined;
  ok: boolean;
}

function closure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the manifest`);
  seen.add(key);
  for (const dep of chunk.imports ?? []) closure(manifest, dep, seen);
  return seen;
}

export function measureRoutes(distDir = 'dist/client'): RouteSize[] {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entryKey) throw new Error('the manifest has no entry');
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = (file: string) => {
    let size = sizes.get(file);
    if (!size) {
      const bytes = readFileSync(join(distDir, file));
      size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      sizes.set(file, size);
    }
    return size;
  };
  return Object.entries(SURFACE_FILES)
    .filter(([, key]) => manifest[key])
    .map(([surface, key]) => {
      const keys = closure(manifest, key, closure(manifest, entryKey));
      const files = [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
      const rawBytes = files.reduce((n, f) => n + sizeOf(f).raw, 0);
      const gzipBytes = files.reduce((n, f) => n + sizeOf(f).gzip, 0);
      const budgetKb = BUDGETS_KB[surface];
      return {
        surface,
        files,
        rawBytes,
        gzipBytes,
        budgetKb,
        ok: budgetKb === undefined || gzipBytes <= budgetKb * 1024,
      };
    });
}

export function formatTable(rows: RouteSize[]): string {
  const kb = (n: number) => (n / 1024).toFixed(1);
  const lines = [
    'route      chunks   raw KB   gzip KB   budget KB   ',
    ...rows.map(
      (r) =>
        `${r.surface.padEnd(10)} ${String(r.files.length).padStart(6)} ${kb(r.rawBytes).padStart(8)} ${kb(r.gzipBytes).padStart(9)} ` +
        `${(r.budgetKb === undefined ? '—' : String(r.budgetKb)).padStart(11)}   ${r.ok ? 'ok' : 'OVER BUDGET'}`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = measureRoutes(process.argv[2] ?? 'dist/client');
  console.log(formatTable(rows));
  if (rows.some((r) => !r.ok)) {
    console.error('\nInitial JavaScript over budget: see above.');
    process.exit(1);
  }
}
