import { describe, expect, it } from 'vitest';
import { OBJECT_INTERNAL_NAMES, ownValue, RESERVED_JSON_KEYS, reservedKeyPath } from './json-keys.js';

describe('reservedKeyPath', () => {
  it('finds a __proto__ that JSON.parse made an own key, at any depth, with its path', () => {
    expect(reservedKeyPath(JSON.parse('{"__proto__":{"isAdmin":true}}'))).toEqual(['__proto__']);
    expect(reservedKeyPath(JSON.parse('{"a":{"list":[1,{"b":2},{"__proto__":1}]}}'))).toEqual(['a', 'list', 2, '__proto__']);
    expect(reservedKeyPath(JSON.parse('[{"constructor":{"prototype":{}}}]'))).toEqual([0, 'constructor']);
  });

  it('reports the first in document order', () => {
    expect(reservedKeyPath(JSON.parse('{"a":{"prototype":1},"constructor":2}'))).toEqual(['constructor']);
    expect(reservedKeyPath(JSON.parse('{"a":{"prototype":1},"b":{"__proto__":2}}'))).toEqual(['a', 'prototype']);
  });

  it('passes ordinary data, primitives and look-alike keys', () => {
    expect(reservedKeyPath({ proto: 1, Constructor: 2, __proto: 3, 'prototype ': 4 })).toBeNull();
    for (const value of [null, 1, 'x', true, [], {}]) expect(reservedKeyPath(value)).toBeNull();
  });

  it('survives hostile depth and cycles without recursion', () => {
    let deep: unknown = { __proto_: 1 };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(reservedKeyPath(deep)).toBeNull();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(reservedKeyPath(cyclic)).toBeNull();
  });

  it('walks parsed JSON text to any depth when asked', () => {
    const text = `${'['.repeat(50)}{"__proto__":1}${']'.repeat(50)}`;
    expect(reservedKeyPath(JSON.parse(text))).toBeNull();
    expect(reservedKeyPath(JSON.parse(text), Number.POSITIVE_INFINITY)).toHaveLength(51);
  });
});

describe('OBJECT_INTERNAL_NAMES', () => {
  it('covers every member of Object.prototype, prototype and the reserved JSON keys', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(OBJECT_INTERNAL_NAMES.has(name), name).toBe(true);
    for (const name of RESERVED_JSON_KEYS) expect(OBJECT_INTERNAL_NAMES.has(name)).toBe(true);
  });
});

describe('ownValue', () => {
  it('reads own keys only', () => {
    expect(ownValue({ a: 1 }, 'a')).toBe(1);
    expect(ownValue({}, 'constructor')).toBeUndefined();
    expect(ownValue({}, 'toString')).toBeUndefined();
    expect(ownValue({}, '__proto__')).toBeUndefined();
    expect(ownValue(JSON.parse('{"__proto__":"x"}'), '__proto__')).toBe('x');
    expect(ownValue(null, 'a')).toBeUndefined();
    expect(ownValue('text', 'length')).toBeUndefined();
  });
});
