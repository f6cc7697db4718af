import NextAuth from "next-auth";
import { NextRequest } from "next/server";

import { authOptions } from "@/server/auth/options";
import { AUTH_BODY_LIMIT_BYTES, readBoundedBody, tooLargeMessage } from "@/server/http/body-limit";

export const dynamic = "force-dynamic";

const handler = NextAuth(authOptions);

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function POST(request: NextRequest, context: RouteContext): Promise<Response> {
  const bounded = await readBoundedBody(request, AUTH_BODY_LIMIT_BYTES);
  if (!bounded.ok) {
    return new Response(`${tooLargeMessage(bounded.limit)}\n`, { status: 413, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  return handler(new NextRequest(bounded.request), context);
}

export { handler as GET, POST };
