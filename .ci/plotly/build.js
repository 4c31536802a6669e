// The esbuild settings of plotly.js's own esbuild-config.js, for the traces in entry.js.
const path = require('path');
const esbuild = require('esbuild');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { environmentPlugin } = require('esbuild-plugin-environment');

esbuild
  .build({
    entryPoints: [path.join(__dirname, 'entry.js')],
    outfile: process.argv[2] || path.join(__dirname, '..', '..', 'assets', 'plotly-timeline.min.js'),
    format: 'iife',
    bundle: true,
    minify: true,
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
