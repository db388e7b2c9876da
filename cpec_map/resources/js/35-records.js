/* Records: one per feature of the document, in document order, with what filters and
 * counts need. ``records.byId`` finds a feature by its map-wide id. */

/* Sources cited by id (the document stores each source of sources.toml once, in
 * ``doc.sources``) become the shared source objects, once, before anything reads them. */
function resolveSources(doc) {
  var table = doc.sources || {};
  function refs(listed) {
    return Array.isArray(listed) ? listed.map(function (s) {
      return typeof s === "string" && Object.prototype.hasOwnProperty.call(table, s) ? table[s] : s;
    }) : listed;
  }
  function item(f) {
    if (f.sources !== undefined) f.sources = refs(f.sources);
    (f.history || []).forEach(function (e) { if (e.sources !== undefined) e.sources = refs(e.sources); });
    if (f.claims) Object.keys(f.claims).forEach(function (k) { f.claims[k] = refs(f.claims[k]); });
  }
  doc.layers.forEach(function (layerDoc) { layerDoc.features.forEach(item); });
  (doc.unmapped || []).forEach(item);
}

function Records(doc) {
  var list = [], byId = Object.create(null), byLayer = Object.create(null);
  doc.layers.forEach(function (layerDoc) {
    byLayer[layerDoc.id] = [];
    layerDoc.features.forEach(function (f) {
      var rec = { id: f.id, f: f, layer: layerDoc, item: null, shown: false };
      rec.at = statusOn(rec, null);
      list.push(rec);
      byId[f.id] = rec;
      byLayer[layerDoc.id].push(rec);
    });
  });
  this.list = list;
  this.byId = byId;
  this.byLayer = byLayer;
}

/* What a feature was on ``date`` (ISO text; null: today's data): the status, style and
 * date of the last history entry on or before it, or not yet there. A feature without a
 * history is taken as it is at every date. */
function statusOn(rec, date) {
  var f = rec.f, history = f.history;
  if (!date || !history || !history.length) return { status: f.status, style: f.style, exists: true, date: f.asOf };
  var found = history[lastOnOrBefore(history, date, entryDate)];
  return found ? { status: found.status, style: found.style, exists: true, date: found.date }
    : { status: undefined, style: f.style, exists: false };
}

/* The value a feature has for a facet (status, precision, or a declared property). */
function facetValue(rec, facet) {
  if (facet === "status") return rec.at.status;
  if (facet === "precision") return rec.f.precision;
  var v = own(rec.f.props, facet);
  return typeof v === "string" ? v : undefined;
}

/* Whether a feature passes the filters. A feature without the facet's property (a city
 * has no status) is not filtered by it: filters narrow what they describe. */
function passesFilters(rec, filters) {
  var keys = Object.keys(filters);
  for (var i = 0; i < keys.length; i++) {
    var value = facetValue(rec, keys[i]);
    if (value !== undefined && filters[keys[i]].indexOf(value) < 0) return false;
  }
  return true;
}

/* Whether a record matches a legend entry: its ``match`` (property -> value) and, if
 * the entry names ``kinds``, a geometry of one of them (a disputed *area* is a polygon). */
function matches(rec, entry) {
  var match = entry.match;
  if (entry.kinds && !entry.kinds.some(function (k) { return own(rec.f.style, k) !== undefined; })) return false;
  return Object.keys(match).every(function (k) {
    var v;
    if (k === "status") v = rec.at.status;
    else if (k === "precision") v = rec.f.precision;
    else v = own(rec.f.props, k);
    return v === match[k];
  });
}

/* A point to open a feature's popup at: the site, or the middle of a line or area. */
function anchorOf(rec) {
  var item = rec.item;
  if (!item) return null;
  if (item.getLatLng) return item.getLatLng();
  var type = rec.f.geometry.type, mid = representativePoint(rec.f.geometry);
  if ((type === "LineString" || type === "MultiLineString") && mid) return L.latLng(mid[1], mid[0]);
  return item.getBounds().getCenter();
}
