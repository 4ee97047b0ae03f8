/*
 * Draws the Vega-Lite charts and maps that the server built (Altair) and embedded with json_script.
 * Vega comes from the bundle generated locally by `seemix build_assets`; nothing is loaded from any
 * other host. The page's Content Security Policy forbids eval and inline styles, so:
 *   - ast: true makes Vega interpret its expressions instead of compiling them with new Function();
 *   - defaultStyle: false and the tooltip's disableDefaultStyle stop vega-embed and vega-tooltip from
 *     injecting <style> elements; seemix.css carries the few rules they need.
 */
(function () {
  "use strict";

  // Number formats of the page's languages (d3-format locales); English is Vega's default.
  var NUMBER_LOCALES = {
    "sr-latn": { decimal: ",", thousands: ".", grouping: [3], currency: ["", " RSD"] },
  };

  function fail(container, status, error) {
    container.setAttribute("data-rendered", "error");
    if (status) {
      status.hidden = false;
      status.textContent = container.getAttribute("data-error-text") || "The chart could not be drawn.";
    }
    if (window.console && error) {
      window.console.error(error);
    }
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-spec"));
    var status = document.getElementById(container.getAttribute("data-status"));
    if (!source || typeof window.vegaEmbed !== "function") {
      fail(container, status, new Error("Vega is not loaded: run `seemix build_assets`."));
      return;
    }
    var spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(container, spec, {
        ast: true,
        actions: false,
        renderer: "svg",
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
        formatLocale: NUMBER_LOCALES[document.documentElement.lang.toLowerCase()],
      })
      .then(function () {
        container.setAttribute("data-rendered", "true");
        if (status) {
          status.hidden = true;
        }
      })
      .catch(function (error) {
        fail(container, status, error);
      });
  }

  var containers = document.querySelectorAll("[data-spec]");
  for (var i = 0; i < containers.length; i += 1) {
    draw(containers[i]);
  }
})();
