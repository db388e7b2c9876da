/* Permalinks: the URL fragment holds the state, so a copied link opens the map as it was;
 * a "Copy link" button in the side panel's tools.
 *
 * Fragment format. Parts are joined by "&"; each is written only when it differs from the
 * document's default, so the map as it opens has no fragment at all. Values are
 * percent-encoded (encodeURIComponent), list items separated by ",":
 *
 *   map=ZOOM/LAT/LNG  the view: zoom (an integer, or up to 2 decimals), centre latitude and
 *                     longitude (4 decimals, 5 from zoom 12). Absent: the opening view (the
 *                     corridor fitted to the window).
 *   layers=ID,ID      the visible layers, all of them, when they differ from the default set
 *                     ("layers=" alone: none).
 *   FACET=V,V         a filter: the allowed values of one of the document's facets (status,
 *                     precision, or a facet a layer declares); "status=" alone allows none.
 *                     A facet named like one of these parts is written "facet.NAME=".
 *   lang=ur           the interface language, unless the document's default.
 *   sel=LAYER%2FID    the selected feature (its map-wide id, of a layer that takes clicks);
 *                     its popup opens (once it is shown, if a filter or layer hides it).
 *   q=TEXT            the search text of the list.
 *   base=ID           the basemap, unless the document's default (or the page's own
 *                     offline fall-back).
 *   date=YYYY[-MM[-DD]] the timeline's date, where the page has a timeline.
 *   embed             article mode (read by 90-app.js at start); kept as it is.
 *
 *   e.g. #map=9/24.8607/67.0011&layers=cities,sez&status=planned,proposed&precision=exact
 *        &lang=ur&sel=sez%2Fsez-dhabeji&q=karachi&base=outline
 *
 * Parts are written in this order, after any kept ones: other parts with a plain name
 * ("embed", "name=value") are kept as they are, in front, so flags of other modules
 * survive. The fragment is untrusted input, like the data: unknown layers, values,
 * languages and features are ignored, numbers must be finite and in range, a fragment
 * longer than 4,000 characters is not read at all, and nothing from it reaches the page
 * except through the store.
 *
 * The fragment is written with history.replaceState (no history entry per change; view
 * and search changes are debounced) and read again on "hashchange" (the user edited the
 * URL, or went back to a link). */

var FRAGMENT_MAX = 4000;
var FRAGMENT_KEYS = dict(["map", "layers", "lang", "sel", "q", "base", "date", "embed"]);
var FRAGMENT_KEEP = /^[a-z][a-z0-9_.-]{0,31}(=[\w.~%,:\/+-]{0,200})?$/i;
var QUERY_MAX = 200;

function decodePart(text) {
  try { return decodeURIComponent(text); } catch (e) { return null; }
}

/* A list value ("a,b%2Cc") as decoded items; items that do not decode are dropped. */
function decodeList(text) {
  if (text === "") return [];
  return text.split(",").map(decodePart).filter(function (v) { return v !== null && v !== ""; });
}

/* A decimal number written plainly ("-12.5"), or NaN: no exponents, no Infinity, no hex. */
function plainNumber(text) {
  return typeof text === "string" && text.length <= 20 && /^-?\d{1,3}(\.\d{1,12})?$/.test(text)
    ? parseFloat(text) : NaN;
}

function trimNumber(value, decimals) {
  var text = value.toFixed(decimals);
  return text.indexOf(".") < 0 ? text : text.replace(/\.?0+$/, "");
}

function Permalink(app) {
  var self = this, doc = app.doc;
  this.app = app;
  this.facetKey = Object.create(null);   // facet id -> its name in the fragment
  this.facetByKey = Object.create(null); // name in the fragment -> facet
  doc.facets.forEach(function (facet) {
    var key = FRAGMENT_KEYS[facet.id] ? "facet." + facet.id : facet.id;
    self.facetKey[facet.id] = key;
    self.facetByKey[key] = facet;
    self.facetByKey["facet." + facet.id] = facet;
  });
  var state = app.store.get();
  this.defaults = { view: state.view, layers: state.layers, lang: doc.lang, basemap: doc.basemap };
  this.written = null;
  this.timer = null;
  this.applying = false;
}

/* The fragment's parts: {values: {name: raw value or null}, keep: [raw parts to keep]}. */
Permalink.prototype.parse = function (hash) {
  var text = String(hash || "").replace(/^#/, ""), values = Object.create(null), keep = [];
  if (text.length > FRAGMENT_MAX) {
    // not ours (ours are far shorter): read nothing, keep only the article flag
    if (/(^|&)embed(&|=|$)/.test(text)) keep.push("embed");
    return { values: values, keep: keep };
  }
  var self = this;
  text.split("&").forEach(function (raw) {
    if (!raw) return;
    var eq = raw.indexOf("=");
    var name = decodePart(eq < 0 ? raw : raw.slice(0, eq));
    var value = eq < 0 ? null : raw.slice(eq + 1);
    var ours = name !== null && name !== "embed" && (FRAGMENT_KEYS[name] || self.facetByKey[name]);
    if (ours) {
      if (!(name in values)) values[name] = value;
    } else if (FRAGMENT_KEEP.test(raw) && keep.length < 8 && keep.indexOf(raw) < 0) {
      keep.push(raw);
    }
  });
  return { values: values, keep: keep };
};

/* The view a "ZOOM/LAT/LNG" value names, or null. */
Permalink.prototype.parseView = function (value) {
  if (typeof value !== "string") return null;
  var bits = value.split("/");
  if (bits.length !== 3) return null;
  var zoom = plainNumber(bits[0]), lat = plainNumber(bits[1]), lng = plainNumber(bits[2]);
  if (!(zoom >= 0 && zoom <= 30 && lat >= -85 && lat <= 85 && lng >= -180 && lng <= 180)) return null;
  var map = this.app.map, min = map.getMinZoom(), max = map.getMaxZoom();
  if (isFinite(min)) zoom = Math.max(zoom, min);
  if (isFinite(max)) zoom = Math.min(zoom, max);
  return { lat: lat, lng: lng, zoom: zoom };
};

/* The whole state a fragment describes: what it names, defaults for the rest. */
Permalink.prototype.stateFrom = function (parts) {
  var app = this.app, doc = app.doc, values = parts.values, self = this;
  var out = { view: this.parseView(values.map) || this.defaults.view };

  var layers = {};
  Object.keys(this.defaults.layers).forEach(function (id) { layers[id] = self.defaults.layers[id]; });
  if (typeof values.layers === "string") {
    var ids = decodeList(values.layers).filter(function (id) { return own(layers, id) !== undefined; });
    if (values.layers === "" || ids.length) {
      var on = dict(ids);
      Object.keys(layers).forEach(function (id) { layers[id] = !!on[id]; });
    }
  }
  out.layers = layers;

  var filters = {};
  doc.facets.forEach(function (facet) {
    var raw = own(values, self.facetKey[facet.id]);
    if (raw === undefined) raw = own(values, "facet." + facet.id);
    if (typeof raw !== "string") return;
    var known = dict(facet.values);
    var allowed = decodeList(raw).filter(function (v, i, all) { return known[v] && all.indexOf(v) === i; });
    if (raw !== "" && !allowed.length) return;          // nothing we know: no filter
    if (allowed.length === facet.values.length) return; // everything allowed: no filter
    filters[facet.id] = allowed.sort();
  });
  out.filters = filters;

  var lang = typeof values.lang === "string" ? decodePart(values.lang) : null;
  out.lang = lang && doc.languages.indexOf(lang) >= 0 ? lang : doc.lang;

  var sel = typeof values.sel === "string" ? decodePart(values.sel) : null;
  var rec = sel ? own(app.records.byId, sel) : undefined;
  out.selected = rec && rec.item && rec.layer.interactive ? rec.id : null;

  var q = typeof values.q === "string" ? decodePart(values.q) : null;
  out.query = q ? q.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, QUERY_MAX) : "";

  var base = typeof values.base === "string" ? decodePart(values.base) : null;
  out.basemap = doc.basemaps.some(function (b) { return b.id === base; }) ? base : doc.basemap;

  var date = typeof values.date === "string" ? decodePart(values.date) : null;
  // only a page with a timeline has dates (a map built --as-of a date is that date)
  out.date = app.timeline && date && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(date) ? date : null;
  return out;
};

Permalink.prototype.viewText = function (view) {
  var zoom = Math.round(view.zoom * 100) / 100, decimals = zoom >= 12 ? 5 : 4;
  return trimNumber(zoom, 2) + "/" + trimNumber(view.lat, decimals) + "/" + trimNumber(view.lng, decimals);
};

/* The fragment (without "#") for a state, keeping the given raw parts in front. */
Permalink.prototype.compose = function (state, keep) {
  var app = this.app, doc = app.doc, self = this, parts = keep.slice();
  if (state.view && this.viewText(state.view) !== this.viewText(this.defaults.view)) {
    parts.push("map=" + this.viewText(state.view));
  }
  var ids = Object.keys(this.defaults.layers);
  var differs = ids.some(function (id) { return !!state.layers[id] !== !!self.defaults.layers[id]; });
  if (differs) {
    var visible = doc.layers.filter(function (l) { return state.layers[l.id]; });
    parts.push("layers=" + visible.map(function (l) { return encodeURIComponent(l.id); }).join(","));
  }
  doc.facets.forEach(function (facet) {
    var allowed = own(state.filters, facet.id);
    if (!allowed) return;
    parts.push(encodeURIComponent(self.facetKey[facet.id]) + "=" +
      allowed.map(function (v) { return encodeURIComponent(v); }).join(","));
  });
  if (state.lang !== doc.lang) parts.push("lang=" + encodeURIComponent(state.lang));
  if (state.selected) parts.push("sel=" + encodeURIComponent(state.selected));
  if (state.query) parts.push("q=" + encodeURIComponent(state.query));
  if (state.date) parts.push("date=" + encodeURIComponent(state.date));
  // A basemap the page chose by itself (tiles failed: the offline outline) is this
  // reader's circumstance, not part of the view they share.
  if (state.basemap !== doc.basemap && state.basemap !== app.autoBasemap) {
    parts.push("base=" + encodeURIComponent(state.basemap));
  }
  return parts.join("&");
};

/* Bring the store to what a fragment says. */
Permalink.prototype.apply = function (hash) {
  var app = this.app, store = app.store, next = this.stateFrom(this.parse(hash));
  this.applying = true;
  try {
    // The basemap first (the outline basemap limits zoom and bounds), then the view, then
    // the rest: the selected feature's popup then opens where the link's view has it.
    store.set({ basemap: next.basemap });
    store.set({ view: next.view });
    // The link's view is what its author saw: the popup it opens must not pan it away.
    app.restoringView = true;
    store.set({ layers: next.layers, filters: next.filters, lang: next.lang, query: next.query,
      date: next.date, selected: next.selected });
  } finally {
    this.applying = false;
    app.restoringView = false;
  }
  this.write();
};

/* Write the store's state into the URL now. */
Permalink.prototype.write = function () {
  clearTimeout(this.timer);
  this.timer = null;
  var hash = window.location.hash;
  var keep = this.parse(hash).keep;
  var text = this.compose(this.app.store.get(), keep);
  var base = window.location.href.split("#")[0];
  var url = text ? base + "#" + text : base;
  if (this.manual && !this.manual.hidden) this.input.value = url;
  this.written = text ? "#" + text : "";
  if (url === window.location.href) return;
  try {
    window.history.replaceState(window.history.state, "", url);
  } catch (e) {
    // replaceState refused (some file:// pages): a fragment navigation, which the
    // hashchange handler recognises as ours
    try { window.location.replace(base + "#" + text); } catch (e2) { /* keep the old URL */ }
  }
};

Permalink.prototype.schedule = function () {
  var self = this;
  clearTimeout(this.timer);
  this.timer = setTimeout(function () { self.write(); }, 250);
};

/* The "Copy link" button, its status line and the copy-by-hand fall-back. */
Permalink.prototype.buildTools = function (tools) {
  var app = this.app, self = this;
  this.copy = button("cpec-copy-link");
  this.copy.appendChild(icon("link"));
  this.copyText = el("span");
  this.copy.appendChild(this.copyText);
  this.copy.addEventListener("click", function () { self.copyLink(); });
  tools.appendChild(this.copy);

  this.status = el("p", "cpec-tools-status");
  this.status.setAttribute("role", "status");
  tools.appendChild(this.status);

  this.manual = el("div", "cpec-copy-manual");
  this.manual.hidden = true;
  this.input = el("input", "cpec-copy-input");
  this.input.type = "text";
  this.input.readOnly = true;
  this.input.id = app.uid + "-link";
  this.input.dir = "ltr";
  this.input.spellcheck = false;
  this.label = el("label");
  this.label.htmlFor = this.input.id;
  this.close = button("cpec-copy-close");
  this.close.appendChild(icon("close"));
  this.close.addEventListener("click", function () { self.manual.hidden = true; self.copy.focus(); });
  this.input.addEventListener("focus", function () { self.input.select(); });
  this.manual.appendChild(this.label);
  this.manual.appendChild(this.close);
  this.manual.appendChild(this.input);
  tools.appendChild(this.manual);
  this.translate();
};

Permalink.prototype.translate = function () {
  var i18n = this.app.i18n;
  i18n.put(this.copyText, "tools.copy_link");
  i18n.put(this.label, "tools.copy_failed");
  this.close.setAttribute("aria-label", i18n.t("popup.close"));
  this.close.title = i18n.t("popup.close");
  if (this.statusKey) i18n.put(this.status, this.statusKey);
};

Permalink.prototype.say = function (key) {
  var self = this;
  this.statusKey = key;
  this.app.i18n.put(this.status, key);
  clearTimeout(this.statusTimer);
  this.statusTimer = setTimeout(function () { self.statusKey = null; clear(self.status); }, 4000);
};

Permalink.prototype.copyLink = function () {
  var self = this;
  this.write();
  var url = window.location.href;
  function done() { self.manual.hidden = true; self.say("tools.copied"); }
  function failed() {
    // the clipboard refused (file:// pages, no permission): the link, selected, to copy by hand
    self.input.value = url;
    self.manual.hidden = false;
    self.input.focus();
    self.input.select();
  }
  var clip = navigator.clipboard;
  if (!clip || typeof clip.writeText !== "function") { failed(); return; }
  try {
    clip.writeText(url).then(done, failed);
  } catch (e) {
    failed();
  }
};

MODULES.push({
  name: "permalink",
  init: function (app) {
    var link = new Permalink(app);
    app.permalink = link;
    link.buildTools(app.side.tools);
    var ours = dict(["view", "layers", "filters", "lang", "selected", "query", "basemap", "date"]);
    app.store.subscribe(function (state, changed) {
      if (changed.lang) link.translate();
      if (link.applying) return;
      var keys = Object.keys(changed).filter(function (k) { return ours[k]; });
      if (!keys.length) return;
      var gradual = keys.every(function (k) { return k === "view" || k === "query"; });
      if (gradual) link.schedule();
      else link.write();
    });
    window.addEventListener("hashchange", function () {
      if (link.written !== null && window.location.hash === link.written) return;  // our own
      link.apply(window.location.hash);
    });
    link.apply(window.location.hash);
  }
});
