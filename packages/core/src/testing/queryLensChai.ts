import type { CaptureResult } from './captureQueries';

/* eslint-disable @typescript-eslint/no-namespace */
declare global {
  namespace Chai {
    interface Assertion {
      /** Negates the assertion that follows, like `not` (`expect(c).to.have.no.nPlusOne`). */
      no: Assertion;
      /** Asserts that a {@link captureQueries} result has N+1 detections (use `.no.nPlusOne` for none). */
      nPlusOne: Assertion;
      /** Asserts the number of queries of a {@link captureQueries} result. */
      queryCount(expected: number): Assertion;
    }
  }
}
/* eslint-enable @typescript-eslint/no-namespace */

/** The parts of chai's plugin arguments used here (typed loosely so any chai 5/6 `use` accepts the plugin). */
type ChaiUtils = { flag: (obj: any, key: string, value?: any) => any };
type ChaiLike = { Assertion: any; util?: any };

function capturedOf(obj: unknown): CaptureResult<unknown> {
  const c = obj as CaptureResult<unknown>;
  if (!c || typeof c !== 'object' || !Array.isArray(c.nPlusOne) || typeof c.count !== 'number') {
    throw new TypeError('queryLensChai: expected the result of captureQueries()');
  }
  return c;
}

function describe(c: CaptureResult<unknown>): string {
  return c.nPlusOne.map((d) => `${d.count}x ${d.statement}`).join('; ');
}

/**
 * Chai plugin for {@link captureQueries} results:
 * `chai.use(queryLensChai); expect(captured).to.have.no.nPlusOne; expect(captured).to.have.queryCount(3)`.
 * Failure messages list the sanitized statements, never values.
 */
export function queryLensChai(chai: ChaiLike, utils?: ChaiUtils): void {
  const u = utils ?? chai.util;
  if (u !== undefined && !('no' in chai.Assertion.prototype)) {
    chai.Assertion.addProperty('no', function (this: any) {
      u.flag(this, 'negate', true);
    });
  }
  chai.Assertion.addProperty('nPlusOne', function (this: any) {
    const c = capturedOf(this._obj);
    this.assert(
      c.nPlusOne.length > 0,
      'expected an N+1 query pattern, found none',
      `expected no N+1 query pattern, found ${c.nPlusOne.length}: ${describe(c)}`,
    );
  });
  chai.Assertion.addMethod('queryCount', function (this: any, expected: number) {
    const c = capturedOf(this._obj);
    const statements = c.queries.map((q) => q.text).join('\n  ');
    this.assert(
      c.count === expected,
      `expected #{exp} queries, got #{act}:\n  ${statements}`,
      `expected a query count other than #{exp}`,
      expected,
      c.count,
    );
  });
}
