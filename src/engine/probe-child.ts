// Child-process entry: `node probe-child.js <backend> [seconds]`. Loads one native backend, measures
// it, reports a ProbeResult over IPC (or as a JSON line on stdout when run by hand) and exits.
// If the addon crashes the process, the parent sees the exit instead of a message.
import type { BackendName, ProbeResult } from './backend-types.js';
import { errorText, probeNative } from './native-probe.js';

const name = (process.argv[2] ?? '') as BackendName;
const seconds = Number(process.argv[3] ?? '0.5');

let result: ProbeResult;
try {
  result = await probeNative(name, Number.isFinite(seconds) ? seconds : 0.5);
} catch (e) {
  result = { name, ok: false, reason: `probe failed: ${errorText(e)}` };
}

// Exit explicitly: GPU runtimes keep handles open that would otherwise keep the child alive.
if (process.send) process.send(result, () => process.exit(0));
else {
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}
