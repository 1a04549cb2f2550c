// The jobforge search page: a small script over the JSON API.
// Job data is only ever rendered with textContent (never innerHTML), and
// links are kept only when they are http(s) URLs.
"use strict";

(function () {
  const PAGE_SIZE = 10;
  const $ = (id) => document.getElementById(id);
  const form = $("search-form");
  const statusBox = $("status");
  const errorBox = $("error");
  const list = $("results");
  const pager = $("pagination");
  const dialog = $("job-detail");
  let offset = 0;
  let lastOpener = null;
  let inFlight = null;
  let lastSearchId = null;
  let openJobId = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (!value) return null;
    try {
      const url = new URL(value, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function money(value, currency) {
    try {
      return new Intl.NumberFormat(undefined, {
        style: currency ? "currency" : "decimal",
        currency: currency || undefined,
        maximumFractionDigits: 0,
      }).format(value);
    } catch (_) {
      return `${Math.round(value)} ${currency || ""}`.trim();
    }
  }

  function salaryLabel(salary) {
    if (!salary || (salary.min == null && salary.max == null)) return salary && salary.text ? salary.text : null;
    const cur = salary.currency;
    let span;
    if (salary.min != null && salary.max != null && salary.max !== salary.min) {
      span = `${money(salary.min, cur)}–${money(salary.max, cur)}`;
    } else if (salary.min != null) {
      span = money(salary.min, cur);
    } else {
      span = `up to ${money(salary.max, cur)}`;
    }
    return salary.period ? `${span} / ${salary.period}` : span;
  }

  function locationLabel(job) {
    const labels = (job.locations || [])
      .map((loc) => [loc.city, loc.region, loc.country].filter(Boolean).join(", ") || loc.text || "")
      .filter(Boolean);
    return labels.length ? labels.join(" · ") : null;
  }

  const WORKPLACE = { remote: "Remote", hybrid: "Hybrid", onsite: "On-site" };
  const EMPLOYMENT = {
    full_time: "Full-time", part_time: "Part-time", contract: "Contract", temporary: "Temporary",
    internship: "Internship", volunteer: "Volunteer", other: "Other",
  };

  function badges(job) {
    const items = [];
    const where = locationLabel(job);
    if (where) items.push(["location", where]);
    const salary = salaryLabel(job.salary);
    if (salary) items.push(["salary", salary]);
    if (WORKPLACE[job.workplace_type]) items.push([`workplace ${job.workplace_type}`, WORKPLACE[job.workplace_type]]);
    if (EMPLOYMENT[job.employment_type]) items.push(["employment", EMPLOYMENT[job.employment_type]]);
    return items;
  }

  function fillBadges(ul, job) {
    ul.replaceChildren(...badges(job).map(([kind, text]) => el("li", `badge ${kind}`, text)));
  }

  function params() {
    const data = new FormData(form);
    const query = new URLSearchParams();
    const q = (data.get("q") || "").trim();
    if (q) query.set("q", q);
    for (const value of data.getAll("remote")) query.append("remote", value);
    for (const name of ["location", "salary_min", "employment_type", "posted_within_days"]) {
      const value = (data.get(name) || "").trim();
      if (value) query.set(name, value);
    }
    return query;
  }

  function headers() {
    const key = $("api_key").value.trim();
    return key ? { "X-API-Key": key, Accept: "application/json" } : { Accept: "application/json" };
  }

  function showError(message) {
    list.replaceChildren();
    pager.hidden = true;
    statusBox.textContent = "";
    errorBox.textContent = message;
    errorBox.hidden = false;
    document.body.dataset.state = "error";
  }

  async function problemMessage(response) {
    try {
      const problem = await response.json();
      if (problem && problem.detail) return `${problem.title || "Error"}: ${problem.detail}`;
    } catch (_) {
      /* not JSON */
    }
    return `The server answered ${response.status}.`;
  }

  async function search(newOffset) {
    offset = newOffset;
    const query = params();
    window.history.replaceState(null, "", query.toString() ? `?${query}` : window.location.pathname);
    query.set("limit", String(PAGE_SIZE));
    query.set("offset", String(offset));
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    errorBox.hidden = true;
    statusBox.textContent = "Searching…";
    document.body.dataset.state = "loading";
    let response;
    try {
      response = await fetch(`/api/v1/search?${query}`, { headers: headers(), signal: inFlight.signal });
    } catch (err) {
      if (err.name === "AbortError") return;
      showError("Could not reach the server. Check your connection and try again.");
      return;
    }
    if (!response.ok) {
      showError(await problemMessage(response));
      return;
    }
    lastSearchId = response.headers.get("X-Search-Id");
    render(await response.json());
  }

  // Analytics: a view or apply click names the search it came from (click-through per query).
  function track(kind, jobId) {
    const body = { kind, job_id: jobId };
    if (lastSearchId) body.search_id = lastSearchId;
    fetch("/api/v1/events", {
      method: "POST",
      headers: { ...headers(), "Content-Type": "application/json" },
      body: JSON.stringify(body),
      keepalive: true,
    }).catch(() => {});
  }

  function render(page) {
    list.replaceChildren();
    if (page.total === 0) {
      statusBox.textContent = "No jobs match your search. Try fewer filters or other words.";
      pager.hidden = true;
      document.body.dataset.state = "empty";
      return;
    }
    const first = page.offset + 1;
    const last = page.offset + page.hits.length;
    statusBox.textContent = `${page.total} jobs found. Showing ${first}–${last}.`;
    const template = $("result-template");
    for (const hit of page.hits) {
      const job = hit.job;
      const item = template.content.firstElementChild.cloneNode(true);
      const button = item.querySelector(".open-job");
      button.textContent = job.title;
      button.dataset.jobId = job.id;
      button.addEventListener("click", () => openJob(job.id, button));
      item.querySelector(".company").textContent = job.company;
      fillBadges(item.querySelector(".badges"), job);
      list.append(item);
    }
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    const current = Math.floor(page.offset / PAGE_SIZE) + 1;
    $("page-info").textContent = `Page ${current} of ${pages}`;
    $("prev-page").disabled = page.offset === 0;
    $("next-page").disabled = last >= page.total;
    pager.hidden = false;
    document.body.dataset.state = "results";
  }

  async function openJob(id, opener) {
    lastOpener = opener || null;
    let response;
    try {
      response = await fetch(`/api/v1/jobs/${encodeURIComponent(id)}`, { headers: headers() });
    } catch (_) {
      showError("Could not reach the server. Check your connection and try again.");
      return;
    }
    if (!response.ok) {
      showError(await problemMessage(response));
      return;
    }
    const job = await response.json();
    openJobId = job.id;
    track("job_viewed", job.id);
    $("detail-title").textContent = job.title;
    $("detail-company").textContent = job.company;
    fillBadges($("detail-badges"), job);
    const description = $("detail-description");
    description.replaceChildren(
      ...String(job.description || "No description.")
        .split(/\n{2,}/)
        .map((paragraph) => el("p", null, paragraph)),
    );
    const apply = $("detail-apply");
    const href = safeUrl(job.apply_url) || safeUrl(job.url);
    if (href) {
      apply.href = href;
      apply.hidden = false;
    } else {
      apply.removeAttribute("href");
      apply.hidden = true;
    }
    dialog.showModal();
    $("detail-close").focus();
  }

  function closeJob() {
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener("close", () => {
    if (lastOpener) lastOpener.focus();
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) closeJob();
  });
  $("detail-close").addEventListener("click", closeJob);
  $("detail-apply").addEventListener("click", () => {
    if (openJobId) track("apply_clicked", openJobId);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(0);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "q" && event.target.name !== "api_key") search(0);
  });
  $("clear-filters").addEventListener("click", () => {
    const q = $("q").value;
    const key = $("api_key").value;
    form.reset();
    $("q").value = q;
    $("api_key").value = key;
    search(0);
  });
  $("prev-page").addEventListener("click", () => {
    search(Math.max(0, offset - PAGE_SIZE)).then(() => $("results-heading").focus());
  });
  $("next-page").addEventListener("click", () => {
    search(offset + PAGE_SIZE).then(() => $("results-heading").focus());
  });

  // Restore a search from the address bar (links and reloads keep their results).
  const initial = new URLSearchParams(window.location.search);
  $("q").value = initial.get("q") || "";
  for (const box of form.querySelectorAll('input[name="remote"]')) {
    box.checked = initial.getAll("remote").includes(box.value);
  }
  for (const name of ["location", "salary_min", "employment_type", "posted_within_days"]) {
    if (initial.has(name)) $(name).value = initial.get(name);
  }
  search(0);
  // Alert e-mails link to /?job=<id>.
  if (initial.get("job")) openJob(initial.get("job"), null);
})();
