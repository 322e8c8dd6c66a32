// Brings the server's figures to the page: the live stream (Server-Sent Events on api/live) while it works,
// polling of the JSON API every two seconds when it does not (a proxy that buffers or blocks event streams,
// an old browser), and back to the live stream as soon as it works again.

/** Errors in a row, without a message in between, after which the live stream is given up for polling. */
const LIVE_ATTEMPTS = 3;
const POLL_MILLIS = 2_000;
/** While polling, how often the live stream is tried again. */
const LIVE_RETRY_MILLIS = 30_000;

export class LiveFeed {
  /**
   * @param model the PoolModel to feed
   * @param onData called after the model changed
   * @param onState called with 'connecting', 'live', 'reconnecting', 'polling' or 'offline'
   */
  constructor(model, onData, onState) {
    this.model = model;
    this.onData = onData;
    this.onState = onState;
    this.source = null;
    this.errors = 0;
    this.pollTimer = null;
    this.lastLiveTry = 0;
    this.state = null;
  }

  start() {
    this.setState('connecting');
    this.connectLive();
  }

  /** True while the live stream delivers: then silence means nothing changed. */
  isLive() {
    return this.state === 'live';
  }

  setState(state) {
    if (state !== this.state) {
      this.state = state;
      this.onState(state);
    }
  }

  connectLive() {
    if (typeof EventSource === 'undefined') {
      this.startPolling();
      return;
    }
    this.lastLiveTry = Date.now();
    this.errors = 0;
    const source = new EventSource('api/live');
    this.source = source;
    source.addEventListener('snapshot', e => this.onLive(() => this.model.applySnapshot(JSON.parse(e.data))));
    source.addEventListener('update', e => this.onLive(() => this.model.applyUpdate(JSON.parse(e.data))));
    source.onerror = () => {
      this.errors++;
      if (source.readyState === EventSource.CLOSED || this.errors >= LIVE_ATTEMPTS) {
        // the browser will not retry a stream the server refused; after a few failed retries, poll instead
        source.close();
        if (this.source === source) {
          this.source = null;
        }
        this.startPolling();
      } else if (!this.pollTimer) {
        this.setState('reconnecting');
      }
    };
  }

  onLive(apply) {
    this.errors = 0;
    this.stopPolling();
    apply();
    this.setState('live');
    this.onData();
  }

  startPolling() {
    if (this.pollTimer) {
      return;
    }
    this.setState(this.state === 'live' || this.state === 'connecting' ? 'reconnecting' : this.state);
    const loop = async () => {
      await this.pollOnce();
      if (this.pollTimer) {
        this.pollTimer = setTimeout(loop, POLL_MILLIS);
      }
    };
    this.pollTimer = setTimeout(loop, 0);
  }

  stopPolling() {
    if (this.pollTimer) {
      clearTimeout(this.pollTimer);
      this.pollTimer = null;
    }
  }

  async pollOnce() {
    try {
      const [status, history] = await Promise.all([getJson('api/status'), getJson('api/history')]);
      if (!this.pollTimer) {
        return;
      }
      // the status first: a restarted server resets the sequence numbers asked for next
      this.model.applyStatus(status);
      this.model.setHistory(history);
      const [tasks, events] = await Promise.all([
        getJson('api/tasks?after=' + this.model.lastTaskSeq),
        getJson('api/events?after=' + this.model.lastEventSeq)]);
      if (!this.pollTimer) {
        return;
      }
      this.model.addTasks(tasks.tasks);
      this.model.addEvents(events.events);
      this.setState('polling');
      this.onData();
    } catch (e) {
      this.setState('offline');
    }
    if (this.pollTimer && !this.source && Date.now() - this.lastLiveTry >= LIVE_RETRY_MILLIS) {
      this.connectLive();
    }
  }
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(url + ' answered ' + response.status);
  }
  return response.json();
}
