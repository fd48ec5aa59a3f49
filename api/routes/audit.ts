import * as audit from '../../services/audit.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { AuditEvent, AuditEventQuery, pageOf } from '../schemas.ts';

export const auditRoutes = ({ db }: AppDeps): Route[] => [
  defineRoute({
    method: 'get', path: '/v1/audit-events', tag: 'Audit', roles: ['admin', 'actuary'],
    summary: 'The audit trail, oldest first: key issue and revocation, imports, model and plan changes, quotes (filters, cursor)',
    query: AuditEventQuery, response: pageOf(AuditEvent, 'AuditEventPage', 'audit events'),
    handler: ({ query }) => audit.listAuditEvents(db, query),
  }),
];
