import { auditRoutes, legalHoldRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { encounterRoutes } from './encounters.js';
import { patientRoutes } from './patients.js';
import type { Route } from './route.js';
import { appointmentRoutes, waitlistRoutes } from './appointments.js';
import { catalogueChangeRoutes, catalogueRoutes } from './catalogue.js';

/**
 * THE route table: every REST operation of the platform, as data. The server, the OpenAPI
 * document, the README summary and the authorization matrix test are all generated from it.
 * Adding an operation is one entry in the file of its area.
 */
export const ROUTES: readonly Route[] = [
  ...authRoutes,
  ...catalogueRoutes,
  ...appointmentRoutes,
  ...catalogueChangeRoutes,
  ...waitlistRoutes,
  ...patientRoutes,
  ...encounterRoutes,
  ...auditRoutes,
  ...legalHoldRoutes,
];
