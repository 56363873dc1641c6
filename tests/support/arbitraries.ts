import fc from 'fast-check';
import { ALLOWED_TAGS } from '../../src/normalize/sanitize.js';
import { DROP_WITH_CONTENT } from '../../src/shared/text.js';
import { XSS_VECTORS } from './xssVectors.js';

/** Runs per property: enough to find the shallow bugs on every run, quick on two cores. */
export const RUNS = 200;

/** Any UTF-16 code unit: lone surrogates, controls and noncharacters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Characters that mean something to HTML, XML, URLs or our seed format. */
const meaningful = fc.constantFrom(
  '<', '>', '&', '"', "'", '=', '/', '\\', ':', ';', '#', '?', '%', '[', ']', '(', ')', '`',
  ' ', '\t', '\n', '\r', '\f', '\u0000', '\u000b', '\u0085', '\u00a0', '\u2028', '\ufeff', '\ufffe', '\uffff',
  '\ud800', '\udfff', '😀', '国', ']]>', '<![CDATA[', '-->', '&amp;', '&#0;', '&#x1;', '&#xD800;',
);

/** Text of every kind: whole code points, lone code units and the markup-significant characters. */
export const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), codeUnit, meaningful), maxLength });

const tagName = fc.constantFrom(
  ...ALLOWED_TAGS, ...DROP_WITH_CONTENT, 'div', 'span', 'body', 'html', 'head', 'base', 'meta', 'link', 'hr',
  'SCRIPT', 'ImG', 'A', 'scr\u0000ipt', 'feedrelay-fragment', 'share-button', 'x:y', 'p/',
);

const attributeName = fc.constantFrom(
  'href', 'src', 'alt', 'title', 'rel', 'width', 'height', 'colspan', 'rowspan', 'scope', 'hidden',
  'onclick', 'onerror', 'ONLOAD', 'onmouseover', 'style', 'srcdoc', 'class', 'id', 'formaction', 'xlink:href',
  'data-selfpromo', 'target', '"', "a'b", 'on', '/',
);

const hostileUrl = fc.constantFrom(
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'jav&#x09;ascript:alert(1)', 'jav\tascript:alert(1)',
  ' \u0001javascript:alert(1)', 'java\u0000script:alert(1)', '&#106;avascript:alert(1)', 'javascript&colon;alert(1)',
  'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', 'data:image/png;base64,AAAA', 'file:///etc/passwd',
  'https://a.example/x?y=1&z=2', 'http://a.example/', 'mailto:a@b.example', '//a.example/x', '/relative', '#top',
  'https://feeds.feedburner.com/~r/x', 'HTTPS://A.EXAMPLE/国 x',
);

const dimension = fc.oneof(
  fc.constantFrom('0', '1', '1px', '0%', '100%', ' 2 ', 'auto', '-1', '1.0', '99999', '100000'),
  fc.nat({ max: 5000 }).map(String),
);

const attributeValue = fc.oneof(hostileUrl, dimension, fc.webUrl(), anyText(12), fc.constantFrom('display:none', 'width:1px', 'row'));

const attribute = fc.tuple(attributeName, attributeValue, fc.constantFrom('"', "'", '', 'none')).map(([name, value, quote]) => {
  if (quote === 'none') return ` ${name}`;
  if (quote === '') return ` ${name}=${value}`;
  return ` ${name}=${quote}${value}${quote}`;
});

const openTag = fc.tuple(tagName, fc.array(attribute, { maxLength: 4 }), fc.constantFrom('', '/', ' /'))
  .map(([name, attrs, end]) => `<${name}${attrs.join('')}${end}>`);

const closeTag = tagName.map((name) => `</${name}>`);

const markupNoise = fc.constantFrom(
  '<!--', '-->', '--!>', '<!-- x -->', '<![CDATA[', ']]>', '<!doctype html>', '<?xml version="1.0"?>', '<', '</', '>', '&',
  '&lt;', '&amp;lt;', '&quot;', '&nbsp;', '&#0;', '&#x6A;', '&#xD800;', '&#1114112;', '&bogus;', '&',
);

/** Tag soup: allowed, dropped and unknown elements, hostile attributes, broken markup and the XSS vectors. */
export const tagSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof(
    { arbitrary: openTag, weight: 4 },
    { arbitrary: closeTag, weight: 3 },
    { arbitrary: anyText(10), weight: 3 },
    { arbitrary: markupNoise, weight: 1 },
    { arbitrary: fc.constantFrom(...XSS_VECTORS.map(([, input]) => input)), weight: 1 },
  ), { maxLength: 30 })
  .map((parts) => parts.join(''));
