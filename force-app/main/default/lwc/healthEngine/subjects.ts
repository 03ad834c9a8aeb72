/**
 * Subject resolution: for each subject kind a rule can name, the list of
 * things it is evaluated on, each with the context its condition reads.
 *
 * A kind whose list depends on a fact that was not collected (no analytics
 * facts → no referenced objects) resolves to Unknown: the rule then reports one
 * NOT_EVALUATED finding on the org instead of silently checking nothing.
 */
import { Unknown } from './jsonLogic';
import type { SubjectKind } from './catalog';
import type { AssetReference, OrgUser, SObjectField, SObjectInfo } from './orgFacts';
import { FIELD_SLOT, idKey, type OrgModel, type ReadableFields, type UserView } from './orgModel';
import {
  PREDICATE_OBJECT,
  predicateUnknown,
  predicateUserFields,
  sandboxMissingSystemUsers,
} from './accessFacts';

export interface SubjectRef {
  type: string;
  id: string;
  label: string;
}

export interface Subject {
  ref: SubjectRef;
  context: Record<string, unknown>;
  /**
   * Where a per-object subject (referenced*, readableField) goes in its rule's findings,
   * across chunks (ENGINE.md): the whole-list position of its read group's first
   * reference, or the lower-case object name for readableField.
   */
  order?: number | string;
}

/** An external reference with the whole-list position of the first reference it unites. */
export interface PositionedExternalReference {
  position: number;
  reference: ExternalReference;
}

/**
 * The subjects of a kind, or Unknown when not even one can be listed. A list may carry `rest`:
 * the reason more subjects may exist than the facts show (v1.1), e.g. run-as users of
 * connections that were not collected. The listed subjects are judged; the rule adds one
 * NOT_EVALUATED finding on the org for the rest.
 */
export type SubjectList = (Subject[] & { rest?: Unknown }) | Unknown;

function withRest(subjects: Subject[], rest: Unknown | undefined): Subject[] & { rest?: Unknown } {
  const list: Subject[] & { rest?: Unknown } = subjects;
  if (rest) list.rest = rest;
  return list;
}

/** A read through a connection to another org or system: listed, never judged. */
export interface ExternalReference {
  assetType: string;
  assetName: string;
  connectionName: string;
  connectionType: string;
  object: string;
  fields: string[];
}

export interface ObjectView {
  name: string;
  described: boolean;
  custom: boolean | Unknown;
  namespace: string | null | Unknown;
}

export interface FieldView {
  name: string;
  fullName: string;
  [FIELD_SLOT]: number;
  described: boolean;
  type: string | Unknown;
  permissionable: boolean | Unknown;
  securityClassification: string | null | Unknown;
  complianceGroup: string | null | Unknown;
}

interface ReadGroup {
  object: string;
  /** Whole-list position of the group's first reference: its place among the groups. */
  position: number;
  runAs: UserView | Unknown;
  runAsUser: OrgUser | undefined;
  fields: Map<string, string>;
  assets: { assetType: string; assetName: string; connectionName: string | null }[];
}

/** A dataset listed with predicateKnown false: the list is known, that one version was not read. */
const unreadVersion = (what: string) =>
  new Unknown(`${what} is unknown: the collector could not read the dataset's current version`);

export class SubjectResolver {
  private readonly model: OrgModel;
  private readonly cache = new Map<SubjectKind, SubjectList>();
  private readonly base: { org: Record<string, unknown>; settings: Record<string, unknown> };
  private groups: ReadGroup[] | Unknown | undefined;
  private external: PositionedExternalReference[] = [];
  /** Each reference's position in the whole list (chunked evaluation); by default its index. */
  private readonly referencePositions: readonly number[] | undefined;
  // Several kinds show the same object or field: one view each, built once.
  private readonly objectViews = new Map<string, ObjectView>();
  private readonly fieldViews = new Map<string, Map<string, FieldView>>();

  constructor(model: OrgModel, referencePositions?: readonly number[]) {
    this.model = model;
    this.referencePositions = referencePositions;
    const { facts } = model;
    const setting = (name: keyof typeof facts.settings) =>
      facts.settings[name] ?? model.unknown(`settings.${name}`, `the org setting ${name}`);
    this.base = {
      org: {
        id: facts.org.id,
        name: facts.org.name ?? facts.org.id,
        isSandbox:
          facts.org.isSandbox ?? model.unknown('org.isSandbox', 'whether the org is a sandbox'),
        collectedAt: facts.collectedAt,
      },
      settings: {
        enforceIpRangesEveryRequest: setting('enforceIpRangesEveryRequest'),
        profileFilteringEnabled: setting('profileFilteringEnabled'),
        apiAccessControlEnabled: setting('apiAccessControlEnabled'),
      },
    };
  }

  subjects(kind: SubjectKind): SubjectList {
    let list = this.cache.get(kind);
    if (!list) {
      list = this.resolve(kind);
      this.cache.set(kind, list);
    }
    return list;
  }

  /**
   * Why a kind's subjects cannot all be listed: the Unknown its whole list is, or the Unknown
   * of its rest; undefined when every subject is listed. The same answer as `subjects` gives,
   * without making the list of the per-field kinds.
   */
  unknownOf(kind: SubjectKind): Unknown | undefined {
    if (!this.cache.has(kind)) {
      if (kind === 'referencedField') {
        const groups = this.readGroups();
        return groups instanceof Unknown ? groups : undefined;
      }
      if (kind === 'readableField') {
        const source = this.readableFieldsSource();
        return source === null ? undefined : source instanceof Unknown ? source : source.rest;
      }
    }
    const list = this.subjects(kind);
    return list instanceof Unknown ? list : list.rest;
  }

  /**
   * Each subject of a kind, in order; nothing when the list is Unknown. The per-field kinds
   * (hundreds of thousands of subjects on a large org, each kind read by one rule) are made one
   * at a time and not kept, unless `subjects` already holds their list: a subject that gives
   * no finding is garbage at once instead of living, with all the others, to the end of the run.
   */
  forEachSubject(kind: SubjectKind, visit: (subject: Subject) => void): void {
    if (kind === 'referencedField' && !this.cache.has(kind)) {
      this.eachReferencedField(visit);
    } else if (kind === 'readableField' && !this.cache.has(kind)) {
      this.eachReadableField(visit);
    } else {
      const list = this.subjects(kind);
      if (list instanceof Unknown) return;
      // An index loop over what may be a long list (see fieldReadsOf in orgModel).
      for (let i = 0; i < list.length; i++) visit(list[i]);
    }
  }

  /** References read through non-local connections, after any referenced* kind was resolved. */
  externalReferences(): ExternalReference[] {
    return this.positionedExternalReferences().map((e) => e.reference);
  }

  /** The external references, each with the position that orders it across chunks. */
  positionedExternalReferences(): PositionedExternalReference[] {
    this.readGroups();
    return this.external;
  }

  private context(extra: Record<string, unknown>): Record<string, unknown> {
    return { org: this.base.org, settings: this.base.settings, ...extra };
  }

  private resolve(kind: SubjectKind): SubjectList {
    const { model } = this;
    const users = model.facts.users;
    switch (kind) {
      case 'org':
        return [
          {
            ref: { type: 'org', id: 'org', label: model.facts.org.name ?? 'org' },
            context: this.context({
              integrationUser: model.integrationUser ? model.userView(model.integrationUser) : null,
              securityUser: model.securityUser ? model.userView(model.securityUser) : null,
              // With the connections unknown, "none" is not known: an empty list stays undecided.
              customIntegrationUsers:
                model.customIntegrationUsers.length === 0 && model.unknownRunAsUsers
                  ? model.unknownRunAsUsers
                  : model.customIntegrationUsers.map((u) => model.userView(u)),
              users: users.map((u) => model.userView(u)),
            }),
          },
        ];
      case 'user':
        return users.map((u) => this.userSubject(u));
      case 'systemUser':
        return users.filter((u) => model.isSystemUser(u)).map((u) => this.userSubject(u));
      case 'integrationUser':
        return withRest(
          users.filter((u) => model.isIntegrationUser(u)).map((u) => this.userSubject(u)),
          model.unknownRunAsUsers,
        );
      case 'systemProfile':
        return this.systemProfiles();
      case 'referencedObject':
        return this.referencedObjects();
      case 'referencedField':
        return this.referencedFields();
      case 'readableField':
        return this.readableFields();
      case 'job':
        return this.jobs();
      case 'auditEvent':
        return this.auditEvents();
      case 'dataset':
        return this.datasets();
      case 'predicateField':
        return this.predicateFields();
      case 'sandbox':
        return this.sandboxes();
      default:
        throw new Error(`unknown subject kind ${String(kind)}`);
    }
  }

  private userSubject(user: OrgUser): Subject {
    const view = this.model.userView(user);
    return {
      ref: { type: 'user', id: user.id, label: user.username },
      context: this.context({ user: view, profile: view.profile }),
    };
  }

  private systemProfiles(): Subject[] {
    const { model } = this;
    const byProfile = new Map<string, { id: string; users: OrgUser[] }>();
    for (const user of model.facts.users) {
      if (!model.isSystemUser(user)) continue;
      const key = idKey(user.profileId);
      const entry = byProfile.get(key) ?? { id: user.profileId, users: [] };
      entry.users.push(user);
      byProfile.set(key, entry);
    }
    return [...byProfile.values()].map(({ id, users }) => {
      const profile = model.profile(id);
      const views = users.map((u) => model.userView(u));
      return {
        ref: { type: 'profile', id: profile?.id ?? id, label: profile?.name ?? id },
        context: this.context({
          profile: profile
            ? model.profileView(profile)
            : new Unknown(`the profile ${id} of ${users[0].username} is not in the facts`),
          users: views,
          roles: [...new Set(views.map((v) => v.role))],
        }),
      };
    });
  }

  private objectView(object: string): ObjectView {
    let view = this.objectViews.get(object);
    if (!view) {
      view = this.describeObject(object);
      this.objectViews.set(object, view);
    }
    return view;
  }

  /** The views of an object's fields, by the object's name as given, then the field's. */
  private fieldViewsOf(object: string): Map<string, FieldView> {
    let fields = this.fieldViews.get(object);
    if (!fields) {
      fields = new Map();
      this.fieldViews.set(object, fields);
    }
    return fields;
  }

  /** A field's view; `slot`, when the caller knows it, saves finding it again (see fieldSlot). */
  private fieldView(object: string, field: string, slot?: number): FieldView {
    // Keyed by object, then field: no "object.field" string to build per lookup.
    const fields = this.fieldViewsOf(object);
    let view = fields.get(field);
    if (!view) {
      view = this.describeField(object, field, slot ?? this.model.fieldSlot(object, field));
      fields.set(field, view);
    }
    return view;
  }

  private describeObject(object: string): ObjectView {
    const { model } = this;
    if (model.facts.schema === null) {
      const unknown = model.unknown('schema', `the schema of ${object}`);
      return { name: object, described: false, custom: unknown, namespace: unknown };
    }
    const info: SObjectInfo | undefined = model.objectInfo(object);
    if (!info) {
      const unknown = new Unknown(`${object} is not described in the schema facts`);
      return { name: object, described: false, custom: unknown, namespace: unknown };
    }
    return { name: object, described: true, custom: info.custom, namespace: info.namespace };
  }

  private describeField(object: string, field: string, slot: number): FieldView {
    const { model } = this;
    const fullName = `${object}.${field}`;
    const info = model.fieldAt(slot);
    if (!info) {
      const unknown =
        model.facts.schema === null
          ? model.unknown('schema', `the description of ${fullName}`)
          : new Unknown(`${fullName} is not described in the schema facts`);
      return {
        name: field,
        fullName,
        [FIELD_SLOT]: slot,
        described: false,
        type: unknown,
        permissionable: unknown,
        securityClassification: unknown,
        complianceGroup: unknown,
      };
    }
    return {
      name: field,
      fullName,
      [FIELD_SLOT]: slot,
      described: true,
      type: info.type ?? new Unknown(`the type of ${fullName} is not in the schema facts`),
      permissionable: info.permissionable,
      securityClassification: info.securityClassification ?? null,
      complianceGroup: info.complianceGroup ?? null,
    };
  }

  /** References grouped by object and the user who reads them, fields united. */
  private readGroups(): ReadGroup[] | Unknown {
    if (this.groups !== undefined) return this.groups;
    const { model } = this;
    const analytics = model.facts.analytics;
    if (analytics === null) {
      this.groups = model.unknown('analytics', 'which objects and fields analytics reads');
      return this.groups;
    }
    const groups = new Map<string, ReadGroup>();
    const external = new Map<string, PositionedExternalReference>();
    const positions = this.referencePositions;
    for (let index = 0; index < analytics.references.length; index++) {
      const reference = analytics.references[index];
      const position = positions === undefined ? index : positions[index];
      const running = model.runningUser(reference);
      if (running.kind === 'external') {
        this.addExternal(
          external,
          reference,
          running.connection.name,
          running.connection.type,
          position,
        );
        continue;
      }
      const runnerKey = running.kind === 'user' ? idKey(running.user.id) : `?${running.reason}`;
      const key = `${reference.object.toLowerCase()}|${runnerKey}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          object: reference.object,
          position,
          runAs:
            running.kind === 'user' ? model.userView(running.user) : new Unknown(running.reason),
          runAsUser: running.kind === 'user' ? running.user : undefined,
          fields: new Map(),
          assets: [],
        };
        groups.set(key, group);
      }
      for (const field of reference.fields) {
        const fieldKey = field.toLowerCase();
        if (!group.fields.has(fieldKey)) group.fields.set(fieldKey, field);
      }
      group.assets.push({
        assetType: reference.assetType,
        assetName: reference.assetName,
        connectionName: reference.connectionName ?? null,
      });
    }
    this.external = [...external.values()];
    this.groups = [...groups.values()];
    return this.groups;
  }

  private addExternal(
    into: Map<string, PositionedExternalReference>,
    reference: AssetReference,
    connectionName: string,
    connectionType: string,
    position: number,
  ): void {
    const key = `${reference.assetName}|${connectionName}|${reference.object}`.toLowerCase();
    const existing = into.get(key)?.reference;
    if (existing) {
      for (const f of reference.fields) if (!existing.fields.includes(f)) existing.fields.push(f);
      return;
    }
    into.set(key, {
      position,
      reference: {
        assetType: reference.assetType,
        assetName: reference.assetName,
        connectionName,
        connectionType,
        object: reference.object,
        fields: [...reference.fields],
      },
    });
  }

  private runnerLabel(group: ReadGroup): string {
    const runner = group.runAsUser;
    return runner && runner !== this.model.integrationUser ? ` (read as ${runner.username})` : '';
  }

  private referencedObjects(): SubjectList {
    const groups = this.readGroups();
    if (groups instanceof Unknown) return groups;
    return groups.map((group) => {
      const object = this.objectView(group.object);
      const slots = this.model.fieldSlotsOf(group.object.toLowerCase());
      const fields: FieldView[] = [];
      // The group's fields are keyed by lower-case name: the key finds the slot at once.
      for (const [key, field] of group.fields) {
        fields.push(this.fieldView(group.object, field, slots?.get(key) ?? -1));
      }
      return {
        ref: {
          type: 'object',
          id: group.object,
          label: `${group.object}${this.runnerLabel(group)}`,
        },
        order: group.position,
        context: this.context({ runAs: group.runAs, object, fields, assets: group.assets }),
      };
    });
  }

  private referencedFields(): SubjectList {
    const groups = this.readGroups();
    return groups instanceof Unknown
      ? groups
      : this.collect((visit) => this.eachReferencedField(visit));
  }

  private eachReferencedField(visit: (subject: Subject) => void): void {
    const groups = this.readGroups();
    if (groups instanceof Unknown) return;
    for (const group of groups) {
      const object = this.objectView(group.object);
      const slots = this.model.fieldSlotsOf(group.object.toLowerCase());
      const suffix = this.runnerLabel(group);
      for (const [key, field] of group.fields) {
        const view = this.fieldView(group.object, field, slots?.get(key) ?? -1);
        visit({
          ref: { type: 'field', id: view.fullName, label: `${view.fullName}${suffix}` },
          order: group.position,
          // A literal, not context(): one shape for the largest subject lists.
          context: {
            org: this.base.org,
            settings: this.base.settings,
            runAs: group.runAs,
            object,
            field: view,
            assets: group.assets,
          },
        });
      }
    }
  }

  /**
   * What the readableField subjects come from: the Integration User and its read set, plus the
   * rest (fields its unknown rows may grant); or the Unknown the whole list is; or null when
   * there is no Integration User, so nothing to list.
   */
  private readableFieldsSource():
    { user: OrgUser; readable: ReadableFields; rest: Unknown | undefined } | Unknown | null {
    const { model } = this;
    const user = model.integrationUser;
    if (!user) return null;
    if (model.facts.schema === null) {
      return model.unknown(
        'schema',
        'the classification of the fields the Integration User can read',
      );
    }
    const readable = model.readableFields(user);
    if (readable instanceof Unknown) return readable;
    // Unknown rows of one principal: the fields known rows grant are judged, the rest is unknown.
    return { user, readable, rest: model.unknownFieldRows(user) };
  }

  private readableFields(): SubjectList {
    const source = this.readableFieldsSource();
    if (source === null) return [];
    if (source instanceof Unknown) return source;
    return withRest(
      this.collect((visit) => this.eachReadableField(visit)),
      source.rest,
    );
  }

  private eachReadableField(visit: (subject: Subject) => void): void {
    const source = this.readableFieldsSource();
    if (source === null || source instanceof Unknown) return;
    const { model } = this;
    const { user, readable } = source;
    const groups = this.readGroups();
    // Lower-case object → lower-case field names analytics reads as this user.
    const referenced = new Map<string, Map<string, string>>();
    if (!(groups instanceof Unknown)) {
      for (const group of groups) {
        if (group.runAsUser !== user) continue;
        const objectKey = group.object.toLowerCase();
        const known = referenced.get(objectKey);
        if (!known) referenced.set(objectKey, group.fields);
        else referenced.set(objectKey, new Map([...known, ...group.fields]));
      }
    }
    const userView = model.userView(user);
    // Only described fields have a classification to judge: the read set holds no others.
    // Sorted by lower-case object name, then field name: the same order as sorting
    // "object.field" keys whole (no API name has a character below "."), with far smaller sorts.
    for (const objectKey of [...readable.objects].sort()) {
      const info = model.objectInfo(objectKey) as SObjectInfo;
      const slots = model.fieldSlotsOf(objectKey) as ReadonlyMap<string, number>;
      const fieldKeys: string[] = [];
      for (const [fieldKey, slot] of slots) if (readable.hasAt(slot)) fieldKeys.push(fieldKey);
      const object = this.objectView(info.name);
      const views = this.fieldViewsOf(info.name);
      const referencedFields = referenced.get(objectKey);
      for (const fieldKey of fieldKeys.sort()) {
        const slot = slots.get(fieldKey) as number;
        const name = (model.fieldAt(slot) as SObjectField).name;
        const view = views.get(name) ?? this.fieldView(info.name, name, slot);
        visit({
          ref: { type: 'field', id: view.fullName, label: view.fullName },
          order: objectKey,
          context: {
            org: this.base.org,
            settings: this.base.settings,
            user: userView,
            object,
            field: view,
            referenced:
              groups instanceof Unknown ? groups : (referencedFields?.has(fieldKey) ?? false),
          },
        });
      }
    }
  }

  private collect(each: (visit: (subject: Subject) => void) => void): Subject[] {
    const subjects: Subject[] = [];
    each((subject) => subjects.push(subject));
    return subjects;
  }

  private jobs(): SubjectList {
    const analytics = this.model.facts.analytics;
    if (analytics === null) return this.model.unknown('analytics', 'the recent analytics jobs');
    return analytics.jobs.map((job) => ({
      ref: { type: 'job', id: job.id, label: job.name },
      context: this.context({ job }),
    }));
  }

  /** Each dataset with its row-level security (v1.1); unknown when datasets were not collected. */
  private datasets(): SubjectList {
    const { model } = this;
    const datasets = model.facts.analytics?.datasets;
    if (datasets === undefined || datasets === null) {
      return model.unknown('analytics.datasets', 'the security of the datasets');
    }
    return datasets.map((dataset) => ({
      ref: { type: 'dataset', id: dataset.id, label: dataset.name },
      context: this.context({
        dataset: {
          id: dataset.id,
          name: dataset.name,
          predicate: predicateUnknown(dataset)
            ? unreadVersion(`the security predicate of ${dataset.name}`)
            : dataset.predicate,
          sharingSource: dataset.sharingSource,
        },
      }),
    }));
  }

  /**
   * Each User field a known security predicate reads, paired with the Security User, who reads it
   * when the predicate runs; a dataset whose predicate is unknown is one subject of its own.
   */
  private predicateFields(): SubjectList {
    const { model } = this;
    const datasets = model.facts.analytics?.datasets;
    if (datasets === undefined || datasets === null) {
      return model.unknown('analytics.datasets', 'the User fields the security predicates read');
    }
    const security = model.securityUser;
    const user = security
      ? model.userView(security)
      : new Unknown('there is no Security User in the facts to read the predicate fields');
    const subjects: Subject[] = [];
    const byField = new Map<string, string[]>();
    for (const dataset of datasets) {
      if (predicateUnknown(dataset)) {
        subjects.push({
          ref: { type: 'dataset', id: dataset.id, label: dataset.name },
          context: this.context({
            user,
            field: unreadVersion(`the User fields the security predicate of ${dataset.name} reads`),
            datasets: [dataset.name],
          }),
        });
        continue;
      }
      for (const field of predicateUserFields(dataset.predicate ?? '')) {
        const names = byField.get(field.toLowerCase());
        if (names) {
          if (!names.includes(dataset.name)) names.push(dataset.name);
          continue;
        }
        const readBy = [dataset.name];
        byField.set(field.toLowerCase(), readBy);
        const view = this.fieldView(PREDICATE_OBJECT, field);
        subjects.push({
          ref: { type: 'field', id: view.fullName, label: view.fullName },
          context: this.context({ user, field: view, datasets: readBy }),
        });
      }
    }
    return subjects;
  }

  /** Each sandbox of a production org, with the system users its access group leaves out. */
  private sandboxes(): SubjectList {
    const { model } = this;
    const sandboxes = model.facts.sandboxes;
    if (sandboxes === undefined || sandboxes === null) {
      return model.unknown('sandboxes', 'the sandboxes and their access groups');
    }
    const systemUsers = [model.integrationUser, model.securityUser];
    return sandboxes.map((sandbox) => ({
      ref: { type: 'sandbox', id: sandbox.name, label: sandbox.name },
      context: this.context({
        sandbox,
        missingSystemUsers: sandboxMissingSystemUsers(sandbox, systemUsers, () =>
          model.unknown('sandboxes', `the members of the access group of ${sandbox.name}`),
        ),
      }),
    }));
  }

  private auditEvents(): SubjectList {
    const trail = this.model.facts.auditTrail;
    if (trail === null) return this.model.unknown('auditTrail', 'the setup audit trail');
    return trail.map((event, index) => ({
      ref: { type: 'auditEvent', id: `${event.createdAt}#${index}`, label: event.display },
      context: this.context({ event }),
    }));
  }
}
