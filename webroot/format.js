// How the dashboard writes figures: pure functions of numbers to short strings.

const DASH = '–';
// one formatter each: toLocaleString() builds a new one per call, which shows with a thousand table rows
const NUMBER = new Intl.NumberFormat();
const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const DATE_TIME = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'medium' });

export function count(n) {
  return n == null ? DASH : NUMBER.format(n);
}

/** Bytes in binary units with three significant digits: 812 B, 1.21 KiB, 24.0 GiB. */
export function bytes(n) {
  if (n == null || n < 0) {
    return DASH;
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toPrecision(3)) + ' ' + units[i];
}

/** A duration in the largest two units that matter: 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min, 3 d 4 h. */
export function duration(ms) {
  if (ms == null || !isFinite(ms)) {
    return DASH;
  }
  ms = Math.max(0, ms);
  if (ms < 1000) {
    return Math.round(ms) + ' ms';
  }
  const s = ms / 1000;
  if (s < 60) {
    return (s < 10 ? s.toFixed(1) : Math.floor(s)) + ' s';
  }
  const pad = x => String(x).padStart(2, '0');
  const m = Math.floor(s / 60);
  if (m < 60) {
    return m + ' min ' + pad(Math.floor(s % 60)) + ' s';
  }
  const h = Math.floor(m / 60);
  if (h < 24) {
    return h + ' h ' + pad(m % 60) + ' min';
  }
  return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
}

/** Milliseconds as the latency figures are shown: 0.4 ms, 12 ms, 3.2 s. */
export function latency(ms) {
  if (ms == null || !isFinite(ms)) {
    return DASH;
  }
  return ms < 10 ? ms.toFixed(1) + ' ms' : duration(ms);
}

export function rate(perSecond) {
  if (perSecond == null || !isFinite(perSecond)) {
    return DASH;
  }
  return perSecond < 10 ? perSecond.toFixed(1) : NUMBER.format(Math.round(perSecond));
}

/** The local time of day of an epoch time, 14:03:27. */
export function clock(epochMillis) {
  if (!epochMillis) {
    return DASH;
  }
  return TIME.format(epochMillis);
}

/** The full local date and time, for tooltips. */
export function dateTime(epochMillis) {
  return epochMillis ? DATE_TIME.format(epochMillis) : DASH;
}

/** A tag map as the worker was started with it: region=eu, gpu. */
export function tags(map) {
  return Object.entries(map || {}).map(([k, v]) => (v === '' ? k : k + '=' + v)).join(', ');
}
