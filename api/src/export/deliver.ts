import { createHash } from 'node:crypto';

export interface Delivered {
  status: 'complete' | 'aborted';
  bytes: number;
  /** sha256 (hex) of exactly the bytes handed to the client. */
  sha256: string;
}

/**
 * The file as a pull-based response body: the next piece is produced only when the client has taken the last
 * one, so memory stays flat however large the export. Every byte passes through one hash; `onEnd` runs once,
 * before the response ends (complete) or when the client goes away or the encoder fails (aborted).
 */
export function deliver(bytes: AsyncIterable<Uint8Array>, onEnd: (d: Delivered) => Promise<void>): ReadableStream<Uint8Array> {
  const it = bytes[Symbol.asyncIterator]();
  const hash = createHash('sha256');
  let sent = 0;
  let ended = false;
  const end = async (status: Delivered['status']) => {
    if (ended) return;
    ended = true;
    await onEnd({ status, bytes: sent, sha256: hash.digest('hex') });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const next = await it.next();
            if (next.done) {
              await end('complete');
              controller.close();
              return;
            }
            if (next.value.byteLength === 0) continue;
            hash.update(next.value);
            sent += next.value.byteLength;
            controller.enqueue(next.value);
            return;
          }
        } catch (err) {
          await it.return?.().catch(() => undefined);
          await end('aborted').catch(() => undefined);
          controller.error(err);
        }
      },
      async cancel() {
        await it.return?.().catch(() => undefined);
        await end('aborted');
      },
    },
    { highWaterMark: 0 },
  );
}
