import { expect } from 'chai';
import { RingBuffer } from '../../../src/monitoring/history/RingBuffer';

describe('RingBuffer', () => {
  describe('#constructor', () => {
    for (const bad of [0, -1, 1.5, NaN]) {
      it(`throws on capacity ${bad}`, () => {
        expect(() => new RingBuffer(bad)).to.throw(/capacity/);
      });
    }
  });

  describe('#push', () => {
    it('keeps items oldest first until full', () => {
      const r = new RingBuffer<number>(3);
      r.push(1);
      r.push(2);
      expect(r.toArray()).to.deep.equal([1, 2]);
      expect(r.last()).to.equal(2);
    });

    it('drops the oldest item once full, never growing past capacity', () => {
      const r = new RingBuffer<number>(1440);
      for (let i = 0; i < 5000; i++) r.push(i);
      expect(r.size).to.equal(1440);
      const items = r.toArray();
      expect(items[0]).to.equal(5000 - 1440);
      expect(items[items.length - 1]).to.equal(4999);
      expect(r.last()).to.equal(4999);
    });
  });

  describe('#filter', () => {
    it('selects in order', () => {
      const r = new RingBuffer<number>(4);
      for (let i = 0; i < 6; i++) r.push(i);
      expect(r.filter((x) => x % 2 === 0)).to.deep.equal([2, 4]);
    });
  });
});
