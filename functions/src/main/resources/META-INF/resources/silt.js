// The Silt status page: polls the REST API every 2 s (GET /v1/topics, GET /v1/topics/{t}, GET /v1/groups) and
// shows topics, partitions with their offsets, production and consumption rates and lag. No build step.
"use strict";
(function () {
  const keyInput = document.getElementById("key");
  const status = document.getElementById("status");
  const topicsDiv = document.getElementById("topics");
  const groupsList = document.getElementById("groups");
  const previous = {}; // topic -> {at, end}: to derive a production rate from end offsets
  keyInput.value = sessionStorage.getItem("silt-key") || "";
  keyInput.addEventListener("change", () => { sessionStorage.setItem("silt-key", keyInput.value); refresh(); });

  async function get(path) {
    const headers = { "Accept": "application/json" };
    if (keyInput.value) headers["X-Api-Key"] = keyInput.value;
    const r = await fetch(path, { headers });
    if (!r.ok) {
      let detail = r.statusText;
      try { detail = (await r.json()).detail || detail; } catch (e) { /* not problem+json */ }
      throw new Error(r.status + " " + path + ": " + detail);
    }
    return r.json();
  }

  function el(tag, text) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text); // never innerHTML: names come from users
    return e;
  }

  function row(cells, head) {
    const tr = el("tr");
    cells.forEach(c => tr.appendChild(el(head ? "th" : "td", c)));
    return tr;
  }

  function partitionsOf(t) {
    if (Array.isArray(t.partitionInfo)) return t.partitionInfo;
    if (Array.isArray(t.partitions)) return t.partitions;
    if (Array.isArray(t.partitionOffsets)) return t.partitionOffsets;
    return [];
  }

  function rate(x) { return typeof x === "number" ? x.toFixed(1) + "/s" : "–"; }

  function renderTopic(t) {
    const parts = partitionsOf(t);
    const end = parts.reduce((s, p) => s + (p.endOffset || 0), 0);
    const now = Date.now();
    const before = previous[t.name];
    const observed = before && now > before.at ? (end - before.end) * 1000 / (now - before.at) : undefined;
    previous[t.name] = { at: now, end };
    const stats = t.stats || t;
    const box = el("div");
    box.appendChild(el("h2", t.name));
    const figures = el("p");
    figures.className = "figures";
    figures.appendChild(el("span", "production " + rate(stats.productionRate ?? stats.produceRecordsPerSecond ?? observed)));
    figures.appendChild(el("span", "consumption " + rate(stats.consumptionRate ?? stats.consumeRecordsPerSecond)));
    figures.appendChild(el("span", "lag " + (stats.lag ?? stats.lagRecords ?? "–")));
    figures.appendChild(el("span", "retained " + parts.reduce((s, p) => s + (p.endOffset - p.startOffset), 0)));
    box.appendChild(figures);
    const table = el("table");
    table.appendChild(row(["partition", "start offset", "end offset", "records"], true));
    parts.forEach(p => table.appendChild(row([p.partition, p.startOffset, p.endOffset, p.endOffset - p.startOffset])));
    box.appendChild(table);
    return box;
  }

  async function refresh() {
    try {
      const list = await get("/v1/topics");
      const topics = await Promise.all((list.topics || []).map(n => get("/v1/topics/" + encodeURIComponent(n))));
      topicsDiv.replaceChildren(...(topics.length ? topics.map(renderTopic) : [el("p", "no topics yet")]));
      const groups = await get("/v1/groups").catch(() => ({ groups: [] }));
      groupsList.replaceChildren(...(groups.groups || []).map(g => el("li", typeof g === "string" ? g : g.group)));
      status.textContent = "updated " + new Date().toLocaleTimeString();
      status.className = "";
    } catch (e) {
      status.textContent = e.message;
      status.className = "error";
    }
  }

  refresh();
  setInterval(refresh, 2000);
})();
