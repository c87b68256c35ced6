// Preloaded into the benchmark's Azurite (node --require); the tests' Azurite does not load it.
// Azurite 3.37 sweeps deleted blobs every 10 minutes, and a sweep blocks every request until it ends: measured
// 2026-11-25, after 28,000 deleted blobs of 1 KiB a sweep ran for more than 10 minutes at 100% of a core with
// requests unanswered. A full benchmark run deletes about 30,000 blobs a round of case (a), so a sweep landing
// mid-run stalled it. This moves the next sweep a day out; the benchmark starts a fresh Azurite for each case
// instead, so nothing it deleted needs sweeping. Nothing else about Azurite changes.
"use strict";

const path = require("path");

// The entry script is .../azurite/dist/src/blob/main.js; its constants module is read when the GC manager starts.
const source = path.resolve(path.dirname(process.argv[1]), "..");
const constants = require(path.join(source, "blob", "utils", "constants.js"));
// One day: setTimeout takes at most 2^31 - 1 ms (24.8 days) and treats anything larger as 1 ms.
constants.DEFAULT_GC_INTERVAL_MS = 24 * 60 * 60 * 1000;
