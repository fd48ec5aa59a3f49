/** Bühlmann–Straub and limited-fluctuation credibility (docs/actuarial-method.md §5). */
export * from './buhlmann-straub.ts';
export * from './limited-fluctuation.ts';
