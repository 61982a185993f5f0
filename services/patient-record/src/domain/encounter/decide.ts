import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { checkId, checkText, tidy } from '../shared/text.js';
import { checkInstant, isTimeZone } from '../shared/time.js';
import { Violations } from '../shared/violations.js';
import { decideChartEntry, MAX_NOTE_LENGTH, type ChartEntryCommand } from './chart-entries.js';
import {
  evolveEncounter,
  initialEncounterState,
  type EncounterEvent,
  type EncounterOpening,
  type EncounterState,
} from './encounter.js';

export type * from './chart-entries.js';

export type OpenEncounter = {
  type: 'OpenEncounter';
  encounterId: string;
  patientId: string;
  opening: EncounterOpening;
  at: string;
};
/**
 * `goodFaithExamRequired` comes from the location's state law, looked up by the handler: the
 * decider knows charts, not statutes.
 */
export type SignChart = { type: 'SignChart'; providerId: string; goodFaithExamRequired: boolean; at: string };
export type SignAddendum = {
  type: 'SignAddendum';
  addendumId: string;
  authorId: string;
  text: string;
  at: string;
};

export type EncounterCommand = OpenEncounter | ChartEntryCommand | SignChart | SignAddendum;

export function decideEncounter(command: EncounterCommand, state: EncounterState): EncounterEvent[] {
  const v = new Violations();
  checkInstant(v, command.at);
  v.throwIfAny('The command time is invalid');
  if (command.type === 'OpenEncounter') return open(command, state);
  if (state.status === 'not_opened') throw errors.notFound('ENCOUNTER_NOT_FOUND', 'Encounter not found');
  const { chart } = state;
  const base = { encounterId: chart.encounterId, patientId: chart.patientId, at: command.at };
  if (command.type === 'SignAddendum') {
    if (state.status !== 'signed') {
      throw errors.precondition('CHART_NOT_SIGNED', 'Addenda are for signed charts; edit the chart instead');
    }
    checkId(v, command.addendumId, 'addendumId');
    checkId(v, command.authorId, 'authorId');
    checkText(v, command.text, 'text', { max: MAX_NOTE_LENGTH, reason: 'INVALID_NOTE' });
    v.throwIfAny('The addendum is invalid');
    if (chart.addenda.some((a) => a.addendumId === command.addendumId)) {
      throw errors.conflict('ENTRY_ALREADY_RECORDED', 'An addendum with this id is already signed');
    }
    const { addendumId, authorId } = command;
    return [{ type: 'AddendumSigned', data: { ...base, addendumId, authorId, text: command.text.trim() } }];
  }
  if (state.status === 'signed') {
    throw errors.precondition('CHART_LOCKED', 'The chart is signed; add a signed addendum instead');
  }
  if (command.type !== 'SignChart') return decideChartEntry(command, chart);
  if (command.providerId !== chart.providerId) {
    throw errors.forbidden(
      'SIGNER_NOT_ENCOUNTER_PROVIDER',
      "Only the encounter's provider may sign the chart",
    );
  }
  if (chart.notes.length === 0) {
    throw errors.precondition('TREATMENT_NOTE_REQUIRED', 'A chart needs a treatment note before signing');
  }
  if (command.goodFaithExamRequired && chart.goodFaithExam?.outcome !== 'approved') {
    throw errors.precondition(
      'GOOD_FAITH_EXAM_REQUIRED',
      'An approving good-faith exam must be on the chart',
    );
  }
  return [{ type: 'ChartSigned', data: { ...base, providerId: command.providerId } }];
}

function open(command: OpenEncounter, state: EncounterState): EncounterEvent[] {
  if (state.status !== 'not_opened') {
    throw errors.conflict('ENCOUNTER_ALREADY_OPENED', 'This encounter is already open');
  }
  const { opening } = command;
  const v = new Violations();
  checkId(v, command.encounterId, 'encounterId');
  checkId(v, command.patientId, 'patientId');
  checkId(v, opening.providerId, 'opening.providerId');
  checkId(v, opening.locationId, 'opening.locationId');
  if (opening.appointmentId !== undefined) checkId(v, opening.appointmentId, 'opening.appointmentId');
  if (!isTimeZone(opening.timeZone))
    v.add('INVALID_TIME_ZONE', 'opening.timeZone', 'must be an IANA time zone');
  checkText(v, opening.serviceName, 'opening.serviceName', { max: 200, reason: 'INVALID_SERVICE_NAME' });
  v.throwIfAny('The encounter is invalid');
  const { encounterId, patientId, at } = command;
  return [
    {
      type: 'EncounterOpened',
      data: { encounterId, patientId, ...opening, serviceName: tidy(opening.serviceName), at },
    },
  ];
}

/** The Encounter aggregate: one stream per visit, holding its chart. */
export const encounterDecider: Decider<EncounterCommand, EncounterEvent, EncounterState> = {
  decide: decideEncounter,
  evolve: evolveEncounter,
  initialState: initialEncounterState,
};
