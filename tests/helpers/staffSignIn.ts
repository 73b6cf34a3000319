/** The staff sign-in form every staff surface shows first (admin, panel, minutes), filled in and sent, in Vietnamese. */
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD } from './server.ts';

const ADMIN = { username: 'admin', password: ADMIN_PASSWORD };

/** Signs in on the page's sign-in form; the bootstrap admin unless another account is given. */
export async function signIn(
  page: Page,
  account: { username: string; password: string } = ADMIN,
): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(account.username);
  await page.getByLabel('Mật khẩu').fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}
