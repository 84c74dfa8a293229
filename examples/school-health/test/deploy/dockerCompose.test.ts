import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEPLOY_DIR, deployFile, loadYaml } from './support/deployPaths';

// No Docker engine runs here: these tests check what can go wrong without one
// (unpinned images, secrets in the file, wiring between services, mounted files).

/** KEY=value lines of .env.example (comments and blank lines skipped). */
function envExample(): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of fs.readFileSync(deployFile('.env.example'), 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1], m[2]);
  }
  return vars;
}

describe('deploy/docker-compose.yml', () => {
  const compose = loadYaml(deployFile('docker-compose.yml'));
  const text = fs.readFileSync(deployFile('docker-compose.yml'), 'utf8');
  const services: Record<string, any> = compose.services;

  describe('#images', () => {
    it('pins every image to a version tag (never latest, never untagged)', () => {
      for (const [name, svc] of Object.entries(services)) {
        expect(svc.image, `${name}.image`).to.be.a('string');
        const tag = /:([^/:]+)$/.exec(svc.image)?.[1];
        expect(tag, `${name}: ${svc.image}`).to.match(/^v?\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/);
      }
    });

    it('runs the stack the issue asks for', () => {
      const image = (s: string) => String(services[s]?.image).split(':')[0];
      expect(image('postgres')).to.equal('postgres');
      expect(services.postgres.image).to.match(/^postgres:15\./);
      expect(services.redis.image).to.match(/^redis:7\./);
      expect(image('otel-collector')).to.equal('otel/opentelemetry-collector-contrib');
      expect(image('jaeger')).to.match(/^jaegertracing\//);
      expect(image('prometheus')).to.equal('prom/prometheus');
      expect(image('grafana')).to.equal('grafana/grafana');
    });

    it('builds the app from deploy/Dockerfile and starts it with the register flag only', () => {
      const ctx = path.resolve(DEPLOY_DIR, services.app.build.context);
      expect(fs.existsSync(path.join(ctx, 'pnpm-workspace.yaml')), 'build context is the monorepo root').to.equal(true);
      expect(path.resolve(ctx, services.app.build.dockerfile)).to.equal(deployFile('Dockerfile'));
      const dockerfile = fs.readFileSync(deployFile('Dockerfile'), 'utf8');
      expect(dockerfile).to.include('CMD ["node", "--require", "@querylens/node/register", "dist/main.js"]');
      expect(dockerfile).to.match(/pnpm@12\.4\.2/);
      for (const from of dockerfile.match(/^FROM \S+/gm) ?? []) expect(from).to.match(/^FROM node:\d+\.\d+\.\d+-/);
    });
  });

  describe('#secrets', () => {
    it('takes every secret from .env and refuses to start without it', () => {
      for (const v of ['MONITORING_TOKEN', 'CACHE_KEY_SECRET', 'POSTGRES_PASSWORD', 'GRAFANA_ADMIN_PASSWORD']) {
        expect(text, v).to.include(`\${${v}:?`);
        expect(envExample().get(v), `${v} is empty in .env.example`).to.equal('');
      }
      expect(services.app.environment.MONITORING_TOKEN).to.match(/^\$\{MONITORING_TOKEN:\?/);
      expect(services.app.environment.CACHE_KEY_SECRET).to.match(/^\$\{CACHE_KEY_SECRET:\?/);
    });

    it('declares in .env.example every variable the compose file reads', () => {
      const used = new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
      const declared = envExample();
      for (const v of used) expect(declared.has(v), `${v} missing from .env.example`).to.equal(true);
      expect(used.size).to.be.greaterThan(5);
    });

    it('publishes host ports on loopback only', () => {
      for (const [name, svc] of Object.entries(services)) {
        for (const p of svc.ports ?? []) expect(String(p), `${name} port ${p}`).to.match(/^127\.0\.0\.1:/);
      }
      expect(services.postgres.ports, 'postgres is not published').to.equal(undefined);
      expect(services.redis.ports, 'redis is not published').to.equal(undefined);
    });
  });

  describe('#wiring', () => {
    it('sends the app traces to the collector OTLP/HTTP receiver', () => {
      const env = services.app.environment;
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).to.equal('http://otel-collector:4318');
      const collector = loadYaml(deployFile('otel-collector.yaml'));
      expect(collector.receivers.otlp.protocols.http.endpoint).to.match(/:4318$/);
      expect(env.OTEL_TRACES_EXPORTER).to.equal('otlp');
    });

    it('serves /metrics on the port Prometheus scrapes', () => {
      const env = services.app.environment;
      const prom = loadYaml(deployFile('prometheus', 'prometheus.yml'));
      const job = prom.scrape_configs.find((s: any) => s.job_name === 'school-health');
      expect(job.static_configs[0].targets).to.deep.equal([`app:${env.OTEL_EXPORTER_PROMETHEUS_PORT}`]);
      expect(env.OTEL_EXPORTER_PROMETHEUS_HOST).to.equal('0.0.0.0');
      expect(env.OTEL_METRICS_EXPORTER).to.equal('prometheus');
    });

    it('points the app at postgres and redis, and waits for them to be healthy', () => {
      const env = services.app.environment;
      expect(env.DATABASE_URL).to.match(/@postgres:5432\//);
      expect(env.REDIS_URL).to.equal('redis://redis:6379');
      expect(services.app.depends_on.postgres.condition).to.equal('service_healthy');
      expect(services.app.depends_on.redis.condition).to.equal('service_healthy');
      expect(services.postgres.command.join(' ')).to.include('shared_preload_libraries=pg_stat_statements');
    });

    it('mounts files that exist in deploy/', () => {
      let mounts = 0;
      for (const [name, svc] of Object.entries(services)) {
        for (const v of svc.volumes ?? []) {
          const src = String(v).split(':')[0];
          if (!src.startsWith('.')) continue; // named volume
          mounts++;
          expect(fs.existsSync(path.resolve(DEPLOY_DIR, src)), `${name}: ${src}`).to.equal(true);
        }
      }
      expect(mounts).to.be.greaterThanOrEqual(4);
    });

    it('gives Grafana its provisioning and a home dashboard that exists', () => {
      const home = services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
      const file = path.basename(home);
      expect(fs.existsSync(deployFile('grafana', 'dashboards', file)), file).to.equal(true);
      const providers = loadYaml(deployFile('grafana', 'provisioning', 'dashboards', 'dashboards.yml')).providers;
      expect(providers[0].options.path).to.equal(path.dirname(home));
    });
  });
});
