// Cron expressions as System.schedule takes them: "Seconds Minutes Hours Day_of_month Month
// Day_of_week [Year]" with , - * / ? L W # (Apex Developer Guide, "Apex Scheduler"). The platform's
// parser is Quartz's CronExpression, so a refused expression is a System.StringException with
// Quartz's wording ('Unexpected end of expression.', "Illegal characters for this position: 'EVE'",
// 'Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.').
// The next fire time is computed in a time zone (the scheduling user's), as CronTrigger.NextFireTime.
import { ApexError } from '../values';
import { instantOf, zonedParts } from '../natives/support';

export interface CronSchedule {
  readonly text: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Day of month: explicit days, or a special rule. */
  readonly daysOfMonth: DayRule;
  readonly months: ReadonlySet<number>;
  /** Day of week 1 (Sunday) … 7 (Saturday). */
  readonly daysOfWeek: DayRule;
  /** null: every year. */
  readonly years: ReadonlySet<number> | null;
}

type DayRule =
  | { kind: 'any' }
  | { kind: 'set'; values: ReadonlySet<number> }
  | { kind: 'last'; offset: number; weekday: boolean } // L, L-3, LW
  | { kind: 'nearestWeekday'; day: number } // 15W
  | { kind: 'lastWeekday'; dow: number } // 6L: last Friday
  | { kind: 'nth'; dow: number; nth: number }; // 6#3: third Friday

const fail = (message: string) => new ApexError('System.StringException', message);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  rangeMessage: string;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  {
    name: 'second',
    min: 0,
    max: 59,
    rangeMessage: 'Minute and Second values must be between 0 and 59',
  },
  {
    name: 'minute',
    min: 0,
    max: 59,
    rangeMessage: 'Minute and Second values must be between 0 and 59',
  },
  { name: 'hour', min: 0, max: 23, rangeMessage: 'Hour values must be between 0 and 23' },
  {
    name: 'dayOfMonth',
    min: 1,
    max: 31,
    rangeMessage: 'Day of month values must be between 1 and 31',
  },
  {
    name: 'month',
    min: 1,
    max: 12,
    rangeMessage: 'Month values must be between 1 and 12',
    names: MONTHS,
  },
  {
    name: 'dayOfWeek',
    min: 1,
    max: 7,
    rangeMessage: 'Day-of-Week values must be between 1 and 7',
    names: DAYS,
  },
  { name: 'year', min: 1970, max: 2099, rangeMessage: 'Year values must be between 1970 and 2099' },
];

/** Parses and validates a cron expression; throws System.StringException as the platform does. */
export function parseCron(text: string): CronSchedule {
  // Quartz reads the fields in order (a bad field is reported before a missing one) and ignores
  // what follows the year.
  const tokens = text.trim().toUpperCase().split(/\s+/).filter(Boolean).slice(0, 7);
  const sets: Set<number>[] = [];
  let dom: DayRule = { kind: 'any' };
  let dow: DayRule = { kind: 'any' };
  let domQuestion = false;
  let dowQuestion = false;
  tokens.forEach((token, index) => {
    const spec = FIELDS[index];
    if (token === '?') {
      if (index !== 3 && index !== 5) {
        throw fail("'?' can only be specified for Day-of-Month or Day-of-Week.");
      }
      if (index === 3) domQuestion = true;
      else dowQuestion = true;
      sets[index] = new Set();
      return;
    }
    if (index === 3) {
      const special = dayOfMonthRule(token);
      if (special) {
        dom = special;
        sets[index] = new Set();
        return;
      }
    }
    if (index === 5) {
      const special = dayOfWeekRule(token);
      if (special) {
        dow = special;
        sets[index] = new Set();
        return;
      }
    }
    sets[index] = parseField(token, spec);
    if (index === 3 && token !== '*') dom = { kind: 'set', values: sets[index] };
    if (index === 5 && token !== '*') dow = { kind: 'set', values: sets[index] };
  });
  if (tokens.length < 6) throw fail('Unexpected end of expression.');
  // Quartz: exactly one of the two day fields is '?'.
  if (domQuestion === dowQuestion) {
    throw fail(
      'Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.',
    );
  }
  return {
    text,
    seconds: sets[0],
    minutes: sets[1],
    hours: sets[2],
    daysOfMonth: domQuestion ? { kind: 'any' } : dom,
    months: sets[4],
    daysOfWeek: dowQuestion ? { kind: 'any' } : dow,
    years: tokens.length === 7 ? sets[6] : null,
  };
}

function dayOfMonthRule(token: string): DayRule | null {
  if (token === 'L') return { kind: 'last', offset: 0, weekday: false };
  if (token === 'LW') return { kind: 'last', offset: 0, weekday: true };
  let m = /^L-(\d+)$/.exec(token);
  if (m) {
    const offset = Number(m[1]);
    if (offset > 30) throw fail('Offset from last day must be <= 30');
    return { kind: 'last', offset, weekday: false };
  }
  m = /^(\d+)W$/.exec(token);
  if (m) {
    const day = Number(m[1]);
    if (day < 1 || day > 31)
      throw fail(
        "The 'W' option does not make sense with values larger than 31 (max number of days in a month)",
      );
    return { kind: 'nearestWeekday', day };
  }
  return null;
}

function dayOfWeekRule(token: string): DayRule | null {
  let m = /^([1-7]|[A-Z]{3})L$/.exec(token);
  if (m) return { kind: 'lastWeekday', dow: dayNumber(m[1]) };
  m = /^([1-7]|[A-Z]{3})#(\d+)$/.exec(token);
  if (m) {
    const nth = Number(m[2]);
    if (nth < 1 || nth > 5)
      throw fail("A numeric value between 1 and 5 must follow the '#' option");
    return { kind: 'nth', dow: dayNumber(m[1]), nth };
  }
  if (token === 'L') return { kind: 'set', values: new Set([7]) };
  return null;
}

function dayNumber(text: string): number {
  if (/^\d$/.test(text)) return Number(text);
  const index = DAYS.indexOf(text);
  if (index < 0) throw fail(`Invalid Day-of-Week value: '${text}'`);
  return index + 1;
}

function parseField(token: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of token.split(',')) {
    if (part === '') throw fail('Unexpected end of expression.');
    const m = /^(\*|[0-9]+|[A-Z]+)(?:-([0-9]+|[A-Z]+))?(?:\/([0-9]+))?$/.exec(part);
    if (!m) throw fail(`Illegal characters for this position: '${part.slice(0, 3)}'`);
    const increment = m[3] === undefined ? 1 : Number(m[3]);
    if (m[3] !== undefined && (increment < 1 || increment > spec.max)) {
      throw fail(`Increment > ${spec.max + (spec.min === 0 ? 1 : 0)} : ${increment}`);
    }
    let start: number;
    let end: number;
    if (m[1] === '*') {
      if (m[2] !== undefined)
        throw fail(`Illegal characters for this position: '${part.slice(0, 3)}'`);
      start = spec.min;
      end = spec.max;
    } else {
      start = fieldValue(m[1], spec);
      end = m[2] !== undefined ? fieldValue(m[2], spec) : m[3] !== undefined ? spec.max : start;
    }
    // A range may wrap (FRI-MON, 22-2), as in Quartz.
    const span = end >= start ? end - start : end + (spec.max - spec.min + 1) - start;
    for (let offset = 0; offset <= span; offset += increment) {
      let v = start + offset;
      if (v > spec.max) v -= spec.max - spec.min + 1;
      values.add(v);
    }
  }
  return values;
}

function fieldValue(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) throw fail(spec.rangeMessage);
    return n;
  }
  const index = spec.names ? spec.names.indexOf(text.slice(0, 3)) : -1;
  if (index < 0 || text.length !== 3) {
    if (spec.names === MONTHS) throw fail(`Invalid Month value: '${text.slice(0, 3)}'`);
    if (spec.names === DAYS) throw fail(`Invalid Day-of-Week value: '${text.slice(0, 3)}'`);
    throw fail(`Illegal characters for this position: '${text.slice(0, 3)}'`);
  }
  return index + 1;
}

// ── next fire time ──────────────────────────────────────────────────────────────────────────

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const weekday = (y: number, m: number, d: number) =>
  new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function dayMatches(c: CronSchedule, y: number, m: number, d: number): boolean {
  const dim = daysInMonth(y, m);
  const dow = weekday(y, m, d);
  const rule = c.daysOfMonth.kind !== 'any' ? c.daysOfMonth : c.daysOfWeek;
  switch (rule.kind) {
    case 'any':
      return true;
    case 'set':
      return c.daysOfMonth.kind !== 'any' ? rule.values.has(d) : rule.values.has(dow);
    case 'last': {
      let target = dim - rule.offset;
      if (rule.weekday) target = nearestWeekday(y, m, target);
      return d === target;
    }
    case 'nearestWeekday':
      return rule.day <= dim && d === nearestWeekday(y, m, rule.day);
    case 'lastWeekday':
      return dow === rule.dow && d + 7 > dim;
    default:
      return dow === rule.dow && Math.ceil(d / 7) === rule.nth; // 'nth'
  }
}

function nearestWeekday(y: number, m: number, day: number): number {
  const dim = daysInMonth(y, m);
  const dow = weekday(y, m, day);
  if (dow === 7) return day === 1 ? 3 : day - 1; // Saturday → Friday (or Monday the 3rd)
  if (dow === 1) return day === dim ? day - 2 : day + 1; // Sunday → Monday (or Friday)
  return day;
}

/** The first instant strictly after `afterMillis` the schedule fires, or null (never again). */
export function nextFireTime(
  c: CronSchedule,
  afterMillis: number,
  timeZone: string,
): number | null {
  const start = zonedParts(afterMillis, timeZone);
  const seconds = [...c.seconds].sort((a, b) => a - b);
  const minutes = [...c.minutes].sort((a, b) => a - b);
  const hours = [...c.hours].sort((a, b) => a - b);
  let y = start.year;
  let m = start.month;
  let d = start.day;
  // Walk day by day for up to 8 years (leap-day and yearly schedules fit).
  for (let i = 0; i < 366 * 8; i++) {
    if ((c.years === null || c.years.has(y)) && c.months.has(m) && dayMatches(c, y, m, d)) {
      for (const h of hours) {
        for (const mi of minutes) {
          for (const s of seconds) {
            const at = instantOf(timeZone, y, m, d, h, mi, s);
            if (at > afterMillis) return at;
          }
        }
      }
    }
    d++;
    if (d > daysInMonth(y, m)) {
      d = 1;
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
    }
    if (c.years !== null && y > Math.max(...c.years)) return null;
  }
  return null;
}
