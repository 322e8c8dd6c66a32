// The event log, newest first. Events only ever arrive, so new ones are put on top and the oldest dropped
// below the limit; nothing already shown is touched again.

import { clock, dateTime } from './format.js';

const KIND_LABELS = {
  'worker-joined': 'worker joined',
  'worker-left': 'worker left',
  'client-joined': 'client joined',
  'client-left': 'client left',
  'task-rerun': 'task rerun',
  'task-failed': 'task failed',
  'peer-fault': 'fault',
};
const MAX_SHOWN = 500;

export class EventLog {
  constructor(list) {
    this.list = list;
    this.shownSeq = 0;
    this.epoch = 0;
    this.empty = document.createElement('li');
    this.empty.className = 'empty';
    this.empty.textContent = 'nothing happened yet';
    list.appendChild(this.empty);
  }

  /** {@code events} oldest first, as the model keeps them; {@code epoch} changes when the server restarted. */
  update(events, epoch) {
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      this.shownSeq = 0;
      this.list.replaceChildren(this.empty);
    }
    const fresh = document.createDocumentFragment();
    for (let i = events.length - 1; i >= 0 && events[i].seq > this.shownSeq; i--) {
      fresh.appendChild(this.item(events[i]));
    }
    if (!fresh.firstChild) {
      return;
    }
    this.shownSeq = events[events.length - 1].seq;
    this.empty.remove();
    this.list.prepend(fresh);
    while (this.list.children.length > MAX_SHOWN) {
      this.list.lastElementChild.remove();
    }
  }

  item(event) {
    const li = document.createElement('li');
    li.dataset.kind = event.kind;
    li.className = 'event-' + event.kind;
    const time = document.createElement('time');
    time.dateTime = new Date(event.time).toISOString();
    time.title = dateTime(event.time);
    time.textContent = clock(event.time);
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = KIND_LABELS[event.kind] || event.kind;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = event.text;
    li.append(time, kind, text);
    return li;
  }
}
