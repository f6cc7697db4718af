// Draws app/favicon.ico: Fleetdeck's "F" on the sidebar's slate, at 16, 32 and 48 px (PNG images
// in an ICO container, which every current browser reads). Rendered by headless Debian Chromium.
// `npx tsx scripts/favicon.ts`
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { repoRoot } from "./lib/stack";

const SIZES = [16, 32, 48];

/** On a 16-unit grid so that each bar falls on whole pixels at every size. */
const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">
  <rect width="16" height="16" rx="3" fill="#0f172a"/>
  <rect x="4" y="3" width="3" height="10" fill="#fff"/>
  <rect x="4" y="3" width="8" height="3" fill="#fff"/>
  <rect x="4" y="7.5" width="6" height="2.5" fill="#60a5fa"/>
</svg>`;

/** ICONDIR, one ICONDIRENTRY per image, then the PNGs themselves. */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const images = [];
    for (const size of SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${ICON_SVG}`);
      images.push({ size, png: await page.screenshot({ omitBackground: true }) });
      await page.close();
    }
    writeFileSync(join(repoRoot, "app/favicon.ico"), icoOf(images));
    console.log("wrote app/favicon.ico");
  } finally {
    await browser.close();
  }
}

if (process.argv[1]?.endsWith("favicon.ts")) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
