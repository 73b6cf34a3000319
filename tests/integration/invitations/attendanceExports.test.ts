/**
 * Attendance against invitations in the synthesis report (issue 14): the report the office prints (GET …/report),
 * report.csv and report.xlsx carry, per body and residential group, how many were invited and how many are present
 * — the very figures of the panel's overview (GET …/attendance). A session without invitees has no such table.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitee } from '../../../shared/invitations/invitees.ts';
import type { Attendance } from '../../../shared/report/attendance.ts';
import { parseCsv } from '../../../shared/report/csv.ts';
import type { Report } from '../../../shared/report/report.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const download = async (path: string) => {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.adminToken}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

describe('attendance in the report exports', () => {
  it('shows the panel’s attendance per body and residential group in the report, its CSV and its XLSX', async () => {
    const { id } = await server.createSession();
    const add = async (body: Record<string, unknown>) =>
      (await server.api<Invitee>('POST', `/api/sessions/${id}/invitees`, { token: server.adminToken, body }))
        .body;
    const front = await add({ salutation: 'ong', name: 'Lê Văn Tâm', category: 'front' });
    await add({ salutation: 'ba', name: 'Phạm Thị Hoa', category: 'front' });
    const leader = await add({ salutation: 'ba', name: 'Nguyễn Thị Lan', category: 'groupLeader', group: 3 });
    await add({ salutation: 'ong', name: 'Trần Văn Nam', category: 'resident', group: 3 });
    for (const who of [front, leader])
      await server.api('PUT', `/api/sessions/${id}/invitees/${who.id}/check-in`, {
        token: server.adminToken,
        body: { present: true },
      });

    const panel = (
      await server.api<Attendance>('GET', `/api/sessions/${id}/attendance`, {
        token: await server.staffToken('chair'),
      })
    ).body;
    expect(panel).toMatchObject({ invited: 4, present: 2 });

    const report = (
      await server.api<Report>('GET', `/api/sessions/${id}/report`, { token: server.adminToken })
    ).body;
    expect(report.attendance).toEqual(panel);

    const csv = parseCsv((await download(`/api/sessions/${id}/export/report.csv`)).toString('utf8'));
    const title = csv.findIndex((r) => r[0] === 'Điểm danh theo giấy mời');
    expect(title).toBeGreaterThan(0);
    expect(csv.slice(title + 1, title + 5)).toEqual([
      ['Thành phần, tổ', 'Có mặt', 'Được mời'],
      ['UBMTTQ phường', '1', '2'],
      ['Tổ dân phố số 3', '1', '2'],
      ['Tổng cộng', '2', '4'],
    ]);
    const english = parseCsv(
      (await download(`/api/sessions/${id}/export/report.csv?lang=en`)).toString('utf8'),
    );
    expect(english.some((r) => r[0] === 'Residential group 3' && r[1] === '1' && r[2] === '2')).toBe(true);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(`/api/sessions/${id}/export/report.xlsx`)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Tham dự')!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    const at = values.findIndex((r) => r[0] === 'Điểm danh theo giấy mời');
    expect(values.slice(at + 2, at + 5)).toEqual([
      ['UBMTTQ phường', 1, 2],
      ['Tổ dân phố số 3', 1, 2],
      ['Tổng cộng', 2, 4],
    ]);
  });

  it('has no attendance table when nobody was invited', async () => {
    const { id } = await server.createSession();
    const report = (
      await server.api<Report>('GET', `/api/sessions/${id}/report`, { token: server.adminToken })
    ).body;
    expect(report.attendance).toBeUndefined();
    const csv = (await download(`/api/sessions/${id}/export/report.csv`)).toString('utf8');
    expect(csv).not.toContain('Điểm danh theo giấy mời');
  });
});
