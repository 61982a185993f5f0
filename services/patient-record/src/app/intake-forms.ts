import { can, requirePermission } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import {
  intakeFormDecider,
  intakeFormTemplateDecider,
  templateVersion,
  type Answers,
  type IntakeFormEvent,
  type IntakeFormState,
  type IntakeFormTemplateState,
  type IntakeFormTemplateVersion,
  type Question,
} from '../domain/index.js';
import { authorizeRead, ownedBy, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import { documentIdsOf } from '../projections/patient-documents/queries.js';
import { assertNotShredded, loadPatient } from './patient-queries.js';
import { metadataOf, type RequestContext } from './request-context.js';
import {
  INTAKE_FORM_STREAM,
  INTAKE_TEMPLATE_STREAM,
  intakeFormStreamId,
  intakeTemplateStreamId,
  requireStreamOf,
  requireTemplateOf,
} from './streams.js';

export type SubmittedIntakeForm = Exclude<IntakeFormState, { status: 'not_submitted' }>;
type PublishedTemplate = Exclude<IntakeFormTemplateState, { status: 'unpublished' }>;

async function loadTemplate(deps: AppDeps, templateId: string): Promise<PublishedTemplate> {
  const { state } = await deps.store.aggregateStream(
    intakeTemplateStreamId(templateId),
    intakeFormTemplateDecider,
  );
  if (state.status === 'unpublished')
    throw errors.notFound('INTAKE_TEMPLATE_NOT_FOUND', 'Template not found');
  return state;
}

/** Publishes a new template (no id) or the next version of one: the clinic's questions, no PHI. */
export async function publishIntakeFormTemplate(
  deps: AppDeps,
  ctx: RequestContext,
  input: { templateId: string | undefined; title: string; questions: Question[] },
): Promise<{ templateId: string; version: number }> {
  if (input.templateId !== undefined) await requireTemplateOf(deps, ctx.principal.tenantId, input.templateId);
  requirePermission(ctx.principal, 'settings:write');
  const templateId = input.templateId ?? newId();
  const { state } = await handleCommand(deps.store, intakeFormTemplateDecider, {
    streamId: intakeTemplateStreamId(templateId),
    streamType: INTAKE_TEMPLATE_STREAM,
    command: {
      type: 'PublishIntakeFormTemplateVersion',
      templateId,
      title: input.title,
      questions: input.questions,
      at: deps.now().toISOString(),
    },
    metadata: metadataOf(ctx),
  });
  // Publishing the same content again adds no version: the latest one is the answer.
  const version = state.status === 'unpublished' ? 0 : (state.versions.at(-1)?.version ?? 0);
  return { templateId, version };
}

export async function retireIntakeFormTemplate(deps: AppDeps, ctx: RequestContext, templateId: string) {
  await requireTemplateOf(deps, ctx.principal.tenantId, templateId);
  requirePermission(ctx.principal, 'settings:write');
  await handleCommand(deps.store, intakeFormTemplateDecider, {
    streamId: intakeTemplateStreamId(templateId),
    streamType: INTAKE_TEMPLATE_STREAM,
    command: { type: 'RetireIntakeFormTemplate', at: deps.now().toISOString() },
    metadata: metadataOf(ctx),
  });
}

/** One version of a template (0: the latest), for anyone of the clinic, patients included. */
export async function getIntakeFormTemplate(
  deps: AppDeps,
  ctx: RequestContext,
  templateId: string,
  version: number,
): Promise<{ template: IntakeFormTemplateVersion; retired: boolean }> {
  await requireTemplateOf(deps, ctx.principal.tenantId, templateId);
  const state = await loadTemplate(deps, templateId);
  const template = version === 0 ? state.versions.at(-1) : templateVersion(state, version);
  if (template === undefined) {
    throw errors.notFound('INTAKE_TEMPLATE_VERSION_NOT_FOUND', 'No such version of the template');
  }
  return { template, retired: state.status === 'retired' };
}

/**
 * A patient's answers to one template version, validated against that exact version. The
 * patient submits their own (portal); staff who register patients or chart may enter them too.
 */
export async function submitIntakeForm(
  deps: AppDeps,
  ctx: RequestContext,
  input: { patientId: string; templateId: string; templateVersion: number; answers: Answers },
): Promise<string> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', input.patientId);
  const p = ctx.principal;
  if (!(can(p, 'patient.demographics:write', ownedBy(input.patientId)) || can(p, 'patient.chart:write'))) {
    throw errors.forbidden('PERMISSION_DENIED', `Role ${p.role} may not submit intake forms`);
  }
  await requireTemplateOf(deps, tenantId, input.templateId);
  const state = await loadTemplate(deps, input.templateId);
  if (state.status === 'retired') {
    throw errors.precondition('INTAKE_TEMPLATE_RETIRED', 'This template takes no new submissions');
  }
  const template = templateVersion(state, input.templateVersion);
  if (template === undefined) {
    throw errors.notFound('INTAKE_TEMPLATE_VERSION_NOT_FOUND', 'No such version of the template');
  }
  const intakeFormId = newId();
  await handleCommand(deps.store, intakeFormDecider, {
    streamId: intakeFormStreamId(intakeFormId),
    streamType: INTAKE_FORM_STREAM,
    command: {
      type: 'SubmitIntakeForm',
      intakeFormId,
      patientId: input.patientId,
      template,
      answers: input.answers,
      at: deps.now().toISOString(),
    },
    metadata: metadataOf(ctx),
  });
  return intakeFormId;
}

/** A clinician read the answers before treatment. */
export async function reviewIntakeForm(deps: AppDeps, ctx: RequestContext, intakeFormId: string) {
  await requireStreamOf(deps, ctx.principal.tenantId, 'intake_form', intakeFormId);
  requirePermission(ctx.principal, 'patient.chart:write');
  await handleCommand(deps.store, intakeFormDecider, {
    streamId: intakeFormStreamId(intakeFormId),
    streamType: INTAKE_FORM_STREAM,
    command: { type: 'ReviewIntakeForm', reviewedBy: ctx.principal.userId, at: deps.now().toISOString() },
    metadata: metadataOf(ctx),
  });
}

/** Submitted answers (medical history): read with the chart; an audited read. */
export async function getIntakeForm(
  deps: AppDeps,
  ctx: RequestContext,
  intakeFormId: string,
): Promise<SubmittedIntakeForm> {
  const { tenantId } = ctx.principal;
  const { patientId } = await requireStreamOf(deps, tenantId, 'intake_form', intakeFormId);
  const read = {
    patientId,
    resourceType: 'QuestionnaireResponse',
    resourceId: intakeFormId,
    action: 'read' as const,
  };
  await authorizeRead(deps, ctx, 'patient.chart:read', read);
  await assertNotShredded(deps, tenantId, patientId);
  const { state } = await deps.store.aggregateStream(intakeFormStreamId(intakeFormId), intakeFormDecider);
  if (state.status === 'not_submitted')
    throw errors.notFound('INTAKE_FORM_NOT_FOUND', 'Intake form not found');
  await recordAllowed(deps, ctx, [read]);
  return state;
}

/**
 * A patient's submitted intake forms, oldest first, with a duplicate's merged into this record:
 * read with the chart, one access event per form, all written before any answer leaves.
 */
export async function listIntakeForms(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<SubmittedIntakeForm[]> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  const read = {
    patientId,
    resourceType: 'QuestionnaireResponse',
    resourceId: patientId,
    action: 'read' as const,
  };
  await authorizeRead(deps, ctx, 'patient.chart:read', read);
  await assertNotShredded(deps, tenantId, patientId);
  const patient = await loadPatient(deps, patientId);
  const owners = [patientId, ...patient.patient.mergedFrom.map((m) => m.patientId)];
  const ids = await documentIdsOf(deps.pool, deps.schema, {
    tenantId,
    patientIds: owners,
    kind: 'intake_form',
  });
  const streams = await deps.readStreams(ids.map(intakeFormStreamId));
  const forms = ids.flatMap((id) => {
    const state = (streams.get(intakeFormStreamId(id)) ?? []).reduce(
      (s, e) => intakeFormDecider.evolve(s, { type: e.type, data: e.data } as IntakeFormEvent),
      intakeFormDecider.initialState(),
    );
    // A merged duplicate erased since has lost its answers: nothing of it is left to list.
    return state.status === 'not_submitted' ||
      (state.form as Partial<typeof state.form>).answers === undefined
      ? []
      : [state];
  });
  if (forms.some((f) => !owners.includes(f.form.patientId))) {
    throw errors.internal('DOCUMENT_OWNER_MISMATCH', 'A listed intake form belongs to another patient');
  }
  await recordAllowed(
    deps,
    ctx,
    forms.map((f) => ({ ...read, resourceId: f.form.intakeFormId })),
  );
  return forms;
}
