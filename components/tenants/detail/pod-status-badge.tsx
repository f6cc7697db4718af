import clsx from "clsx";

const FAILING = /CrashLoopBackOff|OOMKilled|ImagePullBackOff|ErrImagePull|InvalidImageName|Error|CreateContainer|Evicted|NodeLost|Unknown|ExitCode|Signal/;
const WAITING = /Pending|ContainerCreating|PodInitializing|Init:|NotReady|Terminating/;

/** kubectl's STATUS word, coloured by what it means for the tenant. */
export function PodStatusBadge({ status, podName }: { status: string; podName: string }) {
  const tone = status === "Running" ? "ok" : status === "Completed" ? "done" : FAILING.test(status) ? "failing" : WAITING.test(status) ? "waiting" : "other";
  return (
    <span
      data-testid={`pod-status-${podName}`}
      data-status={status}
      className={clsx(
        "inline-flex whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
        tone === "ok" && "bg-green-50 text-green-800 ring-green-600/30",
        tone === "failing" && "bg-red-50 text-red-800 ring-red-600/30",
        tone === "waiting" && "bg-amber-50 text-amber-800 ring-amber-600/30",
        (tone === "done" || tone === "other") && "bg-slate-100 text-slate-700 ring-slate-500/30",
      )}
    >
      {status}
    </span>
  );
}
