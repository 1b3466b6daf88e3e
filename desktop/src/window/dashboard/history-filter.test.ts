import type { SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterChoices, filterHistory, historyRange, isFiltered } from './history-filter.js';

const request = (id: string, fields: Partial<SignoffRequest>): SignoffRequest =>
  ({ id, kind: 'approval', title: id, severity: 'medium', status: 'resolved', createdAt: 0, expiresAt: 1, onTimeout: 'expire', ...fields }) as SignoffRequest;

const HISTORY = [
  request('1', { title: 'Deploy build #104 to staging', agentId: 'deploy-bot' }),
  request('2', { title: 'Which format for the Q3 report?', kind: 'clarification', agentId: 'report-bot' }),
  request('3', { title: 'Rotate the API keys', agentId: 'key-bot', status: 'expired' }),
  request('4', { title: 'Ｆｕｌｌ-width DEPLOY note', kind: 'notify' }),
];
const ids = (list: SignoffRequest[]) => list.map((r) => r.id);

describe('filterHistory', () => {
  it('keeps everything without a filter', () => {
    expect(ids(filterHistory(HISTORY, EMPTY_FILTER))).toEqual(['1', '2', '3', '4']);
  });

  it('searches titles and agent ids, any case, every word', () => {
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, text: 'deploy' }))).toEqual(['1', '4']);
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, text: 'REPORT-BOT' }))).toEqual(['2']);
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, text: '  staging   deploy-bot ' }))).toEqual(['1']);
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, text: 'staging report' }))).toEqual([]);
    // Compatibility forms fold: full-width letters match plain ones.
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, text: 'full-width' }))).toEqual(['4']);
  });

  it('filters by kind, status and agent, together with the search', () => {
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, kind: 'clarification' }))).toEqual(['2']);
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, status: 'expired' }))).toEqual(['3']);
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, agent: 'deploy-bot' }))).toEqual(['1']);
    expect(ids(filterHistory(HISTORY, { ...EMPTY_FILTER, text: 'deploy', kind: 'approval', status: 'resolved' }))).toEqual(['1']);
  });

  it('keeps what was settled within the days from and to (local time, both whole days)', () => {
    const at = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h).getTime();
    const decided = (id: string, respondedAt: number) => request(id, { createdAt: respondedAt - 1000, decision: { respondedAt } as SignoffRequest['decision'] });
    const days = [decided('a', at(2026, 1, 30, 23)), decided('b', at(2026, 1, 31)), decided('c', at(2026, 1, 31, 23)), decided('d', at(2026, 2, 1))];
    expect(ids(filterHistory(days, { ...EMPTY_FILTER, from: '2026-01-31' }))).toEqual(['b', 'c', 'd']);
    expect(ids(filterHistory(days, { ...EMPTY_FILTER, to: '2026-01-31' }))).toEqual(['a', 'b', 'c']);
    expect(ids(filterHistory(days, { ...EMPTY_FILTER, from: '2026-01-31', to: '2026-01-31' }))).toEqual(['b', 'c']);
    // A half-typed day is no bound.
    expect(ids(filterHistory(days, { ...EMPTY_FILTER, from: '2026-01' }))).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('historyRange', () => {
  it('is the export range of the filter: since the start of from, until the start of the day after to', () => {
    expect(historyRange(EMPTY_FILTER)).toEqual({});
    expect(historyRange({ from: '2026-01-31', to: '' })).toEqual({ since: new Date(2026, 0, 31).getTime() });
    expect(historyRange({ from: '', to: '2026-12-31' })).toEqual({ until: new Date(2027, 0, 1).getTime() });
    expect(historyRange({ from: 'soon', to: '31/12/2026' })).toEqual({});
  });
});

describe('filterChoices', () => {
  it('offers the kinds, statuses and agents that occur, sorted', () => {
    expect(filterChoices(HISTORY)).toEqual({
      kinds: ['approval', 'clarification', 'notify'],
      statuses: ['expired', 'resolved'],
      agents: ['deploy-bot', 'key-bot', 'report-bot'],
    });
  });
});

describe('isFiltered', () => {
  it('is false for the empty filter and blank text', () => {
    expect(isFiltered(EMPTY_FILTER)).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTER, text: '   ' })).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTER, agent: 'x' })).toBe(true);
    expect(isFiltered({ ...EMPTY_FILTER, from: '2026-01-01' })).toBe(true);
  });
});
