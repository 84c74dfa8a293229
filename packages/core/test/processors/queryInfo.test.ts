import { expect } from 'chai';
import { AttributeNames, sanitizeSql } from '../../src';
import { queryInfoOf, splitSummary } from '../../src/processors/queryInfo';

function span(attributes: Record<string, unknown>): any {
  return { attributes };
}

describe('queryInfo', () => {
  describe('.splitSummary()', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['SELECT students', 'SELECT', 'students'],
      ['SELECT orders customers', 'SELECT', undefined],
      ['INSERT shipping_details SELECT orders', 'INSERT', undefined],
      ['CREATE TABLE MyTable', 'CREATE TABLE', 'MyTable'],
      ['DROP INDEX', 'DROP INDEX', undefined],
      ['BEGIN', 'BEGIN', undefined],
      ['', 'UNKNOWN', undefined],
    ];
    for (const [summary, operation, collection] of cases) {
      it(`splits ${JSON.stringify(summary)}`, () => expect(splitSummary(summary)).to.deep.equal({ operation, collection }));
    }
  });

  describe('.queryInfoOf()', () => {
    it('sanitizes db.query.text, or db.statement', () => {
      const raw = "SELECT * FROM students WHERE ssn = '078-05-1120'";
      expect(queryInfoOf(span({ 'db.query.text': raw }))).to.include({ text: sanitizeSql(raw).text, operation: 'SELECT', collection: 'students' });
      expect(queryInfoOf(span({ 'db.statement': raw }))!.fingerprint).to.equal(sanitizeSql(raw).fingerprint);
      expect(queryInfoOf(span({}))).to.equal(undefined);
    });

    it('trusts a fingerprint attribute only when asked to (the scrubber never does)', () => {
      const forged = span({ 'db.query.text': "SELECT '078-05-1120'", [AttributeNames.FINGERPRINT]: 'ffffffffffffffff' });
      expect(queryInfoOf(forged)!.text).to.equal("SELECT '078-05-1120'");
      expect(queryInfoOf(forged, undefined, false)!.text).to.equal('SELECT ?');
    });
  });
});
