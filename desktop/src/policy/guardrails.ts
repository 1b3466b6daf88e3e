import { MAX_JSON_DEPTH, MAX_PAYLOAD_BYTES } from '@signoff/shared';
import { findPii } from './guardrail-pii.js';
import { findShellDangerEitherWay } from './guardrail-shell.js';
import { findDestructiveSql } from './guardrail-sql.js';
import type { RequestFacts } from './request-facts.js';
import { ShellDialect, type LexedCommand } from './shell-lexer.js';

/**
 * Guardrails: the last look at an approval before it takes effect. Whoever approved
 * (a person, a rule, a grant, a timeout's `onTimeout: approve`, a judge), the hub runs
 * {@link checkGuardrails} on what the approval would let happen; a hit turns the
 * approval into `blocked`, with the guardrail's id and reason.
 *
 * `code-safety` (destructive shell and SQL):
 * - `rm -r` (any spelling: `-rf`, `-fr`, `-r -f`, `--recursive`, through `sudo`/`env`/
 *   `xargs`/`timeout`…, `/bin/rm`) of `/`, `/*`, `~`, `$HOME`, a system directory or
 *   one level below it (`/etc`, `/usr/bin`, `/home/alice`; `/tmp` itself but not
 *   below it), or `$VAR/…` that is one of those when `$VAR` is empty; any
 *   `--no-preserve-root`; PowerShell `Remove-Item -Recurse` (and aliases) and
 *   `rd /s` of a drive root or a Windows system folder; `find <such a place> -delete`;
 * - `mkfs`, `wipefs`, `shred`… of a device, `dd of=/dev/…`, any redirection onto a
 *   device, `Format-Volume`/`Clear-Disk`, `format C:`;
 * - fork bombs (`:(){ :|:& };:`);
 * - recursive `chmod`/`chown`/`chgrp` of the places above (`chmod -R 777 /`);
 * - a download run as a script: `curl … | sh`, `wget -O- … | sudo bash`,
 *   `bash <(curl …)`, `sh -c "$(curl …)"`, `iwr … | iex`;
 * - `shutdown` (not `-c`), `reboot`, `halt`, `poweroff`, `init 0|6`,
 *   `systemctl reboot|poweroff|halt`, `Stop-Computer`, `Restart-Computer`;
 * - SQL: `DROP TABLE|DATABASE|SCHEMA`, `TRUNCATE`, `DELETE`/`UPDATE` without `WHERE`
 *   (see `guardrail-sql.ts`), in any string that is SQL, and inside the quotes and
 *   heredocs of a command line that runs an SQL client (`psql -c "…"`,
 *   `echo "…" | mysql`, `sqlite3 db "…"`); `dropdb`.
 *
 * Shell lines are read by the policy's one shell reader (`shell-lexer.ts`), both as
 * POSIX and as PowerShell; what counts as destructive in them is in
 * `guardrail-shell.ts`, which also reads the text inside quotes and here-documents again
 * as a command line, so `bash -c '…'`, `ssh host '…'` and `python -c "os.system('…')"`
 * are caught. The price, chosen knowingly: `echo "rm -rf /"` is blocked too. SQL
 * keywords in quotes are read as SQL only when the line runs an SQL client, so
 * `git commit -m "drop table users"` passes.
 *
 * `pii`: US Social Security numbers (`123-45-6789` with valid area, group and serial;
 * without dashes only after a label such as `SSN`), card numbers of a known network
 * that pass the Luhn check (contiguous or grouped as cards are written), private-key
 * blocks. See `guardrail-pii.ts`.
 *
 * Every string in the arguments is read (and the action's name, and the request's
 * text when there is no action). Bounded for hostile input: at most
 * {@link MAX_JSON_DEPTH} levels and {@link MAX_PAYLOAD_BYTES} of text and nodes, each
 * string read in linear time. Arguments beyond those bounds cannot be checked, so they
 * are a hit (of the first guardrail switched on), not a pass.
 */

export const GuardrailId = { codeSafety: 'code-safety', pii: 'pii' } as const;
export type GuardrailId = (typeof GuardrailId)[keyof typeof GuardrailId];

/** Why an approval was blocked. */
export interface GuardrailHit {
  id: GuardrailId;
  /** Plain words for the agent and the person: what was found and where; secrets masked. */
  reason: string;
}

/** Which guardrails are on (`policy.yaml` can turn each off). */
export type GuardrailSwitches = Readonly<Record<GuardrailId, boolean>>;

/** What an approval would let happen: the action's name and arguments (edited if given), plus the request's text fields when there is no action. */
export interface GuardedAction {
  name?: string;
  args?: unknown;
  text?: readonly string[];
}

/**
 * Most characters of text the guardrails read for an approval no person gave (a rule,
 * a grant, a reviewer), on the hub's event loop during a create. Their reading is
 * linear, but a hostile 256 KiB costs up to ≈ 0.3 s on a slow machine (README, "Guardrails"), and an
 * agent an allow rule matches could make every create pay it; past this a person
 * decides, and the guardrails read everything after their approval as always.
 */
export const UNATTENDED_SCAN_CHARS = 64 * 1024;

/** What an approval of `request` would let happen (`editedArgs`: the person's edit, if any). */
export function guardedActionOf(
  request: { action?: { name: string; args?: Record<string, unknown> | undefined } | undefined; title: string; body?: string | undefined },
  editedArgs?: Record<string, unknown>,
): GuardedAction {
  return {
    ...(request.action ? { name: request.action.name } : {}),
    args: editedArgs ?? request.action?.args ?? {},
    text: request.action ? [] : [request.title, request.body ?? ''],
  };
}

/**
 * Why no rule, grant or reviewer may approve `action` without a person: it holds more
 * text than {@link UNATTENDED_SCAN_CHARS}, or cannot be checked at all. `null`: it may.
 */
export function unattendedScanRefusal(action: GuardedAction): string | null {
  const collected = collectStrings(action);
  if (typeof collected === 'string') return collected;
  let chars = 0;
  for (const { text } of collected) chars += text.length;
  if (chars <= UNATTENDED_SCAN_CHARS) return null;
  return `it holds ${Math.ceil(chars / 1024)} KiB of text, more than the ${UNATTENDED_SCAN_CHARS / 1024} KiB the guardrails read for an approval without a person, so a person decides (the guardrails read all of it after their approval).`;
}

/**
 * First hit, `code-safety` before `pii`; `null` when the approval may stand. `facts`:
 * the request's facts, when its shell command has already been read (by the rules).
 */
export function checkGuardrails(action: GuardedAction, switches: GuardrailSwitches, facts?: RequestFacts): GuardrailHit | null {
  const order = [GuardrailId.codeSafety, GuardrailId.pii].filter((id) => switches[id]);
  if (order.length === 0) return null;
  const collected = collectStrings(action);
  if (typeof collected === 'string') return { id: order[0]!, reason: collected };
  for (const id of order) {
    const powershellFirst = /powershell|pwsh/i.test(action.name ?? '');
    // The request's own command, read as POSIX first: the reading the rules made.
    const reading = (text: string) => (!powershellFirst && facts?.command !== undefined && text === facts.command ? facts.reading : undefined);
    const check = id === GuardrailId.codeSafety ? (text: string) => findCodeDanger(text, powershellFirst, reading(text)) : findPii;
    for (const { text, where } of collected) {
      const found = check(text);
      if (found) return { id, reason: `${capitalize(id === GuardrailId.pii ? `contains ${found}` : found)}, in ${where()}.` };
    }
  }
  return null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// --- Collecting strings ---------------------------------------------------------------

interface Found {
  text: string;
  /** Where the string is, in words (`args.command`, `text[0]`); built only when needed. */
  where: () => string;
}

interface Node {
  value: unknown;
  depth: number;
  parent: Node | null;
  key: string | number | null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.key === null) parts.push('args');
    else if (typeof n.key === 'number') parts.push(`[${n.key}]`);
    else parts.push(IDENTIFIER.test(n.key) ? `.${n.key}` : `[${JSON.stringify(n.key.length > 40 ? `${n.key.slice(0, 40)}…` : n.key)}]`);
  }
  return parts.reverse().join('');
}

/**
 * Every string to read, or why the arguments cannot be checked. Walks with an explicit
 * stack; every node costs at least one unit of the budget, so neither depth, breadth,
 * size nor a shared or cyclic object can make it slow.
 */
function collectStrings(action: GuardedAction): Found[] | string {
  const found: Found[] = [];
  let budget = MAX_PAYLOAD_BYTES;
  const take = (text: string, where: () => string) => {
    budget -= text.length;
    found.push({ text, where });
  };
  if (typeof action.name === 'string') take(action.name, () => "the action's name");
  action.text?.forEach((text, i) => {
    if (typeof text === 'string') take(text, () => `the request's text (field ${i + 1})`);
  });

  const stack: Node[] = action.args === undefined ? [] : [{ value: action.args, depth: 1, parent: null, key: null }];
  const tooMuch = `The arguments hold more than ${MAX_PAYLOAD_BYTES / 1024} KiB, too much to check.`;
  while (stack.length > 0) {
    // Every node is charged when pushed, so the stack never outgrows the budget.
    if (budget < 0) return tooMuch;
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') take(value, () => pathOf(node));
    else if (typeof value === 'number' || typeof value === 'bigint') take(String(value), () => pathOf(node));
    else if (value !== null && typeof value === 'object') {
      if (node.depth > MAX_JSON_DEPTH) return `The arguments are nested deeper than ${MAX_JSON_DEPTH} levels, too deep to check.`;
      budget -= Array.isArray(value) ? value.length : 0;
      if (budget < 0) return tooMuch;
      const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
      if (!Array.isArray(value)) budget -= keys.length;
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (typeof key === 'string') budget -= key.length;
        stack.push({ value: (value as Record<string | number, unknown>)[key], depth: node.depth + 1, parent: node, key });
      }
    }
  }
  return budget < 0 ? tooMuch : found;
}

// --- code-safety ----------------------------------------------------------------------

/** `name(){ name|name& };name` and `function name { name | name & }`, any name. */
const FORK_BOMB = /(?<![\w:.-])([\w:.-]{1,64})\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&|\bfunction\s+([\w:.-]{1,64})\s*(?:\(\s*\)\s*)?\{\s*\2\s*\|\s*\2\s*&/;

/** Strings up to this long have their `code-safety` verdict remembered. */
const REMEMBERED_CHARS = 4096;
/** How many verdicts are remembered per reading order (the oldest is forgotten first). */
const REMEMBERED_VERDICTS = 512;
/**
 * Recent `code-safety` verdicts of short strings, POSIX-first and PowerShell-first.
 * The verdict is a pure function of the text, and an agent sends the same strings
 * again and again (`npm test`, a tool's description): on a create a rule decides, the
 * guardrails' reading was the dearest part of the policy (README, "Guardrails").
 */
const rememberedVerdicts = [new Map<string, string | null>(), new Map<string, string | null>()] as const;

/** What destructive code `text` holds, in words, or `null`; `powershellFirst` for a PowerShell tool (for the reason's wording). */
function findCodeDanger(text: string, powershellFirst: boolean, reading: LexedCommand | undefined): string | null {
  if (text.length > REMEMBERED_CHARS) return readCodeDanger(text, powershellFirst, reading);
  const remembered = rememberedVerdicts[powershellFirst ? 1 : 0];
  const known = remembered.get(text);
  if (known !== undefined) return known;
  const verdict = readCodeDanger(text, powershellFirst, reading);
  if (remembered.size >= REMEMBERED_VERDICTS) remembered.delete(remembered.keys().next().value!);
  remembered.set(text, verdict);
  return verdict;
}

function readCodeDanger(text: string, powershellFirst: boolean, reading: LexedCommand | undefined): string | null {
  const sql = findDestructiveSql(text);
  if (sql) return `runs destructive SQL (${sql})`;
  if (FORK_BOMB.test(text)) return 'starts a fork bomb';
  return findShellDangerEitherWay(text, powershellFirst ? ShellDialect.powershell : ShellDialect.posix, reading);
}
