// What the page knows about the pool: the latest status, the per-second history, the recent finished task runs
// and the event log. Fed by the live stream and by polling alike; every feed may repeat what an earlier one
// said (a reconnect sends a fresh snapshot), so tasks and events are kept by sequence number, once each.

/** How far back the task stream looks. */
export const STREAM_WINDOW_MILLIS = 60_000;
/** The history the server keeps: ten minutes of one-second samples. */
const MAX_SAMPLES = 600;
const MAX_EVENTS = 500;
/** Finished runs kept for the stream; beyond this the oldest go even if they are still in the window. */
const MAX_RUNS = 20_000;
const SERIES = ['completed', 'failed', 'busySlots', 'queueDepth'];

export class PoolModel {
  constructor() {
    this.reset();
    /** Bumped whenever the status changes, so views can skip work when it did not. */
    this.statusVersion = 0;
    this.status = null;
    /** The server's clock minus ours, from the latest status: every time shown is the server's. */
    this.clockOffset = 0;
  }

  /** Forgets everything that belonged to a server run (used when the server restarted). */
  reset() {
    this.history = { intervalMillis: 1000, end: 0, completed: [], failed: [], busySlots: [], queueDepth: [] };
    this.runs = [];
    this.lastTaskSeq = 0;
    this.events = [];
    this.lastEventSeq = 0;
    /** Bumped by reset, so views that keep their own copies (the event log) start over. */
    this.epoch = (this.epoch || 0) + 1;
  }

  serverNow() {
    return Date.now() + this.clockOffset;
  }

  applyStatus(status) {
    if (this.status && this.status.startedAt !== status.startedAt) {
      // a restarted server numbers its tasks and events from the start again
      this.reset();
    }
    this.status = status;
    if (status.now) {
      this.clockOffset = status.now - Date.now();
    }
    this.statusVersion++;
  }

  setHistory(history) {
    const h = { intervalMillis: history.intervalMillis || 1000, end: history.end || 0 };
    for (const key of SERIES) {
      h[key] = (history[key] || []).slice(-MAX_SAMPLES);
    }
    this.history = h;
  }

  /**
   * Appends one sample. The server sends updates only when something changed, so seconds it skipped had no
   * answered tasks and the same busy slots and queue as the sample before them.
   */
  addSample(sample) {
    const h = this.history;
    if (h.end && sample.time < h.end) {
      return;
    }
    if (h.end && sample.time === h.end) {
      for (const key of SERIES) {
        h[key][h[key].length - 1] = sample[key];
      }
      return;
    }
    if (h.end) {
      const missing = Math.min(MAX_SAMPLES, Math.round((sample.time - h.end) / h.intervalMillis) - 1);
      this.fillIdle(h, missing);
    }
    for (const key of SERIES) {
      h[key].push(sample[key]);
    }
    h.end = sample.time;
    this.trimHistory(h);
  }

  /**
   * The history up to now: while the live stream is up, the seconds since its last update were idle ones.
   * Returns a copy; the stored history only grows from what the server said.
   */
  historyUntil(now, live) {
    const h = this.history;
    if (!live || !h.end) {
      return h;
    }
    const idle = Math.min(MAX_SAMPLES, Math.floor((now - h.end) / h.intervalMillis) - 1);
    if (idle <= 0) {
      return h;
    }
    const copy = { intervalMillis: h.intervalMillis, end: h.end + idle * h.intervalMillis };
    for (const key of SERIES) {
      copy[key] = h[key].slice();
    }
    this.fillIdle(copy, idle);
    this.trimHistory(copy);
    return copy;
  }

  fillIdle(h, seconds) {
    for (let i = 0; i < seconds; i++) {
      h.completed.push(0);
      h.failed.push(0);
      h.busySlots.push(h.busySlots.length ? h.busySlots[h.busySlots.length - 1] : 0);
      h.queueDepth.push(h.queueDepth.length ? h.queueDepth[h.queueDepth.length - 1] : 0);
    }
  }

  trimHistory(h) {
    const extra = h.completed.length - MAX_SAMPLES;
    if (extra > 0) {
      for (const key of SERIES) {
        h[key].splice(0, extra);
      }
    }
  }

  /** Finished task runs, oldest first; those already known are skipped. */
  addTasks(tasks) {
    for (const t of tasks || []) {
      if (t.seq > this.lastTaskSeq) {
        this.runs.push(t);
        this.lastTaskSeq = t.seq;
      }
    }
    const horizon = this.serverNow() - STREAM_WINDOW_MILLIS;
    let drop = Math.max(0, this.runs.length - MAX_RUNS);
    while (drop < this.runs.length && this.runs[drop].endedAt < horizon) {
      drop++;
    }
    if (drop > 0) {
      this.runs.splice(0, drop);
    }
  }

  /** Pool events, oldest first; those already known are skipped. */
  addEvents(events) {
    for (const e of events || []) {
      if (e.seq > this.lastEventSeq) {
        this.events.push(e);
        this.lastEventSeq = e.seq;
      }
    }
    if (this.events.length > MAX_EVENTS) {
      this.events.splice(0, this.events.length - MAX_EVENTS);
    }
  }

  /** The live stream's first message: the whole picture. */
  applySnapshot(snapshot) {
    this.applyStatus(snapshot.status);
    this.setHistory(snapshot.history);
    this.addTasks(snapshot.tasks);
    this.addEvents(snapshot.events);
  }

  /** A live update: what changed since the previous one. */
  applyUpdate(update) {
    this.applyStatus(update.status);
    if (update.sample) {
      this.addSample(update.sample);
    }
    this.addTasks(update.tasks);
    this.addEvents(update.events);
  }
}
