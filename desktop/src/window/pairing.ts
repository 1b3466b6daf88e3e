/** The answer to a pairing attempt: the new approver token, or a message for the person. */
export type PairingResult = { ok: true; token: string } | { ok: false; message: string };

/** Trims and upper-cases a typed code (`k7qx-m2pd ` → `K7QX-M2PD`); codes are printed in capitals. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Exchanges a one-time pairing code for an approver token: `POST /api/v1/pair`
 * at the hub (`baseUrl`, the page's own origin). The hub's refusal (wrong, expired
 * or locked code; too many tries) comes back in its own words.
 */
export async function pairWithCode(
  baseUrl: string,
  code: string,
  name: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<PairingResult> {
  const typed = normalizeCode(code);
  if (typed.length < 4) return { ok: false, message: 'Type the code that `npx signoff pair` printed (like K7QX-M2PD).' };
  let res: Response;
  try {
    res = await fetchImpl(new URL('/api/v1/pair', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: typed, name }),
    });
  } catch {
    return { ok: false, message: 'The hub is not reachable: is it still running?' };
  }
  const body = (await res.json().catch(() => null)) as { token?: unknown; error?: { message?: unknown } } | null;
  if (res.status === 201 && typeof body?.token === 'string') return { ok: true, token: body.token };
  const said = typeof body?.error?.message === 'string' ? body.error.message : `the hub answered ${res.status}`;
  return { ok: false, message: `Not paired: ${said}.` };
}
