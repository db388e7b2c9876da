/* Downloads: the features shown on the map now (visible layers, after filters; the
 * list's search does not narrow them) as GeoJSON or CSV, made in the page.
 *
 * GeoJSON: a FeatureCollection whose features carry their original properties again
 * (name, name_ur, name_zh, status, as_of, precision, uncertainty_m, description, every
 * other property, sources as given) plus "layer"; the feature's "id" is its map-wide id
 * ("layer/id") and the geometry is the document's. Foreign members: title (title_ur,
 * title_zh), data_date, attribution (the credits), note (note_ur, note_zh),
 * generated_from (the map document's schema and version) and selection (the visible
 * layers and the filters that made this subset).
 *
 * CSV (RFC 4180, UTF-8 with a byte-order mark, CRLF): one row per feature, columns
 *   id, layer, name, name_ur, name_zh, status, as_of, precision, uncertainty_m, lon, lat,
 *   geometry_type, description, <every other property, sorted by name>, sources, attribution
 * lon/lat is a representative point ON the feature: a site itself, the middle vertex of a
 * line (of its middle part), the middle vertex of an area's outer ring (of its first
 * part); for a collection, that of its first member. sources: "title — url (date)" per
 * source, joined by " | "; attribution: the credits joined by "; ", on every row. A
 * property whose name is taken by a column above is written as "prop.NAME" (in GeoJSON,
 * only "layer" is taken).
 * Spreadsheet-safe (OWASP "CSV injection"): a text cell starting with =, +, -, @, tab or
 * carriage return gets a leading apostrophe, so it is never read as a formula; numbers
 * are written plainly (-3.5 stays a number). Objects and lists are written as JSON. */

var CSV_HEAD = ["id", "layer", "name", "name_ur", "name_zh", "status", "as_of", "precision",
  "uncertainty_m", "lon", "lat", "geometry_type", "description"];
var CSV_TAIL = ["sources", "attribution"];
var FORMULA_START = /^[=+\-@\t\r]/;

/* One CSV cell: numbers plainly, text guarded against formulas and quoted when needed. */
function csvCell(value) {
  var text;
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  text = typeof value === "string" ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/* "title — url (date)" for one source as the data gives it. */
function sourceText(source) {
  if (typeof source === "string") return source;
  if (!source || typeof source !== "object" || Array.isArray(source)) return JSON.stringify(source);
  var text = [own(source, "title"), own(source, "url") || own(source, "publication")]
    .filter(function (v) { return v !== undefined && v !== null && v !== ""; })
    .map(String).join(" — ");
  var date = own(source, "date"), accessed = own(source, "accessed");
  if (date) text += " (" + date + ")";
  else if (accessed) text += " (accessed " + accessed + ")";
  return text;
}

/* The feature's properties as the data had them, plus "layer". */
function exportProperties(rec) {
  // no prototype: a property called "__proto__" is data like any other
  var f = rec.f, out = Object.create(null);
  [["en", "name"], ["ur", "name_ur"], ["zh", "name_zh"]].forEach(function (p) {
    var v = own(f.name, p[0]);
    if (v !== undefined) out[p[1]] = v;
  });
  // on a timeline date, the status the feature had then (and since when)
  var status = rec.at ? rec.at.status : f.status, asOf = rec.at ? rec.at.date : f.asOf;
  if (status !== undefined) out.status = status;
  if (asOf !== undefined) out.as_of = asOf;
  if (f.precision !== undefined) out.precision = f.precision;
  if (f.precision === "approximate" && f.uncertainty !== undefined) out.uncertainty_m = f.uncertainty;
  if (f.description !== undefined) out.description = f.description;
  var props = f.props || {};
  Object.keys(props).forEach(function (k) { out[k === "layer" ? "prop.layer" : k] = props[k]; });
  if (f.partOf !== undefined) out.part_of = f.partOf;
  if (f.sources !== undefined) out.sources = f.sources;
  out.layer = rec.layer.id;
  return out;
}

/* Text of a {lang: text} map of the document as name, name_ur, name_zh style members. */
function putI18n(out, key, map) {
  if (!map) return;
  if (typeof map === "string") { out[key] = map; return; }
  if (own(map, "en")) out[key] = map.en;
  ["ur", "zh"].forEach(function (lang) { if (own(map, lang)) out[key + "_" + lang] = map[lang]; });
}

function geojsonText(app, recs) {
  var doc = app.doc, state = app.store.get(), head = { type: "FeatureCollection" };
  putI18n(head, "title", doc.title);
  if (doc.dataDate) head.data_date = doc.dataDate;
  head.attribution = doc.credits || [];
  putI18n(head, "note", doc.note);
  head.generated_from = { document: doc.$schema || "cpec-map map document", version: doc.version };
  head.selection = {
    layers: doc.layers.filter(function (l) { return state.layers[l.id]; }).map(function (l) { return l.id; }),
    filters: state.filters,
    date: state.date || null
  };
  var features = recs.map(function (rec) {
    return JSON.stringify({ type: "Feature", id: rec.id, properties: exportProperties(rec), geometry: rec.f.geometry });
  });
  // one feature a line: readable, and a diff of two downloads shows what changed
  var text = JSON.stringify(head);
  return text.slice(0, -1) + ',"features":[\n' + features.join(",\n") + "\n]}\n";
}

function csvText(app, recs) {
  var doc = app.doc, taken = dict(CSV_HEAD.concat(CSV_TAIL)), columnOf = Object.create(null), keys = [];
  recs.forEach(function (rec) {
    Object.keys(rec.f.props || {}).forEach(function (k) {
      if (columnOf[k] !== undefined) return;
      var name = k;
      while (taken[name]) name = "prop." + name;
      taken[name] = true;
      columnOf[k] = name;
      keys.push(k);
    });
  });
  keys.sort(function (a, b) { return columnOf[a] < columnOf[b] ? -1 : columnOf[a] > columnOf[b] ? 1 : 0; });
  var header = CSV_HEAD.concat(keys.map(function (k) { return columnOf[k]; }), CSV_TAIL);
  var credits = (doc.credits || []).join("; ");
  var rows = [header.map(csvCell).join(",")];
  recs.forEach(function (rec) {
    var f = rec.f, p = exportProperties(rec), point = representativePoint(f.geometry) || [];
    var props = f.props || {};
    var cells = [rec.id, rec.layer.id, p.name, p.name_ur, p.name_zh, p.status, p.as_of, p.precision,
      p.uncertainty_m, point[0], point[1], f.geometry ? f.geometry.type : null, p.description];
    keys.forEach(function (k) { cells.push(own(props, k)); });
    cells.push(Array.isArray(f.sources) ? f.sources.map(sourceText).join(" | ") : f.sources);
    cells.push(credits);
    rows.push(cells.map(csvCell).join(","));
  });
  return "\uFEFF" + rows.join("\r\n") + "\r\n";
}

function downloadName(app, ext) {
  var date = app.doc.dataDate;
  return "cpec-map-features" + (/^\d{4}-\d{2}-\d{2}$/.test(date || "") ? "-" + date : "") + "." + ext;
}

/* Hand a text to the browser as a file download. */
function saveText(text, name, type) {
  var url = URL.createObjectURL(new Blob([text], { type: type }));
  var a = el("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  document.body.removeChild(a);
  setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
}

function Downloads(app) {
  var self = this;
  this.app = app;
  this.buttons = [
    { format: "geojson", key: "tools.download_geojson", type: "application/geo+json", make: geojsonText },
    { format: "csv", key: "tools.download_csv", type: "text/csv;charset=utf-8", make: csvText }
  ];
  this.buttons.forEach(function (b) {
    b.node = button("cpec-download");
    b.node.setAttribute("data-format", b.format);
    b.node.appendChild(icon("download"));
    b.text = el("span");
    b.node.appendChild(b.text);
    b.node.addEventListener("click", function () {
      saveText(b.make(app, app.shownFeatures()), downloadName(app, b.format), b.type);
    });
    app.side.tools.appendChild(b.node);
  });
  app.store.subscribe(function (state, changed) { if (changed.lang) self.translate(); });
  this.translate();
}

Downloads.prototype.translate = function () {
  var i18n = this.app.i18n;
  this.buttons.forEach(function (b) {
    i18n.put(b.text, b.key);
    var format = i18n.t(b.key);
    b.node.setAttribute("aria-label", i18n.t("tools.download_as", { format: format }));
    b.node.title = i18n.t("tools.download_as", { format: format }) + ": " + i18n.t("tools.download_hint");
  });
};

MODULES.push({ name: "download", init: function (app) { app.downloads = new Downloads(app); } });
