import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import type { Chart, GoodFaithExam } from '../domain/encounter/encounter.js';
import { inBundle, logical, type PatientReference } from './references.js';
import { codeSystems, hl7 } from './systems.js';

const component = (code: string, display: string): ObservationComponent['code'] => ({
  coding: [{ system: codeSystems.observation, code, display }],
});

/**
 * The good-faith exam as an exam Observation: findings as the value, the approval and each
 * approved treatment as components, the examiner (often not the treating provider) as performer.
 */
export function toFhirGoodFaithExam(
  exam: GoodFaithExam,
  chart: Chart,
  patient: PatientReference,
): Observation {
  const modality = exam.modality === 'telehealth' ? 'Telehealth' : 'In person';
  return {
    resourceType: 'Observation',
    id: exam.examId,
    status: 'final',
    category: [{ coding: [{ system: hl7.observationCategory, code: 'exam', display: 'Exam' }] }],
    code: {
      coding: [
        { system: codeSystems.observation, code: 'good-faith-exam', display: 'Good faith examination' },
      ],
      text: 'Good faith examination',
    },
    subject: patient,
    encounter: inBundle(chart.encounterId),
    effectiveDateTime: exam.at,
    performer: [
      logical('Practitioner', 'staff', exam.examinerId, `${exam.examinerName}, ${exam.examinerCredentials}`),
    ],
    valueString: exam.findings,
    method: {
      coding: [{ system: codeSystems.examModality, code: exam.modality, display: modality }],
      text: modality,
    },
    component: [
      {
        code: component('treatment-approved', 'Treatment approved'),
        valueBoolean: exam.outcome === 'approved',
      },
      ...exam.approvedTreatments.map((t): ObservationComponent => ({
        code: component('approved-treatment', 'Approved treatment'),
        valueString: t,
      })),
    ],
  };
}
