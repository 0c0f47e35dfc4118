import { existsSync, readFileSync } from 'node:fs';

/** Where a running `scrm serve` announces itself, beside the database it owns. */
export interface ServerInfo {
  pid: number;
  url: string;
  token: string;
  db: string;
}

export const serverInfoPath = (dbPath: string) => `${dbPath}.server.json`;

/** The server that owns `dbPath`, if one is running and answers; null otherwise (a stale file is ignored). */
export async function findServer(dbPath: string): Promise<ServerInfo | null> {
  const file = serverInfoPath(dbPath);
  if (!existsSync(file)) return null;
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8'));
    process.kill(info.pid, 0);
  } catch {
    return null;
  }
  try {
    const res = await fetch(new URL('api/health', info.url), { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { db?: string };
    return body.db === dbPath ? info : null;
  } catch {
    return null;
  }
}
