import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The shared approver UI (queue, detail views) inside a host page — the extension
 * popup or the approval window — driven by the names people see. Host page objects
 * extend it with their own root.
 */
export class ApproverQueue {
  constructor(private readonly root: Locator) {}

  /** The queue row of the request titled `title`. */
  row(title: string): Locator {
    return this.root.getByRole('tabpanel').getByRole('button', { name: new RegExp(escapeRegExp(title)) });
  }

  async expectRow(title: string): Promise<void> {
    await this.row(title).first().waitFor({ state: 'visible', timeout: 10_000 });
  }

  async expectNoRow(title: string): Promise<void> {
    await expect.poll(() => this.row(title).count(), { timeout: 10_000 }).toBe(0);
  }

  /** Opens a request from the queue and waits for its detail view. */
  async open(title: string): Promise<void> {
    await this.row(title).first().click();
    await this.root.getByRole('heading', { level: 2, name: title }).waitFor({ timeout: 10_000 });
  }

  /** A button of the UI (Approve, Reject, Send, Save edits…). */
  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }

  field(label: string | RegExp): Locator {
    return this.root.getByLabel(label);
  }

  /** Waits for the detail to close after a decision (back at the queue). */
  async expectBackAtQueue(): Promise<void> {
    await expect.poll(() => this.root.getByRole('heading', { level: 2 }).count(), { timeout: 10_000 }).toBe(0);
  }
}
