import clsx from "clsx";
import type { TenantDetail } from "@/server/tenants/types";
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
        <div className="overflow-x-auto">
          <table data-testid="events-table" className="w-full text-left text-sm">
            <caption className="sr-only">Recent Kubernetes events for this tenant</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">Type</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Reason</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Object</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Message</th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">Count</th>
                <th scope="col" className="py-1.5 font-medium">Last seen</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event, index) => (
                <tr key={`${event.object.kind}/${event.object.name}/${event.reason}/${index}`} className="align-top">
                  <td className={clsx("py-1.5 pr-3 text-xs font-medium", event.type === "Warning" ? "text-amber-700" : "text-slate-600")}>
                    {event.type}
                  </td>
                  <td className="py-1.5 pr-3 font-medium">{event.reason}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs text-slate-600">
                    {event.object.kind.toLowerCase()}/{event.object.name}
                  </td>
                  <td className="py-1.5 pr-3 text-slate-700">{event.message}</td>
                  <td className="py-1.5 pr-3 text-right font-mono text-xs tabular-nums">{event.count}</td>
                  <td className="whitespace-nowrap py-1.5 text-xs">
                    <RelativeTime iso={event.lastSeen ?? event.firstSeen} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
