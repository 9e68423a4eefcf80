// Debian's Chromium driven by playwright-core (Playwright cannot download browsers here).
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { ROOT } from "./run-script";

export const SCREENSHOT_DIR = path.join(ROOT, "test-results", "screenshots");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

const taken: string[] = [];

/** Saves a full-page screenshot as test-results/screenshots/<name>.png and remembers it. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  taken.push(path.relative(ROOT, file));
}

export function screenshotsTaken() {
  return [...taken];
}
