// A sortable table that stays cheap with thousands of rows. A cell is written only when what it shows changed,
// and rows are moved only where the order changed. Past WINDOW_ROWS rows only those in view in the table's
// scroll box (and a margin) are in the page, between two spacer rows as tall as the rows left out: a thousand
// workers then cost the browser a few dozen rows to lay out, not a thousand.
//
// A column is { key, label, text(row), value(row)?, title(row)?, cls(row)?, progress(row)?, numeric? }:
// text is what the cell shows, value what it sorts by (text when absent), progress a { fraction } drawn as a
// bar behind the text.

const WINDOW_ROWS = 150;
const MARGIN_ROWS = 15;

export class SortableTable {
  constructor(table, columns, { rowKey, empty, sortKey, descending = false }) {
    this.table = table;
    this.columns = columns;
    this.rowKey = rowKey;
    this.sort = { key: sortKey || columns[0].key, descending };
    this.rows = [];
    this.sortedRows = [];
    this.entries = new Map();
    this.buildHead();
    this.body = table.createTBody();
    this.above = this.spacer();
    this.below = this.spacer();
    this.emptyRow = this.body.insertRow();
    const td = this.emptyRow.insertCell();
    td.colSpan = columns.length;
    td.className = 'empty';
    td.textContent = empty;
    this.body.prepend(this.above);
    this.body.append(this.below);
    // the scroll box's height and scroll position, kept from events so that rendering never reads layout
    this.box = table.parentElement;
    this.viewHeight = 0;
    this.scrollTop = 0;
    this.rowHeight = 0;
    this.scrollPending = false;
    this.box.addEventListener('scroll', () => {
      this.scrollTop = this.box.scrollTop;
      if (this.sortedRows.length > WINDOW_ROWS && !this.scrollPending) {
        this.scrollPending = true;
        requestAnimationFrame(() => {
          this.scrollPending = false;
          this.place();
        });
      }
    }, { passive: true });
    new ResizeObserver(entries => {
      this.viewHeight = entries[entries.length - 1].contentRect.height;
      if (this.sortedRows.length > WINDOW_ROWS) {
        this.place();
      }
    }).observe(this.box);
  }

  spacer() {
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    const td = tr.insertCell();
    td.colSpan = this.columns.length;
    return tr;
  }

  buildHead() {
    const row = this.table.createTHead().insertRow();
    this.headers = this.columns.map(column => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.key = column.key;
      if (column.numeric) {
        th.className = 'num';
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = column.label;
      button.title = 'Sort by ' + column.label.toLowerCase();
      button.addEventListener('click', () => this.sortBy(column.key));
      th.appendChild(button);
      row.appendChild(th);
      return th;
    });
    this.markSorted();
  }

  /** Sorts by {@code key}; a second click on the same column reverses the order. */
  sortBy(key) {
    const column = this.columns.find(c => c.key === key);
    this.sort = this.sort.key === key
      ? { key, descending: !this.sort.descending }
      // figures are most interesting largest first, names in alphabetical order
      : { key, descending: !!column.numeric };
    this.markSorted();
    this.render();
  }

  markSorted() {
    for (const th of this.headers) {
      if (th.dataset.key === this.sort.key) {
        th.setAttribute('aria-sort', this.sort.descending ? 'descending' : 'ascending');
      } else {
        th.removeAttribute('aria-sort');
      }
    }
  }

  update(rows) {
    this.rows = rows;
    this.render();
  }

  render() {
    this.sortedRows = this.sorted();
    this.emptyRow.hidden = this.sortedRows.length > 0;
    this.place();
  }

  /** Puts the rows in view (all of them, up to WINDOW_ROWS) in the page, in order, and fills them. */
  place() {
    const rows = this.sortedRows;
    let first = 0;
    let last = rows.length;
    if (rows.length > WINDOW_ROWS) {
      const height = this.rowHeight || 30;
      first = Math.max(0, Math.floor(this.scrollTop / height) - MARGIN_ROWS);
      last = Math.min(rows.length, first + Math.ceil(this.viewHeight / height) + 2 * MARGIN_ROWS);
    }
    const shown = rows.slice(first, last);
    const keys = new Set();
    for (const row of shown) {
      const key = this.rowKey(row);
      keys.add(key);
      let entry = this.entries.get(key);
      if (!entry) {
        entry = this.createEntry(key);
        this.entries.set(key, entry);
      }
      this.fill(entry, row);
    }
    for (const [key, entry] of this.entries) {
      if (!keys.has(key)) {
        entry.tr.remove();
        this.entries.delete(key);
      }
    }
    // walk the body once, moving only the rows that are out of place
    let at = this.above.nextSibling === this.emptyRow ? this.emptyRow.nextSibling : this.above.nextSibling;
    for (const row of shown) {
      const tr = this.entries.get(this.rowKey(row)).tr;
      if (tr === at) {
        at = at.nextSibling;
      } else {
        this.body.insertBefore(tr, at);
      }
    }
    if (!this.rowHeight && shown.length > 0 && rows.length > WINDOW_ROWS) {
      // read once: every row has the same height (see app.css)
      this.rowHeight = this.entries.get(this.rowKey(shown[0])).tr.getBoundingClientRect().height || 30;
      this.place();
      return;
    }
    const height = this.rowHeight || 30;
    this.above.firstChild.style.height = first * height + 'px';
    this.below.firstChild.style.height = (rows.length - last) * height + 'px';
    this.above.hidden = first === 0;
    this.below.hidden = last === rows.length;
  }

  sorted() {
    const column = this.columns.find(c => c.key === this.sort.key);
    const value = column.value || column.text;
    const keyed = this.rows.map(row => ({ row, v: value(row), k: String(this.rowKey(row)) }));
    const sign = this.sort.descending ? -1 : 1;
    keyed.sort((a, b) => sign * compare(a.v, b.v) || compare(a.k, b.k));
    return keyed.map(x => x.row);
  }

  createEntry(key) {
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    const cells = this.columns.map(column => {
      const td = tr.insertCell();
      if (column.numeric) {
        td.className = 'num';
      }
      return { td, shown: null };
    });
    return { tr, cells };
  }

  fill(entry, row) {
    this.columns.forEach((column, i) => {
      const cell = entry.cells[i];
      const text = column.text(row);
      const title = column.title ? column.title(row) : '';
      const cls = (column.numeric ? 'num ' : '') + (column.cls ? column.cls(row) : '');
      const progress = column.progress ? column.progress(row) : null;
      const shown = text + '\u0000' + title + '\u0000' + cls + '\u0000' + (progress ? progress.fraction : '');
      if (shown === cell.shown) {
        return;
      }
      cell.shown = shown;
      cell.td.className = cls.trim();
      cell.td.title = title;
      if (column.progress) {
        drawProgress(cell, progress, text);
      } else {
        cell.td.textContent = text;
      }
    });
  }
}

/** A bar with its label on it, or just the label when there is nothing to measure. */
function drawProgress(cell, progress, text) {
  if (!cell.bar) {
    const outer = document.createElement('div');
    outer.className = 'bar';
    outer.setAttribute('role', 'progressbar');
    outer.setAttribute('aria-valuemin', '0');
    outer.setAttribute('aria-valuemax', '100');
    const fill = document.createElement('div');
    fill.className = 'bar-fill';
    const label = document.createElement('span');
    label.className = 'bar-label';
    outer.append(fill, label);
    cell.td.replaceChildren(outer);
    cell.bar = { outer, fill, label };
  }
  const { outer, fill, label } = cell.bar;
  label.textContent = text;
  if (progress && isFinite(progress.fraction)) {
    const percent = Math.round(Math.min(1, Math.max(0, progress.fraction)) * 100);
    fill.style.width = percent + '%';
    outer.setAttribute('aria-valuenow', String(percent));
  } else {
    fill.style.width = '0';
    outer.removeAttribute('aria-valuenow');
  }
  outer.setAttribute('aria-valuetext', text);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (a == null || b == null) {
    return (a == null) - (b == null);
  }
  return collator.compare(String(a), String(b));
}
