/**
 * Which host names an export keeps clear: public domain names (what makes a malicious-URL dataset
 * useful) stay as written; a site's own names become keyed pseudonyms (`host-…`). A name is the
 * site's own when it has no dot (`web-01`), when its top-level domain is one that only private networks
 * use (`.local`, `.lan`, `.internal`, `.corp`, `.home`, `.arpa` …), or when it ends with one of the
 * suffixes the operator names (`--internal-domain acme.com`).
 */

/** top-level names no public registry hands out: RFC 6761/6762/8375 and the common private ones */
const PRIVATE_TLDS = new Set(['local', 'localdomain', 'localhost', 'lan', 'internal', 'intranet', 'corp', 'home', 'private', 'test', 'example', 'invalid', 'arpa', 'domain']);

export class HostNames {
  private readonly suffixes: string[];

  /** `internal`: suffixes whose names are the site's own (`acme.com` takes `acme.com` and `x.acme.com`) */
  constructor(internal: readonly string[] = []) {
    this.suffixes = internal.map((s) => s.toLowerCase().replace(/^\.+|\.+$/g, '')).filter((s) => s !== '');
  }

  /** Whether `name` (a host name, not an address) is the site's own rather than a public domain. */
  isInternal(name: string): boolean {
    const n = name.toLowerCase().replace(/\.+$/, '');
    const dot = n.lastIndexOf('.');
    if (dot < 0) return true;
    if (PRIVATE_TLDS.has(n.slice(dot + 1))) return true;
    return this.suffixes.some((s) => n === s || n.endsWith(`.${s}`));
  }

  get internalSuffixes(): readonly string[] {
    return this.suffixes;
  }
}
