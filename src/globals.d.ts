/** The package version, replaced at build time (rollup) and test time (vitest `define`). */
declare const __VERSION__: string;
