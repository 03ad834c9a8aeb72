import { collectAnalyticsFacts, unavailableAnalyticsFacts } from 'c/analyticsFacts';

const connectors = {
  data: {
    dataConnectors: [
      { name: 'SFDC_LOCAL', connectorType: 'SfdcLocal' },
      { label: 'Snow', connectorType: 'SnowflakeDirect' },
    ],
  },
};
const jobs = {
  data: {
    dataflowJobs: [
      {
        id: '03C1',
        label: 'Billing',
        jobType: 'dataflow',
        status: 'Failure',
        message: 'Job killed due to inactivity',
        startDate: '2026-11-21T22:00:00Z',
      },
      {
        id: '03C2',
        name: 'Sync',
        jobType: 'dataSync',
        status: 'Success',
        startDate: '2026-11-22T01:00:00Z',
      },
    ],
  },
};
const datasets = {
  data: {
    replicatedDatasets: [
      { name: 'Account_sync', sourceObjectName: 'Account', connector: { name: 'SFDC_LOCAL' } },
      { sourceObjectName: 'Case' },
    ],
  },
};

describe('collectAnalyticsFacts', () => {
  it('maps connectors, jobs and synced objects to the facts shape', () => {
    const facts = collectAnalyticsFacts({ connectors, jobs, replicatedDatasets: datasets });
    expect(facts.analytics?.connections).toEqual([
      { name: 'SFDC_LOCAL', type: 'SfdcLocal', runAsUserId: null },
      { name: 'Snow', type: 'SnowflakeDirect', runAsUserId: null },
    ]);
    expect(facts.analytics?.jobs).toEqual([
      {
        id: '03C1',
        name: 'Billing',
        type: 'dataflow',
        status: 'Failure',
        message: 'Job killed due to inactivity',
        startedAt: '2026-11-21T22:00:00Z',
      },
      {
        id: '03C2',
        name: 'Sync',
        type: 'dataSync',
        status: 'Success',
        message: null,
        startedAt: '2026-11-22T01:00:00Z',
      },
    ]);
    expect(facts.analytics?.references).toEqual([
      {
        assetType: 'dataSync',
        assetName: 'Account_sync',
        connectionName: 'SFDC_LOCAL',
        object: 'Account',
        fields: [],
      },
      { assetType: 'dataSync', assetName: 'Case', object: 'Case', fields: [] },
    ]);
  });

  it('marks the analytics facts incomplete, because field lists and run-as users are not readable', () => {
    const facts = collectAnalyticsFacts({ connectors, jobs, replicatedDatasets: datasets });
    expect(facts.collectionErrors).toHaveLength(1);
    expect(facts.collectionErrors[0].fact).toBe('analytics');
    expect(facts.collectionErrors[0].message).toContain('fields each asset reads');
  });

  it('sends analytics null with the reason when an adapter errored or did not answer', () => {
    const refused = collectAnalyticsFacts({
      connectors: { error: { body: [{ message: 'Insufficient privileges' }] } },
      jobs,
      replicatedDatasets: { error: { body: { message: 'Not licensed' } } },
    });
    expect(refused.analytics).toBeNull();
    expect(refused.collectionErrors.map((e) => e.message)).toEqual([
      'CRM Analytics refused to list data connectors: Insufficient privileges',
      'CRM Analytics refused to list replicated datasets: Not licensed',
    ]);
    const silent = collectAnalyticsFacts({
      connectors,
      jobs: {},
      replicatedDatasets: { data: {} },
    });
    expect(silent.analytics).toBeNull();
    expect(silent.collectionErrors.map((e) => e.message)).toEqual([
      'CRM Analytics did not answer for dataflow jobs.',
      'CRM Analytics returned no replicatedDatasets list.',
    ]);
    const plain = collectAnalyticsFacts({
      connectors: { error: new Error('offline') },
      jobs,
      replicatedDatasets: { error: {} },
    });
    expect(plain.collectionErrors.map((e) => e.message)).toEqual([
      'CRM Analytics refused to list data connectors: offline',
      'CRM Analytics refused to list replicated datasets: the request failed',
    ]);
  });

  it('describes an unavailable API', () => {
    expect(unavailableAnalyticsFacts('no module')).toEqual({
      analytics: null,
      collectionErrors: [{ fact: 'analytics', message: 'no module' }],
    });
  });
});
