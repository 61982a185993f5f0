import { isKeyShredded, type FieldCipher, type Keyring, type SubjectCipher } from '@medspa/crypto';
import { quoteIdent, type Queryable } from '@medspa/db';
import type { RecordedEvent } from '@medspa/eventstore';
import { defineProjection, type Projection } from '@medspa/projections';
import type { PatientEvent, PersonName } from '../../domain/index.js';
import { blindIndexFor, directoryField, indexField, searchableName, type SearchKind } from './fields.js';
import { purgePatientReadModels } from './purge.js';

type DirectoryEvent = Extract<
  PatientEvent,
  {
    type:
      | 'PatientRegistered'
      | 'PatientDemographicsChanged'
      | 'PatientContactDetailsChanged'
      | 'PatientMergedInto';
  }
>;

export interface PatientDirectoryDeps {
  schema: string;
  fields: FieldCipher;
  keyring: Pick<Keyring, 'blindIndexKey'>;
}

/**
 * The patient directory and its blind index, from the patient streams. Events arrive decrypted
 * (the store's codec); the directory re-encrypts the few fields a search result shows under its
 * own field names, and the index keeps HMAC tokens only. A shredded patient's events have lost
 * their PHI: the projection then removes the patient instead of writing anything.
 */
export function patientDirectoryProjection(deps: PatientDirectoryDeps): Projection<DirectoryEvent> {
  const s = quoteIdent(deps.schema);

  async function replaceTokens(
    db: Queryable,
    e: RecordedEvent<DirectoryEvent>,
    kinds: [SearchKind, string[]][],
  ) {
    const { tenantId } = e.metadata;
    const patientId = e.data.patientId;
    for (const [kind, tokens] of kinds) {
      await db.query(
        `DELETE FROM ${s}.patient_search_tokens WHERE tenant_id = $1 AND patient_id = $2 AND kind = $3`,
        [tenantId, patientId, kind],
      );
      if (tokens.length === 0) continue;
      await db.query(
        `INSERT INTO ${s}.patient_search_tokens (tenant_id, patient_id, kind, token)
         SELECT $1, $2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING`,
        [tenantId, patientId, kind, tokens],
      );
    }
  }

  async function nameAndBirthTokens(tenantId: string, name: PersonName, dateOfBirth: string) {
    const index = await blindIndexFor(deps.keyring, tenantId);
    return [
      ['name_prefix', index.namePrefixes(indexField.name, searchableName(name))],
      ['date_of_birth', [index.dateOfBirth(indexField.dateOfBirth, dateOfBirth)]],
    ] as [SearchKind, string[]][];
  }

  async function phoneTokens(tenantId: string, phone: string | undefined) {
    const index = await blindIndexFor(deps.keyring, tenantId);
    return [['phone', phone === undefined ? [] : [index.phone(indexField.phone, phone)]]] as [
      SearchKind,
      string[],
    ][];
  }

  async function apply(db: Queryable, e: RecordedEvent<DirectoryEvent>): Promise<void> {
    const { tenantId } = e.metadata;
    const { patientId } = e.data;
    if (e.type === 'PatientMergedInto') {
      await db.query(
        `UPDATE ${s}.patient_directory SET active = false WHERE tenant_id = $1 AND patient_id = $2`,
        [tenantId, patientId],
      );
      return;
    }
    let cipher: SubjectCipher;
    try {
      cipher = await deps.fields.forSubject(tenantId, patientId);
    } catch (err) {
      if (!isKeyShredded(err)) throw err;
      await purgePatientReadModels(db, deps.schema, tenantId, patientId);
      return;
    }
    const seal = (field: string, value: unknown) => cipher.encrypt(field, JSON.stringify(value));
    // RecordedEvent keeps type and data apart; rejoined, the switch narrows the data.
    const event = { type: e.type, data: e.data } as DirectoryEvent;
    switch (event.type) {
      case 'PatientRegistered': {
        const { name, dateOfBirth, phone, at } = event.data;
        await db.query(
          `INSERT INTO ${s}.patient_directory
             (tenant_id, patient_id, active, registered_at, name_ct, date_of_birth_ct, phone_ct)
           VALUES ($1, $2, true, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [
            tenantId,
            patientId,
            at,
            seal(directoryField.name, name),
            seal(directoryField.dateOfBirth, dateOfBirth),
            phone === undefined ? null : seal(directoryField.phone, phone),
          ],
        );
        await replaceTokens(db, e, [
          ...(await nameAndBirthTokens(tenantId, name, dateOfBirth)),
          ...(await phoneTokens(tenantId, phone)),
        ]);
        return;
      }
      case 'PatientDemographicsChanged': {
        const { name, dateOfBirth } = event.data;
        await db.query(
          `UPDATE ${s}.patient_directory SET name_ct = $3, date_of_birth_ct = $4
            WHERE tenant_id = $1 AND patient_id = $2`,
          [
            tenantId,
            patientId,
            seal(directoryField.name, name),
            seal(directoryField.dateOfBirth, dateOfBirth),
          ],
        );
        await replaceTokens(db, e, await nameAndBirthTokens(tenantId, name, dateOfBirth));
        return;
      }
      case 'PatientContactDetailsChanged': {
        const { phone } = event.data;
        await db.query(
          `UPDATE ${s}.patient_directory SET phone_ct = $3 WHERE tenant_id = $1 AND patient_id = $2`,
          [tenantId, patientId, phone === undefined ? null : seal(directoryField.phone, phone)],
        );
        await replaceTokens(db, e, await phoneTokens(tenantId, phone));
        return;
      }
      case 'PatientMergedInto':
        return; // handled above, before any key is needed
      default: {
        const _exhaustive: never = event;
        return;
      }
    }
  }

  type Registration = RecordedEvent<Extract<DirectoryEvent, { type: 'PatientRegistered' }>>;

  /**
   * Registrations in one go (a rebuild, or a bulk import, is almost only these): keys opened
   * concurrently, one INSERT for the directory rows and one DELETE and one INSERT for the tokens.
   */
  async function registerAll(db: Queryable, run: Registration[]): Promise<void> {
    if (run.length === 0) return;
    const tenantId = run[0]!.metadata.tenantId;
    const index = await blindIndexFor(deps.keyring, tenantId);
    // Every patient's keys in one query, not one each: a batch is hundreds of new patients.
    await deps.fields.preload(
      tenantId,
      run.map((e) => e.data.patientId),
    );
    const opened = await Promise.all(
      run.map(async (e) => {
        try {
          return { e, cipher: await deps.fields.forSubject(tenantId, e.data.patientId) };
        } catch (err) {
          if (!isKeyShredded(err)) throw err;
          return { e, cipher: undefined };
        }
      }),
    );
    const rows: { id: string; at: string; name: string; dob: string; phone: string | null }[] = [];
    const tokens: { id: string; kind: SearchKind; token: string }[] = [];
    for (const { e, cipher } of opened) {
      const { patientId, name, dateOfBirth, phone, at } = e.data;
      if (cipher === undefined) {
        await purgePatientReadModels(db, deps.schema, tenantId, patientId);
        continue;
      }
      const seal = (field: string, value: unknown) => cipher.encrypt(field, JSON.stringify(value));
      rows.push({
        id: patientId,
        at,
        name: seal(directoryField.name, name),
        dob: seal(directoryField.dateOfBirth, dateOfBirth),
        phone: phone === undefined ? null : seal(directoryField.phone, phone),
      });
      const add = (kind: SearchKind, list: string[]) => {
        for (const token of list) tokens.push({ id: patientId, kind, token });
      };
      add('name_prefix', index.namePrefixes(indexField.name, searchableName(name)));
      add('date_of_birth', [index.dateOfBirth(indexField.dateOfBirth, dateOfBirth)]);
      if (phone !== undefined) add('phone', [index.phone(indexField.phone, phone)]);
    }
    if (rows.length === 0) return;
    await db.query(
      `INSERT INTO ${s}.patient_directory
         (tenant_id, patient_id, active, registered_at, name_ct, date_of_birth_ct, phone_ct)
       SELECT $1, * FROM unnest($2::uuid[], $3::bool[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT DO NOTHING`,
      [
        tenantId,
        rows.map((r) => r.id),
        rows.map(() => true),
        rows.map((r) => r.at),
        rows.map((r) => r.name),
        rows.map((r) => r.dob),
        rows.map((r) => r.phone),
      ],
    );
    // A replayed registration replaces its tokens, as the one-by-one path does.
    await db.query(
      `DELETE FROM ${s}.patient_search_tokens WHERE tenant_id = $1 AND patient_id = ANY($2::uuid[])`,
      [tenantId, rows.map((r) => r.id)],
    );
    await db.query(
      `INSERT INTO ${s}.patient_search_tokens (tenant_id, patient_id, kind, token)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [tenantId, tokens.map((t) => t.id), tokens.map((t) => t.kind), tokens.map((t) => t.token)],
    );
  }

  /** A run of one tenant's events in log order: registrations batched, the rest one by one. */
  async function applyBatch(db: Queryable, events: readonly RecordedEvent<DirectoryEvent>[]) {
    let run: Registration[] = [];
    for (const e of events) {
      if (e.type === 'PatientRegistered') {
        run.push(e as Registration);
        continue;
      }
      await registerAll(db, run);
      run = [];
      await apply(db, e);
    }
    await registerAll(db, run);
  }

  return defineProjection<DirectoryEvent>({
    name: 'patient_directory',
    streamTypes: ['patient'],
    eventTypes: [
      'PatientRegistered',
      'PatientDemographicsChanged',
      'PatientContactDetailsChanged',
      'PatientMergedInto',
    ],
    tables: ['patient_directory', 'patient_search_tokens'],
    applyBatch,
  });
}
