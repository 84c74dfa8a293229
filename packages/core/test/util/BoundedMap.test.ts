import { expect } from 'chai';
import { BoundedMap } from '../../src/util/BoundedMap';

describe('BoundedMap', () => {
  describe('#set', () => {
    it('evicts the least recently inserted or touched key when full, calling onEvict', () => {
      const evicted: string[] = [];
      const m = new BoundedMap<string, number>(3, (k) => evicted.push(k));
      m.set('a', 1);
      m.set('b', 2);
      m.set('c', 3);
      m.touch('a');
      m.set('d', 4);
      expect(evicted).to.deep.equal(['b']);
      m.touch('d');
      m.set('e', 5);
      expect(evicted).to.deep.equal(['b', 'c']);
      expect([...m.entries()].map(([k]) => k)).to.deep.equal(['a', 'd', 'e']);
      expect(m.size).to.equal(3);
    });

    it('never exceeds maxSize', () => {
      const m = new BoundedMap<number, number>(10);
      for (let i = 0; i < 1000; i++) m.set(i, i);
      expect(m.size).to.equal(10);
      expect(m.get(999)).to.equal(999);
      expect(m.get(0)).to.equal(undefined);
    });
  });

  describe('#delete', () => {
    it('forgets the newest key too, so a later touch reorders', () => {
      const m = new BoundedMap<string, number>(2);
      m.set('a', 1);
      m.set('b', 2);
      m.delete('b');
      m.set('b', 2);
      m.touch('a');
      m.set('c', 3);
      expect(m.has('b')).to.equal(false);
      expect(m.has('a')).to.equal(true);
    });
  });
});
