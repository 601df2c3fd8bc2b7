// Regenerates dashboards/*.json from dashboards/src/dashboards.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS } from '../dashboards/src/dashboards';

for (const [file, make] of Object.entries(DASHBOARDS)) {
  writeFileSync(join(__dirname, '..', 'dashboards', file), JSON.stringify(make(), null, 2) + '\n');
  console.log(`wrote dashboards/${file}`);
}
import { DASHBOARD_CONFIGMAPS_FILE, writeDashboardConfigMaps } from '../alert-rules/src/dashboard-configmaps';
writeDashboardConfigMaps(join(__dirname, '..'));
console.log(`wrote ${DASHBOARD_CONFIGMAPS_FILE}`);
