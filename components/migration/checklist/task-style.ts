import type { BadgeTone } from "@/components/ui/badge";
import type { Priority, TaskStatus } from "@/lib/migration/checklist";

export const STATUS_TONE: Record<TaskStatus, BadgeTone> = { todo: "neutral", "in-progress": "info", blocked: "danger", done: "success" };
export const PRIORITY_TONE: Record<Priority, BadgeTone> = { "must-have": "danger", important: "warning", "nice-to-have": "neutral" };
