import { pairDevice, PairingError, type PairedDevice } from '@signoff/shared/approver';

/** The answer to a pairing attempt: the new device (its key in memory), or a message for the person and whether the hub answered at all. */
export type PairingResult = { ok: true; device: PairedDevice } | { ok: false; message: string; unreachable: boolean };

/** Trims and upper-cases a typed code (`k7qx-m2pd ` → `K7QX-M2PD`); codes are printed in capitals. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Pairs this page by a one-time code: a fresh non-extractable device key, registered at the
 * hub (`baseUrl`, the page's own origin). On loopback it is an *ephemeral* device that lives
 * as long as the tab (the hub forgets it a while after its last connection); at an https
 * public origin (`ephemeral: false`) a lasting one, which the page keeps in IndexedDB. The
 * hub's key is pinned from the answer. The hub's refusal (wrong, expired or locked code; too
 * many tries) comes back in its own words.
 */
export async function pairTab(
  baseUrl: string,
  code: string,
  name: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ephemeral = true,
): Promise<PairingResult> {
  const typed = normalizeCode(code);
  if (typed.length < 4) return { ok: false, message: 'Type the code that `npx signoff pair` printed (like K7QX-M2PD).', unreachable: false };
  let unreachable = false;
  const watched: typeof fetch = (input, init) =>
    fetchImpl(input, init).catch((error: unknown) => {
      unreachable = true;
      throw error;
    });
  try {
    return { ok: true, device: await pairDevice({ hubUrl: baseUrl, code: typed, name, ephemeral, fetch: watched }) };
  } catch (error) {
    if (unreachable) return { ok: false, message: 'The hub is not reachable: is it still running?', unreachable: true };
    const said = (error instanceof PairingError ? error.message : String(error)).replace(/\.$/, '');
    return { ok: false, message: `Not paired: ${said}.`, unreachable: false };
  }
}
