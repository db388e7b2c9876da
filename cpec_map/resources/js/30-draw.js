/* Drawing: every feature of the document as Leaflet layers, styled only by the resolved
 * styles the document carries (style rules live in Python, style.feature_style). */

function Hatcher() {
  this.hatches = Object.create(null);
  this.defs = null;
}

/* One SVG pattern per colour in a hidden <svg>: url(#id) works across the document. */
Hatcher.prototype.fill = function (color) {
  if (this.hatches[color]) return this.hatches[color];
  if (!this.defs) {
    var holder = svg("svg", { width: "0", height: "0", "aria-hidden": "true", focusable: "false" });
    holder.setAttribute("style", "position:absolute;width:0;height:0;overflow:hidden");
    this.defs = svg("defs", {});
    holder.appendChild(this.defs);
    document.body.appendChild(holder);
  }
  var id = "cpec-hatch-" + Object.keys(this.hatches).length;
  var pattern = svg("pattern", {
    id: id, width: "8", height: "8", patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)"
  });
  pattern.appendChild(svg("rect", { width: "8", height: "8", fill: color, "fill-opacity": "0.06" }));
  pattern.appendChild(svg("line", {
    x1: "0", y1: "0", x2: "0", y2: "8", stroke: color, "stroke-width": "2.5", "stroke-opacity": "0.45"
  }));
  this.defs.appendChild(pattern);
  this.hatches[color] = "url(#" + id + ")";
  return this.hatches[color];
};

/* Leaflet path options of a resolved style row. */
function pathOptions(row, hatcher, canvas) {
  var opts = {
    color: row.color, weight: row.weight, opacity: row.opacity,
    fillColor: row.fillColor, fillOpacity: row.fillOpacity,
    dashArray: dashArray(row.dash, row.weight)
  };
  if (row.radius !== undefined) opts.radius = row.radius;
  if (row.hatch && !canvas) {
    opts.fillColor = hatcher.fill(row.color);
    opts.fillOpacity = 1;
  }
  return opts;
}

function latLngs(positions) {
  var out = new Array(positions.length);
  for (var i = 0; i < positions.length; i++) out[i] = [positions[i][1], positions[i][0]];
  return out;
}

/* The Leaflet layers of one feature's geometry, pushed onto ``out``. */
function drawGeometry(geom, rec, ctx, out) {
  var c = geom.coordinates, style = rec.f.style;
  var base = { renderer: ctx.renderer, pane: ctx.pane, className: ctx.className, interactive: ctx.interactive };
  function path(kind) { return L.extend(pathOptions(ctx.styles[style[kind]], ctx.hatcher, ctx.canvas), base, { cpecKind: kind }); }
  switch (geom.type) {
    case "Point":
      drawPoint(c, rec, ctx, out);
      break;
    case "MultiPoint":
      c.forEach(function (p) { drawPoint(p, rec, ctx, out); });
      break;
    case "LineString":
      out.push(L.polyline(latLngs(c), path("line")));
      break;
    case "MultiLineString":
      out.push(L.polyline(c.map(latLngs), path("line")));
      break;
    case "Polygon":
      out.push(L.polygon(c.map(latLngs), path("polygon")));
      break;
    case "MultiPolygon":
      out.push(L.polygon(c.map(function (poly) { return poly.map(latLngs); }), path("polygon")));
      break;
    case "GeometryCollection":
      geom.geometries.forEach(function (g) { drawGeometry(g, rec, ctx, out); });
      break;
    default:
      throw new Error("cpec-map: unknown geometry type " + geom.type);
  }
}

function drawPoint(position, rec, ctx, out) {
  var latlng = [position[1], position[0]], style = rec.f.style;
  if (rec.f.uncertainty) {
    out.push(L.circle(latlng, L.extend(pathOptions(ctx.styles[style.uncertainty], ctx.hatcher, ctx.canvas), {
      radius: rec.f.uncertainty, renderer: ctx.renderer, pane: "cpec-uncertainty",
      className: ctx.className + " cpec-uncertainty", interactive: ctx.interactive, cpecKind: "uncertainty"
    })));
  }
  out.push(L.circleMarker(latlng, L.extend(pathOptions(ctx.styles[style.point], ctx.hatcher, ctx.canvas), {
    renderer: ctx.pointRenderer, pane: "cpec-points", className: ctx.className, interactive: ctx.interactive,
    cpecKind: "point"
  })));
}

/* Chromium puts interactive SVG paths in the tab order (Leaflet 1.9 gives them no
 * tabindex): Tab would walk through every site and line before reaching the map's
 * controls. Take each drawn element out, again whenever a filter re-adds it (Leaflet
 * draws a new element on every add). Keyboard users reach features through the Find
 * list instead. */
function keepOutOfTabOrder(layer) {
  if (layer instanceof L.LayerGroup) {
    layer.eachLayer(keepOutOfTabOrder);
    return;
  }
  function untab() {
    var node = layer.getElement ? layer.getElement() : null;
    if (node && node.setAttribute) node.setAttribute("tabindex", "-1");
  }
  layer.on("add", untab);
  untab();
}

/* Give a drawn feature the look of a resolved style set ({kind: index}), e.g. the
 * status it had on the timeline's date. */
function restyle(app, rec, style) {
  var parts = rec.item.getLayers ? rec.item.getLayers() : [rec.item];
  var canvas = rec.layer.renderer === "canvas";
  parts.forEach(function (part) {
    var kind = part.options.cpecKind;
    if (kind && own(style, kind) !== undefined) part.setStyle(pathOptions(app.doc.styles[style[kind]], app.hatcher, canvas));
  });
}

/* Draw one layer of the document: a feature group whose members are the records'
 * items (one Leaflet layer per feature). */
function drawLayer(app, layerDoc) {
  var pane = layerDoc.role === "context" ? "cpec-context" : "overlayPane";
  var canvas = layerDoc.renderer === "canvas";
  var ctx = {
    styles: app.doc.styles, hatcher: app.hatcher, canvas: canvas, pane: pane,
    renderer: canvas ? L.canvas({ pane: pane }) : L.svg({ pane: pane }),
    pointRenderer: canvas ? L.canvas({ pane: "cpec-points" }) : L.svg({ pane: "cpec-points" }),
    className: "cpec-f cpec-layer-" + layerDoc.cls,
    interactive: layerDoc.interactive
  };
  var group = L.featureGroup();
  layerDoc.features.forEach(function (f) {
    var rec = app.records.byId[f.id];
    var parts = [];
    drawGeometry(f.geometry, rec, ctx, parts);
    if (!parts.length) return;
    rec.item = parts.length === 1 ? parts[0] : L.featureGroup(parts);
    keepOutOfTabOrder(rec.item);
    group.addLayer(rec.item);
  });
  return group;
}
