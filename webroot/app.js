// The /antadmin dashboard: wires the live feed to the panels and redraws them at most once a second.

import { LineChart } from './chart.js';
import { EventLog } from './eventlog.js';
import { LiveFeed } from './feed.js';
import * as fmt from './format.js';
import { PoolModel, STREAM_WINDOW_MILLIS } from './model.js';
import { TaskStream } from './stream.js';
import { Summary } from './summary.js';
import { SortableTable } from './table.js';

const RENDER_MILLIS = 1_000;
const $ = id => document.getElementById(id);

const model = new PoolModel();

const summary = new Summary($('summary'), [
  { key: 'workers', label: 'Workers', text: s => fmt.count(workerProcesses(s.workers)) },
  { key: 'slots', label: 'Slots', text: s => fmt.count(s.slots) },
  {
    key: 'busy', label: 'Busy slots', text: s => fmt.count(s.busySlots),
    note: s => (s.slots ? Math.round(100 * s.busySlots / s.slots) + '%' : ''),
  },
  { key: 'queued', label: 'Queued', text: s => fmt.count(s.queueDepth) },
  { key: 'rate', label: 'Tasks/s', text: s => fmt.rate(s.tasks.perSecond) },
  { key: 'p50', label: 'Latency p50', text: s => fmt.latency(s.tasks.latencyP50Millis) },
  { key: 'p99', label: 'Latency p99', text: s => fmt.latency(s.tasks.latencyP99Millis) },
  { key: 'completed', label: 'Completed', text: s => fmt.count(s.tasks.completed) },
  { key: 'failed', label: 'Failed', text: s => fmt.count(s.tasks.failed), alert: s => s.tasks.failed > 0 },
  { key: 'rerun', label: 'Rerun', text: s => fmt.count(s.tasks.rerun), alert: s => s.tasks.rerun > 0 },
  { key: 'cancelled', label: 'Cancelled', text: s => fmt.count(s.tasks.cancelled) },
  { key: 'clients', label: 'Clients', text: s => fmt.count(s.clients.filter(c => c.connected).length) },
]);

const throughput = new LineChart($('throughput'), [
  { key: 'completed', cls: 'completed', area: true },
  { key: 'failed', cls: 'failed', area: true },
], chartSpan, h => describe('Tasks per second', h, [['completed', 'completed'], ['failed', 'failed']]));

const load = new LineChart($('load'), [
  { key: 'busySlots', cls: 'busy', area: true },
  { key: 'queueDepth', cls: 'queue' },
], chartSpan, h => describe('Busy slots and queued tasks', h, [['busySlots', 'busy slots'], ['queueDepth', 'queued']]));

const stream = new TaskStream($('stream'), $('stream-tip'), $('stream-legend'));
const eventLog = new EventLog($('events'));

const workers = new SortableTable($('workers'), [
  { key: 'name', label: 'Name', text: w => w.name, title: w => w.id },
  { key: 'kind', label: 'Kind', text: w => w.kind },
  { key: 'host', label: 'Host', text: w => w.host },
  {
    key: 'ip', label: 'IP', text: w => w.ip,
    title: w => (w.reportedIp && w.reportedIp !== w.ip ? 'the worker reports ' + w.reportedIp : ''),
  },
  { key: 'os', label: 'OS', text: w => w.os },
  { key: 'cores', label: 'Cores', numeric: true, text: w => fmt.count(w.cores), value: w => w.cores },
  {
    key: 'memory', label: 'Memory', numeric: true, text: w => fmt.bytes(w.totalMemory), value: w => w.totalMemory,
    title: w => fmt.bytes(w.freeMemory) + ' free',
  },
  {
    key: 'cpuScore', label: 'CPU score', numeric: true, text: w => fmt.count(Math.round(w.cpuScore)),
    value: w => w.cpuScore,
  },
  {
    key: 'state', label: 'State', text: w => (w.busySlots > 0 ? 'busy' : 'idle'), value: w => w.busySlots,
    cls: w => (w.busySlots > 0 ? 'state busy' : 'state idle'),
  },
  { key: 'tasksRun', label: 'Tasks run', numeric: true, text: w => fmt.count(w.tasksRun), value: w => w.tasksRun },
  {
    key: 'failures', label: 'Failures', numeric: true, text: w => fmt.count(w.failures), value: w => w.failures,
    cls: w => (w.failures > 0 ? 'bad' : ''),
  },
  {
    key: 'cpuTime', label: 'CPU time', numeric: true, text: w => fmt.duration(w.cpuTimeMillis),
    value: w => w.cpuTimeMillis,
  },
  { key: 'bytesIn', label: 'Bytes in', numeric: true, text: w => fmt.bytes(w.bytesIn), value: w => w.bytesIn },
  { key: 'bytesOut', label: 'Bytes out', numeric: true, text: w => fmt.bytes(w.bytesOut), value: w => w.bytesOut },
  {
    key: 'connected', label: 'Connected', text: w => fmt.clock(w.connectedSince), value: w => w.connectedSince,
    title: w => 'since ' + fmt.dateTime(w.connectedSince),
  },
  { key: 'tags', label: 'Tags', text: w => fmt.tags(w.tags) },
], { rowKey: w => w.id, empty: 'no worker connected', sortKey: 'name' });

const clients = new SortableTable($('clients'), [
  { key: 'name', label: 'Client', text: c => c.name || c.id, title: c => 'session ' + c.id },
  { key: 'user', label: 'User', text: c => c.user || '–' },
  { key: 'ip', label: 'IP', text: c => c.ip, title: c => c.host || '' },
  { key: 'submitted', label: 'Submitted', numeric: true, text: c => fmt.count(c.submitted), value: c => c.submitted },
  { key: 'queued', label: 'Queued', numeric: true, text: c => fmt.count(c.queued), value: c => c.queued },
  { key: 'running', label: 'Running', numeric: true, text: c => fmt.count(c.running), value: c => c.running },
  { key: 'completed', label: 'Completed', numeric: true, text: c => fmt.count(c.completed), value: c => c.completed },
  {
    key: 'failed', label: 'Failed', numeric: true, text: c => fmt.count(c.failed), value: c => c.failed,
    cls: c => (c.failed > 0 ? 'bad' : ''),
  },
  {
    key: 'progress', label: 'Progress', text: c => fmt.count(answered(c)) + ' / ' + fmt.count(c.submitted),
    value: c => (c.submitted ? answered(c) / c.submitted : 0),
    progress: c => ({ fraction: c.submitted ? answered(c) / c.submitted : NaN }),
    title: c => 'answered (completed, failed or cancelled) of submitted',
  },
  {
    key: 'connected', label: 'Connected', text: c => (c.connected ? fmt.clock(c.connectedSince) : 'away'),
    value: c => (c.connected ? c.connectedSince : Infinity), cls: c => (c.connected ? '' : 'state away'),
    title: c => (c.connected ? 'since ' + fmt.dateTime(c.connectedSince) : 'disconnected; its session waits for it'),
  },
], { rowKey: c => c.id, empty: 'no client connected', sortKey: 'name' });

const running = new SortableTable($('running'), [
  { key: 'task', label: 'Task', numeric: true, text: t => String(t.taskId), value: t => t.taskId },
  { key: 'client', label: 'Client', text: t => t.clientName || t.client },
  { key: 'worker', label: 'Worker', text: t => t.workerName, title: t => t.slot },
  {
    key: 'for', label: 'Running for', numeric: true, text: t => fmt.duration(model.serverNow() - t.startedAt),
    value: t => -t.startedAt, title: t => 'since ' + fmt.dateTime(t.startedAt),
  },
  {
    key: 'progress', label: 'Progress', text: t => progressText(t.progress),
    value: t => (t.progress && t.progress.total ? t.progress.done / t.progress.total : -1),
    progress: t => (t.progress ? { fraction: t.progress.total ? t.progress.done / t.progress.total : NaN } : null),
  },
], { rowKey: t => t.slot, empty: 'no task running', sortKey: 'for', descending: true });

/** When the panels were last drawn (0: never), and the status version they show. */
let lastRender = 0;
let shownStatus = -1;

// the first figures are shown at once; after that the timer below redraws once a second
const feed = new LiveFeed(model, () => {
  if (!lastRender) {
    render();
  }
}, showConnection);

function render() {
  const status = model.status;
  if (!status) {
    return;
  }
  lastRender = performance.now();
  const now = model.serverNow();
  if (shownStatus !== model.statusVersion) {
    shownStatus = model.statusVersion;
    $('version').textContent = status.version;
    summary.update(status);
    workers.update(status.workers);
    clients.update(status.clients);
    $('workers-count').textContent = '(' + fmt.count(status.workers.length) + ' slots)';
    $('clients-count').textContent = '(' + fmt.count(status.clients.length) + ')';
  }
  const tasks = runningTasks(status);
  running.update(tasks);
  $('running-count').textContent = '(' + fmt.count(tasks.length) + ')';
  $('uptime').textContent = 'up ' + fmt.duration(now - status.startedAt);

  const history = model.historyUntil(now, feed.isLive());
  throughput.update(history);
  load.update(history);
  stream.update({ lanes: lanes(status, model.runs), runs: model.runs, running: tasks, now,
    windowMillis: STREAM_WINDOW_MILLIS });
  eventLog.update(model.events, model.epoch);
}

function showConnection(state) {
  const labels = {
    connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', polling: 'polling every 2 s',
    offline: 'server unreachable',
  };
  const pill = $('conn');
  pill.textContent = labels[state];
  pill.className = 'pill pill-' + state;
  document.body.dataset.conn = state;
}

/** Worker JVMs: the slots of one process share its host and PID. */
function workerProcesses(slots) {
  return new Set(slots.map(w => (w.pid ? w.host + '/' + w.ip + '/' + w.pid : w.id))).size;
}

function answered(c) {
  return c.completed + c.failed + (c.cancelled || 0);
}

function runningTasks(status) {
  const tasks = [];
  for (const w of status.workers) {
    if (w.task) {
      tasks.push({ ...w.task, worker: w.id, slot: w.id, workerName: w.name });
    }
  }
  return tasks;
}

function progressText(p) {
  if (!p) {
    return '–';
  }
  const counts = p.total ? fmt.count(p.done) + ' / ' + fmt.count(p.total) : fmt.count(p.done);
  return p.message ? counts + ' · ' + p.message : counts;
}

const byName = new Intl.Collator(undefined, { numeric: true }).compare;

/** The stream's lanes: every connected slot, and slots gone since that still have runs in the window. */
function lanes(status, runs) {
  const list = status.workers.map(w => ({ id: w.id, name: w.name }));
  const known = new Set(list.map(l => l.id));
  const gone = [];
  for (const run of runs) {
    if (!known.has(run.worker)) {
      known.add(run.worker);
      gone.push({ id: run.worker, name: run.workerName + ' (left)' });
    }
  }
  const sort = l => l.sort((a, b) => byName(a.name, b.name));
  return sort(list).concat(sort(gone));
}

/** Ten minutes where there is room for them, five on a phone. */
function chartSpan(width) {
  return (width >= 600 ? 10 : 5) * 60_000;
}

function describe(what, h, series) {
  if (!h.completed.length) {
    return what + ': no data yet';
  }
  const last = series.map(([key, label]) => label + ' ' + h[key][h[key].length - 1]).join(', ');
  const peak = series.map(([key, label]) => label + ' ' + Math.max(...h[key])).join(', ');
  return `${what}, one sample a second over the last ${fmt.duration(h.completed.length * h.intervalMillis)}: `
    + `now ${last}; highest ${peak}`;
}

setInterval(() => {
  if (!document.hidden && performance.now() - lastRender >= RENDER_MILLIS - 50) {
    render();
  }
}, RENDER_MILLIS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) {
    render();
  }
});
feed.start();
