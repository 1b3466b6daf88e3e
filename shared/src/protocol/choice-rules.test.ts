import { describe, expect, it } from 'vitest';
import { describesTheProposal, idNamesTheProposal, repeats } from './choice-rules.js';

describe('choice rules', () => {
  it('tells ids that name the proposal, whatever their case or separators', () => {
    for (const id of ['approve', 'APPROVE', 'as_proposed', 'as-is', 'Original Action', 'default']) expect(idNamesTheProposal(id), id).toBe(true);
    for (const id of ['archive', 'approve-archive', 'original-backup', 'email-first']) expect(idNamesTheProposal(id), id).toBe(false);
  });

  it('tells descriptions that pass for the proposal', () => {
    const proposal = { title: 'Delete the logs', actionName: 'fs.rm' };
    for (const d of ['The action as proposed', 'As proposed.', 'Approve it exactly as requested', 'delete THE logs', 'fs.rm', 'Go ahead']) {
      expect(describesTheProposal(d, proposal), d).toBe(true);
    }
    for (const d of ['Archive the logs', 'Delete only last week', 'Do it tomorrow', 'Run it on staging']) expect(describesTheProposal(d, proposal), d).toBe(false);
  });

  it('finds repeats as a person reads them, pointing at the first', () => {
    expect(repeats(['a', 'b', 'A', 'b\u200B', 'ｂ'], (x) => x)).toEqual([
      { index: 2, first: 0 },
      { index: 3, first: 1 },
      { index: 4, first: 1 },
    ]);
  });
});
