// Preview alias of @salesforce/apex/AnalyticsHealthController.runCheck.
import { runCheckLocally } from './previewEngine';

export default function runCheck(params) {
  return runCheckLocally(params?.dashboardFactsJson ?? null);
}
