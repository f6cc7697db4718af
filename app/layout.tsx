import type { Metadata } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { ThemeProvider } from "@/components/layout/theme-provider";
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
  // The theme script is ours, not Next's, so it needs the nonce handed over explicitly.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // next-themes sets the theme class on <html> before React hydrates; the attribute differs by design.
    <html lang="en" suppressHydrationWarning>
      <body>
        <ThemeProvider nonce={nonce}>
          <TRPCReactProvider>{children}</TRPCReactProvider>
        </ThemeProvider>
      </body>
    </html>
  );
}
