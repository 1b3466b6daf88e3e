import { MAX_JSON_DEPTH, MAX_PAYLOAD_BYTES } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { checkGuardrails, GuardrailId, type GuardrailSwitches } from './guardrails.js';

const ALL_ON: GuardrailSwitches = { 'code-safety': true, pii: true };
const CODE_ONLY: GuardrailSwitches = { 'code-safety': true, pii: false };
const PII_ONLY: GuardrailSwitches = { 'code-safety': false, pii: true };

describe('checkGuardrails', () => {
  it('exports the guardrail ids the hub and policy.yaml use', () => {
    expect(GuardrailId).toEqual({ codeSafety: 'code-safety', pii: 'pii' });
  });

  it('passes an action with nothing to find, and an empty one', () => {
    expect(checkGuardrails({ name: 'Bash', args: { command: 'npm test', description: 'Run the tests' } }, ALL_ON)).toBeNull();
    expect(checkGuardrails({}, ALL_ON)).toBeNull();
    expect(checkGuardrails({ args: null }, ALL_ON)).toBeNull();
  });

  describe('switches', () => {
    const both = { name: 'Bash', args: { command: 'rm -rf /', note: 'card 4111 1111 1111 1111' } };

    it('reports code-safety before pii when both would hit', () => {
      expect(checkGuardrails(both, ALL_ON)?.id).toBe(GuardrailId.codeSafety);
    });

    it('reports pii when code-safety is off, and nothing from code-safety', () => {
      expect(checkGuardrails(both, PII_ONLY)?.id).toBe(GuardrailId.pii);
      expect(checkGuardrails({ name: 'Bash', args: { command: 'rm -rf /' } }, PII_ONLY)).toBeNull();
    });

    it('reports nothing from pii when it is off', () => {
      expect(checkGuardrails({ args: { note: 'SSN 123-45-6789' } }, CODE_ONLY)).toBeNull();
      expect(checkGuardrails(both, CODE_ONLY)?.id).toBe(GuardrailId.codeSafety);
    });

    it('reports nothing at all with both off, even for arguments too big to check', () => {
      expect(checkGuardrails(both, { 'code-safety': false, pii: false })).toBeNull();
      expect(checkGuardrails({ args: 'x'.repeat(MAX_PAYLOAD_BYTES + 1) }, { 'code-safety': false, pii: false })).toBeNull();
    });
  });

  describe('reasons', () => {
    it('say what was found and where, by argument path', () => {
      expect(checkGuardrails({ name: 'Bash', args: { command: 'sudo rm -rf /' } }, ALL_ON)).toEqual({
        id: 'code-safety',
        reason: 'Deletes "/" (the whole filesystem) recursively (rm -r), in args.command.',
      });
      expect(checkGuardrails({ args: { steps: [{ sql: 'SELECT 1' }, { sql: 'DROP TABLE users' }] } }, ALL_ON)?.reason).toBe(
        'Runs destructive SQL (DROP TABLE), in args.steps[1].sql.',
      );
      expect(checkGuardrails({ args: { 'odd key': 'TRUNCATE t' } }, ALL_ON)?.reason).toBe('Runs destructive SQL (TRUNCATE), in args["odd key"].');
      expect(checkGuardrails({ args: ['reboot'] }, ALL_ON)?.reason).toBe('Shuts down or restarts the machine (reboot), in args[0].');
      expect(checkGuardrails({ args: 'reboot' }, ALL_ON)?.reason).toBe('Shuts down or restarts the machine (reboot), in args.');
      expect(checkGuardrails({ name: 'reboot' }, ALL_ON)?.reason).toBe("Shuts down or restarts the machine (reboot), in the action's name.");
      expect(checkGuardrails({ text: ['Fine?', 'My SSN is 123-45-6789'] }, ALL_ON)?.reason).toBe(
        "Contains a US Social Security number (***-**-6789), in the request's text (field 2).",
      );
    });

    it('name PowerShell targets as PowerShell writes them', () => {
      expect(checkGuardrails({ name: 'PowerShell', args: { command: 'Remove-Item -Recurse -Force C:\\Windows' } }, ALL_ON)?.reason).toBe(
        'Deletes "C:\\Windows" (a Windows system folder) recursively (Remove-Item -Recurse), in args.command.',
      );
    });

    it('never repeat a secret: SSNs and cards masked to their last four digits, keys not quoted', () => {
      const ssn = checkGuardrails({ args: { note: 'SSN: 219-09-9999' } }, ALL_ON)!.reason;
      expect(ssn).toContain('***-**-9999');
      expect(ssn).not.toContain('219-09');

      const card = checkGuardrails({ args: { note: 'card 5555 5555 5555 4444 exp 12/29' } }, ALL_ON)!.reason;
      expect(card).toBe('Contains a card number that passes the Luhn check (Mastercard, ending 4444), in args.note.');
      expect(card.replace('ending 4444', '')).not.toMatch(/5555|4444/);

      const secret = 'MIIEowIBAAKCAQEAsecretsecretsecret';
      const key = checkGuardrails({ args: { pem: `-----BEGIN RSA PRIVATE KEY-----\n${secret}\n-----END RSA PRIVATE KEY-----` } }, ALL_ON)!.reason;
      expect(key).toBe('Contains a private key block, in args.pem.');
    });

    it('keep long targets short and on one line', () => {
      const target = `/etc/${'x'.repeat(200)}`;
      const reason = checkGuardrails({ args: { command: `rm -rf "${target}\n"` } }, ALL_ON);
      // `/etc/xxx…` is two levels deep: a system directory's child.
      expect(reason?.reason.length).toBeLessThan(160);
      expect(reason?.reason).not.toContain('\n');
    });
  });

  describe('what is read', () => {
    it('reads every string at any depth up to the limit, and numbers', () => {
      let nested: unknown = 'rm -rf /';
      for (let i = 1; i < MAX_JSON_DEPTH; i++) nested = [nested];
      expect(checkGuardrails({ args: nested }, ALL_ON)?.id).toBe('code-safety');
      expect(checkGuardrails({ args: { amount: 4111111111111111 } }, ALL_ON)?.id).toBe('pii');
    });

    it('reads the request text when there is no action', () => {
      expect(checkGuardrails({ text: ['Run `rm -rf ~` to free space?'] }, ALL_ON)?.id).toBe('code-safety');
    });

    it('reads quoted text again as a command: echo "rm -rf /" is blocked (safety first)', () => {
      expect(checkGuardrails({ args: { command: 'echo "rm -rf /"' } }, ALL_ON)?.id).toBe('code-safety');
    });
  });

  describe('hostile input', () => {
    it('blocks arguments nested deeper than the limit: they cannot be checked', () => {
      let deep: unknown = 'fine';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      expect(checkGuardrails({ args: deep }, ALL_ON)).toEqual({
        id: 'code-safety',
        reason: `The arguments are nested deeper than ${MAX_JSON_DEPTH} levels, too deep to check.`,
      });
      expect(checkGuardrails({ args: deep }, PII_ONLY)?.id).toBe('pii');
    });

    it('blocks arguments larger than a payload can be, in text or in nodes', () => {
      const tooMuch = `The arguments hold more than ${MAX_PAYLOAD_BYTES / 1024} KiB, too much to check.`;
      expect(checkGuardrails({ args: { a: 'x'.repeat(MAX_PAYLOAD_BYTES) } }, ALL_ON)?.reason).toBe(tooMuch);
      expect(checkGuardrails({ args: new Array(MAX_PAYLOAD_BYTES + 1).fill(0) }, ALL_ON)?.reason).toBe(tooMuch);
    });

    it('stops on a shared or cyclic object instead of walking it forever', () => {
      const wide: Record<string, unknown> = {};
      const node = { a: wide, b: wide, c: wide, d: wide };
      for (const key of ['a', 'b', 'c', 'd']) wide[key] = node;
      expect(checkGuardrails({ args: node }, ALL_ON)?.id).toBe('code-safety');
    });

    // Each string is just under the payload limit and aims at one reader: the shell
    // parser, the SQL splitter, the card, SSN, key and fork-bomb expressions, brace
    // expansion. The check must simply finish (and find nothing where there is nothing).
    const NEAR_LIMIT = MAX_PAYLOAD_BYTES - 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(NEAR_LIMIT / unit.length)).slice(0, NEAR_LIMIT);
    const ADVERSARIAL = [
      'rm ', 'dd ', 'rm -rf x', 'DELETE FROM t x y\n', 'DROP TABLE a, ', 'UPDATE t SET a', "'--", '/*', '1 ', '1', '4', '4-',
      '-----BEGIN ', 'A ', ' ', '\n', ':(){ ', 'x(){ x|', 'function f { f | ', '$(', '"$(', '`', "'", '"', '\\', '(', 'iex (',
      'cat <<A ', 'a\n', ';', 'SSN ', '123-45-', '{a,', 'rm -rf {a,', 'curl x | ', 'sh <(', 'echo "', ' -', '$HOME/',
    ];

    it.each(ADVERSARIAL)('finishes on ~256 KiB of %j', (unit) => {
      const result = checkGuardrails({ name: 'Bash', args: { command: fill(unit) } }, ALL_ON);
      expect(result === null || Object.values(GuardrailId).includes(result.id)).toBe(true);
    });

    it('finds nothing in ~256 KiB of harmless repetition', () => {
      for (const unit of ['rm ', 'DELETE FROM t x y\n', '1 ', '-----BEGIN ', ':(){ ', '$(', 'cat <<A ', '{a,']) {
        expect(checkGuardrails({ name: 'Bash', args: { command: fill(unit) } }, ALL_ON)).toBeNull();
      }
    });

    it('still finds a hit at the end of ~256 KiB of noise', () => {
      const command = `${fill('echo "a" && ').slice(0, NEAR_LIMIT - 20)}; rm -rf /`;
      expect(checkGuardrails({ name: 'Bash', args: { command } }, ALL_ON)?.id).toBe('code-safety');
    });
  });
});
