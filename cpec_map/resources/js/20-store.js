/* The one state store. State: {view: {lat, lng, zoom}, layers: {id: bool},
 * filters: {facet: [allowed values] (absent: all)}, lang, query, selected (feature id
 * or null), basemap, date (the timeline's ISO date, or null for the latest data)}. Controls call set(); the map, legend, list and URL subscribe. */

function Store(initial) {
  this.state = initial;
  this.listeners = [];
  this.depth = 0;
}

Store.prototype.get = function () { return this.state; };

/* Merge a patch into the state and tell every subscriber what changed. */
Store.prototype.set = function (patch) {
  var prev = this.state, next = {}, changed = dict(), any = false;
  Object.keys(prev).forEach(function (k) { next[k] = prev[k]; });
  Object.keys(patch).forEach(function (k) {
    if (JSON.stringify(prev[k]) !== JSON.stringify(patch[k])) { changed[k] = true; any = true; }
    next[k] = patch[k];
  });
  if (!any) return;
  this.state = next;
  this.depth++;
  try {
    this.listeners.forEach(function (fn) { fn(next, changed, prev); });
  } finally {
    this.depth--;
  }
};

Store.prototype.subscribe = function (fn) { this.listeners.push(fn); };

/* Helpers that compute a new value for one part of the state. */
Store.prototype.withLayer = function (id, on) {
  var layers = {};
  var cur = this.state.layers;
  Object.keys(cur).forEach(function (k) { layers[k] = cur[k]; });
  layers[id] = !!on;
  return layers;
};

Store.prototype.withFilter = function (facet, values) {
  var filters = {};
  var cur = this.state.filters;
  Object.keys(cur).forEach(function (k) { if (k !== facet) filters[k] = cur[k]; });
  if (values) filters[facet] = values.slice().sort();
  return filters;
};
