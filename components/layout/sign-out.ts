/**
 * Ends this browser's session through next-auth and lands on the sign-in page. next-auth's client
 * (with its runtime helpers, ~10 kB gzip) is fetched on the click, not shipped with every page's
 * header.
 */
export async function signOutHere(): Promise<void> {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl: "/sign-in?signedOut=1" });
}
