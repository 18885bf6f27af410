// The contact graph page: fetch /api/v1/graph with the form's values, draw it with
// cytoscape (static/vendor), and redraw when the form changes. Clicking a node
// opens its entity page. No inline script: the page's CSP allows only files.
(function () {
  "use strict";

  var form = document.getElementById("graph-form");
  var container = document.getElementById("graph");
  var status = document.getElementById("graph-status");
  var cy = null;
  var summary = "";  // what the status says when the pointer is on no node or link

  function params() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") data.append(name, value);
    });
    return data;
  }

  function entityUrl(nodes, node) {
    if (nodes === "people") return "/entities/person/" + encodeURIComponent(node.label);
    return "/entities/country/" + encodeURIComponent(node.id);
  }

  function elements(graph) {
    var out = [];
    graph.nodes.forEach(function (n) {
      out.push({ data: { id: n.id, label: String(n.label), weight: n.weight } });
    });
    graph.edges.forEach(function (e) {
      var types = Object.keys(e.types).join(", ");
      out.push({ data: { id: e.source + "|" + e.target, source: e.source, target: e.target,
                         weight: e.weight, types: types } });
    });
    return out;
  }

  function heaviest(items) {
    return items.reduce(function (most, item) { return Math.max(most, item.weight); }, 1);
  }

  // Readability: a dense network is a blot of overlapping names otherwise.
  // - Names are placed, heaviest node first, only where they cover no name already
  //   placed, and placed again as the view zooms (zoom in: more room, more names).
  //   The node under the pointer is always named.
  // - Names keep FONT pixels at any zoom, on a white background; the size is held
  //   in the graph's units, and cytoscape skips any drawn under MIN_FONT pixels.
  // - Larger graphs are spread wider, from a start as wide as the container.
  var FONT = 12, MIN_FONT = 8, FONT_FAMILY = "system-ui, sans-serif";
  var measure = document.createElement("canvas").getContext("2d");

  function layout(count) {
    var spread = Math.max(1, Math.sqrt(count / 20));
    return { name: "cose", animate: false, randomize: false, padding: 20,
             nodeOverlap: 20, nodeRepulsion: function () { return 12000 * spread; },
             idealEdgeLength: function () { return 50 + 25 * spread; },
             componentSpacing: 50, gravity: 1, numIter: 2500 };
  }

  function spiral(items, count) {
    // Heaviest in the middle (the API lists nodes heaviest first); deterministic, so
    // the same graph is drawn the same way.
    var wide = container.clientWidth / Math.max(container.clientHeight, 1);
    for (var i = 0; i < count; i++) {
      var r = 30 * Math.sqrt(i), a = i * 2.39996;
      items[i].position = { x: r * Math.cos(a) * wide, y: r * Math.sin(a) };
    }
  }

  function turn() {
    // A force layout ends at any angle: one left tall is turned to lie along the box.
    var box = cy.elements().boundingBox();
    if (container.clientWidth >= container.clientHeight && box.h > box.w * 1.2) {
      cy.nodes().positions(function (node) {
        var p = node.position();
        return { x: p.y, y: -p.x };
      });
    }
    cy.fit(undefined, 24);
  }

  function placeLabels() {
    var zoom = cy.zoom(), placed = [];
    measure.font = FONT + "px " + FONT_FAMILY;
    cy.batch(function () {
      cy.nodes().style("font-size", FONT / zoom);
      cy.nodes().sort(function (a, b) { return b.data("weight") - a.data("weight"); })
        .forEach(function (node) {
          // The name's box on screen, with its background's padding and a margin.
          var at = node.renderedPosition(), width = measure.measureText(node.data("label")).width;
          var top = at.y + node.renderedHeight() / 2 + 1;
          var box = { x1: at.x - width / 2 - 4, x2: at.x + width / 2 + 4,
                      y1: top, y2: top + FONT * 1.4 + 6 };
          var inside = box.x1 >= 0 && box.x2 <= container.clientWidth &&
                       box.y2 <= container.clientHeight;
          var free = inside && placed.every(function (other) {
            return box.x2 <= other.x1 || other.x2 <= box.x1 ||
                   box.y2 <= other.y1 || other.y2 <= box.y1;
          });
          if (free) placed.push(box);
          node.toggleClass("named", free);
        });
    });
    return placed.length;
  }

  function draw(graph, nodes) {
    if (cy) cy.destroy();
    var nodeMax = heaviest(graph.nodes), edgeMax = heaviest(graph.edges);
    var items = elements(graph);
    spiral(items, graph.nodes.length);
    cy = cytoscape({
      container: container,
      elements: items,
      minZoom: 0.05,
      maxZoom: 10,
      style: [
        { selector: "node", style: {
          "label": "", "font-size": FONT, "font-family": FONT_FAMILY, "color": "#1d2433",
          "min-zoomed-font-size": MIN_FONT,
          "text-valign": "bottom", "text-margin-y": 3,
          "text-background-color": "#ffffff", "text-background-opacity": 0.85,
          "text-background-padding": 2, "text-background-shape": "roundrectangle",
          "background-color": "#4a6fa5",
          "width": "mapData(weight, 1, " + nodeMax + ", 10, 42)",
          "height": "mapData(weight, 1, " + nodeMax + ", 10, 42)" } },
        { selector: "node.named", style: { "label": "data(label)" } },
        { selector: "node.hover, node:selected", style: {
          "label": "data(label)", "z-index": 10, "font-weight": "bold",
          "text-background-opacity": 1, "background-color": "#c8553d" } },
        { selector: "edge", style: {
          "line-color": "#9aa9bd", "curve-style": "haystack", "opacity": 0.8,
          "width": "mapData(weight, 1, " + edgeMax + ", 1, 9)" } }
      ],
      layout: layout(graph.nodes.length)
    });
    turn();
    var named = placeLabels(), pending = false;
    cy.on("zoom", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; if (cy) placeLabels(); });
    });
    cy.on("tap", "node", function (event) {
      window.location.href = entityUrl(nodes, event.target.data());
    });
    cy.on("mouseover", "node", function (event) {
      event.target.addClass("hover");
      var d = event.target.data();
      status.textContent = d.label + ": " + d.weight + " events";
    });
    cy.on("mouseout", "node", function (event) {
      event.target.removeClass("hover");
      status.textContent = summary;
    });
    cy.on("mouseover", "edge", function (event) {
      var d = event.target.data();
      status.textContent = d.source + " – " + d.target + ": " + d.weight + " (" + d.types + ")";
    });
    cy.on("mouseout", "edge", function () { status.textContent = summary; });
    return named;
  }

  function exportLinks(data) {
    document.querySelectorAll("[data-format]").forEach(function (link) {
      var query = new URLSearchParams(data);
      query.set("format", link.getAttribute("data-format"));
      link.setAttribute("href", container.getAttribute("data-api") + "?" + query.toString());
    });
  }

  function load() {
    var data = params();
    var nodes = data.get("nodes") || "countries";
    status.textContent = "Drawing…";
    container.setAttribute("data-ready", "false");
    exportLinks(data);
    history.replaceState(null, "", "/graph?" + data.toString());
    // The heaviest links only (data-limit): a browser lays out a few hundred, not the
    // tens of thousands a large archive holds. The downloads keep every link.
    var wanted = new URLSearchParams(data);
    wanted.set("limit", container.getAttribute("data-limit"));
    var found = 0;
    fetch(container.getAttribute("data-api") + "?" + wanted.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        found = Number(response.headers.get("X-Total-Count") || 0);
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
          return body;
        });
      })
      .then(function (graph) {
        var named = draw(graph, nodes);
        summary = graph.nodes.length + " " + nodes + ", " + graph.edges.length +
          " links" + (found > graph.edges.length ? " (the heaviest of " + found + ")" : "") +
          (named < graph.nodes.length ? " · " + named + " named: point at a node or zoom in" +
           " (scroll) for the others" : "") +
          (graph.nodes.length ? " · click a node to open it" : "");
        status.textContent = summary;
        container.setAttribute("data-ready", "true");
        container.setAttribute("data-nodes", String(graph.nodes.length));
      })
      .catch(function (error) {
        status.textContent = "Could not draw the graph: " + error.message;
        container.setAttribute("data-ready", "error");
      });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  form.addEventListener("change", load);
  load();
})();
