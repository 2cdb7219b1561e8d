// Preloaded (`node --import ./bench/peakRss.ts ...`) into a child whose peak resident memory
// the bench reads: prints `peak_rss_bytes N` on stderr when the process exits. The whole
// process, worker threads included, as the operating system counts it.
process.on('exit', () => {
  process.stderr.write(`peak_rss_bytes ${process.resourceUsage().maxRSS * 1024}\n`);
});
