/* cpec-map runtime: draws the layers of the page's JSON data block with Leaflet.
 *
 * Feature text only ever reaches the page through textContent / text nodes, never
 * innerHTML, and only http(s) URLs become links: a property holding markup is shown
 * as the characters it is. The one HTML string used (the data attribution) is built
 * and escaped in Python.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var SAFE_URL = /^https?:\/\/[^\s]+$/i;
  // Lookups keyed by data (property names, groups, statuses) must not see Object's own
  // members: a property called "constructor" is data, not a method.
  function dict(keys) {
    var out = Object.create(null);
    (keys || []).forEach(function (k) { out[k] = true; });
    return out;
  }
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined; }
  var RESERVED = dict(["name", "status", "description", "sources", "precision", "as_of",
    "uncertainty_m", "name_ur", "name_zh"]);
  var LANG_FIELDS = [["name_ur", "Urdu", "ur", "rtl"], ["name_zh", "Chinese", "zh", "ltr"]];

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

  function humanise(key) {
    var text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function formatValue(value) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "number") return value.toLocaleString("en-US");
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function dashArray(pattern, weight) {
    if (!pattern) return null;
    return pattern.map(function (v) { return String(Math.max(v * weight, 0.5)); }).join(" ");
  }

  // --- styles -------------------------------------------------------------------------

  function Styler(cfg) {
    this.cfg = cfg;
    this.hatches = Object.create(null);
    this.defs = null;
  }

  Styler.prototype.hatch = function (color) {
    // One SVG pattern per colour in a hidden <svg>: url(#id) works across the document.
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
      id: id, width: "8", height: "8", patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)"
    });
    pattern.appendChild(svg("rect", { width: "8", height: "8", fill: color, "fill-opacity": "0.06" }));
    pattern.appendChild(svg("line", {
      x1: "0", y1: "0", x2: "0", y2: "8", stroke: color, "stroke-width": "2.5", "stroke-opacity": "0.45"
    }));
    this.defs.appendChild(pattern);
    this.hatches[color] = "url(#" + id + ")";
    return this.hatches[color];
  };

  Styler.prototype.path = function (layerCfg, props, isPolygon) {
    var s = layerCfg.style, cfg = this.cfg;
    var pattern = own(cfg.statusDash, props.status) || null;
    if (own(cfg.boundaryDash, props.boundary_type) !== undefined) {
      pattern = own(cfg.boundaryDash, props.boundary_type);
    } else if (props.disputed === true && !pattern) {
      pattern = cfg.boundaryDash.disputed;
    }
    var opts = {
      color: s.color, weight: s.weight, opacity: s.opacity,
      fillColor: s.fillColor, fillOpacity: s.fillOpacity,
      dashArray: dashArray(pattern, s.weight)
    };
    if (props.precision === "schematic") opts.opacity = s.opacity * cfg.schematicOpacity;
    if (isPolygon && props.status === "planned") opts.fillOpacity = s.fillOpacity / 2;
    if (isPolygon && props.status === "proposed") opts.fillOpacity = 0;
    if (isPolygon && props.disputed === true && layerCfg.renderer === "svg") {
      opts.fillColor = this.hatch(s.color);
      opts.fillOpacity = 1;
    }
    return opts;
  };

  Styler.prototype.point = function (layerCfg, props) {
    var s = layerCfg.style;
    var cfg = this.cfg;
    var fill = own(cfg.pointFill, props.status);
    var hollow = cfg.hollow.indexOf(props.status) >= 0;
    return {
      radius: s.radius, color: s.color, weight: 2, opacity: s.opacity,
      fillColor: hollow ? "#ffffff" : s.fillColor,
      fillOpacity: hollow ? 0.9 : (fill === undefined ? cfg.defaultPointFill : fill),
      dashArray: props.status === "proposed" ? "2 3" : null
    };
  };

  // --- features -----------------------------------------------------------------------

  function latLngs(positions) {
    var out = new Array(positions.length);
    for (var i = 0; i < positions.length; i++) out[i] = [positions[i][1], positions[i][0]];
    return out;
  }

  function drawGeometry(geom, props, layerCfg, ctx, out) {
    var c = geom.coordinates, base = { renderer: ctx.renderer, pane: ctx.pane, className: ctx.className };
    switch (geom.type) {
      case "Point":
        drawPoint(c, props, layerCfg, ctx, out);
        break;
      case "MultiPoint":
        c.forEach(function (p) { drawPoint(p, props, layerCfg, ctx, out); });
        break;
      case "LineString":
        out.push(L.polyline(latLngs(c), L.extend(ctx.styler.path(layerCfg, props, false), base)));
        break;
      case "MultiLineString":
        out.push(L.polyline(c.map(latLngs), L.extend(ctx.styler.path(layerCfg, props, false), base)));
        break;
      case "Polygon":
        out.push(L.polygon(c.map(latLngs), L.extend(ctx.styler.path(layerCfg, props, true), base)));
        break;
      case "MultiPolygon":
        out.push(L.polygon(c.map(function (poly) { return poly.map(latLngs); }),
          L.extend(ctx.styler.path(layerCfg, props, true), base)));
        break;
      case "GeometryCollection":
        geom.geometries.forEach(function (g) { drawGeometry(g, props, layerCfg, ctx, out); });
        break;
      default:
        throw new Error("cpec-map: unknown geometry type " + geom.type);
    }
  }

  function drawPoint(position, props, layerCfg, ctx, out) {
    var latlng = [position[1], position[0]];
    if (props.precision === "approximate") {
      var radius = typeof props.uncertainty_m === "number" ? props.uncertainty_m : ctx.cfg.defaultUncertainty;
      out.push(L.circle(latlng, {
        radius: radius, color: layerCfg.style.color, weight: 1, opacity: 0.8, dashArray: "4 4",
        fillColor: layerCfg.style.color, fillOpacity: 0.08, renderer: ctx.renderer,
        pane: "cpec-uncertainty", className: ctx.className + " cpec-uncertainty"
      }));
    }
    out.push(L.circleMarker(latlng, L.extend(ctx.styler.point(layerCfg, props), {
      renderer: ctx.pointRenderer, pane: "cpec-points", className: ctx.className
    })));
  }

  function tooltipFor(props, layerCfg) {
    return function () {
      var box = el("span", "cpec-tooltip");
      box.appendChild(el("strong", null, props.name !== undefined ? formatValue(props.name) : layerCfg.title));
      if (props.status) box.appendChild(el("span", "cpec-tooltip-status", " · " + humanise(props.status)));
      return box;
    };
  }

  function popupFor(props, layerCfg, cfg) {
    return function () {
      var box = el("div", "cpec-popup");
      box.appendChild(el("h3", null, props.name !== undefined ? formatValue(props.name) : "(unnamed)"));
      LANG_FIELDS.forEach(function (f) {
        if (typeof props[f[0]] === "string" && props[f[0]]) {
          var alt = el("p", "cpec-altname", props[f[0]]);
          alt.lang = f[2];
          alt.dir = f[3];
          alt.title = f[1] + " name";
          box.appendChild(alt);
        }
      });
      var meta = el("p", "cpec-meta");
      meta.appendChild(el("span", "cpec-layername", layerCfg.title));
      if (props.status) {
        meta.appendChild(document.createTextNode(" "));
        var badge = el("span", "cpec-status", humanise(props.status));
        badge.setAttribute("data-status", String(props.status));
        meta.appendChild(badge);
      }
      if (props.as_of) meta.appendChild(el("span", "cpec-asof", " as of " + formatValue(props.as_of)));
      box.appendChild(meta);
      if (props.precision) {
        var text = own({
          exact: "Location: mapped geometry.",
          approximate: "Location approximate" + (typeof props.uncertainty_m === "number"
            ? " (within about " + formatDistance(props.uncertainty_m) + ")." : "."),
          schematic: "Schematic: alignment not known, drawn between known points."
        }, props.precision) || ("Precision: " + formatValue(props.precision));
        box.appendChild(el("p", "cpec-precision", text)).setAttribute("data-precision", String(props.precision));
      }
      if (props.description) box.appendChild(el("p", "cpec-desc", formatValue(props.description)));
      var rows = Object.keys(props).filter(function (k) { return !RESERVED[k]; });
      if (rows.length) {
        var table = el("table", "cpec-props");
        rows.forEach(function (k) {
          var tr = el("tr");
          tr.appendChild(el("th", null, humanise(k)));
          tr.appendChild(el("td", null, formatValue(props[k])));
          table.appendChild(tr);
        });
        box.appendChild(table);
      }
      if (Array.isArray(props.sources) && props.sources.length) {
        box.appendChild(el("h4", null, "Sources"));
        var list = el("ol", "cpec-sources");
        props.sources.forEach(function (src) { list.appendChild(sourceItem(src)); });
        box.appendChild(list);
      }
      return box;
    };
  }

  function formatDistance(m) {
    return m >= 1000 ? (Math.round(m / 100) / 10).toLocaleString("en-US") + " km" : Math.round(m) + " m";
  }

  function sourceItem(src) {
    var li = el("li");
    if (!src || typeof src !== "object") {
      li.textContent = formatValue(src);
      return li;
    }
    var title = src.title !== undefined ? formatValue(src.title) : (src.url || src.publication || "source");
    var url = typeof src.url === "string" ? src.url.trim() : null;
    if (url && SAFE_URL.test(url)) {
      var a = el("a", null, title);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else {
      li.appendChild(el("span", null, title));
      if (url) li.appendChild(el("span", "cpec-url", " — " + url));
    }
    if (src.publication) li.appendChild(el("span", "cpec-pub", " — " + formatValue(src.publication)));
    if (src.date) li.appendChild(el("span", "cpec-date", " (" + formatValue(src.date) + ")"));
    else if (src.accessed) li.appendChild(el("span", "cpec-date", " (accessed " + formatValue(src.accessed) + ")"));
    return li;
  }

  function buildLayer(layerCfg, cfg, styler, map) {
    var pane = layerCfg.role === "context" ? "cpec-context" : "overlayPane";
    var renderer = layerCfg.renderer === "canvas" ? L.canvas({ pane: pane }) : L.svg({ pane: pane });
    var pointRenderer = layerCfg.renderer === "canvas"
      ? L.canvas({ pane: "cpec-points" }) : L.svg({ pane: "cpec-points" });
    var ctx = {
      cfg: cfg, styler: styler, renderer: renderer, pointRenderer: pointRenderer, pane: pane,
      className: "cpec-f cpec-layer-" + layerCfg.cls
    };
    var group = L.featureGroup();
    var drawn = 0;
    layerCfg.data.features.forEach(function (feature) {
      var props = feature.properties || {};
      var parts = [];
      drawGeometry(feature.geometry, props, layerCfg, ctx, parts);
      if (!parts.length) return;
      var item = parts.length === 1 ? parts[0] : L.featureGroup(parts);
      var isLine = feature.geometry.type !== "Point" && feature.geometry.type !== "MultiPoint";
      if (layerCfg.labels && props.name !== undefined) {
        item.bindTooltip(el("span", null, formatValue(props.name)), {
          permanent: true, direction: "right", offset: [6, 0], className: "cpec-label", interactive: false
        });
      } else {
        item.bindTooltip(tooltipFor(props, layerCfg), { sticky: isLine, direction: "top", opacity: 0.95 });
      }
      item.bindPopup(popupFor(props, layerCfg, cfg), { maxWidth: 360, minWidth: 220, autoPanPadding: [30, 30] });
      item.feature = feature;
      group.addLayer(item);
      drawn++;
    });
    group.cpecCount = drawn;
    return group;
  }

  // --- basemaps -----------------------------------------------------------------------

  function buildOutline(cfg) {
    var group = L.layerGroup();
    var renderer = L.svg({ pane: "cpec-basemap" });
    cfg.layers.forEach(function (layerCfg) {
      if (!layerCfg.basemap) return;
      layerCfg.data.features.forEach(function (feature) {
        var out = [];
        collectPolygons(feature.geometry, out);
        out.forEach(function (rings) {
          group.addLayer(L.polygon(rings, {
            renderer: renderer, pane: "cpec-basemap", interactive: false,
            color: "#a9a294", weight: 0.8, fillColor: "#f3efe6", fillOpacity: 1
          }));
        });
      });
    });
    return group;
  }

  function collectPolygons(geom, out) {
    if (geom.type === "Polygon") out.push(geom.coordinates.map(latLngs));
    else if (geom.type === "MultiPolygon") geom.coordinates.forEach(function (p) { out.push(p.map(latLngs)); });
    else if (geom.type === "GeometryCollection") geom.geometries.forEach(function (g) { collectPolygons(g, out); });
  }

  // --- controls -----------------------------------------------------------------------

  var Panel = L.Control.extend({
    options: { position: "topright" },
    initialize: function (state, options) {
      L.setOptions(this, options);
      this.state = state;
    },
    onAdd: function () {
      var state = this.state;
      var box = el("div", "leaflet-control cpec-panel");
      var toggle = el("button", "cpec-panel-toggle", "Layers");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "true");
      var body = el("div", "cpec-panel-body");
      body.id = "cpec-panel-body";
      toggle.setAttribute("aria-controls", body.id);
      toggle.addEventListener("click", function () {
        var open = box.classList.toggle("cpec-collapsed") === false;
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
      box.appendChild(toggle);
      box.appendChild(body);

      var groups = [], byGroup = Object.create(null);
      state.cfg.layers.forEach(function (layerCfg) {
        if (!byGroup[layerCfg.group]) { byGroup[layerCfg.group] = []; groups.push(layerCfg.group); }
        byGroup[layerCfg.group].push(layerCfg);
      });
      groups.forEach(function (name) {
        var fs = el("fieldset", "cpec-group");
        var contextOnly = byGroup[name].every(function (l) { return l.role === "context"; });
        var head = el("legend");
        var fold = el("button", "cpec-fold", name);
        fold.type = "button";
        fold.setAttribute("aria-expanded", contextOnly ? "false" : "true");
        fold.addEventListener("click", function () {
          var folded = fs.classList.toggle("cpec-folded");
          fold.setAttribute("aria-expanded", folded ? "false" : "true");
        });
        if (contextOnly) fs.classList.add("cpec-folded");
        head.appendChild(fold);
        fs.appendChild(head);
        byGroup[name].forEach(function (layerCfg) {
          var label = el("label", "cpec-layer-toggle");
          var box2 = el("input");
          box2.type = "checkbox";
          box2.checked = layerCfg.visible;
          box2.setAttribute("data-layer", layerCfg.id);
          box2.addEventListener("change", function () { state.setVisible(layerCfg.id, box2.checked); });
          label.appendChild(box2);
          label.appendChild(swatch(layerCfg, state.cfg));
          label.appendChild(el("span", "cpec-layer-title", layerCfg.title));
          label.appendChild(el("span", "cpec-count", String(state.groups[layerCfg.id].cpecCount)));
          if (layerCfg.description) label.title = layerCfg.description;
          fs.appendChild(label);
        });
        body.appendChild(fs);
      });

      var bm = el("fieldset", "cpec-group cpec-basemaps");
      bm.appendChild(el("legend", null, "Basemap"));
      state.cfg.basemaps.forEach(function (b) {
        var label = el("label");
        var radio = el("input");
        radio.type = "radio";
        radio.name = "cpec-basemap";
        radio.value = b.id;
        radio.checked = b.id === state.basemap;
        radio.addEventListener("change", function () { if (radio.checked) state.setBasemap(b.id); });
        label.appendChild(radio);
        label.appendChild(el("span", null, b.name));
        bm.appendChild(label);
      });
      this.notice = el("p", "cpec-notice");
      this.notice.hidden = true;
      this.notice.setAttribute("role", "status");
      bm.appendChild(this.notice);
      body.appendChild(bm);
      this.body = body;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
    syncBasemap: function (id) {
      var radios = this.body.querySelectorAll("input[name=cpec-basemap]");
      for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === id;
    },
    say: function (text) {
      this.notice.textContent = text;
      this.notice.hidden = false;
    }
  });

  // The 26x14 box every legend and panel sample is drawn in.
  function swatchBox() {
    return svg("svg", { width: "26", height: "14", viewBox: "0 0 26 14", "aria-hidden": "true", "class": "cpec-swatch" });
  }

  function swatch(layerCfg, cfg) {
    var s = layerCfg.style;
    var box = swatchBox();
    var kinds = layerCfg.kinds;
    if (kinds.indexOf("polygon") >= 0 && kinds.length === 1) {
      box.appendChild(svg("rect", {
        x: "2", y: "2", width: "22", height: "10", fill: s.fillColor, "fill-opacity": String(Math.max(s.fillOpacity, 0.2)),
        stroke: s.color, "stroke-width": "1.5"
      }));
    } else if (kinds.indexOf("line") >= 0) {
      box.appendChild(svg("line", {
        x1: "1", y1: "7", x2: "25", y2: "7", stroke: s.color, "stroke-width": String(Math.min(s.weight, 5)),
        "stroke-linecap": "round"
      }));
      if (kinds.indexOf("point") >= 0) {
        box.appendChild(svg("circle", { cx: "13", cy: "7", r: "4", fill: s.fillColor, stroke: s.color, "stroke-width": "1.5" }));
      }
    } else {
      box.appendChild(svg("circle", { cx: "13", cy: "7", r: "5", fill: s.fillColor, "fill-opacity": "0.9", stroke: s.color, "stroke-width": "2" }));
    }
    return box;
  }

  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    initialize: function (state, options) {
      L.setOptions(this, options);
      this.state = state;
    },
    onAdd: function () {
      this.box = el("div", "leaflet-control cpec-legend");
      this.box.setAttribute("aria-label", "Legend");
      L.DomEvent.disableClickPropagation(this.box);
      L.DomEvent.disableScrollPropagation(this.box);
      this.update();
      return this.box;
    },
    update: function () {
      var state = this.state, cfg = state.cfg, box = this.box;
      while (box.firstChild) box.removeChild(box.firstChild);
      var head = el("h2");
      var fold = el("button", "cpec-fold", "Legend");
      fold.type = "button";
      fold.setAttribute("aria-expanded", box.classList.contains("cpec-folded") ? "false" : "true");
      fold.addEventListener("click", function () {
        var folded = box.classList.toggle("cpec-folded");
        fold.setAttribute("aria-expanded", folded ? "false" : "true");
        state.fitPanel();
      });
      head.appendChild(fold);
      box.appendChild(head);
      var list = el("ul", "cpec-legend-layers");
      cfg.layers.forEach(function (layerCfg) {
        if (layerCfg.role !== "corridor" || !state.isVisible(layerCfg.id)) return;
        var li = el("li");
        li.setAttribute("data-layer", layerCfg.id);
        li.appendChild(swatch(layerCfg, cfg));
        li.appendChild(el("span", null, layerCfg.title));
        list.appendChild(li);
      });
      if (list.firstChild) box.appendChild(list);

      var present = state.presentIn(cfg.layers.filter(function (l) { return state.isVisible(l.id); }));
      var statusList = el("ul", "cpec-legend-status");
      cfg.statusKey.forEach(function (row) {
        if (!present.status[row.value]) return;
        var li = el("li");
        var icon = swatchBox();
        var line = svg("line", { x1: "1", y1: "7", x2: "25", y2: "7", stroke: "#333", "stroke-width": "2.5", "stroke-linecap": "round" });
        var dash = dashArray(row.dash, 2.5);
        if (dash) line.setAttribute("stroke-dasharray", dash);
        icon.appendChild(line);
        li.appendChild(icon);
        li.appendChild(el("span", null, row.label));
        statusList.appendChild(li);
      });
      if (statusList.firstChild) {
        box.appendChild(el("h3", null, "Status"));
        box.appendChild(statusList);
      }
      var precList = el("ul", "cpec-legend-precision");
      cfg.precisionKey.forEach(function (row) {
        if (!present.precision[row.value] || row.value === "exact") return;
        var li = el("li");
        var icon = swatchBox();
        if (row.value === "approximate") {
          icon.appendChild(svg("circle", { cx: "13", cy: "7", r: "6", fill: "#333", "fill-opacity": "0.1", stroke: "#333", "stroke-dasharray": "2 2" }));
          icon.appendChild(svg("circle", { cx: "13", cy: "7", r: "2.5", fill: "#333" }));
        } else {
          icon.appendChild(svg("line", { x1: "1", y1: "7", x2: "25", y2: "7", stroke: "#333", "stroke-opacity": String(cfg.schematicOpacity), "stroke-width": "2.5" }));
        }
        li.appendChild(icon);
        li.appendChild(el("span", null, row.label));
        precList.appendChild(li);
      });
      if (precList.firstChild) {
        box.appendChild(el("h3", null, "Location"));
        box.appendChild(precList);
      }
      if (present.disputed || present.boundary.line_of_control) {
        box.appendChild(el("h3", null, "Boundaries"));
        var ul = el("ul", "cpec-legend-boundaries");
      }
      if (present.disputed) {
        var li1 = el("li");
        var i1 = swatchBox();
        i1.appendChild(svg("rect", { x: "2", y: "2", width: "22", height: "10", fill: state.styler.hatch("#555555"), stroke: "#555", "stroke-dasharray": "3 2" }));
        li1.appendChild(i1);
        li1.appendChild(el("span", null, "Disputed area"));
        ul.appendChild(li1);
      }
      if (present.boundary.line_of_control) {
          var li2 = el("li");
          var i2 = swatchBox();
          i2.appendChild(svg("line", { x1: "1", y1: "7", x2: "25", y2: "7", stroke: "#555", "stroke-width": "1.5", "stroke-dasharray": dashArray(cfg.boundaryDash.line_of_control, 1.5) }));
          li2.appendChild(i2);
          li2.appendChild(el("span", null, "Line of Control"));
          ul.appendChild(li2);
      }
      if (ul) box.appendChild(ul);
      if (cfg.note) box.appendChild(el("p", "cpec-note", cfg.note));
      if (state.fitPanel) state.fitPanel();
    }
  });

  var TitleBox = L.Control.extend({
    options: { position: "topleft" },
    initialize: function (cfg, options) { L.setOptions(this, options); this.cfg = cfg; },
    onAdd: function () {
      var box = el("div", "leaflet-control cpec-title");
      box.appendChild(el("h1", null, this.cfg.title));
      if (this.cfg.dataDate) box.appendChild(el("p", "cpec-built", "Built from geodata of " + this.cfg.dataDate));
      return box;
    }
  });

  var Fullscreen = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function (map) {
      var bar = el("div", "leaflet-control leaflet-bar cpec-fullscreen");
      var button = el("a", null, "⛶");
      button.href = "#";
      button.setAttribute("role", "button");
      button.title = "Full screen";
      button.setAttribute("aria-label", "Full screen");
      bar.appendChild(button);
      var target = map.getContainer();
      if (!document.fullscreenEnabled || !target.requestFullscreen) bar.hidden = true;
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.preventDefault(e);
        L.DomEvent.stopPropagation(e);
        if (document.fullscreenElement) document.exitFullscreen();
        else target.requestFullscreen().catch(function () { bar.hidden = true; });
      });
      document.addEventListener("fullscreenchange", function () {
        var on = document.fullscreenElement === target;
        button.title = on ? "Exit full screen" : "Full screen";
        button.setAttribute("aria-label", button.title);
        target.classList.toggle("cpec-is-fullscreen", on);
        map.invalidateSize();
      });
      return bar;
    }
  });

  // --- the map ------------------------------------------------------------------------

  function build(map, cfg) {
    [["cpec-basemap", 150], ["cpec-context", 350], ["cpec-uncertainty", 390], ["cpec-points", 450]]
      .forEach(function (p) { map.createPane(p[0]).style.zIndex = String(p[1]); });

    map.fitBounds(cfg.bounds, { padding: [24, 24], animate: false });  // refined below
    var styler = new Styler(cfg);
    var state = {
      cfg: cfg, map: map, styler: styler, groups: Object.create(null),
      basemaps: Object.create(null), basemap: null, summaries: Object.create(null)
    };

    // What each layer holds (statuses, precisions, boundaries), so the legend can list
    // exactly what the visible layers show.
    cfg.layers.forEach(function (layerCfg) {
      var sum = { status: dict(), precision: dict(), boundary: dict(), disputed: false };
      layerCfg.data.features.forEach(function (f) {
        var p = f.properties || {};
        if (typeof p.status === "string") sum.status[p.status] = true;
        if (typeof p.precision === "string") sum.precision[p.precision] = true;
        if (typeof p.boundary_type === "string") sum.boundary[p.boundary_type] = true;
        if (p.disputed === true) sum.disputed = true;
      });
      state.summaries[layerCfg.id] = sum;
      state.groups[layerCfg.id] = buildLayer(layerCfg, cfg, styler, map);
    });
    state.presentIn = function (layers) {
      var out = { status: dict(), precision: dict(), boundary: dict(), disputed: false };
      layers.forEach(function (l) {
        var sum = state.summaries[l.id];
        ["status", "precision", "boundary"].forEach(function (k) {
          Object.keys(sum[k]).forEach(function (v) { out[k][v] = true; });
        });
        out.disputed = out.disputed || sum.disputed;
      });
      return out;
    };

    cfg.basemaps.forEach(function (b) {
      if (b.offline) {
        state.basemaps[b.id] = buildOutline(cfg);
        return;
      }
      var opts = { attribution: b.attribution, maxZoom: b.maxZoom, crossOrigin: true };
      if (b.subdomains) opts.subdomains = b.subdomains;
      var tiles = L.tileLayer(b.url, opts);
      var loaded = 0, failed = 0;
      tiles.on("tileload", function () { loaded++; });
      tiles.on("tileerror", function () {
        failed++;
        if (failed === 4 && loaded === 0 && state.basemap === b.id) {
          state.setBasemap("outline");
          state.panel.syncBasemap("outline");
          state.panel.say("Basemap tiles could not be loaded (offline?); showing the outline basemap.");
        }
      });
      state.basemaps[b.id] = tiles;
    });

    state.isVisible = function (id) { return map.hasLayer(state.groups[id]); };
    state.setVisible = function (id, on) {
      if (on) map.addLayer(state.groups[id]); else map.removeLayer(state.groups[id]);
      state.legend.update();
    };
    state.setBasemap = function (id) {
      if (!state.basemaps[id]) return;
      if (state.basemap && state.basemaps[state.basemap]) map.removeLayer(state.basemaps[state.basemap]);
      state.basemap = id;
      map.addLayer(state.basemaps[id]);
      map.getContainer().classList.toggle("cpec-outline-basemap", id === "outline");
    };

    map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener noreferrer">Leaflet</a>');
    if (cfg.attribution) map.attributionControl.addAttribution(cfg.attribution);
    new TitleBox(cfg).addTo(map);
    L.control.zoom({ position: "topleft" }).addTo(map);
    new Fullscreen().addTo(map);
    L.control.scale({ position: "bottomleft", imperial: false, maxWidth: 160 }).addTo(map);
    state.panel = new Panel(state).addTo(map);
    state.legend = new Legend(state).addTo(map);
    if (window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      state.panel.getContainer().classList.add("cpec-collapsed");
      state.legend.getContainer().classList.add("cpec-folded");
      state.legend.update();
    }
    // The panel (top right) and the legend (bottom right) share a side: never overlap.
    // Measuring forces a layout, so it runs once per frame at most, never mid-build.
    var fitQueued = false;
    state.fitPanel = function () {
      if (fitQueued) return;
      fitQueued = true;
      window.requestAnimationFrame(function () {
        fitQueued = false;
        var room = map.getSize().y - state.legend.getContainer().offsetHeight - 40;
        state.panel.getContainer().style.maxHeight = Math.max(room, 120) + "px";
      });
    };
    map.on("resize", state.fitPanel);
    // Embedded in an article (an iframe, or #embed): the page scrolls, the map zooms only
    // with Ctrl/Cmd or two fingers; #embed also folds the panel and the legend.
    var embedded = /(^|[#&])embed\b/.test(window.location.hash.slice(1));
    var framed = false;
    try { framed = window.self !== window.top; } catch (e) { framed = true; }
    if ((embedded || framed) && map.gestureHandling) map.gestureHandling.enable();
    if (embedded) {
      map.getContainer().classList.add("cpec-embed");
      state.panel.getContainer().classList.add("cpec-collapsed");
      state.legend.getContainer().classList.add("cpec-folded");
      state.legend.update();
    }
    state.embedded = embedded;

    // Printing: the page is laid out anew for paper; refit the corridor to it.
    var refit = function () {
      map.invalidateSize({ animate: false });
      var legendWidth = state.legend.getContainer().offsetWidth + 16;
      map.fitBounds(cfg.bounds, {
        paddingTopLeft: [12, 12], paddingBottomRight: [legendWidth, 12], animate: false
      });
    };
    if (window.matchMedia) {
      var printing = window.matchMedia("print");
      if (printing.addEventListener) printing.addEventListener("change", function (e) { if (e.matches) refit(); });
    }
    window.addEventListener("beforeprint", refit);

    // Fit the corridor into the part of the map that the panel and title do not cover.
    var size = map.getSize();
    var panelWidth = state.panel.getContainer().offsetWidth + 20;
    var titleHeight = map.getContainer().querySelector(".cpec-title").offsetHeight + 20;
    var wide = size.x - panelWidth > 480;
    map.fitBounds(cfg.bounds, {
      paddingTopLeft: [24, wide ? 24 : titleHeight],
      paddingBottomRight: [wide ? panelWidth : 24, 24]
    });
    // Layers go on last, once the view is final: each redraw of thousands of vertices
    // costs, so they are drawn once, not once per view change during start-up.
    state.setBasemap(state.basemaps[cfg.basemap] ? cfg.basemap : "outline");
    cfg.layers.forEach(function (layerCfg) {
      if (layerCfg.visible) map.addLayer(state.groups[layerCfg.id]);
    });
    state.legend.update();
    map.getContainer().setAttribute("data-cpec-ready", "true");
    return state;
  }

  window.CpecMap = { build: build };
})();
