// Standard 5-field cron expressions (minute hour day-of-month month day-of-week), UTC, with
// "*", lists, ranges and steps, plus the @hourly/@daily/@weekly/@monthly macros.

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

function field(spec: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of spec.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    let lo = min;
    let hi = max;
    if (range !== "*") {
      const [a, b] = range.split("-");
      lo = Number(a);
      hi = b !== undefined ? Number(b) : stepText ? max : lo;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(step) || step <= 0) throw new Error(`invalid cron field "${spec}"`);
    for (let v = lo; v <= hi; v += step) out.add(v === 7 && max === 7 ? 0 : v);
  }
  return out;
}

export interface CronSchedule {
  next(afterMs: number): number;
}

export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`invalid cron expression "${expression}"`);
  const [m, h, dom, mon, dow] = [field(parts[0], 0, 59), field(parts[1], 0, 23), field(parts[2], 1, 31), field(parts[3], 1, 12), field(parts[4], 0, 7)];
  const domAny = parts[2] === "*";
  const dowAny = parts[4] === "*";
  const dayMatches = (d: Date) => {
    const domOk = dom.has(d.getUTCDate());
    const dowOk = dow.has(d.getUTCDay());
    // Vixie cron: when both are restricted, either may match.
    if (!domAny && !dowAny) return domOk || dowOk;
    return domOk && dowOk;
  };
  return {
    next(afterMs: number): number {
      const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      for (let guard = 0; guard < 366 * 24 * 60;) {
        if (!mon.has(d.getUTCMonth() + 1) || !dayMatches(d)) {
          d.setUTCHours(0, 0, 0, 0);
          d.setUTCDate(d.getUTCDate() + 1);
          guard += 1440;
          continue;
        }
        if (!h.has(d.getUTCHours())) {
          d.setUTCMinutes(0, 0, 0);
          d.setUTCHours(d.getUTCHours() + 1);
          guard += 60;
          continue;
        }
        if (m.has(d.getUTCMinutes())) return d.getTime();
        d.setUTCMinutes(d.getUTCMinutes() + 1);
        guard++;
      }
      throw new Error(`cron expression "${expression}" never fires`);
    },
  };
}
