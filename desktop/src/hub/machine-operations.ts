import { CreateMachineSchema, ErrorCode, SignoffError, validate, type MachineCreated, type MachineInfo } from '@signoff/shared';
import type { Identity } from './auth.js';
import type { RequestStore } from './request-store.js';

/**
 * `GET/POST /api/v1/machines` and `DELETE /api/v1/machines/:id`: machine tokens for
 * approvers only — an agent must not mint itself more credentials nor see who else
 * holds one. Revoking one through the hub also closes the machine's open sockets
 * (through {@link onRevoked}); one revoked on the file by the CLI is refused at its
 * next call and its sockets at their next event.
 */
export class MachineOperations {
  private readonly revokedListeners = new Set<(machineId: string) => void>();

  constructor(
    private readonly store: Pick<RequestStore, 'machines' | 'devices'>,
    private readonly now: () => number,
  ) {}

  list(identity: Identity): { machines: MachineInfo[] } {
    this.requireApprover(identity);
    return { machines: this.store.machines.list() };
  }

  create(identity: Identity, payload: unknown): MachineCreated {
    this.requireApprover(identity);
    const parsed = validate(CreateMachineSchema, payload);
    if (!parsed.ok) throw new SignoffError(parsed.error.code, parsed.error.message, parsed.error.details);
    return this.store.machines.create(parsed.data.name, this.now());
  }

  /** Revokes by id; 404 when no live token has it. */
  revoke(identity: Identity, id: string): { machine: MachineInfo } {
    this.requireApprover(identity);
    // By id only here: a name is for the CLI, where the person types it.
    const machine = this.store.machines.revokeById(id, this.now());
    if (!machine) throw new SignoffError(ErrorCode.notFound, `id: no machine token ${JSON.stringify(id)} is live`);
    for (const listener of this.revokedListeners) listener(machine.id);
    return { machine };
  }

  /** Called with a machine's id when it is revoked through the hub. Returns an unsubscribe. */
  onRevoked(listener: (machineId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  private requireApprover(identity: Identity): void {
    if (identity.role !== 'approver') throw new SignoffError(ErrorCode.forbidden, 'machine tokens are managed by approvers; you are an agent');
    if (identity.deviceId !== undefined && !this.store.devices.isActive(identity.deviceId)) {
      throw new SignoffError(ErrorCode.unauthorized, 'this device was revoked; pair it again');
    }
  }
}
