/**
 * Personal data and secrets for the `pii` guardrail: US Social Security numbers, payment
 * card numbers that pass the Luhn check, and private-key blocks. What is found is
 * described masked (`***-**-6789`, "a card number … (Visa, ending 1111)", "a private
 * key block") so the reason never repeats the secret. Every expression here is linear:
 * bounded repetitions and look-arounds of at most two characters.
 */

/** `123-45-6789`, not inside a longer run of digits and dashes. */
const SSN_DASHED = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
/** `SSN 123456789`, `social security number: 123 45 6789`: without dashes only when labelled. */
const SSN_LABELLED = /\b(?:SSN|social\s+security(?:\s+(?:number|no\.?|#))?)[^\d\n]{0,20}?(?<!\d)(\d{3})[ -]?(\d{2})[ -]?(\d{4})(?![\d-])/gi;
/**
 * 13–19 digits, contiguous or split by single spaces or dashes, not inside a longer run.
 * The layout is checked afterwards (see {@link cardLayout}).
 */
const CARD = /(?<![\d-]|\d )\d(?:[ -]?\d){12,18}(?![\d]|[ -]\d)/g;
/** PEM and OpenSSH private keys of any kind (`RSA`, `EC`, `OPENSSH`, `ENCRYPTED`…), PGP secret keys. */
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?-----/;

/** Valid per the SSA's rules: area not 000, 666 or 9xx; group not 00; serial not 0000. */
function validSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

/** The Luhn (mod 10) check every issued card number passes. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

interface Brand {
  name: string;
  lengths: readonly number[];
  matches(digits: string): boolean;
}

const range = (digits: string, size: number, low: number, high: number) => {
  const n = Number(digits.slice(0, size));
  return n >= low && n <= high;
};
const span = (low: number, high: number) => Array.from({ length: high - low + 1 }, (_, i) => low + i);

/** Issuer prefixes (IIN ranges) and lengths of the major card networks. */
const BRANDS: readonly Brand[] = [
  { name: 'Visa', lengths: [13, 16, 19], matches: (d) => d.startsWith('4') },
  { name: 'Mastercard', lengths: [16], matches: (d) => range(d, 2, 51, 55) || range(d, 4, 2221, 2720) },
  { name: 'American Express', lengths: [15], matches: (d) => d.startsWith('34') || d.startsWith('37') },
  { name: 'Discover', lengths: span(16, 19), matches: (d) => d.startsWith('6011') || d.startsWith('65') || range(d, 3, 644, 649) },
  { name: 'Diners Club', lengths: span(14, 19), matches: (d) => d.startsWith('36') || range(d, 3, 300, 305) || range(d, 2, 38, 39) },
  { name: 'JCB', lengths: span(16, 19), matches: (d) => range(d, 4, 3528, 3589) },
  { name: 'UnionPay', lengths: span(16, 19), matches: (d) => d.startsWith('62') },
  { name: 'Maestro', lengths: span(13, 19), matches: (d) => /^(?:5018|5020|5038|5893|6304|6759|676[1-3])/.test(d) },
];

/**
 * Whether the groups look like a card as people write one: contiguous, or one
 * separator throughout with groups of four (the last one shorter), or American
 * Express's and Diners Club's 4-6-5 and 4-6-4.
 */
function cardLayout(raw: string): boolean {
  if (/^\d+$/.test(raw)) return true;
  const separator = /[ -]/.exec(raw)![0];
  const groups = raw.split(separator);
  if (groups.some((g) => !/^\d+$/.test(g))) return false;
  const sizes = groups.map((g) => g.length).join('-');
  if (sizes === '4-6-5' || sizes === '4-6-4') return true;
  return groups.every((g, i) => (i < groups.length - 1 ? g.length === 4 : g.length >= 1 && g.length <= 4));
}

/** The card network of `digits`, if it is a plausible, Luhn-valid card number. */
function cardBrand(digits: string): string | null {
  if (!luhn(digits)) return null;
  return BRANDS.find((brand) => brand.lengths.includes(digits.length) && brand.matches(digits))?.name ?? null;
}

/** What personal data or secret `text` holds, masked, in words; or `null`. */
export function findPii(text: string): string | null {
  for (const re of [SSN_DASHED, SSN_LABELLED]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (validSsn(m[1]!, m[2]!, m[3]!)) return `a US Social Security number (***-**-${m[3]})`;
    }
  }
  if (PRIVATE_KEY.test(text)) return 'a private key block';
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m; m = CARD.exec(text)) {
    const raw = m[0];
    if (!cardLayout(raw)) continue;
    const digits = raw.replace(/[ -]/g, '');
    const brand = cardBrand(digits);
    if (brand) return `a card number that passes the Luhn check (${brand}, ending ${digits.slice(-4)})`;
  }
  return null;
}
