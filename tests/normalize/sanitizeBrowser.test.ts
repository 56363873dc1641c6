import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, LINK_REL, sanitizeHtml } from '../../src/normalize/sanitize.js';
import { canRun, CHECKS } from '../support/checks.js';
import { sanitizeFixtures, XSS_VECTORS } from '../support/xssVectors.js';

/** Debian's chromium, which .ci/run installs; without it this file is skipped. */
const CHROMIUM = '/usr/bin/chromium';
/** Served by the route below, never looked up. */
const PAGE_URL = 'http://feedrelay.test/';

interface Verdict {
  /** alert/confirm/prompt/print calls, i.e. script that ran. */
  calls: string[];
  /** Elements, attributes or URL schemes outside the allowlist, as the browser parsed the markup. */
  problems: string[];
}

interface Policy {
  tags: string[];
  attributes: Record<string, string[]>;
  schemes: Record<string, string[]>;
  rel: string;
}

/** Runs in each page before its own markup: records any dialog call that script makes. */
function installProbe(): void {
  const calls: string[] = [];
  Object.assign(window, { __calls: calls });
  for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
    Object.assign(window, { [name]: (...args: unknown[]) => void calls.push(`${name}(${args.join(',')})`) });
  }
}

/** Runs in the page after load: the browser's own reading of the body against the policy. */
function inspect(policy: Policy): Verdict {
  const problems: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const tag = el.localName;
    if (!policy.tags.includes(tag)) problems.push(`element <${tag}>`);
    for (const attr of Array.from(el.attributes)) {
      if (!(policy.attributes[tag] ?? []).includes(attr.name)) problems.push(`attribute ${tag}[${attr.name}]`);
    }
    const url = tag === 'a' ? el.getAttribute('href') : tag === 'img' ? el.getAttribute('src') : null;
    if (url !== null) {
      let scheme = 'none (relative)';
      try {
        scheme = new URL(url).protocol.slice(0, -1);
      } catch { /* a relative URL: no scheme allows it */ }
      if (!(policy.schemes[tag] ?? []).includes(scheme)) problems.push(`scheme ${scheme}: in <${tag}>`);
    }
    if (tag === 'a' && el.getAttribute('rel') !== policy.rel) problems.push(`<a rel="${el.getAttribute('rel')}">`);
  }
  const calls = (window as unknown as { __calls?: string[] }).__calls;
  return { calls: calls ?? ['the probe is missing'], problems };
}

const POLICY: Policy = { tags: ALLOWED_TAGS, attributes: ALLOWED_ATTRIBUTES, schemes: ALLOWED_SCHEMES, rel: LINK_REL };

const cases: [string, string][] = [
  ...XSS_VECTORS.map(([name, input]) => [name, input] as [string, string]),
  ...sanitizeFixtures().map((f) => [`fixture ${f.name}`, f.input] as [string, string]),
];

describe.runIf(canRun(CHECKS.chromium))('sanitised HTML as Chromium reads it', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    await page.addInitScript(installProbe);
    // Never the network: the page itself comes from here, everything else (images, links,
    // refreshes) fails at once, firing onerror where a browser would.
    await page.route('**/*', (route) =>
      route.request().url() === PAGE_URL && route.request().isNavigationRequest()
        ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: pageBody })
        : route.abort());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  let pageBody = '';

  /** Loads `body` as a fresh document, so the probe is in place before any of its script. */
  async function render(body: string): Promise<Verdict> {
    pageBody = `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;
    await page.goto(PAGE_URL, { waitUntil: 'load' });
    return page.evaluate(inspect, POLICY);
  }

  // The probe must see script run, or a clean verdict below would prove nothing.
  it.each([
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['svg onload', '<svg/onload=alert(1)>'],
    ['a script element', '<script>alert(1)</script>'],
    ['a bogus comment end', '<!-- --!><img src=x onerror=alert(1)> -->'],
    ['a noscript that closes inside an attribute', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ])('unsanitised, %s runs script', async (_name, input) => {
    expect((await render(input)).calls).toContain('alert(1)');
  });

  it.each([
    ['a javascript: link', '<a href="jav&#x09;ascript:alert(1)">x</a>', 'scheme javascript: in <a>'],
    ['a style attribute', '<p style="color:red">x</p>', 'attribute p[style]'],
    ['an iframe', '<iframe></iframe>', 'element <iframe>'],
  ])('unsanitised, %s is reported', async (_name, input, problem) => {
    expect((await render(input)).problems).toContain(problem);
  });

  it.each(cases)('sanitised, %s runs no script and holds nothing outside the allowlist', async (_name, input) => {
    expect(await render(sanitizeHtml(input))).toEqual({ calls: [], problems: [] });
  });
});
