import type { Metadata } from "next";
import localFont from "next/font/local";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

// Self-hosted (fontsource) so that builds never reach out to a font CDN.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Confident — Organization", template: "%s · Confident" },
  description: "Self-hosted organization management: members, invitations, roles and API keys.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, the not-found page included: Next.js puts the request's CSP
  // nonce (proxy.ts) on its scripts only then; a page prerendered at build time has none, and
  // the CSP would block its scripts.
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body>
        {/* The first Tab stop of every page; each page's <main id="main" tabIndex={-1}> takes the focus. */}
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
