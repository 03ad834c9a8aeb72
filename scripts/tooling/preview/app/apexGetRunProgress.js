// Preview alias of @salesforce/apex/AnalyticsHealthController.getRunProgress.
import { runProgressLocally } from './previewEngine';

export default function getRunProgress(params) {
  return runProgressLocally(params?.runId ?? null);
}
