import "server-only";

import type { AuditEventRow, AuditListPage, AuditOutcome } from "@/lib/audit/audit-list";
import type { AuditFilter, AuditListInput } from "@/lib/audit/audit-list-schemas";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";

const DEFAULT_PAGE_SIZE = 50;
/** Rows the CSV export reads per query while it streams. */
const EXPORT_BATCH = 500;

/** Newest first; the id breaks ties between rows written in the same millisecond. */
const NEWEST_FIRST = [{ at: "desc" }, { id: "desc" }] satisfies Prisma.AuditEventOrderByWithRelationInput[];

function whereOf(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput[] = [];
  if (filter.who) where.push({ actorEmail: { contains: filter.who, mode: "insensitive" } });
  if (filter.action) where.push({ action: filter.action });
  if (filter.target) {
    where.push({
      OR: [{ targetKind: { contains: filter.target, mode: "insensitive" } }, { targetId: { contains: filter.target, mode: "insensitive" } }],
    });
  }
  if (filter.outcome) where.push({ outcome: filter.outcome });
  if (filter.from) where.push({ at: { gte: new Date(filter.from) } });
  if (filter.to) where.push({ at: { lt: new Date(filter.to) } });
  return { AND: where };
}

type AuditEventRecord = Prisma.AuditEventGetPayload<object>;

function toRow(event: AuditEventRecord): AuditEventRow {
  return {
    id: event.id,
    at: event.at.toISOString(),
    actorEmail: event.actorEmail,
    actorId: event.actorId,
    action: event.action,
    targetKind: event.targetKind,
    targetId: event.targetId,
    // The table's CHECK constraint allows only these.
    outcome: event.outcome as AuditOutcome,
    sourceAddress: event.sourceAddress,
    userAgent: event.userAgent,
    details: event.details,
  };
}

/** One page of the filtered log, newest first, with the total and the actions to filter by. */
export async function listAuditEvents(db: PrismaClient, input: AuditListInput): Promise<AuditListPage> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const where = whereOf(input);
  const [events, total, actions] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: NEWEST_FIRST, skip: (page - 1) * pageSize, take: pageSize }),
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  return { events: events.map(toRow), total, page, pageSize, actions: actions.map((a) => a.action) };
}

/**
 * Every row the filter matches, newest first, read in batches so an export of the whole log never
 * sits in memory at once. Keyset paging: a row written while the export runs is newer than the
 * first batch and so is left out instead of shifting the pages.
 */
export async function* streamAuditEvents(db: PrismaClient, filter: AuditFilter): AsyncGenerator<AuditEventRow> {
  const where = whereOf(filter);
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: after ? { AND: [where, { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] } : where,
      orderBy: NEWEST_FIRST,
      take: EXPORT_BATCH,
    });
    for (const event of batch) yield toRow(event);
    if (batch.length < EXPORT_BATCH) return;
    const last = batch[batch.length - 1];
    after = { at: last.at, id: last.id };
  }
}
