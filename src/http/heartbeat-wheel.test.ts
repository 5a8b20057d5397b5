import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeartbeatWheel, type Beating } from './heartbeat-wheel.js';

/** A stream on a fake clock that records when it beat; `write` moves its last write. */
function stream(clock: { now: number }): Beating & { beats: number[]; write(): void } {
  const s = {
    lastWriteAt: clock.now,
    beats: [] as number[],
    beat() {
      s.beats.push(clock.now);
      s.lastWriteAt = clock.now;
    },
    write() {
      s.lastWriteAt = clock.now;
    },
  };
  return s;
}

/** Runs the wheel's ticks every `step` ms of fake time up to `until`. */
function advance(wheel: HeartbeatWheel, clock: { now: number }, until: number, step = 1): void {
  while (clock.now < until) {
    clock.now += step;
    wheel.tick();
  }
}

describe('HeartbeatWheel', () => {
  it('beats a quiet stream every interval, never later than one tick after it', () => {
    const clock = { now: 1_000_003 };
    const wheel = new HeartbeatWheel({ heartbeatMs: 1000, now: () => clock.now, timer: false });
    assert.equal(wheel.tickMs, 25);
    const s = stream(clock);
    wheel.add(s);
    advance(wheel, clock, clock.now + 10_000);
    // 10 s at 1,000–1,025 ms a gap.
    assert.ok(s.beats.length >= 9, `beats: ${s.beats.length}`);
    let last = 1_000_003;
    for (const at of s.beats) {
      const gap = at - last;
      assert.ok(gap >= 1000 && gap <= 1000 + wheel.tickMs, `gap ${gap}`);
      last = at;
    }
  });

  it('does not beat a stream that wrote within the interval, and measures from its last write', () => {
    const clock = { now: 5_000 };
    const wheel = new HeartbeatWheel({ heartbeatMs: 1000, now: () => clock.now, timer: false });
    const s = stream(clock);
    wheel.add(s);
    // A write every 600 ms for 6 s: never quiet for an interval.
    for (let i = 0; i < 10; i++) {
      advance(wheel, clock, clock.now + 600);
      s.write();
    }
    assert.deepEqual(s.beats, []);
    const lastWrite = clock.now;
    advance(wheel, clock, clock.now + 1100);
    assert.equal(s.beats.length, 1);
    assert.ok(s.beats[0]! - lastWrite >= 1000 && s.beats[0]! - lastWrite <= 1025, `beat ${s.beats[0]! - lastWrite} ms after the write`);
  });

  it('keeps the bound for many streams started at different times, and forgets removed ones', () => {
    const clock = { now: 0 };
    const wheel = new HeartbeatWheel({ heartbeatMs: 200, now: () => clock.now, timer: false });
    const streams = Array.from({ length: 50 }, () => stream(clock));
    const starts: number[] = [];
    for (const s of streams) {
      advance(wheel, clock, clock.now + 7);
      s.write();
      wheel.add(s);
      starts.push(clock.now);
    }
    advance(wheel, clock, clock.now + 2000, 3);
    streams.forEach((s, i) => {
      let last = starts[i]!;
      assert.ok(s.beats.length >= 8, `stream ${i} beat ${s.beats.length} times`);
      for (const at of s.beats) {
        assert.ok(at - last >= 200 && at - last <= 200 + wheel.tickMs + 3, `stream ${i}: gap ${at - last}`);
        last = at;
      }
    });
    for (const s of streams) wheel.remove(s);
    assert.equal(wheel.size, 0);
    const before = streams[0]!.beats.length;
    advance(wheel, clock, clock.now + 1000);
    assert.equal(streams[0]!.beats.length, before);
  });

  it('a stalled event loop gets every due stream beaten at the next tick', () => {
    const clock = { now: 0 };
    const wheel = new HeartbeatWheel({ heartbeatMs: 1000, now: () => clock.now, timer: false });
    const s = stream(clock);
    wheel.add(s);
    clock.now += 5_000;
    wheel.tick();
    assert.deepEqual(s.beats, [5_000]);
  });

  it('its own timer beats real streams (generous real-time bound)', async () => {
    const wheel = new HeartbeatWheel({ heartbeatMs: 50 });
    const beats: number[] = [];
    const s: Beating & { lastWriteAt: number } = {
      lastWriteAt: Date.now(),
      beat() {
        beats.push(Date.now());
        s.lastWriteAt = Date.now();
      },
    };
    wheel.add(s);
    const deadline = Date.now() + 10_000;
    while (beats.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    wheel.remove(s);
    assert.ok(beats.length >= 3, `beats: ${beats.length}`);
  });
});
