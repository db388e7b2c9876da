/* The app: reads the document, builds the store, draws, and keeps the map, panel,
 * legend and labels in step with the store. Exposed as ``window.CpecMap.build``. */

function readHashLang(doc) {
  if (window.location.hash.length > FRAGMENT_MAX) return doc.lang;  // untrusted, as for permalinks
  var m = /(?:^|[#&])lang=([a-z]{2})\b/.exec(window.location.hash);
  return m && doc.languages.indexOf(m[1]) >= 0 ? m[1] : doc.lang;
}

function build(map, doc) {
  var root = map.getContainer().parentNode;
  resolveSources(doc);
  var app = {
    doc: doc, map: map, root: root, uid: map.getContainer().id,
    hatcher: new Hatcher(), records: new Records(doc), groups: Object.create(null),
    basemaps: Object.create(null), counts: { layers: {}, facets: {}, legend: [] }
  };
  app.features = app.records.list;
  var layers = {};
  doc.layers.forEach(function (l) { layers[l.id] = !!l.visible; });
  var center = map.getCenter();
  app.store = new Store({
    view: { lat: center.lat, lng: center.lng, zoom: map.getZoom() },
    layers: layers, filters: {}, lang: readHashLang(doc), query: "", selected: null,
    basemap: doc.basemap, date: null
  });
  app.i18n = new I18n(doc, app.store.get().lang);

  [["cpec-basemap", 150], ["cpec-context", 350], ["cpec-uncertainty", 390], ["cpec-points", 450]]
    .forEach(function (p) { map.createPane(p[0]).style.zIndex = String(p[1]); });
  map.getPane("popupPane").style.zIndex = "1000";  // above the controls: never covered

  // The side panel beside the map (a drawer on narrow screens).
  app.side = new Side(app);
  root.insertBefore(app.side.aside, root.firstChild);
  root.appendChild(app.side.menu);
  app.panel = new Panel(app);
  app.side.tabs.layers.panel.appendChild(app.panel.root);

  // Draw every layer once; filters add and remove features from their layer's group.
  doc.layers.forEach(function (layerDoc) {
    app.groups[layerDoc.id] = drawLayer(app, layerDoc);
  });
  app.features.forEach(function (rec) { if (rec.item) bindFeature(app, rec); });
  app.labelled = app.features.filter(function (r) { return r.label; })
    .sort(function (a, b) { return (a.f.rank || 0) - (b.f.rank || 0); });

  // Basemaps: tiles, and the outline drawn from the context layers (works offline).
  doc.basemaps.forEach(function (b) {
    if (b.offline) { app.basemaps[b.id] = buildOutline(app); return; }
    var opts = { attribution: b.attribution, maxZoom: b.maxZoom, crossOrigin: true };
    if (b.subdomains) opts.subdomains = b.subdomains;
    var tiles = L.tileLayer(b.url, opts), loaded = 0, failed = 0;
    tiles.on("tileload", function () { loaded++; });
    tiles.on("tileerror", function () {
      failed++;
      if (failed === 4 && loaded === 0 && app.store.get().basemap === b.id) {
        app.autoBasemap = "outline";
        app.store.set({ basemap: "outline" });
        app.panel.say("basemap.offline_notice");
        app.toast("basemap.offline_notice");
      }
    });
    app.basemaps[b.id] = tiles;
  });

  map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener noreferrer">Leaflet</a>');
  if (doc.attribution) map.attributionControl.addAttribution(doc.attribution);
  app.buttons = new MapButtons(app).addTo(map);
  L.control.scale({ position: "bottomleft", imperial: false, maxWidth: 140 }).addTo(map);
  app.legend = new Legend(app).addTo(map);

  app.toast = function (key) {
    var box = app.toastBox;
    if (!box) {
      box = app.toastBox = el("div", "cpec-toast");
      box.setAttribute("role", "status");
      root.appendChild(box);
    }
    app.i18n.put(box, key);
    box.hidden = false;
    clearTimeout(app.toastTimer);
    app.toastTimer = setTimeout(function () { box.hidden = true; }, 8000);
  };

  /* What is shown: a record is shown when its layer is visible and it passes the filters. */
  app.isShown = function (rec, state) {
    state = state || app.store.get();
    return rec.at.exists && !!state.layers[rec.layer.id] && passesFilters(rec, state.filters);
  };
  app.shownFeatures = function () { return app.features.filter(function (r) { return r.shown; }); };

  function recount(state) {
    var counts = { layers: {}, facets: {}, legend: doc.legend.map(function () { return 0; }) };
    // a facet's counts follow every filter but its own: what ticking a box would show
    var othersOf = doc.facets.map(function (facet) {
      var others = {};
      Object.keys(state.filters).forEach(function (k) { if (k !== facet.id) others[k] = state.filters[k]; });
      return others;
    });
    doc.layers.forEach(function (l) { counts.layers[l.id] = { shown: 0, total: 0 }; });
    app.features.forEach(function (rec) {
      if (!rec.item) return;
      var c = counts.layers[rec.layer.id];
      c.total++;
      if (rec.shown) {
        c.shown++;
        doc.legend.forEach(function (entry, i) {
          if (matches(rec, entry)) counts.legend[i]++;
        });
      }
      if (!state.layers[rec.layer.id] || !rec.at.exists) return;
      doc.facets.forEach(function (facet, i) {
        var value = facetValue(rec, facet.id);
        if (value === undefined) return;
        if (!passesFilters(rec, othersOf[i])) return;
        var key = facet.id + "=" + value;
        counts.facets[key] = (counts.facets[key] || 0) + 1;
      });
    });
    app.counts = counts;
  }

  function applyVisibility(state) {
    doc.layers.forEach(function (layerDoc) {
      var group = app.groups[layerDoc.id];
      var on = !!state.layers[layerDoc.id];
      if (on && !map.hasLayer(group)) map.addLayer(group);
      if (!on && map.hasLayer(group)) map.removeLayer(group);
    });
    app.features.forEach(function (rec) {
      if (!rec.item) return;
      var group = app.groups[rec.layer.id];
      var pass = rec.at.exists && passesFilters(rec, state.filters);  // the layer's own tick aside
      if (pass) { if (!group.hasLayer(rec.item)) group.addLayer(rec.item); }
      else if (group.hasLayer(rec.item)) group.removeLayer(rec.item);
      rec.shown = pass && !!state.layers[rec.layer.id];
    });
  }

  function applyBasemap(state) {
    Object.keys(app.basemaps).forEach(function (id) {
      if (id !== state.basemap && map.hasLayer(app.basemaps[id])) map.removeLayer(app.basemaps[id]);
    });
    var base = app.basemaps[state.basemap] || app.basemaps.outline;
    if (base && !map.hasLayer(base)) map.addLayer(base);
    root.classList.toggle("cpec-outline-basemap", state.basemap === "outline");
    if (app.outlineLimits) app.outlineLimits(state.basemap === "outline");
    // The outline's limits may have moved the view under an open popup: pan it in again.
    if (popup && map.hasLayer(popup)) {
      popup.options.autoPan = true;
      popup.update();
    }
  }

  function applyLanguage(state) {
    app.i18n.lang = state.lang;
    document.documentElement.lang = state.lang;
    document.documentElement.dir = app.i18n.dir(state.lang);
    app.labelled.forEach(function (rec) { rec.item.setTooltipContent(labelNode(app, rec)); });
    app.buttons.translate();
    app.side.translate();
    map.getContainer().setAttribute("aria-label", app.i18n.t("app.map_label") + ": " + app.i18n.pick(doc.title).text);
    document.title = app.i18n.pick(doc.title).text;
  }

  /* Select a feature (or null): its popup opens, at ``latlng`` if given. */
  app.select = function (id, latlng) {
    app.clickAt = latlng || null;
    if (app.store.get().selected === id) openSelected(app.store.get(), true);
    else app.store.set({ selected: id });
  };
  /* Pan and zoom to a feature, then select it. */
  app.focusFeature = function (id) {
    var rec = app.records.byId[id];
    if (!rec || !rec.item) return;
    var state = app.store.get(), patch = {};
    if (!state.layers[rec.layer.id]) patch.layers = app.store.withLayer(rec.layer.id, true);
    // hidden by a filter, or not yet there on the timeline's date: show it anyway, or a
    // link to it would only close the popup
    if (!rec.at.exists || !passesFilters(rec, state.filters)) { patch.filters = {}; patch.date = null; }
    if (Object.keys(patch).length) app.store.set(patch);
    if (rec.item.getBounds) {
      var b = rec.item.getBounds();
      if (b.isValid()) map.fitBounds(b, { maxZoom: 10, padding: [40, 40], animate: false });
    } else if (rec.item.getLatLng) {
      map.setView(rec.item.getLatLng(), Math.max(map.getZoom(), 9), { animate: false });
    }
    app.select(id);
  };

  var popup = null, legendWasOpen = false;
  function openSelected(state, force) {
    var rec = state.selected ? app.records.byId[state.selected] : null;
    if (!rec || !rec.item || !rec.shown || !rec.layer.interactive) {
      if (popup && map.hasLayer(popup)) { app.closing = true; map.closePopup(popup); app.closing = false; }
      return;
    }
    if (popup && map.hasLayer(popup) && popup.cpecId === rec.id) {
      if (force) popup.setContent(popupContent(app, rec, app.clickAt || popup.cpecAt));
      app.clickAt = null;
      return;
    }
    var size = map.getSize();
    // Where the map's own buttons sit, so auto-pan keeps the popup (and its close
    // button) clear of them; where the legend would cover it, the legend folds.
    var left = app.buttons.getContainer().offsetWidth + 20;
    var top = app.side.open ? 12 : app.side.menu.offsetHeight + 20;
    if (size.x < 1200 || size.y < 900) {
      legendWasOpen = legendWasOpen || !app.legend.folded;
      app.legend.setFolded(true);
    }
    var at = app.clickAt || anchorOf(rec);
    popup = L.popup({
      maxWidth: Math.max(Math.min(360, size.x - left - 60), 160),
      minWidth: Math.min(220, size.x - left - 60),
      maxHeight: Math.max(size.y - top - 70, 120),
      autoPan: !app.restoringView,
      autoPanPaddingTopLeft: [left, top],
      autoPanPaddingBottomRight: [12, 40],
      className: "cpec-popup-wrap"
    });
    popup.cpecId = rec.id;
    popup.cpecAt = app.clickAt;
    popup.setLatLng(at).setContent(popupContent(app, rec, app.clickAt)).openOn(map);
    var close = popup.getElement() && popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", app.i18n.t("popup.close"));
      close.title = app.i18n.t("popup.close");
    }
    app.clickAt = null;
  }
  map.on("popupclose", function (e) {
    if (e.popup !== popup) return;
    if (legendWasOpen) { app.legend.setFolded(false); legendWasOpen = false; }
    if (app.closing) return;
    if (app.store.get().selected === popup.cpecId) app.store.set({ selected: null });
  });

  /* The timeline: each feature takes the status (and look) it had on the date. */
  function applyDate(state) {
    app.features.forEach(function (rec) {
      if (!rec.f.history) return;
      var before = rec.at;
      rec.at = statusOn(rec, state.date);
      if (rec.item && before.style !== rec.at.style) restyle(app, rec, rec.at.style);
    });
  }

  app.store.subscribe(function (state, changed) {
    if (changed.date) applyDate(state);
    if (changed.layers || changed.filters || changed.date) applyVisibility(state);
    if (changed.basemap) applyBasemap(state);
    if (changed.lang) applyLanguage(state);
    // Counts, panel and legend depend on what is shown, not on the view: a pan over
    // 25,000 features must not recount them.
    var shownChanged = changed.layers || changed.filters || changed.date;
    if (shownChanged) recount(state);
    if (shownChanged || changed.lang || changed.basemap) app.panel.update(state, changed);
    if (shownChanged || changed.lang) app.legend.update(state);
    if (changed.selected || changed.lang || changed.layers || changed.filters || changed.date) {
      openSelected(state, changed.lang || changed.date);
    }
    if (changed.view) {
      var v = state.view, c = map.getCenter();
      if (Math.abs(c.lat - v.lat) > 1e-6 || Math.abs(c.lng - v.lng) > 1e-6 || map.getZoom() !== v.zoom) {
        map.setView([v.lat, v.lng], v.zoom, { animate: false });
      }
    }
    if (shownChanged || changed.lang) layoutLabels(app);
  });
  map.on("moveend", function () {
    var c = map.getCenter();
    app.store.set({ view: { lat: c.lat, lng: c.lng, zoom: map.getZoom() } });
  });
  map.on("zoomend resize", function () { layoutLabels(app); });

  // Start: the side panel closed on small screens and in articles (#embed, iframes).
  var embedded = /(^|[#&])embed\b/.test(window.location.hash.slice(1));
  var framed = false;
  try { framed = window.self !== window.top; } catch (e) { framed = true; }
  if ((embedded || framed) && map.gestureHandling) map.gestureHandling.enable();
  app.embedded = embedded;
  if (embedded) root.classList.add("cpec-embed");
  var narrow = window.matchMedia && window.matchMedia(NARROW_SCREEN).matches;
  app.side.setOpen(!(embedded || narrow));
  var room = map.getSize();
  if (narrow || embedded || room.x < 800 || room.y < 700) app.legend.setFolded(true);

  var state = app.store.get();
  applyLanguage(state);
  map.invalidateSize({ animate: false });
  // Counts and the legend first (the fit below leaves room for the legend), the
  // layers last, once the view is final: a redraw of thousands of vertices costs.
  app.features.forEach(function (rec) { rec.shown = !!rec.item && app.isShown(rec, state); });
  recount(state);
  app.panel.update(state);
  app.legend.update(state);
  applyBasemap(state);
  // Fit the corridor into the part of the map the buttons and an open legend leave free.
  // (maxZoom: a map of one site would otherwise zoom in without end.)
  var legendRoom = app.legend.folded ? 24 : app.legend.getContainer().offsetWidth + 24;
  map.fitBounds(doc.bounds, {
    paddingTopLeft: [app.buttons.getContainer().offsetWidth + 24, 24],
    paddingBottomRight: [legendRoom, 24], animate: false, maxZoom: 12
  });
  applyVisibility(state);
  var c0 = map.getCenter();
  app.store.state.view = { lat: c0.lat, lng: c0.lng, zoom: map.getZoom() };

  // Printing: the page is laid out anew for paper (or the article's frame); refit.
  var refit = function () {
    map.invalidateSize({ animate: false });
    map.fitBounds(doc.bounds, {
      paddingTopLeft: [12, 12], paddingBottomRight: [app.legend.getContainer().offsetWidth + 16, 12],
      animate: false, maxZoom: 12
    });
  };
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) printing.addEventListener("change", function (e) { if (e.matches) refit(); });
  }
  window.addEventListener("beforeprint", refit);

  MODULES.forEach(function (m) { m.init(app); });
  layoutLabels(app);
  root.setAttribute("data-cpec-ready", "true");
  map.getContainer().setAttribute("data-cpec-ready", "true");
  return app;
}

window.CpecMap = { build: build };
