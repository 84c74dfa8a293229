import { expect } from 'chai';
import { deployFile, loadYaml } from './support/deployPaths';

// No collector binary runs here, so these tests check the wiring of the config and
// run its PHI patterns (RE2 syntax, which these patterns share with JavaScript)
// against canaries, the way the collector would apply them.

const CANARY = {
  ssn: '987-65-4320',
  email: 'canary.parent@example.org',
  phone: '(555) 010-7788',
  name: 'Zebulon Canarysmith',
};

/** OTTL string literal -> its value (OTTL strings use `\\` and `\"` escapes). */
function ottlString(literal: string): string {
  return JSON.parse(literal);
}

/** The `replace_pattern(<path>, "<regex>", "<replacement>")` statements of the transform processor. */
function replacePatterns(statements: string[]): Array<{ path: string; regex: RegExp; replacement: string }> {
  const out = [];
  for (const st of statements) {
    const m = /^replace_pattern\(([^,]+),\s*("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*")\)$/.exec(st.trim());
    if (m) out.push({ path: m[1].trim(), regex: new RegExp(ottlString(m[2]), 'g'), replacement: ottlString(m[3]) });
  }
  return out;
}

describe('deploy/otel-collector.yaml', () => {
  const cfg = loadYaml(deployFile('otel-collector.yaml'));
  const spanStatements: string[] = cfg.processors['transform/phi'].trace_statements.find((s: any) => s.context === 'span').statements;
  const eventStatements: string[] = cfg.processors['transform/phi'].trace_statements.find((s: any) => s.context === 'spanevent').statements;

  /** Applies the span-context replace_pattern statements on `path` to a value. */
  function scrub(path: string, value: string, statements = spanStatements): string {
    let v = value;
    for (const p of replacePatterns(statements).filter((r) => r.path === path)) v = v.replace(p.regex, p.replacement);
    return v;
  }

  /** Applies the redaction processor's blocked_values to an attribute value. */
  function redact(value: string): string {
    let v = value;
    for (const pattern of cfg.processors['redaction/phi'].blocked_values as string[]) v = v.replace(new RegExp(pattern, 'g'), '****');
    return v;
  }

  describe('#pipelines', () => {
    it('references only components that are defined', () => {
      const kinds: Record<string, string[]> = {
        receivers: Object.keys(cfg.receivers),
        processors: Object.keys(cfg.processors),
        exporters: [...Object.keys(cfg.exporters), ...Object.keys(cfg.connectors ?? {})],
      };
      const receiversAndConnectors = [...kinds.receivers, ...Object.keys(cfg.connectors ?? {})];
      for (const [name, p] of Object.entries<any>(cfg.service.pipelines)) {
        for (const r of p.receivers) expect(receiversAndConnectors, `${name} receiver ${r}`).to.include(r);
        for (const r of p.processors) expect(kinds.processors, `${name} processor ${r}`).to.include(r);
        for (const r of p.exporters) expect(kinds.exporters, `${name} exporter ${r}`).to.include(r);
      }
      for (const ext of cfg.service.extensions) expect(Object.keys(cfg.extensions)).to.include(ext);
    });

    it('runs memory_limiter first and batch last in every pipeline', () => {
      for (const [name, p] of Object.entries<any>(cfg.service.pipelines)) {
        expect(p.processors[0], name).to.equal('memory_limiter');
        expect(p.processors[p.processors.length - 1], name).to.equal('batch');
      }
    });

    it('scrubs traces (transform, then redaction) before they reach Jaeger or spanmetrics', () => {
      const traces = cfg.service.pipelines.traces;
      expect(traces.receivers).to.deep.equal(['otlp']);
      expect(traces.processors.indexOf('transform/phi')).to.be.greaterThan(0);
      expect(traces.processors.indexOf('redaction/phi')).to.be.greaterThan(traces.processors.indexOf('transform/phi'));
      expect(traces.exporters).to.include('otlp/jaeger');
      expect(cfg.exporters['otlp/jaeger'].endpoint).to.equal('jaeger:4317');
    });

    it('exports metrics to Prometheus on :8889 and its own metrics on :8888 (the ports prometheus.yml scrapes)', () => {
      expect(cfg.service.pipelines.metrics.exporters).to.deep.equal(['prometheus']);
      expect(cfg.exporters.prometheus.endpoint).to.equal('0.0.0.0:8889');
      expect(cfg.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port).to.equal(8888);
      const prom = loadYaml(deployFile('prometheus', 'prometheus.yml'));
      const targets = prom.scrape_configs.flatMap((s: any) => s.static_configs.flatMap((c: any) => c.targets));
      expect(targets).to.include.members(['otel-collector:8888', 'otel-collector:8889']);
    });

    it('listens for OTLP on all interfaces (the app connects by service name)', () => {
      expect(cfg.receivers.otlp.protocols.grpc.endpoint).to.equal('0.0.0.0:4317');
      expect(cfg.receivers.otlp.protocols.http.endpoint).to.equal('0.0.0.0:4318');
    });
  });

  describe('transform/phi', () => {
    it('deletes bind values and query parameters', () => {
      expect(spanStatements).to.include('delete_key(attributes, "db.postgresql.values")');
      const del = spanStatements.map((s) => /^delete_matching_keys\(attributes, ("(?:[^"\\]|\\.)*")\)$/.exec(s)).find(Boolean);
      expect(del, 'delete_matching_keys statement').to.not.equal(undefined);
      const re = new RegExp(ottlString(del![1]));
      expect(re.test('db.query.parameter.0')).to.equal(true);
      expect(re.test('db.query.parameter.name')).to.equal(true);
      expect(re.test('db.query.text')).to.equal(false);
    });

    it('replaces every string literal in SQL text, including doubled quotes', () => {
      const sql = `SELECT "Student"."id" FROM "students" WHERE "Student"."name" = '${CANARY.name}' AND note = 'O''Brien''s ${CANARY.ssn}' LIMIT 10`;
      const out = scrub('attributes["db.query.text"]', sql);
      expect(out).to.not.include(CANARY.name);
      expect(out).to.not.include(CANARY.ssn);
      expect(out).to.not.include('Brien');
      expect(out).to.include('SELECT "Student"."id" FROM "students" WHERE "Student"."name" = ');
      expect(out).to.include('LIMIT 10');
    });

    it('removes query strings from URLs', () => {
      const out = scrub('attributes["url.full"]', `http://app:3000/students?search=${encodeURIComponent(CANARY.name)}&page=2`);
      expect(out).to.equal('http://app:3000/students?REDACTED');
      expect(spanStatements.some((s) => s.startsWith('set(attributes["url.query"], "REDACTED")'))).to.equal(true);
    });

    it('masks the row values PostgreSQL quotes in error messages', () => {
      const msg = `duplicate key value violates unique constraint "students_ssn_key": Key (ssn)=(${CANARY.ssn}) already exists.`;
      expect(scrub('status.message', msg)).to.equal('duplicate key value violates unique constraint "students_ssn_key": Key (ssn)=(REDACTED) already exists.');
      const ev = scrub('attributes["exception.message"]', `invalid input syntax for type integer: '${CANARY.name}'`, eventStatements);
      expect(ev).to.not.include(CANARY.name);
    });
  });

  describe('redaction/phi', () => {
    it('masks SSNs, e-mail addresses and phone numbers wherever they appear in a value', () => {
      for (const value of [CANARY.ssn, `ssn ${CANARY.ssn} on file`, CANARY.email, `contact: ${CANARY.email}`, CANARY.phone, '555-010-7788']) {
        const out = redact(value);
        expect(out, value).to.include('****');
        expect(out, value).to.not.match(/\d{3}-\d{2}-\d{4}|@example\.org|010-7788/);
      }
    });

    it('leaves ordinary telemetry values alone', () => {
      for (const value of [
        'pg.query:SELECT school_health',
        'SELECT "id", "name" FROM "students" WHERE "id" = $1',
        '3f2a9c1e5b7d4a60',
        '550e8400-e29b-41d4-a716-446655440000',
        '2026-11-29T06:45:00.000Z',
        '127.0.0.1',
        'GET /students/:id',
      ]) {
        expect(redact(value), value).to.equal(value);
      }
    });

    it('keeps keys (allow_all_keys) and reports what it masked', () => {
      expect(cfg.processors['redaction/phi'].allow_all_keys).to.equal(true);
      expect(cfg.processors['redaction/phi'].summary).to.equal('info');
    });
  });

  describe('memory_limiter', () => {
    it('fits inside the container memory limit set in docker-compose.yml', () => {
      const compose = loadYaml(deployFile('docker-compose.yml'));
      const limitMib = parseInt(String(compose.services['otel-collector'].mem_limit), 10);
      const ml = cfg.processors.memory_limiter;
      expect(ml.limit_mib).to.be.lessThan(limitMib);
      expect(ml.spike_limit_mib).to.be.lessThan(ml.limit_mib);
    });
  });
});
