import { expect } from 'chai';
import fc from 'fast-check';
import { scrubErrorText, scrubStackTrace } from '../../src';

describe('scrubErrorText', () => {
  describe('.scrubErrorText()', () => {
    const cases: Array<[string, string]> = [
      ['Key (ssn)=(078-05-1120) already exists.', 'Key (ssn)=(?) already exists.'],
      ['Key (name, dob)=(Alice Smith, 2010-05-01) already exists.', 'Key (name, dob)=(?) already exists.'],
      ['Key (student_id)=(4411) is not present in table "students".', 'Key (student_id)=(?) is not present in table "students".'],
      ['Key (a)=(x) already exists) or (y)', 'Key (a)=(?)'],
      ['Failing row contains (7, Alice Smith, 078-05-1120, null).', 'Failing row contains (?)'],
      ['invalid input syntax for type integer: "Alice"', 'invalid input syntax for type integer: "?"'],
      ['relation "patients" does not exist', 'relation "patients" does not exist'],
      ['duplicate key value violates unique constraint "patients_ssn_key"', 'duplicate key value violates unique constraint "patients_ssn_key"'],
      ['column "name" of relation "patients" does not exist', 'column "name" of relation "patients" does not exist'],
      ["syntax error at or near 'Alice'", "syntax error at or near '?'"],
      ["unterminated 'Alice Smith", "unterminated '?'"],
      ['patient 078-05-1120 not found', 'patient ? not found'],
      ['mail alice.smith@school.org bounced', 'mail ? bounced'],
      ['mrn 12345678 locked', 'mrn ? locked'],
      ['born 2010-05-01', 'born ?'],
      ['', ''],
    ];
    for (const [input, output] of cases) {
      it(`scrubs ${JSON.stringify(input.slice(0, 50))}`, () => {
        expect(scrubErrorText(input)).to.equal(output);
      });
    }

    it('never throws and never returns a quoted value (property)', () => {
      fc.assert(
        fc.property(fc.string(), fc.string({ minLength: 3 }).filter((s) => /^[A-Za-z]+$/.test(s)), (noise, value) => {
          const out = scrubErrorText(`${noise} Failing row contains (${value}) '${value}' Key (k)=(${value}) already exists.`);
          return !out.includes(`(${value})`) && !out.includes(`'${value}'`);
        }),
      );
    });
  });

  describe('.scrubStackTrace()', () => {
    it('scrubs the message lines and keeps the frames', () => {
      const stack = 'error: Key (ssn)=(078-05-1120) already exists.\n    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:1:2)';
      expect(scrubStackTrace(stack)).to.equal(
        'error: Key (ssn)=(?) already exists.\n    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:1:2)',
      );
    });
  });
});
