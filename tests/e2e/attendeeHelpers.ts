/** Shared steps of the attendee e2e tests: a phone that joins a session through /j/<code>. */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { newPhone } from '../helpers/browser.ts';

export const SHOTS = 'docs/screenshots';

/** The built client the e2e server serves: dist/client, or E2E_CLIENT_DIR (a private build while developing). */
export const clientEnv = (): Record<string, string> =>
  process.env.E2E_CLIENT_DIR ? { CLIENT_DIR: process.env.E2E_CLIENT_DIR } : {};

export interface Phone {
  context: BrowserContext;
  page: Page;
  participantId: string;
}

/** Opens /j/<code> on a new 360×640 phone and joins with the given name and group. */
export async function joinPhone(
  browser: Browser,
  baseURL: string,
  joinCode: string,
  options: { name?: string; group?: number; screenshot?: string } = {},
): Promise<Phone> {
  const { context, page } = await newPhone(browser, baseURL);
  await page.goto(`/j/${joinCode}`);
  await page.getByRole('button', { name: 'Tham gia' }).waitFor();
  if (options.name) await page.getByLabel('Họ và tên').fill(options.name);
  if (options.group) await page.getByLabel('Tổ dân phố').selectOption(String(options.group));
  if (options.screenshot) await page.screenshot({ path: `${SHOTS}/${options.screenshot}` });
  await page.getByRole('button', { name: 'Tham gia' }).click();
  await page.getByTestId('session-status').waitFor();
  const participantId = await page.evaluate(
    (code) =>
      JSON.parse(localStorage.getItem(`dialogue-board:attendee:${code}`) ?? '{}').participantId as string,
    joinCode,
  );
  expect(participantId).toBeTruthy();
  return { context, page, participantId };
}

/** Switches to a section with the bottom bar. */
export async function openTab(
  page: Page,
  tab: 'now' | 'questions' | 'ask' | 'speak' | 'form',
): Promise<void> {
  await page.locator(`nav button[data-tab="${tab}"]`).click();
  await page.locator(`nav button[data-tab="${tab}"][aria-current="page"]`).waitFor();
}

/**
 * Types a question in the Ask section (with the field chosen, when given) and sends it; returns the id of the new
 * "my question" card.
 */
export async function ask(page: Page, text: string, options: { fieldId?: string } = {}): Promise<string> {
  await openTab(page, 'ask');
  const before = await page.getByTestId('my-question').count();
  await page.getByLabel('Câu hỏi hoặc ý kiến của Ông/Bà').fill(text);
  if (options.fieldId) await page.getByLabel('Lĩnh vực liên quan').selectOption(options.fieldId);
  await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
  await expect.poll(() => page.getByTestId('my-question').count()).toBe(before + 1);
  const card = page.getByTestId('my-question').filter({ hasText: text }).first();
  const id = await card.getAttribute('data-id');
  expect(id).toBeTruthy();
  return id!;
}

export const statusOf = (page: Page, questionId: string) =>
  page
    .locator(`[data-testid="my-question"][data-id="${questionId}"] [data-testid="question-status"]`)
    .getAttribute('data-status');

/**
 * Saves docs/screenshots/<name>: the section scrolled to its top, or to `focus` when given (so the screenshot shows
 * what the step is about).
 */
export async function shot(page: Page, name: string, focus?: Locator): Promise<void> {
  await page.evaluate(() => document.querySelector('.scroller')?.scrollTo(0, 0));
  if (focus) await focus.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/${name}` });
}

/** Polls `condition` until it is truthy (for hooks, where expect.poll is not available). */
export async function waitUntil(condition: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
