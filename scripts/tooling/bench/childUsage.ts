/**
 * Preloaded (`node --import`) into a process the bench starts: when the process exits, its own
 * resource usage (peak resident size, CPU time) goes to the file named by AH_BENCH_USAGE_FILE.
 * The process itself runs unchanged; this only reads what the kernel counted for it.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.AH_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify(process.resourceUsage()));
  });
}
