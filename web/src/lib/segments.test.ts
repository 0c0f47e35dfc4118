import { describe, expect, it } from 'vitest';
import { intensity, rfmRows, rfmSegmentId, shortName } from './segments';

describe('segments helpers', () => {
  it('builds the ids the API gives built-in RFM segments', () => {
    expect(rfmSegmentId("Can't Lose Them")).toBe('rfm-cant-lose-them');
    expect(rfmSegmentId('Potential Loyalist')).toBe('rfm-potential-loyalist');
    expect(shortName('CLV tier: Gold')).toBe('Gold');
  });

  it('lays the R×F cells out with the most recent row first and holes as null', () => {
    const rows = rfmRows([{ r_score: 5, f_score: 5, rfm_segment: 'Champions', customers: 3, consented: 1, revenue: 10 }]);
    expect(rows.map((r) => r.r)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[0].cells[4]?.customers).toBe(3);
    expect(rows[0].cells.slice(0, 4)).toEqual([null, null, null, null]);
    expect(intensity(5, 10)).toBe(0.5);
    expect(intensity(1, 0)).toBe(0);
  });
});
