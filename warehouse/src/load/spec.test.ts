import { describe, expect, it } from 'vitest';
import { parseSpecText } from './spec.ts';

describe('source spec', () => {
  it('resolves paths against the spec file and infers the format', () => {
    const spec = parseSpecText('sources:\n  - { name: o, entity: orders, path: exports/orders.csv }\n', '/data/spec.yaml');
    expect(spec.sources[0].path).toBe('/data/exports/orders.csv');
    expect(spec.sources[0].format).toBe('csv');
  });

  it('names every problem, with its place', () => {
    const text = `sources:
  - { name: a, entity: orders, path: a.csv, columns: { order_no: X } }
  - { name: a, entity: clients, path: b.csv }
`;
    expect(() => parseSpecText(text, 'spec.yaml')).toThrowError(/sources\.0\.columns\.order_no: "order_no" is not a column of orders[\s\S]*sources\.1\.entity[\s\S]*/);
    expect(() => parseSpecText('sources:\n  - { name: a, entity: orders, path: a.csv }\n  - { name: a, entity: orders, path: b.csv }\n', 's.yaml')).toThrowError(
      /duplicate source name "a"/,
    );
  });

  it('rejects unreadable YAML and unknown formats with a message', () => {
    expect(() => parseSpecText('sources: [', 's.yaml')).toThrowError(/not valid YAML/);
    expect(() => parseSpecText('sources:\n  - { name: a, entity: orders, path: a.dat }\n', 's.yaml')).toThrowError(/Cannot infer the format of .*a\.dat/);
  });
});
