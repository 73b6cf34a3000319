import { randomUUID } from 'node:crypto';
import { launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import { must, seedMeeting, signIn, TABLET } from './panelHelpers.ts';

const server = await startServer({ env: { CLIENT_DIR: '/tmp/minutes-dist' } });
const browser = await launchBrowser();
try {
  const seeded = await seedMeeting(server);
  const sec = await signIn(server, 'secretary', 'Trần Thị Thu');
  await must(server, seeded.chair.token, { sessionId: seeded.sessionId, type: 'speaker.end' });
  const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
  await ctx.addInitScript((staff) => localStorage.setItem('dialogue-board:staff', staff), JSON.stringify(sec));
  const page = await ctx.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`/minutes/${seeded.sessionId}`);
  await page.getByTestId('minutes-editor').waitFor({ timeout: 10000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: '/tmp/mshots/laptop.png' });
  await page.getByTestId('paper').screenshot({ path: '/tmp/mshots/paper.png' });
  console.log(await page.getByTestId('collab-status').textContent());
} finally {
  await browser.close();
  await server.close();
}
