// Reading the query of the sign-in, sign-up and verification pages.
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A query value that may repeat, as the first one given. */
export function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
