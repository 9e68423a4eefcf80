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

/** Saves a full-page screenshot as test-results/screenshots/<name>.png (`name` may hold a folder) and remembers it. */
export async function screenshot(page: Page, name: string) {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  taken.push(path.relative(ROOT, file));
}

export function screenshotsTaken() {
  return [...taken];
}

export interface CspViolation {
  /** Where it was seen: the page's URL for a securitypolicyviolation event, "console" otherwise. */
  url: string;
  text: string;
}

/**
 * Records every Content-Security-Policy violation on `page` from now on, across navigations:
 * `securitypolicyviolation` events (reported through a binding, which CSP cannot block) and the
 * console messages Chromium prints for them. Returns a function listing what was seen so far.
 */
export async function watchCspViolations(page: Page): Promise<() => CspViolation[]> {
  const seen: CspViolation[] = [];
  await page.exposeBinding("__reportCspViolation", (_source, violation: CspViolation) => {
    seen.push(violation);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation(v: CspViolation): void }).__reportCspViolation;
      report({ url: document.URL, text: `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} ${e.sample}`.trim() });
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy|securitypolicyviolation/i.test(text)) seen.push({ url: "console", text });
  });
  return () => [...seen];
}
