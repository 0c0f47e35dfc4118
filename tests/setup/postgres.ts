import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A real PostgreSQL server for integration tests: installs Debian's package when `pg_ctlcluster` is missing
 * (tests and CI run as root), starts the cluster when it is down, and gives each test file its own role
 * (with a password) and fresh database, reached over TCP on 127.0.0.1. `drop()` removes both.
 */
export interface TestPostgres {
  /** postgres://role:password@127.0.0.1:port/database */
  url: string;
  user: string;
  password: string;
  database: string;
  port: number;
  /** Runs SQL in the test database as its owner (through psql as the postgres OS user); returns psql's output. */
  psql(sql: string): string;
  drop(): void;
}

function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { input, cwd: '/tmp', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function hasServer(): boolean {
  return spawnSync('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/postgres']).status === 0;
}

function install(): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => spawnSync('apt-get', args, { env, stdio: 'ignore' }).status === 0;
  if (!apt(['install', '-y', '-qq', 'postgresql'])) {
    apt(['update', '-qq']);
    if (!apt(['install', '-y', '-qq', 'postgresql'])) throw new Error('could not install PostgreSQL with apt-get');
  }
}

interface Cluster { version: string; name: string; port: number; online: boolean }

function clusters(): Cluster[] {
  return sh('pg_lsclusters', ['-h']).trim().split('\n').filter(Boolean).map((l) => {
    const [version, name, port, status] = l.trim().split(/\s+/);
    return { version, name, port: Number(port), online: status.startsWith('online') };
  });
}

/** Ensures a running cluster; returns its port. */
export function ensurePostgresServer(): number {
  // The client (with pg_ctlcluster) may be installed without the server: look for the server binary.
  if (!has('pg_ctlcluster') || !hasServer()) install();
  let list = clusters();
  if (list.length === 0) {
    throw new Error('PostgreSQL is installed but has no cluster (pg_lsclusters lists none); create one with pg_createcluster');
  }
  const c = list.find((x) => x.online) ?? list[0];
  if (!c.online) {
    // Another test file may be starting it at the same moment: a failed start is fine if it is online afterwards.
    spawnSync('pg_ctlcluster', [c.version, c.name, 'start'], { stdio: 'ignore' });
    list = clusters();
    if (!list.find((x) => x.version === c.version && x.name === c.name)?.online) throw new Error(`cannot start PostgreSQL cluster ${c.version}/${c.name}`);
  }
  return c.port;
}

function superPsql(port: number, database: string, sql: string): string {
  return sh('runuser', ['-u', 'postgres', '--', 'psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-p', String(port), '-d', database, '-f', '-'], sql);
}

export function createTestDatabase(): TestPostgres {
  const port = ensurePostgresServer();
  const id = randomBytes(6).toString('hex');
  const user = `scrm_t_${id}`;
  const database = `scrm_t_${id}`;
  const password = randomBytes(12).toString('hex');
  superPsql(port, 'postgres', `CREATE ROLE ${user} LOGIN PASSWORD '${password}';\nCREATE DATABASE ${database} OWNER ${user};`);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    user, password, database, port,
    psql: (sql) => superPsql(port, database, `SET ROLE ${user};\n${sql}`),
    drop: () => {
      superPsql(port, 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE);\nDROP ROLE IF EXISTS ${user};`);
    },
  };
}
