// Odoo-style container logs: server startup, module loading, werkzeug access lines, warnings and
// Python tracebacks for failing instances. Deterministic for a given seed and timestamps.
import { createRng, type Rng } from "../fleet/prng";

export interface TimedLine {
  at: number;
  text: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function odooTimestamp(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

function werkzeugTimestamp(at: number): string {
  const d = new Date(at);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function odooLine(at: number, level: "INFO" | "WARNING" | "ERROR" | "CRITICAL" | "DEBUG", db: string, logger: string, message: string, pid = 1): string {
  return `${odooTimestamp(at)} ${pid} ${level} ${db} ${logger}: ${message}`;
}

const PAGES: [string, string][] = [
  ["POST", "/web/dataset/call_kw/sale.order/web_search_read"],
  ["POST", "/web/dataset/call_kw/res.partner/web_read"],
  ["POST", "/web/dataset/call_kw/account.move/web_search_read"],
  ["POST", "/web/dataset/call_kw/stock.picking/web_read_group"],
  ["POST", "/web/action/load"],
  ["GET", "/web/webclient/translations/1f3a9c2d"],
  ["POST", "/mail/data"],
  ["POST", "/web/dataset/call_kw/product.template/web_search_read"],
  ["GET", "/web/image/res.users/2/avatar_128"],
  ["POST", "/bus/im_status"],
  ["GET", "/odoo/action-sale.action_quotations_with_onboarding"],
  ["POST", "/web/dataset/call_button"],
];

const CRONS = [
  "Mail: Email Queue Manager",
  "Calendar: Event Reminder",
  "Base: Auto-vacuum internal data",
  "Snailmail: process letters queue",
  "Digest Emails",
  "Partner Autocomplete: Sync with remote DB",
  "Notification: Send scheduled message notifications",
];

const WARNINGS: [string, string][] = [
  ["odoo.addons.mail.models.mail_mail", "Mail delivery failed via SMTP server 'smtp.mailgun.org'.\nSMTPServerDisconnected: Connection unexpectedly closed"],
  ["odoo.http", "Session expired or invalid for request /web/dataset/call_kw/res.partner/web_read"],
  ["odoo.addons.base.models.ir_cron", "Skipping database because of modules to install/upgrade/remove."],
  ["odoo.models", "The model account.move.line has no _description"],
  ["odoo.addons.base.models.res_lang", "Couldn't set locale for de_DE, falling back to C."],
  ["py.warnings", '/usr/lib/python3/dist-packages/odoo/fields.py:591: DeprecationWarning: Since 17.0, the "attrs" attribute is no longer used.'],
];

const CLIENT_IPS = ["10.42.0.1", "10.42.1.1", "10.42.2.1"];

export class OdooLogGenerator {
  constructor(private readonly seed: string | number) {}

  private rngFor(...parts: (string | number)[]): Rng {
    return createRng(this.seed, parts.join("|"));
  }

  startup(db: string, version: string, podName: string, startedAt: number, opts: { badDbHost?: string } = {}): TimedLine[] {
    const rng = this.rngFor("startup", db, podName, startedAt);
    let t = startedAt + rng.int(80, 400);
    const out: TimedLine[] = [];
    const add = (level: "INFO" | "WARNING" | "ERROR", dbName: string, logger: string, msg: string, step = rng.int(2, 60)) => {
      t += step;
      out.push({ at: t, text: odooLine(t, level, dbName, logger, msg) });
    };
    const build = version === "18.0" ? "20260112" : version === "17.0" ? "20251104" : "20250915";
    add("INFO", "?", "odoo", `Odoo version ${version}-${build}`);
    add("INFO", "?", "odoo", "Using configuration file at /etc/odoo/odoo.conf");
    add("INFO", "?", "odoo", `addons paths: ['/usr/lib/python3/dist-packages/odoo/addons', '/var/lib/odoo/addons/${version}', '/mnt/extra-addons']`);
    add("INFO", "?", "odoo", `database: odoo_${db.replace(/-/g, "_")}@${opts.badDbHost ?? "postgres.saasodoo.svc.cluster.local"}:5432`);
    add("INFO", "?", "odoo.addons.base.models.ir_actions_report", "Will use the Wkhtmltopdf binary at /usr/local/bin/wkhtmltopdf");
    if (opts.badDbHost) return out;
    add("INFO", "?", "odoo.service.server", `HTTP service (werkzeug) running on ${podName}:8069`, rng.int(100, 300));
    const modules = rng.int(38, 140);
    add("INFO", db, "odoo.modules.loading", "loading 1 modules...", rng.int(50, 200));
    add("INFO", db, "odoo.modules.loading", `1 modules loaded in 0.0${rng.int(1, 9)}s, 0 queries (+0 extra)`);
    add("INFO", db, "odoo.modules.loading", `loading ${modules} modules...`);
    const loadMs = rng.int(600, 4200);
    add("INFO", db, "odoo.modules.loading", `${modules} modules loaded in ${(loadMs / 1000).toFixed(2)}s, 0 queries (+0 extra)`, loadMs);
    add("INFO", db, "odoo.modules.loading", "Modules loaded.");
    add("INFO", db, "odoo.modules.registry", `Registry loaded in ${((loadMs + rng.int(100, 600)) / 1000).toFixed(3)}s`);
    return out;
  }

  healthCheck(db: string, at: number, clientIp = "10.42.0.1"): string {
    const rng = this.rngFor("health", db, at);
    return odooLine(
      at,
      "INFO",
      db,
      "werkzeug",
      `${clientIp} - - [${werkzeugTimestamp(at)}] "GET /web/health HTTP/1.1" 200 - ${rng.int(1, 3)} 0.00${rng.int(1, 4)} 0.00${rng.int(2, 9)}`,
    );
  }

  /** One line of ordinary traffic: mostly HTTP requests, sometimes a cron or a warning. */
  traffic(db: string, at: number): string[] {
    const rng = this.rngFor("traffic", db, at);
    const roll = rng.next();
    if (roll < 0.06) {
      const [logger, msg] = rng.pick(WARNINGS);
      return msg.split("\n").map((line, i) => (i === 0 ? odooLine(at, "WARNING", db, logger, line) : line));
    }
    if (roll < 0.16) {
      const cron = rng.pick(CRONS);
      return [odooLine(at, "INFO", db, "odoo.addons.base.models.ir_cron", `Job '${cron}' (${rng.int(1, 40)}) starting`)];
    }
    const [method, path] = rng.pick(PAGES);
    const ip = `10.42.${rng.int(0, 2)}.${rng.int(2, 250)}`;
    const status = rng.next() < 0.97 ? 200 : rng.pick([303, 404, 500]);
    const queries = rng.int(2, 60);
    return [
      odooLine(
        at,
        "INFO",
        db,
        "werkzeug",
        `${ip} - - [${werkzeugTimestamp(at)}] "${method} ${path} HTTP/1.1" ${status} - ${queries} ${(rng.next() * 0.05).toFixed(3)} ${(rng.next() * 0.4).toFixed(3)}`,
      ),
    ];
  }

  /** Traffic between two instants, for a container's log history. */
  history(db: string, from: number, to: number, maxLines: number): TimedLine[] {
    if (maxLines <= 0 || to <= from) return [];
    const rng = this.rngFor("history", db, from);
    const out: TimedLine[] = [];
    const step = Math.max(1000, Math.floor((to - from) / maxLines));
    for (let t = Math.max(from, to - step * maxLines); t < to && out.length < maxLines; t += step) {
      const at = t + rng.int(0, Math.floor(step / 2));
      const lines = rng.next() < 0.5 ? [this.healthCheck(db, at, rng.pick(CLIENT_IPS))] : this.traffic(db, at);
      for (const text of lines) out.push({ at, text });
    }
    return out;
  }

  /** The bad-config crash: Odoo cannot reach its database host and exits. */
  databaseConnectionFailure(db: string, at: number, host: string): TimedLine[] {
    const lines = [
      odooLine(at, "ERROR", db, "odoo.sql_db", "Connection to the database failed"),
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 702, in borrow',
      "    result = psycopg2.connect(",
      "             ^^^^^^^^^^^^^^^^^",
      '  File "/usr/lib/python3/dist-packages/psycopg2/__init__.py", line 122, in connect',
      "    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)",
      "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
      `psycopg2.OperationalError: could not translate host name "${host}" to address: Name or service not known`,
      "",
      odooLine(at + 3, "CRITICAL", db, "odoo.service.server", "Failed to initialize database `" + db + "`."),
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3/dist-packages/odoo/service/server.py", line 1334, in preload_registries',
      "    registry = Registry.new(dbname, update_module=update_module)",
      '  File "/usr/lib/python3/dist-packages/odoo/modules/registry.py", line 89, in new',
      "    odoo.modules.reset_modules_state(db_name)",
      '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 767, in db_connect',
      "    return Connection(_Pool, db, info)",
      `psycopg2.OperationalError: could not translate host name "${host}" to address: Name or service not known`,
    ];
    return lines.map((text, i) => ({ at: at + Math.min(i, 3), text }));
  }

  /** What Odoo prints while it runs out of memory, before the kernel kills it. */
  memoryPressure(db: string, at: number): TimedLine[] {
    const rng = this.rngFor("oom", db, at);
    const rss = rng.int(1900, 2040);
    const lines = [
      odooLine(at, "WARNING", db, "odoo.service.server", `Server memory limit (${rss * 1048576} > 2147483648) reached.`),
      odooLine(
        at + 400,
        "INFO",
        db,
        "werkzeug",
        `10.42.1.${rng.int(2, 250)} - - [${werkzeugTimestamp(at + 400)}] "POST /web/dataset/call_kw/account.move/action_export_xlsx HTTP/1.1" 500 - 1843 8.412 41.220`,
      ),
      odooLine(at + 401, "ERROR", db, "odoo.http", "Exception during request handling."),
      "Traceback (most recent call last):",
      '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2252, in __call__',
      "    response = request._serve_db()",
      '  File "/usr/lib/python3/dist-packages/odoo/addons/account/models/account_move.py", line 4087, in action_export_xlsx',
      "    rows = [line._export_row() for line in self.line_ids]",
      '  File "/usr/lib/python3/dist-packages/odoo/models.py", line 6210, in _export_row',
      "    return self._convert_to_write(self._cache)",
      "MemoryError",
    ];
    return lines.map((text, i) => ({ at: at + (i < 2 ? i * 400 : 401), text }));
  }

  shutdown(db: string, at: number): TimedLine[] {
    return [
      { at, text: odooLine(at, "INFO", db, "odoo.service.server", "Initiating shutdown") },
      { at: at + 5, text: odooLine(at + 5, "INFO", db, "odoo.service.server", "Hit CTRL-C again or send a second signal to force the shutdown.") },
    ];
  }

  backup(db: string, at: number, failed: boolean): TimedLine[] {
    const stamp = new Date(at).toISOString().replace(/[-:T]/g, "").slice(0, 12);
    if (failed) {
      return [
        {
          at,
          text: `pg_dump: error: connection to server at "postgres.saasodoo.svc.cluster.local" (10.42.0.12), port 5432 failed: FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute`,
        },
      ];
    }
    return [
      { at, text: `pg_dump: dumping contents of database "${db}" to /backup/${db}-${stamp}.dump` },
      { at: at + 900, text: `tar: removing leading '/' from member names` },
      { at: at + 1500, text: `backup complete: /backup/${db}-${stamp}.dump /backup/filestore-${stamp}.tar.gz` },
    ];
  }
}
