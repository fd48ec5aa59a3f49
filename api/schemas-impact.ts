/** Request and response schemas of whole-book re-rating (services/impact.ts). */
import { z } from 'zod';
import { isoDate } from '../domain/schemas/common.ts';

export const ImpactRequest = z.object({
  from: isoDate.meta({ description: 'First day (UTC, inclusive) of the quotes’ creation dates' }),
  to: isoDate.meta({ description: 'Last day (UTC, inclusive)' }),
}).strict().meta({ id: 'ImpactRequest' });
export type ImpactRequest = z.infer<typeof ImpactRequest>;

export const ImpactJobParams = z.object({ jobId: z.coerce.number().int().positive() });

const Sums = z.object({
  quotes: z.number().int(), old_premium: z.number(), new_premium: z.number(), change: z.number(),
  relative_change: z.number().nullable().meta({ description: 'new / old − 1 (null when old is 0)' }),
});
const n = z.number().nullable();

const ImpactReport = z.object({
  quotes: z.number().int(), rerated: z.number().int(), failed: z.number().int(),
  failures: z.record(z.string(), z.number().int()).meta({ description: 'Quotes the candidate plan cannot rate, by reason' }),
  total: Sums,
  change: z.object({
    mean: n,
    percentiles: z.record(z.string(), n).meta({ description: 'p1 … p99 of the relative premium change new/old − 1 per quote' }),
    histogram: z.array(z.object({ from: n, to: n, count: z.number().int() })).meta({ description: 'Quotes per bin of relative change [from, to); open first and last bins' }),
  }),
  by_scenario_class: z.record(z.string(), Sums),
  by_coverage: z.record(z.string(), Sums),
  decisions: z.object({
    changed: z.number().int().meta({ description: 'Quotes whose decision changes (quoted ↔ referred ↔ declined)' }),
    transitions: z.record(z.string(), z.number().int()).meta({ description: 'Counts per "old→new" decision' }),
  }),
  largest_movers: z.array(z.object({ ref: z.string(), organization_ref: z.string(), old_premium: z.number(), new_premium: z.number(), change: z.number(), relative_change: n })),
});

export const ImpactJob = z.object({
  id: z.number().int(), rating_plan_id: z.number().int(), period: z.object({ from: z.string(), to: z.string() }),
  status: z.enum(['running', 'done', 'failed', 'abandoned']).meta({ description: 'abandoned: running, but its process stopped beating (it ended); start a new job' }),
  total: z.number().int(), done: z.number().int(), progress: z.number(),
  created_by: z.string(), created_at: z.date(), heartbeat_at: z.date(), finished_at: z.date().nullable(),
  error: z.string().nullable(), result: ImpactReport.nullable(),
}).meta({ id: 'ImpactJob' });
