/* Kracht in Kaart, the network pages. Without this script every page still works: the
   table, the key figures and the filters are plain HTML and a GET form.

   /netwerk: draws the network with Cytoscape.js (vendored, /static/vendor/cytoscape) from
   /api/v1/netwerk/graph (same origin). Positions come from the server (a seeded layout of
   the whole network), so organisations keep their place when the year or a filter
   changes. The table, the key figures and the download links follow every change.
   Hover (or focus) shows an organisation's partners; a click opens its page.

   For tests: #netwerk-graph gets data-ready="true" and data-node-count after each render;
   window.kikNetwerk = {cy, ready, refresh} (ready resolves after the first render).

   Other network pages: the year slider of /netwerk/kaart applies itself; the report's
   print button. */
(function () {
  "use strict";

  var form = document.getElementById("netwerk-filters");
  var slider = document.getElementById("jaar");
  var output = document.getElementById("jaar-output");
  var allYears = document.getElementById("alle-jaren");
  var box = document.getElementById("netwerk-graph");

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  if (slider && output) {
    slider.addEventListener("input", function () {
      output.value = slider.value;
      output.textContent = slider.value;
      if (allYears) allYears.checked = false;
    });
  }

  if (!box) {
    // The map page: a new year or "all years" shows itself without pressing the button.
    if (form && slider) {
      var submit = function () { if (form.requestSubmit) form.requestSubmit(); else form.submit(); };
      slider.addEventListener("change", submit);
      if (allYears) allYears.addEventListener("change", submit);
    }
    return;
  }

  var lang = box.dataset.lang || "nl";
  var status = document.getElementById("netwerk-status");
  var table = document.getElementById("netwerk-tabel");
  var tip = document.getElementById("netwerk-tip");
  var fitButton = document.getElementById("netwerk-fit");
  var sizeSelect = document.getElementById("grootte");
  var colourSelect = document.getElementById("kleur");
  var sortInput = document.getElementById("netwerk-sort");
  var resolveReady;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });
  var sectorLabels = {};
  document.querySelectorAll('input[name="sector"]').forEach(function (input) {
    sectorLabels[input.value] = input.dataset.label || input.value;
  });

  function setStatus(text) { if (status) status.textContent = text || ""; }

  function number(value, digits) {
    if (value === null || value === undefined || value === "" || isNaN(value)) return "\u2013";
    var text = digits > 0 ? Number(value).toFixed(digits) : String(Math.round(value));
    return lang === "nl" ? text.replace(".", ",") : text;
  }

  if (!window.cytoscape) {
    setStatus(status && status.dataset.error);
    box.dataset.ready = "error";
    window.kikNetwerk = { cy: null, ready: Promise.resolve(false), refresh: function () {} };
    return;
  }

  var cy = window.cytoscape({
    container: box,
    layout: { name: "preset" },
    minZoom: 0.15,
    maxZoom: 6,
    autoungrabify: true,
    boxSelectionEnabled: false,
    style: [
      { selector: "node", style: {
        "width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
        "border-width": 1, "border-color": "#3a3a3a", "label": "", "font-size": 12,
        "color": "#1a1a1a", "text-valign": "bottom", "text-margin-y": 3,
        "text-outline-color": "#ffffff", "text-outline-width": 2, "text-wrap": "ellipsis",
        "text-max-width": 150, "min-zoomed-font-size": 6 } },
      { selector: "node[?partner]", style: { "border-width": 3, "border-color": "#1a1a1a" } },
      { selector: "node.labelled", style: { "label": "data(short)" } },
      { selector: "edge", style: {
        "width": "data(width)", "line-color": "#8d9ca5", "opacity": 0.75, "curve-style": "straight" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node.near", style: { "label": "data(short)", "z-index": 9 } },
      { selector: "edge.near", style: { "line-color": "#b3261e", "opacity": 1, "z-index": 8 } },
      { selector: "node.focus", style: {
        "label": "data(short)", "border-color": "#b3261e", "border-width": 4, "z-index": 10 } }
    ]
  });
  window.kikNetwerk = { cy: cy, ready: ready, refresh: refresh };

  // --- what the server is asked -------------------------------------------------------

  function checked(name) {
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }

  function chosenYear() {
    return (allYears && allYears.checked) || !slider ? null : slider.value;
  }

  function choice(withSectors) {
    var params = new URLSearchParams();
    checked("layers").forEach(function (v) { params.append("layers", v); });
    if (withSectors) checked("sector").forEach(function (v) { params.append("sector", v); });
    if (chosenYear()) params.set("year", chosenYear());
    if (form.elements.scope && form.elements.scope.value !== "network") {
      params.set("scope", form.elements.scope.value);
    }
    return params;
  }

  function rememberInUrl() {
    var params = new URLSearchParams(new FormData(form));
    if (!chosenYear()) params.delete("year");
    history.replaceState(null, "", location.pathname + "?" + params.toString());
  }

  // --- the picture ----------------------------------------------------------------------

  var current = null;

  function shortName(name) {
    return String(name || "").replace(/\s*\(.*\)\s*$/, "");
  }

  function metric() { return sizeSelect ? sizeSelect.value : box.dataset.size; }
  function colourMode() { return colourSelect ? colourSelect.value : box.dataset.colour; }

  function nodeLook(nodes) {
    var key = metric();
    var top = nodes.reduce(function (m, n) { return Math.max(m, Math.max(0, Number(n[key]) || 0)); }, 0);
    var ranked = nodes.filter(function (n) { return (Number(n[key]) || 0) > 0; })
      .sort(function (a, b) { return (b[key] || 0) - (a[key] || 0); }).slice(0, 12);
    var labelled = {};
    ranked.forEach(function (n) { labelled[n.id] = true; });
    return function (n) {
      var share = top > 0 ? Math.max(0, Number(n[key]) || 0) / top : 0;
      return {
        size: 14 + 38 * Math.sqrt(share),
        colour: n["colour_" + colourMode()],
        labelled: !!labelled[n.id]
      };
    };
  }

  function elements(data) {
    var look = nodeLook(data.nodes);
    var nodes = data.nodes.map(function (n) {
      var l = look(n);
      return {
        group: "nodes",
        data: Object.assign({}, n, { size: l.size, colour: l.colour, short: shortName(n.name) }),
        position: { x: n.x, y: n.y },
        classes: l.labelled ? "labelled" : ""
      };
    });
    var edges = data.links.map(function (link) {
      return {
        group: "edges",
        data: {
          id: "t:" + link.source + ":" + link.target, source: link.source, target: link.target,
          weight: link.weight, width: Math.min(9, 1 + 1.5 * Math.sqrt(Math.max(0, link.weight)))
        }
      };
    });
    return nodes.concat(edges);
  }

  function restyle() {
    if (!current) return;
    var look = nodeLook(current.nodes);
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        var l = look(node.data());
        node.data({ size: l.size, colour: l.colour });
        node.toggleClass("labelled", l.labelled);
      });
    });
    document.querySelectorAll("#netwerk-legend [data-for]").forEach(function (el) {
      el.hidden = el.dataset.for !== colourMode();
    });
    box.dataset.colour = colourMode();
    box.dataset.size = metric();
  }

  function render(data) {
    current = data;
    unfocus();
    cy.batch(function () {
      cy.elements().remove();
      cy.add(elements(data));
    });
    cy.fit(undefined, 24);
    restyle();
    var counts = { nodes: data.nodes.length, links: data.links.length };
    box.dataset.nodeCount = String(counts.nodes);
    box.dataset.edgeCount = String(counts.links);
    box.setAttribute("aria-label", fill(box.dataset.label, counts));
    setStatus(fill(status && status.dataset.shown, counts));
    updateTable(data.nodes);
    updateFigures(data.graph.summary);
    updateNotes(data.graph.hidden);
    updateExports();
    rememberInUrl();
    if (fitButton) fitButton.hidden = false;
    box.dataset.ready = "true";
    resolveReady(true);
  }

  var sequence = 0;

  function refresh() {
    var mine = ++sequence;
    box.dataset.ready = "false";
    setStatus(status && status.dataset.loading);
    var params = choice(true);
    params.set("isolates", "partners");
    return fetch("/api/v1/netwerk/graph?" + params.toString(), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (mine === sequence) render(data);
      return true;
    }).catch(function () {
      if (mine !== sequence) return false;
      box.dataset.ready = "error";
      setStatus(status && status.dataset.error);
      resolveReady(false);
      return false;
    });
  }

  // --- hover and click --------------------------------------------------------------------

  function unfocus() {
    cy.elements().removeClass("faded near focus");
    if (tip) tip.hidden = true;
    if (table) table.querySelectorAll("tr.is-focus").forEach(function (r) { r.classList.remove("is-focus"); });
  }

  function showTip(node, position) {
    if (!tip) return;
    var d = node.data();
    var key = metric();
    var digits = sizeSelect ? Number(sizeSelect.selectedOptions[0].dataset.digits || 0) : 0;
    var label = sizeSelect ? sizeSelect.selectedOptions[0].textContent : key;
    tip.replaceChildren();
    var name = document.createElement("strong");
    name.textContent = d.name;
    tip.appendChild(name);
    [sectorLabels[d.sector] || d.sector, label + ": " + number(d[key], digits)].forEach(function (text) {
      tip.appendChild(document.createElement("br"));
      tip.appendChild(document.createTextNode(text));
    });
    tip.hidden = false;
    var x = Math.min(position.x + 14, box.clientWidth - tip.offsetWidth - 4);
    var y = Math.min(position.y + 14, box.clientHeight - tip.offsetHeight - 4);
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }

  function focusNode(node, position) {
    unfocus();
    var near = node.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    near.addClass("near");
    node.addClass("focus");
    showTip(node, position);
    var row = table && table.querySelector('tr[data-id="' + CSS.escape(node.id()) + '"]');
    if (row) row.classList.add("is-focus");
  }

  cy.on("mouseover", "node", function (event) { focusNode(event.target, event.renderedPosition); });
  cy.on("mouseout", "node", unfocus);
  cy.on("tap", "node", function (event) {
    var slug = event.target.data("slug");
    if (slug) window.location.assign(box.dataset.page + encodeURIComponent(slug) + "?lang=" + lang);
  });
  if (fitButton) fitButton.addEventListener("click", function () { cy.fit(undefined, 24); });

  // --- the table, the figures, the notes ------------------------------------------------------

  var heads = table ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];

  function cell(tag, value) {
    var el = document.createElement(tag);
    el.dataset.value = value === null || value === undefined ? "" : String(value);
    return el;
  }

  function rowFor(n) {
    var tr = document.createElement("tr");
    tr.dataset.id = n.id;
    heads.forEach(function (th) {
      var key = th.dataset.key;
      var el;
      if (key === "name") {
        el = cell("th", n.name);
        el.scope = "row";
        var a = document.createElement("a");
        a.href = box.dataset.page + encodeURIComponent(n.slug) + "?lang=" + lang;
        a.textContent = n.name;
        el.appendChild(a);
        if (n.partner) {
          var badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = table.dataset.partner;
          el.appendChild(document.createTextNode(" "));
          el.appendChild(badge);
        }
      } else if (key === "sector") {
        el = cell("td", sectorLabels[n.sector] || n.sector);
        var span = document.createElement("span");
        span.className = "sector";
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.setAttribute("aria-hidden", "true");
        swatch.style.background = n.colour_sector;
        span.appendChild(swatch);
        span.appendChild(document.createTextNode(sectorLabels[n.sector] || n.sector));
        el.appendChild(span);
      } else {
        el = cell("td", n[key]);
        el.className = "num";
        el.textContent = number(n[key], Number(th.dataset.digits || 0));
      }
      tr.appendChild(el);
    });
    return tr;
  }

  function sortState() {
    var value = sortInput ? sortInput.value : "-betweenness";
    return { key: value.replace(/^-/, ""), desc: value.charAt(0) === "-" };
  }

  function nextSort(key) {
    var s = sortState();
    if (s.key === key) return s.desc ? key : "-" + key;
    return key === "name" || key === "sector" ? key : "-" + key;
  }

  function sortTable() {
    if (!table) return;
    var s = sortState();
    var index = heads.findIndex(function (th) { return th.dataset.key === s.key; });
    if (index < 0) return;
    var numeric = heads[index].dataset.type === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.filter.call(body.rows, function (r) { return r.dataset.id; });
    function byName(a, b) {
      return a.cells[0].dataset.value.localeCompare(b.cells[0].dataset.value, lang, { sensitivity: "base" });
    }
    rows.sort(function (a, b) {
      var va = a.cells[index].dataset.value;
      var vb = b.cells[index].dataset.value;
      if (numeric && (va === "" || vb === "")) return (va === "") - (vb === "") || byName(a, b);
      var order = numeric ? Number(va) - Number(vb) : va.localeCompare(vb, lang, { sensitivity: "base" });
      return (s.desc ? -order : order) || byName(a, b);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (th, i) {
      if (i === index) th.setAttribute("aria-sort", s.desc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
      var button = th.querySelector("button");
      if (button) button.value = nextSort(th.dataset.key);
    });
  }

  function updateTable(nodes) {
    if (!table) return;
    var body = table.tBodies[0];
    var empty = body.querySelector("tr:not([data-id])");
    body.replaceChildren();
    nodes.forEach(function (n) { body.appendChild(rowFor(n)); });
    if (!nodes.length && empty) body.appendChild(empty);
    sortTable();
  }

  function updateFigures(summary) {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      el.textContent = number(summary[el.dataset.figure], Number(el.dataset.digits || 0));
    });
    var period = document.getElementById("netwerk-period");
    if (period) {
      var year = chosenYear();
      var text = year ? fill(period.dataset.year, { year: year }) : period.dataset.all;
      period.textContent = fill(period.dataset.for, { period: text });
    }
  }

  function updateNotes(hidden) {
    var note = document.getElementById("netwerk-hidden");
    if (!note) return;
    note.hidden = !hidden;
    note.textContent = fill(note.dataset.template, { n: hidden });
  }

  function updateExports() {
    var query = choice(false).toString();
    document.querySelectorAll('a[href^="/api/v1/netwerk/export/"]').forEach(function (a) {
      a.href = a.getAttribute("href").split("?")[0] + (query ? "?" + query : "");
    });
  }

  if (table) {
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      event.preventDefault();
      if (sortInput) sortInput.value = button.value;
      sortTable();
      rememberInUrl();
    });
  }

  // --- the filters ------------------------------------------------------------------------

  var refreshSoon = debounce(refresh, 200);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target === sizeSelect || target === colourSelect) {
      restyle();
      rememberInUrl();
    } else if (target !== slider) {
      refresh();
    }
  });
  if (slider) slider.addEventListener("input", refreshSoon);

  refresh();
})();
