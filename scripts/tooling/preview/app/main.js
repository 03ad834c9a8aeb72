// Entry of the local preview page. Synthetic shadow must load before any component,
// as in Lightning Experience, so SLDS styles reach inside the base components.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import AnalyticsHealthDashboard from 'c/analyticsHealthDashboard';
import { repeatTo, selectedSnapshot, snapshots } from './previewState';

const select = document.getElementById('snapshot');
const current = selectedSnapshot();
for (const snapshot of snapshots) {
  const option = document.createElement('option');
  option.value = snapshot.id;
  option.textContent = `${snapshot.id} (${snapshot.facts.org?.name ?? snapshot.facts.org?.id})`;
  option.selected = snapshot.id === current.id;
  select.appendChild(option);
}
select.addEventListener('change', () => {
  const params = new URLSearchParams(window.location.search);
  params.set('snapshot', select.value);
  window.location.search = params.toString();
});
if (repeatTo() > 0) {
  document.getElementById('synthetic').textContent =
    `Scale test: the report's findings are repeated to ${repeatTo()}.`;
}

const dashboard = createElement('c-analytics-health-dashboard', { is: AnalyticsHealthDashboard });
document.getElementById('app').appendChild(dashboard);
