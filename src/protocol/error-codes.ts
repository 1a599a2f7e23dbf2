/** Placeholder until the table is filled in. */
export const ERROR_CODES = {} as const;
