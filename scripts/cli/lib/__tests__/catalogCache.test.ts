import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CUSTOM_METADATA_DIR, loadCatalogRecords, writeCatalogCache } from '../catalogSource';

const RULE = 'Analytics_Health_Rule.AH001.md-meta.xml';

let dir: string;
let cache: string;

beforeEach(() => {
  const root = mkdtempSync(path.join(tmpdir(), 'ah-catalog-cache-'));
  dir = path.join(root, 'customMetadata');
  cpSync(CUSTOM_METADATA_DIR, dir, { recursive: true });
  cache = path.join(root, 'cache.json');
});

afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

/** The cache file with its records changed but its key kept: what a hit returns shows. */
function tamperRecords(): void {
  const text = JSON.parse(readFileSync(cache, 'utf8'));
  text.records.rules[0].MasterLabel = 'from the cache';
  writeFileSync(cache, JSON.stringify(text));
}

const uncached = () => loadCatalogRecords(dir, null);

describe('the catalog records cache', () => {
  it('holds exactly the records parsed from the XML', () => {
    expect(writeCatalogCache(dir, cache)).toBe(true);
    expect(loadCatalogRecords(dir, cache)).toEqual(uncached());
    expect(loadCatalogRecords(dir, cache).rules.length).toBeGreaterThan(20);
  });

  it('is used while the record files are those it was made from', () => {
    writeCatalogCache(dir, cache);
    tamperRecords();
    expect(loadCatalogRecords(dir, cache).rules[0].MasterLabel).toBe('from the cache');
  });

  it('is not used once a record file changes', () => {
    writeCatalogCache(dir, cache);
    tamperRecords();
    const file = path.join(dir, RULE);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Edited</label>'),
    );
    const records = loadCatalogRecords(dir, cache);
    expect(records.rules.find((r) => r.DeveloperName === 'AH001')?.MasterLabel).toBe('Edited');
    expect(records).toEqual(uncached());
  });

  it('is not used once a record file is added or removed', () => {
    writeCatalogCache(dir, cache);
    tamperRecords();
    const copy = path.join(dir, 'Analytics_Health_Rule.AH999.md-meta.xml');
    writeFileSync(copy, readFileSync(path.join(dir, RULE), 'utf8'));
    expect(loadCatalogRecords(dir, cache)).toEqual(uncached());
    rmSync(copy);
    rmSync(path.join(dir, RULE));
    expect(loadCatalogRecords(dir, cache)).toEqual(uncached());
  });

  it('is ignored when it cannot be read as a cache', () => {
    writeFileSync(cache, '{ not json');
    expect(loadCatalogRecords(dir, cache)).toEqual(uncached());
  });

  it('is not written (and an older one is removed) for records JSON would change', () => {
    writeCatalogCache(dir, cache);
    const file = path.join(dir, RULE);
    // A number that is not one: parsed as NaN, which JSON would bring back as null.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /(<field>Sort_Order__c<\/field>\s*<value xsi:type="xsd:double">)[^<]*/,
        '$1not a number',
      ),
    );
    expect(
      Number.isNaN(uncached().rules.find((r) => r.DeveloperName === 'AH001')?.Sort_Order__c),
    ).toBe(true);
    expect(writeCatalogCache(dir, cache)).toBe(false);
    expect(existsSync(cache)).toBe(false);
  });

  it('is not written when a record file cannot be parsed; loading reports that file', () => {
    writeFileSync(path.join(dir, RULE), '<CustomMetadata><values>');
    expect(writeCatalogCache(dir, cache)).toBe(false);
    expect(() => loadCatalogRecords(dir, cache)).toThrow(RULE);
  });
});
