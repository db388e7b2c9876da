/* The offline outline basemap, drawn from the context layers the document marks as
 * ``basemap``. Those layers end somewhere (a clip box): while the outline is the
 * basemap, the view is kept inside them and zoom stays where the outline means
 * something, so the reader never sees blank edges or a "1 m" scale over nothing. */

var OUTLINE_MAX_ZOOM = 11;

function collectPolygons(geom, out) {
  if (geom.type === "Polygon") out.push(geom.coordinates.map(latLngs));
  else if (geom.type === "MultiPolygon") geom.coordinates.forEach(function (p) { out.push(p.map(latLngs)); });
  else if (geom.type === "GeometryCollection") geom.geometries.forEach(function (g) { collectPolygons(g, out); });
}

function buildOutline(app) {
  var group = L.layerGroup();
  var renderer = L.svg({ pane: "cpec-basemap" });
  var bounds = L.latLngBounds([]);
  app.doc.layers.forEach(function (layerDoc) {
    if (!layerDoc.basemap) return;
    layerDoc.features.forEach(function (f) {
      var out = [];
      collectPolygons(f.geometry, out);
      out.forEach(function (rings) {
        var poly = L.polygon(rings, {
          renderer: renderer, pane: "cpec-basemap", interactive: false,
          color: "#a9a294", weight: 0.8, fillColor: "#f3efe6", fillOpacity: 1
        });
        bounds.extend(poly.getBounds());
        group.addLayer(poly);
      });
    });
  });
  var map = app.map, saved = null;
  app.outlineLimits = function (on) {
    if (!bounds.isValid()) return;
    if (on) {
      if (!saved) saved = { min: map.getMinZoom(), max: map.getMaxZoom() };
      // Zoomed out no further than where the outline fills the view, unless the whole
      // corridor needs more room than that: the corridor is what the reader came for.
      var fill = map.getBoundsZoom(bounds, true);
      var corridor = map.getBoundsZoom(L.latLngBounds(app.doc.bounds), false, L.point(48, 48));
      // Room beyond the edges for a popup of an edge site to pan into view.
      map.setMaxBounds(bounds.pad(0.3));
      map.options.maxBoundsViscosity = 1;
      // ...and never further in than the reader already is: switching basemap must not
      // crop the view they had (on a phone the corridor needs a lower zoom than the fill).
      map.setMinZoom(Math.min(fill, corridor, map.getZoom(), OUTLINE_MAX_ZOOM - 1));
      map.setMaxZoom(OUTLINE_MAX_ZOOM);
      if (map.getZoom() < map.getMinZoom()) map.setZoom(map.getMinZoom(), { animate: false });
      map.panInsideBounds(bounds.pad(0.3), { animate: false });
    } else if (saved) {
      map.setMaxBounds(null);
      map.setMinZoom(saved.min);
      map.setMaxZoom(saved.max);
      saved = null;
    }
    if (app.buttons) app.buttons.sync();
  };
  return group;
}
