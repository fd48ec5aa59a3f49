/**
 * The fleet quote builder: lines (robot model × scenario class) and coverages from the catalog.
 * The API validates; each message of its problem details (`errors[].field`, e.g.
 * `fleet.0.units`) is shown under the control it names, the rest above the form.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, ok, type Schemas } from '../../api/client';
import { Async, ErrorBox, useAsync } from '../../components/async';
import { Field } from '../../components/field';
import { go } from '../../router';
import { money0 } from '../../format';
import type { PageProps } from '../index';

type QuoteRequest = Schemas['QuoteRequest'];
type Coverage = Schemas['CoverageRequest']['coverage'];
const AUTONOMY = ['teleoperated', 'supervised', 'autonomous'] as const;
const SAFETY: { key: 'teleoperation_fallback' | 'force_speed_limiting' | 'safety_officer_on_site'; label: string }[] = [
  { key: 'teleoperation_fallback', label: 'Teleoperation fallback' },
  { key: 'force_speed_limiting', label: 'Force / speed limiting' },
  { key: 'safety_officer_on_site', label: 'Safety officer on site' },
];

interface Line {
  robot_model: string; scenario_class: string; units: string; autonomy_level: (typeof AUTONOMY)[number]; hours: string;
  teleoperation_fallback: boolean; force_speed_limiting: boolean; safety_officer_on_site: boolean; training: string;
}
interface Cover { on: boolean; deductible: string; limit: string; aggregate: string }

const pad = (n: number) => String(n).padStart(2, '0');
function nextPolicyYear(): { start: string; end: string } {
  const now = new Date();
  const s = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const e = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth() + 1, 1) - 86_400_000);
  const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return { start: iso(s), end: iso(e) };
}
const newLine = (): Line => ({ robot_model: '', scenario_class: '', units: '10', autonomy_level: 'supervised', hours: '4000', teleoperation_fallback: false, force_speed_limiting: false, safety_officer_on_site: false, training: '' });
const DEFAULT_COVER: Record<Coverage, Cover> = {
  robot_damage: { on: true, deductible: '5000', limit: '300000', aggregate: '' },
  third_party_liability: { on: true, deductible: '2000', limit: '2000000', aggregate: '' },
  business_interruption: { on: false, deductible: '0', limit: '100000', aggregate: '' },
};
/** A number typed by the user, or the text itself (the API names it if it is not a number). */
const numberOr = (s: string): number => (s.trim() === '' ? NaN : Number(s));

export function QuoteBuilder({ me }: PageProps) {
  const catalog = useAsync(async () => {
    const [models, classes, coverages, orgs] = await Promise.all([
      ok(api.GET('/v1/robot-models')), ok(api.GET('/v1/scenario-classes')), ok(api.GET('/v1/coverages')),
      me.role === 'underwriter' ? ok(api.GET('/v1/organizations', { params: { query: { kind: 'enterprise', limit: 1000 } } })) : Promise.resolve(null),
    ]);
    return { models: models.data, classes: classes.data, coverages: coverages.data, orgs: orgs?.data ?? null };
  }, [me.role]);
  return (
    <section>
      <h1>{me.role === 'underwriter' ? 'Quote for a client' : 'Request a quote'}</h1>
      <p class="muted">Describe the fleet (one line per robot model and scenario class) and choose the cover. The price comes from the active rating plan; some requests are referred to an underwriter.</p>
      <Async state={catalog} what="the catalog">{(c) => <Form me={me} catalog={c} />}</Async>
    </section>
  );
}

interface Catalog { models: Schemas['RobotModel'][]; classes: Schemas['ScenarioClass'][]; coverages: Schemas['Coverage'][]; orgs: Schemas['Organization'][] | null }

function Form({ me, catalog }: { me: PageProps['me']; catalog: Catalog }) {
  const period0 = nextPolicyYear();
  const [org, setOrg] = useState('');
  const [basis, setBasis] = useState<QuoteRequest['basis']>('annual');
  const [start, setStart] = useState(period0.start);
  const [end, setEnd] = useState(period0.end);
  const [lines, setLines] = useState<Line[]>([{ ...newLine(), robot_model: catalog.models[0]?.code ?? '', scenario_class: catalog.classes.find((c) => c.code === 'manufacturing.assembly')?.code ?? catalog.classes[0]?.code ?? '' }]);
  const [covers, setCovers] = useState<Record<Coverage, Cover>>(DEFAULT_COVER);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  const setLine = (i: number, patch: Partial<Line>) => setLines(lines.map((l, j) => (i === j ? { ...l, ...patch } : l)));
  const setCover = (code: Coverage, patch: Partial<Cover>) => setCovers({ ...covers, [code]: { ...covers[code], ...patch } });
  const chosen = catalog.coverages.map((c) => c.code as Coverage).filter((c) => covers[c].on);

  const request = (): QuoteRequest => ({
    ...(me.role === 'underwriter' ? { organization_ref: org } : {}),
    basis,
    period: { start, end },
    fleet: lines.map((l) => ({
      robot_model: l.robot_model, scenario_class: l.scenario_class, units: numberOr(l.units), autonomy_level: l.autonomy_level,
      operating_hours_per_unit: numberOr(l.hours),
      safety: { teleoperation_fallback: l.teleoperation_fallback, force_speed_limiting: l.force_speed_limiting, safety_officer_on_site: l.safety_officer_on_site, ...(l.training.trim() ? { operator_training_hours: numberOr(l.training) } : {}) },
    })),
    coverages: chosen.map((code) => ({
      coverage: code, deductible: numberOr(covers[code].deductible), per_occurrence_limit: numberOr(covers[code].limit),
      ...(covers[code].aggregate.trim() ? { aggregate_limit: numberOr(covers[code].aggregate) } : {}),
    })),
  });

  // the API's field names → this form's controls (coverages are indexed among the chosen ones)
  const fieldError = (field: string) => (error instanceof ApiError ? error.fieldMessage(field) : undefined);
  const coverError = (code: Coverage, f: string) => fieldError(`coverages.${chosen.indexOf(code)}.${f}`);
  const shown = new Set<string>([
    'organization_ref', 'basis', 'period.start', 'period.end', 'coverages', 'fleet',
    ...lines.flatMap((_, i) => ['robot_model', 'scenario_class', 'units', 'autonomy_level', 'operating_hours_per_unit', 'safety.operator_training_hours'].map((f) => `fleet.${i}.${f}`)),
    ...chosen.flatMap((_, i) => ['deductible', 'per_occurrence_limit', 'aggregate_limit'].map((f) => `coverages.${i}.${f}`)),
  ]);
  const unplaced = error instanceof ApiError ? (error.problem.errors ?? []).filter((e) => !shown.has(e.field.replace(/^body\./, ''))) : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const q = await ok(api.POST('/v1/quotes', { body: request() }));
      go('quotes', q.ref);
    } catch (err) {
      setError(err as Error);
      requestAnimationFrame(() => (document.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate class="card">
      {error ? (
        <ErrorBox error={error instanceof ApiError && unplaced.length === 0 && error.problem.errors?.length
          ? new Error(`${error.problem.errors.length} field${error.problem.errors.length === 1 ? '' : 's'} to correct: see the messages under them.`)
          : error} title={error instanceof ApiError ? error.problem.title : 'The quote could not be requested'} />
      ) : null}
      <fieldset>
        <legend>Policy</legend>
        <div class="line-grid">
          {me.role === 'underwriter' && catalog.orgs ? (
            <Field id="q-org" label="Client organization" error={fieldError('organization_ref')}>
              {(a) => (
                <select {...a} value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
                  <option value="">Choose…</option>
                  {catalog.orgs!.map((o) => <option key={o.ref} value={o.ref} lang="zh-Hans">{o.name} ({o.ref})</option>)}
                </select>
              )}
            </Field>
          ) : null}
          <Field id="q-basis" label="Premium basis" error={fieldError('basis')}>
            {(a) => (
              <select {...a} value={basis} onChange={(e) => setBasis(e.currentTarget.value as QuoteRequest['basis'])}>
                <option value="annual">Annual premium</option>
                <option value="pay_per_use">Pay per use (rate per operating hour)</option>
              </select>
            )}
          </Field>
          <Field id="q-start" label="Cover starts" error={fieldError('period.start')}>
            {(a) => <input {...a} type="date" value={start} onInput={(e) => setStart(e.currentTarget.value)} />}
          </Field>
          <Field id="q-end" label="Cover ends (inclusive)" error={fieldError('period.end')}>
            {(a) => <input {...a} type="date" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />}
          </Field>
        </div>
      </fieldset>

      {lines.map((l, i) => (
        <fieldset key={i}>
          <legend>Fleet line {i + 1}</legend>
          <div class="line-grid">
            <Field id={`l${i}-model`} label="Robot model" error={fieldError(`fleet.${i}.robot_model`)}>
              {(a) => (
                <select {...a} value={l.robot_model} onChange={(e) => setLine(i, { robot_model: e.currentTarget.value })}>
                  {catalog.models.map((m) => <option key={m.code} value={m.code}>{m.name} ({m.code})</option>)}
                </select>
              )}
            </Field>
            <Field id={`l${i}-class`} label="Scenario class" error={fieldError(`fleet.${i}.scenario_class`)}>
              {(a) => (
                <select {...a} value={l.scenario_class} onChange={(e) => setLine(i, { scenario_class: e.currentTarget.value })}>
                  {catalog.classes.map((c) => <option key={c.code} value={c.code}>{c.name} ({c.area.replace(/_/g, ' ')})</option>)}
                </select>
              )}
            </Field>
            <Field id={`l${i}-units`} label="Robots" error={fieldError(`fleet.${i}.units`)}>
              {(a) => <input {...a} type="number" inputMode="numeric" min="1" step="1" value={l.units} onInput={(e) => setLine(i, { units: e.currentTarget.value })} />}
            </Field>
            <Field id={`l${i}-autonomy`} label="Autonomy" error={fieldError(`fleet.${i}.autonomy_level`)}>
              {(a) => (
                <select {...a} value={l.autonomy_level} onChange={(e) => setLine(i, { autonomy_level: e.currentTarget.value as Line['autonomy_level'] })}>
                  {AUTONOMY.map((x) => <option key={x} value={x}>{x}</option>)}
                </select>
              )}
            </Field>
            <Field id={`l${i}-hours`} label="Operating hours per robot" hint="over the whole period" error={fieldError(`fleet.${i}.operating_hours_per_unit`)}>
              {(a) => <input {...a} type="number" inputMode="decimal" min="1" value={l.hours} onInput={(e) => setLine(i, { hours: e.currentTarget.value })} />}
            </Field>
            <Field id={`l${i}-training`} label="Training hours per operator" error={fieldError(`fleet.${i}.safety.operator_training_hours`)}>
              {(a) => <input {...a} type="number" inputMode="decimal" min="0" value={l.training} onInput={(e) => setLine(i, { training: e.currentTarget.value })} />}
            </Field>
          </div>
          <div class="row">
            {SAFETY.map((s) => (
              <label key={s.key} class="check"><input type="checkbox" checked={l[s.key]} onChange={(e) => setLine(i, { [s.key]: e.currentTarget.checked })} />{s.label}</label>
            ))}
            {lines.length > 1 ? <button type="button" class="secondary" onClick={() => setLines(lines.filter((_, j) => j !== i))}>Remove line {i + 1}</button> : null}
          </div>
        </fieldset>
      ))}
      <p><button type="button" class="secondary" onClick={() => setLines([...lines, { ...newLine(), robot_model: lines[0]?.robot_model ?? '', scenario_class: lines[0]?.scenario_class ?? '' }])}>Add a fleet line</button></p>
      {fieldError('fleet') ? <p class="field-error">{fieldError('fleet')}</p> : null}

      <fieldset>
        <legend>Coverages (amounts in CNY)</legend>
        {catalog.coverages.map((c) => {
          const code = c.code as Coverage;
          const v = covers[code];
          return (
            <div key={code} class="cover">
              <label class="check"><input type="checkbox" checked={v.on} onChange={(e) => setCover(code, { on: e.currentTarget.checked })} /><strong>{c.name}</strong></label>
              <p class="small muted">{c.description}</p>
              {v.on ? (
                <div class="line-grid">
                  <Field id={`c-${code}-ded`} label="Deductible per occurrence" hint={money0(numberOr(v.deductible))} error={coverError(code, 'deductible')}>
                    {(a) => <input {...a} type="number" inputMode="decimal" min="0" value={v.deductible} onInput={(e) => setCover(code, { deductible: e.currentTarget.value })} />}
                  </Field>
                  <Field id={`c-${code}-lim`} label="Limit per occurrence" hint={money0(numberOr(v.limit))} error={coverError(code, 'per_occurrence_limit')}>
                    {(a) => <input {...a} type="number" inputMode="decimal" min="1" value={v.limit} onInput={(e) => setCover(code, { limit: e.currentTarget.value })} />}
                  </Field>
                  <Field id={`c-${code}-agg`} label="Aggregate limit (optional)" error={coverError(code, 'aggregate_limit')}>
                    {(a) => <input {...a} type="number" inputMode="decimal" min="1" value={v.aggregate} onInput={(e) => setCover(code, { aggregate: e.currentTarget.value })} />}
                  </Field>
                </div>
              ) : null}
            </div>
          );
        })}
        {fieldError('coverages') ? <p class="field-error">{fieldError('coverages')}</p> : null}
      </fieldset>
      <button type="submit" disabled={busy}>{busy ? 'Pricing…' : 'Get the quote'}</button>
    </form>
  );
}
