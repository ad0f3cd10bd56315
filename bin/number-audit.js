#!/usr/bin/env node
// The package's `number-audit` command: runs the CLI that scripts/build-cli.ts bundles into dist/
// (`npm ci` and `npm install` build it through the `prepare` script; after editing lambda/, run
// `npm run build:cli`). Plain JavaScript, so starting it compiles no TypeScript.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createRequire, SourceMap, wrap } = require('node:module');
const { dirname, join, resolve } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'cli', 'number-audit.js');
/**
 * V8's compiled code for the bundle, written by the build next to the bundle (so it is trusted
 * exactly as much as the bundle is): starting then skips compiling a megabyte of JavaScript. It
 * begins with the SHA-256 of the source it was made from: V8 itself checks only the source's
 * length, and a cache for other code of the same length would run that other code.
 */
const CODE_CACHE = `${BUNDLE}.cache`;
const HASH_BYTES = 32;

/** The bundle compiled (not run), from the code cache when it was made for this very source. */
function compileBundle(cache) {
  const source = readFileSync(BUNDLE, 'utf8');
  const fits = cache?.subarray(0, HASH_BYTES).equals(sha256(source)) === true;
  const cachedData = fits ? cache.subarray(HASH_BYTES) : undefined;
  // No import() in it (the build turns them into require()): a script compiled here has no loader for one.
  return { source, script: new Script(wrap(source), { filename: BUNDLE, cachedData }) };
}

/** What the build writes to CODE_CACHE. Made before the bundle runs: a cache made after a run loaded wrong code. */
function codeCacheFor(compiled) {
  return Buffer.concat([sha256(compiled.source), compiled.script.createCachedData()]);
}

function sha256(text) {
  return createHash('sha256').update(text).digest();
}

/** The bundle's exports, loaded as require() would load it, with the code cache when it fits. */
function loadBundle(cache = readIfPresent(CODE_CACHE)) {
  const { script } = compileBundle(cache);
  mapStackTraces();
  const module = { exports: {} };
  // The bundle requires only Node built-ins.
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { cli: module.exports, script };
}

function readIfPresent(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * --verbose stack traces name the TypeScript sources. Node maps only what its module loader
 * compiled, and the bundle is compiled here (for the code cache), so its frames are mapped here:
 * through the linked source map, read on the first stack trace that needs it.
 */
function mapStackTraces() {
  // undefined: not read yet; null: missing or unreadable, so frames stay as they are.
  let map;
  const original = (line, column) => {
    if (map === undefined) map = safely(() => new SourceMap(JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8'))));
    if (map === null) return null;
    // Line 1 starts after the wrapper that wrap() put in front of the bundle.
    const entry = map.findEntry(line - 1, line === 1 ? column - 1 - WRAPPER_LENGTH : column - 1);
    return entry.originalSource
      ? `${resolve(dirname(BUNDLE), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`
      : null;
  };
  Error.prepareStackTrace = (error, frames) => {
    const lines = frames.map((frame) => {
      const at =
        frame.getFileName() === BUNDLE ? safely(() => original(frame.getLineNumber(), frame.getColumnNumber())) : null;
      if (at === null) return `    at ${frame}`;
      const name = frame.getFunctionName() ?? frame.getMethodName();
      const async = frame.isAsync() ? 'async ' : '';
      return name ? `    at ${async}${name} (${at})` : `    at ${async}${at}`;
    });
    return [`${error.name ?? 'Error'}${error.message ? `: ${error.message}` : ''}`, ...lines].join('\n');
  };
}

/** How many characters wrap() puts in front of the bundle's first line. */
const WRAPPER_LENGTH = wrap('\0').indexOf('\0');

function safely(fn) {
  try {
    return fn();
  } catch {
    return null;
  }
}

function start() {
  let loaded;
  try {
    loaded = loadBundle();
  } catch (error) {
    if (error?.code !== 'ENOENT' || error.path !== BUNDLE) throw error;
    process.stderr.write('number-audit: the CLI is not built; run `npm run build:cli` in the project folder\n');
    // Not process.exit(): stderr may still be writing (a pipe on macOS).
    process.exitCode = 1;
    return;
  }
  loaded.cli.runFromProcess();
}

if (require.main === module) start();

module.exports = { BUNDLE, CODE_CACHE, codeCacheFor, compileBundle, loadBundle };
