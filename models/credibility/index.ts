/** Credibility: Bühlmann–Straub and limited-fluctuation credibility (DESIGN.md §5 "Credibility"). */
export * from './buhlmann-straub.ts';
export * from './limited-fluctuation.ts';
