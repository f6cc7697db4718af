// Debian's Chromium, never a downloaded browser (see STACK_NOTES), and the flags every launch uses:
// they keep Chromium from dialling out, since on a closed network its own connections are refused
// and slow every page down. Shared by the E2E config and the screenshot scripts.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
