/** The stock y-websocket client in Node, and polling helpers that bound every wait. */
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/**
 * ws implements the browser WebSocket API the provider uses (binaryType 'arraybuffer', on* handlers, send, close) but
 * its typings differ from lib.dom's in details the provider never touches (dispatchEvent, 'nodebuffer'); this is the
 * one place that bridges the two type worlds.
 */
const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

export interface MinutesClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events the provider reported (code, reason), in order. */
  closes: Array<{ code: number; reason: string }>;
  synced(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

/** `baseUrl` is e.g. ws://127.0.0.1:1234/yjs; the provider appends "/<sessionId>?token=…". */
export function openMinutesClient(baseUrl: string, sessionId: string, token: string | null): MinutesClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(baseUrl, sessionId, doc, {
    params: token === null ? {} : { token },
    WebSocketPolyfill: NodeWebSocket,
    // Providers in one process would otherwise talk to each other through lib0's BroadcastChannel, bypassing the
    // server — and so hiding exactly what these tests check.
    disableBc: true,
    maxBackoffTime: 500,
  });
  const closes: Array<{ code: number; reason: string }> = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    synced: (timeoutMs = 5_000) => waitFor(() => provider.synced, timeoutMs, 'provider synced'),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `condition` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The text of the minutes fragment, block by block (what the editor would show, without formatting). */
export function minutesText(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((node) => (node instanceof Y.XmlElement || node instanceof Y.XmlText ? plain(node) : ''));
}

/** Text inside a node, at any depth (an explicit stack: the security tests store 20,000 nested elements). */
function plain(node: Y.XmlElement | Y.XmlText): string {
  let text = '';
  const stack: unknown[] = [node];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next instanceof Y.XmlText) text += next.toString().replace(/<[^>]*>/g, '');
    else if (next instanceof Y.XmlElement) {
      const children = next.toArray();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return text;
}

/** Appends a paragraph with `text` to the minutes, as the editor would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment('default');
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    const ytext = new Y.XmlText();
    paragraph.insert(0, [ytext]);
    ytext.insert(0, text, {});
  });
}
