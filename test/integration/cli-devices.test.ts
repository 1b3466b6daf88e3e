import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApproverConnection, keyCredential, type PairedDevice } from '@signoff/shared/approver';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { RestClient } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

describe('signoff devices: list and revoke paired devices, with or without a running hub', () => {
  let t: TestHub | undefined;
  const closers: (() => void)[] = [];

  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await t?.dispose();
    t = undefined;
  });

  const env = (hub: TestHub) => ({ SIGNOFF_URL: hub.url, SIGNOFF_HOME: hub.dataDir });
  const connect = async (hub: TestHub, device: PairedDevice) => {
    const conn = new ApproverConnection({ url: hub.url, credential: keyCredential(device), surface: 'other', reconnectDelayMaxMs: 500 });
    closers.push(() => conn.close());
    conn.start();
    await conn.whenConnected(5000);
    return conn;
  };

  it('lists one device per line, its id first, marking this terminal’s; --json gives the records', async () => {
    t = await startTestHub();
    const empty = await runCli(['devices'], env(t)).done;
    expect(empty).toMatchObject({ code: 0, stdout: 'No paired devices.\n' });

    expect((await runCli(['pair', '--save'], env(t)).done).code).toBe(0);
    const terminal = (JSON.parse(readFileSync(join(t.dataDir, 'approver.key'), 'utf8')) as { deviceId: string }).deviceId;
    const extension = await t.pairDevice('Browser extension (Chrome)');
    await connect(t, extension);
    await t.pairApprover('my script');
    await t.pairDevice('Approval window (tab)', { ephemeral: true });
    await t.pairDevice('evil\u202Efdp.exe');

    const { code, stdout } = await runCli(['devices'], env(t)).done;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    const byName = (name: string) => lines.find((line) => line.includes(name))!;
    const id = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    expect(byName('terminal')).toMatch(new RegExp(`^${terminal}  terminal +  key    paired \\d+s ago  last seen (never|\\d+s ago)  \\(this terminal\\)$`));
    expect(byName('Browser extension')).toMatch(new RegExp(`^${extension.deviceId}  Browser extension \\(Chrome\\) *  key    paired \\d+s ago  last seen \\d+s ago$`));
    expect(byName('my script')).toMatch(new RegExp(`^${id}  my script +  token  paired \\d+s ago  last seen never$`));
    expect(byName('Approval window')).toMatch(new RegExp(`^${id}  Approval window \\(tab\\) *  key    ephemeral  paired \\d+s ago  last seen never$`));
    // A name is shown as text a person can read: a bidi override is marked, not obeyed.
    expect(byName('evil')).toContain('evil⟨U+202E⟩fdp.exe');

    const json = await runCli(['devices', '--json'], env(t)).done;
    const devices = JSON.parse(json.stdout) as { id: string; name: string; credential: string; ephemeral: boolean }[];
    expect(devices).toHaveLength(5);
    expect(devices).toContainEqual(expect.objectContaining({ id: extension.deviceId, name: 'Browser extension (Chrome)', credential: 'key', ephemeral: false }));
    expect(JSON.stringify(devices)).not.toMatch(/publicKey|token_hash|tokenHash/);
  });

  it('devices revoke cuts a connected device off within seconds (its connection is refused), by a unique id prefix', async () => {
    t = await startTestHub();
    const phone = await t.pairDevice('phone');
    const conn = await connect(t, phone);
    const started = Date.now();
    const revoked = await runCli(['devices', 'revoke', phone.deviceId.slice(0, 8)], env(t)).done;
    expect(revoked.code).toBe(0);
    expect(revoked.stdout.trim()).toBe(`Revoked ${phone.deviceId} (phone); a running hub closes its connections within a second.`);
    await waitUntil(() => conn.status.state === 'rejected', 'the revoked phone to be refused');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(t.hub.store.devices.list()).toEqual([]);

    const again = await runCli(['devices', 'revoke', phone.deviceId], env(t)).done;
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`signoff devices: ${phone.deviceId} is already revoked`);
  });

  it('a revoked terminal can no longer list or respond, and says to pair again', async () => {
    t = await startTestHub();
    expect((await runCli(['pair', '--save'], env(t)).done).code).toBe(0);
    const { id } = (await new RestClient(t.url, t.agentToken).post('/requests', { kind: 'approval', title: 'Wipe production', severity: 'critical' })).body as { id: string };
    const terminal = (JSON.parse(readFileSync(join(t.dataDir, 'approver.key'), 'utf8')) as { deviceId: string }).deviceId;
    expect((await runCli(['devices', 'revoke', terminal], env(t)).done).code).toBe(0);
    for (const args of [['list'], ['respond', id, '--approve']]) {
      const { code, stderr } = await runCli(args, env(t)).done;
      expect(code).toBe(2);
      expect(stderr).toContain('the hub refused this terminal’s device');
      expect(stderr).toContain('signoff pair --save');
    }
    expect((await new RestClient(t.url, t.agentToken).get(`/requests/${id}`)).body).toMatchObject({ status: 'pending' });
  });

  it('works on the data dir without a running hub; refuses unknown and ambiguous ids', async () => {
    t = await startTestHub();
    const a = await t.pairDevice('tablet');
    const b = await t.pairDevice('desktop');
    const extra: PairedDevice[] = [];
    for (let i = 0; i < 15; i++) extra.push(await t.pairDevice(`spare ${i}`));
    await t.stop();
    const listed = await runCli(['devices'], env(t)).done;
    expect(listed.stdout).toContain(`${a.deviceId}  tablet`);

    const unknown = await runCli(['devices', 'revoke', 'ffffffff-no-such'], env(t)).done;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no device "ffffffff-no-such" (see signoff devices)');
    // A prefix must pick one device: among 17 ids, two start with the same hex digit.
    const byFirst = new Map<string, number>();
    for (const d of [a, b, ...extra]) byFirst.set(d.deviceId[0]!, (byFirst.get(d.deviceId[0]!) ?? 0) + 1);
    const shared = [...byFirst].find(([, n]) => n > 1)![0];
    const ambiguous = await runCli(['devices', 'revoke', shared], env(t)).done;
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("devices' ids; give more of it");
    const missing = await runCli(['devices', 'revoke'], env(t)).done;
    expect(missing.code).toBe(2);

    expect((await runCli(['devices', 'revoke', a.deviceId], env(t)).done).code).toBe(0);
    // The restarted hub refuses the device revoked while it was down.
    t = await startTestHub({ dataDir: t.dataDir, port: t.port });
    const conn = new ApproverConnection({ url: t.url, credential: keyCredential(a), surface: 'other' });
    closers.push(() => conn.close());
    conn.start();
    await expect(conn.whenConnected(5000)).rejects.toThrow(/refused this device/);
    expect(t.hub.store.devices.list().map((d) => d.name)).not.toContain('tablet');
  });

  it('a data dir where no hub ever ran has no devices', async () => {
    t = await startTestHub();
    const fresh = join(t.dataDir, 'never-used');
    const listed = await runCli(['devices', '--data-dir', fresh]).done;
    expect(listed).toMatchObject({ code: 0, stdout: 'No paired devices.\n' });
    const revoke = await runCli(['devices', 'revoke', 'abc', '--data-dir', fresh]).done;
    expect(revoke.code).toBe(2);
  });
});
