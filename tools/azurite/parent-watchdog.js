// Preloaded into Azurite (node --require) by the test launcher, which keeps Azurite's stdin open as a pipe.
// When the launching process dies, even by SIGKILL, the pipe closes and Azurite exits instead of lingering.
"use strict";

if (!process.stdin.isTTY) {
  const exit = () => process.exit(0);
  process.stdin.on("end", exit);
  process.stdin.on("close", exit);
  process.stdin.on("error", exit);
  process.stdin.on("data", () => {});
  process.stdin.resume();
}
