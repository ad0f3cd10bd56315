// Property tests explore new inputs on every local run; CI replays one fixed seed so that a
// submission lands or fails on its own code, not on the draw. A failure prints its seed and path
// either way: replay it with fc.assert(..., { seed, path }).
const fc = require('fast-check');

if (process.env.CI) fc.configureGlobal({ seed: 20261129 });
