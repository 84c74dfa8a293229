import { expect } from 'chai';
import { errorText } from '../../src/cache/errorText';

describe('errorText', () => {
  describe('.errorText()', () => {
    it('keeps class and code but never the message of a driver error (it can hold row values)', () => {
      const err = Object.assign(new Error('duplicate key value (ssn)=(123-45-6789)'), { name: 'SequelizeUniqueConstraintError', code: '23505' });
      expect(errorText(err)).to.equal('SequelizeUniqueConstraintError (23505)');
      expect(errorText(err)).to.not.include('123-45-6789');
    });

    it("passes the store's own messages, which never carry values", () => {
      expect(errorText(new Error('RedisStore: no reply within 50 ms'))).to.equal('RedisStore: no reply within 50 ms');
      expect(errorText(undefined)).to.equal('Error');
    });
  });
});
