import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceWorkerSource, shellPaths } from './service-worker-build.js';

const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');

describe('the service worker’s build', () => {
  it('precaches index.html, the hashed scripts and styles, and the public files, never maps, dotfiles or itself', () => {
    const bundle = ['index.html', 'assets/index-B3xq9kPz.js', 'assets/index-B3xq9kPz.js.map', 'assets/index-Cw1ZsQ2e.css', 'sw.js'];
    const publicFiles = ['favicon.svg', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png', '.DS_Store'];
    expect(shellPaths(bundle, publicFiles)).toEqual([
      '/',
      '/assets/index-B3xq9kPz.js',
      '/assets/index-Cw1ZsQ2e.css',
      '/favicon.svg',
      '/icon-192.png',
      '/icon-512.png',
      '/icon-maskable-512.png',
      '/manifest.webmanifest',
    ]);
  });

  it('fills the template: the shell list and a versioned cache name', () => {
    const source = serviceWorkerSource(template, ['/', '/assets/a-12345678.js'], 'abc123');
    expect(source).toContain('const SHELL = ["/","/assets/a-12345678.js"];');
    expect(source).toContain("const VERSION = 'abc123';");
    expect(source).not.toContain('/* SHELL */');
  });

  it('never caches the API or the socket, and handles push and notification clicks', () => {
    expect(template).toContain("const NEVER = ['/api/', '/socket.io/'];");
    expect(template).toMatch(/addEventListener\('push'/);
    expect(template).toMatch(/addEventListener\('notificationclick'/);
    expect(template).not.toMatch(/importScripts|import\s/);
  });

  it('refuses a version that is not a plain word, and a template without its placeholders', () => {
    expect(() => serviceWorkerSource(template, ['/'], "x';alert(1)//")).toThrow(/version/);
    expect(() => serviceWorkerSource('const SHELL = [];', ['/'], 'v1')).toThrow(/placeholder/);
  });
});
