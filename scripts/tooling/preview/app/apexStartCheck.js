// Preview alias of @salesforce/apex/AnalyticsHealthController.startCheck.
import { startCheckLocally } from './previewEngine';

export default function startCheck(params) {
  return startCheckLocally(params?.dashboardFactsJson ?? null);
}
