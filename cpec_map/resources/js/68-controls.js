/* Map buttons: zoom and full screen, drawn as inline SVG and named in the current language. */

var MapButtons = L.Control.extend({
  options: { position: "topleft" },
  initialize: function (app, options) {
    L.setOptions(this, options);
    this.app = app;
  },
  onAdd: function (map) {
    var app = this.app, self = this;
    var bar = el("div", "leaflet-control leaflet-bar cpec-buttons");
    function add(name, handler) {
      var b = button("cpec-mapbutton");
      b.appendChild(icon(name));
      b.addEventListener("click", function (e) { L.DomEvent.stop(e); handler(); });
      bar.appendChild(b);
      return b;
    }
    this.zoomIn = add("plus", function () { map.zoomIn(); });
    this.zoomOut = add("minus", function () { map.zoomOut(); });
    var target = app.root;
    this.full = add("fullscreen", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else target.requestFullscreen().catch(function () { self.full.hidden = true; });
    });
    if (!document.fullscreenEnabled || !target.requestFullscreen) this.full.hidden = true;
    document.addEventListener("fullscreenchange", function () {
      var on = document.fullscreenElement === target;
      clear(self.full).appendChild(icon(on ? "exitFullscreen" : "fullscreen"));
      self.translate();
      map.invalidateSize();
    });
    map.on("zoomend", function () { self.sync(); });
    L.DomEvent.disableClickPropagation(bar);
    this.bar = bar;
    this.translate();
    this.sync();
    return bar;
  },
  sync: function () {
    var map = this._map;
    this.zoomIn.disabled = map.getZoom() >= map.getMaxZoom();
    this.zoomOut.disabled = map.getZoom() <= map.getMinZoom();
  },
  translate: function () {
    var i18n = this.app.i18n;
    var on = document.fullscreenElement === this.app.root;
    [[this.zoomIn, "zoom.in"], [this.zoomOut, "zoom.out"], [this.full, on ? "fullscreen.exit" : "fullscreen.enter"]]
      .forEach(function (pair) {
        pair[0].title = i18n.t(pair[1]);
        pair[0].setAttribute("aria-label", i18n.t(pair[1]));
      });
  }
});
