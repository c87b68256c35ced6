#!/usr/bin/env node
// Totals the test results that scripts/test.sh collected and prints, last, one plain line:
//   N passed, N failed
// Usage: node scripts/count-results.js RESULTS_DIR [--runner-exit NAME=CODE]...
// It reads every *.trx (xunit through `dotnet test --logger trx`) and every *.pester.json (written by
// test.sh from Invoke-Pester's result) under RESULTS_DIR. Each failed test is listed by name first.
// A run that aborted, or a runner that exited non-zero with no failed test recorded, counts as one failure,
// so a crash never passes for a green run. Exit code: 1 if anything failed or if no test ran, else 0.
"use strict";

const fs = require("fs");
const path = require("path");

function usage(message) {
  process.stderr.write(`count-results: ${message}\nusage: node count-results.js RESULTS_DIR [--runner-exit NAME=CODE]...\n`);
  process.exit(2);
}

function findFiles(dir, predicate) {
  const found = [];
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(full, predicate));
    else if (entry.isFile() && predicate(entry.name)) found.push(full);
  }
  return found.sort();
}

function decodeXml(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity) => {
    switch (entity) {
      case "amp": return "&";
      case "lt": return "<";
      case "gt": return ">";
      case "quot": return "\"";
      case "apos": return "'";
      default:
        return String.fromCodePoint(entity[1] === "x" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    }
  });
}

function attributes(tagText) {
  const result = {};
  const pattern = /([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let match;
  while ((match = pattern.exec(tagText)) !== null) {
    result[match[1]] = decodeXml(match[3] !== undefined ? match[3] : match[4]);
  }
  return result;
}

function firstLine(text) {
  const line = decodeXml(text).trim().split(/\r?\n/)[0] || "";
  return line.length > 200 ? line.slice(0, 197) + "..." : line;
}

const FAILED_OUTCOMES = new Set(["Failed", "Error", "Timeout", "Aborted"]);

function readTrx(file, totals) {
  const xml = fs.readFileSync(file, "utf8");
  const label = path.basename(file);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const results = /<UnitTestResult\b([^>]*?)(\/>|>([\s\S]*?)<\/UnitTestResult>)/g;
  let match;
  while ((match = results.exec(xml)) !== null) {
    const attrs = attributes(match[1]);
    const outcome = attrs.outcome || "";
    if (outcome === "Passed") {
      passed++;
    } else if (FAILED_OUTCOMES.has(outcome)) {
      failed++;
      const body = match[3] || "";
      const message = /<Message>([\s\S]*?)<\/Message>/.exec(body);
      totals.failures.push(`${attrs.testName || "(unnamed test)"}${message ? " -- " + firstLine(message[1]) : ""}`);
    } else {
      skipped++;
    }
  }

  // A test host that crashed leaves an aborted or failed run that may list no failed test.
  const summary = /<ResultSummary\b([^>]*)>/.exec(xml);
  const runOutcome = summary ? attributes(summary[1]).outcome || "" : "";
  if (failed === 0 && /^(Failed|Error|Aborted|Timeout)$/.test(runOutcome)) {
    const runMessages = [];
    const runInfos = /<RunInfo\b[^>]*outcome="(?:Error|Failed)"[^>]*>[\s\S]*?<Text>([\s\S]*?)<\/Text>/g;
    while ((match = runInfos.exec(xml)) !== null) runMessages.push(firstLine(match[1]));
    failed++;
    totals.failures.push(`${label}: the test run ended as ${runOutcome}${runMessages.length ? " -- " + runMessages[0] : ""}`);
  }
  if (!summary) {
    failed++;
    totals.failures.push(`${label}: no result summary (the test run did not finish)`);
  }

  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  return { passed, failed };
}

function readPester(file, totals) {
  const label = path.basename(file);
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    totals.failed++;
    totals.failures.push(`${label}: unreadable Pester summary (${error.message})`);
    return;
  }
  const passed = Number(data.passed) || 0;
  const failed = Number(data.failed) || 0;
  const skipped = Number(data.skipped) || 0;
  let names = data.failures || [];
  if (!Array.isArray(names)) names = [names];
  for (const name of names) totals.failures.push(`Pester: ${name}`);
  for (let i = names.length; i < failed; i++) totals.failures.push(`Pester: (unnamed failure ${i + 1})`);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
}

function main(argv) {
  let dir = null;
  const runnerExits = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runner-exit") {
      const value = argv[++i];
      const m = /^([^=]+)=(-?\d+)$/.exec(value || "");
      if (!m) usage(`--runner-exit wants NAME=CODE, not '${value}'`);
      runnerExits.push({ name: m[1], code: Number(m[2]) });
    } else if (dir === null) {
      dir = argv[i];
    } else {
      usage(`unexpected argument '${argv[i]}'`);
    }
  }
  if (dir === null) usage("RESULTS_DIR is missing");

  const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const trxFiles = findFiles(dir, (name) => name.toLowerCase().endsWith(".trx"));
  for (const file of trxFiles) readTrx(file, totals);
  for (const file of findFiles(dir, (name) => name.toLowerCase().endsWith(".pester.json"))) readPester(file, totals);

  const failedBefore = totals.failed;
  for (const { name, code } of runnerExits) {
    if (code !== 0 && failedBefore === 0) {
      totals.failed++;
      totals.failures.push(`${name} exited with code ${code} but recorded no failed test (see its output above)`);
    }
  }

  if (totals.failures.length > 0) {
    console.log("");
    console.log("Failed:");
    for (const name of totals.failures) console.log(`  ${name}`);
  }
  console.log("");
  if (totals.skipped > 0) console.log(`(${totals.skipped} skipped or not run)`);
  if (totals.passed + totals.failed === 0) console.log("No test ran.");
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  return totals.failed > 0 || totals.passed === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
