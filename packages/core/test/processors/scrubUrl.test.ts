import { expect } from 'chai';
import fc from 'fast-check';
import { scrubQueryString, scrubUrl } from '../../src';

describe('scrubUrl', () => {
  describe('.scrubQueryString()', () => {
    const cases: Array<[string, string]> = [
      ['name=Alice+Smith', 'name=REDACTED'],
      ['a=1&b=2', 'a=REDACTED&b=REDACTED'],
      ['a=&b', 'a=REDACTED&REDACTED'],
      ['078-05-1120', 'REDACTED'],
      ['a=1&&b=2', 'a=REDACTED&&b=REDACTED'],
      ['', ''],
    ];
    for (const [input, output] of cases) {
      it(`scrubs ${JSON.stringify(input)}`, () => expect(scrubQueryString(input)).to.equal(output));
    }

    it('keeps no value (property)', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z]{1,5}$/), fc.stringMatching(/^[^&#]{0,20}$/), (k, v) =>
          scrubQueryString(`${k}=${v}&z=${v}`) === `${k}=REDACTED&z=REDACTED`,
        ),
      );
    });
  });

  describe('.scrubUrl()', () => {
    const cases: Array<[string, string]> = [
      ['https://h/p?name=Alice', 'https://h/p?name=REDACTED'],
      ['https://u:p@h:8080/p?x=1#frag', 'https://REDACTED:REDACTED@h:8080/p?x=REDACTED#REDACTED'],
      ['/students?name=Alice%20Smith', '/students?name=REDACTED'],
      ['/students/7', '/students/7'],
      ['https://h/p#', 'https://h/p#'],
    ];
    for (const [input, output] of cases) {
      it(`scrubs ${input}`, () => expect(scrubUrl(input)).to.equal(output));
    }
  });
});
