import clsx from "clsx";
import type { TenantDetail } from "@/lib/tenants/types";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { Panel } from "../panel";
import { RelativeTime } from "../relative-time";

export function EventsTable({ events }: { events: TenantDetail["events"] }) {
  return (
    <Panel title="Recent events" actions={<span className="text-xs text-slate-500">newest first</span>}>
      {events.length === 0 ? (
        <p data-testid="events-table" className="text-sm text-slate-600">
          No recent events.
        </p>
      ) : (
        <Table density="compact" data-testid="events-table">
          <caption className="sr-only">Recent Kubernetes events for this tenant</caption>
          <TableHead>
            <tr>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Reason</TableHeaderCell>
              <TableHeaderCell>Object</TableHeaderCell>
              <TableHeaderCell>Message</TableHeaderCell>
              <TableHeaderCell className="text-right">Count</TableHeaderCell>
              <TableHeaderCell>Last seen</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {events.map((event, index) => (
              <TableRow key={`${event.object.kind}/${event.object.name}/${event.reason}/${index}`}>
                <TableCell className={clsx("text-xs font-medium", event.type === "Warning" ? "text-amber-700" : "text-slate-600")}>{event.type}</TableCell>
                <TableCell className="font-medium">{event.reason}</TableCell>
                <TableCell className="font-mono text-xs text-slate-600">
                  {event.object.kind.toLowerCase()}/{event.object.name}
                </TableCell>
                <TableCell className="text-slate-700">{event.message}</TableCell>
                <TableCell className="text-right font-mono text-xs tabular-nums">{event.count}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  <RelativeTime iso={event.lastSeen ?? event.firstSeen} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}
