import * as chai from 'chai';
import { expect } from 'chai';
import { queryLensChai } from '../../src/testing';
import type { CaptureResult } from '../../src/testing';

chai.use(queryLensChai);

function result(count: number, nPlusOne: number): CaptureResult<void> {
  return {
    result: undefined,
    queries: Array.from({ length: count }, (_, i) => ({ text: `SELECT * FROM t WHERE id = ?`, summary: 'SELECT t', fingerprint: String(i), durationMillis: 1 })),
    count,
    nPlusOne: Array.from({ length: nPlusOne }, () => ({
      fingerprint: 'f', statement: 'SELECT * FROM t WHERE id = ?', summary: 'SELECT t', parentSpanName: 'captureQueries',
      count: 5, totalDurationMillis: 5, firstSeen: '', lastSeen: '',
    })),
  };
}

describe('queryLensChai', () => {
  describe('#nPlusOne', () => {
    it('passes `.no.nPlusOne` without detections and fails with them, naming the statement', () => {
      expect(result(3, 0)).to.have.no.nPlusOne;
      expect(() => expect(result(5, 1)).to.have.no.nPlusOne).to.throw(/expected no N\+1 query pattern, found 1: 5x SELECT \* FROM t WHERE id = \?/);
    });

    it('passes `.nPlusOne` with detections and fails without', () => {
      expect(result(5, 1)).to.have.nPlusOne;
      expect(() => expect(result(3, 0)).to.have.nPlusOne).to.throw(/expected an N\+1 query pattern, found none/);
    });

    it('rejects what is not a capture result', () => {
      expect(() => expect({ a: 1 }).to.have.no.nPlusOne).to.throw(TypeError, /captureQueries/);
    });
  });

  describe('#queryCount', () => {
    it('compares the count, and negates', () => {
      expect(result(3, 0)).to.have.queryCount(3);
      expect(result(3, 0)).not.to.have.queryCount(4);
      expect(() => expect(result(3, 0)).to.have.queryCount(2)).to.throw(/expected 2 queries, got 3/);
    });
  });
});
