// Preloaded with `node --require` into a benchmarked child process: prints its peak resident set
// size (VmHWM, the kernel's high-water mark) when it exits.
const fs = require("node:fs");
process.on("exit", () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  process.stderr.write(`PEAK_RSS_KB=${m ? m[1] : "?"}\n`);
});
