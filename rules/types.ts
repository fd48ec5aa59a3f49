/**
 * Types of an underwriting ruleset (docs/actuarial-method.md §7): JSON in the json-rules-engine
 * rule format, restricted to the facts of rules/facts.ts, the operators of rules/operators.ts and
 * five event types. `validateRuleset` (rules/validate.ts) turns untrusted JSON into a {@link
 * Ruleset}.
 */
import type { CoverageCode, SubjectivityDeadline } from '../domain/enums.ts';

/** Event types a rule may emit. */
export const EVENT_TYPES = ['decline', 'refer', 'load', 'discount', 'require'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Bounds of the multiplicative factors (inclusive / exclusive as stated). */
export const LOAD_FACTOR_MIN_EXCLUSIVE = 1;
export const LOAD_FACTOR_MAX = 5;
export const DISCOUNT_FACTOR_MIN = 0.5;
export const DISCOUNT_FACTOR_MAX_EXCLUSIVE = 1;

/** A comparison of one fact with a value (or with another fact: `value: { fact }`). */
export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
  name?: string;
}
export interface AllCondition {
  all: Condition[];
  name?: string;
}
export interface AnyCondition {
  any: Condition[];
  name?: string;
}
export interface NotCondition {
  not: Condition;
  name?: string;
}
/** A reference to a condition of `Ruleset.shared_conditions` (json-rules-engine `setCondition`). */
export interface ConditionReference {
  condition: string;
  name?: string;
}
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition | ConditionReference;
export type Condition = LeafCondition | TopLevelCondition;

export interface DeclineEvent {
  type: 'decline';
  params: { reason: string };
}
export interface ReferEvent {
  type: 'refer';
  params: { reason: string };
}
/** Multiplies the premium of `coverage` (all coverages when omitted) by `factor` in (1, 5]. */
export interface LoadEvent {
  type: 'load';
  params: { reason: string; factor: number; coverage?: CoverageCode };
}
/** Multiplies the premium of `coverage` (all coverages when omitted) by `factor` in [0.5, 1). */
export interface DiscountEvent {
  type: 'discount';
  params: { reason: string; factor: number; coverage?: CoverageCode };
}
/** A subjectivity printed on the quote; due before binding unless `required_before` says otherwise (docs/policy-lifecycle.md §3). */
export interface RequireEvent {
  type: 'require';
  params: { reason: string; text: string; required_before?: SubjectivityDeadline };
}
export type RuleEvent = DeclineEvent | ReferEvent | LoadEvent | DiscountEvent | RequireEvent;
export type EventParams = RuleEvent['params'];

export interface RuleDefinition {
  /** Stable identifier, unique in the ruleset (letters, digits, `_`, `.`, `-`). */
  name: string;
  description?: string;
  /** json-rules-engine priority (integer >= 1; higher runs first). Default 1. */
  priority?: number;
  conditions: TopLevelCondition;
  event: RuleEvent;
}

export interface Ruleset {
  name: string;
  version?: string | number;
  description?: string;
  /** ISO date `YYYY-MM-DD` from which the ruleset applies (informative; selection is done by the caller). */
  effective_from?: string;
  /** Named conditions usable in rules as `{ "condition": "<name>" }`. */
  shared_conditions?: Record<string, TopLevelCondition>;
  rules: RuleDefinition[];
}
