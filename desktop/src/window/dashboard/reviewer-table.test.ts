import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { agreementText, ReviewerTable } from './reviewer-table.js';

const judge = { reviewer: 'judge', approved: 12, denied: 3, unsure: 4, failed: 1, personApproved: 3, personRejected: 2, leaned: 4, agreed: 3 };

describe('the reviewers table', () => {
  it('gives the agreement as a share and its counts, or a dash when the reviewer never leaned', () => {
    expect(agreementText({ agreed: 3, leaned: 4 })).toBe('75% (3 of 4)');
    expect(agreementText({ agreed: 0, leaned: 0 })).toBe('–');
  });

  it('lists each reviewer in a row, the judge by name, and shows nothing without reviewers', () => {
    const html = render(h(ReviewerTable, { reviewers: [judge, { ...judge, reviewer: '<lint>', leaned: 0, agreed: 0 }] }));
    expect(html).toContain('<th scope="row">Judge</th><td>12</td><td>3</td><td>4</td><td>1</td><td>3</td><td>2</td><td>75% (3 of 4)</td>');
    expect(html).toContain('<th scope="row">&lt;lint></th>');
    expect(render(h(ReviewerTable, { reviewers: [] }))).toBe('');
  });
});
