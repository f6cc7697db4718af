import { z } from "zod";

import { readEvidenceFile } from "@/server/migration/checklist/checklist-service";
import { guardChecklistDownload, plainText } from "@/server/migration/checklist/route-guard";
import { runtime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/migration/checklist/evidence/<id>: an evidence file of a checklist task, as a download. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { db } = runtime();
  const { id } = await params;
  const guard = await guardChecklistDownload(
    db,
    request,
    "/api/migration/checklist/evidence",
    "Evidence files open from the portal itself: open the task on the Migration page.",
  );
  if ("refusal" in guard) return guard.refusal;
  if (!z.uuid().safeParse(id).success) return plainText(400, "That is not an evidence id.");
  const file = await readEvidenceFile(db, id);
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
}
