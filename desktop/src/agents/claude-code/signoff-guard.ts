import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_PORT } from '@signoff/shared/protocol/constants';

/**
 * Signoff's own files, commands and port, which a tool call must not touch
 * unnoticed. Signoff holds the power to approve: the data dir keeps the approver
 * and tray tokens, the hub's key and the database of decisions; `signoff pair`,
 * `respond` and `devices` mint, use and revoke approver power; the hub's port is
 * where approvers connect. An agent that reaches any of these could approve its own
 * requests, so the hook rates every such call critical and says why. A tripwire,
 * not a sandbox: a program running shell commands as the person can still reach
 * the files some other way (a script it wrote earlier); agents that must not, run
 * in a container that reaches the hub with only the agent token (see the README).
 */

/** Where this person's Signoff lives: data dirs as written and resolved, and the hub's ports. */
export interface SignoffPlaces {
  /** Absolute data dirs (`~/.signoff` resolved, `SIGNOFF_HOME`). */
  dataDirs: string[];
  /** The home directory, to resolve `~/` in tool paths. */
  home: string;
  ports: number[];
}

/** The places for this environment: `~/.signoff`, `SIGNOFF_HOME`, 7475, `SIGNOFF_PORT`, the port of `SIGNOFF_URL`, `--port`. */
export function signoffPlaces(env: NodeJS.ProcessEnv = process.env, home = homedir(), portFlag?: string): SignoffPlaces {
  const dataDirs = [join(home, '.signoff')];
  if (env.SIGNOFF_HOME) dataDirs.push(resolve(env.SIGNOFF_HOME));
  const ports = [DEFAULT_PORT];
  for (const raw of [env.SIGNOFF_PORT, portFlag, urlPort(env.SIGNOFF_URL)]) {
    if (raw !== undefined && /^\d{1,5}$/.test(raw) && Number(raw) > 0 && Number(raw) <= 65535) ports.push(Number(raw));
  }
  return { dataDirs: [...new Set(dataDirs)], home, ports: [...new Set(ports)] };
}

function urlPort(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  } catch {
    return undefined;
  }
}

/** Why it matters, said once in every reason: the approver's power is what is at stake. */
export const SELF_APPROVAL_RISK = 'an agent that reaches the approver side of Signoff could approve its own requests';

export const TouchReason = {
  data: `touches Signoff's own data (its data dir, tokens, key or database): ${SELF_APPROVAL_RISK}`,
  command: `runs a Signoff approver or hub command (signoff pair, respond, devices or hub): ${SELF_APPROVAL_RISK}`,
  port: `reaches or binds the Signoff hub's port directly: ${SELF_APPROVAL_RISK}`,
  stop: `stops Signoff's hub, so another program could take its port: ${SELF_APPROVAL_RISK}`,
} as const;

/** Files that hold approver power or decisions wherever they lie: tokens, the hub's key, the database and its journal. */
const SIGNOFF_FILE = /(?:^|[^\w.-])(?:[\w.-]*\.token|signoff\.db(?:-wal|-shm|-journal)?|hub\.key)(?![\w.-])/;
/** `.signoff` as a path component (`~/.signoff`, `$HOME/.signoff/`), and the variables that name the dir or approver power. */
const DATA_DIR_WORDS = /(?:^|[^\w.-])\.signoff(?![\w.-])|\bSIGNOFF_(?:HOME|PORT|APPROVER_TOKEN)\b/;
/** `signoff`, `signoff.js`, `npx signoff`, `@signoff/desktop` … followed, before the next command, by an approver or hub command. */
const APPROVER_COMMAND = /\bsignoff(?:\.[cm]?js)?\b[^;&|\n]*?\s['"]?(?:pair|respond|devices|hub)\b/;
const STOPS_HUB = /\b(?:pkill|killall)\b[^;&|\n]*signoff/;

/** Reasons a shell command touches Signoff (empty when it does not). */
export function commandTouches(command: string, places: SignoffPlaces): string[] {
  const reasons: string[] = [];
  if (DATA_DIR_WORDS.test(command) || SIGNOFF_FILE.test(command) || places.dataDirs.some((dir) => command.includes(dir))) {
    reasons.push(TouchReason.data);
  }
  if (APPROVER_COMMAND.test(command)) reasons.push(TouchReason.command);
  if (places.ports.some((port) => new RegExp(`(?<![\\w.-])${port}(?!\\w)`).test(command))) reasons.push(TouchReason.port);
  if (STOPS_HUB.test(command)) reasons.push(TouchReason.stop);
  return reasons;
}

/** Whether a file path (relative to `cwd`, `~/` for home) lies in a data dir or names a Signoff file. */
export function pathTouches(path: string, cwd: string | undefined, places: SignoffPlaces): boolean {
  const expanded = path === '~' ? places.home : path.startsWith('~/') ? join(places.home, path.slice(2)) : path;
  const absolute = cwd ? resolve(cwd, expanded) : isAbsolute(expanded) ? resolve(expanded) : expanded;
  const inDataDir = places.dataDirs.some((dir) => {
    const rel = relative(dir, absolute);
    return rel === '' || (rel !== '..' && !rel.startsWith('../') && !rel.startsWith('..\\') && !isAbsolute(rel));
  });
  return inDataDir || DATA_DIR_WORDS.test(path) || SIGNOFF_FILE.test(path.replaceAll('\\', '/'));
}

/** Whether a URL (WebFetch, an MCP tool's argument) points at one of the hub's ports on this machine. */
export function urlTouches(text: string, places: SignoffPlaces): boolean {
  return places.ports.some((port) => new RegExp(`(?:localhost|127\\.\\d+\\.\\d+\\.\\d+|\\[::1\\]|0\\.0\\.0\\.0):${port}(?!\\d)`, 'i').test(text));
}
