/**
 * Which addresses a media URL may reach (OWASP API7:2023, server-side request forgery): any public
 * address, and nothing else unless LIVENESS_URL_ALLOWLIST names the host or the address's network.
 * The special-purpose ranges are those of the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (RFC 6890) that are not globally reachable, plus multicast.
 */
import { BlockList, isIP } from 'node:net';
import type { AllowlistEntry } from './config.js';

interface NamedRange {
  readonly network: string;
  readonly prefixLength: number;
  readonly name: string;
}

const IPV4_RANGES: readonly NamedRange[] = [
  { network: '0.0.0.0', prefixLength: 8, name: 'unspecified ("this network")' },
  { network: '10.0.0.0', prefixLength: 8, name: 'private' },
  { network: '100.64.0.0', prefixLength: 10, name: 'shared (CGNAT)' },
  { network: '127.0.0.0', prefixLength: 8, name: 'loopback' },
  { network: '169.254.0.0', prefixLength: 16, name: 'link-local (cloud metadata lives here)' },
  { network: '172.16.0.0', prefixLength: 12, name: 'private' },
  { network: '192.0.0.0', prefixLength: 24, name: 'reserved (IETF protocol assignments)' },
  { network: '192.0.2.0', prefixLength: 24, name: 'reserved (documentation)' },
  { network: '192.88.99.0', prefixLength: 24, name: 'reserved (6to4 relay)' },
  { network: '192.168.0.0', prefixLength: 16, name: 'private' },
  { network: '198.18.0.0', prefixLength: 15, name: 'reserved (benchmarking)' },
  { network: '198.51.100.0', prefixLength: 24, name: 'reserved (documentation)' },
  { network: '203.0.113.0', prefixLength: 24, name: 'reserved (documentation)' },
  { network: '224.0.0.0', prefixLength: 4, name: 'multicast' },
  // 240/4 is reserved for future use; it holds the limited broadcast address 255.255.255.255.
  { network: '240.0.0.0', prefixLength: 4, name: 'reserved or broadcast' },
];

const IPV6_RANGES: readonly NamedRange[] = [
  // ::/96 holds :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible addresses.
  { network: '::', prefixLength: 96, name: 'unspecified, loopback or IPv4-compatible' },
  { network: '64:ff9b::', prefixLength: 96, name: 'NAT64 (reaches IPv4 behind a translator)' },
  { network: '64:ff9b:1::', prefixLength: 48, name: 'NAT64 (local use)' },
  { network: '100::', prefixLength: 64, name: 'reserved (discard)' },
  { network: '2001::', prefixLength: 23, name: 'reserved (IETF protocol assignments, Teredo)' },
  { network: '2001:db8::', prefixLength: 32, name: 'reserved (documentation)' },
  { network: '2002::', prefixLength: 16, name: '6to4 (reaches IPv4 through a relay)' },
  { network: 'fc00::', prefixLength: 7, name: 'unique local (private)' },
  { network: 'fe80::', prefixLength: 10, name: 'link-local' },
  { network: 'fec0::', prefixLength: 10, name: 'site-local (deprecated)' },
  { network: 'ff00::', prefixLength: 8, name: 'multicast' },
];

export interface AddressPolicy {
  /** Why `address` may not be reached from a URL naming `hostname`, or null when it may. */
  refusal(hostname: string, address: string): string | null;
}

/**
 * @example
 * const policy = createAddressPolicy(readServerConfig().urlAllowlist);
 * policy.refusal('metadata.internal', '169.254.169.254'); // 'link-local (cloud metadata lives here)'
 */
export function createAddressPolicy(allowlist: readonly AllowlistEntry[]): AddressPolicy {
  const allowedHosts = new Set(allowlist.flatMap((entry) => (entry.kind === 'host' ? [entry.host] : [])));
  const allowedNetworks = new BlockList();
  for (const entry of allowlist) {
    if (entry.kind === 'cidr') allowedNetworks.addSubnet(entry.address, entry.prefixLength, entry.family);
  }
  const ranges = [...IPV4_RANGES.map((range) => toBlockList(range, 'ipv4')), ...IPV6_RANGES.map((range) => toBlockList(range, 'ipv6'))];

  return {
    refusal(hostname, address) {
      const canonical = canonicalAddress(address);
      if (canonical === null) return 'not an IP address';
      const family = isIP(canonical) === 4 ? 'ipv4' : 'ipv6';
      if (allowedHosts.has(canonicalHost(hostname)) || allowedNetworks.check(canonical, family)) return null;
      return ranges.find(({ list, rangeFamily }) => rangeFamily === family && list.check(canonical, family))?.name ?? null;
    },
  };
}

/**
 * The address in one canonical spelling; an IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291
 * §2.5.5.2) becomes the IPv4 address it reaches, so it meets the IPv4 rules.
 */
export function canonicalAddress(address: string): string | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return null;
  // WHATWG URL serialises IPv6 hosts compressed, lower case, with any dotted tail in hex.
  const compressed = new URL(`http://[${bare.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (!mapped) return compressed;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Host names compare in lower case without the root's trailing dot (RFC 1034 §3.1). */
export function canonicalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function toBlockList(range: NamedRange, rangeFamily: 'ipv4' | 'ipv6') {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefixLength, rangeFamily);
  return { list, rangeFamily, name: range.name };
}
