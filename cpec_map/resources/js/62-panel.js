/* The Layers tab: layer toggles grouped by theme with live counts, the filters (status,
 * precision and the facets layers declare), and the basemap switch. */

/* A 26x14 sample of resolved styles: {polygon, line, point, uncertainty} -> style index. */
function sample(app, samples) {
  var box = svg("svg", { width: "26", height: "14", viewBox: "0 0 26 14", "aria-hidden": "true", focusable: "false", "class": "cpec-swatch" });
  var styles = app.doc.styles;
  function stroke(row, node, weight) {
    node.setAttribute("stroke", row.color);
    node.setAttribute("stroke-opacity", String(row.opacity));
    node.setAttribute("stroke-width", String(weight));
    var dash = dashArray(row.dash, weight);
    if (dash) node.setAttribute("stroke-dasharray", dash);
    return node;
  }
  var s = own(samples, "polygon");
  if (s !== undefined) {
    var row = styles[s];
    box.appendChild(stroke(row, svg("rect", {
      x: "2", y: "2", width: "22", height: "10",
      fill: row.hatch ? app.hatcher.fill(row.color) : row.fillColor,
      "fill-opacity": String(row.hatch ? 1 : Math.max(row.fillOpacity, 0.15))
    }), 1.5));
  }
  s = own(samples, "line");
  if (s !== undefined) {
    box.appendChild(stroke(styles[s], svg("line", { x1: "1", y1: "7", x2: "25", y2: "7", "stroke-linecap": "butt" }),
      Math.min(Math.max(styles[s].weight, 1.5), 4)));
  }
  s = own(samples, "uncertainty");
  if (s !== undefined) {
    var u = styles[s];
    box.appendChild(stroke(u, svg("circle", { cx: "13", cy: "7", r: "6.2", fill: u.fillColor, "fill-opacity": String(Math.max(u.fillOpacity, 0.1)) }), 1));
  }
  s = own(samples, "point");
  if (s !== undefined) {
    var p = styles[s];
    box.appendChild(stroke(p, svg("circle", {
      cx: "13", cy: "7", r: own(samples, "uncertainty") !== undefined ? "2.6" : "4.6",
      fill: p.fillColor, "fill-opacity": String(p.fillOpacity)
    }), 1.6));
  }
  return box;
}

function Panel(app) {
  this.app = app;
  this.root = el("div", "cpec-panel");
  this.rows = Object.create(null);
  this.facetBoxes = [];
  var self = this, doc = app.doc, store = app.store;

  // Layer toggles, by group.
  this.layersBox = el("div", "cpec-layers");
  var groups = [], byGroup = Object.create(null);
  doc.layers.forEach(function (layerDoc) {
    var key = layerDoc.group.en;
    if (!byGroup[key]) { byGroup[key] = []; groups.push(key); }
    byGroup[key].push(layerDoc);
  });
  this.groups = [];
  groups.forEach(function (key) {
    var layers = byGroup[key];
    var fs = el("fieldset", "cpec-group");
    var legend = el("legend");
    var fold = button("cpec-fold");
    var contextOnly = layers.every(function (l) { return l.role === "context"; });
    fold.setAttribute("aria-expanded", contextOnly ? "false" : "true");
    if (contextOnly) fs.classList.add("cpec-folded");
    fold.addEventListener("click", function () {
      var folded = fs.classList.toggle("cpec-folded");
      fold.setAttribute("aria-expanded", folded ? "false" : "true");
    });
    legend.appendChild(fold);
    fs.appendChild(legend);
    layers.forEach(function (layerDoc) {
      var label = el("label", "cpec-layer-toggle");
      var input = el("input");
      input.type = "checkbox";
      input.setAttribute("data-layer", layerDoc.id);
      input.addEventListener("change", function () {
        store.set({ layers: store.withLayer(layerDoc.id, input.checked) });
      });
      label.appendChild(input);
      label.appendChild(sample(app, layerDoc.swatch));
      var title = el("span", "cpec-layer-title");
      label.appendChild(title);
      var count = el("span", "cpec-count");
      count.setAttribute("aria-hidden", "true");
      label.appendChild(count);
      var sr = el("span", "cpec-sr");
      label.appendChild(sr);
      fs.appendChild(label);
      self.rows[layerDoc.id] = { input: input, title: title, count: count, sr: sr, label: label, doc: layerDoc };
    });
    self.layersBox.appendChild(fs);
    self.groups.push({ fold: fold, name: layers[0].group });
  });
  this.layersHead = el("h2", "cpec-panel-head");
  this.root.appendChild(this.layersHead);
  this.root.appendChild(this.layersBox);

  // Filters: one fieldset per facet; every value ticked means "no filter".
  this.filtersHead = el("h2", "cpec-panel-head");
  this.root.appendChild(this.filtersHead);
  this.reset = button("cpec-reset");
  this.reset.addEventListener("click", function () { store.set({ filters: {} }); });
  this.root.appendChild(this.reset);
  doc.facets.forEach(function (facet) {
    var fs = el("fieldset", "cpec-group cpec-facet");
    fs.setAttribute("data-facet", facet.id);
    var legend = el("legend");
    fs.appendChild(legend);
    var inputs = [];
    facet.values.forEach(function (value) {
      var label = el("label", "cpec-facet-value");
      var input = el("input");
      input.type = "checkbox";
      input.value = value;
      input.setAttribute("data-facet", facet.id);
      input.addEventListener("change", function () {
        var allowed = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
        store.set({ filters: store.withFilter(facet.id, allowed.length === inputs.length ? null : allowed) });
      });
      inputs.push(input);
      label.appendChild(input);
      var text = el("span");
      label.appendChild(text);
      var count = el("span", "cpec-count");
      label.appendChild(count);
      fs.appendChild(label);
      self.facetBoxes.push({ facet: facet, value: value, input: input, text: text, count: count });
    });
    self.root.appendChild(fs);
    self.facetBoxes.push({ facet: facet, legend: legend });
  });

  // Basemaps.
  this.basemapBox = el("fieldset", "cpec-group cpec-basemaps");
  this.basemapLegend = el("legend");
  this.basemapBox.appendChild(this.basemapLegend);
  this.radios = [];
  doc.basemaps.forEach(function (b) {
    var label = el("label");
    var radio = el("input");
    radio.type = "radio";
    radio.name = app.uid + "-basemap";
    radio.value = b.id;
    radio.addEventListener("change", function () { if (radio.checked) store.set({ basemap: b.id }); });
    label.appendChild(radio);
    var text = el("span");
    label.appendChild(text);
    self.basemapBox.appendChild(label);
    self.radios.push({ radio: radio, text: text, doc: b });
  });
  this.root.appendChild(this.basemapBox);
  this.notice = el("p", "cpec-notice");
  this.notice.hidden = true;
  this.notice.setAttribute("role", "status");
  this.root.appendChild(this.notice);
}

Panel.prototype.update = function (state, changed) {
  var app = this.app, i18n = app.i18n, rows = this.rows;
  if (!changed || changed.lang) {
    i18n.put(this.layersHead, "panel.layers");
    i18n.put(this.filtersHead, "panel.filters");
    i18n.put(this.reset, "panel.show_all");
    i18n.put(this.basemapLegend, "panel.basemap");
    this.groups.forEach(function (g) { i18n.putText(g.fold, g.name); });
    Object.keys(rows).forEach(function (id) { i18n.putText(rows[id].title, rows[id].doc.title); });
    this.radios.forEach(function (r) { i18n.put(r.text, r.doc.name); });
    this.facetBoxes.forEach(function (b) {
      if (b.legend) { i18n.put(b.legend, b.facet.label); return; }
      var prefix = b.facet.id === "status" || b.facet.id === "precision" ? b.facet.id + "." : null;
      if (prefix) i18n.put(b.text, prefix + b.value);
      else b.text.textContent = b.value;
    });
    if (this.noticeKey) i18n.put(this.notice, this.noticeKey);
  }
  Object.keys(rows).forEach(function (id) {
    var row = rows[id], counts = app.counts.layers[id];
    row.input.checked = !!state.layers[id];
    row.count.textContent = counts.shown === counts.total ? String(counts.total) : counts.shown + "/" + counts.total;
    row.sr.textContent = " (" + i18n.t("panel.count", { shown: counts.shown, total: counts.total }) + ")";
  });
  this.facetBoxes.forEach(function (b) {
    if (b.legend) return;
    var allowed = own(state.filters, b.facet.id);
    b.input.checked = !allowed || allowed.indexOf(b.value) >= 0;
    b.count.textContent = String(own(app.counts.facets, b.facet.id + "=" + b.value) || 0);
  });
  this.reset.disabled = Object.keys(state.filters).length === 0;
  this.radios.forEach(function (r) { r.radio.checked = r.doc.id === state.basemap; });
};

Panel.prototype.say = function (key) {
  this.noticeKey = key;
  this.app.i18n.put(this.notice, key);
  this.notice.hidden = false;
};
