// The task stream, as Dask's: one lane per worker slot, a bar per task run from its start to its end over the
// last minute; finished runs filled (in their client's colour, or the colour of how they failed), running ones
// open, growing up to now. Drawn on a canvas: a thousand lanes and thousands of bars stay one cheap redraw.

import { duration } from './format.js';

const CLIENT_COLOURS = ['#4e79a7', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7',
  '#17becf', '#bcbd22'];
export const STATUS_COLOURS = { ERROR: '#d62728', LOST: '#222222', CANCELLED: '#a8a8a8' };
const STATUS_NAMES = { ERROR: 'failed', LOST: 'lost', CANCELLED: 'cancelled' };
const AXIS = 18;
/** The lanes' total height is kept near this, within MIN_LANE..MAX_LANE pixels a lane; the box scrolls beyond. */
const TARGET_HEIGHT = 320;
const MIN_LANE = 3;
const MAX_LANE = 18;

export class TaskStream {
  constructor(canvas, tip, legend) {
    this.canvas = canvas;
    this.tip = tip;
    this.legend = legend;
    this.clientColours = new Map();
    this.legendKey = '';
    this.view = null;
    this.hits = [];
    canvas.addEventListener('pointermove', e => this.showTip(e));
    canvas.addEventListener('pointerleave', () => {
      this.tip.hidden = true;
    });
    this.width = 0;
    // as in LineChart: the width comes from the observer, so drawing never forces a layout
    new ResizeObserver(entries => {
      this.width = Math.round(entries[entries.length - 1].contentRect.width);
      this.draw();
    }).observe(canvas.parentElement);
  }

  /**
   * @param view { lanes: [{ id, name }], runs: finished runs, running: [{ worker, taskId, client, clientName,
   *     startedAt }], now, windowMillis }
   */
  update(view) {
    this.view = view;
    this.draw();
  }

  colourOf(run) {
    if (run.status && run.status !== 'VALUE') {
      return STATUS_COLOURS[run.status] || STATUS_COLOURS.LOST;
    }
    let i = this.clientColours.get(run.client);
    if (i === undefined) {
      i = this.clientColours.size % CLIENT_COLOURS.length;
      this.clientColours.set(run.client, i);
    }
    return CLIENT_COLOURS[i];
  }

  draw() {
    const view = this.view;
    const width = this.width;
    if (!view || width === 0) {
      return;
    }
    const lanes = view.lanes;
    const laneH = Math.max(MIN_LANE, Math.min(MAX_LANE, Math.floor(TARGET_HEIGHT / Math.max(1, lanes.length))));
    const height = Math.max(3 * MAX_LANE, lanes.length * laneH) + AXIS;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.style.width = width + 'px';
    this.canvas.style.height = height + 'px';
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    const g = this.canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';

    const labelW = laneH >= 10 && width >= 520 ? Math.min(170, Math.round(width * 0.18)) : 0;
    const left = labelW + 2;
    const plotW = width - left - 6;
    const from = view.now - view.windowMillis;
    const xOf = t => left + Math.max(0, Math.min(1, (t - from) / view.windowMillis)) * plotW;
    const laneOf = new Map(lanes.map((lane, i) => [lane.id, i]));
    const plotH = lanes.length * laneH;

    this.drawLanes(g, lanes, laneH, labelW, width);
    this.drawAxis(g, xOf, plotH, height, view.windowMillis, from);

    this.hits = lanes.map(() => []);
    const clients = new Map();
    const failures = new Set();
    let bars = 0;
    for (const run of view.runs) {
      const lane = laneOf.get(run.worker);
      if (lane === undefined || run.endedAt < from) {
        continue;
      }
      // whole pixels: a bar is crisp, and one that lasted a few milliseconds is still one full pixel wide
      const x0 = Math.floor(xOf(run.startedAt));
      const x1 = Math.max(x0 + 1, Math.round(xOf(run.endedAt)));
      g.fillStyle = this.colourOf(run);
      g.fillRect(x0, lane * laneH + 1, x1 - x0, Math.max(1, laneH - 2));
      this.hits[lane].push({ x0, x1, run });
      if (run.status === 'VALUE') {
        clients.set(run.client, run.clientName);
      } else {
        failures.add(run.status);
      }
      bars++;
    }
    g.lineWidth = 1.5;
    for (const task of view.running) {
      const lane = laneOf.get(task.worker);
      if (lane === undefined) {
        continue;
      }
      const x0 = Math.floor(xOf(task.startedAt));
      const x1 = Math.max(x0 + 3, Math.round(xOf(view.now)));
      const colour = this.colourOf(task);
      const y = lane * laneH + 1;
      const h = Math.max(1, laneH - 2);
      g.globalAlpha = 0.25;
      g.fillStyle = colour;
      g.fillRect(x0, y, x1 - x0, h);
      g.globalAlpha = 1;
      g.strokeStyle = colour;
      // open at the right end: the task has not ended
      g.beginPath();
      g.moveTo(x1, y + 0.75);
      g.lineTo(x0 + 0.75, y + 0.75);
      g.lineTo(x0 + 0.75, y + h - 0.75);
      g.lineTo(x1, y + h - 0.75);
      g.stroke();
      this.hits[lane].push({ x0, x1, run: { ...task, endedAt: null } });
      clients.set(task.client, task.clientName);
    }

    this.canvas.dataset.bars = String(bars);
    this.canvas.dataset.running = String(view.running.length);
    this.canvas.setAttribute('aria-label', `Task stream: ${bars} finished and ${view.running.length} running task`
      + ` runs on ${lanes.length} worker slots over the last ${Math.round(view.windowMillis / 1000)} s`);
    this.drawLegend(clients, failures);
    this.layout = { laneH, plotH, left, plotW, from };
  }

  drawLanes(g, lanes, laneH, labelW, width) {
    lanes.forEach((lane, i) => {
      if (i % 2 === 1 && laneH >= 6) {
        g.fillStyle = '#f3f5f8';
        g.fillRect(0, i * laneH, width, laneH);
      }
      if (labelW > 0) {
        g.fillStyle = '#555';
        g.textBaseline = 'middle';
        g.textAlign = 'left';
        g.fillText(fit(g, lane.name, labelW - 6), 4, i * laneH + laneH / 2);
      }
    });
    if (lanes.length === 0) {
      g.fillStyle = '#888';
      g.textAlign = 'left';
      g.textBaseline = 'middle';
      g.fillText('no worker slots', 8, 1.5 * MAX_LANE);
    }
  }

  drawAxis(g, xOf, plotH, height, windowMillis, from) {
    g.strokeStyle = '#e2e5ea';
    g.lineWidth = 1;
    g.fillStyle = '#666';
    g.textBaseline = 'alphabetic';
    const step = 10_000;
    for (let back = 0; back <= windowMillis; back += step) {
      const x = Math.round(xOf(from + windowMillis - back)) + 0.5;
      g.beginPath();
      g.moveTo(x, 0);
      g.lineTo(x, plotH);
      g.stroke();
      g.textAlign = back === 0 ? 'right' : back === windowMillis ? 'left' : 'center';
      g.fillText(back === 0 ? 'now' : '−' + back / 1000 + ' s', x, height - 5);
    }
  }

  drawLegend(clients, failures) {
    const items = [...clients].sort((a, b) => String(a[1]).localeCompare(String(b[1])))
      .map(([id, name]) => [this.colourOf({ client: id, status: 'VALUE' }), 'client ' + (name || id)]);
    for (const status of ['ERROR', 'LOST', 'CANCELLED']) {
      if (failures.has(status)) {
        items.push([STATUS_COLOURS[status], STATUS_NAMES[status]]);
      }
    }
    const key = items.map(i => i.join()).join(';');
    if (key === this.legendKey) {
      return;
    }
    this.legendKey = key;
    this.legend.replaceChildren(...items.map(([colour, label]) => {
      const li = document.createElement('li');
      const swatch = document.createElement('i');
      swatch.className = 'sw';
      swatch.style.background = colour;
      li.append(swatch, label);
      return li;
    }));
  }

  showTip(e) {
    if (!this.layout) {
      return;
    }
    const lane = Math.floor(e.offsetY / this.layout.laneH);
    const hit = (this.hits[lane] || []).find(h => e.offsetX >= h.x0 - 2 && e.offsetX <= h.x1 + 2);
    if (!hit) {
      this.tip.hidden = true;
      return;
    }
    const run = hit.run;
    const now = this.view.now;
    const lasted = (run.endedAt || now) - run.startedAt;
    this.tip.textContent = `task ${run.taskId} · ${run.clientName || run.client} · `
      + (run.endedAt ? `${STATUS_NAMES[run.status] || 'done'} after ${duration(lasted)}`
        : `running for ${duration(lasted)}`);
    this.tip.hidden = false;
    const x = Math.min(e.offsetX + 12, this.width - this.tip.offsetWidth - 4);
    this.tip.style.left = Math.max(0, x) + 'px';
    this.tip.style.top = (e.offsetY + 14) + 'px';
  }
}

/** {@code text} shortened with an ellipsis to fit {@code width} pixels. */
function fit(g, text, width) {
  text = String(text);
  if (g.measureText(text).width <= width) {
    return text;
  }
  let n = text.length;
  while (n > 1 && g.measureText(text.slice(0, n) + '…').width > width) {
    n--;
  }
  return text.slice(0, n) + '…';
}
