// Preloaded with `node --import`: records every module the process loads and, when it
// exits, prints them as one JSON array of file URLs on stdout. ES modules are seen by a
// load hook (https://nodejs.org/api/module.html#customization-hooks), CommonJS ones in
// require.cache (hooks do not see a CommonJS module's own require()).
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, nextLoad) {
  port.postMessage(url);
  return nextLoad(url, context);
}`;

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => loaded.add(url));
port1.unref();
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });

process.on('exit', () => {
  // Messages still queued when the event loop ran dry.
  for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) loaded.add(m.message);
  for (const path of Object.keys(createRequire(import.meta.url).cache)) loaded.add(pathToFileURL(path).href);
  process.stdout.write(JSON.stringify([...loaded]));
});
