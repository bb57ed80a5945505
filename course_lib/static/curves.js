// The slider panel's live training curves, drawn as SVG by the browser (see course_lib/live.py):
// the error after every step, and every parameter after every step.  The kernel sends the numbers,
// the axes' limits and ticks (worked out by matplotlib's tick locator) and each line's colour; this
// module only draws them.

const NS = "http://www.w3.org/2000/svg";
const FONT = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif";
const HEIGHT = 190;
const PLOT = { top: 10, bottom: 150 }; // the plotting area, in pixels from the top
const DASHES = { "-": "", "--": "6 3", ":": "1.5 2.5", "-.": "6 2 1.5 2" };

function make(tag, attributes, parent) {
  const element = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, value);
  if (parent) parent.appendChild(element);
  return element;
}

function writeName(text, runs) {
  let low = false;
  for (const [words, sub] of runs) {
    const span = make("tspan", {}, text);
    if (sub !== low) span.setAttribute("dy", sub ? 3 : -3);
    if (sub) span.setAttribute("font-size", "8");
    span.textContent = words;
    low = sub;
  }
}

// One plot: its frame, ticks and lines; left and right are pixels of the SVG.
function plot(svg, left, right, axes, lines, ylabel) {
  const g = make("g", { class: axes.name }, svg);
  const [x0, x1] = axes.xlim;
  const [y0, y1] = axes.ylim;
  const sx = (x) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
  const sy = (y) => PLOT.bottom - ((y - y0) / (y1 - y0 || 1)) * (PLOT.bottom - PLOT.top);
  for (const [tick, text] of axes.xticks) {
    const x = sx(tick);
    make("line", { x1: x, x2: x, y1: PLOT.top, y2: PLOT.bottom, stroke: "#e5e5e5" }, g);
    make("text", { x, y: PLOT.bottom + 13, "text-anchor": "middle", "font-size": 10 }, g).textContent = text;
  }
  for (const [tick, text] of axes.yticks) {
    const y = sy(tick);
    make("line", { x1: left, x2: right, y1: y, y2: y, stroke: "#e5e5e5" }, g);
    make("text", { x: left - 4, y: y + 3.5, "text-anchor": "end", "font-size": 10 }, g).textContent = text;
  }
  make("rect", { x: left, y: PLOT.top, width: right - left, height: PLOT.bottom - PLOT.top, fill: "none",
    stroke: "#333" }, g);
  make("text", { x: (left + right) / 2, y: PLOT.bottom + 28, "text-anchor": "middle", "font-size": 11 }, g)
    .textContent = "step";
  const label = make("text", { "font-size": 11, "text-anchor": "middle",
    transform: `translate(${left - 44} ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)` }, g);
  writeName(label, ylabel);
  for (const line of lines) {
    const points = line.y.map((y, k) => `${sx(axes.x[k]).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    const drawn = make("polyline", { points, fill: "none", stroke: line.colour, "stroke-width": 1.5,
      "stroke-dasharray": DASHES[line.dash] || "" }, g);
    drawn.classList.add("course-curve", `course-curve-${line.id}`);
    drawn.dataset.points = line.y.length;
  }
  return g;
}

function legend(svg, left, lines) {
  const rows = Math.ceil(lines.length / Math.ceil(lines.length / 12));
  lines.forEach((line, k) => {
    const x = left + Math.floor(k / rows) * 62;
    const y = PLOT.top + 6 + (k % rows) * 12;
    make("line", { x1: x, x2: x + 16, y1: y - 3, y2: y - 3, stroke: line.colour, "stroke-width": 1.5,
      "stroke-dasharray": DASHES[line.dash] || "" }, svg);
    const name = make("text", { x: x + 20, y, "font-size": 10 }, svg);
    writeName(name, line.name);
  });
}

function draw(el, state) {
  el.replaceChildren();
  if (!state.loss) return;
  const columns = Math.ceil(state.weights.lines.length / 12);
  const width = 760 + 62 * columns;
  const svg = make("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, "font-family": FONT }, el);
  svg.style.display = "block";
  svg.style.width = "100%";
  svg.style.maxWidth = `${width}px`;
  plot(svg, 62, 330, state.loss, [{ id: "loss", y: state.loss.y, colour: "#0072B2", dash: "-" }], state.loss.label);
  plot(svg, 438, 740, state.weights, state.weights.lines, [["value", false]]);
  legend(svg, 752, state.weights.lines);
  el.dataset.steps = state.loss.x[state.loss.x.length - 1]; // the run's steps (a long run is drawn through fewer)
  el.dataset.version = state.version;
}

export default {
  render({ model, el }) {
    el.classList.add("course-live-curves");
    const update = () => draw(el, model.get("state"));
    model.on("change:state", update);
    update();
    return () => model.off("change:state", update);
  },
};
