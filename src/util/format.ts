/**
 * A byte count for people: whole megabytes when exact (limits), else one decimal plus the exact
 * count, so that 50,000,001 bytes never reads as "50.0 MB" next to a 50 MB limit.
 */
export function formatBytes(bytes: number): string {
  if (bytes % 1e6 === 0) return `${bytes / 1e6} MB`;
  return `${(bytes / 1e6).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`;
}
