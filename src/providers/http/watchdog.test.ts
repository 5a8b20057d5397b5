import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError } from '../../core/errors.js';
import { Watchdog } from './watchdog.js';

describe('Watchdog', () => {
  it('aborts with the armed message once the time is up, and not while re-armed', async () => {
    const client = new AbortController();
    const dog = new Watchdog(client.signal);
    dog.arm(60, 'first-byte');
    for (let i = 0; i < 4; i++) {
      await sleep(25);
      dog.arm(60, 'idle');
    }
    assert.equal(dog.signal.aborted, false);
    await sleep(120);
    assert.ok(dog.fired instanceof TimeoutError);
    assert.equal(dog.fired.message, 'idle');
    dog.close();
  });

  it('a shorter limit after a longer one fires on time', async () => {
    const dog = new Watchdog(new AbortController().signal);
    dog.arm(10_000, 'long');
    dog.arm(30, 'short');
    await sleep(90);
    assert.equal(dog.fired?.message, 'short');
    dog.close();
  });

  it('disarmed, it never fires; the client aborting aborts its signal without a timeout', async () => {
    const client = new AbortController();
    const dog = new Watchdog(client.signal);
    dog.arm(20, 'idle');
    dog.disarm();
    await sleep(60);
    assert.equal(dog.signal.aborted, false);
    client.abort(new Error('left'));
    assert.equal(dog.signal.aborted, true);
    assert.equal(dog.fired, undefined);
    dog.close();
  });

  it('takes a limit beyond what setTimeout allows without spinning or firing early', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const dog = new Watchdog(new AbortController().signal);
    dog.arm(3_000_000_000, 'never');
    await sleep(50);
    process.off('warning', onWarning);
    dog.close();
    assert.equal(dog.signal.aborted, false);
    assert.deepEqual(warnings.map((w) => w.name), []);
  });
});
