import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { APP_ID, NOTIFICATION_ICON_FILE, TRAY_ICON_FILES } from './electron-mapping.js';

/**
 * electron-builder.yml, checked offline: against electron-builder's own JSON schema
 * (node_modules/app-builder-lib/scheme.json) with the ajv electron-builder itself
 * uses, through electron-builder's own loader and validator, and for every icon it
 * names: the file exists and has the pixel sizes its platform needs.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG_FILE = join(ROOT, 'electron-builder.yml');
// app-builder-lib and its ajv come with electron-builder (desktop's devDependency).
const requireFromBuilder = createRequire(join(dirname(createRequire(import.meta.url).resolve('electron-builder/package.json')), 'package.json'));
const appBuilderDir = dirname(requireFromBuilder.resolve('app-builder-lib/package.json'));
const requireFromAppBuilder = createRequire(join(appBuilderDir, 'package.json'));

// js-yaml comes with electron-builder too; it ships no types, hence the require.
const { load } = requireFromAppBuilder('js-yaml') as { load(text: string): unknown };

type Config = Record<string, any>;
const config = load(readFileSync(CONFIG_FILE, 'utf8')) as Config;

interface AjvLike {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
}

function schemaValidator() {
  const Ajv = (requireFromAppBuilder('ajv') as { default: new (options: object) => AjvLike }).default;
  const schema = JSON.parse(readFileSync(join(appBuilderDir, 'scheme.json'), 'utf8')) as unknown;
  // As app-builder-lib's schemaValidator.js, minus `coerceTypes`: "true" must not pass for true.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

// ---- image sizes ----
function pngSize(data: Buffer): number {
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(data.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const width = data.readUInt32BE(16);
  expect(data.readUInt32BE(20)).toBe(width);
  return width;
}

/** The pixel size of every PNG entry of an .icns, by OSType. */
function icnsSizes(data: Buffer): Map<string, number> {
  expect(data.subarray(0, 4).toString('ascii')).toBe('icns');
  expect(data.readUInt32BE(4)).toBe(data.length);
  const sizes = new Map<string, number>();
  for (let offset = 8; offset < data.length; ) {
    const type = data.subarray(offset, offset + 4).toString('ascii');
    const length = data.readUInt32BE(offset + 4);
    sizes.set(type, pngSize(data.subarray(offset + 8, offset + length)));
    offset += length;
  }
  return sizes;
}

/** The pixel size of every entry of an .ico, checked against its embedded PNG. */
function icoSizes(data: Buffer): number[] {
  expect(data.readUInt16LE(2)).toBe(1); // an icon, not a cursor
  const count = data.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + i * 16;
    const size = data[entry] === 0 ? 256 : data[entry]!;
    const length = data.readUInt32LE(entry + 8);
    const offset = data.readUInt32LE(entry + 12);
    expect(pngSize(data.subarray(offset, offset + length))).toBe(size);
    return size;
  });
}

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s JSON schema', () => {
    const validate = schemaValidator();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check bites: a misplaced or mistyped option fails', () => {
    const validate = schemaValidator();
    expect(validate({ ...config, LSUIElement: true })).toBe(false);
    expect(validate({ ...config, mac: { ...config.mac, target: 'dmg-typo' } })).toBe(false);
    expect(validate({ ...config, npmRebuild: 'yes' })).toBe(false);
  });

  it('passes electron-builder’s own loader and validator (no packaging, no network)', async () => {
    const { getConfig, validateConfiguration } = requireFromAppBuilder('./out/util/config/config.js') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Config>;
      validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
    };
    const { DebugLogger } = requireFromAppBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(ROOT, CONFIG_FILE, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...loaded, notAnOption: 1 }, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });

  it('names the app, its id and every target of the issue', () => {
    expect(config).toMatchObject({ appId: APP_ID, productName: 'Signoff' });
    expect(config.mac.target).toEqual([expect.objectContaining({ target: 'dmg' })]);
    expect(config.win.target).toEqual([expect.objectContaining({ target: 'nsis' })]);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('is tray-only on macOS: no Dock icon', () => {
    expect(config.mac.extendInfo).toEqual({ LSUIElement: true });
  });

  it('rebuilds better-sqlite3 for Electron and keeps its addon out of the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*');
    const desktopPackage = JSON.parse(readFileSync(join(ROOT, 'desktop/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(desktopPackage.dependencies)).toContain('better-sqlite3');
  });

  it('starts the tray’s main process, whose preload sits beside it', () => {
    expect(config.directories.app).toBe('desktop');
    expect(config.extraMetadata.main).toBe('dist/tray/main.js');
    expect(existsSync(join(ROOT, 'desktop/src/tray/main.ts'))).toBe(true);
    expect(existsSync(join(ROOT, 'desktop/src/tray/preload.cts'))).toBe(true);
  });
});

describe('icons named by electron-builder.yml', () => {
  const file = (path: string) => readFileSync(join(ROOT, path));

  it('macOS: an .icns with every size from 16 to 1024 (@1x and @2x)', () => {
    const sizes = icnsSizes(file(config.mac.icon as string));
    expect(Object.fromEntries(sizes)).toEqual({ icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 });
  });

  it('Windows: an .ico from 16 up to the 256 electron-builder requires, also for the installer', () => {
    for (const path of [config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon] as string[]) {
      expect(icoSizes(file(path))).toEqual([16, 24, 32, 48, 64, 128, 256]);
    }
  });

  it('Linux: a directory of NxN.png icons, each as big as its name says', () => {
    const dir = join(ROOT, config.linux.icon as string);
    expect(statSync(dir).isDirectory()).toBe(true);
    const names = readdirSync(dir).sort((a, b) => parseInt(a) - parseInt(b));
    expect(names).toEqual(['16x16.png', '24x24.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png', '1024x1024.png']);
    for (const name of names) expect(pngSize(readFileSync(join(dir, name)))).toBe(parseInt(name));
  });

  it('the 1024 px source icon electron-builder can fall back to', () => {
    expect(pngSize(file('desktop/build/icon.png'))).toBe(1024);
  });

  it('tray icons: every state for every platform, at its size, copied into the app’s resources', () => {
    const [resource] = config.extraResources as { from: string; to: string }[];
    expect(resource).toMatchObject({ from: 'desktop/build/tray', to: 'tray' });
    const dir = join(ROOT, resource!.from);
    for (const { file: name, size } of TRAY_ICON_FILES) expect([name, pngSize(readFileSync(join(dir, name)))]).toEqual([name, size]);
    expect(pngSize(readFileSync(join(dir, NOTIFICATION_ICON_FILE)))).toBe(128);
  });

  it('macOS tray icons are template images: black with alpha only', () => {
    const dir = join(ROOT, 'desktop/build/tray');
    for (const { file: name } of TRAY_ICON_FILES.filter((icon) => icon.file.includes('Template'))) {
      expect(readPngPixels(readFileSync(join(dir, name))).every(([r, g, b]) => r === 0 && g === 0 && b === 0)).toBe(true);
    }
  });
});

/** RGBA pixels of an 8-bit RGBA PNG whose rows use filter 0 (as generate-icons.mjs writes them). */
function readPngPixels(data: Buffer): [number, number, number, number][] {
  const size = pngSize(data);
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < data.length; ) {
    const length = data.readUInt32BE(offset);
    if (data.subarray(offset + 4, offset + 8).toString('ascii') === 'IDAT') chunks.push(data.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const pixels: [number, number, number, number][] = [];
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    expect(raw[row]).toBe(0);
    for (let x = 0; x < size; x++) {
      const at = row + 1 + x * 4;
      pixels.push([raw[at]!, raw[at + 1]!, raw[at + 2]!, raw[at + 3]!]);
    }
  }
  return pixels;
}
