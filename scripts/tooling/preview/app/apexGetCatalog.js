// Preview alias of @salesforce/apex/AnalyticsHealthController.getCatalog.
import { catalogLocally } from './previewEngine';

export default function getCatalog() {
  return catalogLocally();
}
