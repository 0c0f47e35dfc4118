import { join } from 'node:path';
import { inject } from 'vitest';
import { REPO_ROOT } from '@scrm/warehouse';

/**
 * The small demo warehouse that the global setup builds once per test run, in a folder of that run's own
 * (so concurrent runs do not clobber each other); tests open it read-only or copy it.
 */
export const TMP_ROOT = join(REPO_ROOT, 'tests/.tmp');

declare module 'vitest' {
  export interface ProvidedContext {
    smallDb: string;
    smallDemoDir: string;
  }
}

export const smallDb = () => inject('smallDb');
export const smallDemoDir = () => inject('smallDemoDir');
