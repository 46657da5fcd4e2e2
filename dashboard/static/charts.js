// Small SVG charts drawn by the app itself (no chart library, no CDN).
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, parent, text) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function frame(container, width, height) {
    container.textContent = "";
    return el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" }, container);
  }

  function empty(container, message) {
    container.textContent = "";
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = message || "No data yet.";
    container.appendChild(p);
  }

  // Vertical bars. items: [{label, value, suppressed, title}]; opts: {max, fmt, ref: [{value, label}]}
  function bars(container, items, opts) {
    opts = opts || {};
    if (!items.length) return empty(container, opts.emptyText);
    const W = 520, H = opts.height || 180, L = 48, B = 30, T = 10, R = 10;
    const svg = frame(container, W, H);
    svg.setAttribute("data-chart", opts.name || "bars");
    const vals = items.map((d) => (d.suppressed ? 0 : d.value || 0));
    let max = opts.max || Math.max(0, ...vals, ...(opts.ref || []).map((r) => r.value));
    if (max <= 0) max = 1; // nothing shown (all zero or suppressed): a plain 0-1 axis
    const tick = opts.fmt || ((v) => (max >= 10 ? String(Math.round(v)) : String(+v.toFixed(2))));
    const iw = (W - L - R) / items.length;
    const y = (v) => H - B - (v / max) * (H - B - T);
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }, svg);
      el("text", { x: L - 4, y: y(v) + 3, "text-anchor": "end" }, svg, tick(v));
    }
    const every = Math.max(1, Math.ceil(items.length / 14));
    items.forEach((d, i) => {
      const x = L + i * iw + iw * 0.1;
      const v = d.suppressed ? max * 0.04 : d.value || 0;
      const r = el("rect", { x, y: y(v), width: Math.max(1, iw * 0.8), height: H - B - y(v),
        class: "bar" + (d.suppressed ? " supp" : "") + (d.alt ? " alt" : "") }, svg);
      el("title", {}, r, d.title || `${d.label}: ${d.suppressed ? "<5 citizens (suppressed)" : (opts.fmt || String)(d.value)}`);
      if (i % every === 0) el("text", { x: x + iw * 0.4, y: H - B + 12, "text-anchor": "middle" }, svg, d.label);
    });
    (opts.ref || []).forEach((r) => {
      el("line", { x1: L, x2: W - R, y1: y(r.value), y2: y(r.value), class: "ref" }, svg);
      el("text", { x: W - R, y: y(r.value) - 3, "text-anchor": "end", class: "ref-label" }, svg, r.label);
    });
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }, svg);
    if (opts.xLabel) el("text", { x: (W + L) / 2, y: H - 4, "text-anchor": "middle" }, svg, opts.xLabel);
  }

  // Horizontal bars (funnel). items: [{label, value, suppressed}]
  function hbars(container, items, opts) {
    opts = opts || {};
    if (!items.length) return empty(container);
    const W = 520, row = 22, L = 170, R = 60, H = items.length * row + 10;
    const svg = frame(container, W, H);
    svg.setAttribute("data-chart", opts.name || "hbars");
    const max = Math.max(1, ...items.map((d) => (d.suppressed ? 0 : d.value || 0)));
    items.forEach((d, i) => {
      const y0 = 5 + i * row;
      const w = d.suppressed ? 4 : ((d.value || 0) / max) * (W - L - R);
      el("text", { x: L - 6, y: y0 + 14, "text-anchor": "end" }, svg, d.label);
      const r = el("rect", { x: L, y: y0 + 2, width: Math.max(1, w), height: row - 6,
        class: "bar" + (d.suppressed ? " supp" : "") }, svg);
      el("title", {}, r, `${d.label}: ${d.suppressed ? "<5 (suppressed)" : d.value}`);
      el("text", { x: L + w + 4, y: y0 + 14 }, svg, d.suppressed ? "<5" : (opts.fmt || String)(d.value));
    });
  }

  // Lines. series: [{name, points: [{x, y}]}]; opts: {yMax, xMax, step, ref, fmtY, xLabel}
  function lines(container, series, opts) {
    opts = opts || {};
    const all = series.flatMap((s) => s.points);
    if (!all.length) return empty(container, opts.emptyText);
    const W = 520, H = opts.height || 190, L = 48, B = 30, T = 10, R = 10;
    const svg = frame(container, W, H);
    svg.setAttribute("data-chart", opts.name || "lines");
    const xMax = opts.xMax || Math.max(1, ...all.map((p) => p.x));
    const yMax = opts.yMax || Math.max(1, ...all.map((p) => p.y));
    const x = (v) => L + (v / xMax) * (W - L - R);
    const y = (v) => H - B - (v / yMax) * (H - B - T);
    for (let i = 0; i <= 4; i++) {
      const v = (yMax * i) / 4;
      el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }, svg);
      const fy = opts.fmtY || ((u) => (yMax >= 10 ? String(Math.round(u)) : String(+u.toFixed(2))));
      el("text", { x: L - 4, y: y(v) + 3, "text-anchor": "end" }, svg, fy(v));
    }
    for (let i = 0; i <= 4; i++) {
      const v = Math.round((xMax * i) / 4);
      el("text", { x: x(v), y: H - B + 12, "text-anchor": i === 4 ? "end" : "middle" }, svg, String(v));
    }
    (opts.ref || []).forEach((r) => {
      if (r.x !== undefined) {
        el("line", { x1: x(r.x), x2: x(r.x), y1: T, y2: H - B, class: "ref" }, svg);
        el("text", { x: x(r.x) + 3, y: T + 10, class: "ref-label" }, svg, r.label);
      } else {
        el("line", { x1: L, x2: W - R, y1: y(r.value), y2: y(r.value), class: "ref" }, svg);
        el("text", { x: W - R, y: y(r.value) - 3, "text-anchor": "end", class: "ref-label" }, svg, r.label);
      }
    });
    series.forEach((s, i) => {
      if (!s.points.length) return;
      let d = "";
      s.points.forEach((p, j) => {
        if (j === 0) d += `M${x(p.x)},${y(p.y)}`;
        else if (opts.step) d += `H${x(p.x)}V${y(p.y)}`;
        else d += `L${x(p.x)},${y(p.y)}`;
      });
      el("path", { d, class: `line s${i}`, "data-series": s.name }, svg);
    });
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }, svg);
    if (opts.xLabel) el("text", { x: (W + L) / 2, y: H - 4, "text-anchor": "middle" }, svg, opts.xLabel);
    if (series.length > 1) {
      const legend = document.createElement("div");
      legend.className = "legend";
      const colours = ["var(--accent)", "var(--accent2)", "var(--good)"];
      series.forEach((s, i) => {
        const span = document.createElement("span");
        const sw = document.createElement("i");
        sw.style.background = colours[i % 3];
        span.appendChild(sw);
        span.appendChild(document.createTextNode(s.name));
        legend.appendChild(span);
      });
      container.appendChild(legend);
    }
  }

  window.PathwatchCharts = { bars, hbars, lines, empty };
})();
