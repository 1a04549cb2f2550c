// The admin dashboard of the search page: charts of GET /api/v1/analytics.
// Shown only when the API key entered on the page is an admin's (the API
// answers 403 otherwise). Charts are inline SVG built with DOM calls; every
// text is set with textContent, so query text can never become markup.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const section = $("dashboard");
  const charts = $("dashboard-charts");
  const COLORS = { bar: "#0a5cc2", delivered: "#1a7f37", pending: "#8c959f", failed: "#cf222e", cancelled: "#d4a72c" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function pct(value) {
    return `${(100 * value).toFixed(1)}%`;
  }

  function figure(title, description, body) {
    const fig = el("figure", "chart");
    fig.append(el("figcaption", null, title));
    if (body.tagName && body.tagName.toLowerCase() === "svg") {
      body.setAttribute("role", "img");
      body.setAttribute("aria-label", description);
    }
    fig.append(body);
    return fig;
  }

  // Horizontal bars: one row per item, the label left, the value after the bar.
  function bars(items, { format = String, color = COLORS.bar } = {}) {
    const row = 22;
    const labelWidth = 150;
    const barWidth = 160;
    const noteWidth = 170;
    const height = Math.max(row, items.length * row);
    const chart = svg("svg", { viewBox: `0 0 ${labelWidth + barWidth + noteWidth} ${height}`, class: "bars" });
    const max = Math.max(1e-9, ...items.map((i) => i.value));
    items.forEach((item, n) => {
      const y = n * row;
      const label = item.label.length > 22 ? `${item.label.slice(0, 21)}…` : item.label;
      chart.append(svg("text", { x: 0, y: y + 15, class: "label" }, label));
      const width = Math.max(1, (barWidth * item.value) / max);
      const rect = svg("rect", { x: labelWidth, y: y + 3, width, height: row - 6, rx: 3, fill: color });
      rect.append(svg("title", {}, `${item.label}: ${format(item.value)}`));
      chart.append(rect);
      chart.append(svg("text", { x: labelWidth + width + 6, y: y + 15, class: "value" }, item.note || format(item.value)));
    });
    return chart;
  }

  // Vertical bars per day.
  function columns(days) {
    const width = 460;
    const height = 140;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, class: "columns" });
    const max = Math.max(1, ...days.map((d) => d.searches));
    const step = width / Math.max(1, days.length);
    days.forEach((day, n) => {
      const h = (height * day.searches) / max;
      const rect = svg("rect", { x: n * step + 2, y: height - h, width: Math.min(40, Math.max(2, step - 4)), height: h, fill: COLORS.bar });
      rect.append(svg("title", {}, `${day.day}: ${day.searches} searches, ${day.views} views, ${day.applies} applies`));
      chart.append(rect);
      if (n === 0 || n === days.length - 1 || days.length <= 8) {
        chart.append(svg("text", { x: n * step + 2, y: height + 15, class: "label" }, day.day.slice(5)));
      }
    });
    return chart;
  }

  // Stacked bars of alert deliveries per notifier.
  function stacked(alerts) {
    const row = 24;
    const labelWidth = 110;
    const barWidth = 300;
    const kinds = ["delivered", "pending", "failed", "cancelled"];
    const chart = svg("svg", { viewBox: `0 0 ${labelWidth + barWidth + 10} ${alerts.length * row + 24}`, class: "stacked" });
    const max = Math.max(1, ...alerts.map((a) => kinds.reduce((sum, k) => sum + a[k], 0)));
    alerts.forEach((a, n) => {
      const y = n * row;
      chart.append(svg("text", { x: 0, y: y + 16, class: "label" }, a.notifier));
      let x = labelWidth;
      for (const kind of kinds) {
        if (!a[kind]) continue;
        const width = (barWidth * a[kind]) / max;
        const rect = svg("rect", { x, y: y + 4, width, height: row - 8, fill: COLORS[kind] });
        rect.append(svg("title", {}, `${a.notifier}: ${a[kind]} ${kind}`));
        chart.append(rect);
        x += width;
      }
    });
    let x = 0;
    const legendY = alerts.length * row + 16;
    for (const kind of kinds) {
      chart.append(svg("rect", { x, y: legendY - 9, width: 10, height: 10, fill: COLORS[kind] }));
      chart.append(svg("text", { x: x + 14, y: legendY, class: "label" }, kind));
      x += 90;
    }
    return chart;
  }

  function ingestTable(rows) {
    const table = el("table", "ingest");
    const head = el("tr");
    for (const name of ["Source", "Runs", "Failures", "Last run", "Last success", "Quarantined"]) head.append(el("th", null, name));
    table.append(el("thead")).append(head);
    const body = el("tbody");
    for (const r of rows) {
      const tr = el("tr", r.last_status === "failed" ? "failed" : "");
      tr.append(
        el("td", null, r.source),
        el("td", null, r.runs),
        el("td", null, r.failures),
        el("td", null, r.last_status || "—"),
        el("td", null, r.last_success_at ? new Date(r.last_success_at).toLocaleString() : "never"),
        el("td", null, pct(r.quarantine_rate)),
      );
      body.append(tr);
    }
    table.append(body);
    return table;
  }

  function render(report) {
    $("dashboard-summary").textContent =
      `${report.searches} searches by ${report.users} signed-in users in the last ` +
      `${Math.round((new Date(report.until) - new Date(report.since)) / 86400000)} days; ` +
      `${report.zero_result_searches} found nothing; p95 latency ${report.p95_latency_ms.toFixed(1)} ms.`;
    const parts = [];
    if (report.daily.length) parts.push(figure("Searches per day", "Searches per day", columns(report.daily)));
    if (report.top_queries.length) {
      const items = report.top_queries.map((q) => ({ label: q.query, value: q.searches, note: `${q.searches} · CTR ${pct(q.ctr)} · apply ${pct(q.apply_rate)}` }));
      parts.push(figure("Top queries (click-through, apply rate)", "Top queries by searches", bars(items)));
    }
    if (report.zero_result_queries.length) {
      const items = report.zero_result_queries.map((q) => ({ label: q.query, value: q.searches }));
      parts.push(figure("Queries that found nothing", "Zero-result queries", bars(items, { color: COLORS.failed })));
    }
    if (report.sources.length) {
      const items = report.sources.map((s) => ({ label: s.source, value: s.apply_rate, note: `${pct(s.apply_rate)} of ${s.views} views` }));
      parts.push(figure("Apply rate by source", "Apply rate by job source", bars(items, { format: pct })));
    }
    if (report.alerts.length) parts.push(figure("Alert deliveries", "Alert deliveries per notifier", stacked(report.alerts)));
    if (report.ingest.length) parts.push(figure("Ingest health", "Ingest health per source", ingestTable(report.ingest)));
    if (!parts.length) parts.push(el("p", "muted", "No activity recorded yet."));
    charts.replaceChildren(...parts);
    section.hidden = false;
  }

  async function load() {
    const key = $("api_key").value.trim();
    if (!key) {
      section.hidden = true;
      return;
    }
    let response;
    try {
      response = await fetch("/api/v1/analytics?limit=8", { headers: { "X-API-Key": key, Accept: "application/json" } });
    } catch (_) {
      section.hidden = true;
      return;
    }
    if (!response.ok) {
      section.hidden = true; // not an admin (403) or no valid key (401)
      return;
    }
    render(await response.json());
  }

  $("api_key").addEventListener("change", load);
  $("dashboard-heading").addEventListener("click", load);
  load();
})();
