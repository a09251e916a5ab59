// Is the machine quiet enough to measure on? Two checks, both recorded with every suite result:
//  - before a suite: wait (bounded) while the 1-minute load average is above 0.5; a suite that
//    starts above it anyway is a busy run;
//  - during a suite: CPU time that processes other than this bench used (all CPU time the kernel
//    counted, minus this process and the children it waited for). A yardstick on 2 threads loses
//    far more to a neighbour than a 1-thread contender does, so a busy run would flatter us: the
//    report excludes busy runs from the targets.
// Linux only (/proc); elsewhere the checks report null and the run counts as not checked.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export const QUIET_LOAD = 0.5;
/** Average cores that others may use during a suite before it counts as busy. */
export const FOREIGN_CORES_LIMIT = 0.25;

export interface LoadGate {
  /** 1-minute load average when the suite started (after waiting) */
  loadAvg: number;
  waitedS: number;
  /** still above QUIET_LOAD when the wait ran out */
  busyAtStart: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits up to maxWaitS for the 1-minute load average to fall to QUIET_LOAD. After a suite of our
 * own (2 busy cores) it takes about 85 s to decay to 0.5 on an otherwise idle machine.
 */
export async function waitForQuiet(maxWaitS: number, log: (line: string) => void = () => {}): Promise<LoadGate> {
  const started = Date.now();
  let said = false;
  while (loadavg()[0]! > QUIET_LOAD && (Date.now() - started) / 1000 < maxWaitS) {
    if (!said) log(`load average ${loadavg()[0]!.toFixed(2)} > ${QUIET_LOAD}: waiting up to ${maxWaitS} s for a quiet machine`);
    said = true;
    await sleep(2000);
  }
  const load = loadavg()[0]!;
  return { loadAvg: Number(load.toFixed(2)), waitedS: Math.round((Date.now() - started) / 1000), busyAtStart: load > QUIET_LOAD };
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** Busy CPU seconds of the whole machine since boot (user, nice, system, irq, softirq). */
function machineBusyS(): number | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = cpu;
    return (user + nice + system + irq + softirq) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/** CPU seconds of this process plus the children it has waited for (utime, stime, cutime, cstime). */
function ownS(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); utime..cstime are fields 14..17
    return fields.slice(11, 15).map(Number).reduce((a, b) => a + b, 0) / TICKS_PER_S;
  } catch {
    return null;
  }
}

export interface ForeignCpu {
  /** average cores used by other processes while the meter ran */
  foreignCores: number | null;
  /** average cores this bench used (the suite's children included) */
  ownCores: number | null;
}

/** Starts a meter; call the returned function after the suite's processes have exited. */
export function meterForeignCpu(): () => ForeignCpu {
  const t0 = performance.now();
  const busy0 = machineBusyS();
  const own0 = ownS();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const busy1 = machineBusyS();
    const own1 = ownS();
    if (busy0 === null || busy1 === null || own0 === null || own1 === null || wall <= 0) return { foreignCores: null, ownCores: null };
    const own = (own1 - own0) / wall;
    return { foreignCores: Number(Math.max(0, (busy1 - busy0) / wall - own).toFixed(2)), ownCores: Number(own.toFixed(2)) };
  };
}
