// The pool summary: a row of named figures, each written only when its text changed.

export class Summary {
  /** {@code figures}: [{ key, label, text(status), note?(status), alert?(status) }] in display order. */
  constructor(dl, figures) {
    this.figures = figures.map(figure => {
      const box = document.createElement('div');
      box.className = 'figure';
      box.dataset.figure = figure.key;
      const dt = document.createElement('dt');
      dt.textContent = figure.label;
      const dd = document.createElement('dd');
      const value = document.createElement('span');
      value.className = 'value';
      const note = document.createElement('span');
      note.className = 'note';
      dd.append(value, note);
      box.append(dt, dd);
      dl.appendChild(box);
      return { ...figure, box, value, noteEl: note, shown: null };
    });
  }

  update(status) {
    for (const f of this.figures) {
      const text = f.text(status);
      const note = f.note ? f.note(status) : '';
      const shown = text + '\u0000' + note;
      if (shown !== f.shown) {
        f.shown = shown;
        f.value.textContent = text;
        f.noteEl.textContent = note;
        f.box.classList.toggle('alert', !!(f.alert && f.alert(status)));
      }
    }
  }
}
