/* Permanent labels (cities) never overlap: after every zoom or change, labels are placed
 * in priority order (the document's ``rank``: larger cities first) and a label that
 * would cover one already placed is hidden. */

function layoutLabels(app) {
  // all writes, then all reads, then all writes: one layout pass, not one per label
  var nodes = [];
  app.labelled.forEach(function (rec) {
    var tip = rec.item && rec.item.getTooltip();
    var node = tip && tip.getElement && tip.getElement();
    if (!node || !rec.shown) return;
    node.classList.remove("cpec-label-hidden");
    nodes.push(node);
  });
  var boxes = nodes.map(function (node) {
    var r = node.getBoundingClientRect();
    return { l: r.left - 2, r: r.right + 2, t: r.top - 1, b: r.bottom + 1 };
  });
  var placed = [];
  boxes.forEach(function (box, i) {
    var hit = placed.some(function (p) { return box.l < p.r && box.r > p.l && box.t < p.b && box.b > p.t; });
    if (hit) nodes[i].classList.add("cpec-label-hidden");
    else placed.push(box);
  });
}
