/* Translation: interface strings from the document, per language, with a visible
 * fall-back to English (marked with lang="en" and a class the stylesheet tags). */

var RTL = dict(["ur", "ar", "fa", "ps", "sd"]);

function I18n(doc, lang) {
  this.strings = doc.strings;
  this.lang = lang;
}

I18n.prototype.has = function (key, lang) {
  var table = own(this.strings, lang || this.lang);
  return !!table && own(table, key) !== undefined;
};

/* {text, fallback}: the string in the current language, else English, else the key. */
I18n.prototype.lookup = function (key, params) {
  var text = own(own(this.strings, this.lang), key), fallback = false;
  if (text === undefined) {
    text = own(own(this.strings, "en"), key);
    fallback = this.lang !== "en";
  }
  if (text === undefined) { text = key; fallback = true; }
  if (params) {
    text = text.replace(/\{(\w+)\}/g, function (m, name) {
      var v = own(params, name);
      return v === undefined ? m : String(v);
    });
  }
  return { text: text, fallback: fallback };
};

I18n.prototype.t = function (key, params) { return this.lookup(key, params).text; };

/* Text of a {lang: text} map of the data: {text, fallback, lang}. */
I18n.prototype.pick = function (map) {
  if (typeof map === "string") return { text: map, fallback: false, lang: this.lang };
  var text = own(map, this.lang);
  if (text !== undefined && text !== "") return { text: text, fallback: false, lang: this.lang };
  text = own(map, "en");
  if (text === undefined) {
    var keys = map ? Object.keys(map) : [];
    return keys.length ? { text: map[keys[0]], fallback: true, lang: keys[0] } : { text: "", fallback: false, lang: this.lang };
  }
  return { text: text, fallback: this.lang !== "en", lang: "en" };
};

I18n.prototype.mark = function (node, found, lang) {
  if (found.fallback) {
    node.lang = lang || "en";
    node.dir = RTL[node.lang] ? "rtl" : "ltr";
    node.classList.add("cpec-untranslated");
    node.title = this.t("app.untranslated");
  }
  return node;
};

/* Put an interface string into a node, marking an English fall-back. */
I18n.prototype.put = function (node, key, params) {
  var found = this.lookup(key, params);
  node.textContent = found.text;
  return this.mark(node, found, "en");
};

/* Put a {lang: text} data map into a node, marking a fall-back. */
I18n.prototype.putText = function (node, map) {
  var found = this.pick(map);
  node.textContent = found.text;
  return this.mark(node, found, found.lang);
};

I18n.prototype.dir = function (lang) { return RTL[lang || this.lang] ? "rtl" : "ltr"; };

I18n.prototype.number = function (value) {
  return Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 });
};

I18n.prototype.distance = function (m) {
  return m >= 1000
    ? this.t("unit.km", { n: this.number(Math.round(m / 100) / 10) })
    : this.t("unit.m", { n: this.number(Math.round(m)) });
};

I18n.prototype.value = function (value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return this.number(value);
  if (typeof value === "boolean") return this.t(value ? "popup.yes" : "popup.no");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
};

/* Interface label for a property key: a translation where one exists, else the key,
 * humanised (marked as untranslated when the language is not English). */
I18n.prototype.propLabel = function (node, key) {
  if (this.has("prop." + key) || this.has("prop." + key, "en")) return this.put(node, "prop." + key);
  node.textContent = humanise(key);
  return this.mark(node, { fallback: this.lang !== "en" }, "en");
};
