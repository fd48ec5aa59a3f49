/** The PDF quote document (docs/architecture.md §8): the stored quote and worksheet, rendered. */
import type { Db } from '../db/connection.ts';
import { getOrganizationByRef } from '../db/repositories/organizations.ts';
import { listRobotModels, listScenarioClasses } from '../db/repositories/catalog.ts';
import { renderQuotePdf } from '../reports/quote-pdf.ts';
import type { Principal } from '../domain/index.ts';
import { getQuote, getWorksheet } from './quotes.ts';
import type { DisclosureRules } from './disclosure.ts';

/**
 * Same access rules as the quote itself (an enterprise sees its own quotes only), and the same
 * worksheet view as `GET /v1/quotes/{ref}/worksheet` with the same key: the document prints from
 * it and its hash is that view's (services/worksheet-view.ts).
 */
export async function quotePdf(db: Db, p: Principal, ref: string, disclosure: DisclosureRules, creationDate?: Date): Promise<Buffer> {
  const quote = await getQuote(db, p, ref);
  const worksheet = await getWorksheet(db, p, ref, disclosure);
  const org = (await getOrganizationByRef(db, quote.organization_ref))!;
  const [robots, classes] = await Promise.all([listRobotModels(db), listScenarioClasses(db)]);
  return renderQuotePdf({
    quote,
    worksheet,
    organization: { ref: org.ref, name: org.name, province: org.province },
    robotModels: Object.fromEntries(robots.map((r) => [r.code, { name: r.name, manufacturer: r.manufacturer }])),
    scenarioClasses: Object.fromEntries(classes.map((c) => [c.code, { name: c.name, area: c.area }])),
    creationDate,
  });
}
