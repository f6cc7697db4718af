import { can, type Role } from "@/lib/auth/permissions";

/** The signed-in user as the runbooks UI needs them: pages pass it down from the session. */
export interface RunbookViewer {
  email: string;
  role: Role;
}

export const canRunRunbooks = (viewer: RunbookViewer | undefined) => can(viewer?.role, "runbook:run");
export const canForce = (viewer: RunbookViewer | undefined) => can(viewer?.role, "runbook:force");
export const canApprove = (viewer: RunbookViewer | undefined) => can(viewer?.role, "runbook:approve");

export function isRequester(viewer: RunbookViewer | undefined, requestedByEmail: string): boolean {
  return Boolean(viewer) && viewer!.email.toLowerCase() === requestedByEmail.toLowerCase();
}
