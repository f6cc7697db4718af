import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Role } from "@/lib/auth/permissions";

const ROLE_TONE: Record<Role, BadgeTone> = { admin: "danger", operator: "warning", pm: "info", viewer: "neutral" };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge tone={ROLE_TONE[role]} data-testid="role-badge" aria-label={`Role: ${role}`}>
      {role}
    </Badge>
  );
}
