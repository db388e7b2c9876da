/* The Find tab's list: the features shown on the map that match the search, one row each
 * (name, layer, status). A listbox with one tab stop: arrows move, a focused row is
 * shown on the map, Enter goes there. Map features stay out of the tab order: keyboard
 * users reach them through this list. */

var LIST_LIMIT = 200;                 // rows drawn at most: 20,000 rows would stall the page
var LIST_PAGE = 10;                   // rows moved by PageUp / PageDown

/* A temporary mark under the feature a row stands for: a light band with a dark edge
 * around lines and areas, a disc around sites. Drawn in a pane of its own, below the
 * features (so it never hides them) and above the context layers; it takes no clicks. */
function FindHighlight(app) {
  var pane = app.map.createPane("cpec-find-highlight");
  pane.style.zIndex = "395";
  pane.style.pointerEvents = "none";
  this.app = app;
  this.renderer = L.svg({ pane: "cpec-find-highlight" });
  this.layer = null;
  this.id = null;
}

FindHighlight.prototype.show = function (rec, pan) {
  var app = this.app, map = app.map;
  if (this.id === (rec && rec.id) && !pan) return;
  this.hide();
  if (!rec || !rec.item) return;
  var styles = app.doc.styles, style = rec.at.style || {};
  var weight = Math.max.apply(null, ["line", "polygon"].map(function (k) {
    var row = styles[own(style, k)];
    return row ? row.weight : 1;
  }));
  var point = styles[own(style, "point")];
  var radius = (point && point.radius ? point.radius : 6) + 7;
  var base = { pane: "cpec-find-highlight", renderer: this.renderer, interactive: false, lineCap: "round", lineJoin: "round" };
  function band(line, dot) {
    // Options, not a ``style`` function: L.geoJSON would apply that to the sites too.
    return L.geoJSON(rec.f.geometry, L.extend({ opacity: 0.9, fill: false }, base, line, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, L.extend({}, base, { radius: radius }, dot)); }
    }));
  }
  this.layer = L.featureGroup([
    band({ color: "#ffd84d", weight: weight + 14 }, { stroke: false, fill: true, fillColor: "#ffd84d", fillOpacity: 0.85 }),
    band({ color: "#1d2b36", weight: weight + 5 }, { color: "#1d2b36", weight: 2, opacity: 0.9, fill: false })
  ]).addTo(map);
  this.id = rec.id;
  if (pan) this.reveal();
};

/* Pan the feature into view if it is off-screen (never zoom: the user chose the zoom). */
FindHighlight.prototype.reveal = function () {
  var map = this.app.map, bounds = this.layer.getBounds();
  if (!bounds.isValid()) return;
  var size = map.getSize(), margin = Math.min(40, size.x / 4, size.y / 4);
  var inner = L.latLngBounds(map.containerPointToLatLng([margin, margin]),
    map.containerPointToLatLng([size.x - margin, size.y - margin]));
  if (inner.intersects(bounds)) return;
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  map.panTo(bounds.getCenter(), { animate: !still, duration: 0.3 });
};

FindHighlight.prototype.hide = function () {
  if (this.layer) this.app.map.removeLayer(this.layer);
  this.layer = null;
  this.id = null;
};

function FeatureList(app) {
  var self = this;
  this.app = app;
  this.box = app.find.search;
  this.highlight = new FindHighlight(app);
  this.root = el("div", "cpec-find-results");
  this.status = el("p", "cpec-find-count");
  this.status.setAttribute("role", "status");
  this.root.appendChild(this.status);
  this.list = el("ul", "cpec-find-list");
  this.list.id = app.uid + "-find-list";
  this.list.setAttribute("role", "listbox");
  this.root.appendChild(this.list);
  this.notes = el("p", "cpec-find-note");
  this.root.appendChild(this.notes);
  this.rows = [];                       // [{node, rec}] in list order
  this.at = Object.create(null);        // feature id -> index in rows
  this.active = null;                   // id of the row that is the list's tab stop
  this.focused = null;                  // id of the row with focus
  this.hovered = null;                  // id of the row under the mouse
  this.pointer = false;                 // a mouse press is focusing a row: do not pan
  this.restoring = false;               // focus is put back after a redraw: do not pan

  this.list.addEventListener("keydown", function (e) { self.onKey(e); });
  this.list.addEventListener("mousedown", function () { self.pointer = true; });
  this.list.addEventListener("click", function (e) {
    self.pointer = false;
    var i = self.indexOf(e.target);
    if (i >= 0) self.activate(i);
  });
  this.list.addEventListener("focusin", function (e) {
    var i = self.indexOf(e.target);
    if (i < 0) return;
    self.focused = self.rows[i].rec.id;
    self.setTabStop(i);
    self.highlight.show(self.rows[i].rec, !self.pointer && !self.restoring);
    self.pointer = false;
  });
  this.list.addEventListener("focusout", function (e) {
    if (self.indexOf(e.relatedTarget) >= 0) return;
    self.focused = null;
    self.showHighlight();
  });
  this.list.addEventListener("mouseover", function (e) {
    var i = self.indexOf(e.target);
    self.hovered = i >= 0 ? self.rows[i].rec.id : null;
    self.showHighlight();
  });
  this.list.addEventListener("mouseleave", function () {
    self.hovered = null;
    self.showHighlight();
  });
  this.box.input.setAttribute("aria-controls", this.list.id);
  this.box.input.addEventListener("keydown", function (e) { self.onInputKey(e); });
}

/* The row index of an element inside the list, or -1. */
FeatureList.prototype.indexOf = function (node) {
  while (node && node !== this.list) {
    if (node.getAttribute && node.getAttribute("role") === "option") {
      var i = this.at[node.getAttribute("data-feature")];
      return i === undefined ? -1 : i;
    }
    node = node.parentNode;
  }
  return -1;
};

FeatureList.prototype.showHighlight = function () {
  var id = this.hovered || this.focused;
  if (id) this.highlight.show(this.app.records.byId[id], false);
  else this.highlight.hide();
};

FeatureList.prototype.setTabStop = function (i) {
  var prev = this.active !== null ? this.at[this.active] : undefined;
  if (prev !== undefined && prev !== i) this.rows[prev].node.tabIndex = -1;
  if (this.rows[i]) {
    this.rows[i].node.tabIndex = 0;
    this.active = this.rows[i].rec.id;
  }
};

FeatureList.prototype.focusRow = function (i) {
  if (!this.rows.length) return;
  i = Math.max(0, Math.min(this.rows.length - 1, i));
  this.setTabStop(i);
  this.rows[i].node.focus();
};

/* Go to a row's feature: zoom there and open its popup; on a phone, close the drawer
 * so the map is seen, and give the map the focus (Escape closes the popup there). */
FeatureList.prototype.activate = function (i) {
  var app = this.app, row = this.rows[i];
  if (!row) return;
  this.setTabStop(i);
  app.focusFeature(row.rec.id);
  if (window.matchMedia && window.matchMedia(NARROW_SCREEN).matches && app.side.open) {
    app.side.setOpen(false);
    this.highlight.hide();
    app.map.getContainer().focus({ preventScroll: true });
  }
};

FeatureList.prototype.onKey = function (e) {
  var i = this.indexOf(e.target), last = this.rows.length - 1;
  this.pointer = false;
  if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
  var to = null;
  switch (e.key) {
    case "ArrowDown": to = i + 1; break;
    case "ArrowUp":
      if (i === 0) { this.box.input.focus(); e.preventDefault(); return; }
      to = i - 1;
      break;
    case "Home": to = 0; break;
    case "End": to = last; break;
    case "PageDown": to = i + LIST_PAGE; break;
    case "PageUp": to = i - LIST_PAGE; break;
    case "Enter":
    case " ":
      this.activate(i);
      e.preventDefault();
      return;
    case "Escape":
      this.box.input.focus();
      e.preventDefault();
      return;
    default:
      return;
  }
  this.focusRow(Math.max(0, Math.min(last, to)));
  e.preventDefault();
};

/* From the search box: ArrowDown enters the list; Enter goes to the first result; Tab
 * reaches the list of what was typed, not of what the debounce has not yet sent. */
FeatureList.prototype.onInputKey = function (e) {
  if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
  if (e.key !== "ArrowDown" && e.key !== "Enter" && e.key !== "Tab") return;
  this.box.flush();  // the list follows the store: put the typed query there first
  if (e.key === "Tab" || !this.rows.length) return;
  if (e.key === "Enter" && !foldName(this.box.input.value)) return;
  if (e.key === "ArrowDown") this.focusRow(0);
  else this.activate(0);
  e.preventDefault();
};

FeatureList.prototype.row = function (rec, selected) {
  var app = this.app, i18n = app.i18n;
  var li = el("li", "cpec-find-row");
  li.setAttribute("role", "option");
  li.setAttribute("data-feature", rec.id);
  li.setAttribute("aria-selected", selected ? "true" : "false");
  li.tabIndex = -1;
  li.appendChild(sample(app, rec.at.style || {}));
  var text = el("span", "cpec-find-text");
  text.appendChild(nameNode(app, "span", "cpec-find-name", rec.f.name));
  var meta = el("span", "cpec-find-meta");
  meta.appendChild(i18n.putText(el("span", "cpec-find-layer"), rec.layer.title));
  appendStatus(i18n, meta, rec.at.status, null);
  text.appendChild(meta);
  li.appendChild(text);
  return li;
};

FeatureList.prototype.render = function (state) {
  var app = this.app, i18n = app.i18n, self = this;
  var result = app.find.index.search(state.query, state);
  var shown = result.found.slice(0, LIST_LIMIT);
  var hadFocus = this.focused !== null && this.list.contains(document.activeElement);
  var keep = this.focused;

  var frag = document.createDocumentFragment();
  this.rows = [];
  this.at = Object.create(null);
  shown.forEach(function (rec, i) {
    var node = self.row(rec, rec.id === state.selected);
    self.rows.push({ node: node, rec: rec });
    self.at[rec.id] = i;
    frag.appendChild(node);
  });
  clear(this.list).appendChild(frag);
  this.list.hidden = !shown.length;

  // The tab stop: the row last used, else the selected feature, else the first row.
  var stop = own(this.at, this.active);
  if (stop === undefined) stop = own(this.at, state.selected);
  if (stop === undefined) stop = 0;
  this.active = null;
  if (shown.length) this.setTabStop(stop);

  if (!result.found.length && result.query) i18n.put(this.status, "search.none", { q: state.query });
  else i18n.put(this.status, "search.results", { n: i18n.number(result.found.length), total: i18n.number(result.total) });
  clear(this.notes);
  if (result.found.length > shown.length) {
    this.notes.appendChild(i18n.put(el("span", "cpec-find-more"), "list.more",
      { shown: i18n.number(shown.length), n: i18n.number(result.found.length) }));
  }
  if (result.hidden && result.query) {
    if (this.notes.firstChild) this.notes.appendChild(document.createTextNode(" "));
    this.notes.appendChild(i18n.put(el("span", "cpec-find-hidden"), "list.hidden", { n: i18n.number(result.hidden) }));
  }
  this.notes.hidden = !this.notes.firstChild;

  // Focus stays on the same feature across a re-render (a language switch, a filter).
  this.focused = null;
  if (hadFocus) {
    var at = own(this.at, keep);
    this.restoring = true;
    try {
      if (at !== undefined) this.focusRow(at);
      else if (shown.length) this.focusRow(own(this.at, this.active));
      else this.box.input.focus();
    } finally {
      this.restoring = false;
    }
  }
  if (this.hovered && own(this.at, this.hovered) === undefined) this.hovered = null;
  this.showHighlight();
};

/* Only the selection changed: mark it, leave the rows (and the focus) alone. */
FeatureList.prototype.select = function (id) {
  this.rows.forEach(function (row) {
    row.node.setAttribute("aria-selected", row.rec.id === id ? "true" : "false");
  });
};

FeatureList.prototype.translate = function () {
  this.list.setAttribute("aria-label", this.app.i18n.t("list.label"));
};

MODULES.push({
  name: "list",
  init: function (app) {
    var list = new FeatureList(app);
    app.side.tabs.find.panel.appendChild(list.root);
    app.find.list = list;
    list.translate();
    list.render(app.store.get());
    app.store.subscribe(function (state, changed) {
      if (changed.lang) list.translate();
      if (changed.query || changed.layers || changed.filters || changed.lang || changed.date) list.render(state);
      else if (changed.selected) list.select(state.selected);
    });
  }
});
