import type { HealthState } from "@/lib/tenants/types";

/**
 * One colour per health state, used by every badge, tile and chart so "amber" always means degraded.
 * Hex values for SVG fills; Tailwind classes are spelled out in full so the class scanner sees them.
 */
export const HEALTH_STYLE: Record<HealthState, { label: string; color: string; badge: string; dot: string }> = {
  healthy: { label: "Healthy", color: "#16a34a", badge: "bg-green-50 text-green-800 ring-green-600/30", dot: "bg-green-600" },
  degraded: { label: "Degraded", color: "#d97706", badge: "bg-amber-50 text-amber-800 ring-amber-600/30", dot: "bg-amber-500" },
  down: { label: "Down", color: "#dc2626", badge: "bg-red-50 text-red-800 ring-red-600/30", dot: "bg-red-600" },
  stopped: { label: "Stopped", color: "#64748b", badge: "bg-slate-100 text-slate-700 ring-slate-500/30", dot: "bg-slate-500" },
  suspended: { label: "Suspended", color: "#9333ea", badge: "bg-purple-50 text-purple-800 ring-purple-600/30", dot: "bg-purple-600" },
  provisioning: { label: "Provisioning", color: "#2563eb", badge: "bg-blue-50 text-blue-800 ring-blue-600/30", dot: "bg-blue-600" },
  missing: { label: "Missing", color: "#6b7280", badge: "bg-gray-100 text-gray-700 ring-gray-500/30", dot: "bg-gray-500" },
  "on-swarm": { label: "On Swarm", color: "#0891b2", badge: "bg-cyan-50 text-cyan-800 ring-cyan-600/30", dot: "bg-cyan-600" },
  unknown: { label: "Unknown", color: "#9ca3af", badge: "bg-gray-50 text-gray-600 ring-gray-400/30", dot: "bg-gray-400" },
};

/** Display order: worst first, so the eye lands on what needs attention. */
export const HEALTH_ORDER: HealthState[] = ["down", "degraded", "missing", "provisioning", "suspended", "stopped", "unknown", "on-swarm", "healthy"];
