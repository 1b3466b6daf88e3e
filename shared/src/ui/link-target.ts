import { asReadByPerson } from '../protocol/hidden-characters.js';

/**
 * What a link in agent markdown must say about where it goes. A person judges a
 * link by its words; `[paypal.com](https://evil.example/login)` says one place and
 * opens another. So every link shows its real host beside it (`(evil.example)`,
 * IDNs in punycode, so a look-alike `pаypal.com` shows as `xn--…`), and a link any
 * of whose words looks like a URL, domain or address other than its target shows
 * the whole target instead (`⟶ https://evil.example/login`).
 */
export type LinkDisclosure =
  /** The words do not claim another place: show the host. */
  | { kind: 'host'; host: string }
  /** The words name a different place: show where it really goes. */
  | { kind: 'target'; target: string };

/** Longest path, query and fragment shown after the host before it is cut with `…`. */
const MAX_SHOWN_REST = 60;
const SCHEME_URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}\.?(?::\d{1,5})?(?:[/?#]\S*)?$/u;
const EMAIL = /^(?:mailto:)?[^\s@/]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}$/iu;

/** How a link to `href` (already judged safe) with the words `text` is disclosed. */
export function discloseLink(href: string, text: string): LinkDisclosure {
  let target: URL;
  try {
    target = new URL(href);
  } catch {
    return { kind: 'target', target: href };
  }
  const host = target.protocol === 'mailto:' ? decodeSafely(target.pathname) : target.hostname;
  // Any word that names a place counts: "Log in at paypal.com" claims paypal.com too.
  const claims = asReadByPerson(text)
    .split(' ')
    .map((word) => claimedPlace(word.replace(/^[("'<[]+|[)"'>\].,;:!?]+$/g, '')));
  if (claims.every((claimed) => claimed === null || samePlace(claimed, target))) return { kind: 'host', host };
  return { kind: 'target', target: shownTarget(target) };
}

/** The place one word claims, when it reads as a URL, a domain or an address; else `null`. */
function claimedPlace(words: string): URL | null {
  if (words === '') return null;
  try {
    if (EMAIL.test(words)) return new URL(words.startsWith('mailto:') ? words : `mailto:${words}`);
    if (SCHEME_URL.test(words)) return new URL(words);
    if (DOMAIN.test(words)) return new URL(`https://${words}`);
  } catch {
    return null;
  }
  return null;
}

/**
 * Whether the words and the target name the same place: same host (a leading
 * `www.` and the scheme's http/https difference aside) and, when the words give a
 * path, query or fragment, the same ones too. Userinfo in the target
 * (`https://paypal.com@evil.example`) never matters: the host decides.
 */
function samePlace(claimed: URL, target: URL): boolean {
  if (claimed.protocol === 'mailto:' || target.protocol === 'mailto:') {
    return claimed.protocol === target.protocol && decodeSafely(claimed.pathname).toLowerCase() === decodeSafely(target.pathname).toLowerCase();
  }
  const bare = (host: string) => host.replace(/^www\./, '').replace(/\.$/, '');
  if (bare(claimed.hostname) !== bare(target.hostname) || claimed.port !== target.port) return false;
  const rest = (url: URL) => `${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}${url.search}${url.hash}`;
  const claimedRest = rest(claimed);
  return claimedRest === '' || claimedRest === rest(target);
}

/** The target as shown: scheme, host (no userinfo), then the rest cut to a readable length. */
function shownTarget(url: URL): string {
  if (url.protocol === 'mailto:') return `mailto:${decodeSafely(url.pathname)}`;
  const rest = `${url.pathname}${url.search}${url.hash}`;
  const cut = rest.length > MAX_SHOWN_REST ? `${rest.slice(0, MAX_SHOWN_REST)}…` : rest;
  return `${url.protocol}//${url.host}${cut}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
