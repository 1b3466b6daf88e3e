const SURFACE_WORDS: Record<string, [one: string, many: string]> = {
  extension: ['browser extension', 'browser extensions'],
  tray: ['tray app', 'tray apps'],
  window: ['browser window', 'browser windows'],
  other: ['other approver', 'other approvers'],
};

/** Connected approvers as words, this one left out: "1 browser extension, 2 tray apps". */
export function describeOthers(surfaces: Readonly<Record<string, number>>, self: string): string {
  const parts = Object.entries(surfaces)
    .map(([surface, count]) => [surface, surface === self ? count - 1 : count] as const)
    .filter(([, count]) => count > 0)
    .map(([surface, count]) => {
      const [one, many] = SURFACE_WORDS[surface] ?? SURFACE_WORDS.other!;
      return `${count} ${count === 1 ? one : many}`;
    });
  return parts.length ? parts.join(', ') : 'none';
}
