import { expect } from 'chai';
import fc from 'fast-check';
import { scrubErrorText, scrubStackTrace } from '../../src';
import { MAX_ERROR_TEXT_CHARS, MAX_FREE_TEXT_CHARS, TRUNCATED_MARKER, scrubFreeText } from '../../src/processors/scrubErrorText';

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

  describe('.scrubErrorText() against the red-team texts', () => {
    const cases: Array<[string, string]> = [
      ['Key (lower(name::text))=(alice smith) already exists.', 'Key (lower(name::text))=(?) already exists.'],
      ['Key (lower((name)::text))=(alice smith) already exists.', 'Key (lower((name)::text))=(?) already exists.'],
      ['Key (note)=(line1\nsecond Bob Jones) already exists.', 'Key (note)=(?) already exists.'],
      ['Key (name)=(Alice) Smith) already exists.', 'Key (name)=(?) already exists.'],
      ['Key (name)=(Alice\r Smith) already exists.', 'Key (name)=(?) already exists.'],
      ['key (ssn)=(Alice Smith) already exists.', 'key (ssn)=(?) already exists.'],
      ['Key(ssn)=(078-05-1121) already exists.', 'Key(ssn)=(?) already exists.'],
      ['Key (name)=(Alice Smith)\r is not present', 'Key (name)=(?)'],
      ['Key (name)=(Alice Smith) is not present in table "patients".', 'Key (name)=(?) is not present in table "patients".'],
      ['duplicate key value violates unique constraint "patients_ssn_key"\nDETAIL:  Key (ssn)=(078-05-1120) already exists.',
        'duplicate key value violates unique constraint "patients_ssn_key"\nDETAIL:  Key (ssn)=(?) already exists.'],
      ['Key (room, during)=(1, ["2020-01-01","2020-01-03")) conflicts with existing key (room, during)=(1, ["2020-01-01","2020-01-02")).',
        'Key (room, during)=(?) conflicts with existing key (room, during)=(?)'],
      ['Failing row contains (5, Eve Adams, null,\n Second Line Name, 200).', 'Failing row contains (?)'],
      ['Failing row contains (1, Alice\r Smith).\nmore Bob', 'Failing row contains (?)'],
      ['ungültige Eingabesyntax für Typ integer: »Alice Smith«', 'ungültige Eingabesyntax für Typ integer: »?«'],
      ['syntaxe en entrée invalide pour le type integer : « Alice Smith »', 'syntaxe en entrée invalide pour le type integer : «?»'],
      ['Schlüssel »(ssn)=(078-05-1120)« existiert bereits.', 'Schlüssel »?« existiert bereits.'],
      ['Fehlgeschlagene Zeile enthält (1, Alice Smith).', 'Fehlgeschlagene Zeile enthält (?)'],
      ['name “Alice Smith” and ‘Bob Jones’ and „Eve Adams“', 'name “?” and ‘?’ and „?“'],
      ['Validation error: "Alice \\"Al\\" Smith" is not a valid integer', 'Validation error: "?" is not a valid integer'],
      ["value 'it''s Alice' bad", "value '?' bad"],
      ['diagnosis "Asthma\n Alice"', 'diagnosis "?"'],
      ['unterminated "Alice\nSmith', 'unterminated "?"'],
      ['ssn 078 05 1120 and 078051120 and 07805-1120', 'ssn ? and ? and ?'],
      ['dob 01/02/2010 and 2010-1-2 and 20100102', 'dob ? and ? and ?'],
      ['mail alice.smith@school.org and alice@localhost', 'mail ? and ?'],
      ['phone +1 (555) 123-4567', 'phone +1 (555) ?'],
      ["PostgreSQL error of type 'error' occurred", "PostgreSQL error of type 'error' occurred"],
      ['relation "patients" does not exist', 'relation "patients" does not exist'],
      ['column "Alice Smith" does not exist', 'column "?" does not exist'],
      ['password authentication failed for user "alice"', 'password authentication failed for user "?"'],
      ['role "Alice" does not exist', 'role "?" does not exist'],
    ];
    for (const [input, output] of cases) {
      it(`scrubs ${JSON.stringify(input.slice(0, 60))}`, () => {
        expect(scrubErrorText(input)).to.equal(output);
      });
    }

    it(`keeps at most MAX_ERROR_TEXT_CHARS (${MAX_ERROR_TEXT_CHARS}) characters and marks the cut`, () => {
      const out = scrubErrorText(`invalid token eyJ${'A'.repeat(40_000)}`);
      expect(out.length).to.be.at.most(MAX_ERROR_TEXT_CHARS + TRUNCATED_MARKER.length);
      expect(out.endsWith(TRUNCATED_MARKER)).to.equal(true);
      expect(out.startsWith('invalid token eyJAAAA')).to.equal(true);
    });

    for (const [label, size] of [['50 KB', 50_000], ['1 MB', 1_000_000]] as const) {
      it(`completes on a ${label} unbroken word (no backtracking) and caps the output`, () => {
        for (const word of ['a'.repeat(size), `${'a'.repeat(size)}@`, '1-'.repeat(size / 2), `'${'x'.repeat(size)}`, `Key (${'('.repeat(size)}`]) {
          const out = scrubErrorText(word);
          expect(out.length).to.be.at.most(MAX_ERROR_TEXT_CHARS + TRUNCATED_MARKER.length);
          expect(out).not.to.include('x'.repeat(10));
        }
      });
    }

    it('a value cut by the cap is still redacted (the cut never exposes a value)', () => {
      const out = scrubErrorText(`Key (note)=(${'Alice Smith '.repeat(1000)}) already exists.`);
      expect(out).not.to.include('Alice');
    });
  });

  describe('.scrubFreeText()', () => {
    it('scrubs quoted strings, digit runs, SSN and e-mail shapes and caps the length', () => {
      expect(scrubFreeText("render chart for 'Bob Jones' 078-05-1120 bob@x.org")).to.equal("render chart for '?' ? ?");
      expect(scrubFreeText(`GET /students ${'x'.repeat(1000)}`).length).to.be.at.most(MAX_FREE_TEXT_CHARS + TRUNCATED_MARKER.length);
    });
  });

  describe('.scrubStackTrace()', () => {
    it('scrubs the message lines and keeps the frames', () => {
      const stack = 'error: Key (ssn)=(078-05-1120) already exists.\n    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:1:2)';
      expect(scrubStackTrace(stack)).to.equal(
        'error: Key (ssn)=(?) already exists.\n    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:1:2)',
      );
    });

    it('scrubs values planted in frame lines too', () => {
      const out = scrubStackTrace('Error: dup\n    at Alice (078-05-1120 "Bob Jones")\n    at f (a.js:1:1)');
      expect(out).not.to.include('078-05-1120').and.not.to.include('Bob Jones');
      expect(out).to.include('    at f (a.js:1:1)');
    });
  });
});
