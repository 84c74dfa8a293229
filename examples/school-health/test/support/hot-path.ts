import { expect } from 'chai';
import { captureQueries } from '@querylens/core/testing';

/** What a hot-path test needs at run time (resolved after `before` hooks). */
export interface HotPathSubject<T> {
  run: () => Promise<T>;
}

/**
 * Declares two tests pinning a hot path's cost: `missQueries` queries and no N+1 on a cold call,
 * and 0 queries (same JSON) on a warm one (served by the QueryCache).
 */
export function itPinsHotPath<T>(missQueries: number, subject: () => HotPathSubject<T>, check?: (result: T) => void): void {
  it(`costs ${missQueries} ${missQueries === 1 ? 'query' : 'queries'} on a miss, no N+1`, async () => {
    const miss = await captureQueries(subject().run);
    expect(miss.count, miss.queries.map((q) => q.summary).join(' | ')).to.equal(missQueries);
    expect(miss.nPlusOne).to.deep.equal([]);
    check?.(miss.result);
  });

  it('costs 0 queries on a hit and returns the same data', async () => {
    const s = subject();
    const first = await s.run();
    const hit = await captureQueries(s.run);
    expect(hit.count, hit.queries.map((q) => q.summary).join(' | ')).to.equal(0);
    expect(JSON.stringify(hit.result)).to.equal(JSON.stringify(first));
  });
}
