/**
 * Premium lines of bound quotes, normalized for the loss-ratio statistics (DESIGN.md §8), so
 * that earned premium and the policies' cover are aggregated in SQL without reading each bound
 * quote's request and result JSON: one row per fleet line × coverage of a bound quote with its
 * organization, the line's scenario class, the policy period (inclusive dates) and the line's
 * gross premium for the coverage — exactly what the stored quote says: `request.period`,
 * `request.fleet[line − 1].scenario_class` and `result.premium.lines[]` (line, coverage,
 * gross_premium; their sum is the quote's gross premium).
 *
 * Kept by row triggers on `quotes` in the transaction of every write, whichever code makes it:
 * a quote inserted or updated into `bound` gets its lines, a quote leaving `bound` (or a bound
 * quote whose request, result or organization changes) has them replaced or removed. Quotes
 * that are not bound and do not become bound (creation, expiry of quoted quotes) do not fire
 * them. Bound quotes stored before this migration are copied.
 */
import type { Knex } from 'knex';

const LINES_OF = (q: string) => `
  select ${q}.id as quote_id, pl.line, pl.coverage, ${q}.organization_id, c.id as scenario_class_id,
         (${q}.request #>> '{period,start}')::date as period_start, (${q}.request #>> '{period,end}')::date as period_end, pl.gross_premium
  from jsonb_to_recordset(${q}.result #> '{premium,lines}') as pl(line integer, coverage text, gross_premium numeric)
  join scenario_classes c on c.code = ${q}.request #>> array['fleet', (pl.line - 1)::text, 'scenario_class']`;

const COLUMNS = 'quote_id, line, coverage, organization_id, scenario_class_id, period_start, period_end, gross_premium';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table bound_quote_lines (
    quote_id integer not null references quotes(id) on delete cascade,
    line integer not null,
    coverage text not null references coverages(code),
    organization_id integer not null references organizations(id),
    scenario_class_id integer not null references scenario_classes(id),
    period_start date not null,
    period_end date not null,
    gross_premium numeric(16, 2) not null,
    primary key (quote_id, line, coverage),
    constraint bound_quote_lines_values check (line >= 1 and period_end >= period_start and gross_premium >= 0)
  )`);
  await knex.raw(`create function sync_bound_quote_lines() returns trigger language plpgsql as $$
    declare
      n integer;
    begin
      if tg_op = 'UPDATE' then
        delete from bound_quote_lines where quote_id = old.id;
      end if;
      if new.status = 'bound' then
        insert into bound_quote_lines (${COLUMNS}) ${LINES_OF('new')};
        get diagnostics n = row_count;
        -- every premium line must name a fleet line of a known scenario class: never drop one silently
        if n <> coalesce(jsonb_array_length(new.result #> '{premium,lines}'), 0) then
          raise exception 'bound quote %: % of % premium lines match a fleet line of a known scenario class',
            new.ref, n, coalesce(jsonb_array_length(new.result #> '{premium,lines}'), 0);
        end if;
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger quotes_bound_lines_insert after insert on quotes
    for each row when (new.status = 'bound') execute function sync_bound_quote_lines()`);
  await knex.raw(`create trigger quotes_bound_lines_update after update of status, request, result, organization_id on quotes
    for each row when (old.status = 'bound' or new.status = 'bound') execute function sync_bound_quote_lines()`);
  await knex.raw(`insert into bound_quote_lines (${COLUMNS})
    select l.* from quotes q cross join lateral (${LINES_OF('q')}) l where q.status = 'bound'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists quotes_bound_lines_update on quotes');
  await knex.raw('drop trigger if exists quotes_bound_lines_insert on quotes');
  await knex.raw('drop function if exists sync_bound_quote_lines()');
  await knex.schema.dropTable('bound_quote_lines');
}
