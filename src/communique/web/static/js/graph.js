// The contact graph page: fetch /api/v1/graph with the form's values, draw it with
// cytoscape (static/vendor), and redraw when the form changes. Clicking a node
// opens its entity page. No inline script: the page's CSP allows only files.
(function () {
  "use strict";

  var form = document.getElementById("graph-form");
  var container = document.getElementById("graph");
  var status = document.getElementById("graph-status");
  var cy = null;

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

  function draw(graph, nodes) {
    if (cy) cy.destroy();
    var nodeMax = heaviest(graph.nodes), edgeMax = heaviest(graph.edges);
    cy = cytoscape({
      container: container,
      elements: elements(graph),
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "color": "#1d2433",
          "text-valign": "bottom", "text-margin-y": 3,
          "background-color": "#4a6fa5",
          "width": "mapData(weight, 1, " + nodeMax + ", 10, 42)",
          "height": "mapData(weight, 1, " + nodeMax + ", 10, 42)" } },
        { selector: "edge", style: {
          "line-color": "#9aa9bd", "curve-style": "haystack", "opacity": 0.8,
          "width": "mapData(weight, 1, " + edgeMax + ", 1, 9)" } },
        { selector: "node:selected", style: { "background-color": "#c8553d" } }
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000,
                idealEdgeLength: 90, padding: 20 }
    });
    cy.on("tap", "node", function (event) {
      window.location.href = entityUrl(nodes, event.target.data());
    });
    cy.on("mouseover", "edge", function (event) {
      var d = event.target.data();
      status.textContent = d.source + " – " + d.target + ": " + d.weight + " (" + d.types + ")";
    });
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
        draw(graph, nodes);
        status.textContent = graph.nodes.length + " " + nodes + ", " + graph.edges.length +
          " links" + (found > graph.edges.length ? " (the heaviest of " + found + ")" : "") +
          (graph.nodes.length ? " · click a node to open it" : "");
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
