/* Search by name: one box in the Find tab that matches every name a feature has (English,
 * Urdu, Chinese) whatever the interface language; the query lives in the store. */

/* Characters that do not change what a name says: combining marks (accents, Arabic
 * harakat, superscript alef), tatweel, zero-width joiners and direction marks. Written
 * with \p{M} where the browser knows it, with the named ranges as the fall-back. */
var FOLD_MARKS = (function () {
  var ranges = "\\u0300-\\u036f\\u064b-\\u065f\\u0670\\u0640\\u200b-\\u200f\\u202a-\\u202e\\u2060\\ufeff";
  try { return new RegExp("[\\p{M}" + ranges + "]", "gu"); } catch (e) { return new RegExp("[" + ranges + "]", "g"); }
}());
/* Letters Urdu, Arabic and Persian write differently that a reader takes as the same. */
var FOLD_LETTERS = {
  "\u064a": "\u06cc", "\u0649": "\u06cc", "\u06d2": "\u06cc",  // yeh: Arabic, alef maksura, barree -> Farsi yeh
  "\u0643": "\u06a9",  // Arabic kaf -> keheh
  "\u06c1": "\u0647", "\u06be": "\u0647", "\u06d5": "\u0647",  // heh goal, do-chashmi heh, ae -> heh
  "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"  // alef forms -> alef
};
var FOLD_LETTER_RE = /[\u064a\u0649\u06d2\u0643\u06c1\u06be\u06d5\u0623\u0625\u0622\u0671]/g;
/* Whitespace, hyphens and dashes of every kind (English names use en dashes, Chinese
 * names em dashes) are one separator. */
var FOLD_SEPARATORS = /[\s\u002d\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d_]+/g;

/* The one normaliser of names and queries: NFKD, marks stripped, lower case, Urdu/Arabic
 * letter variants folded, Arabic-Indic digits as ASCII, separators collapsed to a space. */
function foldName(text) {
  if (text === null || text === undefined) return "";
  var s = String(text);
  if (s.normalize) s = s.normalize("NFKD");
  return s.replace(FOLD_MARKS, "")
    .toLowerCase()
    .replace(FOLD_LETTER_RE, function (c) { return FOLD_LETTERS[c]; })
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, function (c) { return String((c.charCodeAt(0) & 0xf) % 10); })
    .replace(FOLD_SEPARATORS, " ")
    .trim();
}

/* The features the list can offer (they take clicks and are drawn), with their names
 * folded once: searching 20,000 features is then one indexOf each. */
function FindIndex(app) {
  var recs = [], keys = [];
  // The corridor first, then the setting (cities): what the reader came for leads the list.
  var corridor = app.features.filter(function (r) { return r.layer.role === "corridor"; });
  var setting = app.features.filter(function (r) { return r.layer.role !== "corridor"; });
  corridor.concat(setting).forEach(function (rec) {
    if (!rec.item || !rec.layer.interactive) return;
    var names = rec.f.name || {};
    // A newline never survives foldName, so no match spans two names.
    keys.push("\n" + Object.keys(names).map(function (k) { return foldName(names[k]); }).join("\n"));
    recs.push(rec);
  });
  this.app = app;
  this.recs = recs;
  this.keys = keys;
}

/* What a query finds among the features shown in ``state``: {found: [rec] (best first:
 * a name starting with the query, then a word starting with it, then the rest, each
 * corridor first, then in map order), total: shown features, hidden: matches hidden by a layer or filter}. */
FindIndex.prototype.search = function (query, state) {
  var q = foldName(query), app = this.app, recs = this.recs, keys = this.keys;
  var tiers = [[], [], []], total = 0, hidden = 0;
  for (var i = 0; i < recs.length; i++) {
    var shown = app.isShown(recs[i], state);
    if (shown) total++;
    if (q && keys[i].indexOf(q) < 0) continue;
    if (!shown) { hidden++; continue; }
    var tier = !q || keys[i].indexOf("\n" + q) >= 0 ? 0 : keys[i].indexOf(" " + q) >= 0 ? 1 : 2;
    tiers[tier].push(recs[i]);
  }
  return { found: tiers[0].concat(tiers[1], tiers[2]), total: total, hidden: hidden, query: q };
};

function SearchBox(app) {
  var self = this, store = app.store, uid = app.uid;
  this.app = app;
  this.timer = null;
  this.root = el("div", "cpec-find-search");
  this.label = el("label", "cpec-find-label");
  this.label.htmlFor = uid + "-find-input";
  this.root.appendChild(this.label);
  var field = el("div", "cpec-find-field");
  field.appendChild(icon("search"));
  this.input = el("input", "cpec-find-input");
  this.input.type = "search";
  this.input.id = uid + "-find-input";
  this.input.autocomplete = "off";
  this.input.spellcheck = false;
  this.input.setAttribute("enterkeyhint", "search");
  this.input.value = store.get().query || "";
  field.appendChild(this.input);
  this.clearButton = button("cpec-find-clear");
  // Escape clears from the keyboard; out of the tab order, Tab goes from the box to the list.
  this.clearButton.tabIndex = -1;
  this.clearButton.appendChild(icon("close"));
  this.clearButton.addEventListener("click", function () {
    self.setQuery("");
    self.input.focus();
  });
  field.appendChild(this.clearButton);
  this.root.appendChild(field);

  function typed(e) {
    self.sync();
    if (e.isComposing) return;  // an IME (pinyin, say) is still composing: wait for the text
    clearTimeout(self.timer);
    self.timer = setTimeout(function () { self.flush(); }, 100);
  }
  this.input.addEventListener("input", typed);
  this.input.addEventListener("compositionend", typed);
  this.input.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && self.input.value) {
      self.setQuery("");
      e.preventDefault();
      e.stopPropagation();
    }
  });
  store.subscribe(function (state, changed) {
    if (changed.lang) self.translate();
    if (changed.query && state.query !== self.input.value) {
      clearTimeout(self.timer);
      self.timer = null;
      self.input.value = state.query || "";
      self.sync();
    }
  });
  this.translate();
  this.sync();
}

/* Put the typed query into the store now (the list follows the store). */
SearchBox.prototype.flush = function () {
  clearTimeout(this.timer);
  this.timer = null;
  this.app.store.set({ query: this.input.value });
};

SearchBox.prototype.setQuery = function (text) {
  this.input.value = text;
  this.sync();
  this.flush();
};

SearchBox.prototype.sync = function () {
  this.clearButton.hidden = !this.input.value;
};

SearchBox.prototype.translate = function () {
  var i18n = this.app.i18n;
  i18n.put(this.label, "search.label");
  this.input.placeholder = i18n.t("search.placeholder");
  this.clearButton.setAttribute("aria-label", i18n.t("search.clear"));
  this.clearButton.title = i18n.t("search.clear");
};

MODULES.push({
  name: "search",
  init: function (app) {
    var box = new SearchBox(app);
    app.side.tabs.find.panel.appendChild(box.root);
    app.find = { index: new FindIndex(app), search: box, fold: foldName };
  }
});
