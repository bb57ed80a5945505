// The room's dashboard: draws the figures the server streams (server-sent events), nothing else.
// The server sends a "summary" event whenever reports arrive (at most twice a second) and every few
// seconds anyway; EventSource reconnects by itself when the server restarts.
"use strict";

const VERDICTS = ["correct", "too few digits", "carried forward", "incorrect", "not attempted"];
const cls = (verdict) => verdict.replace(/ /g, "-");
let latest = null; // the last summary
let receivedAt = 0; // this browser's clock when it came (the "stuck for" times count on from there)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function duration(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

function elapsed() {
  return (Date.now() - receivedAt) / 1000; // seconds since the figures were made
}

function stuckText(stuck) {
  const later = elapsed();
  return `${duration(stuck.median + later)} / ${duration(stuck.longest + later)}`;
}

function renderStuck(list) {
  const ol = document.getElementById("stuck");
  ol.replaceChildren();
  if (!list.length) ol.append(el("li", { class: "empty" }, "Nobody is stuck."));
  for (const step of list) {
    ol.append(
      el(
        "li",
        { "data-exercise": step.exercise, "data-quantity": step.quantity },
        el("span", { class: "n" }, String(step.learners)),
        ` on `,
        el("code", {}, step.quantity),
        el("span", { class: "where" }, ` (${step.title})`),
        " for ",
        el("span", { class: "time", "data-median": step.median, "data-longest": step.longest }, stuckText(step)),
      ),
    );
  }
}

function renderMistakes(list) {
  const ol = document.getElementById("mistakes");
  ol.replaceChildren();
  if (!list.length) ol.append(el("li", { class: "empty" }, "No named mistake yet."));
  for (const mistake of list) {
    const where = mistake.where.map((w) => `${w.quantity} (${w.learners})`).join(", ");
    ol.append(
      el(
        "li",
        { "data-mistake": mistake.mistake },
        el("span", { class: "n" }, String(mistake.learners)),
        ` ${mistake.title} `,
        el("span", { class: "where" }, `— ${where}`),
      ),
    );
  }
}

function renderExercise(exercise) {
  const head = el(
    "tr",
    {},
    el("th", {}, "quantity"),
    el("th", {}, ""),
    ...VERDICTS.map((v) => el("th", {}, v)),
    el("th", {}, "stuck for (median / longest)"),
    el("th", { class: "mistake" }, "named mistakes"),
  );
  const body = el("tbody");
  for (const q of exercise.quantities) {
    const total = VERDICTS.reduce((sum, v) => sum + q.counts[v], 0) || 1;
    const stack = el("div", { class: "stack" });
    for (const v of VERDICTS.slice(0, 4)) {
      if (q.counts[v]) stack.append(el("span", { class: cls(v), style: "", title: `${q.counts[v]} ${v}` }));
      if (q.counts[v]) stack.lastChild.style.width = `${(100 * q.counts[v]) / total}%`;
    }
    const row = el(
      "tr",
      {
        "data-quantity": q.quantity,
        // on the projector, only the steps where someone is wrong (nothing to discuss in the others)
        class: q.counts.incorrect + q.counts["carried forward"] + q.counts["too few digits"] ? "" : "all-right",
      },
      el("td", {}, q.quantity),
      el("td", { class: "bar" }, stack),
      ...VERDICTS.map((v) =>
        el("td", { class: `count ${cls(v)}${q.counts[v] ? "" : " zero"}`, "data-verdict": v }, String(q.counts[v])),
      ),
      el(
        "td",
        { class: q.stuck.learners ? "stuck" : "zero" },
        q.stuck.learners ? `${q.stuck.learners}: ${stuckText(q.stuck)}` : "–",
      ),
      el("td", { class: "mistake" }, q.mistakes.map((m) => `${m.title} (${m.learners})`).join("; ")),
    );
    if (q.stuck.learners) row.querySelector("td.stuck").dataset.stuck = JSON.stringify(q.stuck);
    body.append(row);
  }
  return el(
    "section",
    { class: "exercise", "data-exercise": exercise.exercise },
    el("h2", {}, exercise.title, el("span", { class: "count" }, ` · ${counted(exercise.learners, "learner")}`)),
    el("table", {}, el("thead", {}, head), body),
  );
}

/** "1 learner", "2 learners". */
function counted(n, word) {
  return `${n} ${n === 1 ? word : word + "s"}`;
}

function render(summary) {
  latest = summary;
  receivedAt = Date.now();
  document.getElementById("learners").textContent = summary.learners;
  document.getElementById("learners-word").textContent = summary.learners === 1 ? "learner" : "learners";
  document.getElementById("reports-word").textContent = summary.reports === 1 ? "verdict" : "verdicts";
  document.getElementById("active").textContent = summary.active;
  document.getElementById("reports").textContent = summary.reports;
  renderStuck(summary.stuck);
  renderMistakes(summary.mistakes);
  const exercises = document.getElementById("exercises");
  exercises.replaceChildren();
  if (!summary.exercises.length) {
    exercises.append(el("p", { class: "empty" }, "No self-check reported yet. Learners join with the line above."));
  }
  for (const exercise of summary.exercises) exercises.append(renderExercise(exercise));
  tick();
}

function tick() {
  if (!latest) return;
  const last = document.getElementById("last");
  last.textContent = latest.last_report ? `${duration(latest.now - latest.last_report + elapsed())} ago` : "never";
  for (const time of document.querySelectorAll("#stuck .time")) {
    time.textContent = stuckText({ median: +time.dataset.median, longest: +time.dataset.longest });
  }
  for (const cell of document.querySelectorAll("td.stuck")) {
    const stuck = JSON.parse(cell.dataset.stuck);
    cell.textContent = `${stuck.learners}: ${stuckText(stuck)}`;
  }
}

function live(on) {
  const badge = document.getElementById("live");
  badge.className = `live ${on ? "on" : "off"}`;
  badge.textContent = on ? "live" : "reconnecting…";
}

function closed() {
  document.getElementById("closed").hidden = false;
  document.querySelector("main").hidden = true;
  live(false);
  document.getElementById("live").textContent = "closed";
}

function projector(on) {
  document.body.classList.toggle("projector", on);
  document.getElementById("projector").textContent = on ? "Normal view" : "Projector";
  history.replaceState(null, "", on ? "#projector" : location.pathname + location.search);
}

const source = new EventSource("events");
source.addEventListener("open", () => live(true));
source.addEventListener("error", () => live(false));
source.addEventListener("summary", (event) => {
  live(true);
  render(JSON.parse(event.data));
});
source.addEventListener("closed", () => {
  source.close();
  closed();
});
setInterval(tick, 1000);

document.getElementById("projector").addEventListener("click", () => projector(!document.body.classList.contains("projector")));
document.addEventListener("keydown", (event) => {
  if (event.key === "p" || event.key === "P") projector(!document.body.classList.contains("projector"));
});
if (location.hash === "#projector") projector(true);

document.getElementById("close").addEventListener("click", async () => {
  const code = document.body.dataset.code;
  if (!confirm(`Close room ${code} and delete all its reports? Learners' reports will be refused from now on.`)) return;
  const answer = await fetch("close", { method: "POST" });
  if (answer.ok) {
    source.close();
    closed();
  } else alert((await answer.json()).error);
});
