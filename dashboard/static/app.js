// The dashboard page: reads its scope from the URL, polls the read API, renders the panels.
"use strict";
(function () {
  const C = window.PathwatchCharts;
  const $ = (id) => document.getElementById(id);
  const parts = location.pathname.split("/").filter(Boolean);
  const level = parts[0] || "national";
  const code = parts[1] || "";
  const api = level === "national" ? "/api/national" : `/api/${level}/${encodeURIComponent(code)}`;
  const state = { poll: 2, sort: "age", order: "desc", cohortsFilled: "", timer: null };

  const pct = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)} %`);
  const num = (v) => (v === null || v === undefined ? "–" : String(v));
  const time = (unix) => (unix ? new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC" : null);

  // A figure from the API: {value, n, suppressed}. Suppressed figures never show a number.
  function cell(fig, fmt) {
    const span = document.createElement("span");
    if (!fig || fig.suppressed) {
      span.className = "suppressed";
      span.textContent = "<5";
      span.title = "fewer than 5 citizens: suppressed";
    } else {
      span.className = "figure";
      span.textContent = (fmt || num)(fig.value);
    }
    return span;
  }

  function tiles(container, items) {
    container.textContent = "";
    for (const [key, label, fig, fmt] of items) {
      const div = document.createElement("div");
      div.className = "tile";
      div.dataset.figure = key;
      const v = cell(fig, fmt);
      v.classList.add("value");
      div.appendChild(v);
      const l = document.createElement("span");
      l.className = "label";
      l.textContent = label;
      div.appendChild(l);
      container.appendChild(div);
    }
  }

  function table(el, head, rows, sortable) {
    el.textContent = "";
    const tr = document.createElement("tr");
    head.forEach((h, i) => {
      const th = document.createElement("th");
      th.textContent = Array.isArray(h) ? h[0] : h;
      if (sortable && Array.isArray(h)) {
        th.dataset.sort = h[1];
        th.addEventListener("click", () => sortable(h[1]));
      }
      tr.appendChild(th);
    });
    el.appendChild(tr);
    if (!rows.length) {
      const r = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = head.length;
      td.className = "empty";
      td.textContent = "None.";
      r.appendChild(td);
      el.appendChild(r);
    }
    for (const row of rows) {
      const r = document.createElement("tr");
      for (const c of row) {
        const td = document.createElement("td");
        if (c instanceof Node) td.appendChild(c);
        else td.textContent = c;
        r.appendChild(td);
      }
      el.appendChild(r);
    }
  }

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function renderHeader(d) {
    $("title").textContent = d.selection.label + (d.selection.cohort ? ` · cohort ${d.selection.cohort}` : "");
    document.title = `Pathwatch · ${d.selection.label}`;
    const wm = d.watermark.complete_up_to;
    $("watermark").textContent = wm ? time(wm) : "not reported yet (latest fact: " + (time(d.reference_time) || "none") + ")";
    $("watermark").dataset.unix = wm || "";
    $("updated").textContent = new Date().toLocaleTimeString();
    $("min-cell").textContent = d.min_cell;
  }

  function renderHeadline(h) {
    tiles($("headline"), [
      ["citizens", "citizens", h.citizens],
      ["open", "open pathways", h.open],
      ["m01", "visitation ≤ 7 days (M01)", h.m01, pct],
      ["m04_median_days", "median days to company placement (M04)", h.m04_median_days],
      ["m04_by_week9", "placed by week 9 (M04, RD-12)", h.m04_by_week9, pct],
      ["m06_now", "in company-oriented activation now (M06)", h.m06_now, pct],
      ["m08", "ever company-oriented (M08)", h.m08, pct],
      ["m25_self_sufficient", "exits to job or education (M25)", h.m25_self_sufficient, pct],
    ]);
  }

  function renderBreakdown(d) {
    const child = d.selection.child_level;
    $("breakdown-title").textContent = { region: "Regions", municipality: "Municipalities", job_centre: "Job centres" }[child];
    const rows = d.breakdown.map((u) => {
      const name = child === "job_centre" ? u.label : link(`/${child}/${encodeURIComponent(u.unit)}`, u.label);
      return [name, cell(u.citizens), cell(u.m01, pct), cell(u.m04_median_days), cell(u.m04_by_week9, pct),
        cell(u.m06_now, pct), cell(u.m08, pct), cell(u.m25_self_sufficient, pct), cell(u.open_alerts)];
    });
    table($("breakdown"), ["", "citizens", "M01 ≤ 7 d", "M04 median d", "placed by wk 9", "M06 now", "M08 ever",
      "exits job/edu", "with open alert"], rows);
    const sel = $("f-municipality");
    if (child === "municipality" && sel.options.length === 1) {
      for (const u of d.breakdown) sel.add(new Option(u.label, u.unit));
    }
  }

  function renderFunnel(f) {
    C.hbars($("funnel"), f.stages.map((s) => ({ label: s.stage, value: s.reached.value, suppressed: s.reached.suppressed })), { name: "funnel" });
    table($("lost"), ["stage", "outcome", "pathways"], f.lost.map((l) => [l.stage, l.outcome, cell(l.count)]));
    table($("stalled"), ["state", "pathways"], f.stalled.map((s) => [s.state, cell(s.count)]));
  }

  function renderPlacement(p) {
    const s = p.placed_within_weeks;
    tiles($("m04-shares"), [["w8", "placed ≤ 8 wk", s["8"], pct], ["w9", "≤ 9 wk", s["9"], pct],
      ["w13", "≤ 13 wk", s["13"], pct], ["w26", "≤ 26 wk", s["26"], pct]]);
    const hist = p.histogram.filter((b, i) => i <= 52);
    const last = Math.max(12, ...hist.filter((b) => b.placed.suppressed || b.placed.value > 0).map((b) => b.week));
    C.bars($("m04-hist"), hist.filter((b) => b.week <= last).map((b) => ({
      label: String(b.week), value: b.placed.value, suppressed: b.placed.suppressed })),
      { name: "m04-hist", xLabel: "weeks since entry (52 = 52+)" });
    const pts = p.km.points.map((q) => ({ x: q.t, y: q.s }));
    if (pts.length && pts[0].x > 0) pts.unshift({ x: 0, y: 1 });
    C.lines($("m04-km"), [{ name: "not yet placed", points: pts }], { name: "m04-km", yMax: 1, step: true,
      fmtY: pct, xLabel: "days since entry" + (p.km.suppressed_tail ? " (tail with < 5 at risk not shown)" : ""),
      ref: [{ x: 63, label: "week 9" }] });
  }

  function renderCohortCharts(d) {
    const co = d.cohorts;
    C.bars($("m01"), co.map((c) => ({ label: c.cohort.slice(2), value: c.m01.value, suppressed: c.m01.suppressed })),
      { name: "m01", max: 1, fmt: pct, ref: [{ value: 1, label: "RD-01: all within 7 days" }] });
    C.bars($("m08"), co.map((c) => ({ label: c.cohort.slice(2), value: c.m08.value, suppressed: c.m08.suppressed, alt: true })),
      { name: "m08", max: 1, fmt: pct, ref: [{ value: 0.42, label: "job-ready 42 %" }, { value: 0.18, label: "activity-ready 18 % (§6.4)" }] });
    tiles($("m06"), [["m06", "in company-oriented activation now", d.headline.m06_now, pct],
      ["open", "open pathways", d.headline.open]]);
    table($("cohorts"), ["entry month", "citizens", "M01 ≤ 7 d", "M04 median d", "placed by wk 9", "M08 ever", "open", "exits job/edu"],
      co.slice().reverse().map((c) => [c.cohort, cell(c.citizens), cell(c.m01, pct), cell(c.m04_median_days),
        cell(c.m04_by_week9, pct), cell(c.m08, pct), cell(c.open), cell(c.m25_self_sufficient, pct)]));
    const key = co.map((c) => c.cohort).join(",");
    if (key !== state.cohortsFilled) {
      const sel = $("cohort");
      const keep = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      for (const c of co.slice().reverse()) sel.add(new Option(c.cohort, c.cohort));
      sel.value = keep;
      state.cohortsFilled = key;
    }
  }

  function renderConversation(series) {
    const names = { ALL: "all", TREATMENT: "treatment", CONTROL: "control" };
    C.lines($("m10"), series.map((s) => ({ name: names[s.arm] || s.arm,
      points: s.weeks.filter((w) => !w.rate.suppressed && w.rate.value !== null).map((w) => ({ x: w.k, y: w.rate.value })) })),
      { name: "m10", yMax: 1, fmtY: pct, xMax: 64, xLabel: "week since entry (suppressed weeks omitted)",
        ref: [{ value: 0.8, label: "80 % target (RD-11)" }] });
  }

  function renderHours(h) {
    const mean = h.weeks.filter((w) => !w.mean.suppressed).map((w) => ({ x: w.week, y: w.mean.value }));
    const median = h.weeks.filter((w) => !w.median.suppressed).map((w) => ({ x: w.week, y: w.median.value }));
    C.lines($("m19"), [{ name: "mean hours/week", points: mean }, { name: "median", points: median }],
      { name: "m19", yMax: 37, xMax: 52, xLabel: "week since first company placement", ref: [{ value: 32, label: "32 h (RD-08)" }, { value: 12, label: "12 h start" }] });
  }

  function renderOutcomes(list) {
    C.bars($("m25"), list.map((o) => ({ label: o.outcome.replace(/_/g, " ").slice(0, 12), title: o.outcome,
      value: o.count.value, suppressed: o.count.suppressed })), { name: "m25", emptyText: "No exits yet." });
  }

  function renderTrial(t) {
    const box = $("m24");
    box.textContent = "";
    if (!t) {
      const p = document.createElement("p");
      p.className = "empty";
      p.textContent = "No randomised trial in this selection.";
      box.appendChild(p);
      return;
    }
    const a = t.arms;
    const tab = document.createElement("table");
    tab.className = "data small";
    table(tab, ["", "treatment", "control"], [
      ["citizens", cell(a.TREATMENT.citizens), cell(a.CONTROL.citizens)],
      ["weeks with a conversation (M10)", cell(a.TREATMENT.conversation_share, pct), cell(a.CONTROL.conversation_share, pct)],
      ["ever company-oriented (M08)", cell(a.TREATMENT.company, pct), cell(a.CONTROL.company, pct)],
      ["internship weeks, mean (M09)", cell(a.TREATMENT.internship_weeks_mean), cell(a.CONTROL.internship_weeks_mean)],
      ["exit to ordinary job (M21)", cell(a.TREATMENT.employed, pct), cell(a.CONTROL.employed, pct)],
      ["exit to education (M22)", cell(a.TREATMENT.education, pct), cell(a.CONTROL.education, pct)],
    ]);
    box.appendChild(tab);
    if (t.differences.length) {
      const d = document.createElement("table");
      d.className = "data small";
      table(d, ["treatment − control", "difference", "95 % interval"], t.differences.map((x) =>
        [x.label, `${(x.diff * 100).toFixed(1)} pp`, `${(x.ci_low * 100).toFixed(1)} … ${(x.ci_high * 100).toFixed(1)} pp`]));
      box.appendChild(d);
    }
  }

  function renderAlerts(d) {
    const rs = $("f-rule");
    if (rs.options.length === 1) for (const r of d.by_rule) rs.add(new Option(`${r.rule_id} ${r.rule_name}`, r.rule_id));
    const tot = d.total.suppressed ? "<5" : d.total.value;
    $("alerts-total").textContent = `${tot} open alert(s)` + (d.alerts.length >= d.limit ? `, first ${d.limit} shown` : "");
    const sort = (key) => {
      state.order = state.sort === key && state.order === "desc" ? "asc" : "desc";
      state.sort = key;
      refreshAlerts();
    };
    table($("alerts"), [["rule", "rule"], ["state", "state"], ["severity", "severity"], ["age (days)", "age"],
      ["pathway (pseudonym)", "pathway"], ["municipality", "municipality"], "job centre"],
      d.alerts.map((x) => [`${x.rule_id} ${x.rule_name}`, x.state, x.severity, String(x.age_days), x.pathway_id,
        x.municipality_code, x.job_centre_id]), sort);
  }

  async function get(url) {
    const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error("login"); }
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  }

  function query() {
    const c = $("cohort").value;
    return c ? `?cohort=${c}` : "";
  }

  async function refreshAlerts() {
    const q = new URLSearchParams({ sort: state.sort, order: state.order });
    for (const f of ["rule", "state", "municipality"]) if ($(`f-${f}`).value) q.set(f, $(`f-${f}`).value);
    if ($("cohort").value) q.set("cohort", $("cohort").value);
    renderAlerts(await get(`${api}/alerts?${q}`));
  }

  async function refresh() {
    clearTimeout(state.timer);
    try {
      const d = await get(`${api}/overview${query()}`);
      renderHeader(d);
      renderHeadline(d.headline);
      renderBreakdown(d);
      renderFunnel(d.funnel);
      renderPlacement(d.placement);
      renderCohortCharts(d);
      renderConversation(d.conversation);
      renderHours(d.hours);
      renderOutcomes(d.outcomes);
      renderTrial(d.trial);
      await refreshAlerts();
      $("status").textContent = "live";
      document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
    } catch (e) {
      $("status").textContent = "update failed: " + e.message;
    }
    state.timer = setTimeout(refresh, state.poll * 1000);
  }

  async function start() {
    const me = await get("/api/me");
    state.poll = me.poll_seconds;
    $("who").textContent = `${me.user} (${me.scope.level}${me.scope.code ? " " + me.scope.code : ""})`;
    const crumbs = $("crumbs");
    crumbs.appendChild(link(me.home, "my scope"));
    if (location.pathname !== me.home) {
      const s = document.createElement("span");
      s.textContent = "› " + (code || "national");
      crumbs.appendChild(s);
    }
    for (const id of ["cohort", "f-rule", "f-state", "f-municipality"]) $(id).addEventListener("change", refresh);
    refresh();
  }

  start();
})();
