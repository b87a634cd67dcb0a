/* Kracht in Kaart: glue for the folium maps. Leaflet's marker images come from our own copy. */
(function () {
  "use strict";
  if (window.L && L.Icon && L.Icon.Default) {
    L.Icon.Default.imagePath = "/static/vendor/leaflet/images/";
  }
})();
