/**
 * The account and ward forms through the real UI (issue 13, finding 10): a vice-chairman's account is given the
 * fields they are responsible for (and they are changed later); every refusal of the server shows next to the box
 * it is about — a username taken, a field gone from the ward profile, an official's name too long — on a 360×640
 * phone and on a tablet, with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WardProfile } from '../../shared/domain/ward.ts';
import type { UserView } from '../../shared/protocol.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { signIn } from '../helpers/staffSignIn.ts';
import { clientEnv } from './attendeeHelpers.ts';

const T = 90_000;
let server: TestServer;
let browser: Browser;

const users = async () =>
  (await server.api<UserView[]>('GET', '/api/users', { token: server.adminToken })).body;
const ward = async () =>
  (await server.api<WardProfile>('GET', '/api/ward', { token: server.adminToken })).body;
const noSideScroll = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

async function open(size: { width: number; height: number }, path: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: size,
    locale: 'vi-VN',
    baseURL: server.url,
    ...(size.width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  await page.goto(path);
  await signIn(page);
  return page;
}

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
}, T);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('staff accounts on a 360×640 phone', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open({ width: 360, height: 640 }, '/admin/users');
    await page.getByRole('heading', { name: 'Tài khoản cán bộ', level: 1 }).waitFor();
  }, T);

  it(
    'gives a vice-chairman the fields they are responsible for, and changes them',
    async () => {
      const form = page.locator('form').filter({ has: page.getByLabel('Vai trò', { exact: true }) });
      await form.getByLabel('Tên đăng nhập').fill('pho.chu.tich');
      await form.getByLabel('Họ và tên').fill('Trần Thị Phó');
      await form.getByLabel('Vai trò', { exact: true }).selectOption('vice_chair');
      const choice = page.getByRole('group', { name: 'Lĩnh vực phụ trách', exact: true });
      await choice.getByText(/Phó Chủ tịch trả lời mọi câu hỏi/).waitFor();
      await choice.getByLabel('Địa chính – Xây dựng').check();
      await choice.getByLabel('Quản lý đô thị').check();
      await form.getByLabel('Mật khẩu').fill('password-123');
      await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã tạo tài khoản pho.chu.tich' }).waitFor();
      expect((await users()).find((u) => u.username === 'pho.chu.tich')).toMatchObject({
        role: 'vice_chair',
        fieldIds: ['dia-chinh', 'do-thi'],
      });
      expect(await noSideScroll(page)).toBe(true);
      await axeCheck(page, { label: 'users with a vice-chairman' });

      await page.getByRole('button', { name: /Lĩnh vực phụ trách\s*: pho\.chu\.tich/ }).click();
      const change = page.getByRole('group', { name: 'Lĩnh vực phụ trách của pho.chu.tich' });
      await change.getByLabel('Quản lý đô thị').uncheck();
      await change.getByLabel('Công an').check();
      await page.getByRole('button', { name: 'Lưu lĩnh vực' }).click();
      await page.getByRole('status').filter({ hasText: 'Đã cập nhật pho.chu.tich' }).waitFor();
      expect((await users()).find((u) => u.username === 'pho.chu.tich')?.fieldIds).toEqual([
        'dia-chinh',
        'cong-an',
      ]);
    },
    T,
  );

  it(
    'shows a refusal next to the box it is about: the username taken, a field gone from the ward profile',
    async () => {
      const form = page.locator('form').filter({ has: page.getByLabel('Vai trò', { exact: true }) });
      await form.getByLabel('Tên đăng nhập').fill('admin');
      await form.getByLabel('Vai trò', { exact: true }).selectOption('official');
      await form.getByLabel('Mật khẩu').fill('password-123');
      await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.locator('#nu-username-error').filter({ hasText: 'Tên đăng nhập admin đã có' }).waitFor();
      expect(await form.getByLabel('Tên đăng nhập').getAttribute('aria-invalid')).toBe('true');

      // The field is removed from the ward profile while this page still offers it.
      const before = await ward();
      const saved = await server.api('PUT', '/api/ward', {
        token: server.adminToken,
        body: { ...before, fields: before.fields.filter((f) => f.id !== 'quan-su') },
      });
      expect(saved.status).toBe(200);
      await form.getByLabel('Tên đăng nhập').fill('can.bo.quan.su');
      await page
        .getByRole('group', { name: 'Lĩnh vực phụ trách', exact: true })
        .getByLabel('Quân sự')
        .check();
      await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page
        .locator('#nu-fields-error')
        .filter({ hasText: 'Lĩnh vực đã chọn không còn tồn tại' })
        .waitFor();
      expect((await users()).some((u) => u.username === 'can.bo.quan.su')).toBe(false);
      await axeCheck(page, { label: 'users with refusals' });
    },
    T,
  );
});

describe('the ward profile on a tablet', () => {
  it(
    'shows a refusal next to the official it is about',
    async () => {
      const page = await open({ width: 768, height: 1024 }, '/admin/ward');
      await page.getByRole('button', { name: 'Thêm cán bộ' }).click();
      await page.getByRole('button', { name: 'Thêm cán bộ' }).click();
      await page.locator('#wo-name-0').fill('Nguyễn Thị Hoa');
      await page.locator('#wo-name-1').fill('Ông '.repeat(40));
      await page.getByRole('button', { name: 'Lưu hồ sơ phường' }).click();
      await page.locator('#wo-name-1-error').waitFor();
      expect(await page.locator('#wo-name-1').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#wo-name-0-error').count()).toBe(0);
      expect((await ward()).officials).toEqual([]);
      expect(await noSideScroll(page)).toBe(true);
      await axeCheck(page, { label: 'ward with a refusal (tablet)' });
    },
    T,
  );
});
