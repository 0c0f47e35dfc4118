import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBuild, type BuildResult } from './build/runner.ts';
import type { Connection } from './db/duckdb.ts';
import { describeLoad, loadSpec, type LoadResult } from './load/loader.ts';
import { readSpec } from './load/spec.ts';
import { addDays } from './metrics/query.ts';
import { DEMO_DIR, DEMO_SOURCES, SQL_DIR } from './paths.ts';

/** `scrm demo`: generate the demo company (once per scale and seed), load it and build the marts. */
export type Scale = 'small' | 'default' | 'large';

export interface DemoOptions {
  scale: Scale;
  seed?: number;
  /** Folder for the generated files; default data/demo/<scale>-<seed>. */
  dir?: string;
  log?: (line: string) => void;
}

export interface DemoResult {
  dir: string;
  generatedMs: number;
  loads: LoadResult[];
  loadMs: number;
  build: BuildResult;
}

export async function runDemo(c: Connection, opts: DemoOptions): Promise<DemoResult> {
  const seed = opts.seed ?? 42;
  const dir = opts.dir ?? join(DEMO_DIR, `${opts.scale}-${seed}`);
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const manifestPath = join(dir, 'manifest.json');
  let end: string;
  if (existsSync(manifestPath)) {
    end = JSON.parse(readFileSync(manifestPath, 'utf8')).end;
    log(`demo data already generated in ${dir}`);
  } else {
    log(`generating the ${opts.scale} demo company (seed ${seed}) in ${dir} …`);
    let lastStep = '';
    const { generateDemo } = await import('@scrm/fixtures');
    const manifest = await generateDemo({
      scale: opts.scale,
      outDir: dir,
      seed,
      onProgress: (p: { step: string }) => {
        if (p.step !== lastStep) log(`  ${p.step}`);
        lastStep = p.step;
      },
    });
    end = manifest.end;
  }
  copyFileSync(DEMO_SOURCES, join(dir, 'sources.yaml'));
  const generatedMs = performance.now() - t0;

  const t1 = performance.now();
  const loads = await loadSpec(c, readSpec(join(dir, 'sources.yaml')), {
    onEvent: (e) => {
      if (e.type === 'done') {
        const r = e.result;
        log(`  ${describeLoad(r)}`);
      }
    },
  });
  const loadMs = performance.now() - t1;
  const failed = loads.filter((l) => l.status === 'failed');
  if (failed.length) throw new Error(`demo load failed: ${failed.map((f) => `${f.source}: ${f.message}`).join('; ')}`);

  // The analysis date of the demo is the day after its last day of data.
  const build = await runBuild(c, { sqlDir: SQL_DIR, asOf: addDays(end, 1) });
  log(`  built ${build.models.length} models and ran ${build.tests} tests in ${(build.ms / 1000).toFixed(1)} s (as of ${build.asOf})`);
  return { dir, generatedMs, loads, loadMs, build };
}
