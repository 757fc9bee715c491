/** `url.ignore`: the domains whose URLs the live scorer neither scores nor reports (with their subdomains). */
import { asciiDomain, hostOf } from './data.js';
import { stripScheme } from './features.js';

/** A matcher for `ignore` entries: lower case, without `*.`, a leading dot, trailing dots or `www.`, as given and in punycode, as logs write them (`bücher.de` is `xn--bcher-kva.de`); hosts are compared without `www.` and trailing dots too. */
export function ignoredHosts(domains: readonly string[]): (url: string) => boolean {
  const set = new Set(domains.flatMap((d) => ((u) => [u, asciiDomain(u)])(d.toLowerCase().replace(/^\*?\./, '').replace(/\.+$/, '').replace(/^www\./, ''))).filter((d) => d !== ''));
  if (set.size === 0) return () => false;
  return (url) => {
    let h = hostOf(stripScheme(url));
    for (;;) {
      if (set.has(h)) return true;
      const dot = h.indexOf('.');
      if (dot < 0) return false;
      h = h.slice(dot + 1);
    }
  };
}
