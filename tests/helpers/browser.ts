/**
 * Playwright (playwright-core) driving Debian's Chromium, for the e2e tests, plus an axe-core check.
 *
 *     const browser = await launchBrowser();
 *     const { context, page } = await newPhone(browser, server.url);   // 360×640, touch, Vietnamese
 *     await axeCheck(page);                                             // throws listing serious/critical issues
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A cheap Android phone: 360×640 CSS px, touch, DPR 2. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'vi-VN',
  userAgent:
    'Mozilla/5.0 (Linux; Android 11; SM-A105F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
};

export async function newPhone(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, baseURL, ...options });
  const page = await context.newPage();
  return { context, page };
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules and best practices) on the page and throws when it finds a
 * serious or critical violation, listing each with the elements concerned. Returns all violations found.
 */
export async function axeCheck(page: Page, options: { label?: string } = {}): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, not a <script> tag: the app's CSP (script-src 'self') stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const list = bad
      .map(
        (v) =>
          `- [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
      )
      .join('\n');
    throw new Error(
      `axe found ${bad.length} serious/critical violation(s)${options.label ? ` on ${options.label}` : ''}:\n${list}`,
    );
  }
  return violations;
}

/** What the layout checks look at: the words a person reads to act (labels, buttons, headings, clocks, counts). */
const LABELS =
  'button, label, legend, summary, h1, h2, h3, a, dt, th, [role="timer"], .badge, [data-testid="votes"], nav';

/**
 * Words broken across lines and text clipped or overflowing its box, in the labels, buttons, headings, clocks and
 * counts of the page: each word of each text node is a DOM Range, and a word whose client rects lie on more than one
 * line is broken ("Phiế/u"); an element whose content is wider than its box is clipped ("+0:1" for "+0:11").
 * Elements marked `data-ellipsis` shorten on purpose (their full text is elsewhere). Returns one line per problem.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const problems: string[] = [];
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && style.visibility !== 'hidden' && !el.closest('.visually-hidden');
    };
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
      problems.push(`the page is wider than the screen (${root.scrollWidth} > ${root.clientWidth})`);
    for (const el of document.querySelectorAll(selector)) {
      if (!shown(el) || el.closest('select, [data-ellipsis]')) continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const parent = node.parentElement;
        if (!parent || !shown(parent) || parent.closest('select')) continue;
        for (const m of text.matchAll(/[^\s\-–—/]+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
          const lines = rects.filter((r, i) => i === 0 || Math.abs(r.top - rects[0]!.top) > r.height / 2);
          if (lines.length > 1)
            problems.push(
              `"${m[0]}" is broken inside <${el.tagName.toLowerCase()}> "${el.textContent?.trim()}"`,
            );
        }
      }
      const display = getComputedStyle(el).display;
      if (display !== 'inline' && el.scrollWidth > el.clientWidth + 1)
        problems.push(
          `<${el.tagName.toLowerCase()}> "${el.textContent?.trim()}" is clipped (${el.scrollWidth} > ${el.clientWidth} px)`,
        );
    }
    return [...new Set(problems)];
  }, LABELS);
}

/**
 * Whether the first element matching `selector` is on the first screen: between the header and what covers the
 * bottom (the bottom bar, a stuck action bar — elements marked `data-covers`), without scrolling. With `atLeast`, its
 * top and that many pixels of it (or all of it, if smaller) must show; without, all of it.
 */
export function visibleIn(page: Page, selector: string, atLeast?: number): Promise<boolean> {
  return page.evaluate(
    ([selector, atLeast]) => {
      const el = document.querySelector(selector);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const top = document.querySelector('header')?.getBoundingClientRect().bottom ?? 0;
      let bottom = window.innerHeight;
      for (const cover of document.querySelectorAll('[data-covers]')) {
        const c = cover.getBoundingClientRect();
        if (!cover.contains(el) && c.top > r.top) bottom = Math.min(bottom, c.top);
      }
      const need = atLeast === undefined ? r.height : Math.min(r.height, atLeast);
      return (
        r.top >= top - 1 && r.top + need <= bottom + 1 && r.left >= -1 && r.right <= window.innerWidth + 1
      );
    },
    [selector, atLeast] as const,
  );
}
