/* cpec-map runtime, assembled at build time from resources/js/*.js (in file-name order)
 * into the page's one inline script, inside one function scope.
 *
 * The page reads one thing: the map document (cpec_map/document.py, schema in
 * resources/map_document.schema.json). One store holds the state (view, layers,
 * filters, language, query, selection); controls change the store, never each other,
 * and the map, legend, list and URL follow it.
 *
 * Feature text only ever reaches the page through textContent / text nodes, never
 * innerHTML, and only http(s) URLs become links: a property holding markup is shown
 * as the characters it is. The one HTML string used (the data attribution) is built
 * and escaped in Python.
 */
"use strict";

var SVG_NS = "http://www.w3.org/2000/svg";
var SAFE_URL = /^https?:\/\/[^\s]+$/i;

/* Screens on which the side panel is a drawer over the map (00-base.css says the same). */
var NARROW_SCREEN = "(max-width: 700px)";
/* Modules register here; the app initialises them in order once the map is drawn. */
var MODULES = [];

// Lookups keyed by data (property names, groups, statuses) must not see Object's own
// members: a property called "constructor" is data, not a method.
function dict(keys) {
  var out = Object.create(null);
  (keys || []).forEach(function (k) { out[k] = true; });
  return out;
}
function own(obj, key) {
  return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function el(tag, cls, text) {
  var node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svg(tag, attrs) {
  var node = document.createElementNS(SVG_NS, tag);
  Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function button(cls, text) {
  var b = el("button", cls, text);
  b.type = "button";
  return b;
}

function humanise(key) {
  var text = String(key).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dashArray(pattern, weight) {
  if (!pattern) return null;
  return pattern.map(function (v) { return String(Math.round(Math.max(v * weight, 0.5) * 100) / 100); }).join(" ");
}

/* Inline SVG icons (no icon font: a missing font must not turn an icon into a box). */
var ICONS = {
  fullscreen: "M3 3h6v2H5v4H3zm12 0h6v6h-2V5h-4zM3 15h2v4h4v2H3zm16 0h2v6h-6v-2h4z",
  exitFullscreen: "M9 3v6H3V7h4V3zm6 0h2v4h4v2h-6zM3 15h6v6H7v-4H3zm12 0h6v2h-4v4h-2z",
  plus: "M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z",
  minus: "M5 11h14v2H5z",
  menu: "M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z",
  close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
  link: "M10.6 13.4a1 1 0 0 0 1.4 0l3.6-3.6a3 3 0 0 0-4.2-4.2l-1.2 1.2 1.4 1.4 1.2-1.2a1 1 0 0 1 1.4 1.4L10.6 12a1 1 0 0 0 0 1.4zm2.8-2.8a1 1 0 0 0-1.4 0l-3.6 3.6a3 3 0 0 0 4.2 4.2l1.2-1.2-1.4-1.4-1.2 1.2a1 1 0 0 1-1.4-1.4l3.6-3.6a1 1 0 0 0 0-1.4z",
  download: "M11 4h2v8.2l3.3-3.3 1.4 1.4L12 16l-5.7-5.7 1.4-1.4 3.3 3.3zM5 18h14v2H5z",
  search: "M10 4a6 6 0 0 1 4.8 9.6l5 5-1.4 1.4-5-5A6 6 0 1 1 10 4zm0 2a4 4 0 1 0 0 8 4 4 0 0 0 0-8z"
};

function icon(name) {
  var box = svg("svg", { viewBox: "0 0 24 24", width: "18", height: "18", "aria-hidden": "true", focusable: "false", "class": "cpec-icon" });
  box.appendChild(svg("path", { d: ICONS[name], fill: "currentColor" }));
  return box;
}

/* The index of the last of ``items`` dated on or before ``date`` (ISO text, so "2025"
 * counts from the start of 2025; ``dateOf`` reads an item's date), or -1. */
function lastOnOrBefore(items, date, dateOf) {
  var found = -1;
  for (var i = 0; i < items.length; i++) if ((dateOf ? dateOf(items[i]) : items[i]) <= date) found = i;
  return found;
}

function entryDate(entry) { return entry.date; }

/* A point on a GeoJSON geometry, [lon, lat]: a site, the middle vertex of a line (of its
 * middle part), a vertex of an area's outer ring; null for an empty one. */
function representativePoint(geom) {
  if (!geom) return null;
  var c = geom.coordinates;
  function middle(list) { return list && list.length ? list[Math.floor(list.length / 2)] : null; }
  switch (geom.type) {
    case "Point": return c;
    case "MultiPoint": return c[0] || null;
    case "LineString": return middle(c);
    case "MultiLineString": return middle(middle(c));
    case "Polygon": return middle(c[0]);
    case "MultiPolygon": return c[0] ? middle(c[0][0]) : null;
    case "GeometryCollection": return geom.geometries.length ? representativePoint(geom.geometries[0]) : null;
    default: return null;
  }
}
