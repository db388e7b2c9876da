/* Tooltips and popups, built from text nodes in the current language. */

var NAME_LANGS = ["en", "ur", "zh"];

/* A feature's name (a {lang: text} map) in the current language, or "unnamed". */
function nameNode(app, tag, cls, name) {
  var node = el(tag, cls);
  if (Object.keys(name).length) app.i18n.putText(node, name);
  else app.i18n.put(node, "popup.unnamed");
  return node;
}

/* The status badge (popup, list, history, not-on-the-map), styled by its data-status. */
function statusBadge(i18n, status) {
  var badge = i18n.put(el("span", "cpec-status"), "status." + status);
  badge.setAttribute("data-status", status);
  return badge;
}

/* " [badge] as of DATE" appended to ``node``, each part where given. */
function appendStatus(i18n, node, status, asOf) {
  if (status) {
    node.appendChild(document.createTextNode(" "));
    node.appendChild(statusBadge(i18n, status));
  }
  if (asOf) node.appendChild(i18n.put(el("span", "cpec-asof"), "popup.as_of", { date: asOf }));
}

/* The numbered list of sources (English: their titles are). */
function sourceList(app, sources) {
  var list = el("ol", "cpec-sources");
  list.lang = "en";
  sources.forEach(function (src) { list.appendChild(sourceItem(app, src)); });
  return list;
}

/* A permanent label's content: the name in the current language. */
function labelNode(app, rec) {
  return app.i18n.putText(el("span"), rec.f.name);
}

function tooltipContent(app, rec) {
  var box = el("span", "cpec-tooltip");
  box.appendChild(nameNode(app, "strong", null, rec.f.name));
  if (rec.at.status) {
    var st = el("span", "cpec-tooltip-status");
    st.appendChild(document.createTextNode(" · "));
    st.appendChild(app.i18n.put(el("span"), "status." + rec.at.status));
    box.appendChild(st);
  }
  return box;
}

/* Distance along a measured line (ML-1) at a clicked point, interpolated between the
 * chainage the build computed for the nearest segment's two vertices. */
function chainageAt(rec, latlng) {
  var ch = rec.f.chainage, geom = rec.f.geometry;
  if (!ch || !latlng) return null;
  var parts = geom.type === "LineString" ? [geom.coordinates]
    : geom.type === "MultiLineString" ? geom.coordinates : null;
  if (!parts) return null;
  // Spherical Mercator metres, unrounded (layer points are whole pixels: km-sized at
  // low zoom), are fine for finding the nearest segment and the fraction along it.
  var crs = L.CRS.EPSG3857, p = crs.project(L.latLng(latlng)), best = null, k = 0;
  parts.forEach(function (coords) {
    for (var i = 0; i < coords.length; i++, k++) {
      if (i === 0) continue;
      var a = crs.project(L.latLng(coords[i - 1][1], coords[i - 1][0]));
      var b = crs.project(L.latLng(coords[i][1], coords[i][0]));
      var dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
      var t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
      var qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y, d = qx * qx + qy * qy;
      var c0 = ch[k - 1], c1 = ch[k];
      if (c0 === null || c1 === null) continue;
      if (!best || d < best.d) best = { d: d, km: c0 + t * (c1 - c0) };
    }
  });
  return best ? best.km : null;
}

function popupContent(app, rec, latlng) {
  var i18n = app.i18n, f = rec.f;
  var box = el("div", "cpec-popup");
  box.setAttribute("data-feature", rec.id);
  box.appendChild(nameNode(app, "h3", null, rec.f.name));
  NAME_LANGS.forEach(function (lang) {
    var text = own(f.name, lang);
    if (!text || lang === i18n.lang || (lang === "en" && !own(f.name, i18n.lang))) return;
    var alt = el("p", "cpec-altname", text);
    alt.lang = lang;
    alt.dir = i18n.dir(lang);
    alt.title = i18n.t("popup.name_" + lang);
    box.appendChild(alt);
  });
  var meta = el("p", "cpec-meta");
  meta.appendChild(i18n.putText(el("span", "cpec-layername"), rec.layer.title));
  appendStatus(i18n, meta, rec.at.status, rec.at.date);
  box.appendChild(meta);
  var km = chainageAt(rec, latlng);
  if (km !== null) {
    var from = rec.layer.chainageFrom;
    var chain = el("p", "cpec-chainage");
    chain.appendChild(i18n.put(el("span"), "popup.chainage", {
      km: i18n.number(Math.round(km * 10) / 10), origin: i18n.pick(from.name).text
    }));
    if (typeof from.kmPost === "number") {
      chain.appendChild(document.createTextNode(" · "));
      chain.appendChild(i18n.put(el("span"), "popup.km_post", { post: i18n.number(Math.round(km + from.kmPost)) }));
    }
    chain.setAttribute("data-km", String(Math.round(km * 10) / 10));
    box.appendChild(chain);
  }
  if (f.precision) {
    var key = f.precision === "approximate"
      ? (typeof f.uncertainty === "number" ? "popup.location_approximate_within" : "popup.location_approximate")
      : (f.precision === "exact" || f.precision === "schematic") ? "popup.location_" + f.precision : "popup.precision_other";
    var prec = i18n.put(el("p", "cpec-precision"), key, {
      distance: f.uncertainty ? i18n.distance(f.uncertainty) : "", value: i18n.value(f.precision)
    });
    prec.setAttribute("data-precision", f.precision);
    box.appendChild(prec);
  }
  var whole = f.partOf ? app.records.byId[f.partOf] : null;
  if (whole) {  // a part (a schematic link) names its whole, whose history it shares
    var part = el("p", "cpec-partof");
    part.appendChild(i18n.put(el("span"), "popup.part_of"));
    part.appendChild(document.createTextNode(": "));
    part.appendChild(featureLink(app, whole));
    box.appendChild(part);
  }
  if (f.description) {
    var desc = el("p", "cpec-desc", f.description);
    desc.lang = "en";
    box.appendChild(desc);
  }
  // The sources list, with the sources of single figures and of history entries numbered
  // into it (a source cited by id is one shared object, so it is found by identity).
  var listed = Array.isArray(f.sources) ? f.sources.slice() : [];
  function cite(node, sources) {
    (Array.isArray(sources) ? sources : []).forEach(function (src) {
      var n = listed.indexOf(src) + 1 || listed.push(src);
      var sup = el("sup", "cpec-claim", "[" + n + "]");
      sup.title = src && src.title !== undefined ? i18n.value(src.title) : "";
      node.appendChild(sup);
    });
  }
  var props = f.props || {};
  var keys = Object.keys(props);
  if (keys.length) {
    var table = el("table", "cpec-props");
    keys.forEach(function (k) {
      var tr = el("tr");
      tr.appendChild(i18n.propLabel(el("th"), k));
      // a value that is another feature's map-wide id ("ml1_stations/…") links to it
      var target = typeof props[k] === "string" ? app.records.byId[props[k]] : null;
      var td = target ? el("td") : el("td", null, i18n.value(props[k]));
      if (target) td.appendChild(featureLink(app, target));
      cite(td, f.claims && own(f.claims, k));
      tr.appendChild(td);
      table.appendChild(tr);
    });
    box.appendChild(table);
  }
  if (f.history && f.history.length) {
    box.appendChild(i18n.put(el("h4"), "popup.history"));
    var steps = el("ol", "cpec-history");
    f.history.forEach(function (entry) {
      var li = el("li");
      li.appendChild(el("span", "cpec-date", entry.date + " "));
      li.appendChild(statusBadge(i18n, entry.status));
      if (entry.note) li.appendChild(el("span", "cpec-note-text", " " + entry.note)).lang = "en";
      cite(li, entry.sources);
      steps.appendChild(li);
    });
    box.appendChild(steps);
  }
  if (listed.length) {
    box.appendChild(i18n.put(el("h4"), "popup.sources"));
    box.appendChild(sourceList(app, listed));
  }
  return box;
}

/* A button naming another feature (in the current language) that goes to it. */
function featureLink(app, target) {
  if (!target.layer.interactive) return nameNode(app, "span", null, target.f.name);  // no popup
  var go = nameNode(app, "button", "cpec-linkbutton", target.f.name);
  go.type = "button";
  go.setAttribute("data-feature", target.id);
  go.addEventListener("click", function () { app.focusFeature(target.id); });
  return go;
}

function sourceItem(app, src) {
  var li = el("li"), i18n = app.i18n;
  if (!src || typeof src !== "object") {
    li.textContent = i18n.value(src);
    return li;
  }
  var title = src.title !== undefined ? i18n.value(src.title) : (src.url || src.publication || "source");
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
  if (src.publication) li.appendChild(el("span", "cpec-pub", " — " + i18n.value(src.publication)));
  if (src.date) li.appendChild(el("span", "cpec-date", " (" + i18n.value(src.date) + ")"));
  else if (src.accessed) li.appendChild(el("span", "cpec-date", " (" + i18n.t("popup.accessed", { date: i18n.value(src.accessed) }) + ")"));
  return li;
}

/* Bind tooltips (or permanent labels) and the click that selects the feature. */
function bindFeature(app, rec) {
  var item = rec.item, layerDoc = rec.layer;
  if (layerDoc.labels && Object.keys(rec.f.name).length) {
    item.bindTooltip(labelNode(app, rec), {
      permanent: true, direction: app.i18n.dir() === "rtl" ? "left" : "right", offset: [6, 0],
      className: "cpec-label", interactive: false
    });
    rec.label = true;
  } else if (layerDoc.interactive) {
    var isLine = rec.f.geometry.type !== "Point" && rec.f.geometry.type !== "MultiPoint";
    item.bindTooltip(function () { return tooltipContent(app, rec); }, { sticky: isLine, direction: "top", opacity: 0.95 });
  }
  if (!layerDoc.interactive) return;
  item.on("click", function (e) {
    app.select(rec.id, e.latlng);
  });
}
