// Story page charts: a timeline of reports and a map of places, drawn with d3 from the JSON block
// #story-data (read with textContent, never evaluated). Every label is set with .text() (textContent).
"use strict";
(function () {
  const block = document.getElementById("story-data");
  if (!block || !window.d3) return;
  const data = JSON.parse(block.textContent);
  const ROLES = ["original", "copy", "rewrite", "recycled", "report"];
  const SYMBOL = { original: d3.symbolStar, copy: d3.symbolSquare, rewrite: d3.symbolDiamond,
                   recycled: d3.symbolTriangle, report: d3.symbolCircle };

  function size(svg) {
    const r = svg.node().getBoundingClientRect();
    return [Math.max(320, r.width || 600), Math.max(200, r.height || 300)];
  }

  function parseDay(s) {
    if (!s) return null;
    const d = new Date(s.length <= 10 ? s + "T00:00:00Z" : s);
    return isNaN(d) ? null : d;
  }

  function timeline() {
    const svg = d3.select("#timeline");
    const rows = (data.articles || []).map(a => ({ ...a, when: parseDay(a.published || a.claimed),
      evidence: a.is_recycled ? parseDay(a.evidence_date) : null, role: ROLES.includes(a.role) ? a.role : "report" }))
      .filter(a => a.when);
    if (!rows.length) {
      svg.append("text").attr("x", 10).attr("y", 24).attr("class", "chart-note").text("No dated reports.");
      return;
    }
    const outlets = Array.from(new Set(rows.map(a => a.outlet || "?")));
    // One row per outlet: grow the chart (via CSSOM, which the CSP allows) rather than squeeze many outlets.
    if (outlets.length > 12) svg.style("height", `${outlets.length * 18 + 50}px`);
    const [w, h] = size(svg);
    svg.attr("viewBox", `0 0 ${w} ${h}`);
    const margin = { top: 12, right: 20, bottom: 30, left: Math.min(180, 12 + 7 * d3.max(outlets, o => o.length)) };
    const times = rows.flatMap(a => a.evidence ? [a.when, a.evidence] : [a.when]);
    let [t0, t1] = d3.extent(times);
    const pad = Math.max((t1 - t0) * 0.06, 3 * 864e5);
    const x = d3.scaleUtc().domain([new Date(+t0 - pad), new Date(+t1 + pad)]).range([margin.left, w - margin.right]);
    const y = d3.scaleBand().domain(outlets).range([margin.top, h - margin.bottom]).padding(0.4);
    svg.append("g").attr("class", "axis").attr("transform", `translate(0,${h - margin.bottom})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 110))));
    svg.append("g").attr("class", "axis").attr("transform", `translate(${margin.left},0)`).call(d3.axisLeft(y).tickSize(0))
      .call(g => g.select(".domain").remove());
    const cy = a => y(a.outlet || "?") + y.bandwidth() / 2;
    const back = rows.filter(a => a.evidence);
    svg.append("g").selectAll("line").data(back).join("line").attr("class", "evidence-link")
      .attr("x1", a => x(a.evidence)).attr("x2", a => x(a.when)).attr("y1", cy).attr("y2", cy);
    svg.append("g").selectAll("circle").data(back).join("circle").attr("class", "mark-evidence")
      .attr("cx", a => x(a.evidence)).attr("cy", cy).attr("r", 5)
      .append("title").text(a => `${a.outlet || "?"}: the evidence points to ${a.evidence_date}`);
    svg.append("g").selectAll("path").data(rows).join("path")
      .attr("class", a => `mark mark-${a.role}`)
      .attr("d", a => d3.symbol(SYMBOL[a.role], 110)())
      .attr("transform", a => `translate(${x(a.when)},${cy(a)})`)
      .append("title").text(a => `${a.outlet || "?"} · ${a.role} · ${(a.published || "").slice(0, 10)} · ${a.title || ""}`);
    const legend = document.getElementById("timeline-legend");
    if (legend) {
      for (const role of ROLES.filter(r => rows.some(a => a.role === r))) {
        const k = document.createElement("span");
        k.className = `key role-${role}`;
        k.textContent = `${{ original: "★", copy: "■", rewrite: "◆", recycled: "▲", report: "●" }[role]} ${role}`;
        legend.appendChild(k);
      }
    }
  }

  function map() {
    const svg = d3.select("#map");
    const [w, h] = size(svg);
    svg.attr("viewBox", `0 0 ${w} ${h}`);
    const note = document.getElementById("map-note");
    const places = (data.places || []).filter(p => typeof p.lat === "number" && typeof p.lon === "number");
    d3.json("/static/vendor/countries-110m.json").then(world => {
      const countries = topojson.feature(world, world.objects.countries);
      const projection = d3.geoNaturalEarth1();
      // Frame the places near the median (where the story happens); far mentions (a capital abroad) stay off-frame.
      const medLon = d3.median(places, p => p.lon), medLat = d3.median(places, p => p.lat);
      let core = places.filter(p => Math.abs(p.lon - medLon) <= 25 && Math.abs(p.lat - medLat) <= 18);
      if (core.length < places.length / 2) core = places;
      if (core.length) {
        const lons = core.map(p => p.lon), lats = core.map(p => p.lat);
        const padLon = Math.max(6, (d3.max(lons) - d3.min(lons)) * 0.3), padLat = Math.max(4, (d3.max(lats) - d3.min(lats)) * 0.3);
        const box = [[d3.min(lons) - padLon, d3.min(lats) - padLat], [d3.max(lons) + padLon, d3.max(lats) + padLat]];
        projection.fitExtent([[8, 8], [w - 8, h - 8]], { type: "MultiPoint",
          coordinates: [box[0], box[1], [box[0][0], box[1][1]], [box[1][0], box[0][1]]] });
      } else {
        projection.fitSize([w, h], { type: "Sphere" });
      }
      const path = d3.geoPath(projection);
      svg.append("path").datum({ type: "Sphere" }).attr("class", "sphere").attr("d", path);
      svg.append("g").selectAll("path").data(countries.features).join("path").attr("class", "country").attr("d", path)
        .append("title").text(f => (f.properties && f.properties.name) || "");
      const g = svg.append("g").selectAll("g").data(places).join("g")
        .attr("transform", p => `translate(${projection([p.lon, p.lat])})`);
      g.append("circle").attr("class", "place").attr("r", 5).append("title")
        .text(p => `${p.name}${p.country ? " (" + p.country + ")" : ""}: ${p.lat.toFixed(2)}, ${p.lon.toFixed(2)}`);
      g.append("text").attr("class", "place-label").attr("x", 7).attr("y", 4).text(p => p.name);
      // Keep a label only where it does not cover one already placed (the dot and its tooltip stay).
      const placed = [];
      g.selectAll("text.place-label").each(function () {
        const b = this.getBoundingClientRect();
        if (placed.some(o => b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom)) this.remove();
        else placed.push(b);
      });
      const away = places.length - core.length;
      if (note) note.textContent = places.length ? `${places.length} place(s) with coordinates` +
        (away ? `; ${away} far away (${places.filter(p => !core.includes(p)).map(p => p.name).join(", ")}) outside the frame` : "")
        : "No place with known coordinates.";
      svg.attr("data-rendered", "1");
    }).catch(err => { if (note) note.textContent = "Map data could not be loaded: " + err.message; });
  }

  timeline();
  map();
})();
