/** Reads a node's `/metrics` (Prometheus text format) into samples, as a scraper would. */
export async function scrape(url: string, token?: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  return parseMetrics(await res.text());
}

/** `name{a="1",b="2"}` (labels sorted by name) → value. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    const brace = series.indexOf('{');
    const name = brace < 0 ? series : series.slice(0, brace);
    const labels: Record<string, string> = {};
    if (brace >= 0)
      for (const m of series.slice(brace + 1, -1).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[m[1] ?? ''] = m[2] ?? '';
    samples.set(key(name, labels), Number(line.slice(space + 1)));
  }
  return samples;
}

/** A sample's value; 0 when absent (a counter nobody has touched yet). */
export function sample(
  samples: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): number {
  return samples.get(key(name, labels)) ?? 0;
}

function key(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}` : name;
}
