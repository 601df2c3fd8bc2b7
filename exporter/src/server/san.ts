import { isIPv6 } from 'node:net';

/** IPv6 SANs compare in their RFC 5952 form (what Go's net.IP.String() prints). */
export function normaliseSan(value: string): string {
  const v = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return isIPv6(v) ? new URL(`http://[${v}]/`).hostname.slice(1, -1) : value;
}
