/** Which pages each role has (the API decides what a key may do; this only arranges the pages). */
import type { FunctionComponent } from 'preact';
import type { Me } from '../session';
import { Dashboard } from './regulator/dashboard';
import { QuoteBuilder } from './quotes/builder';
import { QuoteList } from './quotes/list';
import { QuotePage } from './quotes/quote';
import { ReferralQueue } from './quotes/referrals';
import { Models } from './actuary/models';
import { Rulesets } from './actuary/rulesets';
import { Imports } from './actuary/imports';
import { Impact } from './actuary/impact';
import { PolicyList } from './policies/list';
import { PolicyPage } from './policies/policy';
import { StatementsPage } from './policies/statements';

export interface PageProps { me: Me; route: string[] }
interface NavItem { path: string; label: string; page: FunctionComponent<PageProps> }

const ROLE_PAGES: Record<Me['role'], NavItem[]> = {
  enterprise: [
    { path: 'new-quote', label: 'New quote', page: QuoteBuilder },
    { path: 'quotes', label: 'Our quotes', page: QuotePages },
    { path: 'policies', label: 'Our policies', page: PolicyPages },
  ],
  underwriter: [
    { path: 'referrals', label: 'Referral queue', page: ReferralQueue },
    { path: 'quotes', label: 'All quotes', page: QuotePages },
    { path: 'policies', label: 'Policies', page: PolicyPages },
    { path: 'new-quote', label: 'Quote for a client', page: QuoteBuilder },
  ],
  actuary: [
    { path: 'models', label: 'Models', page: Models },
    { path: 'rulesets', label: 'Rules & rating plans', page: Rulesets },
    { path: 'impact', label: 'Re-rating impact', page: Impact },
    { path: 'imports', label: 'Imports', page: Imports },
    { path: 'policies', label: 'Policies', page: PolicyPages },
    { path: 'statistics', label: 'Statistics', page: Dashboard },
  ],
  regulator: [{ path: 'dashboard', label: 'Risk dashboard', page: Dashboard }],
  admin: [],
};

/** `#/quotes` lists, `#/quotes/<ref>` shows one. */
function QuotePages(props: PageProps) {
  return props.route[1] ? <QuotePage {...props} /> : <QuoteList {...props} />;
}

/** `#/policies` lists, `#/policies/<no>` shows one, `#/policies/<no>/statements` its pay-per-use statements. */
function PolicyPages(props: PageProps) {
  if (!props.route[1]) return <PolicyList {...props} />;
  return props.route[2] === 'statements' ? <StatementsPage {...props} /> : <PolicyPage {...props} />;
}

export const NAV: Record<Me['role'], { path: string; label: string }[]> = ROLE_PAGES;
export const pageFor = (role: Me['role'], path: string) => ROLE_PAGES[role].find((p) => p.path === path)?.page;
