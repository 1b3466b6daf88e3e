import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, CSV_HEADER, exportText } from './audit-export.js';

describe('csvCell', () => {
  it('prefixes a quote to anything a spreadsheet would read as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=cmd')).toBe("'\t=cmd");
    expect(csvCell('\r=cmd')).toBe(`"'\r=cmd"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('quotes by RFC 4180: commas, quotes and line breaks inside double quotes, quotes doubled', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('writes one CRLF-terminated row per decision, in the header order', () => {
    const line = csvLine({
      request: { id: 'r1', kind: 'approval', title: 'Deploy, now', agentId: 'claude', machine: 'build-box', runId: null, severity: 'high', createdAt: Date.UTC(2026, 0, 1) },
      decision: {
        requestId: 'r1',
        status: 'resolved',
        response: { approved: false, reason: 'no' },
        respondedBy: 'rule:deny',
        via: 'rule',
        respondedAt: Date.UTC(2026, 0, 1, 0, 0, 5),
        waitMs: 5000,
        rule: 'deny',
        receipt: { seq: 7, hash: 'h', actionDigest: 'd' },
      },
    });
    expect(CSV_HEADER).toBe(
      'requestId,kind,title,agentId,machine,runId,severity,createdAt,status,respondedBy,via,respondedAt,waitMs,reason,rule,grantId,guardrail,unguarded,response,auditSeq,auditHash,actionDigest\r\n',
    );
    expect(line).toBe(
      'r1,approval,"Deploy, now",claude,build-box,,high,2026-01-01T00:00:00.000Z,resolved,rule:deny,rule,2026-01-01T00:00:05.000Z,5000,,deny,,,,"{""approved"":false,""reason"":""no""}",7,h,d\r\n',
    );
  });
});

describe('exportText', () => {
  const record = {
    request: { id: 'r1', kind: 'notify', title: 'said\n"hi"', agentId: null, machine: null, runId: null, severity: 'low', createdAt: 0 },
    decision: { requestId: 'r1', status: 'resolved' as const, response: null, respondedBy: 'hub', via: 'hub' as const, respondedAt: 1, waitMs: 0 },
  };
  it('writes the CSV header first, then a line per decision; JSON lines have no header', () => {
    expect([...exportText([record, record], 'csv')]).toEqual([CSV_HEADER, csvLine(record), csvLine(record)]);
    expect([...exportText([record], 'jsonl')].join('')).toBe(`${JSON.stringify(record)}\n`);
    expect([...exportText([], 'jsonl')]).toEqual([]);
  });
});
