/* The legend: what is shown right now. Visible corridor layers with their symbol, then
 * every key entry (status, location, boundaries) a shown feature matches, with counts.
 * The symbols are the document's resolved styles, the same the map draws with. */

var LEGEND_SECTIONS = [["status", "legend.status"], ["precision", "legend.location"], ["boundaries", "legend.boundaries"]];

/* One legend row: the symbol, its label, how many shown features it explains. */
function legendRow(app, samples, label, count) {
  var li = el("li");
  li.appendChild(sample(app, samples));
  label.classList.add("cpec-legend-label");
  li.appendChild(label);
  li.appendChild(el("span", "cpec-count", String(count)));
  return li;
}

var Legend = L.Control.extend({
  options: { position: "bottomright" },
  initialize: function (app, options) {
    L.setOptions(this, options);
    this.app = app;
  },
  onAdd: function () {
    var self = this;
    this.box = el("div", "leaflet-control cpec-legend");
    this.box.setAttribute("role", "region");
    this.head = el("h2");
    this.fold = button("cpec-fold");
    this.fold.setAttribute("aria-expanded", "true");
    this.fold.addEventListener("click", function () { self.setFolded(!self.folded); });
    this.head.appendChild(this.fold);
    this.box.appendChild(this.head);
    this.body = el("div", "cpec-legend-body");
    this.box.appendChild(this.body);
    this.folded = false;
    L.DomEvent.disableClickPropagation(this.box);
    L.DomEvent.disableScrollPropagation(this.box);
    return this.box;
  },
  setFolded: function (folded) {
    this.folded = folded;
    this.box.classList.toggle("cpec-folded", folded);
    this.fold.setAttribute("aria-expanded", folded ? "false" : "true");
  },
  update: function (state) {
    var app = this.app, i18n = app.i18n, body = clear(this.body);
    i18n.put(this.fold, "legend.title");
    this.box.setAttribute("aria-label", i18n.t("legend.title"));
    // Layers shown now: the corridor's, then the setting's (each symbol on the map is
    // explained, context included).
    [["corridor", null], ["context", "legend.context"]].forEach(function (part) {
      var list = el("ul", "cpec-legend-layers");
      list.setAttribute("data-role", part[0]);
      app.doc.layers.forEach(function (layerDoc) {
        if (layerDoc.role !== part[0] || !state.layers[layerDoc.id]) return;
        var n = app.counts.layers[layerDoc.id].shown;
        if (!n) return;
        list.appendChild(legendRow(app, layerDoc.swatch, i18n.putText(el("span"), layerDoc.title), n))
          .setAttribute("data-layer", layerDoc.id);
      });
      if (!list.firstChild) return;
      if (part[1]) body.appendChild(i18n.put(el("h3"), part[1]));
      body.appendChild(list);
    });
    LEGEND_SECTIONS.forEach(function (section) {
      var ul = el("ul", "cpec-legend-" + section[0]);
      app.doc.legend.forEach(function (entry, i) {
        if (entry.section !== section[0]) return;
        var n = app.counts.legend[i];
        if (!n) return;
        ul.appendChild(legendRow(app, entry.samples, i18n.put(el("span"), entry.label), n))
          .setAttribute("data-key", entry.label);
      });
      if (!ul.firstChild) return;
      body.appendChild(i18n.put(el("h3"), section[1]));
      body.appendChild(ul);
    });
    if (app.doc.note) body.appendChild(i18n.putText(el("p", "cpec-note"), app.doc.note));
  }
});
