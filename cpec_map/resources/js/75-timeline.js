/* The timeline: a slider over the dates on which some status changed, and "latest
 * data" at its end. It sets the store's ``date``; the map, list, legend and popups show
 * the corridor as it stood then (features not yet announced are hidden). */

function Timeline(app) {
  var self = this, dates = app.doc.timeline.dates;
  this.app = app;
  this.dates = dates;
  this.root = el("fieldset", "cpec-group cpec-timeline");
  this.legend = el("legend");
  this.root.appendChild(this.legend);
  this.input = el("input");
  this.input.type = "range";
  this.input.min = "0";
  this.input.max = String(dates.length);
  this.input.step = "1";
  this.input.id = app.uid + "-timeline";
  this.output = el("output", "cpec-timeline-date");
  this.output.htmlFor = this.input.id;
  this.hint = el("p", "cpec-timeline-hint");
  // any day, not only the slider's stops: "the corridor on 30 June 2019"
  var row = el("p", "cpec-timeline-pick");
  this.pickLabel = el("label");
  this.picker = el("input");
  this.picker.type = "date";
  this.picker.id = app.uid + "-timeline-date";
  this.pickLabel.htmlFor = this.picker.id;
  this.picker.min = fullDate(dates[0]);
  row.appendChild(this.pickLabel);
  row.appendChild(this.picker);
  this.root.appendChild(this.input);
  this.root.appendChild(this.output);
  this.root.appendChild(row);
  this.root.appendChild(this.hint);
  this.input.addEventListener("input", function () {
    var i = Number(self.input.value);
    app.store.set({ date: i >= dates.length ? null : dates[i] });
  });
  this.picker.addEventListener("change", function () {
    var v = self.picker.value;
    app.store.set({ date: /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null });
  });
}

/* A history date ("2025", "2025-03") as the first day it stands for, for the date field. */
function fullDate(date) {
  return (date + "-01-01").slice(0, 10);
}

Timeline.prototype.update = function (state) {
  var i18n = this.app.i18n, dates = this.dates;
  var index = state.date ? Math.max(0, lastOnOrBefore(dates, state.date)) : dates.length;
  this.input.value = String(index);
  i18n.put(this.legend, "timeline.label");
  i18n.put(this.pickLabel, "timeline.pick");
  this.picker.value = state.date ? fullDate(state.date) : "";
  i18n.put(this.hint, "timeline.hint");
  if (state.date) this.output.textContent = state.date;
  else i18n.put(this.output, "timeline.now");
  this.input.setAttribute("aria-valuetext", this.output.textContent);
  this.input.setAttribute("aria-label", i18n.t("timeline.label"));
};

MODULES.push({
  name: "timeline",
  init: function (app) {
    var tl = app.doc.timeline;
    if (!tl || !tl.dates.length || tl.asOf) return;  // a map built --as-of a date is that date
    var timeline = new Timeline(app);
    var panel = app.side.tabs.layers.panel;
    panel.insertBefore(timeline.root, panel.firstChild);
    app.timeline = timeline;
    timeline.update(app.store.get());
    app.store.subscribe(function (state, changed) {
      if (changed.date || changed.lang) timeline.update(state);
    });
  }
});
