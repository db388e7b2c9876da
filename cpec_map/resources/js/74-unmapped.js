/* "Not on the map": what the sources name but nobody could locate, listed with its
 * status and sources at the foot of the Find tab, never drawn as a guess. */

function Unmapped(app) {
  this.app = app;
  this.root = el("details", "cpec-unmapped");
  this.summary = el("summary");
  this.root.appendChild(this.summary);
  this.hint = el("p", "cpec-unmapped-hint");
  this.root.appendChild(this.hint);
  this.list = el("ul", "cpec-unmapped-list");
  this.root.appendChild(this.list);
}

/* What an item was on the timeline's date (null: the latest data): like statusOn, an
 * item is not listed before its first history entry. */
function unmappedOn(item, date) {
  var history = item.history;
  if (!date || !history || !history.length) return { status: item.status, asOf: item.asOf };
  var found = history[lastOnOrBefore(history, date, entryDate)];
  return found ? { status: found.status, asOf: found.date } : null;
}

Unmapped.prototype.render = function () {
  var app = this.app, i18n = app.i18n, list = clear(this.list), date = app.store.get().date;
  var shown = app.doc.unmapped
    .map(function (item) { return { item: item, at: unmappedOn(item, date) }; })
    .filter(function (row) { return row.at; });
  i18n.put(this.summary, "unmapped.title", { n: shown.length });
  i18n.put(this.hint, "unmapped.hint");
  shown.forEach(function (row) {
    var item = row.item, li = el("li");
    li.setAttribute("data-feature", item.id);
    var head = el("p", "cpec-unmapped-name");
    head.appendChild(nameNode(app, "strong", null, item.name));
    appendStatus(i18n, head, row.at.status, row.at.asOf);
    li.appendChild(head);
    if (item.reason) {
      var why = el("p", "cpec-unmapped-reason", item.reason);
      why.lang = "en";
      li.appendChild(why);
    }
    if (Array.isArray(item.sources) && item.sources.length) li.appendChild(sourceList(app, item.sources));
    list.appendChild(li);
  });
};

MODULES.push({
  name: "unmapped",
  init: function (app) {
    if (!app.doc.unmapped || !app.doc.unmapped.length) return;
    var unmapped = new Unmapped(app);
    app.side.tabs.find.panel.appendChild(unmapped.root);
    unmapped.render();
    app.store.subscribe(function (state, changed) { if (changed.lang || changed.date) unmapped.render(); });
  }
});
