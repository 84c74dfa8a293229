import { expect } from 'chai';
import { deployFile, loadYaml } from './support/deployPaths';
import { loadDashboard } from './support/dashboard';
import { selectorsIn } from './support/promql';

describe('deploy/grafana', () => {
  const { dashboard, panels } = loadDashboard();
  const datasources = loadYaml(deployFile('grafana', 'provisioning', 'datasources', 'datasources.yml')).datasources;

  describe('provisioning/datasources', () => {
    it('provisions Prometheus (default) and Jaeger at their compose addresses', () => {
      const byType = Object.fromEntries(datasources.map((d: any) => [d.type, d]));
      expect(byType.prometheus.url).to.equal('http://prometheus:9090');
      expect(byType.prometheus.isDefault).to.equal(true);
      expect(byType.jaeger.url).to.equal('http://jaeger:16686');
    });
  });

  describe('dashboards/school-health.json', () => {
    it('uses only provisioned data sources, by uid', () => {
      const uids = new Set(datasources.map((d: any) => d.uid));
      for (const p of panels) {
        expect(uids.has(p.datasource.uid), `${p.title}: ${p.datasource.uid}`).to.equal(true);
        for (const t of p.targets) expect(uids.has(t.datasource.uid), `${p.title}/${t.refId}`).to.equal(true);
      }
    });

    it('has the panels of the seed dashboard (section 12)', () => {
      const titles = panels.map((p) => p.title);
      for (const t of ['P50', 'P95', 'P99', 'Slow queries', 'N+1 detections', 'Hit rate', 'Total hits', 'Total misses', 'Cache size',
        'Utilization', 'Active', 'Idle', 'Waiting', 'Requests/s', 'Avg duration', 'Error rate', 'Total', 'Heap used', 'RSS', 'External',
        'Event loop delay', 'Query duration p50 / p95 / p99 vs targets']) {
        expect(titles, t).to.include(t);
      }
    });

    it('colours the percentile, cache and pool panels at the seed targets', () => {
      const redAt = (title: string) => panels.find((p) => p.title === title).fieldConfig.defaults.thresholds.steps.find((s: any) => s.color === 'red').value;
      expect(redAt('P50')).to.equal(0.1);
      expect(redAt('P95')).to.equal(0.5);
      expect(redAt('P99')).to.equal(1);
      expect(redAt('N+1 detections')).to.equal(1);
      expect(redAt('Utilization')).to.equal(0.8);
      const hit = panels.find((p) => p.title === 'Hit rate').fieldConfig.defaults.thresholds.steps;
      expect(hit.find((s: any) => s.color === 'green').value).to.equal(0.8);
    });

    it('gives every panel a unique id, a query and a place on the 24-column grid', () => {
      const ids = dashboard.panels.map((p: any) => p.id);
      expect(new Set(ids).size).to.equal(ids.length);
      for (const p of panels) {
        expect(p.targets.length, p.title).to.be.greaterThan(0);
        expect(p.gridPos.x + p.gridPos.w, p.title).to.be.at.most(24);
        const selectors = p.targets.flatMap((t: any) => selectorsIn(t.expr));
        expect(selectors.length, `${p.title} reads no metric`).to.be.greaterThan(0);
      }
      expect(dashboard.uid).to.equal('querylens-school-health');
    });

    it('lays panels out without overlaps', () => {
      const boxes = dashboard.panels.map((p: any) => ({ title: p.title, ...p.gridPos }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${a.title} overlaps ${b.title}`).to.equal(false);
        }
      }
    });
  });
});
