import { z } from "zod";

import { plainText, portalRoute } from "@/server/http/portal-route";
import { readEvidenceFile } from "@/server/migration/checklist/checklist-service";

export const dynamic = "force-dynamic";

/** GET /api/migration/checklist/evidence/<id>: an evidence file of a checklist task, as a download. */
export const GET = portalRoute<{ id: string }>(
  {
    route: "/api/migration/checklist/evidence",
    permission: "migration:read",
    crossSiteMessage: "Evidence files open from the portal itself: open the task on the Migration page.",
    logPrefix: "[checklist-evidence]",
  },
  async (_request, { db, params }) => {
    if (!z.uuid().safeParse(params.id).success) return plainText(400, "That is not an evidence id.");
    const file = await readEvidenceFile(db, params.id);
    if (!file) return plainText(404, "That evidence file does not exist (any more).");
    // Always a download, never rendered: an uploaded HTML file must not run in the portal's origin.
    const name = file.fileName.replace(/[^\w.\- ]+/g, "_");
    return new Response(new Uint8Array(file.content), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
