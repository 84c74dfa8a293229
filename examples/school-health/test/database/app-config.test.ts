import { expect } from 'chai';
import { loadConfig, parseEncryptionKey } from '../../src/database/app-config';

describe('AppConfig', () => {
  describe('#loadConfig', () => {
    it('applies the defaults and generates a cache key secret when none is set', () => {
      const c = loadConfig({});
      expect(c).to.include({ port: 3000, nodeEnv: 'development', syncSchema: true, poolMax: 10, cacheMaxEntries: 5000, demoEndpoints: true, cacheKeySecretGenerated: true });
      expect(c.redisUrl).to.equal(undefined);
      expect(c.cacheKeySecret).to.match(/^[0-9a-f]{64}$/);
      expect(loadConfig({}).cacheKeySecret).not.to.equal(c.cacheKeySecret);
    });

    it('never syncs the schema in production', () => {
      expect(loadConfig({ NODE_ENV: 'production' }).syncSchema).to.equal(false);
      expect(loadConfig({ DB_SYNC: 'false' }).syncSchema).to.equal(false);
    });

    it('reads the variables', () => {
      const c = loadConfig({ PORT: '8080', REDIS_URL: 'redis://r:6379', CACHE_KEY_SECRET: 'a-long-enough-secret', DB_POOL_MAX: '4' });
      expect(c).to.include({ port: 8080, redisUrl: 'redis://r:6379', cacheKeySecret: 'a-long-enough-secret', cacheKeySecretGenerated: false, poolMax: 4 });
    });

    for (const [name, env, re] of [
      ['PORT=abc', { PORT: 'abc' }, /PORT/],
      ['DB_POOL_MAX=0', { DB_POOL_MAX: '0' }, /DB_POOL_MAX/],
      ['a short CACHE_KEY_SECRET', { CACHE_KEY_SECRET: 'short' }, /CACHE_KEY_SECRET/],
      ['a 16-byte CACHE_ENCRYPTION_KEY', { CACHE_ENCRYPTION_KEY: '00'.repeat(16) }, /CACHE_ENCRYPTION_KEY/],
    ] as const) {
      it(`throws an error naming the variable on ${name}`, () => {
        expect(() => loadConfig(env)).to.throw(re);
      });
    }
  });

  describe('#parseEncryptionKey', () => {
    it('accepts 32 bytes as hex or base64', () => {
      const key = Buffer.alloc(32, 7);
      expect(parseEncryptionKey(key.toString('hex')).equals(key)).to.equal(true);
      expect(parseEncryptionKey(key.toString('base64')).equals(key)).to.equal(true);
    });
  });
});
