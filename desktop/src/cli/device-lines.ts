import type { DeviceInfo } from '@signoff/shared';
import { shortSpan } from './request-lines.js';

/** Controls, format characters (bidi overrides, zero-width…) and other invisible code points. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;

/**
 * A device's name as one visible line: whoever paired it chose the name, so an
 * invisible character shows as `⟨U+202E⟩` rather than reorder or hide what the
 * person reads, and runs of white space become one space.
 */
export function deviceName(name: string): string {
  return name
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(INVISIBLE, (char) => `⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`)
    .trim();
}

/**
 * One line per device for `signoff devices`, its id first (to pass to `signoff devices
 * revoke`): `ID  NAME  key|token  [ephemeral]  paired 3d ago  last seen 5m ago`, and a
 * note such as `(this terminal)` at the end.
 */
export function deviceLine(device: DeviceInfo, now: number, nameWidth = 0, note?: string): string {
  const seen = device.lastSeenAt === null ? 'never' : `${shortSpan(now - device.lastSeenAt)} ago`;
  return [
    device.id,
    deviceName(device.name).padEnd(nameWidth),
    device.credential.padEnd(5),
    ...(device.ephemeral ? ['ephemeral'] : []),
    `paired ${shortSpan(now - device.createdAt)} ago`,
    `last seen ${seen}`,
    ...(note ? [`(${note})`] : []),
  ].join('  ');
}
