import { expect } from 'chai';
import { MemoryStore } from '../../src';

function put(store: MemoryStore, key: string, tables: string[], template: unknown = { v: key }, ttlSeconds = 60): void {
  const look = store.lookup(key, tables);
  if (look.hit || look.stamp === null) throw new Error('expected a miss');
  store.store(key, tables, look.stamp, { template }, ttlSeconds);
}

describe('MemoryStore', () => {
  describe('constructor', () => {
    it('throws naming the option on bad limits', () => {
      expect(() => new MemoryStore({ maxEntries: 0 })).to.throw(/maxEntries/);
      expect(() => new MemoryStore({ maxBytes: -5 })).to.throw(/maxBytes/);
      expect(() => new MemoryStore({ maxTables: 1.5 })).to.throw(/maxTables/);
    });
  });

  describe('#lookup / #store', () => {
    it('hits while the generations of every table read are unchanged', () => {
      const m = new MemoryStore();
      put(m, 'k', ['a', 'b']);
      expect(m.lookup('k', ['a', 'b']).hit).to.equal(true);
      m.invalidateTables(['c']);
      expect(m.lookup('k', ['a', 'b']).hit).to.equal(true);
      m.invalidateTables(['b']);
      expect(m.lookup('k', ['a', 'b']).hit).to.equal(false);
    });

    it('refuses an entry whose stamp is already outdated (a writer bumped in between)', () => {
      const m = new MemoryStore();
      const look = m.lookup('k', ['a']);
      if (look.hit || look.stamp === null) throw new Error('miss expected');
      m.invalidateTables(['a']);
      m.store('k', ['a'], look.stamp, { template: 1 }, 60);
      expect(m.entryCount()).to.equal(0);
    });

    it('evicts the least recently used entry beyond maxEntries', () => {
      const m = new MemoryStore({ maxEntries: 2 });
      put(m, 'a', ['t']);
      put(m, 'b', ['t']);
      expect(m.lookup('a', ['t']).hit).to.equal(true); // a is now most recent
      put(m, 'c', ['t']);
      expect(m.entryCount()).to.equal(2);
      expect(m.lookup('b', ['t']).hit).to.equal(false);
      expect(m.lookup('a', ['t']).hit).to.equal(true);
    });

    it('keeps the estimated size under maxBytes', () => {
      const m = new MemoryStore({ maxBytes: 20_000 });
      for (let i = 0; i < 50; i++) put(m, `k${i}`, ['t'], { blob: 'x'.repeat(1000) });
      expect(m.byteCount()).to.be.at.most(20_000);
      expect(m.entryCount()).to.be.within(1, 10);
    });

    it('expires entries after their TTL', async () => {
      const m = new MemoryStore();
      put(m, 'k', ['t'], 1, 0.02);
      await new Promise((r) => setTimeout(r, 40));
      expect(m.lookup('k', ['t']).hit).to.equal(false);
    });

    it('invalidateAll() drops everything; the table map is capped by maxTables', () => {
      const m = new MemoryStore({ maxTables: 3 });
      put(m, 'k', ['t']);
      m.invalidateAll();
      expect(m.lookup('k', ['t']).hit).to.equal(false);
      put(m, 'k', ['t']);
      m.invalidateTables(['x1', 'x2', 'x3', 'x4']);
      expect(m.lookup('k', ['t']).hit).to.equal(false);
    });
  });
});
