/* The side panel: title, language switch, and tabs (Find, Layers) that other modules
 * fill; a tools bar at its foot. On narrow screens it is a drawer behind a Menu button.
 * Everything here re-reads its words from the store's language on every change. */

function Side(app) {
  var i18n = app.i18n, self = this;
  this.app = app;
  var aside = el("aside", "cpec-side");
  aside.id = app.uid + "-side";
  var head = el("header", "cpec-head");
  this.title = el("h1", "cpec-title-text");
  this.built = el("p", "cpec-built");
  head.appendChild(this.title);
  head.appendChild(this.built);
  this.close = button("cpec-side-close");
  this.close.appendChild(icon("close"));
  this.close.addEventListener("click", function () { self.setOpen(false); });
  head.appendChild(this.close);
  aside.appendChild(head);

  // Language switch: a group of buttons, each named in its own language.
  this.langs = el("div", "cpec-langs");
  this.langs.setAttribute("role", "group");
  app.doc.languages.forEach(function (lang) {
    var b = button("cpec-lang", own(own(app.doc.strings, lang), "lang.name") || lang);
    b.lang = lang;
    b.dir = i18n.dir(lang);
    b.setAttribute("data-lang", lang);
    b.addEventListener("click", function () { app.store.set({ lang: lang }); });
    self.langs.appendChild(b);
  });
  aside.appendChild(this.langs);

  // Tabs.
  this.tabs = {};
  this.tablist = el("div", "cpec-tabs");
  this.tablist.setAttribute("role", "tablist");
  aside.appendChild(this.tablist);
  ["find", "layers"].forEach(function (name) {
    var tab = button("cpec-tab");
    tab.setAttribute("role", "tab");
    tab.id = app.uid + "-tab-" + name;
    tab.setAttribute("data-tab", name);
    var section = el("section", "cpec-tabpanel");
    section.id = app.uid + "-tabpanel-" + name;
    section.setAttribute("role", "tabpanel");
    section.setAttribute("aria-labelledby", tab.id);
    tab.setAttribute("aria-controls", section.id);
    tab.addEventListener("click", function () { self.show(name); });
    tab.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      var other = name === "find" ? "layers" : "find";
      self.show(other);
      self.tabs[other].tab.focus();
      e.preventDefault();
    });
    self.tablist.appendChild(tab);
    aside.appendChild(section);
    self.tabs[name] = { tab: tab, panel: section };
  });
  this.tools = el("footer", "cpec-tools");
  aside.appendChild(this.tools);
  this.aside = aside;

  // The Menu button on the map, shown when the panel is a closed drawer.
  this.menu = button("cpec-menu");
  this.menu.appendChild(icon("menu"));
  this.menuText = el("span");
  this.menu.appendChild(this.menuText);
  this.menu.setAttribute("aria-controls", aside.id);
  this.menu.addEventListener("click", function () { self.setOpen(!self.open); });
  this.open = true;
  this.show("find");
  this.translate();
}

Side.prototype.show = function (name) {
  var tabs = this.tabs;
  Object.keys(tabs).forEach(function (k) {
    tabs[k].tab.setAttribute("aria-selected", k === name ? "true" : "false");
    tabs[k].tab.tabIndex = k === name ? 0 : -1;
    tabs[k].panel.hidden = k !== name;
  });
  this.current = name;
};

/* Open or close the drawer (narrow screens, #embed); the map gets the room back. */
Side.prototype.setOpen = function (open) {
  this.open = open;
  this.app.root.classList.toggle("cpec-side-closed", !open);
  this.menu.setAttribute("aria-expanded", open ? "true" : "false");
  if (this.app.map) this.app.map.invalidateSize({ animate: false });
};

Side.prototype.translate = function () {
  var app = this.app, i18n = app.i18n, doc = app.doc;
  i18n.putText(this.title, doc.title);
  this.built.hidden = !doc.dataDate;
  if (doc.dataDate) i18n.put(this.built, "app.built", { date: doc.dataDate });
  this.langs.setAttribute("aria-label", i18n.t("app.language"));
  var buttons = this.langs.querySelectorAll("button");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-lang") === i18n.lang ? "true" : "false");
  }
  i18n.put(this.tabs.find.tab, "tab.find");
  i18n.put(this.tabs.layers.tab, "tab.layers");
  i18n.put(this.menuText, "app.menu");
  this.close.setAttribute("aria-label", i18n.t("app.close_menu"));
  this.close.title = i18n.t("app.close_menu");
  this.aside.setAttribute("aria-label", i18n.t("app.menu"));
};
