import { expect } from 'chai';
import fc from 'fast-check';
import { scrubQueryString, scrubUrl } from '../../src';
import { scrubUrlPath } from '../../src/processors/scrubUrl';

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
      ['/students/7', '/students/:redacted'],
      ['/students', '/students'],
      ['https://alice:p#ss@host/x', 'https://REDACTED:REDACTED@host/x'],
      ['https://alice:p?ss@host', 'https://REDACTED:REDACTED@host'],
      ['//alice:pw@host/x', '//REDACTED:REDACTED@host/x'],
      ['https://h/students/078-05-1120?x=1', 'https://h/students/:redacted?x=REDACTED'],
      ['/search?Alice+Smith=&a=1', '/search?REDACTED=REDACTED&a=REDACTED'],
      ['mailto:alice@x.org?subject=HIV', 'mailto:REDACTED?subject=REDACTED'],
      ['https://h/p#', 'https://h/p#'],
    ];
    for (const [input, output] of cases) {
      it(`scrubs ${input}`, () => expect(scrubUrl(input)).to.equal(output));
    }

    it('replaces the path by http.route when given', () => {
      expect(scrubUrl('https://h/students/078-05-1120?x=1', '/students/:id')).to.equal('https://h/students/:id?x=REDACTED');
    });
  });

  describe('.scrubUrlPath()', () => {
    const cases: Array<[string, string]> = [
      ['/students/078-05-1120', '/students/:redacted'],
      ['/students/Alice%20Smith', '/students/:redacted'],
      ['/students/alice-smith', '/students/:redacted'],
      ['/Students', '/:redacted'],
      ['/alice@x.org', '/:redacted'],
      ['/health-records/', '/health-records/'],
      ['/', '/'],
    ];
    for (const [input, output] of cases) {
      it(`scrubs ${input}`, () => expect(scrubUrlPath(input)).to.equal(output));
    }
  });
});
