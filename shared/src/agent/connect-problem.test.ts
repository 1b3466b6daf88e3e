import { describe, expect, it } from 'vitest';
import { connectProblem } from './connect-problem.js';

const URL_ = 'https://box.example.ts.net';
const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });
/** engine.io's TransportError around the WebSocket's error event, as socket.io-client hands it to connect_error. */
const transportError = (description: { message: string; error?: Error }) => Object.assign(new Error('websocket error'), { description });

describe('connectProblem', () => {
  it('says nothing listens for a refused port, from Node, fetch and engine.io alike', () => {
    const refused = nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:7475');
    for (const error of [refused, Object.assign(new TypeError('fetch failed'), { cause: refused }), transportError({ message: refused.message, error: refused })]) {
      expect(connectProblem('http://127.0.0.1:7475', error)).toEqual({ reason: 'nothing is listening at 127.0.0.1:7475 (connect ECONNREFUSED 127.0.0.1:7475)', noHub: true });
    }
  });

  it('names a name that does not resolve', () => {
    const error = nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND box.example.ts.net');
    expect(connectProblem(URL_, transportError({ message: error.message, error }))).toEqual({
      reason: 'the name box.example.ts.net does not resolve (getaddrinfo ENOTFOUND box.example.ts.net)',
      noHub: true,
    });
  });

  it('says how to trust a proxy\'s own CA when the certificate is not trusted, and does not say "start the hub"', () => {
    const error = nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain');
    const problem = connectProblem(URL_, transportError({ message: error.message, error }));
    expect(problem.noHub).toBe(false);
    expect(problem.reason).toBe(
      "the certificate at box.example.ts.net is not trusted (self-signed certificate in certificate chain); if the proxy signs with its own CA (Caddy's tls internal), give Node its root certificate: NODE_EXTRA_CA_CERTS=/path/to/root.crt",
    );
  });

  it('tells a proxy without its hub (502/503/504) from no answer, from ws words or a status', () => {
    const viaWs = connectProblem(URL_, transportError({ message: 'Unexpected server response: 502' }));
    expect(viaWs).toEqual({
      reason: 'a proxy answers at box.example.ts.net but the hub behind it does not (HTTP 502): is the hub running, on the port the proxy forwards to?',
      noHub: false,
    });
    expect(connectProblem(URL_, new Error('HTTP 504 with a body that is not JSON'), 504).reason).toContain('(HTTP 504)');
  });

  it('reads a 403 to the upgrade as a hub not told its public URL', () => {
    expect(connectProblem('https://box.example.ts.net:8443', transportError({ message: 'Unexpected server response: 403' })).reason).toBe(
      'box.example.ts.net:8443 refused the connection (HTTP 403); a Signoff hub refuses a name it was not given: start it with --public-url https://box.example.ts.net:8443',
    );
  });

  it('passes anything else on in its own words', () => {
    expect(connectProblem(URL_, new Error('no answer within 10000 ms'))).toEqual({ reason: 'no answer within 10000 ms', noHub: false });
    expect(connectProblem(URL_, transportError({ message: 'socket hang up' })).reason).toBe('socket hang up');
  });
});
