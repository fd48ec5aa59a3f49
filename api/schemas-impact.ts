/** Request and response schemas of whole-book re-rating (services/impact.ts). */
import { z } from 'zod';
import { isoDate } from '../domain/schemas/common.ts';

const num = (description: string) => z.number().meta({ description });
const int = (description: string) => z.number().int().meta({ description });
const maybe = (description: string) => z.number().nullable().meta({ description });

export const ImpactRequest = z.object({
  from: isoDate.meta({ description: 'First day (UTC, inclusive) of the quotes’ creation dates' }),
  to: isoDate.meta({ description: 'Last day (UTC, inclusive)' }),
}).strict().meta({ id: 'ImpactRequest', description: 'The period whose stored quotes are re-rated under the plan', example: { from: '2026-01-01', to: '2026-12-31' } });
export type ImpactRequest = z.infer<typeof ImpactRequest>;

export const ImpactJobParams = z.object({ jobId: z.coerce.number().int().positive() });

const Sums = z.object({
  quotes: int('Quotes with at least one such line (or all quotes, for the total)'),
  old_premium: num('Stored gross premium (CNY)'),
  new_premium: num('Gross premium under the candidate plan (CNY)'),
  change: num('new − old (CNY)'),
  relative_change: maybe('new / old − 1 (null when old is 0)'),
}).meta({ description: 'Premiums before and after' });

const ImpactReport = z.object({
  quotes: int('Quotes of the period'),
  rerated: int('Quotes the candidate plan rated'),
  failed: int('Quotes the candidate plan cannot rate (e.g. a coverage it does not price)'),
  failures: z.record(z.string(), z.number().int()).meta({ description: 'Failed quotes by reason' }),
  method: z.object({
    stored_aggregate: int('Quotes re-priced by arithmetic on their stored aggregate (the candidate changes only loadings of their plan, same engine)'),
    engine: int('Quotes re-rated by the full engine (models, rule set or engine differ)'),
  }).meta({ description: 'How the rated quotes were re-priced' }),
  total: Sums,
  change: z.object({
    mean: maybe('Mean relative change per quote (null without quotes)'),
    percentiles: z.record(z.string(), z.number().nullable()).meta({ description: 'p1 … p99 of the relative premium change new/old − 1 per quote' }),
    histogram: z.array(z.object({
      from: maybe('Lower edge (inclusive) of relative change; null: open'),
      to: maybe('Upper edge (exclusive); null: open'),
      count: int('Quotes in the bin'),
    })).meta({ description: 'Quotes per bin of relative change [from, to)' }),
  }).meta({ description: 'Distribution of the relative premium change per quote (quotes with a stored premium > 0)' }),
  by_scenario_class: z.record(z.string(), Sums).meta({ description: 'Premiums of the lines of each scenario class' }),
  by_coverage: z.record(z.string(), Sums).meta({ description: 'Premiums of each coverage' }),
  decisions: z.object({
    changed: int('Quotes whose decision changes (quoted ↔ referred ↔ declined)'),
    transitions: z.record(z.string(), z.number().int()).meta({ description: 'Quotes per "old→new" decision' }),
  }).meta({ description: 'Rule decisions before and after' }),
  largest_movers: z.array(z.object({
    ref: z.string().meta({ description: 'Quote reference' }),
    organization_ref: z.string().meta({ description: 'Organization of the quote' }),
    old_premium: num('Stored gross premium'),
    new_premium: num('Gross premium under the candidate plan'),
    change: num('new − old (CNY)'),
    relative_change: maybe('new / old − 1 (null when old is 0)'),
  })).meta({ description: 'The 20 quotes with the largest absolute premium change' }),
}).meta({ description: 'The dislocation report (null until the job is done)' });

export const ImpactJob = z.object({
  id: int('Job id'),
  rating_plan_id: int('The candidate rating plan'),
  period: z.object({
    from: z.string().meta({ description: 'First day (inclusive)' }),
    to: z.string().meta({ description: 'Last day (inclusive)' }),
  }).meta({ description: 'Creation dates of the quotes re-rated' }),
  status: z.enum(['running', 'done', 'failed', 'abandoned']).meta({ description: 'abandoned: running, but its process stopped beating (it ended); start a new job' }),
  total: int('Quotes of the period when the job started'),
  done: int('Quotes read so far'),
  progress: num('done / total (1 when there are none)'),
  created_by: z.string().meta({ description: 'Who started it' }),
  created_at: z.date().meta({ description: 'When it started' }),
  heartbeat_at: z.date().meta({ description: 'Last progress write of the process running it' }),
  finished_at: z.date().nullable().meta({ description: 'When it ended (null while running)' }),
  error: z.string().nullable().meta({ description: 'Why it failed' }),
  result: ImpactReport.nullable().meta({ description: 'The dislocation report (null until the job is done)' }),
}).meta({ id: 'ImpactJob', description: 'A whole-book re-rating job: status, progress and, when done, its dislocation report' });
