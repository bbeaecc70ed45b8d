/* The interactive maps, drawn over the server's SVG when [MAPS] names a tile server.
 *
 * Route maps (.route-map__live): the same routes as the SVG, numbered stops, homes,
 * drop-in sites, hollow markers for requests left out, dashed for approximate places.
 * Placing maps (.place-map): a click puts the point in the form's latitude and
 * longitude fields; the form is then sent as without JavaScript.
 * Without JavaScript, or without tiles, the SVG and the forms work alone.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function tiles(el, map) {
    L.tileLayer(el.dataset.tiles, {
      maxZoom: parseInt(el.dataset.maxZoom || "18", 10),
      attribution: el.dataset.attribution || ""
    }).addTo(map);
  }

  function numbered(lat, lon, text, colour, approximate, title, shift) {
    var icon = L.divIcon({
      className: "map-number" + (approximate ? " map-number--approximate" : ""),
      html: "<span></span>",
      iconSize: [24, 24],
      iconAnchor: [12 - shift[0], 12 - shift[1]]
    });
    var marker = L.marker([lat, lon], { icon: icon, title: title, alt: title, keyboard: false });
    marker.on("add", function () {
      var span = marker.getElement().querySelector("span");
      span.textContent = text;
      span.style.background = colour;
    });
    return marker;
  }

  /* Stops on one spot (one building, approximate places on a municipality's centre) get
   * their numbers set on a ring around it, in pixels, so that each stays readable at any
   * zoom; the tooltip still names each one. */
  function shifts(routes) {
    var counts = {}, seen = {}, out = [];
    function key(stop) { return stop.lat.toFixed(4) + "," + stop.lon.toFixed(4); }
    routes.forEach(function (route) {
      route.stops.forEach(function (stop) { counts[key(stop)] = (counts[key(stop)] || 0) + 1; });
    });
    routes.forEach(function (route) {
      out.push(route.stops.map(function (stop) {
        var k = key(stop), n = counts[k];
        if (n < 2) { return [0, 0]; }
        var i = seen[k] = (seen[k] === undefined ? 0 : seen[k] + 1);
        var radius = Math.max(27 / (2 * Math.sin(Math.PI / n)), 20);
        var angle = -Math.PI / 2 + 2 * Math.PI * i / n;
        return [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
      }));
    });
    return out;
  }

  /* Tooltips as text: Leaflet sets a string as HTML, and names are typed by people. */
  function text(value) {
    var el = document.createElement("span");
    el.textContent = value;
    return el;
  }

  /* A stop's popup: number, who and reference, its place, and its municipality when the
   * place is a site. Each line is set as text, never as HTML: a name typed with markup
   * shows as typed. */
  function stopPopup(stop, approx) {
    var box = document.createElement("div");
    box.className = "map-popup";
    function line(tag, className, text) {
      if (!text) { return; }
      var el = document.createElement(tag);
      el.className = className;
      el.textContent = text;
      box.appendChild(el);
    }
    var who = (stop.label || "") + (stop.reference ? " (" + stop.reference + ")" : "");
    line("strong", "map-popup__who", stop.number + ". " + who.trim());
    line("div", "map-popup__place", (stop.place || "") + (stop.approximate ? approx : ""));
    if (stop.municipality && stop.municipality !== stop.place) {
      line("div", "map-popup__municipality", stop.municipality);
    }
    return box;
  }

  function drawRoutes(el) {
    var source = document.getElementById(el.dataset.mapData);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var figure = el.closest(".route-map");
    el.hidden = false;
    figure.classList.add("route-map--live");
    var map = L.map(el, { scrollWheelZoom: false });
    tiles(el, map);
    var bounds = [];
    var approx = " (" + el.dataset.approximateLabel + ")";
    var offsets = shifts(data.routes);
    data.routes.forEach(function (route, r) {
      var line = [];
      if (route.home) {
        line.push([route.home.lat, route.home.lon]);
        L.circleMarker([route.home.lat, route.home.lon], {
          radius: 8, color: "#fff", weight: 2, fillColor: route.colour, fillOpacity: 1,
          dashArray: route.home.approximate ? "3 2" : null
        }).bindTooltip(text(el.dataset.homeLabel + " — " + route.name)).addTo(map);
      }
      route.stops.forEach(function (stop, i) {
        line.push([stop.lat, stop.lon]);
        var town = stop.municipality && stop.municipality !== stop.place ? ", " + stop.municipality : "";
        var title = stop.number + ". " + (stop.label || "") + " " + (stop.reference || "") +
          ", " + stop.place + town + (stop.approximate ? approx : "");
        numbered(stop.lat, stop.lon, String(stop.number), route.colour, stop.approximate, title,
          offsets[r][i]).bindTooltip(text(title)).bindPopup(stopPopup(stop, approx)).addTo(map);
      });
      if (route.home) { line.push([route.home.lat, route.home.lon]); }
      if (line.length > 1) {
        L.polyline(line, { color: route.colour, weight: 4, opacity: 0.85 }).addTo(map);
      }
      bounds = bounds.concat(line);
    });
    data.sites.forEach(function (site) {
      L.circleMarker([site.lat, site.lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#111", fillOpacity: 1 })
        .bindTooltip(text(site.label + (site.municipality ? ", " + site.municipality : ""))).addTo(map);
      bounds.push([site.lat, site.lon]);
    });
    data.left_out.forEach(function (place) {
      L.circleMarker([place.lat, place.lon], {
        radius: 8, color: "#374151", weight: 3, fillColor: "#fff", fillOpacity: 1,
        dashArray: place.approximate ? "4 3" : null
      }).bindTooltip(text(el.dataset.leftOutLabel + ": " + place.label +
        (place.municipality ? ", " + place.municipality : "") + (place.approximate ? approx : ""))).addTo(map);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); }
  }

  function placing(el) {
    var form = document.getElementById(el.dataset.form);
    if (!form) { return; }
    var lat = form.querySelector("[name=lat]");
    var lon = form.querySelector("[name=lon]");
    el.hidden = false;
    var start = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var map = L.map(el).setView(start, parseInt(el.dataset.zoom || "14", 10));
    tiles(el, map);
    var marker = L.marker(start, { keyboard: false, alt: el.dataset.markerLabel || "" }).addTo(map);
    map.on("click", function (event) {
      marker.setLatLng(event.latlng);
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      var note = document.getElementById(el.dataset.note);
      if (note) { note.hidden = false; }
    });
  }

  document.querySelectorAll(".route-map__live").forEach(drawRoutes);
  document.querySelectorAll(".place-map").forEach(placing);
})();
