import { SpanStatusCode } from '@opentelemetry/api';
import { expect } from 'chai';
import { AttributeNames, PhiScrubbingSpanProcessor, QueryLensSpanProcessor } from '../../src';
import { exported, harness } from '../helpers/tracing';
import type { Harness } from '../helpers/tracing';

const SSN = '078-05-1120';
const NAME = 'Alice Smith';
const RAW = `SELECT * FROM "Patients" AS "Patient" WHERE "Patient"."name" = '${NAME}' AND "Patient"."ssn" = '${SSN}'`;

describe('PhiScrubbingSpanProcessor', () => {
  let h: Harness;
  afterEach(async () => h?.shutdown());

  function dbSpan(attributes: Record<string, unknown>, name = 'pg.query:SELECT test'): void {
    const span = h.provider.getTracer('t').startSpan(name, { attributes: { 'db.system.name': 'postgresql', ...(attributes as any) } });
    span.end();
  }

  describe('#onEnding', () => {
    for (const [label, exporterFirst] of [['exporter registered first', true], ['exporter registered last', false]] as const) {
      it(`rewrites db.query.text and adds summary, operation, collection, fingerprint (${label})`, () => {
        h = harness([new PhiScrubbingSpanProcessor()], exporterFirst);
        dbSpan({ 'db.query.text': RAW });
        const [s] = h.spans();
        expect(s.attributes['db.query.text']).to.equal('SELECT * FROM "Patients" AS "Patient" WHERE "Patient"."name" = ? AND "Patient"."ssn" = ?');
        expect(s.attributes['db.query.summary']).to.equal('SELECT Patients');
        expect(s.attributes['db.operation.name']).to.equal('SELECT');
        expect(s.attributes['db.collection.name']).to.equal('Patients');
        expect(s.attributes[AttributeNames.FINGERPRINT]).to.match(/^[0-9a-f]{16}$/);
        expect(exported(h.spans())).not.to.include(SSN).and.not.to.include(NAME);
      });
    }

    it('rewrites the older db.statement too, and a span named after the raw statement', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      dbSpan({ 'db.statement': RAW }, RAW);
      const [s] = h.spans();
      expect(s.attributes['db.statement']).to.not.include(SSN);
      expect(s.name).to.equal('SELECT Patients');
    });

    it('renames a DB span whose name carries a truncated raw statement', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      dbSpan({ 'db.query.text': RAW }, RAW.slice(0, 80));
      expect(h.spans()[0].name).to.equal('SELECT Patients');
    });

    it('removes bind values (db.postgresql.values, pg.values, db.query.parameter.*)', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      dbSpan({
        'db.query.text': 'INSERT INTO patients (name, ssn) VALUES ($1, $2)',
        'db.postgresql.values': [NAME, SSN],
        'pg.values': [NAME],
        'db.query.parameter.0': NAME,
        'db.query.parameter.1': SSN,
      });
      const [s] = h.spans();
      expect(Object.keys(s.attributes).filter((k) => /values|parameter/.test(k))).to.deep.equal([]);
      expect(exported(h.spans())).not.to.include(SSN).and.not.to.include(NAME);
    });

    it('scrubs the status message and exception events of any span', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      const span = h.provider.getTracer('t').startSpan('POST /patients');
      const err = new Error(`duplicate key value violates unique constraint "patients_ssn_key" Key (ssn)=(${SSN}) already exists.`);
      span.recordException(err);
      span.recordException(`Failing row contains (7, ${NAME}, ${SSN}, null).`);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `invalid input syntax for type integer: "${NAME}"` });
      span.end();
      const [s] = h.spans();
      const text = exported(h.spans());
      expect(text).not.to.include(SSN).and.not.to.include(NAME);
      expect(s.status.message).to.equal('invalid input syntax for type integer: "?"');
      expect(s.events[0].attributes!['exception.message']).to.equal(
        'duplicate key value violates unique constraint "patients_ssn_key" Key (ssn)=(?) already exists.',
      );
      expect(String(s.events[0].attributes!['exception.stacktrace'])).to.include('PhiScrubbingSpanProcessor.test.ts');
      expect(s.events[1].attributes!['exception.message']).to.equal('Failing row contains (?)');
    });

    it('redacts query-string values of url.query, url.full and http.target, keeping keys', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      const span = h.provider.getTracer('t').startSpan('GET', {
        attributes: {
          'url.query': 'name=Alice+Smith&ssn=078-05-1120&page=2',
          'url.full': 'https://nurse:secret@clinic.example/students?name=Alice+Smith#note',
          'http.target': '/students?name=Alice%20Smith&x',
        },
      });
      span.end();
      const [s] = h.spans();
      expect(s.attributes['url.query']).to.equal('name=REDACTED&ssn=REDACTED&page=REDACTED');
      expect(s.attributes['url.full']).to.equal('https://REDACTED:REDACTED@clinic.example/students?name=REDACTED#REDACTED');
      expect(s.attributes['http.target']).to.equal('/students?name=REDACTED&REDACTED');
    });

    it('drops redactAttributes and hashes hashAttributes with a keyed hash', () => {
      h = harness([new PhiScrubbingSpanProcessor({ redactAttributes: ['enduser.id'], hashAttributes: ['student.name'], hashSecret: 'k1' })]);
      const t = h.provider.getTracer('t');
      t.startSpan('a', { attributes: { 'enduser.id': 'nurse-7', 'student.name': NAME } }).end();
      t.startSpan('b', { attributes: { 'student.name': NAME } }).end();
      const [a, b] = h.spans();
      expect(a.attributes).not.to.have.property('enduser.id');
      expect(a.attributes['student.name']).to.match(/^[0-9a-f]{16}$/);
      expect(a.attributes['student.name']).to.equal(b.attributes['student.name']);
      const other = harness([new PhiScrubbingSpanProcessor({ hashAttributes: ['student.name'], hashSecret: 'k2' })]);
      other.provider.getTracer('t').startSpan('c', { attributes: { 'student.name': NAME } }).end();
      expect(other.spans()[0].attributes['student.name']).not.to.equal(a.attributes['student.name']);
      void other.shutdown();
    });

    it('handles bad spans: no attributes, numbers where strings belong, megabyte statements, lone surrogates', () => {
      h = harness([new QueryLensSpanProcessor()]);
      const t = h.provider.getTracer('t');
      t.startSpan('empty').end();
      t.startSpan('num', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': 12345678 } }).end();
      t.startSpan('arr', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': [`x = '${SSN}'`] } }).end();
      const big = `SELECT * FROM t WHERE a = '${'x'.repeat(1 << 20)}${SSN}'`;
      t.startSpan('big', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': big } }).end();
      t.startSpan('sur', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': `SELECT '\ud800${NAME}'` } }).end();
      const spans = h.spans();
      expect(spans).to.have.length(5);
      expect(exported(spans)).not.to.include(SSN).and.not.to.include(NAME).and.not.to.include('12345678');
      expect(String(spans[3].attributes['db.query.text']).length).to.be.lessThan(40_000);
    });

    it('scrubs in onEnd when the SDK never calls onEnding (safety net), for exporters after it', () => {
      const inner = new QueryLensSpanProcessor();
      const withoutOnEnding = {
        onStart: (s: any, c: any) => inner.onStart(s, c),
        onEnd: (s: any) => inner.onEnd(s),
        forceFlush: () => inner.forceFlush(),
        shutdown: () => inner.shutdown(),
      };
      h = harness([withoutOnEnding], false);
      const span = h.provider.getTracer('t').startSpan(RAW, { attributes: { 'db.system.name': 'postgresql', 'db.query.text': RAW, 'db.postgresql.values': [SSN] } });
      span.end();
      const [s] = h.spans();
      expect(exported(h.spans())).not.to.include(SSN).and.not.to.include(NAME);
      expect(s.attributes[AttributeNames.FINGERPRINT]).to.match(/^[0-9a-f]{16}$/);
      expect(s.name).to.equal('SELECT Patients');
    });

    it('rejects bad options at construction, naming the option', () => {
      expect(() => new PhiScrubbingSpanProcessor({ redactAttributes: 'x' as any })).to.throw(/redactAttributes/);
      expect(() => new PhiScrubbingSpanProcessor({ hashSecret: '' })).to.throw(/hashSecret/);
    });
  });
});
