import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { TRPCReactProvider } from "@/components/trpc/client";

import "./globals.css";

export const metadata: Metadata = {
  title: "Fleetdeck",
  description: "Operations portal for the tenant Odoo fleet",
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: the CSP nonce from proxy.ts only reaches Next's inline
  // scripts in dynamic rendering, and every page depends on the session anyway.
  await connection();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
