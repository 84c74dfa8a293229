import * as fs from 'node:fs';
import { deployFile } from './deployPaths';

/** The dashboard JSON users get, and its panels (rows excluded). */
export function loadDashboard(): { dashboard: any; panels: any[] } {
  const dashboard = JSON.parse(fs.readFileSync(deployFile('grafana', 'dashboards', 'school-health.json'), 'utf8'));
  return { dashboard, panels: dashboard.panels.filter((p: any) => p.type !== 'row') };
}
