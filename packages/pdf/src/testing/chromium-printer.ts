import { readFileSync } from "node:fs";
import chromium from "@sparticuz/chromium";
import { chromium as playwright, type Browser, type Page } from "playwright-core";
import { fontFiles } from "../fonts.ts";
import { INVOICE_CSS } from "./invoice-html.tsx";

/*
 * A warm headless Chromium that prints HTML to PDF: the bench's baseline. The browser ships inside
 * the @sparticuz/chromium npm package (nothing downloaded). One page stays open with the same Noto
 * fonts loaded once (served from node_modules through a route on a made-up origin, so no network);
 * each print swaps the page's body and calls page.pdf(), as a server keeping a browser warm would.
 */

const ORIGIN = "https://paycron.invalid";

export interface ChromiumPrinter {
  /** Chromium's version, for the bench's header. */
  version: string;
  /** The body's HTML (invoiceHtml) printed to an A4 PDF. */
  print(bodyHtml: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function startChromiumPrinter(): Promise<ChromiumPrinter> {
  const browser: Browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
  try {
    const page: Page = await browser.newPage();
    const fonts = fontFiles();
    const faces = fonts
      .map((font, i) => `@font-face { font-family: "${font.family === "NotoSans" ? "Noto Sans" : "Noto Sans JP"}"; font-weight: ${font.weight}; src: url("/fonts/${i}.ttf"); }`)
      .join("\n");
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      const font = /^\/fonts\/(\d+)\.ttf$/.exec(path);
      if (font) return route.fulfill({ body: readFileSync(fonts[Number(font[1])]!.path), contentType: "font/ttf" });
      return route.fulfill({ contentType: "text/html", body: `<!doctype html><html><head><meta charset="utf-8"><style>${faces}\n${INVOICE_CSS}</style></head><body></body></html>` });
    });
    await page.goto(`${ORIGIN}/`);
    const print = async (bodyHtml: string) => {
      await page.evaluate(async (html) => {
        const doc = (globalThis as unknown as { document: { body: { innerHTML: string }; fonts: { ready: Promise<unknown> } } }).document;
        doc.body.innerHTML = html;
        await doc.fonts.ready;
      }, bodyHtml);
      return page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    };
    return { version: browser.version(), print, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
