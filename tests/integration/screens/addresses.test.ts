/**
 * The address in QR codes and printed links: localhost is flagged (phones cannot open it), the office's choice is
 * used by every QR code and link, PUBLIC_URL is the default, and only private LAN addresses are offered. No test
 * here contacts any address but loopback.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressesReply, JoinLinkReply } from '../../../shared/protocol.ts';
import { isLoopback, lanOrigins } from '../../../server/http/addresses.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const qrOf = (link: string) => QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
const qrSvg = async (node: TestServer, code: string) =>
  (await fetch(`${node.url}/api/join/${code}/qr.svg`)).text();

describe('join addresses', () => {
  it('flags localhost, then puts the office’s chosen address in every QR code and link', async () => {
    const { id, joinCode } = await server.createSession();
    const before = await server.api<JoinLinkReply>('GET', `/api/join/${joinCode}/link`);
    expect(before.body).toEqual({
      origin: server.url,
      link: `${server.url}/j/${joinCode}`,
      loopback: true,
    });
    expect(await qrSvg(server, joinCode)).toBe(await qrOf(`${server.url}/j/${joinCode}`));
    const offered = await server.api<AddressesReply>('GET', '/api/addresses', { token: server.adminToken });
    expect(offered.body).toMatchObject({ chosen: server.url, loopback: true });

    // Only the admin chooses; an address with a path is refused.
    const chair = await server.staffToken('chair');
    expect(
      (
        await server.api('PUT', '/api/addresses/join', {
          token: chair,
          body: { address: 'http://x.example' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await server.api('PUT', '/api/addresses/join', {
          token: server.adminToken,
          body: { address: 'http://hall.example:3000/j/ABC' },
        })
      ).status,
    ).toBe(400);
    const chosen = 'http://hall.example:3000';
    expect(
      (
        await server.api('PUT', '/api/addresses/join', {
          token: server.adminToken,
          body: { address: `${chosen}/` },
        })
      ).status,
    ).toBe(200);
    const after = await server.api<JoinLinkReply>('GET', `/api/join/${joinCode}/link`);
    expect(after.body).toEqual({ origin: chosen, link: `${chosen}/j/${joinCode}`, loopback: false });
    expect(await qrSvg(server, joinCode)).toBe(await qrOf(`${chosen}/j/${joinCode}`));

    // Saving the ward page keeps the choice; the big screen's token may read the addresses, a phone's may not.
    const ward = await server.api<Record<string, unknown>>('GET', '/api/ward', { token: server.adminToken });
    const { joinAddress: _j, ...profile } = ward.body;
    expect((await server.api('PUT', '/api/ward', { token: server.adminToken, body: profile })).status).toBe(
      200,
    );
    expect((await server.api<JoinLinkReply>('GET', `/api/join/${joinCode}/link`)).body.origin).toBe(chosen);
    const display = await server.api<{ token: string }>('POST', `/api/sessions/${id}/display-token`, {
      token: server.adminToken,
    });
    expect((await server.api('GET', '/api/addresses', { token: display.body.token })).body).toMatchObject({
      chosen,
      saved: chosen,
    });
    await server.setStatus(id, 'collecting');
    const phone = await server.join(joinCode);
    expect((await server.api('GET', '/api/addresses', { token: phone.token })).status).toBe(403);

    // Forgetting it goes back to the request's own address.
    await server.api('PUT', '/api/addresses/join', { token: server.adminToken, body: { address: null } });
    expect((await server.api<JoinLinkReply>('GET', `/api/join/${joinCode}/link`)).body.loopback).toBe(true);
  });

  it('uses PUBLIC_URL by default, also for a screen opened on localhost', async () => {
    const other = await startServer({ env: { PUBLIC_URL: 'https://doithoai.example.vn/' } });
    try {
      const { joinCode } = await other.createSession();
      const link = await other.api<JoinLinkReply>('GET', `/api/join/${joinCode}/link`);
      expect(link.body).toEqual({
        origin: 'https://doithoai.example.vn',
        link: `https://doithoai.example.vn/j/${joinCode}`,
        loopback: false,
      });
      expect(await qrSvg(other, joinCode)).toBe(await qrOf(`https://doithoai.example.vn/j/${joinCode}`));
    } finally {
      await other.close();
    }
  });

  it('offers only private, external IPv4 addresses of the server', () => {
    const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
      family === 'IPv4'
        ? { address, family, internal, netmask: '', mac: '', cidr: null }
        : { address, family, internal, netmask: '', mac: '', cidr: null, scopeid: 0 };
    expect(
      lanOrigins(3000, {
        lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
        eth0: [nic('192.168.1.20', 'IPv4'), nic('fe80::1', 'IPv6')],
        wlan0: [nic('10.0.0.7', 'IPv4'), nic('172.20.1.2', 'IPv4')],
        wan: [nic('203.0.113.9', 'IPv4'), nic('172.32.0.1', 'IPv4')],
      }),
    ).toEqual(['http://192.168.1.20:3000', 'http://10.0.0.7:3000', 'http://172.20.1.2:3000']);
    expect(['http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:3000'].every(isLoopback)).toBe(true);
    expect(isLoopback('http://192.168.1.20:3000')).toBe(false);
  });
});
