// plotly.js with only the traces timeline draws: markers (scatter, WebGL scattergl), spans and
// loose-date bands (bar), density strips (heatmap). dcc.Graph uses the window.Plotly it finds.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'), require('plotly.js/lib/scattergl')]);
window.Plotly = Plotly;
