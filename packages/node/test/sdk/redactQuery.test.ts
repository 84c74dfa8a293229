import { expect } from 'chai';
import { redactQuery } from '../../src/sdk/redactQuery';

describe('redactQuery', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['name=Alice+Smith', 'name=REDACTED'],
    ['name=Alice&page=2', 'name=REDACTED&page=REDACTED'],
    ['flag', 'flag'],
    ['a=1=2&b=', 'a=REDACTED&b=REDACTED'],
    ['ssn=078-05-1120&&x=%41', 'ssn=REDACTED&&x=REDACTED'],
  ];
  for (const [input, expected] of cases) {
    it(`turns ${JSON.stringify(input)} into ${JSON.stringify(expected)}`, () => {
      expect(redactQuery(input)).to.equal(expected);
    });
  }
});
