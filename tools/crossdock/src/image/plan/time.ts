/** Unix seconds as an RFC 3339 UTC time without fractions, the form image configs use. */
export function epochToRfc3339(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}
