import { describe, expect, it } from 'vitest';
import { decideMode, incrementalStatements, type ModeInput } from './incremental.ts';

const base: ModeInput = {
  fingerprint: 'f1',
  usesAsOf: true,
  asOf: '2026-11-01',
  state: { sqlHash: 'f1', watermark: 7, asOf: '2026-11-01' },
  targetExists: true,
  fullRefresh: false,
};

describe('decideMode', () => {
  it('runs incremental from the stored watermark when nothing else changed', () => {
    expect(decideMode(base)).toEqual({ mode: 'incremental', reason: 'rows loaded after load 7', watermark: 7 });
  });

  it('runs full on --full-refresh, a missing table, no state, changed SQL, or a new as-of date', () => {
    expect(decideMode({ ...base, fullRefresh: true })).toEqual({ mode: 'full', reason: '--full-refresh' });
    expect(decideMode({ ...base, targetExists: false })).toEqual({ mode: 'full', reason: 'the table does not exist yet' });
    expect(decideMode({ ...base, state: undefined })).toEqual({ mode: 'full', reason: 'no watermark from an earlier build' });
    expect(decideMode({ ...base, fingerprint: 'f2' })).toMatchObject({ mode: 'full', reason: expect.stringMatching(/SQL or header/) });
    expect(decideMode({ ...base, asOf: '2026-11-02' })).toEqual({ mode: 'full', reason: 'the as-of date changed (2026-11-01 → 2026-11-02)' });
  });

  it('ignores the as-of date when neither the model nor its upstream uses it', () => {
    expect(decideMode({ ...base, usesAsOf: false, asOf: '2027-01-01' }).mode).toBe('incremental');
  });

  it('checks in order: --full-refresh wins over everything', () => {
    expect(decideMode({ ...base, fullRefresh: true, targetExists: false, state: undefined }).reason).toBe('--full-refresh');
  });
});

describe('incrementalStatements', () => {
  it('stages the new rows, deletes by the unique key (null-safe), inserts by name', () => {
    const s = incrementalStatements('marts.orders', ['order_id', 'line'], 'SELECT 1');
    expect(s.stage).toBe('CREATE OR REPLACE TEMP TABLE _scrm_incremental AS SELECT 1');
    expect(s.delete).toBe(
      'DELETE FROM marts.orders t USING _scrm_incremental n WHERE t."order_id" IS NOT DISTINCT FROM n."order_id" AND t."line" IS NOT DISTINCT FROM n."line"',
    );
    expect(s.insert).toBe('INSERT INTO marts.orders BY NAME SELECT * FROM _scrm_incremental');
  });
});
