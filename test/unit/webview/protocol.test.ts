import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PANEL_PROTOCOL_VERSION, parseHostMessage, parseWebviewMessage } from '../../../src/protocol/panel';
import { makeCrowd, makeSample, makeSnapshot } from './fixtures';

describe('panel protocol guards', () => {
  const snapshot = makeSnapshot(makeCrowd(5));

  it('accepts every well-formed host message', () => {
    const init = { type: 'init', protocol: PANEL_PROTOCOL_VERSION, connection: { id: 'c1', label: 'app@db:5432/shop', engine: 'postgres' }, status: { kind: 'live', at: 1 }, snapshot, history: [makeSample(1)], alerts: [{ key: 'utilization', severity: 'warning', message: 'high' }], longQuerySeconds: 30 };
    assert.deepEqual(parseHostMessage(init), init);
    const update = { type: 'snapshot', snapshot, sample: makeSample(2), alerts: [] };
    assert.deepEqual(parseHostMessage(update), update);
    assert.ok(parseHostMessage({ type: 'status', status: { kind: 'unreachable', reason: 'connection refused', retryAt: 5 } }));
    assert.ok(parseHostMessage({ type: 'queryText', sessionId: '1001', text: null }));
  });

  it('drops malformed or unknown host messages', () => {
    const badSession = { ...snapshot, sessions: [{ ...snapshot.sessions[0], id: 1001 }] };
    assert.equal(parseHostMessage({ type: 'snapshot', snapshot: badSession, sample: makeSample(2), alerts: [] }), undefined);
    assert.equal(parseHostMessage({ type: 'snapshot', snapshot: { ...snapshot, byState: { exploding: 1 } }, sample: makeSample(2), alerts: [] }), undefined);
    assert.equal(parseHostMessage({ type: 'status', status: { kind: 'unreachable', reason: 'x' } }), undefined);
    assert.equal(parseHostMessage({ type: 'eval', code: 'alert(1)' }), undefined);
    assert.equal(parseHostMessage('{"type":"status"}'), undefined);
    assert.equal(parseHostMessage(null), undefined);
  });

  it('accepts webview messages with only the fields it knows', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', protocol: 1, extra: 'ignored' }), { type: 'ready', protocol: 1 });
    assert.deepEqual(parseWebviewMessage({ type: 'copyQueryText', sessionId: '42' }), { type: 'copyQueryText', sessionId: '42' });
    assert.equal(parseWebviewMessage({ type: 'requestQueryText', sessionId: 'x'.repeat(65) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'requestQueryText', sessionId: 42 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runSql', sql: 'DROP TABLE x' }), undefined);
  });

  it('accepts a session action only with a known action, a bounded id and a nullable backend start', () => {
    const terminate = { type: 'sessionAction', action: 'terminate', sessionId: '4242', backendStart: '2026-11-21T11:59:00.123456Z' };
    assert.deepEqual(parseWebviewMessage({ ...terminate, sql: 'SELECT pg_terminate_backend(1)' }), terminate);
    assert.deepEqual(parseWebviewMessage({ type: 'sessionAction', action: 'cancel', sessionId: '17', backendStart: null }), { type: 'sessionAction', action: 'cancel', sessionId: '17', backendStart: null });
    assert.equal(parseWebviewMessage({ ...terminate, action: 'drop' }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, action: 'kill' }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, sessionId: 4242 }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, sessionId: '' }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, sessionId: '9'.repeat(65) }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, backendStart: undefined }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, backendStart: 5 }), undefined);
    assert.equal(parseWebviewMessage({ ...terminate, backendStart: 'x'.repeat(65) }), undefined);
  });

  it('drops a snapshot whose sessions lack the backend start field', () => {
    const { backendStart: _dropped, ...withoutStart } = snapshot.sessions[0];
    assert.equal(parseHostMessage({ type: 'snapshot', snapshot: { ...snapshot, sessions: [withoutStart] }, sample: makeSample(2), alerts: [] }), undefined);
  });
});
