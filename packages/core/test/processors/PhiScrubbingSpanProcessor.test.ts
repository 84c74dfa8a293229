import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
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
      expect(inner.report().totalQueries).to.equal(1);
    });

    it('rejects bad options at construction, naming the option', () => {
      expect(() => new PhiScrubbingSpanProcessor({ redactAttributes: 'x' as any })).to.throw(/redactAttributes/);
      expect(() => new PhiScrubbingSpanProcessor({ hashSecret: '' })).to.throw(/hashSecret/);
    });
  });
  describe('#onEnding (red-team findings)', () => {
    const tracer = () => h.provider.getTracer('t');

    it('always rebuilds a DB span name from the summary, keeping the instrumentation prefix', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      const raw = 'SELECT * FROM p WHERE ssn = $x$078-05-1120$x$ AND mrn = 4411223';
      dbSpan({ 'db.query.text': raw }, `pg.query:${raw}`);
      dbSpan({ 'db.query.text': raw }, 'lookup 4411223 Alice');
      const [a, b] = h.spans();
      expect(a.name).to.equal('pg.query:SELECT p');
      expect(b.name).to.equal('SELECT p');
      expect(exported(h.spans())).not.to.include('078-05-1120').and.not.to.include('4411223');
    });

    it('scrubs every field even when one step throws, and redacts what the failing step covers', () => {
      const errors: Error[] = [];
      setGlobalErrorHandler((e) => errors.push(e as Error));
      try {
        h = harness([new QueryLensSpanProcessor()]);
        const s = tracer().startSpan('q', { attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1', 'url.query': `ssn=${SSN}` } });
        s.setStatus({ code: SpanStatusCode.ERROR, message: `Key (ssn)=(${SSN}) already exists.` });
        s.recordException(new Error(`Key (ssn)=(${SSN}) already exists.`));
        s.updateName(undefined as any);
        s.end();
        const [out] = h.spans();
        expect(exported(h.spans())).not.to.include(SSN);
        expect(out.status.message).to.equal('Key (ssn)=(?) already exists.');
        expect(out.attributes['url.query']).to.equal('ssn=REDACTED');
        expect(out.name).to.equal('SELECT');
      } finally {
        setGlobalErrorHandler(() => {});
      }
    });

    it('fails closed: a step that throws redacts its field and is reported once', () => {
      const errors: unknown[] = [];
      setGlobalErrorHandler((e) => errors.push(e));
      try {
        h = harness([new PhiScrubbingSpanProcessor()]);
        for (let i = 0; i < 3; i++) {
          const s = tracer().startSpan('GET');
          // A status whose message cannot be read (a hostile or broken span implementation).
          (s as any).status = { code: SpanStatusCode.ERROR, get message() { throw new Error('boom'); } };
          s.end();
        }
        expect(h.spans().map((x) => x.status.message)).to.deep.equal(['?', '?', '?']);
        expect(errors).to.have.length(1);
      } finally {
        setGlobalErrorHandler(() => {});
      }
    });

    it('scrubs events other than exceptions (names and string values) and exception.message arrays', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      const s = tracer().startSpan('GET /x');
      s.addEvent('exception', { 'exception.message': [`Key (ssn)=(${SSN}) already exists.`], 'exception.type': `'${NAME}'` });
      s.addEvent('retry', { 'error.message': `Failing row contains (1, ${NAME}).`, 'db.query.text': `SELECT '${NAME}'`, attempt: 2 });
      s.addEvent(`lookup '${NAME}' ${SSN}`);
      s.addEvent('querylens.n_plus_one', { 'querylens.query.fingerprint': 'f64526771c0741f1' });
      s.addEvent('exception', { 'exception.type': NAME });
      s.addEvent('exception', { 'exception.type': 'SequelizeUniqueConstraintError' });
      s.end();
      const [out] = h.spans();
      expect(exported(h.spans())).not.to.include(SSN).and.not.to.include(NAME);
      expect(out.events[0].attributes!['exception.message']).to.deep.equal(['Key (ssn)=(?) already exists.']);
      expect(out.events[1].attributes).to.deep.equal({ 'error.message': 'Failing row contains (?)', 'db.query.text': 'SELECT ?', attempt: 2 });
      expect(out.events[2].name).to.equal("lookup '?' ?");
      expect(out.events[3].attributes!['querylens.query.fingerprint']).to.equal('f64526771c0741f1');
      expect(out.events.slice(4).map((e) => e.attributes!['exception.type'])).to.deep.equal(['?', 'SequelizeUniqueConstraintError']);
    });

    it('replaces URL paths by http.route, or redacts their segments; drops headers not allowed', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      tracer().startSpan('GET', {
        kind: SpanKind.SERVER,
        attributes: {
          'http.route': '/students/:id',
          'url.path': `/students/${SSN}`,
          'url.full': `https://alice:p#ss@h/students/${SSN}?x=1`,
          'url.original': `/students/${SSN}?name=Alice`,
          'http.target': `/students/${SSN}?a=b`,
          'http.request.header.referer': [`https://app/search?name=${NAME}`],
          'http.request.header.content-type': ['application/json'],
          'http.response.header.set-cookie': ['sid=1'],
        },
      }).end();
      tracer().startSpan('GET', { attributes: { 'url.path': `/students/${SSN}` } }).end();
      tracer().startSpan('GET', { attributes: { 'url.path': '/students/Alice%20Smith' } }).end();
      tracer().startSpan('GET', { attributes: { 'url.path': '/students/alice-smith' } }).end();
      const [a, b, c, d] = h.spans();
      expect(a.attributes['url.path']).to.equal('/students/:id');
      expect(a.attributes['url.full']).to.equal('https://REDACTED:REDACTED@h/students/:id?x=REDACTED');
      expect(a.attributes['url.original']).to.equal('/students/:id?name=REDACTED');
      expect(a.attributes['http.target']).to.equal('/students/:id?a=REDACTED');
      expect(a.attributes).not.to.have.property('http.request.header.referer');
      expect(a.attributes).not.to.have.property('http.response.header.set-cookie');
      expect(a.attributes['http.request.header.content-type']).to.deep.equal(['application/json']);
      expect(b.attributes['url.path']).to.equal('/students/:redacted');
      expect(c.attributes['url.path']).to.equal('/students/:redacted');
      expect(d.attributes['url.path']).to.equal('/students/:redacted');
      expect(exported(h.spans())).not.to.include(SSN).and.not.to.include('alice').and.not.to.include('Alice');
    });

    it('drops bind values and headers of a DB client span in one pass, and keeps its URL rules (an HTTP-based database)', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      tracer().startSpan('POST', {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'elasticsearch',
          'db.query.text': `SELECT * FROM students WHERE ssn = '${SSN}'`,
          'db.query.parameter.0': NAME,
          'http.request.header.authorization': [`Basic ${NAME}`],
          'http.request.header.content-type': ['application/json'],
          'url.full': `https://es:9200/students/_search?q=${NAME}`,
        },
      }).end();
      // an HTTP client span (keys walked for headers) and an internal span (not walked) with URLs
      tracer().startSpan('GET', {
        kind: SpanKind.CLIENT,
        attributes: { 'http.request.method': 'GET', 'url.full': `https://api/students?ssn=${SSN}`, 'http.response.header.set-cookie': ['sid=1'] },
      }).end();
      tracer().startSpan('fetch', { attributes: { 'http.url': `https://api/students?name=${NAME}` } }).end();
      const [a, client, internal] = h.spans();
      expect(client.attributes['url.full']).to.equal('https://api/students?ssn=REDACTED');
      expect(client.attributes).not.to.have.property('http.response.header.set-cookie');
      expect(internal.attributes['http.url']).to.equal('https://api/students?name=REDACTED');
      expect(a.attributes).not.to.have.property('db.query.parameter.0');
      expect(a.attributes).not.to.have.property('http.request.header.authorization');
      expect(a.attributes['http.request.header.content-type']).to.deep.equal(['application/json']);
      expect(a.attributes['url.full']).to.equal('https://es:9200/students/:redacted?q=REDACTED');
      expect(exported(h.spans())).not.to.include(SSN).and.not.to.include(NAME);
    });

    it('upper-cases db.operation.name', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      dbSpan({ 'db.query.text': 'set search_path = x', 'db.operation.name': 'set' });
      expect(h.spans()[0].attributes['db.operation.name']).to.equal('SET');
    });

    it('scrubs suspicious non-DB span names (quotes, digit runs, e-mails)', () => {
      h = harness([new PhiScrubbingSpanProcessor()]);
      tracer().startSpan(`render chart for 'Bob Jones' ${SSN}`).end();
      tracer().startSpan('GET /students/:id').end();
      expect(h.spans().map((s) => s.name)).to.deep.equal(["render chart for '?' ?", 'GET /students/:id']);
    });
  });
});
