import type Database from 'better-sqlite3';
import type { FeedbackInputSchema, FeedbackQuerySchema, FeedbackRecord } from '@signoff/shared';
import type { z } from 'zod';
import type { FeedbackMachine, FeedbackRecords } from './request-store.js';

/** {@link FeedbackRecords} on better-sqlite3. */
export class SqliteFeedback implements FeedbackRecords {
  private readonly stmt;

  constructor(
    private readonly db: Database.Database,
    /** Called after each commit here (the background checkpointer's cue). */
    private readonly noteWrite: () => void,
  ) {
    this.stmt = {
      add: db.prepare(`INSERT INTO feedback
        (agent_id, type, aspect, content, importance, request_id, recorded_by, created_at, machine)
        VALUES (@agentId, @type, @aspect, @content, @importance, @requestId, @recordedBy, @createdAt, @machine)`),
      count: db.prepare(`SELECT count(*) AS n FROM feedback WHERE ifnull(machine, '') = ? AND agent_id = ?`),
    };
  }

  add(input: z.output<typeof FeedbackInputSchema>, recordedBy: string, machine: FeedbackMachine, now: number): FeedbackRecord {
    const row = { ...input, requestId: input.requestId ?? null, recordedBy, createdAt: now, machine };
    const id = Number(this.stmt.add.run(row).lastInsertRowid);
    this.noteWrite();
    return { ...input, id, recordedBy, createdAt: now };
  }

  count(agentId: string, machine: FeedbackMachine): number {
    return (this.stmt.count.get(machine ?? '', agentId) as { n: number }).n;
  }

  list(query: z.output<typeof FeedbackQuerySchema>, machine?: FeedbackMachine): FeedbackRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    // '' for this machine: a machine name is never empty (MachineNameSchema).
    if (machine !== undefined) (where.push(`ifnull(machine, '') = ?`), params.push(machine ?? ''));
    if (query.agentId) (where.push('agent_id = ?'), params.push(query.agentId));
    if (query.type) (where.push('type = ?'), params.push(query.type));
    const rows = this.db
      .prepare(
        `SELECT id, agent_id AS agentId, type, aspect, content, importance, request_id AS requestId,
                recorded_by AS recordedBy, created_at AS createdAt
         FROM feedback ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, query.limit) as (FeedbackRecord & { requestId: string | null })[];
    return rows.map(({ requestId, ...rest }) => (requestId === null ? rest : { ...rest, requestId }));
  }
}
