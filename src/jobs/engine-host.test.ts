// The host reports an engine's exit 20 ms after it happens (so an OOM message on stderr is seen).
// A shutdown in that window must wait for the report: its caller closes the catalog next, and
// the report still has to mark the engine's job interrupted.
import { describe, expect, it } from 'vitest';
import { EngineHost, inlineEngine, type EngineExit } from './engine-host.js';

describe('EngineHost.shutdown', () => {
  it('waits for the report of an engine that has just died before it resolves', async () => {
    const exits: EngineExit[] = [];
    const host = new EngineHost({ onMessage: () => {}, onExit: (e) => exits.push(e) }, { spawnEngine: inlineEngine });
    host.send({ type: 'abort', jobId: 'nothing-running', reason: 'cancel' }); // starts the engine
    expect(host.running).toBe(true);
    host.kill();
    await new Promise((r) => setImmediate(r)); // the engine is gone, its report not sent yet
    expect(host.running).toBe(false);
    expect(exits).toHaveLength(0);
    await host.shutdown();
    expect(exits).toEqual([expect.objectContaining({ signal: 'SIGKILL', outOfMemory: false })]);
    await host.shutdown(); // nothing left to wait for
    expect(exits).toHaveLength(1);
  });
});
