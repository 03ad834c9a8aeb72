// Preview alias of lightning/analyticsWaveApi. There is no CRM Analytics API
// without an org, so every adapter answers with an error, the way an org without
// CRM Analytics access does; the dashboard then sends `analytics: null` with the reason.
class UnavailableAdapter {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {
    this.dataCallback({
      data: undefined,
      error: {
        body: {
          message:
            'the local preview has no CRM Analytics API (the demo snapshot supplies the analytics facts)',
        },
      },
    });
  }

  update() {}

  disconnect() {}
}

export const getDataConnectors = UnavailableAdapter;
export const getDataflowJobs = UnavailableAdapter;
export const getReplicatedDatasets = UnavailableAdapter;
