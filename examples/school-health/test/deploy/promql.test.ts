import { expect } from 'chai';
import { parseExposition, selectorsIn } from './support/promql';

describe('support/promql', () => {
  describe('.selectorsIn()', () => {
    const cases: Array<[string, Array<[string, string[]]>]> = [
      ['up', [['up', []]]],
      ['histogram_quantile(0.99, sum by (le) (rate(querylens_db_operation_duration_bucket[5m]))) > 1', [['querylens_db_operation_duration_bucket', []]]],
      [
        'sum(rate(querylens_cache_requests_total{querylens_cache_result="hit"}[$__rate_interval])) / sum(rate(querylens_cache_requests_total{querylens_cache_result=~"hit|miss"}[5m]))',
        [['querylens_cache_requests_total', ['querylens_cache_result']], ['querylens_cache_requests_total', ['querylens_cache_result']]],
      ],
      ['sum(x unless x offset 5m) or vector(0)', [['x', []], ['x', []]]],
      ['sum by (job, instance) (db_client_connection_count{db_client_connection_state="used", job!="a"})', [['db_client_connection_count', ['db_client_connection_state', 'job']]]],
      ['count(ALERTS{alertstate="firing"}) or vector(0)', [['ALERTS', ['alertstate']]]],
    ];
    for (const [expr, expected] of cases) {
      it(`finds ${expected.map((e) => e[0]).join(', ')} in ${expr.slice(0, 60)}`, () => {
        expect(selectorsIn(expr).map((s) => [s.name, s.labels])).to.deep.equal(expected);
      });
    }
  });

  describe('.parseExposition()', () => {
    it('maps each sample name to its label names and skips comments', () => {
      const text = [
        '# HELP a_total help',
        '# TYPE a_total counter',
        'a_total{x="1",y="a,b=\\"c\\""} 3',
        'h_bucket{le="0.1"} 1',
        'plain 5 1700000000000',
      ].join('\n');
      const m = parseExposition(text);
      expect([...m.keys()]).to.deep.equal(['a_total', 'h_bucket', 'plain']);
      expect([...m.get('a_total')!]).to.deep.equal(['x', 'y']);
      expect([...m.get('plain')!]).to.deep.equal([]);
    });
  });
});
