import { launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import { must, seedMeeting, signIn } from './panelHelpers.ts';

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
  await page.waitForTimeout(500);
  await page.locator('.minutes-doc > h3:nth-of-type(4) + p').click();
  await page.locator('[data-kind="speech"] [data-testid="insert-event"]').click();
  await page.waitForTimeout(300);
  console.log(await page.locator('.minutes-doc').evaluate((el) => el.innerHTML.slice(0, 200)));
  const html = await page.locator('.minutes-doc > h3:nth-of-type(4)').evaluate((el) => el.outerHTML + '\n' + el.nextElementSibling?.outerHTML + '\n' + el.nextElementSibling?.nextElementSibling?.outerHTML);
  console.log(html);
} finally {
  await browser.close();
  await server.close();
}
