// A time-series line chart in SVG, drawn at the element's own pixel size (so text is never stretched) and
// redrawn when the element is resized. One path per series; the first series may be filled as an area.

const SVG = 'http://www.w3.org/2000/svg';
const PAD = { left: 36, right: 8, top: 8, bottom: 18 };

export class LineChart {
  /**
   * @param svg the svg element (its height comes from CSS)
   * @param series [{ key, cls, area? }] in drawing order
   * @param span (width in pixels) => the milliseconds the x axis covers at that width
   * @param describe (data) => text for the chart's title, read by screen readers
   */
  constructor(svg, series, span, describe) {
    this.svg = svg;
    this.series = series;
    this.span = span;
    this.describe = describe;
    this.title = svg.querySelector('title');
    this.grid = add(svg, 'g', { class: 'grid' });
    this.paths = series.map(s => ({
      area: s.area ? add(svg, 'path', { class: 'area ' + s.cls }) : null,
      line: add(svg, 'path', { class: 'line ' + s.cls, 'data-series': s.key }),
    }));
    this.data = null;
    this.width = 0;
    this.height = 0;
    // the size is taken from the observer, never read while drawing: reading it there would force a layout
    // of the whole page (a thousand table rows) every second
    new ResizeObserver(entries => {
      const box = entries[entries.length - 1].contentRect;
      this.width = Math.round(box.width);
      this.height = Math.round(box.height);
      this.draw();
    }).observe(svg);
  }

  /** {@code data}: { intervalMillis, end, [series key]: values oldest first }. */
  update(data) {
    this.data = data;
    this.draw();
  }

  draw() {
    const data = this.data;
    const width = this.width;
    const height = this.height;
    if (!data || width === 0 || height === 0) {
      return;
    }
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    const step = data.intervalMillis;
    const slots = Math.max(2, Math.round(this.span(width) / step));
    let max = 0;
    for (const s of this.series) {
      for (const v of data[s.key].slice(-slots)) {
        max = Math.max(max, v);
      }
    }
    const top = niceCeiling(max);
    const x = i => PAD.left + plotW * (i / (slots - 1));
    const y = v => PAD.top + plotH * (1 - v / top);
    this.drawGrid(width, top, x, y, slots, step);
    this.series.forEach((s, n) => {
      const values = data[s.key].slice(-slots);
      const first = slots - values.length;
      let d = '';
      values.forEach((v, i) => {
        d += (i === 0 ? 'M' : 'L') + x(first + i).toFixed(1) + ' ' + y(v).toFixed(1);
      });
      this.paths[n].line.setAttribute('d', d);
      if (this.paths[n].area) {
        this.paths[n].area.setAttribute('d', values.length
          ? d + `L${x(slots - 1).toFixed(1)} ${y(0)}L${x(first).toFixed(1)} ${y(0)}Z` : '');
      }
    });
    this.title.textContent = this.describe(data);
  }

  drawGrid(width, top, x, y, slots, step) {
    const parts = [];
    for (const v of [0, top / 2, top]) {
      parts.push(el('line', { x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v) }));
      parts.push(el('text', { x: PAD.left - 4, y: y(v) + 4, class: 'ylabel' }, axisNumber(v)));
    }
    const spanMinutes = (slots - 1) * step / 60_000;
    const tick = spanMinutes > 5 ? 2 : spanMinutes > 2 ? 1 : 0.5;
    for (let m = 0; m <= spanMinutes + 1e-9; m += tick) {
      const i = Math.max(0, slots - 1 - Math.round(m * 60_000 / step));
      const label = m === 0 ? 'now' : '−' + (m < 1 ? m * 60 + ' s' : m + ' min');
      parts.push(el('text', { x: x(i), y: y(0) + 14, class: 'xlabel' + (m === 0 ? ' end' : '') }, label));
    }
    this.grid.replaceChildren(...parts);
  }
}

function add(parent, name, attrs) {
  const node = el(name, attrs);
  parent.appendChild(node);
  return node;
}

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, typeof v === 'number' ? v.toFixed(1).replace(/\.0$/, '') : v);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v} (at least 1), so the axis reads in round numbers. */
export function niceCeiling(v) {
  if (!(v > 1)) {
    return 1;
  }
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= v) {
      return m * p;
    }
  }
  return 10 * p;
}

function axisNumber(v) {
  if (v >= 1e6) {
    return +(v / 1e6).toPrecision(3) + 'M';
  }
  if (v >= 1e4) {
    return +(v / 1e3).toPrecision(3) + 'k';
  }
  return String(+v.toPrecision(3));
}
