import { z } from 'zod';
import { hasHiddenCharacters } from './hidden-characters.js';

/**
 * Machine tokens: the agent credential of another machine (a build box, a laptop) that
 * reaches the hub through its public URL. The hub keeps only a hash; the name is shown
 * to the person next to the agent of every request the machine sends ("from build-box"),
 * so it is plain, visible text: letters, digits, `.`, `-`, `_` and inner spaces.
 */
export const MACHINE_NAME_MAX = 64;

export const MachineNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MACHINE_NAME_MAX, `must be at most ${MACHINE_NAME_MAX} characters`)
  .refine((name) => !hasHiddenCharacters(name) && !/\p{C}/u.test(name), 'must not hold control, bidi or other invisible characters')
  .refine((name) => /^[\p{L}\p{N}._ -]+$/u.test(name), 'may hold only letters, digits, ".", "-", "_" and spaces')
  .refine((name) => name.trim() === name, 'must not start or end with a space');

/** `POST /api/v1/machines`. */
export const CreateMachineSchema = z.strictObject({ name: MachineNameSchema });

/** A machine token as listed (never the token or its hash). */
export interface MachineInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** When it was revoked; `null` while it works. */
  revokedAt: number | null;
}

/** What creating a machine token answers: the token, shown this once. */
export interface MachineCreated {
  machine: MachineInfo;
  token: string;
}
