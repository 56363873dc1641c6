import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from './paths.js';

/**
 * XSS vectors in the style of the OWASP XSS Filter Evasion Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html), each
 * with the sanitiser's exact output. Every one that could run script calls alert(), so the
 * browser test can watch for it.
 */
export const XSS_VECTORS: readonly [name: string, input: string, expected: string][] = [
  ['a script element', '<script>alert(1)</script>', ''],
  ['a script element in upper case', '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>', ''],
  ['a script element with a slash before its attribute', '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>', ''],
  ['extra open brackets before a script', '<<SCRIPT>alert(1);//<</SCRIPT>', '&lt;'],
  ['a script split by a nested script', '<scr<script>ipt>alert(1)</scr</script>ipt>', 'ipt&gt;alert(1)ipt&gt;'],
  ['an unclosed script', '<SCRIPT SRC=https://xss.example/xss.js?< B >', ''],
  ['img onerror', '<img src=x onerror=alert(1)>', ''],
  ['img onerror on a kept image', '<img src="https://img.example/a.jpg" onerror="alert(1)">', '<img src="https://img.example/a.jpg" />'],
  ['img src javascript:', '<IMG SRC="javascript:alert(1);">', ''],
  ['img src javascript: unquoted and mixed case', '<IMG SRC=JaVaScRiPt:alert(1)>', ''],
  ['img src javascript: in grave accents', '<IMG SRC=`javascript:alert(1)`>', ''],
  ['img src with decimal entities', '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>', ''],
  ['img src with padded decimal entities and no semicolons', '<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041>', ''],
  ['img src with hex entities and no semicolons', '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>', ''],
  ['a link with an embedded tab', '<a href="jav\tascript:alert(1);">x</a>', 'x'],
  ['a link with an encoded tab', '<a href="jav&#x09;ascript:alert(1);">x</a>', 'x'],
  ['a link with an encoded newline', '<a href="jav&#x0A;ascript:alert(1);">x</a>', 'x'],
  ['a link with an encoded carriage return', '<a href="jav&#x0D;ascript:alert(1);">x</a>', 'x'],
  ['a link with a NUL in the scheme', '<a href="java\0script:alert(1)">x</a>', 'x'],
  ['a link with spaces and a control character before the scheme', '<a href=" &#14;  javascript:alert(1);">x</a>', 'x'],
  ['a link with a named entity for the colon', '<a href="javascript&colon;alert(1)">x</a>', 'x'],
  ['a link with vbscript:', '<a href="vbscript:msgbox(1)">x</a>', 'x'],
  ['a link with a data: URL', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', 'x'],
  ['a link with livescript:', '<a href="livescript:alert(1)">x</a>', 'x'],
  ['a body onload', '<BODY ONLOAD=alert(1)>text', 'text'],
  ['an event handler after a slash', '<b/onclick=alert(1)>x</b>', '<b>x</b>'],
  ['an event handler without a value separator', '<p onmouseover\n="alert(1)">x</p>', '<p>x</p>'],
  ['an svg onload', '<svg/onload=alert(1)>', ''],
  ['an svg with a script', '<svg><script>alert(1)</script></svg>', ''],
  ['an iframe src javascript:', '<IFRAME SRC="javascript:alert(1);"></IFRAME>', ''],
  ['an iframe srcdoc', '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', ''],
  ['an object with a data: URL', '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>', ''],
  ['an embed', '<EMBED SRC="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+" AllowScriptAccess="always"></EMBED>', ''],
  ['a style element with expression()', '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>x</LI></UL>', '<ul><li>x</li></ul>'],
  ['a style attribute with expression()', '<DIV STYLE="width: expression(alert(1));">x</DIV>', 'x'],
  ['a link element', '<LINK REL="stylesheet" HREF="javascript:alert(1);">', ''],
  ['a meta refresh', '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">', ''],
  ['a base href', '<BASE HREF="javascript:alert(1);//">', ''],
  ['a form action', '<form action="javascript:alert(1)"><button>x</button></form>', ''],
  ['a button formaction', '<button formaction="javascript:alert(1)">x</button>', ''],
  ['a table background', '<TABLE BACKGROUND="javascript:alert(1)"><tr><td>x</td></tr></TABLE>', '<table><tr><td>x</td></tr></table>'],
  ['a noscript that closes inside an attribute', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', ''],
  ['a style inside svg (mutation XSS)', '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">', ''],
  ['math, table and style (mutation XSS)', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>', ''],
  ['an xmp holding markup', '<xmp><img src=x onerror=alert(1)></xmp>', ''],
  ['a comment holding markup', '<!--<img src=x onerror=alert(1)>-->', ''],
  ['a bogus comment end', '<!-- --!><img src=x onerror=alert(1)> -->', ''],
  ['CDATA holding markup', '<p><![CDATA[<img src=x onerror=alert(1)>]]></p>', '<p></p>'],
  ['a quote-broken img', '<IMG """><SCRIPT>alert(1)</SCRIPT>">', '"&gt;'],
  ['an attribute value that closes the tag', '<a href="https://ok.example/" title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>', '<a href="https://ok.example/" title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" rel="noopener noreferrer">x</a>'],
];

const FIXTURES = fixturePath('sanitize');

export interface SanitizeFixture {
  name: string;
  input: string;
  expected: string;
}

/** The pairs tests/fixtures/sanitize/<case>.input.html → <case>.expected.html. */
export function sanitizeFixtures(): SanitizeFixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.input.html'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.input.html'.length);
      return {
        name,
        input: readFileSync(join(FIXTURES, f), 'utf8'),
        expected: readFileSync(join(FIXTURES, `${name}.expected.html`), 'utf8'),
      };
    });
}
