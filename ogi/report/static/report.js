// Draw every chart of the page with the Vega libraries shipped beside the report
// (assets/vega-bundle.js): nothing is fetched from the network. Each chart's specification is in its
// element's data-spec attribute; data-rendered says whether it was drawn.
(function () {
  "use strict";
  var options = {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
    i18n: { SVG_ACTION: "保存 SVG Save as SVG", PNG_ACTION: "保存 PNG Save as PNG" },
  };
  document.querySelectorAll(".vega-chart[data-spec]").forEach(function (element) {
    vegaEmbed(element, JSON.parse(element.dataset.spec), options)
      .then(function () { element.dataset.rendered = "ok"; })
      .catch(function (error) {
        element.dataset.rendered = "error";
        element.textContent = "图表无法显示 The chart could not be drawn: " + error;
      });
  });
})();
