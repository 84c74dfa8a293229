import { expect } from 'chai';
import { sanitizeSql } from '../../src/sql/sanitizeSql';
import cases from '../fixtures/otel-semconv-db-sql-test-cases.json';

interface ConformanceCase {
  name: string;
  input: { 'db.system.name': string; query: string };
  expected: { 'db.query.text': string[]; 'db.query.summary': string };
}

describe('sanitizeSql', () => {
  describe('OpenTelemetry semantic-conventions SQL test cases', () => {
    const all = cases as ConformanceCase[];

    it('has all 24 cases', () => {
      expect(all).to.have.length(24);
    });

    for (const c of all) {
      it(`${c.name}: text and summary`, () => {
        const r = sanitizeSql(c.input.query);
        expect(c.expected['db.query.text']).to.include(r.text);
        expect(r.summary).to.equal(c.expected['db.query.summary']);
      });
    }
  });
});
