import { WORKSTREAMS, type TaskStatus, type Workstream } from "@/lib/migration/checklist";

/**
 * The burn-up arithmetic of the Migration page: pure, over plain task facts, so it is tested
 * without a database and the server computes it once per request.
 * Days are UTC calendar days written YYYY-MM-DD.
 */
export interface BurnUpTask {
  status: TaskStatus;
  workstream: string;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  /** When it was done (a done task without one counts as done on its creation day). */
  doneAt: Date | null;
  createdAt: Date;
}

export interface BurnUpPoint {
  day: string;
  /** Tasks done by the end of that day; absent for days after today. */
  done?: number;
  /** Tasks that existed by the end of that day (the whole scope for days after today). */
  scope: number;
  /** Tasks due by the end of that day: the plan. */
  planned: number;
  /** The projection at the current pace, from today on; absent without a pace. */
  forecast?: number;
}

export interface WorkstreamProgress {
  workstream: Workstream;
  done: number;
  total: number;
}

export interface BurnUp {
  today: string;
  total: number;
  done: number;
  overdue: number;
  dueThisWeek: number;
  /** The latest due date: when the plan says everything is done. */
  targetDate: string | null;
  /** Tasks done per day over the last `paceWindowDays` days. */
  pacePerDay: number;
  paceWindowDays: number;
  /** The day the last task would be done at that pace; null with no pace yet ("no forecast yet"). */
  forecastDate: string | null;
  /** true: the forecast is on or before the target; null when either is unknown. */
  onTrack: boolean | null;
  points: BurnUpPoint[];
  workstreams: WorkstreamProgress[];
}

export interface BurnUpOptions {
  now: Date;
  /** The first day of the chart; the earliest task creation by default. */
  startDay?: string;
  paceWindowDays?: number;
  /** A forecast further out than this many days from today is cut off (the chart stays readable). */
  maxForecastDays?: number;
}

const DAY_MS = 86_400_000;

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Monday of the ISO week that holds `day`. */
export function weekStartOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

function doneDayOf(task: BurnUpTask): string | null {
  if (task.status !== "done") return null;
  return dayOf(task.doneAt ?? task.createdAt);
}

export function computeBurnUp(tasks: readonly BurnUpTask[], options: BurnUpOptions): BurnUp {
  const today = dayOf(options.now);
  const paceWindowDays = options.paceWindowDays ?? 14;
  const maxForecastDays = options.maxForecastDays ?? 365;
  const total = tasks.length;
  const doneDays = tasks.map(doneDayOf);
  const done = doneDays.filter((day) => day !== null).length;

  const sunday = addDays(weekStartOf(today), 6);
  let overdue = 0;
  let dueThisWeek = 0;
  for (const task of tasks) {
    if (task.status === "done" || !task.dueDate) continue;
    if (task.dueDate < today) overdue += 1;
    else if (task.dueDate <= sunday) dueThisWeek += 1;
  }

  const dueDates = tasks.map((task) => task.dueDate).filter((day): day is string => day !== null);
  const targetDate = dueDates.length > 0 ? dueDates.reduce((a, b) => (a > b ? a : b)) : null;

  // Done in the window that ends today: (today - window, today].
  const windowStart = addDays(today, -paceWindowDays);
  const doneInWindow = doneDays.filter((day) => day !== null && day > windowStart && day <= today).length;
  const pacePerDay = doneInWindow / paceWindowDays;

  const remaining = total - done;
  let forecastDate: string | null = null;
  if (total > 0 && remaining === 0) {
    forecastDate = doneDays.reduce<string>((a, b) => (b !== null && b > a ? b : a), doneDays[0] ?? today);
  } else if (pacePerDay > 0) {
    forecastDate = addDays(today, Math.ceil(remaining / pacePerDay));
  }
  const onTrack = forecastDate !== null && targetDate !== null ? forecastDate <= targetDate : null;

  const createdDays = tasks.map((task) => dayOf(task.createdAt));
  const earliest = [options.startDay, ...createdDays, ...doneDays].filter((day): day is string => Boolean(day));
  const start = earliest.length > 0 ? earliest.reduce((a, b) => (a < b ? a : b)) : today;
  const forecastEnd = forecastDate && daysBetween(today, forecastDate) <= maxForecastDays ? forecastDate : today;
  const end = [today, targetDate ?? today, forecastEnd].reduce((a, b) => (a > b ? a : b));

  const points: BurnUpPoint[] = [];
  const length = daysBetween(start, end);
  for (let offset = 0; offset <= length; offset += 1) {
    const day = addDays(start, offset);
    const future = day > today;
    const point: BurnUpPoint = {
      day,
      scope: future ? total : createdDays.filter((created) => created <= day).length,
      planned: dueDates.filter((due) => due <= day).length,
    };
    if (!future) point.done = doneDays.filter((doneDay) => doneDay !== null && doneDay <= day).length;
    if (day >= today && pacePerDay > 0 && remaining > 0) {
      point.forecast = Math.min(total, done + Math.floor(pacePerDay * daysBetween(today, day) + 1e-9));
    }
    points.push(point);
  }

  const workstreams = WORKSTREAMS.map((workstream) => {
    const own = tasks.filter((task) => task.workstream === workstream);
    return { workstream, total: own.length, done: own.filter((task) => task.status === "done").length };
  }).filter((progress) => progress.total > 0);

  return { today, total, done, overdue, dueThisWeek, targetDate, pacePerDay, paceWindowDays, forecastDate, onTrack, points, workstreams };
}
