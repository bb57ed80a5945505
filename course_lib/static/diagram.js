// The slider panel's live network diagram, drawn as SVG by the browser (see course_lib/live.py).
//
// The kernel sends the layout once (where every neuron, line and label goes, in data units: the
// layout matplotlib draws too) and then, at every change, the state: what each label reads and each
// line's colour and width.  Nothing here computes a number; it only draws what it is sent.

const NS = "http://www.w3.org/2000/svg";
const FONT = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif"; // matplotlib's font, as the layout measured it

function make(tag, attributes, parent) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, value);
  if (parent) parent.appendChild(element);
  return element;
}

// A name as runs of plain and subscript text, [["net", false], ["h1", true]], into a <text>.
function writeName(text, runs, size) {
  let low = false;
  for (const [words, sub] of runs) {
    const span = make("tspan", {}, text);
    if (sub !== low) span.setAttribute("dy", (sub ? 0.25 : -0.25) * size);
    if (sub) span.setAttribute("font-size", 0.72 * size);
    span.textContent = words;
    low = sub;
  }
  return low;
}

function build(layout) {
  const [x0, x1, y0, y1] = layout.limits;
  const point = 1 / layout.points_per_unit; // one point, in data units
  const svg = make("svg", { viewBox: `${x0} ${-y1} ${x1 - x0} ${y1 - y0}`, "font-family": FONT });
  svg.classList.add("course-live-diagram-svg");
  svg.style.display = "block";
  svg.style.width = "100%";
  svg.style.height = "auto";
  svg.style.maxWidth = `${((x1 - x0) * layout.points_per_unit * 4) / 3}px`; // 72 points = 96 CSS pixels
  const layers = ["edges", "bias-nodes", "nodes", "labels", "key"].map((name) => make("g", { class: name }, svg));
  const [edgeLayer, biasLayer, nodeLayer, labelLayer, keyLayer] = layers;

  const edges = {};
  for (const [p, [[ax, ay], [bx, by]]] of Object.entries(layout.edges)) {
    edges[p] = make("line", { x1: ax, y1: -ay, x2: bx, y2: -by, "stroke-linecap": "butt" }, edgeLayer);
  }
  for (const node of layout.nodes) {
    const [x, y] = node.xy;
    const parent = node.r < 0.25 ? biasLayer : nodeLayer;
    make("circle", { cx: x, cy: -y, r: node.r, fill: node.face, stroke: "black", "stroke-width": 1.2 * point }, parent);
    const size = node.size * point;
    const name = make("text", { x, y: -y + 0.35 * size, "text-anchor": "middle", "font-size": size }, parent);
    writeName(name, node.name, size);
  }
  const labels = {};
  for (const [id, place] of Object.entries(layout.labels)) {
    const size = place.size * point;
    const group = make("g", { "data-label": id }, labelLayer);
    const box = make("rect", { fill: "white", rx: 0.3 * size, ry: 0.3 * size }, group);
    const text = make("g", {}, group);
    const rows = place.names.map((runs) => {
      const row = make("text", { x: place.xy[0], "text-anchor": "middle", "font-size": size }, text);
      const low = writeName(row, runs, size);
      const value = make("tspan", low ? { dy: -0.25 * size } : {}, row);
      return { row, value, name: runs.map(([words]) => words).join("") };
    });
    labels[id] = { place, size, group, box, text, rows };
  }
  for (const entry of layout.key) {
    const [x, y] = entry.xy;
    if (entry.sample === "node") {
      make("circle", { cx: x + 0.25, cy: -y, r: 0.17, fill: "#EEEEEE", stroke: "black", "stroke-width": point }, keyLayer);
    } else {
      const width = entry.lw * point;
      make("line", { x1: x, y1: -y, x2: x + 0.5, y2: -y, stroke: entry.color, "stroke-width": width }, keyLayer);
    }
    const size = 8 * point;
    const words = make("text", { x: entry.at[0], y: -entry.at[1] + 0.35 * size, "font-size": size }, keyLayer);
    words.textContent = entry.words;
  }
  return { svg, edges, labels, point, row: layout.row * point };
}

// Put each label's visible rows on its point, as matplotlib does (see LabelShape.outline).
function placeRows(label, rowHeight) {
  const shown = label.rows.filter((r) => r.row.style.display !== "none");
  const [x, y] = label.place.xy;
  const size = label.size;
  let first;
  if (label.place.valign === "top") first = -y + 0.45 * size + 0.75 * size;
  else if (label.place.valign === "bottom") first = -y - 0.45 * size - 0.3 * size - (shown.length - 1) * rowHeight;
  else first = -y + 0.35 * size;
  shown.forEach((r, k) => r.row.setAttribute("y", first + k * rowHeight));
  return shown.length;
}

function boxLabels(view, labels = Object.values(view.labels)) {
  for (const label of labels) {
    if (!label.shown) continue;
    const b = label.text.getBBox();
    const pad = 0.2 * label.size;
    label.box.setAttribute("x", b.x - pad);
    label.box.setAttribute("y", b.y - pad);
    label.box.setAttribute("width", b.width + 2 * pad);
    label.box.setAttribute("height", b.height + 2 * pad);
  }
}

function apply(view, state) {
  for (const [p, [colour, width]] of Object.entries(state.edges || {})) {
    view.edges[p].setAttribute("stroke", colour);
    view.edges[p].setAttribute("stroke-width", width * view.point);
  }
  const changed = [];
  for (const [id, texts] of Object.entries(state.rows || {})) {
    const label = view.labels[id];
    const key = JSON.stringify(texts);
    if (label.key === key) continue; // unchanged: no new text, no new box
    label.key = key;
    changed.push(label);
    const read = [];
    texts.forEach((text, k) => {
      const r = label.rows[k];
      r.row.style.display = text === null ? "none" : "";
      if (text !== null) {
        r.value.textContent = text;
        read.push(r.name + text);
      }
    });
    label.shown = placeRows(label, view.row) > 0;
    label.group.style.display = label.shown ? "" : "none";
    label.group.dataset.text = read.join("\n"); // what the label reads, for tests and screen readers
  }
  boxLabels(view, changed); // all texts first, then all sizes: one layout of the page, not one per label
}

export default {
  render({ model, el }) {
    el.classList.add("course-live-diagram");
    let view = null;
    const update = () => {
      if (!view) return;
      const state = model.get("state");
      apply(view, state);
      el.dataset.version = state.version;
    };
    const draw = () => {
      el.replaceChildren();
      view = model.get("plan").limits ? build(model.get("plan")) : null;
      if (!view) return;
      el.appendChild(view.svg);
      view.svg.style.maxHeight = `${model.get("max_height")}px`;
      update();
    };
    // The boxes behind the labels need the text laid out: measure again when the diagram is shown
    // (it may be drawn while hidden, e.g. in a slide not yet shown).
    const resized = new ResizeObserver(() => view && boxLabels(view));
    resized.observe(el);
    model.on("change:plan", draw);
    model.on("change:state", update);
    draw();
    return () => {
      resized.disconnect();
      model.off("change:plan", draw);
      model.off("change:state", update);
    };
  },
};
