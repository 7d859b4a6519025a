// Volume over time: bars of the stories or articles matching the page's filters, from the JSON block
// #volume-data (read with textContent, never evaluated), binned by day, week or month to fit the span.
"use strict";
(function () {
  const block = document.getElementById("volume-data");
  const el = document.getElementById("volume");
  if (!block || !el || !window.d3) return;
  const data = JSON.parse(block.textContent);
  const svg = d3.select(el);
  const DAY = 864e5;
  const days = (data.days || []).map(d => ({ when: new Date(d.day + "T00:00:00Z"), count: d.count }))
    .filter(d => !isNaN(d.when));
  const caption = document.getElementById("volume-caption");
  if (!days.length) {
    svg.style("height", "40px");
    svg.append("text").attr("x", 8).attr("y", 24).attr("class", "chart-note").text("Nothing dated matches.");
    el.dataset.rendered = "1";
    return;
  }
  const [first, last] = d3.extent(days, d => d.when);
  const span = (last - first) / DAY;
  const unit = span <= 62 ? "day" : span <= 730 ? "week" : "month";
  const floor = unit === "day" ? d3.utcDay : unit === "week" ? d3.utcMonday : d3.utcMonth;
  const bins = d3.rollups(days, v => d3.sum(v, d => d.count), d => +floor.floor(d.when))
    .map(([t, n]) => ({ start: new Date(t), end: floor.offset(new Date(t), 1), count: n }))
    .sort((a, b) => a.start - b.start);
  if (caption) caption.textContent = `${caption.textContent.replace(/ over time.*/, "")} per ${unit} (${data.total} dated)`;

  const r = el.getBoundingClientRect();
  const w = Math.max(200, r.width || 600), h = Math.max(100, r.height || 140);
  svg.attr("viewBox", `0 0 ${w} ${h}`);
  const margin = { top: 8, right: 24, bottom: 22, left: 34 };
  // At least 12 bins wide, so one or two bars look like counts, not a wall; ticks never finer than a day.
  let lo = bins[0].start, hi = bins[bins.length - 1].end;
  const n = floor.count(lo, hi);
  if (n < 12) {
    lo = floor.offset(lo, -Math.floor((12 - n) / 2));
    hi = floor.offset(hi, Math.ceil((12 - n) / 2));
  }
  const x = d3.scaleUtc().domain([lo, hi]).range([margin.left, w - margin.right]);
  const ticks = x.ticks(Math.max(2, Math.floor(w / 90))).filter(t => +d3.utcDay.floor(t) === +t);
  const top = d3.max(bins, b => b.count);
  const y = d3.scaleLinear().domain([0, top]).nice().range([h - margin.bottom, margin.top]);
  svg.append("g").attr("class", "axis").attr("transform", `translate(0,${h - margin.bottom})`)
    .call(d3.axisBottom(x).tickValues(ticks).tickSizeOuter(0));
  svg.append("g").attr("class", "axis").attr("transform", `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(Math.min(4, top)).tickFormat(d3.format("~s")));  // counts: whole numbers only
  const fmt = unit === "month" ? d3.utcFormat("%Y-%m") : d3.utcFormat("%Y-%m-%d");
  svg.append("g").selectAll("rect").data(bins).join("rect")
    .attr("class", "bar")
    .attr("x", b => x(b.start) + 0.5)
    .attr("width", b => Math.max(1, x(b.end) - x(b.start) - 1))
    .attr("y", b => y(b.count))
    .attr("height", b => y(0) - y(b.count))
    .append("title").text(b => `${unit} of ${fmt(b.start)}: ${b.count}`);
  el.dataset.rendered = "1";
  el.dataset.bins = String(bins.length);
})();
